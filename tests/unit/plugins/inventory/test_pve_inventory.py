# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""pve.cluster.pve: hosts, hostvars, groups, hostnames, filters, constructed options (on the real samples)."""

from __future__ import annotations

import json
import threading

import pytest
import responses

from ansible_collections.pve.cluster.tests.unit.plugins.inventory._helpers import (
    BASE, RES_4NODE, RES_VM, STATUS_4NODE, STATUS_STANDALONE, add_base, four_node, group_hosts, host_vars, load_inventory, parse_direct,
    sample_data, write_source,
)


def test_default_hosts_vars_groups_from_samples(tmp_path, mock_api):
    four_node(mock_api)
    inventory = load_inventory(write_source(tmp_path, ""))

    assert len(mock_api.calls) == 2
    assert sorted(inventory.hosts) == ["VM 200", "machine-test", "node1", "node2", "node3", "node4", "server1"]
    assert host_vars(inventory, "server1") == SERVER1_LEAN
    assert host_vars(inventory, "node1") == NODE1_LEAN
    assert host_vars(inventory, "machine-test")["pve_tags"] == ["go-proxmox+cloud-init"]
    assert group_hosts(inventory, "pve_nodes") == ["node1", "node2", "node3", "node4"]
    assert group_hosts(inventory, "pve_qemu") == ["VM 200", "machine-test", "server1"]
    assert group_hosts(inventory, "pve_running") == ["server1"]
    assert group_hosts(inventory, "pve_stopped") == ["VM 200", "machine-test"]
    assert group_hosts(inventory, "pve_node_node1") == ["VM 200", "machine-test"]
    assert group_hosts(inventory, "pve_node_node2") == ["server1"]
    assert group_hosts(inventory, "pve_tag_go_proxmox_cloud_init") == ["machine-test"]
    assert "pve_templates" not in inventory.groups
    assert "pve_lxc" not in inventory.groups


SERVER1_LEAN = {
    "pve_vmid": 100, "pve_name": "server1", "pve_node": "node2", "pve_type": "qemu", "pve_status": "running",
    "pve_template": False, "pve_tags": [], "pve_cluster": "clustername", "pve_node_ip": "192.168.1.2",
}
NODE1_LEAN = {
    "ansible_host": "192.168.1.1", "pve_node": "node1", "pve_type": "node", "pve_status": "online",
    "pve_ip": "192.168.1.1", "pve_nodeid": 1, "pve_cluster": "clustername",
}


def test_filters_and_constructed_options_see_every_field_without_include_metrics(tmp_path, mock_api):
    """pve_maxmem, pve_netin, pve_cpu, pve_maxcpu and pve_id are no host variables by default, yet filters, hostname,
    compose, groups and keyed_groups read them; only what compose sets is stored."""
    four_node(mock_api)
    inventory = load_inventory(write_source(tmp_path, """
filters: ["pve_maxmem > 1000000000", "pve_type == 'node' or pve_netin > 0"]
hostname: "{{ pve_name }}-{{ pve_id | replace('/', '-') }}"
compose:
  ansible_user: "'root' if pve_type == 'node' else 'admin'"
  mem_label: "'%d GiB' % (pve_maxmem // 1073741824)"
  pve_id: pve_id
groups:
  big: pve_maxmem > 16000000000
  busy: pve_type != 'node' and pve_cpu > 0.02
keyed_groups:
  - key: pve_maxcpu | string
    prefix: cpus
  - key: pve_node
    prefix: "on"
  - key: pve_status
    prefix: by_status
    parent_group: statuses
"""))
    assert sorted(inventory.hosts) == ["node1", "node2", "node3", "node4", "server1-qemu-100"]
    server = host_vars(inventory, "server1-qemu-100")
    assert server["ansible_user"] == "admin" and server["mem_label"] == "1 GiB" and server["pve_id"] == "qemu/100"
    assert not set(server) & {"pve_maxmem", "pve_cpu", "pve_netin", "pve_maxcpu"}
    assert host_vars(inventory, "node1")["ansible_user"] == "root"
    assert group_hosts(inventory, "big") == ["node1", "node2", "node3", "node4"]
    assert group_hosts(inventory, "busy") == ["server1-qemu-100"]
    assert "server1-qemu-100" in group_hosts(inventory, "cpus_1")
    assert group_hosts(inventory, "on_node2") == ["node2", "server1-qemu-100"]
    assert sorted(g.name for g in inventory.groups["statuses"].child_groups) == ["by_status_online", "by_status_running"]


def test_pools_standalone_unnamed_and_duplicate_guests(tmp_path, mock_api, warnings):
    add_base(mock_api, sample_data(RES_VM), sample_data(STATUS_STANDALONE))
    inventory = load_inventory(write_source(tmp_path, ""))

    # lxc/102 and lxc/104 are both "test-lxc.home.arpa" in this real sample; lxc/105 has an empty name.
    # The suffix goes after the first label: test-lxc-104.home.arpa, not test-lxc.home.arpa-104.
    assert sorted(inventory.hosts) == ["lxc-105", "pve", "pxe.home.arpa", "test-lxc-104.home.arpa", "test-lxc.home.arpa",
                                       "test1", "test1-lxc.home.arpa"]
    assert host_vars(inventory, "test-lxc.home.arpa")["pve_vmid"] == 102
    assert host_vars(inventory, "test-lxc-104.home.arpa")["pve_vmid"] == 104
    assert host_vars(inventory, "lxc-105")["pve_name"] == ""
    assert [w for w in warnings if "test-lxc.home.arpa -> test-lxc-104.home.arpa (lxc/104)" in w]
    assert group_hosts(inventory, "pve_pool_pool1") == ["lxc-105", "test-lxc-104.home.arpa", "test1", "test1-lxc.home.arpa"]
    assert host_vars(inventory, "test1")["pve_pool"] == "pool1"
    assert "pve_pool" not in host_vars(inventory, "pxe.home.arpa")
    assert host_vars(inventory, "pxe.home.arpa")["pve_cluster"] is None
    node = host_vars(inventory, "pve")
    assert node["pve_status"] == "online" and node["ansible_host"] == "192.168.1.2" and node["pve_nodeid"] == 0
    assert node["pve_cluster"] is None


