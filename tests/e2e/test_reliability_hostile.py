# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reliability: a hostile server (tests/e2e/hostile_server.py, plain HTTP on 127.0.0.1) against the modules.

Every run is capped (hostile_support.capped_module: RLIMIT_AS, a timeout killing the process group)
and scanned for secrets; every server loop is bounded in count and time.
"""

from __future__ import annotations

import pytest

from hostile_server import MIB, Hostile, echo_auth, endless_tasks, envelope, huge, raw_json, slow_drip
from hostile_support import (  # noqa: F401  pylint: disable=unused-import
    HOSTILE_SECRET, RSS_BOUND_MIB, capped_module, capped_tasks, hostile, hostile_env)
from reliability_support import TRACEBACK

pytestmark = pytest.mark.usefixtures("reliability_session")

TICKET = "PVE:root@pam:6789ABCD::c2lnbmF0dXJlLWhvc3RpbGU="
CSRF = "6789ABCD:Y3NyZi1ob3N0aWxl"


def failed_msg(result):
    assert result.get("failed") is True, result
    assert TRACEBACK not in str(result), result
    return result["msg"]


# -- 2. secrets --------------------------------------------------------------------------------
@pytest.mark.parametrize("status, where", [(500, "message"), (400, "errors_key"), (200, "data")],
                         ids=["error message", "errors map key", "200 answer"])
def test_echoed_token_secret(hostile, rcase, tmp_path, status, where):
    """The server echoes the Authorization header (with the token secret): in an error message, as a
    key of a 400's errors map, or in a 200 answer's data. The result shows <hidden>; the secret is in
    no output (-vvvv)."""
    rcase(case="token secret echoed in the %s" % where.replace("_", " "))
    hostile.route("/version", echo_auth(status=status, where=where))
    run, result, _peak = capped_module(rcase, "pve_version_info", {"api_retries": 0}, hostile_env(hostile, tmp_path),
                                       tmp_path)
    text = str(result)
    assert HOSTILE_SECRET not in text and "<hidden>" in text, result
    if status != 200:
        failed_msg(result)
    else:
        assert result["version"]["version"] == "PVEAPIToken=root@pam!hostile=<hidden>", result
    rcase.fig(runs=1, hits=0, message=(result.get("msg") or result["version"]["version"])[:120])


def test_short_token_secret_echoed(hostile, rcase, tmp_path):
    """A 3-character token secret (no UUID) echoed in an error: scrubbed all the same, and a warning says
    the secret does not look like a PVE token secret (Ansible's no_log masking would rewrite words)."""
    hostile.route("/version", echo_auth(status=500))
    run, result, _peak = capped_module(rcase, "pve_version_info", {"api_retries": 0},
                                       hostile_env(hostile, tmp_path, secret="Zq7"), tmp_path)
    msg = failed_msg(result)
    assert "Zq7" not in msg and "PVEAPIToken=root@pam!hostile=<hidden>" in msg, msg
    assert any("does not look like a PVE token secret" in w for w in result.get("warnings", [])), result
    rcase.fig(message=msg[:160])


def test_ticket_and_csrf_echoed(hostile, rcase, tmp_path):
    """Password auth; the server echoes the ticket cookie and the CSRF token in an error: both hidden."""
    hostile.route("/access/ticket", {"ticket": TICKET, "CSRFPreventionToken": CSRF, "username": "root@pam"})
    hostile.route("/version", lambda request: envelope(
        {"data": None, "message": "got %s and %s" % (request.headers.get("Cookie"), CSRF)}, status=500)(request))
    env = hostile_env(hostile, tmp_path, PVE_API_TOKEN_ID=None, PVE_API_TOKEN_SECRET=None, PVE_API_USER="root@pam",
                      PVE_API_PASSWORD="Pw-hostile-9f2c")
    run, result, _peak = capped_module(rcase, "pve_version_info", {"api_retries": 0}, env, tmp_path,
                                       extra_output=(TICKET, CSRF))
    msg = failed_msg(result)
    assert msg.endswith("got PVEAuthCookie=<hidden> and <hidden>"), msg
    assert hostile.count("/access/ticket") == 1
    rcase.fig(message=msg[-80:])


def test_short_password_echoed(hostile, rcase, tmp_path):
    """A 2-character password echoed by the login's 401 message: hidden (secrets of any length are scrubbed).
    The password has an upper-case letter and a '~': the whole -vvvv output is scanned for it, and the
    random names of Ansible's temporary files (mkdtemp: a-z, 0-9 and '_') once held 'q9'."""
    password = "Q~"
    echo = {"data": None, "message": "authentication failure for password " + password}
    hostile.route("/access/ticket", envelope(echo, status=401))
    env = hostile_env(hostile, tmp_path, PVE_API_TOKEN_ID=None, PVE_API_TOKEN_SECRET=None, PVE_API_USER="root@pam",
                      PVE_API_PASSWORD=password)
    run, result, _peak = capped_module(rcase, "pve_version_info", {"api_retries": 0}, env, tmp_path)
    msg = failed_msg(result)
    assert password not in msg and "password <hidden>" in msg, msg
    rcase.fig(message=msg[:160])


# -- 4. deadlines ------------------------------------------------------------------------------
@pytest.mark.parametrize("header_drip", [False, True], ids=["body", "headers"])
def test_slow_drip(hostile, rcase, tmp_path, header_drip):
    """The server sends one byte every 0.5s (of the body after the headers, or of the status line and
    headers): with api_timeout=2 and api_retries=0 the module fails after about 2s (each read alone
    would be within api_timeout), saying the deadline covers the whole request."""
    rcase(case="slow drip of the %s" % ("headers" if header_drip else "body"))
    stats = []
    hostile.route("/version", slow_drip(interval=0.5, header_drip=header_drip, stats=stats))
    tasks_args = {"api_timeout": 2, "api_retries": 0}
    run, result, _peak = capped_module(rcase, "pve_version_info", tasks_args, hostile_env(hostile, tmp_path), tmp_path)
    msg = failed_msg(result)
    assert "did not answer within api_timeout=2s (a deadline for the whole request" in msg, msg
    assert hostile.count("/version") == 1
    # the server saw the client go: the deadline, plus at most two drip intervals until a write fails
    assert len(stats) == 1 and stats[0] is not None and 1.9 <= stats[0] <= 2 + 1.2, stats
    rcase.fig(api_timeout=2, client_gone_after_s=round(stats[0], 2), message=msg[:140])


def test_total_deadline(hostile, rcase, tmp_path):
    """A slow drip with api_timeout=2, api_retries=5 and api_total_timeout=5: retries stop when the
    total deadline runs out (after about 5s, not 6 x 2s plus backoff) and the message names
    api_total_timeout."""
    stats = []
    hostile.route("/version", slow_drip(interval=0.5, stats=stats))
    args = {"api_timeout": 2, "api_retries": 5, "api_total_timeout": 5}
    run, result, _peak = capped_module(rcase, "pve_version_info", args, hostile_env(hostile, tmp_path), tmp_path)
    msg = failed_msg(result)
    assert "api_total_timeout=5s ran out" in msg, msg
    times = [r["time"] for r in hostile.requests if r["path"] == "/version"]
    assert 2 <= len(times) <= 3, len(times)
    # first request's arrival to the last request's end, seen by the server: the total deadline plus a drip interval
    span = times[-1] + stats[-1] - times[0]
    assert 4.5 <= span <= 5 + 1.2, (span, stats)
    rcase.fig(requests=len(times), total_s=round(span, 2), message=msg[:140])


# -- 5. sizes ----------------------------------------------------------------------------------
@pytest.mark.parametrize("compress", [False, True], ids=["1 GiB answer", "gzip bomb"])
def test_huge_answer(hostile, rcase, tmp_path, compress):
    """A 1 GiB answer (or a gzip bomb: about 1 MiB on the wire, 1 GiB after decompression): the module
    fails naming api_max_answer_mb (default 64 MiB) and how to raise it; the run's largest process
    stays below the documented bound (RSS_BOUND_MIB), measured; the run is capped by RLIMIT_AS."""
    rcase(case="gzip bomb" if compress else "1 GiB answer")
    hostile.route("/version", huge(1024 * MIB, compress=compress))
    run, result, peak = capped_module(rcase, "pve_version_info", {"api_retries": 0}, hostile_env(hostile, tmp_path),
                                      tmp_path, verbosity="-v")
    msg = failed_msg(result)
    assert "larger than api_max_answer_mb=64 MiB (after decompression)" in msg and "raise api_max_answer_mb" in msg, msg
    assert peak is not None and peak < RSS_BOUND_MIB, peak
    rcase.fig(peak_rss_mib=round(peak), bound_mib=RSS_BOUND_MIB, seconds=round(run.seconds, 1), message=msg[:140])


def test_answer_cap_is_an_option(hostile, rcase, tmp_path):
    """A 3 MiB answer with api_max_answer_mb=2 fails, naming the option; with 4 it is read."""
    hostile.route("/cluster/resources", huge(3 * MIB))
    small, result, _peak = capped_module(rcase, "pve_cluster_info", {"api_max_answer_mb": 2, "gather": ["resources"]},
                                         hostile_env(hostile, tmp_path), tmp_path, verbosity="")
    assert "api_max_answer_mb=2 MiB" in failed_msg(result)
    big, result, _peak = capped_module(rcase, "pve_cluster_info", {"api_max_answer_mb": 4, "gather": ["resources"]},
                                       hostile_env(hostile, tmp_path), tmp_path, verbosity="")
    assert result.get("failed") is not True and result["resources"] == [], result
    rcase.fig(runs=2)


# -- 6. wrong-typed data -----------------------------------------------------------------------
WRONG_TYPES = [
    ("pve_version_info", "/version", None, "null"),
    ("pve_version_info", "/version", ["9.1"], "a list"),
    ("pve_cluster_info", "/cluster/resources", {"vmid": 100}, "an object"),
    ("pve_cluster_info", "/cluster/status", {"name": "c"}, "an object"),
    ("pve_node_info", "/nodes", None, "null"),
    ("pve_tasks_info", "/nodes", None, "null"),
    ("pve_nextid", "/cluster/resources", "none", "a string"),
]


def batched(tmp_path_factory, name, cases):
    """cases: [(module, args, {path: answer})]: one capped ansible-playbook run, each task against its own server.
    Yields (run, results)."""
    servers = [Hostile().__enter__() for _case in cases]
    try:
        tasks = []
        for server, (module, args, routes) in zip(servers, cases):
            for path, answer in routes.items():
                server.route(path, answer)
            tasks.append((module, dict(args, api_host=server.url, api_retries=0)))
        tmp_path = tmp_path_factory.mktemp(name)
        yield capped_tasks(None, tasks, hostile_env(servers[0], tmp_path), tmp_path, verbosity="-v")[:2]
    finally:
        for server in servers:
            server.__exit__(None, None, None)


@pytest.fixture(scope="module")
def wrong_typed_results(tmp_path_factory):
    """All WRONG_TYPES cases in one capped ansible-playbook run."""
    yield from batched(tmp_path_factory, "wrong-typed", [
        (module, {"count": 2} if module == "pve_nextid" else {}, {path: data})
        for module, path, data, _said in WRONG_TYPES])


@pytest.mark.parametrize("index", range(len(WRONG_TYPES)),
                         ids=["%s: %s as %s" % (c[0], c[1], c[3]) for c in WRONG_TYPES])
def test_wrong_typed_data(wrong_typed_results, rcase, index):
    """The answer's data has the wrong type: the module fails naming the path and what came back
    (never an empty success such as version {} or 0 nodes)."""
    module, path, _data, said = WRONG_TYPES[index]
    rcase(case="%s: %s answers %s" % (module, path, said))
    run, results = wrong_typed_results
    msg = failed_msg(results[index])
    assert "GET %s: PVE answered with %s where" % (path, said) in msg, msg
    rcase.fig(runs_shared=1, message=msg[:160])


# -- 5./7. caps on rows, pages, log lines and ids ------------------------------------------------
LOG_UPID = "UPID:pve1:00001234:00005678:6774A1E0:qmstart:100:root@pam:"
BOUNDS = [
    ("pve_tasks_info limit 0, a node that always sends a full page of new tasks",
     "pve_tasks_info", {"node": "pve1", "limit": 0, "max_rows": 12000}, {"/nodes/pve1/tasks": endless_tasks()},
     "more than max_rows=12000 tasks"),
    ("pve_tasks_info log of 50 lines, max_log_lines 10 (the server ignores limit)",
     "pve_tasks_info", {"upid": LOG_UPID, "log": True, "max_log_lines": 10},
     {"/nodes/pve1/tasks/[^/]+/log": [{"n": n, "t": "line %d" % n} for n in range(1, 51)]},
     "more than max_log_lines=10 lines; raise max_log_lines"),
    ("pve_nextid: /cluster/nextid answers 5", "pve_nextid", {}, {"/cluster/nextid": "5"},
     "PVE returned '5' instead of a VMID (an integer in 100..999999999)"),
    ("pve_nextid: /cluster/nextid answers 1e12", "pve_nextid", {}, {"/cluster/nextid": "1000000000000"},
     "PVE returned '1000000000000' instead of a VMID"),
    ("pve_nextid count 2: PVE says every id is taken", "pve_nextid", {"count": 2},
     {"/cluster/resources": [], "/cluster/nextid": envelope(
         {"data": None, "message": "Parameter verification failed.\n", "errors": {"vmid": "VM 100 already exists"}},
         status=400)},
     "is crowded: PVE reported 100 ids as taken"),
]


@pytest.fixture(scope="module")
def bounds_results(tmp_path_factory):
    """All BOUNDS cases in one capped ansible-playbook run."""
    yield from batched(tmp_path_factory, "bounds", [(module, args, routes) for _t, module, args, routes, _m in BOUNDS])


@pytest.mark.parametrize("index", range(len(BOUNDS)), ids=[c[0] for c in BOUNDS])
def test_bounds(bounds_results, rcase, index):
    """A server that never stops (tasks, log lines) or answers ids out of range: the module fails with a message
    naming the cap and how to raise it (or the range), instead of paging, reading or returning for ever."""
    title, _module, _args, _routes, expected = BOUNDS[index]
    rcase(case=title)
    run, results = bounds_results
    msg = failed_msg(results[index])
    assert expected in msg, msg
    rcase.fig(runs_shared=1, message=msg[:160])


def test_non_finite_numbers(hostile, rcase, tmp_path):
    """NaN, Infinity and 1e999 in /cluster/resources: a warning, and those values are treated as missing."""
    hostile.route("/cluster/resources", raw_json(
        '{"data": [{"id": "qemu/100", "vmid": 100, "type": "qemu", "node": "pve1", "name": "a", "cpu": NaN, '
        '"maxmem": Infinity, "mem": 1e999, "maxcpu": 2}]}'))
    run, result, _peak = capped_module(rcase, "pve_cluster_info", {"gather": ["resources"]},
                                       hostile_env(hostile, tmp_path), tmp_path, verbosity="")
    assert result.get("failed") is not True, result
    row = result["resources"][0]
    assert row["maxcpu"] == 2 and row.get("cpu") is None and row.get("maxmem") is None and row.get("mem") is None, row
    assert any("3 number(s) in the answer were not finite" in w for w in result.get("warnings", [])), result
    rcase.fig(warnings=len(result.get("warnings", [])))


def test_lone_surrogate(hostile, rcase, tmp_path):
    """A guest name holding a lone UTF-16 surrogate (\\ud800): replaced by U+FFFD with a warning, no crash."""
    hostile.route("/cluster/resources", raw_json(
        '{"data": [{"id": "qemu/100", "vmid": 100, "type": "qemu", "node": "pve1", "name": "bad\\ud800name"}]}'))
    run, result, _peak = capped_module(rcase, "pve_cluster_info", {"gather": ["resources"]},
                                       hostile_env(hostile, tmp_path), tmp_path, verbosity="")
    assert result.get("failed") is not True, result
    assert result["resources"][0]["name"] == "bad\ufffdname", result
    assert any("invalid Unicode" in w for w in result.get("warnings", [])), result
    rcase.fig(name=result["resources"][0]["name"])


# -- 8. terminal-safe text ---------------------------------------------------------------------
def test_ansi_escape_in_error(hostile, rcase, tmp_path):
    """An error message with an ANSI escape and a carriage return: the module's msg shows them as \\x1b and
    \\x0d, and the raw escape is in no output."""
    hostile.route("/version", envelope({"data": None, "message": "bad \x1b[2J\x1b[31mred\rover"}, status=500))
    run, result, _peak = capped_module(rcase, "pve_version_info", {"api_retries": 0}, hostile_env(hostile, tmp_path),
                                       tmp_path)
    msg = failed_msg(result)
    assert "bad \\x1b[2J\\x1b[31mred\\x0dover" in msg, msg
    assert "\x1b[2J" not in run.output
    rcase.fig(message=msg[-60:])
