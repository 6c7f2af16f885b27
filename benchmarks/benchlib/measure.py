# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run one command, measure wall time and the child's peak RSS (os.wait4 rusage, taken by a small launcher), keep its output."""

from __future__ import annotations

import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time


class Run:
    """One measured subprocess run."""

    __slots__ = ("wall", "rss_kib", "returncode", "timed_out", "stdout", "stderr", "requests", "extra")

    def __init__(self, wall, rss_kib, returncode, timed_out, stdout, stderr):
        self.wall = wall
        self.rss_kib = rss_kib
        self.returncode = returncode
        self.timed_out = timed_out
        self.stdout = stdout
        self.stderr = stderr
        self.requests = None
        self.extra = {}

    @property
    def ok(self):
        return self.returncode == 0 and not self.timed_out

    def error_text(self, limit=600):
        if self.timed_out:
            return "timed out after %.0fs" % self.wall
        text = (self.stderr or "").strip() or (self.stdout or "").strip()
        return "exit %s: %s" % (self.returncode, text[-limit:])


# A small launcher between the harness and the measured command: a child forked from the harness starts with
# the harness's resident pages (the simulator holds 50,000 guests), which its ru_maxrss counts; a child
# spawned by this launcher (a few MiB) reports its own peak only. It also times the command itself.
LAUNCHER = (
    "import os, sys, time\n"
    "report, command = sys.argv[1], sys.argv[2:]\n"
    "started = time.perf_counter()\n"
    "pid = os.posix_spawnp(command[0], command, os.environ)\n"
    "_pid, status, usage = os.wait4(pid, 0)\n"
    "wall = time.perf_counter() - started\n"
    "with open(report, 'w') as handle:\n"
    "    handle.write('%r %d' % (wall, usage.ru_maxrss))\n"
    "code = os.waitstatus_to_exitcode(status)\n"
    "sys.exit(code if code >= 0 else 128 - code)\n")


def run(command, env, timeout=600, stdout_path=None, keep_stdout=True):
    """Run `command`; stdout goes to stdout_path (or a temp file), read back when keep_stdout."""
    with tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as tmp_out, \
            tempfile.NamedTemporaryFile(prefix="bench-rusage-") as report:
        out = open(stdout_path, "wb") if stdout_path else tmp_out  # pylint: disable=consider-using-with
        try:
            started = time.perf_counter()
            proc = subprocess.Popen([sys.executable, "-S", "-c", LAUNCHER, report.name] + list(command),  # pylint: disable=consider-using-with
                                    env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL, start_new_session=True)
            timed_out = []

            def _kill():
                timed_out.append(True)
                try:
                    os.killpg(proc.pid, signal.SIGKILL)  # the launcher and the command
                except OSError:
                    proc.kill()

            timer = threading.Timer(timeout, _kill)
            timer.start()
            try:
                _pid, status, usage = os.wait4(proc.pid, 0)
            finally:
                timer.cancel()
            wall = time.perf_counter() - started
            proc.returncode = os.waitstatus_to_exitcode(status)
        finally:
            if stdout_path:
                out.close()
        text = ""
        if keep_stdout:
            if stdout_path:
                with open(stdout_path, encoding="utf-8", errors="replace") as handle:
                    text = handle.read()
            else:
                tmp_out.seek(0)
                text = tmp_out.read().decode("utf-8", "replace")
        err.seek(0)
        rss = usage.ru_maxrss
        try:
            with open(report.name, encoding="ascii") as handle:
                own_wall, own_rss = handle.read().split()
            wall, rss = float(own_wall), int(own_rss)
        except (OSError, ValueError):
            pass  # the launcher was killed (timeout): the harness's own figures
        return Run(wall, rss, proc.returncode, bool(timed_out), text,
                   err.read().decode("utf-8", "replace"))


class Stats:
    """Median and range of a list of numbers (None when empty)."""

    def __init__(self, values):
        self.values = [v for v in values if v is not None]
        self.n = len(self.values)
        self.median = statistics.median(self.values) if self.values else None
        self.min = min(self.values) if self.values else None
        self.max = max(self.values) if self.values else None

    def fmt(self, unit="s", scale=1.0, digits=2):
        if self.median is None:
            return "n/a"
        form = "%%.%df" % digits
        if self.n == 1 or self.min == self.max:
            return (form % (self.median * scale)) + unit
        return "%s%s (%s-%s)" % (form % (self.median * scale), unit, form % (self.min * scale), form % (self.max * scale))


def ratio(num, den):
    if num is None or den is None or den == 0:
        return None
    return num / den
