# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""pve_tasks_info: main() run in-process, HTTP mocked with `responses` (fed from tests/unit/fixtures/pve-api-samples)."""

from __future__ import annotations

import json
import re
import urllib.parse

import pytest
import responses
from responses import matchers

from ansible_collections.pve.cluster.plugins.modules import pve_tasks_info
from ansible_collections.pve.cluster.tests.unit.plugins._in_flight import InFlight
from ansible_collections.pve.cluster.tests.unit.plugins.modules._module_runner import (
    BASE, CONNECTION, STANDARD_KEYS, check_against_docs, query, return_docs, module_runner, sample, warnings_of,
)

run = module_runner(pve_tasks_info, CONNECTION)


def path_of(call):
    return urllib.parse.urlsplit(call.request.url).path


def upid(node, pid, start, ttype="qmstart", tid="100", user="root@pam"):
    return "UPID:%s:%08X:%08X:%08X:%s:%s:%s:" % (node, pid, 1000 + pid, start, ttype, tid, user)


def row(node, pid, start, status="OK", duration=5, ttype="qmstart", tid="100", user="root@pam"):
    out = {"upid": upid(node, pid, start, ttype, tid, user), "node": node, "pid": pid, "pstart": 1000 + pid,
           "starttime": start, "type": ttype, "id": tid, "user": user}
    if status is not None:
        out["status"] = status
        out["endtime"] = start + duration
    return out


def nodes_body(*states):
    """GET /nodes as an auditor sees it: an online node's row carries its figures (without Sys.Audit it would not)."""
    return {"data": [dict({"node": name, "status": state, "type": "node", "id": "node/" + name},
                          **({"maxcpu": 4, "maxmem": 8589934592, "uptime": 3600} if state == "online" else {}))
                     for name, state in states]}


# -- one node ------------------------------------------------------------------------------------
def test_one_node_default_query_and_rows_in_pves_order(capsys, api):
    recorded = sample("node-tasks/pve6.4-8_community-proxmox_srvreload.json")
    node = "iaclab-01-01"
    api.get(BASE + "/nodes/%s/tasks" % node, json=recorded["body"],
            match=[matchers.query_param_matcher({"source": "archive", "start": "0", "limit": "50"})])
    result = run.ok(capsys, {"node": node})
    assert result["changed"] is False
    assert len(api.calls) == 1
    tasks = result["tasks"]
    assert [t["upid"] for t in tasks] == [r["upid"] for r in recorded["body"]["data"]]
    assert set(tasks[0]) == {"upid", "node", "type", "id", "user", "status", "starttime", "endtime", "pid",
                             "pstart", "outcome", "duration"}
    # The sample has no `total` (PVE leaves it out when 0): the rows themselves count.
    assert result["total"] == 3


def test_every_filter_is_sent_to_pve(capsys, api):
    expected = {"source": "all", "start": "5", "limit": "10", "since": "1735689600", "until": "1735776000",
                "statusfilter": "ok,error", "typefilter": "vzdump", "userfilter": "root", "vmid": "100",
                "errors": "0"}
    api.get(BASE + "/nodes/pve1/tasks", json={"data": [row("pve1", 7, 1735700000, ttype="vzdump")], "total": 42},
            match=[matchers.query_param_matcher(expected)])
    result, code = run(capsys, {"node": "pve1", "source": "all", "start": 5, "limit": 10, "since": "2025-01-01",
                                "until": 1735776000, "statusfilter": ["ok", "error"], "typefilter": "vzdump",
                                "userfilter": "root", "vmid": 100, "errors": False})
    assert code == 0, result
    assert query(api.calls[0]) == expected
    assert result["total"] == 42
    assert len(result["tasks"]) == 1


