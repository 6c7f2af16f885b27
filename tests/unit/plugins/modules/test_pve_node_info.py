# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""pve_node_info: main() run in-process, HTTP mocked with `responses` from tests/unit/fixtures/pve-api-samples."""

from __future__ import annotations

import json
import re

import pytest
import responses

from ansible_collections.pve.cluster.plugins.modules import pve_node_info
from ansible_collections.pve.cluster.tests.unit.plugins._in_flight import InFlight
from ansible_collections.pve.cluster.tests.unit.plugins.modules._module_runner import (
    BASE, CONNECTION, body, check_against_docs, return_docs, module_runner, sample, warnings_of,
)

STATUS_SAMPLES = {
    "7.4": "node-status/pve7.4-16_go-proxmox_node1.json",
    "8.4": "node-status/pve8.4.14_pvesh_i7-6700_legacy-bios.json",
    "9.1": "node-status/pve9.1.2_pvexport_n100.json",
}
NETWORK_SAMPLES = [
    "node-network/pve6.2_community-proxmox_inventory_ovs.json",
    "node-network/pve7.4_go-proxmox_node1_bridge.json",
    "node-network/pve7.4_go-proxmox_node2_vlan-aware-ipv6.json",
    "node-network/pve8.x_go-proxmox_node1_vlans-options.json",
]
NODES_SAMPLE = "nodes/pve7.4_go-proxmox_4node.json"
NODE_NAMES = ["node1", "node2", "node3", "node4"]


# -- helpers ---------------------------------------------------------------------------------------
run = module_runner(pve_node_info, CONNECTION)


def add_nodes(api, data=None):
    api.add(responses.GET, BASE + "/nodes", json=data if data is not None else body(NODES_SAMPLE))


def add_status(api, node, version="9.1"):
    api.add(responses.GET, BASE + "/nodes/%s/status" % node, json=body(STATUS_SAMPLES[version]))


def add_network(api, node, sample_name=NETWORK_SAMPLES[1]):
    api.add(responses.GET, BASE + "/nodes/%s/network" % node, json=body(sample_name))


# -- the normal path -------------------------------------------------------------------------------
def test_default_gathers_status_of_every_node_sorted(api, capsys):
    data = body(NODES_SAMPLE)
    data["data"].reverse()  # PVE's order is arbitrary: the result must still be sorted
    add_nodes(api, data)
    versions = {"node1": "7.4", "node2": "8.4", "node3": "9.1", "node4": "9.1"}  # a cluster in an upgrade
    for node, version in versions.items():
        add_status(api, node, version)
        add_network(api, node)
    result = run.ok(capsys)
    assert result["changed"] is False
    assert [n["node"] for n in result["nodes"]] == NODE_NAMES
    first = result["nodes"][0]
    raw = [r for r in sample(NODES_SAMPLE)["body"]["data"] if r["node"] == "node1"][0]
    for key in ("cpu", "maxcpu", "mem", "maxmem", "disk", "maxdisk", "uptime", "level", "ssl_fingerprint", "status"):
        assert first[key] == raw[key]
    assert first["online"] is True
    got = dict((n["node"], n["node_status"]["pveversion"]) for n in result["nodes"])
    assert got == {"node1": "pve-manager/7.4-16/0f39f621", "node2": "pve-manager/8.4.14/b502d23c55afcba1",
                   "node3": "pve-manager/9.1.2/9d436f37a0ac4172", "node4": "pve-manager/9.1.2/9d436f37a0ac4172"}
    assert all("network" not in n for n in result["nodes"])  # its requests: test_only_the_nodes_and_parts_asked_for
    assert "warnings" not in result


