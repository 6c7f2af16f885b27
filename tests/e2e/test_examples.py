# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every module's EXAMPLES, and the README's playbook, run as written against pvesim.

Only the literal connection options (written for pve1.example.com) are dropped: the PVE_*
environment points the modules at the simulator instead. Everything else runs as a user would
copy it.
"""

from __future__ import annotations

import re

import pytest
import yaml

from plugin_source import module_block
from pve_e2e import ROOT, run_playbook, sim_env, without_connection

# Every module of plugins/modules: a new module's EXAMPLES run here without being listed.
MODULES = sorted(path.stem for path in (ROOT / "plugins" / "modules").glob("pve_*.py"))

# What some modules' examples must show, read from the demo scenario (besides succeeding).
EXPECTED_OUTPUT = {
    "pve_version_info": ['"msg": "PVE 9.1.2 (release 9.1)"'],
    "pve_node_info": ['"msg": "pve1: ', '"msg": [\n        "pve3"\n    ]'],
    "pve_cluster_info": ['"msg": "demo quorate: True"', '"web01",'],
}


def recap(stdout):
    match = re.search(r"localhost\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+skipped=(\d+)", stdout)
    assert match, stdout[-3000:]
    return dict(zip(("ok", "changed", "unreachable", "failed", "skipped"), map(int, match.groups())))


def as_play(tasks):
    return yaml.safe_dump([{"name": "examples", "hosts": "localhost", "gather_facts": False, "tasks": tasks}],
                          sort_keys=False)


@pytest.mark.parametrize("module", MODULES)
def test_module_examples_run_as_written(module, clean_sim, tmp_path):
    tasks = without_connection(module_block(module, "EXAMPLES"))
    assert any(("pve.cluster.%s" % module) in task for task in tasks) or any(
        ("pve.cluster.%s" % module) in inner for task in tasks for inner in task.get("block", [])), "no module task"
    proc = run_playbook(as_play(tasks), sim_env(clean_sim, "token", tmp_path), tmp_path)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    counts = recap(proc.stdout)
    assert counts["failed"] == 0 and counts["changed"] == 0 and counts["skipped"] == 0, proc.stdout[-4000:]
    assert clean_sim.request_count() > 0
    for text in EXPECTED_OUTPUT.get(module, []):
        assert text in proc.stdout, proc.stdout[-4000:]


def readme_plays():
    """The README's YAML blocks that are playbooks (a list of plays with hosts)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    plays = []
    for block in re.findall(r"```yaml\n(.*?)```", text, flags=re.S):
        data = yaml.safe_load(block)
        if isinstance(data, list) and data and isinstance(data[0], dict) and "hosts" in data[0]:
            plays.append(data)
    return plays


def test_readme_playbook_runs_as_written(clean_sim, tmp_path):
    plays = readme_plays()
    assert plays, "the README shows no playbook"
    for number, play in enumerate(plays):
        play = without_connection(play)
        proc = run_playbook(yaml.safe_dump(play, sort_keys=False), sim_env(clean_sim, "token", tmp_path), tmp_path)
        assert proc.returncode == 0, "README play %d: %s" % (number, proc.stdout[-4000:] + proc.stderr[-2000:])
        assert recap(proc.stdout)["failed"] == 0