# -- all nodes -----------------------------------------------------------------------------------
def test_all_online_nodes_merged_newest_first_with_start_and_limit(capsys, api):
    api.get(BASE + "/nodes", json=nodes_body(("pve2", "online"), ("pve1", "online"), ("pve3", "offline")))
    pve1 = [row("pve1", 1, 1000), row("pve1", 2, 800), row("pve1", 3, 500), row("pve1", 4, 100)]
    pve2 = [row("pve2", 5, 900), row("pve2", 6, 800), row("pve2", 7, 200)]
    for node, rows, total in (("pve1", pve1, 17), ("pve2", pve2, 3)):
        api.get(BASE + "/nodes/%s/tasks" % node, json={"data": rows, "total": total},
                match=[matchers.query_param_matcher({"source": "archive", "start": "0", "limit": "4"})])
    result = run.ok(capsys, {"start": 1, "limit": 3})
    # newest first over both nodes; the tie at 800 is broken by UPID (descending, like PVE's own order)
    order = [(t["node"], t["starttime"]) for t in result["tasks"]]
    assert order == [("pve2", 900), ("pve2", 800), ("pve1", 800)]
    assert result["total"] == 20
    # the node list first, then the nodes (asked concurrently, so in any order)
    assert path_of(api.calls[0]) == "/api2/json/nodes"
    assert sorted(path_of(c) for c in api.calls[1:]) == ["/api2/json/nodes/pve1/tasks", "/api2/json/nodes/pve2/tasks"]
    assert any("pve3" in w and "offline" in w for w in warnings_of(result))


def test_nodes_are_asked_concurrently_and_limit_0_reads_all(capsys, api):
    names = ["pve%02d" % number for number in range(1, 13)]
    api.get(BASE + "/nodes", json=nodes_body(*[(name, "online") for name in names]))

    def answer(request):
        node = urllib.parse.urlsplit(request.url).path.split("/")[4]
        return 200, {}, json.dumps({"data": [row(node, names.index(node) + 1, 1000 + names.index(node))], "total": 1})

    slow_answer = InFlight(answer, delay=0.05, wait_for=8)
    for name in names:
        api.add_callback(responses.GET, BASE + "/nodes/%s/tasks" % name, callback=slow_answer)
    result = run.ok(capsys, {"limit": 0, "start": 1})  # everything: each node from 0 in pages, then start over the merge
    assert [t["node"] for t in result["tasks"]] == list(reversed(names))[1:] and result["total"] == 12
    assert set((query(c)["start"], query(c)["limit"]) for c in api.calls[1:]) == {("0", "5000")}
    assert slow_answer.peak == 8  # bounded: 12 nodes, at most 8 at a time


# -- limit 0: paging -------------------------------------------------------------------------------
class TaskServer:
    """A node's task list, newest first, that can grow at the head between requests."""

    def __init__(self, count, arrivals=None):
        self.rows = [row("pve1", 100000 + i, 2000000000 - i) for i in range(count)]
        self.arrivals = dict(arrivals or {})  # request number -> new tasks inserted after it
        self.requests = 0

    def __call__(self, request):
        asked = query(request)
        start, limit = int(asked["start"]), int(asked["limit"])
        page = self.rows[start:start + limit] if limit else self.rows[start:]
        body = json.dumps({"data": page, "total": len(self.rows)})
        self.requests += 1
        for i in range(self.arrivals.get(self.requests, 0)):
            self.rows.insert(0, row("pve1", 900000 + self.requests * 100 + i, 2100000000 + i))
        return 200, {"Content-Type": "application/json"}, body


@pytest.mark.parametrize("count, arrivals, args, pages", [
    # tasks arriving at the head between pages: 0..4999, 5000..9999 (3 rows seen again), 10000..12004 (short: the end)
    (12000, {1: 3, 2: 2}, {"limit": 0}, [(0, 5000), (5000, 5000), (10000, 5000)]),
    (10000, {}, {"limit": 0, "start": 0}, [(0, 5000), (5000, 5000)]),  # stops at total, without an extra request
    (9000, {}, {"limit": 6000, "start": 100}, [(100, 5000), (5100, 1000)]),  # a large limit: paged, cut to the limit
], ids=["limit 0 while tasks arrive", "limit 0 stops at total", "large limit"])
def test_paging_has_no_duplicates_or_gaps(capsys, api, count, arrivals, args, pages):
    server = TaskServer(count, arrivals)
    original = [r["upid"] for r in server.rows]
    api.add_callback(responses.GET, BASE + "/nodes/pve1/tasks", callback=server)
    result = run.ok(capsys, dict(args, node="pve1"))
    got = [t["upid"] for t in result["tasks"]]
    start = args.get("start", 0)
    assert got == original[start:start + (args["limit"] or count)] and len(set(got)) == len(got)
    assert [(int(query(c)["start"]), int(query(c)["limit"])) for c in api.calls] == pages
    assert result["total"] == count