@pytest.mark.parametrize("args, asked, nodes", [
    ({}, ["/nodes/%s/status" % node for node in NODE_NAMES], NODE_NAMES),  # the default: one status call per node
    ({"gather": ["network", "status", "status"]}, ["/nodes/%s/%s" % (node, part) for node in NODE_NAMES
                                                   for part in ("network", "status")], NODE_NAMES),  # named twice, read once
    ({"gather": []}, [], NODE_NAMES),  # the node list, no details
    ({"name": ["node4", "node2", "node4"]}, ["/nodes/node2/status", "/nodes/node4/status"], ["node2", "node4"]),  # alias
    ({"name": ["node3"], "gather": ["network"], "network_type": "any_bridge"}, ["/nodes/node3/network?type=any_bridge"],
     ["node3"]),  # network_type is PVE's own type filter
], ids=["default", "both parts", "no part", "two nodes", "bridges of one node"])
def test_only_the_nodes_and_parts_asked_for(api, capsys, args, asked, nodes):
    add_nodes(api)
    for node in NODE_NAMES:
        add_status(api, node)
        add_network(api, node)
    result = run.ok(capsys, args)
    assert [n["node"] for n in result["nodes"]] == nodes
    assert sorted(c.request.url for c in api.calls) == [BASE + path for path in ["/nodes"] + asked]


# -- concurrency -----------------------------------------------------------------------------------
def test_per_node_calls_run_concurrently_and_bounded(api, capsys):
    row = body(NODES_SAMPLE)["data"][0]  # 20 nodes; the bound for fewer jobs: module_utils test_parallel.py
    add_nodes(api, {"data": [dict(row, node="n%02d" % index, id="node/n%02d" % index) for index in range(20)]})
    status_body = json.dumps(body(STATUS_SAMPLES["9.1"]))
    slow = InFlight(lambda _request: (200, {"Content-Type": "application/json"}, status_body), delay=0.3, wait_for=8)
    api.add_callback(responses.GET, re.compile(re.escape(BASE) + r"/nodes/n\d+/status$"), callback=slow)
    result = run.ok(capsys)
    assert len(result["nodes"]) == 20
    assert slow.peak == 8  # that many requests in flight at once: concurrent, and bounded


# -- unreachable nodes (offline ones: test_node_errors.py) ----------------------------------------
@pytest.mark.parametrize("status", [595, 596])
def test_unreachable_node_is_online_false_with_warning(api, capsys, status):
    add_nodes(api)
    for node in NODE_NAMES:
        if node == "node2":
            api.add(responses.GET, BASE + "/nodes/node2/status", status=status, body="")
        else:
            add_status(api, node)
        add_network(api, node)
    result = run.ok(capsys, dict(gather=["status", "network"]))
    node2 = [n for n in result["nodes"] if n["node"] == "node2"][0]
    assert node2["online"] is False
    # the network call of node2 succeeded, but a half-answered node gets no details at all
    assert "node_status" not in node2 and "network" not in node2
    warnings = warnings_of(result)
    assert len(warnings) == 1
    assert "node2" in warnings[0] and "HTTP %d" % status in warnings[0]
    assert sum(1 for n in result["nodes"] if n["online"]) == 3


# -- RETURN docs cannot drift from what the module returns -----------------------------------------
def test_return_docs_match_results_for_all_samples(api, capsys):
    returns = return_docs(pve_node_info)
    seen = set()
    # node1..node4 with every status sample and every network sample, plus one offline node
    data = body(NODES_SAMPLE)
    data["data"].append({"id": "node/node5", "level": "", "node": "node5", "status": "offline", "type": "node"})
    add_nodes(api, data)
    versions = ["7.4", "8.4", "9.1", "9.1"]
    for node, version, network in zip(NODE_NAMES, versions, NETWORK_SAMPLES):
        add_status(api, node, version)
        add_network(api, node, network)
    result = run.ok(capsys, dict(gather=["status", "network"]))
    assert set(result) - {"changed", "invocation", "warnings"} == set(returns)
    for key, spec in returns.items():
        check_against_docs(result[key], spec, key, seen)
    for node, network in zip(result["nodes"], NETWORK_SAMPLES):  # every interface, sorted by name, no key added
        raw = sorted(sample(network)["body"]["data"], key=lambda row: row["iface"])
        assert [set(i) for i in node["network"]] == [set(k.replace("-", "_") for k in row) for row in raw]
        assert [i["iface"] for i in node["network"]] == [row["iface"] for row in raw]
    # the deepest documented parts were really exercised
    for key in ("nodes[].node_status", "nodes[].network", "nodes[].node_status.boot_info.secureboot",
                "nodes[].node_status.memory.available", "nodes[].network[].vlan_id", "nodes[].ssl_fingerprint"):
        assert key in seen, key
