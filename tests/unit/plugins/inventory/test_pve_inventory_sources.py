# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Host names across inventory sources: join_existing_hosts, two clusters never merge, one cluster in two files, a
static file read later, names that would load host_vars from elsewhere. A guest named like a static host and two
standalone hosts both named pve: integration inventory_user_files."""

from __future__ import annotations

import pytest

from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader

from ansible_collections.pve.cluster.tests.unit.plugins.inventory._helpers import (
    BASE, TOKEN_CONFIG, add_agent, agent_answer, guest, host_vars, load_inventory, one_node, write_source)

BASE2 = "https://pve2.example.com:8006/api2/json"
STATIC = "bastion ansible_host=192.0.2.10 ansible_user=admin ansible_password=static-admin-pw\n"


def _serve(mock, base, guest_name="bastion", agent_ip=None, cluster=None):
    one_node(mock, guest(100, guest_name, node="pve"), guest(101, "web", node="pve"), node="pve", ip="198.51.100.2",
             cluster=cluster, base=base)
    for vmid in (100, 101) if agent_ip else ():
        add_agent(mock, vmid, base=base, json={"data": agent_answer(agent_ip)})


def _source(tmp_path, name, host="pve.example.com", body=""):
    return write_source(tmp_path, body, name, TOKEN_CONFIG.replace("pve.example.com", host))


@pytest.mark.reliability(
    theme="hostile round two", case='1 join_existing_hosts keeps the static ansible_host',
    expected=('With join_existing_hosts: true the VM joins bastion (its pve_* variables and groups), but '
              "neither the agent's address nor compose replaces the static ansible_host."))
def test_join_existing_hosts_keeps_the_other_sources_address(tmp_path, mock_api, warnings):
    (tmp_path / "01-static.ini").write_text(STATIC)
    _source(tmp_path, "02-cluster.pve.yml", body=(
        "ansible_host: guest_agent\njoin_existing_hosts: true\ncompose:\n  ansible_host: pve_ip_addresses[0]\n"))
    _serve(mock_api, BASE, agent_ip="203.0.113.66")
    inventory = load_inventory(tmp_path / "01-static.ini", tmp_path / "02-cluster.pve.yml")
    bastion = host_vars(inventory, "bastion")
    assert bastion["pve_vmid"] == 100 and bastion["ansible_password"] == "static-admin-pw"
    assert bastion["ansible_host"] == "192.0.2.10"  # neither the agent's address nor compose replaced it
    assert "pve_qemu" in [g.name for g in inventory.get_host("bastion").get_groups()]
    assert host_vars(inventory, "web")["ansible_host"] == "203.0.113.66"  # no other source: as usual
    assert not any("renamed" in w for w in warnings)


@pytest.mark.reliability(
    theme="hostile round two", case='1 two clusters share host names',
    expected=('Two pve.cluster.pve sources for different connections, both with node pve and guests db and '
              'web: six hosts, the later ones <name>-<cluster or api host>, one warning.'))
def test_two_clusters_never_merge(tmp_path, mock_api, warnings):
    """The second cluster has a name (lab2): its suffix. Without one, the API host's: inventory_user_files."""
    suffix = "lab2"
    _source(tmp_path, "a.pve.yml")
    _source(tmp_path, "b.pve.yml", host="pve2.example.com")
    _serve(mock_api, BASE, guest_name="db")
    _serve(mock_api, BASE2, guest_name="db", cluster="lab2")
    inventory = load_inventory(tmp_path / "a.pve.yml", tmp_path / "b.pve.yml")
    assert sorted(inventory.hosts) == sorted(["pve", "db", "web"] + ["pve-" + suffix, "db-" + suffix, "web-" + suffix])
    assert host_vars(inventory, "pve")["ansible_host"] == "198.51.100.2"
    assert [w for w in warnings if "another pve.cluster.pve source" in w and "web -> web-%s (qemu/101)" % suffix in w]


def test_the_same_cluster_in_two_files_is_one_host(tmp_path, mock_api, warnings):
    """Two files that split one cluster (qemu here, nodes there) add the same machines: no rename."""
    _source(tmp_path, "a.pve.yml", body="guest_types: [qemu]\n")
    _source(tmp_path, "b.pve.yml", body="filters: [\"pve_type == 'node' or pve_vmid == 101\"]\n")
    _serve(mock_api, BASE)
    _serve(mock_api, BASE)
    inventory = load_inventory(tmp_path / "a.pve.yml", tmp_path / "b.pve.yml")
    assert sorted(inventory.hosts) == ["bastion", "pve", "web"]
    assert not any("renamed" in w for w in warnings)


def test_a_static_file_read_later_is_ansibles_merge(tmp_path, mock_api):
    """Documented limit: a source read after this one adds to the host as Ansible does."""
    _source(tmp_path, "01-cluster.pve.yml")
    (tmp_path / "02-static.ini").write_text("web owner=team-web\n")
    _serve(mock_api, BASE)
    inventory = load_inventory(tmp_path / "01-cluster.pve.yml", tmp_path / "02-static.ini")
    assert host_vars(inventory, "web")["owner"] == "team-web" and host_vars(inventory, "web")["pve_vmid"] == 101


@pytest.mark.reliability(
    theme="hostile round two", case='13 guest named ../../../outside/loot',
    expected=('A guest named ../../../outside/loot, .. or a\\\\..\\\\b: named qemu-100 with a warning; host_vars '
              'never loads ../outside/loot.yml, other host_vars still load.'))
@pytest.mark.parametrize("name", ["../../../outside/loot", "..", "a\\..\\b"])
def test_a_guest_name_never_names_a_file_outside_the_inventory(tmp_path, mock_api, warnings, name):
    inventory_dir = tmp_path / "a" / "b" / "inv"
    (inventory_dir / "host_vars").mkdir(parents=True)
    (tmp_path / "a" / "outside").mkdir()
    (tmp_path / "a" / "outside" / "loot.yml").write_text("stolen: true\n")
    (inventory_dir / "host_vars" / "web.yml").write_text("mine: true\n")
    _source(inventory_dir, "cluster.pve.yml")
    _serve(mock_api, BASE, guest_name=name)
    manager = InventoryManager(loader=DataLoader(), sources=[str(inventory_dir)])
    from ansible.vars.manager import VariableManager
    variables = VariableManager(loader=DataLoader(), inventory=manager)
    assert sorted(manager.hosts) == ["pve", "qemu-100", "web"]
    assert variables.get_vars(host=manager.get_host("qemu-100"))["pve_name"] == name
    assert "stolen" not in variables.get_vars(host=manager.get_host("qemu-100"))
    assert variables.get_vars(host=manager.get_host("web"))["mine"] is True  # host_vars still work
    assert any("no valid PVE guest or node name" in w and "(qemu/100)" in w for w in warnings)
