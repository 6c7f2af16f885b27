# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""pve_tasks_info against the simulator's PVE version profiles (pve-manager PVE/API2/Tasks.pm, pve-common UPID.pm)."""

from __future__ import annotations

import pytest

from ansible_collections.pve.cluster.plugins.modules import pve_tasks_info
from ansible_collections.pve.cluster.tests.unit.plugins.modules._module_runner import (
    ALL_PROFILES, SMOKE_PROFILES, demo_scenario, profile_sim, run_against)


@pytest.fixture(scope="module", params=SMOKE_PROFILES, name="sim")
def fixture_sim(request, tmp_path_factory):
    with profile_sim(request.param, state_dir=str(tmp_path_factory.mktemp("pvesim"))) as sim:
        yield sim


def test_outcomes_as_pve_sorts_them(capsys, sim):
    result, code, _warnings = run_against(pve_tasks_info, capsys, sim, node="pve1", source="all", limit=0)
    assert code == 0, result
    by_type = {(t["type"], t["id"]): t for t in result["tasks"]}
    # "unexpected status" is PVE's `unknown`, not an error; a running task has no end status
    assert by_type[("qmstop", "109")]["outcome"] == "unknown"
    assert by_type[("srvreload", "networking")]["outcome"] == "error"
    running = result["tasks"][0]
    assert running["outcome"] == "running" and "status" not in running and running["duration"] is None
    # running first, then by completion (PVE's order for one node)
    ends = [t["endtime"] for t in result["tasks"][1:]]
    assert ends == sorted(ends, reverse=True)


def test_unknown_outcome_matches_statusfilter_unknown(capsys, sim):
    result, code, _warnings = run_against(pve_tasks_info, capsys, sim, node="pve1", statusfilter=["unknown"])
    assert code == 0, result
    assert [t["outcome"] for t in result["tasks"]] == ["unknown"]


@pytest.mark.parametrize("profile", ALL_PROFILES)
def test_whole_log_on_every_version(capsys, profile):
    with profile_sim(profile) as sim:
        upid = [t for t in run_against(pve_tasks_info, capsys, sim, node="pve1")[0]["tasks"]
                if t["type"] == "vzdump" and t["id"] == "105"][0]["upid"]
        result, code, _warnings = run_against(pve_tasks_info, capsys, sim, upid=upid, log=True)
    assert code == 0, result
    assert result["tasks"][0]["log"][-1] == "TASK ERROR: job errors" and len(result["tasks"][0]["log"]) == 3


def test_whole_log_on_pve7_before_7_3(capsys):
    """pve-common before 7.3-1 (f0c1b0c) answers limit=0 with no line; the module asks with
    limit=max_log_lines+1, which every version honours: one request, the whole log."""
    with profile_sim("pve7", demo_scenario(log_limit0_whole=False)) as sim:
        upid = run_against(pve_tasks_info, capsys, sim, node="pve1", typefilter="qmstart")[0]["tasks"][0]["upid"]
        sim.clear_requests()
        result, code, _warnings = run_against(pve_tasks_info, capsys, sim, upid=upid, log=True)
        log_calls = [r["query"] for r in sim.requests if r["path"].endswith("/log")]
    assert code == 0, result
    assert result["tasks"][0]["log"][-1] == "TASK OK"
    assert log_calls == [{"limit": "100001"}]
    assert len(result["tasks"][0]["log"]) > 1
