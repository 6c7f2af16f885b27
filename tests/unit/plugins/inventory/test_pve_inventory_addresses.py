# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Which address becomes ansible_host, against the simulator (issue 24); pve_node_ip only from an address;
pve_interfaces. The choice among an agent's addresses: plugin_utils/test_inventory_pick_address.py."""

from __future__ import annotations

import pytest

from ansible_collections.pve.cluster.tests.unit.plugins.inventory._helpers import (
    host_vars, parse_direct, sim_inventory, sim_source)
from ansible_collections.pve.cluster.tests.unit.plugins.modules._module_runner import profile_sim


def agent_inventory(tmp_path, profile, body):
    return sim_inventory(tmp_path, profile, "ansible_host: guest_agent\ninclude_nodes: false\n" + body)[0]


def test_node_ip_only_an_address(tmp_path):
    """A node whose /cluster/status ip is a name (never resolved) or missing gives its guests no pve_node_ip."""
    scenario = {"cluster": "c", "nodes": [{"name": "pve1", "ip": "pve1.example.com"}, {"name": "pve2", "ip": "10.9.0.2"}],
                "guests": [{"vmid": 100, "name": "a", "node": "pve1", "type": "qemu", "status": "running"},
                           {"vmid": 101, "name": "b", "node": "pve2", "type": "lxc", "status": "stopped"}]}
    with profile_sim("pve9", scenario) as sim:
        inventory = parse_direct(sim_source(tmp_path, sim))
        no_status = parse_direct(sim_source(tmp_path, sim, "include_nodes: false\n"))
    assert "pve_node_ip" not in host_vars(inventory, "a")
    assert host_vars(inventory, "b")["pve_node_ip"] == "10.9.0.2"
    assert "pve_node_ip" not in host_vars(no_status, "b")


# the example of the ansible_host option's documentation, as printed there
SELECT_ETH0 = "(pve_interfaces | selectattr('name', 'equalto', 'eth0') | first).ipv4 | first | split('/') | first"


@pytest.mark.parametrize("profile", ("pve8.1", "pve9"))
def test_interfaces_as_data(tmp_path, profile):
    """qemu agent answers and container answers (PVE 8.1-8.3: inet/inet6 only) give the same shape; ansible_host_networks
    restricts ansible_host, never pve_ip_addresses or pve_interfaces (which network wins: test_inventory_pick_address)."""
    inventory = agent_inventory(tmp_path, profile, "ansible_host_networks: [10.0.1.0/24]\ncompose:\n  eth0_ip: \"%s\"\n"
                                % SELECT_ETH0)
    web01 = host_vars(inventory, "web01")
    assert web01["pve_interfaces"] == [
        {"name": "lo", "mac": "00:00:00:00:00:00", "ipv4": ["127.0.0.1/8"], "ipv6": ["::1/128"]},
        {"name": "eth0", "mac": web01["pve_interfaces"][1]["mac"], "ipv4": ["10.0.1.10/24"], "ipv6": ["fd00:1::10/64"]}]
    assert web01["pve_interfaces"][1]["mac"].startswith("bc:24:11:")
    dns01 = host_vars(inventory, "dns01")
    assert dns01["pve_interfaces"][1]["ipv4"] == ["192.168.10.2/24"]
    assert dns01["pve_interfaces"][1]["ipv6"] == ["fd00:10::2/64"]
    assert inventory.get_host("web01").vars["eth0_ip"] == "10.0.1.10"
    assert inventory.get_host("dns01").vars["eth0_ip"] == "192.168.10.2"
    assert "pve_interfaces" not in host_vars(inventory, "win-ad01")  # the lookup failed: no data
    assert web01["ansible_host"] == "10.0.1.10" and "ansible_host" not in dns01  # lo listed first, skipped
    db01 = host_vars(inventory, "db01")  # all its addresses are outside: no IPv4 fallback, its claims kept
    assert "ansible_host" not in db01 and db01["pve_ip_addresses"] == ["127.0.0.1", "::1", "10.0.2.10"]


def test_interfaces_shapes():
    from ansible_collections.pve.cluster.plugins.plugin_utils import _inventory_agent as agent
    answer = {"result": [
        {"name": "ens18", "hardware-address": "bc:24:11:aa:bb:cc", "ip-addresses": [
            {"ip-address": "10.0.0.5", "ip-address-type": "ipv6", "prefix": 24},      # type claimed wrong: family wins
            {"ip-address": "fe80::1%ens18", "ip-address-type": "ipv6", "prefix": "64"},
            {"ip-address": "2001:db8::5", "prefix": 999},                             # bad prefix: address only
            {"ip-address": "not-an-address", "prefix": 8}, "junk", {"prefix": 8}]},
        {"hardware-address": 5}]}
    assert agent.interfaces(answer) == [
        {"name": "ens18", "mac": "bc:24:11:aa:bb:cc", "ipv4": ["10.0.0.5/24"], "ipv6": ["fe80::1/64", "2001:db8::5"]},
        {"name": None, "mac": None, "ipv4": [], "ipv6": []}]
    lxc_81 = [{"name": "eth0", "hwaddr": "bc:24:11:00:00:01", "inet": "10.0.3.10/24", "inet6": "fd00::3/64"}]
    assert agent.interfaces(lxc_81) == [
        {"name": "eth0", "mac": "bc:24:11:00:00:01", "ipv4": ["10.0.3.10/24"], "ipv6": ["fd00::3/64"]}]
    assert agent.interfaces(None) == []
