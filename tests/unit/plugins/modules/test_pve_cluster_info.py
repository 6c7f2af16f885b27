# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""pve_cluster_info: main() run in-process, HTTP mocked with `responses` from tests/unit/fixtures/pve-api-samples."""

from __future__ import annotations

import pytest
import responses

from ansible_collections.pve.cluster.plugins.modules import pve_cluster_info
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


def add_resources(api, name=RESOURCES_ALL[0]):
    api.add(responses.GET, BASE + "/cluster/resources", json=body(name))


# -- /cluster/status -------------------------------------------------------------------------------
def node(name, nodeid, ip, local=False):
    return {"name": name, "nodeid": nodeid, "ip": ip, "online": True, "local": local, "level": ""}


@pytest.mark.parametrize("name, cluster, nodes", [
    (STATUS_3NODE, {"name": "devcluster", "quorate": True, "nodes": 3, "version": 3},
     [node("srv-proxmox-0%d" % i, i, "192.168.1.2%d" % i, local=i == 3) for i in (1, 2, 3)]),
    (STATUS_4NODE, {"name": "clustername", "quorate": True, "nodes": 4, "version": 4},  # PVE's order: 2, 3, 1, 4
     [node("node%d" % i, i, "192.168.1.%d" % i, local=i == 1) for i in (1, 2, 3, 4)]),
    (STATUS_STANDALONE, None, [node("pve", 0, "192.168.1.2", local=True)]),  # a node without a cluster
], ids=["3 nodes", "4 nodes sorted by name", "standalone"])
def test_cluster_status(api, capsys, name, cluster, nodes):
    add_status(api, name)
    result = run.ok(capsys, dict(gather=["status"]))
    assert result["changed"] is False
    assert "cluster" in result and result["cluster"] == cluster
    assert result["cluster_nodes"] == nodes


# -- only what was asked for -----------------------------------------------------------------------
@pytest.mark.parametrize("args, asked, left_out", [
    ({}, ["/cluster/status", "/cluster/resources"], set()),  # the default: both, resources without a type filter
    ({"gather": ["status"]}, ["/cluster/status"], {"resources"}),
    ({"gather": ["resources", "resources"]}, ["/cluster/resources"], {"cluster", "cluster_nodes"}),
    ({"gather": []}, [], {"cluster", "cluster_nodes", "resources"}),
    # resource_type is PVE's own type filter (sdn is not: test_pve_cluster_info_versions.py)
    ({"gather": ["resources"], "resource_type": "vm"}, ["/cluster/resources?type=vm"], {"cluster", "cluster_nodes"}),
    ({"resource_type": "node"}, ["/cluster/status", "/cluster/resources?type=node"], set()),
])
def test_only_what_gather_asks_for(api, capsys, args, asked, left_out):
    add_status(api)
    add_resources(api)
    result = run.ok(capsys, args)
    assert not set(result) & left_out
    assert [c.request.url for c in api.calls] == [BASE + path for path in asked]


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
        raw = sample(resources_name)["body"]["data"]  # PVE's order, no row dropped, no key added
        assert [set(r) for r in result["resources"]] == [set(k.replace("-", "_") for k in row) for row in raw]
        assert [r["id"] for r in result["resources"]] == [row["id"] for row in raw]
    for key in ("cluster_nodes[].nodeid", "resources[].template", "resources[].shared", "resources[].cgroup_mode",
                "resources[].pool", "resources[].tags", "resources[].sdn", "resources[].plugintype"):
        assert key in seen, key
    if status_name != STATUS_STANDALONE:
        assert "cluster.quorate" in seen
