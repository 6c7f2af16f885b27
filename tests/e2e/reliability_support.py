# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared machinery of the reliability suite (tests/e2e/test_reliability_*.py).

* Every ansible-playbook / ansible-inventory run goes through `Runner`, which scans its stdout and
  stderr for the suite's distinctive token secret, password and PVE ticket before the test sees
  it (a hit fails the test that made the run) and counts the runs for the report.
* Each test records a case (theme, case, expectation, figures) with the `rcase` fixture; a small
  pytest plugin, registered by the `reliability_session` fixture (tests/e2e/conftest.py), adds the outcome, and
  build/reliability.json is rewritten after every test module; scripts/reliability-report.py turns
  it into docs/reliability.md.

Test modules import the fixtures they use:  from reliability_support import rcase, rel_sim, ...
"""

from __future__ import annotations

import datetime
import fcntl
import json
import os
import pathlib
import re
import subprocess
import sys
import threading
import time

import pytest
import yaml

from pve_e2e import ROOT, ansible_bin, base_env, plain, sim_env
from pvesim import Simulator
from pvesim.auth import AUDITOR_TOKEN_ID, AUDITOR_TOKEN_SECRET

# Distinctive secrets: any of these in any output is a leak.
TOKEN_SECRET = "c0ffee00-5ec7-4e1a-9b1d-reliabilitytok"
PASSWORD = "Pw-reliability-S3cret!7f3a"
TICKET_RE = re.compile(r"PVE:[^:\s]+@[^:\s]+:[0-9A-F]{8}::")
# the Makefile passes its BUILD directory (make e2e BUILD=build-x); build/ when run without make
REPORT_JSON = pathlib.Path(os.environ.get("PVE_CLUSTER_BUILD_DIR") or ROOT / "build") / "reliability.json"
DEFAULT_VERBOSITY = "-vvvv"
TRACEBACK = "Traceback (most recent call last)"

_LOCK = threading.Lock()
_STATE = {"cases": {}, "order": [], "runs": 0, "hits": [], "started": None, "plugin": False}


def make_sim(scenario="demo", **kwargs):
    """A Simulator that uses this suite's distinctive secrets (not started)."""
    kwargs.setdefault("token_secret", TOKEN_SECRET)
    kwargs.setdefault("password", PASSWORD)
    return Simulator(scenario=scenario, **kwargs)


def secret_hits(text):
    """The names of the secrets found in `text` (empty list: clean)."""
    hits = []
    if TOKEN_SECRET in text:
        hits.append("token secret")
    if PASSWORD in text:
        hits.append("password")
    if TICKET_RE.search(text):
        hits.append("PVE ticket")
    return hits


# -- the case record ---------------------------------------------------------------------------
class Case:
    """One row of docs/reliability.md."""

    def __init__(self, nodeid, theme, title, expected, position=0):
        self.nodeid = nodeid
        self.position = position  # index in the collection: the report's order under xdist too
        self.theme = theme
        self.title = title
        self.expected = expected
        self.figures = {}
        self.outcome = "not run"
        self.message = ""
        self.duration = None

    def __call__(self, case=None, expected=None, **figures):
        if case is not None:
            self.title = case
        if expected is not None:
            self.expected = expected
        self.figures.update(figures)
        return self

    def fig(self, **figures):
        self.figures.update(figures)

    def add(self, name, amount=1):
        self.figures[name] = self.figures.get(name, 0) + amount

    def as_dict(self):
        return {"id": self.nodeid, "theme": self.theme, "case": self.title, "expected": self.expected,
                "outcome": self.outcome, "message": self.message, "duration_s": self.duration,
                "figures": self.figures, "position": self.position}


def _doc(function):
    text = (getattr(function, "__doc__", None) or "").strip()
    return " ".join(text.split())


class _Recorder:
    """pytest plugin: the outcome of every test that used `rcase`."""

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item, call):
        outcome = yield
        report = outcome.get_result()
        case = _STATE["cases"].get(item.nodeid)
        if case is None:
            return
        if report.when == "call" or (report.when == "setup" and not report.passed):
            case.outcome = "passed" if report.passed else ("skipped" if report.skipped else "failed")
            case.duration = round(report.duration, 2) if report.when == "call" else None
            if report.skipped and isinstance(report.longrepr, tuple):
                case.message = str(report.longrepr[2])
            elif report.failed:
                case.message = _first_error(str(report.longrepr))
        elif report.when == "teardown" and report.failed and case.outcome == "passed":
            case.outcome = "failed"
            case.message = _first_error(str(report.longrepr))