# -- one task --------------------------------------------------------------------------------------
TASK_UPID = "UPID:pve2:00000FA8:000186D8:6B092A15:qmigrate:120:root@pam!ansible:"


TASK_STATUS = {"upid": TASK_UPID, "node": "pve2", "pid": 4008, "pstart": 100056, "starttime": 1795762709,
               "type": "qmigrate", "id": "120", "user": "root@pam", "tokenid": "ansible", "status": "stopped",
               "exitstatus": "migration aborted"}


def status_url(kind):
    return BASE + "/nodes/pve2/tasks/" + urllib.parse.quote(TASK_UPID, safe="") + "/" + kind


def add_task_with_log(api):
    api.get(status_url("status"), json={"data": TASK_STATUS})
    api.get(status_url("log"), match=[matchers.query_param_matcher({"limit": "100001"})], json={
        "data": [{"n": 2, "t": "TASK ERROR: migration aborted"}, {"n": 1, "t": "starting qmigrate for 120"}],
        "total": 2})


def test_upid_reads_status_and_log(capsys, api):
    add_task_with_log(api)
    result = run.ok(capsys, {"upid": TASK_UPID, "log": True})
    # the UPID travels percent-escaped in the path
    assert "/tasks/UPID%3Apve2%3A00000FA8" in api.calls[0].request.url
    assert "%21ansible%3A/status" in api.calls[0].request.url
    assert result["total"] == 1
    (task,) = result["tasks"]
    assert task["status"] == "migration aborted" and task["outcome"] == "error" and task["duration"] is None
    assert task["user"] == "root@pam" and task["tokenid"] == "ansible" and task["node"] == "pve2"
    assert task["log"] == ["starting qmigrate for 120", "TASK ERROR: migration aborted"]
    assert "exitstatus" not in task


def test_upid_running_task_without_log(capsys, api):
    running = dict(TASK_STATUS, user="root@pam!ansible", status="running")
    del running["tokenid"], running["exitstatus"]
    api.get(status_url("status"), json={"data": running})
    result = run.ok(capsys, {"upid": TASK_UPID, "node": "pve2"})
    (task,) = result["tasks"]
    assert task["outcome"] == "running" and task["duration"] is None and "status" not in task
    assert task["user"] == "root@pam" and task["tokenid"] == "ansible"
    assert "log" not in task
    assert len(api.calls) == 1


# -- docs --------------------------------------------------------------------------------------
def test_returned_keys_match_the_return_docs(capsys, api):
    docs = return_docs(pve_tasks_info)
    token_row = dict(row("pve1", 9, 1735700100, status=None), tokenid="ansible")
    api.get(BASE + "/nodes/pve1/tasks", json={"data": [token_row, row("pve1", 8, 1735700000)], "total": 2})
    add_task_with_log(api)
    listed = run.ok(capsys, {"node": "pve1", "source": "all"})
    single = run.ok(capsys, {"upid": TASK_UPID, "log": True})
    seen = set()
    for result in (listed, single):
        assert set(result) - STANDARD_KEYS == set(docs)
        for key, spec in docs.items():
            check_against_docs(result[key], spec, key, seen)
    # every documented element key was exercised by one of the two runs
    assert seen == set("tasks[].%s" % key for key in docs["tasks"]["contains"])


# -- bounds: a server that never stops sending -----------------------------------------------------
def endless(request):
    """Every page full of new tasks, and no total."""
    start, size = int(query(request)["start"]), int(query(request)["limit"])
    return 200, {}, json.dumps({"data": [row("pve1", start + index + 1, 1735700000 + start + index) for index in range(size)]})


def one_new(request):
    """Every page repeats the rows seen before and adds one new task."""
    start = int(query(request)["start"])
    return 200, {}, json.dumps({"data": [row("pve1", 1, 1735700000)] * 4999 + [row("pve1", start + 2, 1735700000 + start)]})


