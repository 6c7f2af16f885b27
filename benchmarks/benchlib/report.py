# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Machine facts, versions and the Markdown report (printed and written to a file)."""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
import sys


def machine():
    cpu = "?"
    memory = "?"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    memory = "%.1f GiB" % (int(line.split()[1]) / 1024.0 / 1024.0)
                    break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory": memory, "os": platform.platform()}


def versions(setup):
    out = {"python": sys.version.split()[0]}
    try:
        import ansible.release  # pylint: disable=import-outside-toplevel
        out["ansible-core"] = ansible.release.__version__
    except ImportError:
        out["ansible-core"] = "not importable"
    try:
        import requests  # pylint: disable=import-outside-toplevel
        out["requests"] = requests.__version__
    except ImportError:
        out["requests"] = "not importable"
    out["community.proxmox"] = setup.community_version or "not installed (%s)" % setup.community_error
    out["community.proxmox main"] = ("commit %s (version %s in its galaxy.yml)" % (setup.main_commit, setup.main_version)
                                     if setup.main_commit else "not installed (%s)" % setup.main_error)
    out["proxmoxer"] = setup.proxmoxer_version or "not installed (%s)" % setup.proxmoxer_error
    try:
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        commit = subprocess.run(["git", "-C", root, "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, timeout=10, check=False).stdout.strip()
        out["pve.cluster commit"] = commit or "uncommitted work tree"
    except (OSError, subprocess.SubprocessError):
        out["pve.cluster commit"] = "?"
    return out


def _table(columns, rows):
    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _c in columns) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
    return "\n".join(lines)


def section_text(section):
    parts = ["### %d. %s" % (section.number, section.title), "", _table(section.columns, section.rows)]
    if section.targets:
        parts += ["", "| target | measured | verdict |", "|---|---|---|"]
        for target in section.targets:
            parts.append("| %s | %s | **%s** |" % (target.text, target.measured, target.verdict))
    for note in section.notes:
        parts += ["", "- " + note]
    return "\n".join(parts) + "\n"


def document(ctx, elapsed, argv):
    mach = machine()
    vers = versions(ctx.setup)
    lines = ["# pve.cluster benchmark results%s" % (" (smoke run: reduced sizes, indicative only)" if ctx.smoke else ""),
             "",
             "Generated %s by `%s` in %.0fs; %d run(s) per contender, alternating, median (min-max)." % (
                 datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
                 " ".join(["python"] + argv), elapsed, ctx.runs),
             "Simulator: tests/pvesim (TLS, token auth, injected per-request latency = RTT), in the harness process.",
             "",
             "**Summary: %s.**" % summary_text(ctx),
             "",
             "## Machine", ""]
    lines += ["- %s: %s" % (key, value) for key, value in mach.items()]
    lines.append("- load average (1/5/15 min) at start: %s, at end: %s (other work on the machine adds noise)" % (
        "/".join("%.1f" % x for x in ctx.load_before), "/".join("%.1f" % x for x in os.getloadavg())))
    lines += ["", "## Versions", ""]
    lines += ["- %s: %s" % (key, value) for key, value in vers.items()]
    lines += ["", "## Results", ""]
    lines += [section_text(section) for section in ctx.sections]
    lines += ["## Commands", "", "Run with `make bench` (= `.venv/bin/python benchmarks/run.py $(BENCH_ARGS)`);"
              " `$WORK` is %s; inventory files carry the simulator's URL, token and CA; "
              "`$SIM_CA` is the simulator's CA file." % ctx.work, ""]
    lines += ["- " + command for command in ctx.setup.commands + ctx.commands]
    if ctx.errors:
        lines += ["", "## Errors of pve.cluster contenders", ""] + ["- " + error for error in ctx.errors]
    return "\n".join(lines) + "\n"


def summary_counts(ctx):
    """(PASS, FAIL, N/A, indicative met, indicative missed) over every target."""
    judged = [t.passed for s in ctx.sections for t in s.targets if not t.indicative]
    indicative = [t.passed for s in ctx.sections for t in s.targets if t.indicative]
    return (judged.count(True), judged.count(False), judged.count(None) + indicative.count(None),
            indicative.count(True), indicative.count(False))


def summary_text(ctx):
    passed, failed, missing, met, missed = summary_counts(ctx)
    text = "%d PASS, %d FAIL, %d N/A" % (passed, failed, missing)
    if met or missed:
        text += "; indicative only (smoke sizes, not judged): %d met, %d missed" % (met, missed)
    return text
