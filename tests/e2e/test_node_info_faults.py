# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""pve_node_info under ansible-playbook: what its integration target cannot show well (a secret scan of
-vvvv output, per-node concurrency measured with injected latency).

The behaviour of pve_node_info and pve_cluster_info is tested by tests/integration/targets/."""

from __future__ import annotations

import json

import yaml

from pve_e2e import run_playbook, sim_env
from pvesim import Simulator


# -- helpers ---------------------------------------------------------------------------------------
def play(tasks):
    return yaml.safe_dump([{"name": "e2e", "hosts": "localhost", "gather_facts": False, "tasks": tasks}],
                          sort_keys=False)


def run_module(env, tmp_path, module, args=None, *playbook_args):
    """Run one module task (failures kept), write its registered result to JSON; return (proc, result)."""
    out = tmp_path / "result.json"
    tasks = [
        {"name": "run", "pve.cluster." + module: args or {}, "register": "result", "ignore_errors": True},
        {"name": "save", "ansible.builtin.copy": {"content": "{{ result | to_json }}", "dest": str(out)},
         "check_mode": False},
    ]
    proc = run_playbook(play(tasks), env, tmp_path, *playbook_args)
    assert out.exists(), proc.stdout + proc.stderr
    return proc, json.loads(out.read_text())


def peak_concurrency(starts, window):
    """Most request starts inside any `window` seconds (requests each take at least `window`)."""
    starts = sorted(starts)
    return max(sum(1 for t in starts[i:] if t < start + window) for i, start in enumerate(starts))


def test_check_mode_and_no_secret_in_verbose_output(clean_sim, tmp_path):
    proc, result = run_module(sim_env(clean_sim, "token", tmp_path), tmp_path, "pve_node_info", {}, "--check", "-vvvv")
    assert result.get("failed") is not True, result
    assert result["changed"] is False
    assert [n["online"] for n in result["nodes"]] == [True, True, False]
    assert clean_sim.token_secret not in proc.stdout + proc.stderr


def test_per_node_calls_are_concurrent_and_bounded(tmp_path):
    latency = 0.4
    with Simulator(scenario="generate:nodes=20,guests=0,tasks=0,seed=1", tls=True) as sim:
        sim.add_fault(path=r"^/nodes/[^/]+/status$", latency=latency)
        _proc, result = run_module(sim_env(sim, "token", tmp_path), tmp_path, "pve_node_info")
        assert result.get("failed") is not True, result
        assert len(result["nodes"]) == 20 and all("node_status" in n for n in result["nodes"])
        starts = [e["time"] for e in sim.requests if e["path"].endswith("/status")]
    assert len(starts) == 20
    # 8 workers: 8 calls in flight at once, never more; 20 calls take ~3 rounds, not 20
    assert 4 <= peak_concurrency(starts, latency * 0.9) <= 8
    assert max(starts) - min(starts) < 20 * latency / 3
