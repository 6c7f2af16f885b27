# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""pve_node_info and pve_tasks_info against pvesim's PVE version profiles: a node the cluster still sees
online but that never answers (pveproxy waits 30 s for it, pve-http-server AnyEvent.pm proxy_request), and
a node that has been offline for 10 minutes; network types newer than the server."""

from __future__ import annotations

import pytest

from ansible_collections.pve.cluster.plugins.modules import pve_node_info, pve_tasks_info
from ansible_collections.pve.cluster.tests.unit.plugins.modules._module_runner import (
    ALL_PROFILES, SMOKE_PROFILES, demo_scenario, profile_sim, run_against,
)

# The PVE release that first accepts each newer network type (pve-manager PVE/API2/Network.pm)
TYPE_SINCE = {"any_local_bridge": "8.0", "vnet": "8.3.2", "fabric": "9.0", "include_sdn": "9.0"}
# (profile, pveproxy's wait for the silent node, api_timeout): pveproxy answers 595 first on each profile / the client
# gives up first. Every api_timeout leaves the nodes that do answer seconds to spare on a loaded machine; which
# deadline ended pve2's request is the client's decision, read from its warning, not from a clock.
TIMINGS = [(profile, 0.3, 5) for profile in SMOKE_PROFILES] + [("pve9", 30, 3)]


def silent_pve2(proxy_timeout):
    scenario = demo_scenario(down_for=600, proxy_timeout=proxy_timeout)
    scenario.nodes[1].unresponsive = True  # pve2: online for the cluster, nothing answers on its port 8006
    return scenario


def assert_deadline_used(warnings, prefix, proxy_timeout, api_timeout):
    """What the client decided, not how long it took: the node's one request ended on whichever deadline
    comes first, pveproxy's (a 595 from the contacted node) or the client's api_timeout."""
    (warning,) = [w for w in warnings if prefix in w]
    if api_timeout < proxy_timeout:
        assert "api_timeout" in warning and "595" not in warning, warning
    else:
        assert "595" in warning and "api_timeout" not in warning, warning


# module, args, what is asked of pve2 (once each: a timeout is not retried) and pve3 (offline: nothing), the warning
SILENT = [(pve_node_info, {"gather": ["status", "network"]}, ["/nodes/pve2/network", "/nodes/pve2/status"],
           "node pve2 did not answer"),
          (pve_tasks_info, {}, ["/nodes/pve2/tasks"], "node pve2 is unreachable")]


@pytest.mark.parametrize("profile, proxy_timeout, api_timeout", TIMINGS)
@pytest.mark.parametrize("module, args, asked, said", SILENT, ids=["node_info", "tasks_info"])
def test_a_silent_node_costs_at_most_one_api_timeout(capsys, profile, proxy_timeout, api_timeout, module, args, asked, said):
    with profile_sim(profile, silent_pve2(proxy_timeout)) as sim:
        result, code, warnings = run_against(module, capsys, sim, api_timeout=api_timeout, api_retries=3, **args)
        requests = sorted(r["path"] for r in sim.requests if r["path"].startswith(("/nodes/pve2/", "/nodes/pve3/")))
    assert code == 0, result
    assert requests == asked
    assert len([w for w in warnings if said in w]) == 1, warnings
    assert_deadline_used(warnings, said, proxy_timeout, api_timeout)
    if module is pve_tasks_info:
        assert result["tasks"] and {t["node"] for t in result["tasks"]} == {"pve1"}
        return
    # pve3, offline in GET /nodes: listed, nothing asked of it (above), one warning
    assert [(n["node"], n["online"], n["status"], "node_status" in n, "network" in n) for n in result["nodes"]] == [
        ("pve1", True, "online", True, True), ("pve2", False, "online", False, False), ("pve3", False, "offline", False, False)]
    assert [w for w in warnings if "pve3" in w] == [
        "node pve3 is offline (as PVE reports in GET /nodes): listed with online: false and no details"], warnings


@pytest.mark.parametrize("profile", ALL_PROFILES)
@pytest.mark.parametrize("network_type", sorted(TYPE_SINCE))
def test_network_type_newer_than_the_server_names_the_pve_version(capsys, profile, network_type):
    """pve-manager PVE/API2/Network.pm: an older release's enum refuses a newer type with HTTP 400."""
    with profile_sim(profile) as sim:
        result, code, _warnings = run_against(pve_node_info, capsys, sim, gather=["network"],
                                              network_type=network_type)
        asked = [r for r in sim.requests if r["path"].endswith("/network")]
    assert len(asked) == 2 and all(r["query"] == {"type": network_type} for r in asked)  # pve1, pve2; not retried
    if network_type in sim.profile["network_types"]:
        assert code == 0, result
        assert {n["node"] for n in result["nodes"] if "network" in n} == {"pve1", "pve2"}
        return
    assert code == 1 and result["status"] == 400 and result["failed_nodes"] == ["pve1", "pve2"]
    assert result["msg"].startswith("network_type: %s needs PVE %s or later; nodes pve1, pve2 run an older PVE"
                                    % (network_type, TYPE_SINCE[network_type])), result["msg"]
    assert "does not have a value in the enumeration 'bridge, " in result["msg"]
    assert result["msg"].count(network_type) == 2  # the option's value, and PVE's text once (not once per node)
