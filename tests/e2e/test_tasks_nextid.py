# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""pve_tasks_info and pve_nextid end to end: ansible-playbook against a pvesim server."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from pve_e2e import run_playbook, sim_env
from pvesim import Simulator


# -- helpers -------------------------------------------------------------------------------------
def playbook(tasks):
    return yaml.safe_dump([{"hosts": "localhost", "gather_facts": False, "tasks": tasks}], sort_keys=False)


def recap(stdout):
    match = re.search(r"localhost\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+skipped=(\d+)", stdout)
    assert match, stdout[-3000:]
    return dict(zip(("ok", "changed", "unreachable", "failed", "skipped"), map(int, match.groups())))


def run_and_dump(tasks, env, tmp_path, *register):
    """Run `tasks`, then write the registered variables to one JSON file; return (process, {name: value})."""
    dump = tmp_path / "registered.json"
    content = "{{ {%s} | to_json }}" % ", ".join("%r: %s" % (name, name) for name in register)
    proc = run_playbook(playbook(list(tasks) + [{"name": "dump the results", "ansible.builtin.copy": {
        "content": content, "dest": str(dump)}}]), env, tmp_path)
    values = json.loads(dump.read_text()) if dump.exists() else dict((name, None) for name in register)
    return proc, values


def test_module_defaults_group_carries_the_connection(clean_sim, tmp_path):
    defaults = {"group/pve.cluster.pve": {"api_host": clean_sim.url, "api_token_id": clean_sim.token_id,
                                          "api_token_secret": clean_sim.token_secret, "ca_path": clean_sim.ca_path}}
    tasks = [{"module_defaults": defaults, "block": [
        {"pve.cluster.pve_tasks_info": {"node": "pve1"}, "register": "tasks"},
        {"pve.cluster.pve_nextid": None, "register": "nextid"}]}]
    env = sim_env(clean_sim, "token", tmp_path)
    for key in [k for k in env if k.startswith("PVE_")]:
        del env[key]
    proc, got = run_and_dump(tasks, env, tmp_path, "tasks", "nextid")
    assert proc.returncode == 0, proc.stdout[-4000:]
    assert got["tasks"]["total"] == 7 and len(got["tasks"]["tasks"]) == 7  # pve1's finished tasks in the demo
    assert got["nextid"]["vmid"] == 134 + 1  # demo guests: 100..134 and 9000


# -- pve_tasks_info --------------------------------------------------------------------------------
def test_all_nodes_merged_with_the_offline_node_warned_about(clean_sim, tmp_path):
    proc, got = run_and_dump([{"pve.cluster.pve_tasks_info": {"source": "all", "limit": 0}, "register": "r"}],
                             sim_env(clean_sim, "password", tmp_path), tmp_path, "r")
    assert proc.returncode == 0, proc.stdout[-4000:]
    tasks = got["r"]["tasks"]
    assert got["r"]["total"] == len(tasks) == 13  # demo: 8 tasks on pve1, 5 on pve2, pve3 offline
    assert {t["node"] for t in tasks} == {"pve1", "pve2"}
    starts = [t["starttime"] for t in tasks]
    assert starts == sorted(starts, reverse=True)
    assert [t["outcome"] for t in tasks].count("running") == 1
    assert "pve3" in proc.stdout + proc.stderr
    assert clean_sim.request_count(r"^/nodes/pve3/") == 0


def test_unreachable_node_is_skipped(clean_sim, tmp_path):
    clean_sim.add_fault(path=r"^/nodes/pve2/tasks$", status=595)
    proc, got = run_and_dump([{"pve.cluster.pve_tasks_info": None, "register": "r"}],
                             sim_env(clean_sim, "token", tmp_path), tmp_path, "r")
    assert proc.returncode == 0, proc.stdout[-4000:]
    assert {t["node"] for t in got["r"]["tasks"]} == {"pve1"}
    assert re.search(r"pve2 is unreachable \(HTTP 595\)", proc.stdout + proc.stderr)


def test_filters_reach_pve(clean_sim, tmp_path):
    options = {"node": "pve1", "statusfilter": ["error"], "typefilter": "vzdump", "since": "2000-01-01"}
    proc, got = run_and_dump([{"pve.cluster.pve_tasks_info": options, "register": "r"}],
                             sim_env(clean_sim, "token", tmp_path), tmp_path, "r")
    assert proc.returncode == 0, proc.stdout[-4000:]
    assert [(t["type"], t["id"], t["outcome"]) for t in got["r"]["tasks"]] == [("vzdump", "105", "error")]
    assert got["r"]["total"] == 1
    (query,) = [e["query"] for e in clean_sim.requests if e["path"] == "/nodes/pve1/tasks"]
    assert query == {"source": "archive", "start": "0", "limit": "50", "statusfilter": "error",
                     "typefilter": "vzdump", "since": "946684800"}


def test_one_task_with_its_log(clean_sim, tmp_path):
    tasks = [{"pve.cluster.pve_tasks_info": {"node": "pve1", "typefilter": "vzdump", "errors": True}, "register": "r"},
             {"pve.cluster.pve_tasks_info": {"upid": "{{ r.tasks[0].upid }}", "log": True}, "register": "one"}]
    proc, got = run_and_dump(tasks, sim_env(clean_sim, "token", tmp_path), tmp_path, "one")
    assert proc.returncode == 0, proc.stdout[-4000:]
    (task,) = got["one"]["tasks"]
    assert task["status"] == "job errors" and task["outcome"] == "error" and task["id"] == "105"
    assert task["log"][0].startswith("INFO: starting new backup job") and task["log"][-1] == "TASK ERROR: job errors"


