# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""pve_cluster_info against pvesim's PVE version profiles: SDN rows (sdn up to 9.0, network from 9.1), row types
this module does not know."""

from __future__ import annotations

import json

import pytest

from ansible_collections.pve.cluster.plugins.modules import pve_cluster_info
from ansible_collections.pve.cluster.tests.unit.plugins.modules._module_runner import (
    ALL_PROFILES, profile_sim, run_against,
)

NODES = ("pve1", "pve2", "pve3")


def resources(capsys, sim, **args):
    result, code, _warnings = run_against(pve_cluster_info, capsys, sim, gather=["resources"], **args)
    assert code == 0, result
    return result["resources"]


@pytest.mark.parametrize("profile", ALL_PROFILES)
def test_sdn_zones_on_every_version(capsys, profile):
    """pve9 (pve-manager >= 9.0.12) reports `network` rows that PVE's type=sdn filter does not return."""
    with profile_sim(profile) as sim:
        rows = resources(capsys, sim, resource_type="sdn")
        asked = [(r["path"], r["query"]) for r in sim.requests if r["path"] == "/cluster/resources"]
    assert asked == [("/cluster/resources", {})]
    if profile == "pve9":
        assert {(r["type"], r["network_type"]) for r in rows} == {("network", "zone")}
        zones = {(r["node"], r["network"]) for r in rows}
    else:
        assert {r["type"] for r in rows} == {"sdn"}
        zones = {(r["node"], r["sdn"]) for r in rows}
    assert zones == {(node, "localnetwork") for node in NODES}


def test_a_row_type_of_a_newer_pve_is_passed_through(capsys):
    future = [{"id": "qemu/100", "type": "qemu", "vmid": 100, "node": "pve1", "name": "a", "template": 0},
              {"id": "appliance/pve1/x", "type": "appliance", "node": "pve1", "appliance-kind": "x", "shared": 1}]
    with profile_sim("pve9") as sim:
        sim.add_fault(path=r"^/cluster/resources$", status=200, body=json.dumps({"data": future}))
        rows = resources(capsys, sim)
    assert rows[1] == {"id": "appliance/pve1/x", "type": "appliance", "node": "pve1", "appliance_kind": "x",
                       "shared": True}
    assert rows[0]["template"] is False
