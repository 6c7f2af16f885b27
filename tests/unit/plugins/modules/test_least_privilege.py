# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every module with the simulator's least-privilege tokens (tests/pvesim/auth.py SCOPED_TOKENS): PVEAuditor on /
("root"), on /pool/dev ("pool"), on /vms/100 ("vms"), an AD realm token on /pool/dev ("realm"), no privilege ("none").
A refused part is left out with a warning and an `unavailable` entry; the one thing asked for, refused, fails;
a token that may see nothing gets one error."""

from __future__ import annotations

import pytest

from pvesim.auth import SCOPED_TOKENS, scoped_secret

from ansible_collections.pve.cluster.plugins.modules import pve_cluster_info, pve_node_info, pve_tasks_info
from ansible_collections.pve.cluster.tests.unit.plugins.modules._module_runner import run_against

REFUSED_ROOT = "Permission check failed (/, Sys.Audit)"
SCOPED = ("pool", "vms", "realm")


def run(module, capsys, sim, kind, **args):
    sim.clear_requests()
    result, code, warnings = run_against(module, capsys, sim, api_token_id=SCOPED_TOKENS[kind][0],
                                         api_token_secret=scoped_secret(kind), **args)
    assert scoped_secret(kind) not in str(result)
    return result, code, [w for w in warnings if "clear text" not in w]  # api_allow_http's own warning


@pytest.mark.parametrize("kind", SCOPED)
def test_cluster_info_leaves_the_refused_status_out(capsys, sim, kind):
    result, code, warnings = run(pve_cluster_info, capsys, sim, kind)
    assert code == 0, result
    assert "cluster" not in result and "cluster_nodes" not in result
    assert result["unavailable"] == [{"part": "status", "path": "/cluster/status", "message": REFUSED_ROOT}]
    assert result["resources"]  # which ones each token sees: pvesim test_permissions.py
    ours = [w for w in warnings if REFUSED_ROOT in w]
    assert len(ours) == 1 and "cluster and cluster_nodes are left out" in ours[0], warnings


@pytest.mark.parametrize("module, args, context, path, refused", [
    (pve_cluster_info, {"gather": ["status"]}, "Reading the cluster status", "/cluster/status", REFUSED_ROOT),
    (pve_node_info, {"node": ["pve1"], "gather": ["status"]}, "node pve1", "/nodes/pve1/status",
     "Permission check failed (/nodes/pve1, Sys.Audit)"),
], ids=["cluster status", "one node's status"])
def test_the_one_part_asked_for_refused_fails_with_pve_text(capsys, sim, module, args, context, path, refused):
    result, code, _warnings = run(module, capsys, sim, "pool", **args)
    assert code == 1 and result["status"] == 403
    assert result["msg"].startswith("%s: GET %s failed: HTTP 403 %s" % (context, path, refused)), result["msg"]
    assert "PVEAuditor" in result["msg"]
    if module is pve_cluster_info:
        assert result["unavailable"] == [{"part": "status", "path": path, "message": refused}]


@pytest.mark.parametrize("module, args", [(pve_cluster_info, {}), (pve_cluster_info, {"gather": ["resources"]}),
                                          (pve_node_info, {}), (pve_tasks_info, {})])
def test_no_privilege_is_one_clear_error(capsys, sim, module, args):
    result, code, _warnings = run(module, capsys, sim, "none", **args)
    assert code == 1 and "may see nothing in the cluster" in result["msg"] and "PVEAuditor on /" in result["msg"], result
    assert "Traceback" not in result["msg"]


@pytest.mark.parametrize("kind", SCOPED)
def test_node_info_leaves_refused_status_out_per_node(capsys, sim, kind):
    result, code, warnings = run(pve_node_info, capsys, sim, kind, gather=["status", "network"])
    assert code == 0, result
    online = [n for n in result["nodes"] if n["online"]]
    assert [n["node"] for n in online] == ["pve1", "pve2"]
    assert all("node_status" not in n and isinstance(n["network"], list) for n in online)
    assert result["unavailable"] == [
        {"part": "status", "node": name, "path": "/nodes/%s/status" % name,
         "message": "Permission check failed (/nodes/%s, Sys.Audit)" % name} for name in ("pve1", "pve2")]
    ours = [w for w in warnings if "refused" in w]
    assert len(ours) == 1 and "nodes pve1, pve2" in ours[0] and "node_status is left out" in ours[0], warnings


@pytest.mark.parametrize("kind", SCOPED)
def test_tasks_info_says_pve_lists_only_own_tasks(capsys, sim, kind):
    result, code, warnings = run(pve_tasks_info, capsys, sim, kind)
    assert code == 0, result
    ours = [w for w in warnings if "no Sys.Audit" in w]
    assert len(ours) == 1 and "/nodes/pve1, /nodes/pve2" in ours[0] and "own" in ours[0], warnings
    assert ("GET", "/cluster/resources") in [(r["method"], r["path"]) for r in sim.requests] or result["tasks"]


@pytest.mark.parametrize("module, shown", [(pve_cluster_info, "cluster"), (pve_node_info, "nodes"), (pve_tasks_info, "tasks")])
def test_the_root_auditor_sees_everything_without_a_refusal(capsys, sim, module, shown):
    result, code, warnings = run(module, capsys, sim, "root")
    assert code == 0 and result[shown] and result.get("unavailable", []) == [], result
    assert not [w for w in warnings if "refused" in w or "no Sys.Audit" in w], warnings
    assert all("node_status" in n for n in result.get("nodes", []) if n["online"])
    if module is pve_tasks_info:  # every task is listed: no guest list to say which ones PVE hides
        assert "/cluster/resources" not in [r["path"] for r in sim.requests]
