# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reliability: server and network faults injected by pvesim, seen through real ansible-* runs."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from reliability_support import (
    AUDITOR_TOKEN_ID, AUDITOR_TOKEN_SECRET, TRACEBACK, env_for, inventory_hosts, run_inventory,
    run_module, run_playbook)

pytestmark = pytest.mark.usefixtures("reliability_session")


# A module run that only reads /version: the smallest real request.
FAST = {"api_timeout": 2, "api_retries": 1}


def timed_module(module, args):
    """Tasks timing one module task by the controller's clock (module start to result)."""
    return [
        {"name": "t0", "ansible.builtin.set_fact": {"rel_t0": "{{ now().timestamp() }}"}},
        {"name": "case", "pve.cluster." + module: args, "register": "result", "ignore_errors": True},
        {"name": "t1", "ansible.builtin.set_fact": {"rel_seconds": "{{ now().timestamp() - rel_t0 | float }}"}},
    ]


def failed_msg(result):
    assert result.get("failed") is True, result
    assert TRACEBACK not in str(result), result
    return result["msg"]


# -- 502/503/504 then success ------------------------------------------------------------------
@pytest.mark.parametrize("status", [502, 503, 504])
def test_gateway_errors_then_success(rel_sim, rcase, tmp_path, status):
    """GET answered 2x with the status, then normally: the module succeeds within api_retries=3 and
    each retry is reported as a warning (visible at -vvv and in the result's warnings)."""
    rcase(case="HTTP %d twice on GET /nodes, then OK" % status)
    rel_sim.add_fault(path=r"^/nodes$", status=status, times=2)
    run, result = run_module(rcase, "pve_node_info", {}, env_for(rel_sim, tmp_path), tmp_path, verbosity="-vvv")
    assert result.get("failed") is not True, result
    assert [n["node"] for n in result["nodes"]] == ["pve1", "pve2", "pve3"]
    assert rel_sim.request_count(r"^/nodes$") == 3
    retries = [w for w in result.get("warnings", []) if "(api_retries)" in w]
    assert len(retries) == 2, result.get("warnings")
    assert "HTTP %d, retry 1 of 3" % status in retries[0] and "retry 2 of 3" in retries[1]
    assert "HTTP %d, retry 1 of 3" % status in run.output
    rcase.fig(requests=rel_sim.request_count(), retries=len(retries), seconds=round(run.seconds, 1))


def test_gateway_errors_exhaust_retries(rel_sim, rcase, tmp_path):
    """503 on every try: the module fails after api_retries+1 GETs, naming the call and the status."""
    rel_sim.add_fault(path=r"^/cluster/status$", status=503)
    run = run_playbook(rcase, timed_module("pve_cluster_info", {"api_retries": 2}), env_for(rel_sim, tmp_path),
                       tmp_path, register=("result", "rel_seconds"))
    msg = failed_msg(run.results["result"])
    assert "503" in msg and "/cluster/status" in msg, msg
    assert rel_sim.request_count(r"^/cluster/status$") == 3
    rcase.fig(requests=rel_sim.request_count(), retries=2, time_to_fail_s=round(float(run.results["rel_seconds"]), 2),
              msg=msg)


def test_post_login_is_not_retried(rel_sim, rcase, tmp_path):
    """A 503 on POST /access/ticket is not retried (api_retries covers GET only): one POST, a clear failure."""
    rel_sim.add_fault(path=r"^/access/ticket$", status=503, method="POST")
    _run, result = run_module(rcase, "pve_version_info", {}, env_for(rel_sim, tmp_path, auth="password"), tmp_path)
    msg = failed_msg(result)
    assert "503" in msg and "/access/ticket" in msg, msg
    assert rel_sim.request_count(r"^/access/ticket$", method="POST") == 1
    assert rel_sim.request_count(r"^/version$") == 0
    rcase.fig(requests=rel_sim.request_count(), msg=msg)


# -- transport failures --------------------------------------------------------------------------
def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_connection_refused(rel_sim, rcase, tmp_path):
    """Nothing listens on the port: the module fails naming host and port and 'connection refused'."""
    port = free_port()
    env = env_for(rel_sim, tmp_path, PVE_API_HOST="https://127.0.0.1:%d" % port)
    run = run_playbook(rcase, timed_module("pve_version_info", FAST), env, tmp_path, register=("result", "rel_seconds"))
    msg = failed_msg(run.results["result"])
    assert "127.0.0.1:%d" % port in msg and "connection refused" in msg, msg
    assert "after 2 attempts" in msg, msg
    rcase.fig(time_to_fail_s=round(float(run.results["rel_seconds"]), 2), msg=msg)


