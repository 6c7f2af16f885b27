# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every module that takes a node says the same thing, against the simulator's demo cluster (pve1, pve2 online,
pve3 offline): an unknown node is named with the cluster's nodes, an offline one is called offline (pve_node_info
lists it: test_pve_node_info_versions.py).

The simulator answers as pveproxy does: HTTP 500 "hostname lookup 'nope' failed" for a node it does not know,
595 with an empty body for one it cannot reach (tests/pvesim/routes.py dispatch)."""

from __future__ import annotations

import pkgutil

import pytest

from ansible_collections.pve.cluster.plugins import modules as modules_package
from ansible_collections.pve.cluster.plugins.modules import pve_node_info, pve_tasks_info
from ansible_collections.pve.cluster.tests.unit.plugins.modules._module_runner import run_against

UNKNOWN = "is not in this cluster; nodes: pve1, pve2, pve3"
OFFLINE = "pve3 is offline (as PVE reports in GET /nodes)"
UPID_OF_NOPE = "UPID:nope:00000007:000003EF:6770A0E0:qmstart:100:root@pam:"

# module, args naming unknown nodes, the message (after the option's name)
UNKNOWN_CASES = [
    (pve_node_info, {"node": ["pve2", "nope"]}, "nope " + UNKNOWN),
    (pve_node_info, {"node": ["nope", "gone"]}, "nope, gone are not in this cluster; nodes: pve1, pve2, pve3"),
    (pve_tasks_info, {"node": "nope"}, "nope " + UNKNOWN),
    (pve_tasks_info, {"upid": UPID_OF_NOPE}, "nope " + UNKNOWN),
    (pve_tasks_info, {"upid": UPID_OF_NOPE, "log": True}, "nope " + UNKNOWN),
]


def test_every_module_that_takes_a_node_is_covered():
    """A new module with a node option must join the cases below."""
    taking_a_node = set()
    for info in pkgutil.iter_modules(modules_package.__path__):
        module = __import__("%s.%s" % (modules_package.__name__, info.name), fromlist=["ARGUMENT_SPEC"])
        if "node" in getattr(module, "ARGUMENT_SPEC", {}):
            taking_a_node.add(module.__name__.rsplit(".", 1)[1])
    covered = set(case[0].__name__.rsplit(".", 1)[1] for case in UNKNOWN_CASES)
    assert taking_a_node == covered == {"pve_node_info", "pve_tasks_info"}


@pytest.mark.parametrize("module, args, reason", UNKNOWN_CASES,
                         ids=["node_info", "node_info-two", "tasks_info-node", "tasks_info-upid", "tasks_info-upid-log"])
def test_unknown_node_names_the_clusters_nodes(capsys, sim, module, args, reason):
    sim.clear_requests()
    result, code, _warnings = run_against(module, capsys, sim, **args)
    option = "upid" if "upid" in args else "node"
    assert code == 1
    assert result["msg"] == "%s: %s" % (option, reason)
    assert (result["failed_option"], result["failed_reason"]) == (option, reason)
    if module is pve_node_info:  # GET /nodes names them: nothing else is asked
        assert [r["path"] for r in sim.requests] == ["/nodes"]


@pytest.mark.parametrize("args, option", [({"node": "pve3"}, "node"), ({"upid": UPID_OF_NOPE.replace(":nope:", ":pve3:")}, "upid")])
def test_tasks_of_an_offline_node_fail_saying_offline(capsys, sim, args, option):
    sim.clear_requests()
    result, code, _warnings = run_against(pve_tasks_info, capsys, sim, **args)
    assert code == 1 and result["status"] == 595
    assert result["msg"] == "%s: %s" % (option, OFFLINE)
    # the task call, then one GET /nodes to say why
    paths = [r["path"] for r in sim.requests if r["path"].startswith("/nodes")]
    assert len(paths) == 2 and paths[0].startswith("/nodes/pve3/tasks") and paths[1] == "/nodes", paths


@pytest.mark.parametrize("status", [500, 595])
def test_an_online_node_that_fails_keeps_the_error(capsys, sim, status):
    """A 500 (or a 595: online, yet unreachable) for a node GET /nodes calls online is PVE's own error, passed on
    with its context."""
    sim.add_fault(path=r"^/nodes/pve2/tasks", status=status, message="something broke", times=1)
    try:
        result, code, _warnings = run_against(pve_tasks_info, capsys, sim, node="pve2")
    finally:
        sim.clear_faults()
    assert code == 1 and result["status"] == status
    assert result["msg"].startswith("Listing the tasks of node pve2: GET /nodes/pve2/tasks?source=archive&start=0&limit=50 "
                                    "failed: HTTP %d something broke" % status), result["msg"]