def test_bad_input_is_refused_before_any_request(clean_sim, tmp_path):
    tasks = [{"pve.cluster.pve_tasks_info": {"since": "yesterday"}, "ignore_errors": True, "register": "a"},
             {"pve.cluster.pve_tasks_info": {"limit": -1}, "ignore_errors": True, "register": "b"},
             {"pve.cluster.pve_nextid": {"lower": 500, "upper": 400}, "ignore_errors": True, "register": "c"}]
    proc, got = run_and_dump(tasks, sim_env(clean_sim, "token", tmp_path), tmp_path, "a", "b", "c")
    assert proc.returncode == 0, proc.stdout[-4000:]
    assert got["a"]["failed"] and "since" in got["a"]["msg"] and "ISO 8601" in got["a"]["msg"]
    assert got["b"]["failed"] and got["b"]["msg"].startswith("limit:")
    assert got["c"]["failed"] and "lower" in got["c"]["msg"]
    assert clean_sim.requests == []


@pytest.fixture(scope="module")
def big_sim():
    """Two nodes with about 6,000 finished tasks each (more than one 5,000-task page per node)."""
    with Simulator(scenario="generate:nodes=2,guests=40,tasks=12010,seed=7", tls=True) as server:
        yield server


def test_limit_0_pages_through_every_task(big_sim, tmp_path):
    big_sim.clear_requests()
    proc, got = run_and_dump([{"pve.cluster.pve_tasks_info": {"limit": 0}, "register": "r"}],
                             sim_env(big_sim, "token", tmp_path), tmp_path, "r")
    assert proc.returncode == 0, proc.stdout[-4000:]
    stores = big_sim.router.cluster.task_stores
    expected = dict((node, len(store.by_source["archive"])) for node, store in stores.items())
    assert all(count > 5000 for count in expected.values()), expected
    tasks = got["r"]["tasks"]
    upids = [t["upid"] for t in tasks]
    assert len(upids) == len(set(upids)) == sum(expected.values()) == got["r"]["total"]
    assert [t["starttime"] for t in tasks] == sorted((t["starttime"] for t in tasks), reverse=True)
    for node, count in expected.items():
        pages = [e["query"] for e in big_sim.requests if e["path"] == "/nodes/%s/tasks" % node]
        assert [(q["start"], q["limit"]) for q in pages] == [("0", "5000"), ("5000", "5000")][:len(pages)]
        assert len(pages) == -(-count // 5000)  # ceil: one request per 5,000 tasks, nothing more


def test_limit_and_start_over_the_merged_list(big_sim, tmp_path):
    big_sim.clear_requests()
    tasks = [{"pve.cluster.pve_tasks_info": {"limit": 0}, "register": "everything"},
             {"pve.cluster.pve_tasks_info": {"limit": 25, "start": 10}, "register": "window"}]
    proc, got = run_and_dump(tasks, sim_env(big_sim, "token", tmp_path), tmp_path, "everything", "window")
    assert proc.returncode == 0, proc.stdout[-4000:]
    assert got["window"]["tasks"] == got["everything"]["tasks"][10:35]
    assert got["window"]["total"] == got["everything"]["total"]


# -- pve_nextid -------------------------------------------------------------------------------------
def test_nextid_plain_call_is_one_request(clean_sim, tmp_path):
    proc, got = run_and_dump([{"pve.cluster.pve_nextid": None, "register": "n"}],
                             sim_env(clean_sim, "token", tmp_path), tmp_path, "n")
    assert proc.returncode == 0, proc.stdout[-4000:]
    assert got["n"]["vmid"] == 135 and got["n"]["vmids"] == [135]
    assert [(e["path"], e["query"]) for e in clean_sim.requests] == [("/cluster/nextid", {})]


def test_nextid_taken_and_free_ids(clean_sim, tmp_path):
    tasks = [{"pve.cluster.pve_nextid": {"vmid": 100}, "register": "taken"},
             {"pve.cluster.pve_nextid": {"vmid": 4242}, "register": "free"}]
    proc, got = run_and_dump(tasks, sim_env(clean_sim, "token", tmp_path), tmp_path, "taken", "free")
    assert proc.returncode == 0, proc.stdout[-4000:]
    assert got["taken"]["available"] is False and got["taken"]["vmids"] == [] and got["taken"]["vmid"] == 100
    assert not got["taken"].get("failed")
    assert got["free"]["available"] is True and got["free"]["vmids"] == [4242]


def test_nextid_count_in_a_range(clean_sim, tmp_path):
    proc, got = run_and_dump([{"pve.cluster.pve_nextid": {"count": 3, "lower": 133, "upper": 200}, "register": "n"}],
                             sim_env(clean_sim, "token", tmp_path), tmp_path, "n")
    assert proc.returncode == 0, proc.stdout[-4000:]
    assert got["n"]["vmids"] == [135, 136, 137] and got["n"]["vmid"] == 135
    checks = [e["query"].get("vmid") for e in clean_sim.requests if e["path"] == "/cluster/nextid"]
    assert checks == ["135", "136", "137"]
    assert clean_sim.request_count(r"^/cluster/resources$") == 1


def test_nextid_range_exhausted(clean_sim, tmp_path):
    tasks = [{"pve.cluster.pve_nextid": {"count": 2, "lower": 132, "upper": 135}, "register": "n",
              "ignore_errors": True}]
    proc, got = run_and_dump(tasks, sim_env(clean_sim, "token", tmp_path), tmp_path, "n")
    assert proc.returncode == 0, proc.stdout[-4000:]
    assert got["n"]["failed"] is True
    assert "132..135" in got["n"]["msg"] and "only 1 free id " in got["n"]["msg"] and "count=2" in got["n"]["msg"]
    assert clean_sim.request_count(r"^/cluster/nextid") == 0
