# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""pve_node_info and pve_tasks_info against pvesim's PVE version profiles: a node the cluster still sees
online but that never answers (pveproxy waits 30 s for it, pve-http-server AnyEvent.pm proxy_request), and
a node that has been offline for 10 minutes."""

from __future__ import annotations

import time

import pytest

from ansible_collections.pve.cluster.plugins.modules import pve_node_info, pve_tasks_info
from ansible_collections.pve.cluster.tests.unit.plugins.modules._profile_sims import (
    SMOKE_PROFILES, demo_scenario, profile_sim, run_against,
)

# (pveproxy's wait for the silent node, api_timeout): the client gives up first / pveproxy answers 595 first
TIMINGS = [(30, 2), (1, 5)]


def silent_pve2(proxy_timeout):
    scenario = demo_scenario(down_for=600, proxy_timeout=proxy_timeout)
    scenario.nodes[1].unresponsive = True  # pve2: online for the cluster, nothing answers on its port 8006
    return scenario


def timed_run(module, capsys, sim, **args):
    began = time.monotonic()
    result, code, warnings = run_against(module, capsys, sim, **args)
    return result, code, warnings, time.monotonic() - began


@pytest.mark.parametrize("profile", SMOKE_PROFILES)
@pytest.mark.parametrize("proxy_timeout, api_timeout", TIMINGS)
def test_node_info_a_silent_node_costs_at_most_one_api_timeout(capsys, profile, proxy_timeout, api_timeout):
    with profile_sim(profile, silent_pve2(proxy_timeout)) as sim:
        result, code, warnings, elapsed = timed_run(pve_node_info, capsys, sim, api_timeout=api_timeout,
                                                    api_retries=3, gather=["status", "network"])
        asked = sorted(r["path"] for r in sim.requests if r["path"].startswith("/nodes/pve2/"))
    assert code == 0, result
    assert elapsed < min(proxy_timeout, api_timeout) + 1.5, elapsed
    assert asked == ["/nodes/pve2/network", "/nodes/pve2/status"]  # once each: a timeout is not retried
    nodes = {n["node"]: n for n in result["nodes"]}
    assert nodes["pve2"]["online"] is False and "node_status" not in nodes["pve2"]
    assert nodes["pve1"]["online"] is True and nodes["pve1"]["node_status"]
    assert nodes["pve3"]["online"] is False  # offline for 10 minutes: listed, not asked
    assert len([w for w in warnings if "node pve2 did not answer" in w]) == 1, warnings
    assert len([w for w in warnings if "node pve3 is offline" in w]) == 1, warnings


@pytest.mark.parametrize("proxy_timeout, api_timeout", TIMINGS)
def test_tasks_info_skips_a_silent_node_with_one_warning(capsys, proxy_timeout, api_timeout):
    with profile_sim("pve9", silent_pve2(proxy_timeout)) as sim:
        result, code, warnings, elapsed = timed_run(pve_tasks_info, capsys, sim, api_timeout=api_timeout, api_retries=3)
        asked = [r["path"] for r in sim.requests if r["path"].startswith(("/nodes/pve2/", "/nodes/pve3/"))]
    assert code == 0, result
    assert elapsed < min(proxy_timeout, api_timeout) + 1.5, elapsed
    assert asked == ["/nodes/pve2/tasks"]
    assert result["tasks"] and {t["node"] for t in result["tasks"]} == {"pve1"}
    assert len([w for w in warnings if "Node pve2 is unreachable" in w]) == 1, warnings
