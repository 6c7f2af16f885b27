# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reliability under load: the inventory on 10,000 guests with faults mixed in."""

from __future__ import annotations

import pytest

from reliability_support import env_for, inventory_hosts, make_sim, run_inventory

from pvesim import generate

pytestmark = pytest.mark.usefixtures("reliability_session")

WORKERS = 32


def test_inventory_10000_guests_guest_agent(rcase, tmp_path):
    """50 nodes (one offline), 10,000 guests, 5% of guest agents failing, ansible_host: guest_agent
    with max_workers 32 (at -v): every node and every non-template guest is a host; exactly the
    lookups of guests without a (running) agent fail, reported by pve_agent_error and one warning."""
    scenario = generate(nodes=50, guests=10000, tasks=0, seed=7, offline_nodes=1, agent_fail_ratio=0.05)
    offline = [n.name for n in scenario.nodes if not n.online]
    expected = set(n.name for n in scenario.nodes) | set(g.name for g in scenario.guests if not g.template)
    with make_sim(scenario) as sim:
        config = {"plugin": "pve.cluster.pve", "ansible_host": "guest_agent", "max_workers": WORKERS}
        run = run_inventory(rcase, config, env_for(sim, tmp_path), tmp_path, verbosity="-v")
        requests = sim.request_count()
        agent_calls = sim.request_count(r"/(agent/network-get-interfaces|interfaces)$")
    assert run.proc.returncode == 0, run.output[-3000:]
    hostvars = run.inventory["_meta"]["hostvars"]
    assert inventory_hosts(run.inventory) == expected, (len(hostvars), len(expected))
    on_offline = [h for h, v in hostvars.items() if v.get("pve_node") in offline and v.get("pve_type") != "node"]
    assert on_offline, "guests of the offline node are missing"
    # PVE reports the guests of an offline node as status unknown: only running guests are asked
    running = [h for h, v in hostvars.items() if v.get("pve_type") != "node" and v["pve_status"] == "running"]
    assert len(running) > 6000
    assert all(hostvars[h]["pve_status"] != "running" for h in on_offline)
    failed = [h for h, v in hostvars.items() if "pve_agent_error" in v]
    with_host = [h for h, v in hostvars.items() if v.get("pve_type") != "node" and "ansible_host" in v]
    assert len(failed) + len(with_host) == len(running), (len(failed), len(with_host), len(running))
    # exact accounting: a lookup fails for a qemu guest without agent and for a failing agent, no other
    guests = dict((g.name, g) for g in scenario.guests)
    no_agent = [h for h in running if guests[h].type == "qemu" and not guests[h].agent]
    agent_down = [h for h in running if guests[h].type == "qemu" and guests[h].agent and guests[h].agent_state != "ok"]
    assert sorted(failed) == sorted(no_agent + agent_down)
    assert 0 < len(agent_down) < len(running) // 10
    assert agent_calls == len(running)
    assert "no address from the guest agent for %d running guest(s)" % len(failed) in run.output
    rcase.fig(hosts=len(hostvars), guests=len(scenario.guests), agent_calls=agent_calls, agent_errors=len(failed),
              agent_not_configured=len(no_agent), agent_not_running=len(agent_down),
              guests_on_offline_node=len(on_offline), requests=requests, max_workers=WORKERS,
              seconds=round(run.seconds, 1), requests_per_s=round(requests / run.seconds))
