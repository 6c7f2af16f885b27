# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""ansible_host sources in order ([guest_agent, config]) and guest_config, against the simulator on every profile;
refused and vanished guests lose no host."""

from __future__ import annotations

import pytest

from ansible_collections.pve.cluster.tests.unit.plugins.inventory._helpers import host_vars, sim_inventory
from ansible_collections.pve.cluster.tests.unit.plugins.modules._module_runner import ALL_PROFILES

CONFIG_PATH = "/config"


def run(tmp_path, profile, body, faults=()):
    return sim_inventory(tmp_path, profile, "include_nodes: false\n" + body, faults=faults)


def online_guests(inventory):
    """The guests of the inventory on nodes that are not offline (pve3 is down in the demo)."""
    return len([h for h in inventory.hosts.values() if h.vars.get("pve_node") != "pve3"])


@pytest.mark.parametrize("profile", ALL_PROFILES)
def test_agent_then_config(tmp_path, warnings, profile):
    inventory, asked = run(tmp_path, profile, "ansible_host: [guest_agent, config]\n")
    assert host_vars(inventory, "noagent01")["ansible_host"] == "10.0.9.11"   # running, no agent: cloud-init ipconfig0
    assert host_vars(inventory, "win-ad01")["ansible_host"] == "10.0.6.10"    # agent not running
    assert host_vars(inventory, "proxy01")["ansible_host"] == "10.0.1.5"      # stopped container: net0 ip=
    assert host_vars(inventory, "staging01")["ansible_host"] == "10.0.9.20"   # stopped VM: the pending ipconfig0
    assert host_vars(inventory, "db01")["ansible_host"] == "10.0.2.10"        # the agent wins over the config (.99)
    assert "ansible_host" not in host_vars(inventory, "old-app01")            # ip=dhcp: no address
    assert "ansible_host" not in host_vars(inventory, "snap-ct01")            # net0 ip=dhcp
    if profile == "pve7":  # no lxc interfaces endpoint: running containers get their configured address
        assert host_vars(inventory, "cache01")["ansible_host"] == "10.0.3.10"
    config_asked = sorted(p for p in asked if p.endswith(CONFIG_PATH))
    # only the guests the agent gave no address: never db01 (offline pve3: test_guest_config_variables, versions)
    assert "/nodes/pve1/qemu/102/config" not in config_asked and "/nodes/pve1/qemu/111/config" in config_asked
    assert len(config_asked) == len(set(config_asked))
    assert not [w for w in warnings if "noagent01" in w]  # it got an address: no agent warning for it
    assert "No QEMU guest agent configured" in host_vars(inventory, "noagent01")["pve_agent_error"]


@pytest.mark.parametrize("profile", ("pve9", "pve7"))
def test_config_then_agent_and_single_string(tmp_path, profile):
    inventory, asked = run(tmp_path, profile, "ansible_host: [config, guest_agent]\n")
    assert host_vars(inventory, "db01")["ansible_host"] == "10.0.2.99"  # the user's order
    assert not [p for p in asked if "/102/agent/" in p]
    inventory, asked = run(tmp_path, profile, "ansible_host: config\n")
    assert host_vars(inventory, "proxy01")["ansible_host"] == "10.0.1.5"
    assert not [p for p in asked if "/agent/" in p or p.endswith("/interfaces")]
    assert len([p for p in asked if p.endswith(CONFIG_PATH)]) == online_guests(inventory)  # every selected guest


def test_only_selected_guests_are_asked(tmp_path):
    inventory, asked = run(tmp_path, "pve9", "ansible_host: config\nguest_types: [lxc]\n"
                                             "filters: [\"'prod' in pve_tags\"]\n")
    assert sorted(p for p in asked if p.endswith(CONFIG_PATH)) == [
        "/nodes/pve1/lxc/103/config", "/nodes/pve1/lxc/112/config", "/nodes/pve2/lxc/116/config"]
    assert host_vars(inventory, "queue01")["ansible_host"] == "10.0.4.10"


def test_networks_restrict_configured_addresses(tmp_path):
    inventory, _asked = run(tmp_path, "pve9", "ansible_host: config\nansible_host_networks: ['::/0']\n")
    assert host_vars(inventory, "web01")["ansible_host"] == "fd00:1::10"   # ipconfig0 ip6=
    assert "ansible_host" not in host_vars(inventory, "proxy01")           # IPv4 only


@pytest.mark.parametrize("profile", ("pve9", "pve8.1"))
def test_refused_and_vanished_each_one_warning(tmp_path, warnings, profile):
    faults = [{"path": r"^/nodes/pve1/qemu/111/config$", "status": 403, "message": "Permission check failed (/vms/111, VM.Audit)"},
              {"path": r"^/nodes/pve1/lxc/112/config$", "status": 500,
               "message": "Configuration file 'nodes/pve1/lxc/112.conf' does not exist"}]
    inventory, _asked = run(tmp_path, profile, "ansible_host: [guest_agent, config]\n", faults)
    assert "ansible_host" not in host_vars(inventory, "noagent01")
    assert "ansible_host" not in host_vars(inventory, "proxy01")
    assert online_guests(inventory) == 28  # no host lost
    refused = [w for w in warnings if "refused the configuration" in w]
    vanished = [w for w in warnings if "vanished" in w]
    assert len(refused) == 1 and "noagent01 (qemu/111)" in refused[0] and "proxy01" not in refused[0]
    assert len(vanished) == 1 and "proxy01 (lxc/112)" in vanished[0] and "noagent01" not in vanished[0]


@pytest.mark.parametrize("profile", ALL_PROFILES)
def test_guest_config_variables(tmp_path, profile):
    inventory, asked = run(tmp_path, profile, "guest_config: true\n")
    assert len([p for p in asked if p.endswith(CONFIG_PATH)]) == online_guests(inventory) == 28
    web01 = host_vars(inventory, "web01")
    config = web01["pve_config"]
    assert config["ipconfig0"] == {"ip": "10.0.1.10/24", "gw": "10.0.1.1", "ip6": "fd00:1::10/64"}
    assert config["net0"]["bridge"] == "vmbr0" and config["net0"]["firewall"] is True
    assert config["net0"]["virtio"].startswith("BC:24:11:")
    assert config["numa"] is False and config["memory"] == 512 and config["cores"] == 4
    assert "digest" not in config and "description" not in config and "ansible_host" not in web01
    assert web01["pve_ostype"] == "l26" and "pve_description" not in web01
    noagent = host_vars(inventory, "noagent01")
    assert noagent["pve_description"] == "No guest agent: address from cloud-init\nowner: test team"
    assert noagent["pve_ostype"] == "win11"
    ct = host_vars(inventory, "proxy01")["pve_config"]
    assert ct["unprivileged"] is True and ct["net0"]["name"] == "eth0" and ct["net0"]["ip"] == "10.0.1.5/24"


def test_description_is_bounded(tmp_path):
    scenario = {"nodes": [{"name": "pve1", "ip": "10.9.0.1"}], "guests": [
        {"vmid": 100, "name": "big", "node": "pve1", "config": {"description": "x" * 8192}}]}
    inventory, _asked = sim_inventory(tmp_path, "pve9", "guest_config: true\n", scenario)
    assert len(host_vars(inventory, "big")["pve_description"]) == 2048
