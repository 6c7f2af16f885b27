# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""pve_cluster_info: main() run in-process, HTTP mocked with `responses` from tests/unit/fixtures/pve-api-samples."""

from __future__ import annotations


import pytest
import responses
import yaml
from responses import matchers

from ansible_collections.pve.cluster.plugins.modules import pve_cluster_info
from ansible_collections.pve.cluster.tests.unit.plugins.module_utils._samples import schema_choices
from ansible_collections.pve.cluster.tests.unit.plugins.modules._module_runner import (
    BASE, CONNECTION, body, check_against_docs, return_docs, module_runner, sample,
)

STATUS_3NODE = "cluster-status/community-proxmox_3node-devcluster.json"
STATUS_STANDALONE = "cluster-status/community-proxmox_standalone-node.json"
STATUS_4NODE = "cluster-status/pve7.4_go-proxmox_4node.json"
RESOURCES_ALL = [
    "cluster-resources/ha-proxmoxve_single-node_lxc-qemu-storage-sdn.json",
    "cluster-resources/pve7.4_go-proxmox_4node_qemu-template-storage.json",
    "cluster-resources/px_single-node_qemu-lxc-nfs-sdn.json",
]
RESOURCES_VM = "cluster-resources/community-proxmox_vm-info_type-vm_qemu-lxc-pool.json"
RESOURCES_NODE = "cluster-resources/community-proxmox_3node_type-node.json"


run = module_runner(pve_cluster_info, CONNECTION)


def add_status(api, name=STATUS_3NODE):
    api.add(responses.GET, BASE + "/cluster/status", json=body(name))


def add_resources(api, name=RESOURCES_ALL[0], **kwargs):
    api.add(responses.GET, BASE + "/cluster/resources", json=body(name), **kwargs)


# -- /cluster/status -------------------------------------------------------------------------------
def test_three_node_cluster_status(api, capsys):
    add_status(api)
    add_resources(api)
    result = run.ok(capsys)
    assert result["changed"] is False
    assert result["cluster"] == {"name": "devcluster", "quorate": True, "nodes": 3, "version": 3}
    assert result["cluster_nodes"] == [
        {"name": "srv-proxmox-01", "nodeid": 1, "ip": "192.168.1.21", "online": True, "local": False, "level": ""},
        {"name": "srv-proxmox-02", "nodeid": 2, "ip": "192.168.1.22", "online": True, "local": False, "level": ""},
        {"name": "srv-proxmox-03", "nodeid": 3, "ip": "192.168.1.23", "online": True, "local": True, "level": ""},
    ]
    assert len(api.calls) == 2


def test_four_node_cluster_sorted_by_name(api, capsys):
    add_status(api, STATUS_4NODE)
    result = run.ok(capsys, dict(gather=["status"]))
    assert result["cluster"] == {"name": "clustername", "quorate": True, "nodes": 4, "version": 4}
    assert [n["name"] for n in result["cluster_nodes"]] == ["node1", "node2", "node3", "node4"]
    assert [n["local"] for n in result["cluster_nodes"]] == [True, False, False, False]


def test_standalone_node_has_null_cluster(api, capsys):
    add_status(api, STATUS_STANDALONE)
    result = run.ok(capsys, dict(gather=["status"]))
    assert "cluster" in result and result["cluster"] is None
    assert result["cluster_nodes"] == [
        {"name": "pve", "nodeid": 0, "ip": "192.168.1.2", "online": True, "local": True, "level": ""}]


def test_not_quorate_and_offline_node(api, capsys):
    data = body(STATUS_3NODE)
    for row in data["data"]:
        if row["type"] == "cluster":
            row["quorate"] = 0
        elif row["name"] != "srv-proxmox-03":
            row["online"] = 0
    api.add(responses.GET, BASE + "/cluster/status", json=data)
    result = run.ok(capsys, dict(gather=["status"]))
    assert result["cluster"]["quorate"] is False
    assert [n["online"] for n in result["cluster_nodes"]] == [False, False, True]


