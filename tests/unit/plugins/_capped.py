# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run a piece of test work in a child process that cannot take the machine down with it: an address-space cap
(RLIMIT_AS) and a timeout that kills the child's whole process group. For the hostile tests whose work could
allocate without bound (a gzip bomb, pages of fat rows) or run for minutes (a quadratic check).

    outcome = run_capped(CODE, as_mib=1024, timeout=60)   # CODE prints one JSON line: outcome["result"]

The child imports the collection as the tests do (its collections root on PYTHONPATH) and gets `RESULT(value)`
to print its result. outcome: {"rc": int, "result": value or None, "killed": bool, "stderr": tail}.
"""

from __future__ import annotations

import json
import os
import pathlib
import signal
import subprocess
import sys
import textwrap

# <root>/ansible_collections/pve/cluster/tests/unit/plugins/_capped.py
COLLECTIONS_ROOT = str(pathlib.Path(__file__).resolve().parents[6])
_PRELUDE = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (%d, %d))
def RESULT(value):
    sys.stdout.write("RESULT " + json.dumps(value) + "\\n")
    sys.stdout.flush()
"""


def run_capped(code, as_mib=1024, timeout=60):
    limit = as_mib * 1024 * 1024
    source = _PRELUDE % (limit, limit) + textwrap.dedent(code)
    child_env = dict(os.environ, PYTHONPATH=COLLECTIONS_ROOT, MALLOC_ARENA_MAX="2")
    proc = subprocess.Popen([sys.executable, "-c", source], env=child_env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    killed = False
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        killed = True
        os.killpg(proc.pid, signal.SIGKILL)
        stdout, stderr = proc.communicate()
    result = None
    for line in stdout.splitlines():
        if line.startswith("RESULT "):
            result = json.loads(line[len("RESULT "):])
    return {"rc": proc.returncode, "result": result, "killed": killed, "stderr": stderr[-3000:]}