def test_server_never_answers(rel_sim, rcase, tmp_path):
    """The server accepts and never answers: the module fails within api_timeout x (api_retries+1)
    plus backoff (1s x 2 + 0.5s), saying it timed out (api_timeout=1, api_retries=1)."""
    rel_sim.add_fault(path=r"^/version$", kind="hang")
    args = {"api_timeout": 1, "api_retries": 1}
    tasks = timed_module("pve_version_info", args) + [
        {"name": "t2", "ansible.builtin.set_fact": {"rel_end": "{{ now().timestamp() }}"}}]
    run = run_playbook(rcase, tasks, env_for(rel_sim, tmp_path), tmp_path, register=("result", "rel_seconds", "rel_end"))
    msg = failed_msg(run.results["result"])
    assert "did not answer within api_timeout=1s" in msg and "after 2 attempts" in msg, msg
    arrivals = [e["time"] for e in rel_sim.requests if e["path"] == "/version"]
    assert len(arrivals) == 2, rel_sim.requests
    # The gate asserts what the client decided (the deadline in the message, two attempts, the client
    # hung up on each); seconds are recorded as figures only: a busy machine moves them by tenths.
    waits = _hang_waits(rel_sim, "/version")
    assert len(waits) == 2 and all(wait != float("inf") for wait in waits), waits  # the client hung up, twice
    seconds = float(run.results["rel_end"]) - arrivals[0]
    gap = arrivals[1] - arrivals[0]
    budget = 1 * 2 + 0.5
    rcase.fig(time_to_fail_s=round(seconds, 2), budget_s=budget, retry_gap_s=round(gap, 2),
              attempt_waits_s=[round(wait, 2) for wait in waits],
              task_s=round(float(run.results["rel_seconds"]), 2), requests=2, msg=msg)


def _hang_waits(sim, path, within=5.0):
    """Seconds from arrival to the client's hang-up for each request to PATH (the server notes the
    hang-up as it reads the closed socket: give it up to WITHIN seconds)."""
    deadline = time.monotonic() + within
    while True:
        entries = [e for e in sim.requests if e["path"] == path]
        if all("hung_up" in e for e in entries) or time.monotonic() > deadline:
            return [e.get("hung_up", float("inf")) - e["time"] for e in entries]
        time.sleep(0.05)


@pytest.mark.parametrize("kind, expect", [
    ("truncate", "was cut off"),
    ("malformed", "invalid JSON"),
    ("html", "content-type text/html"),
])
def test_broken_answers(rel_sim, rcase, tmp_path, kind, expect):
    """A body cut short, malformed JSON, or nginx's HTML error page with status 200: a clear failure
    saying what came back (not a traceback, not a JSON decoder message alone)."""
    rcase(case="%s body on GET /version" % kind)
    rel_sim.add_fault(path=r"^/version$", kind=kind)
    run = run_playbook(rcase, timed_module("pve_version_info", FAST), env_for(rel_sim, tmp_path), tmp_path,
                       register=("result", "rel_seconds"))
    msg = failed_msg(run.results["result"])
    assert expect in msg and "/version" in msg, msg
    rcase.fig(requests=rel_sim.request_count(r"^/version$"),
              time_to_fail_s=round(float(run.results["rel_seconds"]), 2), msg=msg[:160])


# -- authentication and permissions ----------------------------------------------------------------
def test_wrong_token_401(rel_sim, rcase, tmp_path):
    """A wrong token secret: 401, not retried, a message about authentication (without the secret)."""
    env = env_for(rel_sim, tmp_path, PVE_API_TOKEN_SECRET="00000000-0000-0000-0000-wrongwrong00")
    _run, result = run_module(rcase, "pve_version_info", {}, env, tmp_path)
    msg = failed_msg(result)
    assert "401" in msg and "authentica" in msg.lower(), msg
    assert "wrongwrong" not in msg
    assert rel_sim.request_count() == 1
    rcase.fig(requests=rel_sim.request_count(), msg=msg)


def test_expired_ticket_relogin(rel_sim, rcase, tmp_path):
    """Password auth; the ticket expires after login, during the run: one re-login, then success
    (POST /access/ticket exactly twice)."""
    rel_sim.add_fault(path=r"^/nodes$", kind="latency", latency=1.0, times=1)
    stop = threading.Event()

    def expire_after_login():
        while not stop.is_set():
            if rel_sim.request_count(r"^/access/ticket$", method="POST") >= 1:
                time.sleep(0.2)  # the GET /nodes is now waiting in its latency
                rel_sim.expire_tickets()
                return
            time.sleep(0.02)

    thread = threading.Thread(target=expire_after_login, daemon=True)
    thread.start()
    try:
        _run, result = run_module(rcase, "pve_node_info", {}, env_for(rel_sim, tmp_path, auth="password"), tmp_path)
    finally:
        stop.set()
        thread.join(5)
    assert result.get("failed") is not True, result
    assert rel_sim.request_count(r"^/access/ticket$", method="POST") == 2
    refused = [e for e in rel_sim.requests if e["status"] == 401]
    assert len(refused) == 1, refused
    assert [n["node"] for n in result["nodes"]] == ["pve1", "pve2", "pve3"]
    rcase.fig(logins=2, refused_401=1, requests=rel_sim.request_count())


