# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers of the hostile-server suite (tests/e2e/test_reliability_hostile*.py).

`capped_module` runs one module task in a child process with an address-space cap (RLIMIT_AS) and a
timeout that kills the whole process group, and measures the peak RSS of the run's largest process:
a client that allocated without bound would hit the cap instead of the machine.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from hostile_server import Hostile
from pve_e2e import base_env
from reliability_support import DEFAULT_VERBOSITY, Run, _scan, ansible_bin, play_yaml, with_env

HOSTILE_TOKEN_ID = "root@pam!hostile"
HOSTILE_SECRET = "5ec7e700-0bad-4bad-8bad-0123456789ab"  # UUID-shaped: no "not a UUID" warning
AS_CAP = 3 * 1024 ** 3      # address space of every process of a capped run (virtual, not resident)
RSS_BOUND_MIB = 400         # documented: the largest process of a run stays below this (resident)
SECRET_VARS = ("PVE_API_TOKEN_SECRET", "PVE_API_PASSWORD")
CAPPED_TIMEOUT = 120        # seconds before the process group of a capped run is killed

_WRAPPER = """
import json, resource, subprocess, sys
resource.setrlimit(resource.RLIMIT_AS, (%d, %d))
proc = subprocess.run(sys.argv[2:])
with open(sys.argv[1], "w") as handle:
    json.dump({"rc": proc.returncode, "maxrss_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}, handle)
sys.exit(proc.returncode)
""" % (AS_CAP, AS_CAP)


@pytest.fixture
def hostile():
    with Hostile() as server:
        yield server


def hostile_env(server, tmp_path, secret=HOSTILE_SECRET, **extra):
    env = base_env(tmp_path)
    # the test server speaks plain HTTP on 127.0.0.1 (what it sends is the point, not TLS)
    env.update({"PVE_API_HOST": server.url, "PVE_API_TOKEN_ID": HOSTILE_TOKEN_ID, "PVE_API_TOKEN_SECRET": secret,
                "PVE_API_ALLOW_HTTP": "true"})
    return with_env(env, extra)


def capped_module(case, module, args, env, tmp_path, verbosity=DEFAULT_VERBOSITY, extra_output=()):
    """One module task (failure ignored) under AS_CAP and CAPPED_TIMEOUT; returns (run, result, peak_rss_mib).

    `extra_output`: more strings that must not appear in the output (beyond the suite's secrets)."""
    run, results, peak = capped_tasks(case, [(module, args)], env, tmp_path, verbosity, extra_output)
    return run, results[0], peak


def capped_tasks(case, tasks, env, tmp_path, verbosity=DEFAULT_VERBOSITY, extra_output=()):
    """Module tasks [(module, args), ...] in one ansible-playbook run (failures ignored) under AS_CAP and
    CAPPED_TIMEOUT; returns (run, [result, ...], peak_rss_mib of the run's largest process)."""
    play = [{"name": "case %d" % index, "pve.cluster." + module: args or {}, "register": "result%d" % index,
             "ignore_errors": True} for index, (module, args) in enumerate(tasks)]
    # one copy task (two module runs) for all the results
    dumped = tmp_path / "results.json"
    play.append({"name": "dump the results", "ansible.builtin.copy": {
        "content": "{{ [%s] | to_json }}" % ", ".join("result%d" % index for index in range(len(tasks))),
        "dest": str(dumped)}})
    playbook = tmp_path / "playbook.yml"
    playbook.write_text(play_yaml(play))
    usage = tmp_path / "usage.json"
    command = [sys.executable, "-c", _WRAPPER, str(usage), ansible_bin("ansible-playbook"), "-i", "localhost,",
               "-c", "local", str(playbook)] + ([verbosity] if verbosity else [])
    started = time.monotonic()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=CAPPED_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        stdout, stderr = proc.communicate()
        pytest.fail("capped run killed after %ss" % CAPPED_TIMEOUT)
    seconds = time.monotonic() - started
    completed = subprocess.CompletedProcess(command[4:], proc.returncode, stdout, stderr)
    _scan(case.nodeid if case else "hostile", completed, case)
    for marker in tuple(extra_output) + tuple(v for k, v in env.items() if k in SECRET_VARS):
        assert marker not in stdout + stderr, "%r in the output" % marker
    assert dumped.exists(), (stdout + stderr)[-4000:]
    results = json.loads(dumped.read_text())
    assert len(results) == len(tasks), results
    peak = json.loads(usage.read_text())["maxrss_kib"] / 1024.0 if usage.exists() else None
    return Run(completed, seconds, {"results": results}), results, peak
