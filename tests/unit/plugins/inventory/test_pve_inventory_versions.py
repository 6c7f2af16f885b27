# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""pve.cluster.pve against the simulator's PVE version profiles: offline nodes and container addresses."""

from __future__ import annotations

import pytest

from ansible_collections.pve.cluster.tests.unit.plugins.inventory._helpers import group_hosts, host_vars, sim_inventory
from ansible_collections.pve.cluster.tests.unit.plugins.modules._module_runner import (
    ALL_PROFILES, SMOKE_PROFILES, demo_scenario)


def agent_run_with_pve3_down(tmp_path, warnings, profile, down_for):
    """(inventory, the one offline warning) of a guest_agent run; asserts nothing was asked of pve3's guests."""
    inventory, asked = sim_inventory(tmp_path, profile, "ansible_host: guest_agent\ninclude_metrics: true\n",
                                     demo_scenario(down_for=down_for))
    assert not [p for p in asked if p.startswith("/nodes/pve3/")], asked
    found = [w for w in warnings if "offline" in w]
    assert len(found) == 1, warnings
    return inventory, found[0]


@pytest.mark.parametrize("profile", SMOKE_PROFILES)
def test_guests_of_a_node_down_for_10_minutes(tmp_path, warnings, profile):
    """No name, no template flag: <type>-<vmid>, pve_template null, kept; one warning; no request for them."""
    inventory, warning = agent_run_with_pve3_down(tmp_path, warnings, profile, 600)
    names = {"qemu-128", "qemu-129", "lxc-130", "qemu-131", "qemu-132", "lxc-133", "qemu-134"}
    assert names <= set(inventory.hosts)
    record = host_vars(inventory, "qemu-129")
    assert record["pve_template"] is None and record["pve_status"] == "unknown" and record["pve_pool"] == "prod"
    assert "ansible_host" not in record and "pve_mem" not in record
    assert "qemu-128" in group_hosts(inventory, "pve_unknown")
    assert "tpl-debian12" not in inventory.hosts  # a template of an online node stays out
    assert "pve3 (7 guests, 7 without name or template flag)" in warning
    # two lines of a 100-column terminal at most, as ansible-core prints it; the details are in ansible-doc
    shown = "[WARNING]: " + (warning if warning.startswith("pve.cluster.pve: ") else "pve.cluster.pve: " + warning)
    assert len(shown) <= 200 and "\n" not in shown, shown
    assert shown.endswith("(details: ansible-doc -t inventory pve.cluster.pve)"), shown
    assert not [w for w in warnings if "no address from the guest agent" in w and "pve3" in w]


@pytest.mark.parametrize("profile", SMOKE_PROFILES)
def test_guests_of_a_node_down_for_2_minutes(tmp_path, warnings, profile):
    """Inside the RRD window PVE still reports the last state ("running"): names kept, still no agent request."""
    inventory, warning = agent_run_with_pve3_down(tmp_path, warnings, profile, 120)
    record = host_vars(inventory, "web04")
    assert record["pve_status"] == "running" and record["pve_template"] is False
    assert "pve3 (7 guests)" in warning


@pytest.mark.parametrize("profile", ALL_PROFILES)
def test_container_addresses_on_every_version(tmp_path, warnings, profile):
    inventory, asked = sim_inventory(tmp_path, profile, "ansible_host: guest_agent\ninclude_nodes: false\n")
    lxc_asked = [p for p in asked if "/lxc/" in p]
    cache = host_vars(inventory, "cache01")
    dns = host_vars(inventory, "dns01")
    if profile == "pve7":
        # no such endpoint: one container asked, one warning for the cluster, none per container
        assert len(lxc_asked) == 1
        assert "ansible_host" not in cache and "501" in cache["pve_agent_error"]
        found = [w for w in warnings if "lxc/{vmid}/interfaces" in w]
        assert len(found) == 1 and "PVE 8.1" in found[0], warnings
        assert not [w for w in warnings if "no address from the guest agent" in w and "lxc/" in w]
    else:
        # pve8.1: only inet/inet6 ("10.0.3.10/24"); pve8 and pve9: ip-addresses as well
        assert cache["ansible_host"] == "10.0.3.10"
        assert dns["pve_ip_addresses"] == ["127.0.0.1", "::1", "192.168.10.2", "fd00:10::2"]
        assert not [w for w in warnings if "lxc/{vmid}/interfaces" in w]
    assert host_vars(inventory, "web01")["ansible_host"] == "10.0.1.10"  # qemu via the agent (IPv4 by default), every version


def test_guests_of_a_silent_node_are_asked_once(tmp_path, warnings):
    """A node seen online that never answers: each guest's read times out once, not api_retries times (pve2 keeps its
    VMs only: its containers would cost a second api_timeout, asked after the first container's answer)."""
    scenario = demo_scenario(down_for=600, proxy_timeout=30)
    scenario.nodes[1].unresponsive = True  # pve2
    scenario.guests = [g for g in scenario.guests if not (g.node == "pve2" and g.type == "lxc")]
    inventory, asked = sim_inventory(tmp_path, "pve9", "ansible_host: guest_agent\napi_timeout: 3\napi_retries: 3\n", scenario)
    asked = [p for p in asked if p.startswith("/nodes/pve2/")]
    assert asked and len(asked) == len(set(asked)), asked
    silent = [h for h in inventory.hosts.values() if h.vars.get("pve_node") == "pve2" and h.vars.get("pve_agent_error")]
    assert len(silent) == len(asked) and all("api_timeout=3s" in h.vars["pve_agent_error"] for h in silent)
    assert host_vars(inventory, "web01")["ansible_host"] == "10.0.1.10"