WEBS = {"qemu/100": "web", "qemu/200": "web"}  # server1 (running) and VM 200 (stopped)


@pytest.mark.parametrize("names, options, expected, warning", [
    # {host: its pve_vmid (None: the node)}; a host mapped to False is absent
    ({"qemu/100": "node1", "qemu/102": "node1"}, "", {"node1": None, "node1-100": 100, "node1-102": 102},
     "2 guest(s) share a hostname"),
    # the suffix does not depend on which guests are listed: qemu/100 has "web" whether it is listed or not
    (WEBS, "", {"web": 100, "web-200": 200}, "web -> web-200 (qemu/200)"),
    (WEBS, "filters: ['pve_vmid != 100']\n", {"web": False, "web-200": 200}, None),
    (WEBS, "include_nodes: false\nfilters: ['pve_vmid > 150']\n", {"web": False, "web-200": 200}, None),
    # the same name as the template qemu/101 (lower vmid), listed or not
    ({"qemu/102": "leap154"}, "", {"leap154": False, "leap154-102": 102}, None),
    ({"qemu/102": "leap154"}, "include_templates: true\n", {"leap154": 101, "leap154-102": 102}, None),
    # node_hostname: the same rules; a failing one without strict gives the node's own name
    ({}, "node_hostname: hv.example.com\n", {"hv.example.com": None, "hv-node2.example.com": None},
     "hv.example.com -> hv-node2.example.com (node/node2)"),
    ({}, "node_hostname: pve_nodes\n", {"node-pve_nodes": None, "pve_nodes-node2": None}, None),  # our own group's name
    ({}, "node_hostname: '{{ pve_node_missing }}'\n", {"node1": None, "node4": None}, None),
])
def test_duplicate_names(tmp_path, mock_api, warnings, names, options, expected, warning):
    resources = sample_data(RES_4NODE)
    for row in resources:
        row["name"] = names.get(row.get("id"), row.get("name"))
    add_base(mock_api, resources, sample_data(STATUS_4NODE))
    inventory = load_inventory(write_source(tmp_path, options))
    for host, vmid in expected.items():
        if vmid is False:
            assert host not in inventory.hosts
        else:
            assert host_vars(inventory, host).get("pve_vmid") == vmid, host
            assert vmid or host in group_hosts(inventory, "pve_nodes")
    assert warning is None or any(warning in w for w in warnings), warnings


def test_prefixes_and_include_templates(tmp_path, mock_api):
    four_node(mock_api)
    inventory = load_inventory(write_source(tmp_path, "facts_prefix: px_\ngroup_prefix: ''\ninclude_templates: true\n"))
    assert host_vars(inventory, "server1")["px_vmid"] == 100 and host_vars(inventory, "leap154")["px_template"] is True
    assert not [k for k in host_vars(inventory, "server1") if k.startswith("pve_")]
    assert group_hosts(inventory, "templates") == ["leap154"]
    assert group_hosts(inventory, "qemu") == ["VM 200", "leap154", "machine-test", "server1"]
    assert group_hosts(inventory, "nodes") == ["node1", "node2", "node3", "node4"]
    assert group_hosts(inventory, "node_node2") == ["server1"]


@pytest.mark.parametrize("options, expected", [
    ("include_nodes: false\nhostname: '{{ pve_vmid }}'\n", ["100", "102", "200"]),
    # undefined -> <type>-<vmid>, with one warning
    ("include_nodes: false\nhostname: '{{ pve_pool }}'\n", ["qemu-100", "qemu-102", "qemu-200"]),
    # filters apply to guests and nodes alike
    ("filters:\n  - pve_type == 'node' or pve_status == 'running'\n  - pve_node != 'node4'\n",
     ["node1", "node2", "node3", "server1"]),
])
def test_hosts_selected_and_named(tmp_path, mock_api, warnings, options, expected):
    four_node(mock_api)
    inventory = load_inventory(write_source(tmp_path, options))
    assert sorted(inventory.hosts) == expected
    assert ("include_nodes: false" in options) == ("pve_nodes" not in inventory.groups)
    assert ("pve_pool" in options) == any("hostname could not be rendered for 3 host(s)" in w for w in warnings)


def test_the_two_reads_are_in_flight_together(tmp_path, mock_api):
    """Each answer waits until both requests have arrived: asked one after the other, they get 500s."""
    both_arrived = threading.Barrier(2, timeout=5)

    def answer(body):
        def callback(_request):
            try:
                both_arrived.wait()
            except threading.BrokenBarrierError:
                return 500, {}, json.dumps({"data": None, "message": "asked one after the other"})
            return 200, {}, json.dumps({"data": body})
        return callback

    mock_api.add_callback(responses.GET, BASE + "/cluster/resources", callback=answer(sample_data(RES_4NODE)))
    mock_api.add_callback(responses.GET, BASE + "/cluster/status", callback=answer(sample_data(STATUS_4NODE)))
    inventory = parse_direct(write_source(tmp_path, ""))
    assert len(mock_api.calls) == 2
    assert "node1" in inventory.hosts