def test_forbidden_403_keeps_pve_text(rel_sim, rcase, tmp_path):
    """A read-only token without Sys.Audit: 403 on /cluster/status; msg keeps PVE's privilege text."""
    env = env_for(rel_sim, tmp_path, PVE_API_TOKEN_ID=AUDITOR_TOKEN_ID, PVE_API_TOKEN_SECRET=AUDITOR_TOKEN_SECRET)
    _run, result = run_module(rcase, "pve_cluster_info", {"gather": ["status"]}, env, tmp_path)
    msg = failed_msg(result)
    assert "403" in msg and "Permission check failed" in msg and "Sys.Audit" in msg, msg
    assert rel_sim.request_count(r"^/cluster/status$") == 1
    rcase.fig(requests=rel_sim.request_count(), msg=msg)


# -- partial failures ------------------------------------------------------------------------------
@pytest.mark.parametrize("status", [595, 596])
def test_one_node_unreachable_module(rel_sim, rcase, tmp_path, status):
    """HTTP 595/596 from pve2's status: pve_node_info returns every node, pve2 without details, with a
    warning naming pve2; the module does not fail."""
    rcase(case="HTTP %d on /nodes/pve2/status (pve_node_info)" % status)
    rel_sim.add_fault(path=r"^/nodes/pve2/", status=status)
    _run, result = run_module(rcase, "pve_node_info", {}, env_for(rel_sim, tmp_path), tmp_path)
    assert result.get("failed") is not True, result
    nodes = dict((n["node"], n) for n in result["nodes"])
    assert sorted(nodes) == ["pve1", "pve2", "pve3"]
    assert "node_status" in nodes["pve1"] and "node_status" not in nodes["pve2"]
    warnings = [w for w in result.get("warnings", []) if "pve2" in w]
    assert warnings, result.get("warnings")
    rcase.fig(nodes=len(nodes), warning=warnings[0][:160])


def test_one_node_unreachable_inventory(rel_sim, rcase, tmp_path):
    """HTTP 595 for every per-guest call on pve2 (guest_agent): the inventory still lists all guests,
    pve2's running guests without ansible_host and with pve_agent_error, and a warning."""
    rel_sim.add_fault(path=r"^/nodes/pve2/", status=595)
    run = run_inventory(rcase, {"plugin": "pve.cluster.pve", "ansible_host": "guest_agent"},
                        env_for(rel_sim, tmp_path), tmp_path)
    assert run.proc.returncode == 0, run.output[-3000:]
    hostvars = run.inventory["_meta"]["hostvars"]
    on_pve2 = [h for h, v in hostvars.items() if v.get("pve_node") == "pve2" and v.get("pve_type") != "node"]
    running = [h for h in on_pve2 if hostvars[h]["pve_status"] == "running"]
    assert on_pve2 and running
    assert all("ansible_host" not in hostvars[h] and "595" in hostvars[h]["pve_agent_error"] for h in running)
    pve1 = [h for h, v in hostvars.items() if v.get("pve_node") == "pve1" and v.get("pve_type") != "node"]
    assert any("ansible_host" in hostvars[h] for h in pve1)
    assert "no address from the guest agent" in run.output
    rcase.fig(hosts=len(hostvars), pve2_guests=len(on_pve2), agent_errors=len(running),
              requests=rel_sim.request_count(), seconds=round(run.seconds, 1))


def test_one_guest_agent_500(rel_sim, rcase, tmp_path):
    """HTTP 500 from web01's guest agent: the inventory completes; web01 has no ansible_host and a
    pve_agent_error, the other guests have theirs, and a warning names web01."""
    rel_sim.add_fault(path=r"^/nodes/pve1/qemu/100/agent/", status=500, message="QEMU guest agent is not running")
    run = run_inventory(rcase, {"plugin": "pve.cluster.pve", "ansible_host": "guest_agent"},
                        env_for(rel_sim, tmp_path), tmp_path)
    assert run.proc.returncode == 0, run.output[-3000:]
    hostvars = run.inventory["_meta"]["hostvars"]
    assert "ansible_host" not in hostvars["web01"] and "500" in hostvars["web01"]["pve_agent_error"]
    assert hostvars["web02"]["ansible_host"] == "10.0.1.11"
    assert "web01" in run.output and "no address from the guest agent" in run.output
    rcase.fig(hosts=len(inventory_hosts(run.inventory)), requests=rel_sim.request_count(),
              seconds=round(run.seconds, 1))