def _first_error(text):
    lines = [line[1:].strip() for line in text.splitlines() if line.startswith("E ")]
    return (" ".join(lines) if lines else text.strip().splitlines()[-1] if text.strip() else "")[:300]


def write_report_json():
    """Rewrite build/reliability.json. Under pytest-xdist every worker merges its cases into the file
    the other workers of the same run (PYTEST_XDIST_TESTRUNUID) wrote, under a lock, in collection order."""
    run_id = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    REPORT_JSON.parent.mkdir(parents=True, exist_ok=True)
    with open(str(REPORT_JSON) + ".lock", "w", encoding="utf-8") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        previous = _same_run_report(run_id)
        workers = previous.get("workers", {})
        workers[worker] = {"started": _STATE["started"], "runs": _STATE["runs"], "hits": _STATE["hits"]}
        cases = dict((case["id"], case) for case in previous.get("cases", []))
        cases.update((nodeid, _STATE["cases"][nodeid].as_dict()) for nodeid in _STATE["order"])
        started = [w["started"] for w in workers.values() if w["started"]]
        data = {
            "generated": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "command": "make e2e E2E_ARGS='-k reliability' && python3 scripts/reliability-report.py",
            "run": run_id,
            "python": sys.version.split()[0],
            "ansible_core": _ansible_version(),
            "cpus": os.cpu_count(),
            "load_average": [round(x, 1) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
            "wall_time_s": round(time.time() - min(started), 1) if started else None,
            "runs_scanned": sum(w["runs"] for w in workers.values()),
            "secret_hits": [hit for w in workers.values() for hit in w["hits"]],
            "workers": workers,
            "cases": sorted(cases.values(), key=lambda case: case["position"]),
        }
        tmp = REPORT_JSON.with_name("%s.%s.tmp" % (REPORT_JSON.name, worker))
        tmp.write_text(json.dumps(data, indent=1, sort_keys=False) + "\n", encoding="utf-8")
        tmp.replace(REPORT_JSON)


def _same_run_report(run_id):
    """The report other workers of this xdist run wrote ({} outside xdist or for another run)."""
    if not run_id or not REPORT_JSON.exists():
        return {}
    try:
        data = json.loads(REPORT_JSON.read_text(encoding="utf-8"))
    except ValueError:
        return {}
    return data if data.get("run") == run_id else {}


def _ansible_version():
    try:
        from ansible.release import __version__  # pylint: disable=import-outside-toplevel
        return __version__
    except ImportError:  # pragma: no cover
        return None


def env_for(sim, tmp_path, auth="token", **extra):
    """sim_env plus extra environment variables (value None removes one)."""
    return with_env(sim_env(sim, auth, tmp_path), extra)


def with_env(env, extra):
    """`env` updated by `extra` (a value None removes that variable)."""
    for key, value in extra.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = str(value)
    return env


# -- runs --------------------------------------------------------------------------------------
class Run:
    """A finished ansible-* command: proc (CompletedProcess), seconds, and its JSON results."""

    def __init__(self, proc, seconds, results=None, inventory=None):
        self.proc = proc
        self.seconds = seconds
        self.results = results or {}
        self.inventory = inventory

    @property
    def output(self):
        return self.proc.stdout + self.proc.stderr


def _scan(label, proc, case=None, extra=""):
    hits = secret_hits(proc.stdout + proc.stderr + extra)
    with _LOCK:
        _STATE["runs"] += 1
        if case is not None:
            case.add("runs")
        if hits:
            _STATE["hits"].append({"run": label, "found": hits})
    assert not hits, "%s: %s found in the output of %s" % (label, ", ".join(hits), " ".join(proc.args[:3]))


def _exec(command, env, timeout):
    started = time.monotonic()
    proc = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    return proc, time.monotonic() - started


def play_yaml(tasks, hosts="localhost", play_vars=None):
    play = {"name": "reliability", "hosts": hosts, "gather_facts": False, "tasks": tasks}
    if play_vars:
        play["vars"] = play_vars
    return yaml.safe_dump([play], sort_keys=False, width=1000)


def run_playbook(case, tasks, env, tmp_path, *args, verbosity=DEFAULT_VERBOSITY, timeout=300, label=None,
                 play_vars=None, register=(), plays=None, inventory="localhost,", extra_vars=None):
    """Run `tasks` (list of task dicts) on localhost by ansible-playbook, or `plays` (a list of plays)
    on `inventory`; dump each registered variable (of localhost) to JSON.

    extra_vars go in a file passed with -e @FILE, the way secrets reach a real playbook (vault, vars
    file): ansible-core >= 2.19 prints the source lines of a failed task, so a secret written literally
    into a task would be shown by ansible itself.
    """
    # one copy task writes every registered variable (a copy task costs two module runs: one per variable
    # made the bad-input batches, 102 variables, cost more than their cases)
    dumped = tmp_path / "registered.json"
    dumps = [{"name": "dump the registered variables", "ansible.builtin.copy": {
        "content": "{{ {%s} | to_json }}" % ", ".join("%r: %s | default(None)" % (name, name) for name in register),
        "dest": str(dumped)}, "check_mode": False}] if register else []
    path = tmp_path / "playbook.yml"
    if plays is not None:
        path.write_text(yaml.safe_dump(plays, sort_keys=False, width=1000))
    else:
        path.write_text(play_yaml(list(tasks) + dumps, play_vars=play_vars))
    command = [ansible_bin("ansible-playbook"), "-i", inventory, "-c", "local", str(path)] + list(args)
    if extra_vars:
        vars_file = tmp_path / "extra-vars.json"
        vars_file.write_text(json.dumps(extra_vars))
        command += ["-e", "@%s" % vars_file]
    if verbosity:
        command.append(verbosity)
    proc, seconds = _exec(command, env, timeout)
    _scan(label or (case.nodeid if case else "playbook"), proc, case)
    values = json.loads(dumped.read_text()) if register and dumped.exists() else {}
    results = dict((name, values.get(name)) for name in register)
    return Run(proc, seconds, results)


def run_module(case, module, args, env, tmp_path, *extra, **kwargs):
    """One module task (failure ignored, result registered as `result`)."""
    task = {"name": "case", "pve.cluster." + module: args or {}, "register": "result", "ignore_errors": True}
    run = run_playbook(case, [task], env, tmp_path, *extra, register=("result",), **kwargs)
    assert run.results["result"] is not None, run.output[-4000:]
    return run, run.results["result"]


def run_inventory(case, config, env, tmp_path, *args, verbosity=DEFAULT_VERBOSITY, timeout=300, name="rel.pve.yml",
                  before=()):
    """ansible-inventory --list on a pve.cluster.pve source (dict or YAML text); JSON read from --output.
    `before`: arguments ahead of `-i source` (an inventory source parsed first)."""
    source = tmp_path / name
    source.write_text(config if isinstance(config, str) else yaml.safe_dump(config, sort_keys=False))
    out = tmp_path / "inventory.json"
    if out.exists():
        out.unlink()
    command = [ansible_bin("ansible-inventory")] + list(before) + ["-i", str(source), "--list", "--output", str(out)]
    command += list(args)
    if verbosity:
        command.append(verbosity)
    proc, seconds = _exec(command, env, timeout)
    text = out.read_text() if out.exists() else ""
    _scan(case.nodeid if case else "inventory", proc, case, extra=text)  # the --list JSON too
    raw = json.loads(text) if text else None
    run = Run(proc, seconds, inventory=plain(raw))
    run.raw_inventory = raw
    return run


def inventory_hosts(inventory):
    """Every host name in an ansible-inventory --list answer."""
    return set((inventory or {}).get("_meta", {}).get("hostvars", {}))


def requests_between(sim, start, end):
    return [entry for entry in sim.requests if start - 0.05 <= entry["time"] <= end + 0.05]


__all__ = ["AUDITOR_TOKEN_ID", "AUDITOR_TOKEN_SECRET", "Case", "PASSWORD", "ROOT", "TOKEN_SECRET", "TRACEBACK",
           "base_env", "env_for", "inventory_hosts", "make_sim", "plain", "play_yaml", "requests_between",
           "run_inventory", "run_module", "run_playbook", "secret_hits", "write_report_json"]