@pytest.mark.parametrize("answer, max_rows, said, starts", [
    (endless, 12000, ["more than max_rows=12000 tasks", "raise max_rows"], [0, 5000, 10000]),  # stops at max_rows
    (one_new, 100, ["max_rows=100", "for 3 pages"], None),  # stops after the page cap
], ids=["endless new tasks", "pages of mostly seen tasks"])
def test_limit_0_paging_is_bounded(capsys, api, answer, max_rows, said, starts):
    api.add_callback(responses.GET, BASE + "/nodes/pve1/tasks", callback=answer)
    result = run.fails(capsys, {"node": "pve1", "limit": 0, "max_rows": max_rows})
    assert all(text in result["msg"] for text in said), result["msg"]
    assert len(api.calls) == 3 and starts in (None, [int(query(c)["start"]) for c in api.calls])


def test_log_longer_than_max_log_lines_fails(capsys, api):
    """The log is asked for with limit max_log_lines + 1; a server that sends more lines anyway fails the module."""
    api.get(re.compile(re.escape(BASE) + r"/nodes/pve1/tasks/.*/status"), json={"data": {"status": "stopped",
                                                                                         "exitstatus": "OK"}})
    api.get(re.compile(re.escape(BASE) + r"/nodes/pve1/tasks/.*/log"), match=[matchers.query_param_matcher({"limit": "4"})],
            json={"data": [{"n": n, "t": "line %d" % n} for n in range(1, 50)]})
    result = run.fails(capsys, {"upid": upid("pve1", 8, 1735700000), "log": True, "max_log_lines": 3})
    assert "more than max_log_lines=3 lines; raise max_log_lines" in result["msg"], result["msg"]


def test_node_names_from_the_api_are_terminal_safe_in_warnings(capsys, api):
    """A node name with an ANSI escape (a hostile or broken server): the module's warning shows it as \\x1b."""
    api.get(BASE + "/nodes", json=nodes_body(("pve1", "online"), ("evil\x1b[2J", "offline")))
    api.get(BASE + "/nodes/pve1/tasks", json={"data": [], "total": 0})
    result = run.ok(capsys, {})
    shown = json.dumps(result["warnings"])  # plain strings, or ansible-core 2.19's warning summaries
    assert "node evil\\\\x1b[2J is offline" in shown and "\\u001b" not in shown, shown


def test_times_out_of_range_are_missing_with_one_warning(capsys, api):
    """starttime/endtime that are no Unix time (far future, negative, text, a float) from a hostile or broken server:
    null (and so is the duration) with one warning naming the tasks, instead of an int that breaks strftime later;
    over all nodes they are cleared before the merge sorts, so a bogus far-future start does not come first."""
    good = row("pve1", 1, 1000)
    bogus = [dict(row("pve1", 2, 900), starttime=10 ** 15), dict(row("pve1", 3, 800), endtime=-5),
             dict(row("pve1", 4, 700), starttime="soon"), dict(row("pve1", 5, 600), endtime=1.5e9)]
    api.get(BASE + "/nodes", json=nodes_body(("pve1", "online")))
    api.get(BASE + "/nodes/pve1/tasks", json={"data": bogus + [good], "total": 5})
    result = run.ok(capsys, {})
    tasks = {t["pid"]: t for t in result["tasks"]}
    assert result["tasks"][0]["pid"] == 1  # the one real start time is the newest
    assert tasks[1]["starttime"] == 1000 and tasks[1]["duration"] == 5
    assert (tasks[2]["starttime"], tasks[3]["endtime"], tasks[4]["starttime"], tasks[5]["endtime"]) == (None,) * 4
    assert [tasks[pid]["duration"] for pid in (2, 3, 4, 5)] == [None] * 4
    shown = [w for w in warnings_of(result) if "not a Unix time" in w]
    assert len(shown) == 1 and shown[0].startswith("4 task(s) had a starttime or endtime"), result
    assert all(tasks[pid]["upid"] in shown[0] for pid in (2, 3, 4, 5))