# -- /cluster/resources ----------------------------------------------------------------------------
@pytest.mark.parametrize("name", RESOURCES_ALL + [RESOURCES_VM, RESOURCES_NODE])
def test_resources_are_normalised(api, capsys, name):
    add_resources(api, name)
    result = run.ok(capsys, dict(gather=["resources"]))
    raw = sample(name)["body"]["data"]
    got = result["resources"]
    assert [r["id"] for r in got] == [r["id"] for r in raw]  # PVE's order, nothing dropped
    for row, item in zip(raw, got):
        assert set(item) == set(k.replace("-", "_") for k in row)
        if "template" in row:
            assert item["template"] is bool(row["template"])
        if "shared" in row:
            assert item["shared"] is bool(row["shared"])
        if "cgroup-mode" in row:
            assert item["cgroup_mode"] == row["cgroup-mode"]
        if "vmid" in row:
            assert item["vmid"] == int(row["vmid"])
        for key in ("name", "node", "status", "maxmem", "content", "plugintype"):
            if key in row:
                assert item[key] == row[key]


def test_tags_become_a_list(api, capsys):
    data = body(RESOURCES_ALL[1])
    data["data"][0]["tags"] = "prod;web"
    api.add(responses.GET, BASE + "/cluster/resources", json=data)
    result = run.ok(capsys, dict(gather=["resources"]))
    by_id = dict((r["id"], r) for r in result["resources"])
    assert by_id["qemu/100"]["tags"] == ["prod", "web"]
    assert by_id["qemu/102"]["tags"] == ["go-proxmox+cloud-init"]
    assert "tags" not in by_id["qemu/101"]


@pytest.mark.parametrize("rtype, name", [("vm", RESOURCES_VM), ("node", RESOURCES_NODE)])
def test_resource_type_is_sent_as_pve_type_filter(api, capsys, rtype, name):
    add_resources(api, name, match=[matchers.query_param_matcher({"type": rtype})])
    result = run.ok(capsys, dict(gather=["resources"], resource_type=rtype))
    assert len(result["resources"]) == len(sample(name)["body"]["data"])
    assert len(api.calls) == 1


def test_no_type_param_by_default(api, capsys):
    add_resources(api, match=[matchers.query_param_matcher({})])
    run.ok(capsys, dict(gather=["resources"]))


# -- only what was asked for -----------------------------------------------------------------------
@pytest.mark.parametrize("gather, asked, left_out", [
    (["status"], ["/cluster/status"], {"resources"}),
    (["resources", "resources"], ["/cluster/resources"], {"cluster", "cluster_nodes"}),
    ([], [], {"cluster", "cluster_nodes", "resources"}),
])
def test_only_what_gather_asks_for(api, capsys, gather, asked, left_out):
    add_status(api)
    add_resources(api)
    result = run.ok(capsys, dict(gather=gather))
    assert not set(result) & left_out
    assert [c.request.url for c in api.calls] == [BASE + path for path in asked]


# -- errors ----------------------------------------------------------------------------------------
def test_resources_error_names_the_filter(api, capsys):
    api.add(responses.GET, BASE + "/cluster/resources", status=500, json={"data": None, "message": "boom"})
    result = run.fails(capsys, dict(gather=["resources"], resource_type="storage"))
    assert "GET /cluster/resources?type=storage" in result["msg"] and "HTTP 500 boom" in result["msg"]


def test_resource_type_choices_match_pve_schema():
    enum = schema_choices("/cluster/resources", "type")
    assert pve_cluster_info.ARGUMENT_SPEC["resource_type"]["choices"] == enum
    assert yaml.safe_load(pve_cluster_info.DOCUMENTATION)["options"]["resource_type"]["choices"] == enum


# -- RETURN docs cannot drift from what the module returns -----------------------------------------
@pytest.mark.parametrize("status_name", [STATUS_3NODE, STATUS_STANDALONE, STATUS_4NODE])
def test_return_docs_match_results_for_all_samples(capsys, status_name):
    returns = return_docs(pve_cluster_info)
    seen = set()
    for resources_name in RESOURCES_ALL + [RESOURCES_VM, RESOURCES_NODE]:
        with responses.RequestsMock() as api:
            add_status(api, status_name)
            add_resources(api, resources_name)
            result, code = run(capsys)
        assert code == 0, result
        assert set(result) - {"changed", "invocation"} == set(returns)
        for key, spec in returns.items():
            check_against_docs(result[key], spec, key, seen)
    for key in ("cluster_nodes[].nodeid", "resources[].template", "resources[].shared", "resources[].cgroup_mode",
                "resources[].pool", "resources[].tags", "resources[].sdn", "resources[].plugintype"):
        assert key in seen, key
    if status_name != STATUS_STANDALONE:
        assert "cluster.quorate" in seen
