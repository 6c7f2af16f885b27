# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""pve_tasks_info against the simulator's PVE version profiles (pve-manager PVE/API2/Tasks.pm, pve-common UPID.pm)."""

from __future__ import annotations

import pytest

from ansible_collections.pve.cluster.plugins.modules import pve_tasks_info
from ansible_collections.pve.cluster.tests.unit.plugins.modules._module_runner import (
    ALL_PROFILES, demo_scenario, profile_sim, run_against)


@pytest.mark.parametrize("profile, overrides", [(profile, {}) for profile in ALL_PROFILES] + [("pve7", {"log_limit0_whole": False})],
                         ids=list(ALL_PROFILES) + ["pve7 before 7.3"])
def test_whole_log_on_every_version(capsys, profile, overrides):
    """pve-common before 7.3-1 (f0c1b0c) answers limit=0 with no line; the module asks with limit=max_log_lines+1,
    which every version honours: one request, the whole log."""
    with profile_sim(profile, demo_scenario(**overrides)) as sim:
        upid = [t for t in run_against(pve_tasks_info, capsys, sim, node="pve1", typefilter="vzdump")[0]["tasks"]
                if t["id"] == "105"][0]["upid"]
        sim.clear_requests()
        result, code, _warnings = run_against(pve_tasks_info, capsys, sim, upid=upid, log=True)
        log_calls = [r["query"] for r in sim.requests if r["path"].endswith("/log")]
    assert code == 0, result
    assert result["tasks"][0]["log"][-1] == "TASK ERROR: job errors" and len(result["tasks"][0]["log"]) == 3
    assert log_calls == [{"limit": "100001"}]
