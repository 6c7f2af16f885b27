# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""No churn: an unchanged cluster whose CPU, memory and uptime move between two reads (as PVE's do) gives the
same host variables and groups twice by default, and the same `ansible-inventory --list --export` output (what
AWX imports); include_metrics brings the moving figures back."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

import pytest

from pvesim import Simulator

from ansible_collections.pve.cluster.tests.unit.plugins.inventory._helpers import parse_direct

MAGIC = ("inventory_file", "inventory_dir")


@pytest.fixture(scope="module", name="moving_sim")
def fixture_moving_sim():
    with Simulator(scenario="demo", tls=False, auth_delay=0, moving_metrics=True) as sim:
        yield sim


def source(tmp_path, sim, body="", name="churn.pve.yml"):
    path = tmp_path / name
    path.write_text("plugin: pve.cluster.pve\napi_host: %s\napi_token_id: '%s'\napi_token_secret: %s\n"
                    "api_retries: 0\napi_allow_http: true\n%s" % (sim.url, sim.token_id, sim.token_secret, body))
    return path


def build(tmp_path, sim, body=""):
    """({host: the variables the plugin set}, {group: sorted hosts}) of one inventory build."""
    inventory = parse_direct(source(tmp_path, sim, body))
    variables = dict((name, dict((k, v) for k, v in host.vars.items() if k not in MAGIC))
                     for name, host in inventory.hosts.items())
    groups = dict((name, sorted(h.name for h in group.get_hosts())) for name, group in inventory.groups.items())
    return variables, groups


def test_default_host_variables_do_not_churn(tmp_path, moving_sim):
    first = build(tmp_path, moving_sim)
    second = build(tmp_path, moving_sim)
    assert len(first[0]) == 38
    assert first == second


def exports(tmp_path, sim, bodies):
    """What `ansible-inventory -i SOURCE --list --export` prints for each source body, all run at the same time."""
    root = next(p.parent for p in pathlib.Path(__file__).resolve().parents if p.name == "ansible_collections")
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "PVE_", "PROXMOX_")))
    env.update(ANSIBLE_COLLECTIONS_PATH=str(root), ANSIBLE_INVENTORY_UNPARSED_FAILED="1",
               ANSIBLE_HOME=str(tmp_path / "home"), ANSIBLE_CONFIG=str(tmp_path / "none.cfg"))
    command = [str(pathlib.Path(sys.executable).parent / "ansible-inventory"), "--list", "--export", "-i"]
    runs = []
    for index, body in enumerate(bodies):
        path = source(tmp_path, sim, body, "export%d.pve.yml" % index)
        runs.append(subprocess.Popen(command + [str(path)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True))
    results = [run.communicate(timeout=300) + (run.returncode,) for run in runs]
    for _out, err, code in results:
        assert code == 0, err[-3000:]
    return [out for out, _err, _code in results]


def test_the_export_awx_imports_does_not_churn(tmp_path, moving_sim):
    metrics = "include_metrics: true\n"
    first, second, metrics_first, metrics_second = exports(tmp_path, moving_sim, ["", "", metrics, metrics])
    assert len(json.loads(first)["_meta"]["hostvars"]) == 38
    assert first == second
    assert metrics_first != metrics_second  # it could differ: with include_metrics the moving figures are in it


def test_the_figures_do_move_and_include_metrics_shows_them(tmp_path, moving_sim):
    """The test above could fail: with include_metrics the same two builds differ, in the moving figures only."""
    first, _groups = build(tmp_path, moving_sim, "include_metrics: true\n")
    second, _groups = build(tmp_path, moving_sim, "include_metrics: true\n")
    assert first != second
    moved = set(key for host in first for key in first[host] if first[host][key] != second[host][key])
    assert moved and moved <= {"pve_cpu", "pve_mem", "pve_uptime"}, moved
    assert first["web01"]["pve_uptime"] != second["web01"]["pve_uptime"]


def test_a_filter_on_a_metric_works_without_include_metrics(tmp_path, moving_sim):
    variables, _groups = build(tmp_path, moving_sim, "filters: ['pve_maxmem > 8589934592']\n")
    assert variables and all("pve_maxmem" not in v for v in variables.values())
    everyone, _groups = build(tmp_path, moving_sim, "include_metrics: true\n")
    assert sorted(variables) == sorted(h for h, v in everyone.items() if v.get("pve_maxmem", 0) > 8589934592)
