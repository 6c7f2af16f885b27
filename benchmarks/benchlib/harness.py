# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The one measuring helper and the state of a make bench run: environments, files, tables, targets, the report."""

from __future__ import annotations

import datetime
import os
import pathlib
import platform
import statistics
import subprocess
import sys
import tempfile

from benchlib import install, simext

BIN = pathlib.Path(sys.executable).parent


class Run:  # pylint: disable=too-few-public-methods
    """One measured command: exit code, wall seconds, peak RSS in MiB, output, the simulator's request log."""

    def __init__(self, code, wall, rss, out, err, log):  # pylint: disable=too-many-arguments
        self.code, self.wall, self.rss, self.out, self.err, self.log = code, wall, rss, out, err, log
        self.requests = len(log)

    def error(self):
        return "timed out" if self.code == 137 else "exit %s: %s" % (self.code, (self.err.strip() or self.out.strip())[-600:])


def measure(command, env, sim=None, timeout=1800):
    """Run `command` under GNU time and timeout. time forks the command itself, so its peak RSS is the command's own
    (a child forked from the harness would count the harness's pages, which hold the simulated cluster)."""
    if sim is not None:
        sim.clear_requests()
    with tempfile.NamedTemporaryFile("r", prefix="bench-time-") as report:
        proc = subprocess.run(["/usr/bin/time", "-f", "%e %M", "-o", report.name, "timeout", "-s", "KILL", str(timeout)]
                              + [str(c) for c in command], env=env, capture_output=True, text=True, check=False,
                              stdin=subprocess.DEVNULL)
        wall, rss = report.read().split()[-2:]
    return Run(proc.returncode, float(wall), int(rss) / 1024.0, proc.stdout, proc.stderr,
               list(sim.requests) if sim is not None else [])


def fmt(values, unit="s", digits=2):
    """Median (min-max) of the numbers in `values`, or n/a."""
    values = [v for v in values if v is not None]
    if not values:
        return "n/a"
    text = "%.*f%s" % (digits, statistics.median(values), unit)
    return text if min(values) == max(values) else "%s (%.*f-%.*f)" % (text, digits, min(values), digits, max(values))


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def ratio(num, den):
    return None if num is None or not den else num / den


class Section:
    """One scenario's table, its targets and notes."""

    def __init__(self, number, title, columns):
        self.number, self.title, self.columns = number, title, columns
        self.rows, self.targets, self.notes = [], [], []

    def row(self, *cells):
        self.rows.append([str(c) for c in cells])

    def target(self, text, value, limit, measured=None, indicative=False, at_least=False):  # pylint: disable=too-many-arguments
        """value <= limit (>= with at_least); value None: not measured. An indicative target is met or missed."""
        passed = None if value is None else (value >= limit if at_least else value <= limit)
        verdict = {None: "N/A", True: "PASS", False: "FAIL"}[passed]
        if indicative and passed is not None:
            verdict = "indicative: " + ("met" if passed else "missed")
        self.targets.append((text, measured or ("n/a" if value is None else "%.2fx" % value), verdict))

    def text(self):
        lines = ["### %d. %s" % (self.number, self.title), "", table(self.columns, self.rows)]
        if self.targets:
            lines += ["", table(["target", "measured", "verdict"], [(t, m, "**%s**" % v) for t, m, v in self.targets])]
        return "\n".join(lines + ["\n- " + note for note in self.notes]) + "\n"


def table(columns, rows):
    return "\n".join(["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
                     + ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows])


class Context:
    """A run's work directory, empty ansible.cfg, sections and the errors of our own contenders."""

    def __init__(self, args, setup):
        self.args, self.setup, self.runs = args, setup, args.runs
        install.BUILD.mkdir(parents=True, exist_ok=True)
        self.work = pathlib.Path(tempfile.mkdtemp(prefix="bench-work-", dir=str(install.BUILD)))
        self.cfg = self.write("ansible.cfg", "[defaults]\n")
        self.load = os.getloadavg()
        self.sections, self.errors = [], []

    def section(self, number, title, columns):
        self.sections.append(Section(number, title, columns))
        return self.sections[-1]

    def write(self, name, text):
        path = self.work / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def env(self, sim=None, community=None):
        """The caller's environment without PVE_*, PROXMOX_*, ANSIBLE_* and CA bundles, quiet ansible-* settings.
        sim: the PVE_* connection of the modules and baselines. community ("2.0.0" or "main"): also PROXMOX_*, the
        simulator's CA through REQUESTS_CA_BUNDLE, proxmoxer on PYTHONPATH and that release's collections tree."""
        env = dict((k, v) for k, v in os.environ.items() if not k.startswith(("PVE_", "PROXMOX_", "ANSIBLE_"))
                   and k not in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"))
        env.update(ANSIBLE_COLLECTIONS_PATH=str(install.COLLECTIONS_MAIN if community == "main" else install.COLLECTIONS),
                   ANSIBLE_CONFIG=str(self.cfg), ANSIBLE_HOME=str(self.work / "ansible-home"), ANSIBLE_NOCOLOR="1",
                   ANSIBLE_LOCAL_TEMP=str(self.work / "ansible-tmp"), ANSIBLE_FORCE_COLOR="0", ANSIBLE_LOCALHOST_WARNING="0",
                   ANSIBLE_INVENTORY_UNPARSED_WARNING="0", ANSIBLE_PYTHON_INTERPRETER=sys.executable)
        if sim is not None:
            env.update(PVE_API_HOST=sim.url, PVE_API_TOKEN_ID=sim.token_id, PVE_API_TOKEN_SECRET=sim.token_secret,
                       PVE_CA_PATH=sim.ca_path)
        if sim is not None and community:
            user, _bang, name = sim.token_id.partition("!")
            env.update(PROXMOX_HOST="127.0.0.1", PROXMOX_PORT=str(sim.port), PROXMOX_VALIDATE_CERTS="true",
                       PROXMOX_USER=user, PROXMOX_TOKEN_ID=name, PROXMOX_TOKEN_SECRET=sim.token_secret,
                       REQUESTS_CA_BUNDLE=sim.ca_path,
                       PYTHONPATH=os.pathsep.join(filter(None, [str(install.PYDEPS), env.get("PYTHONPATH")])))
        return env

    @staticmethod
    def simulator(scenario, latency=0.0):
        """A TLS pvesim Simulator (a context manager) that also serves what only community.proxmox asks."""
        from pvesim import Simulator  # pylint: disable=import-outside-toplevel
        sim = Simulator(scenario=scenario, tls=True, latency=latency)
        simext.extend(sim)
        return sim

    def alternate(self, section, sim, plan):
        """plan: [(name, command, env, runs)], measured in rounds with each contender first in turn, each at most its
        `runs` times; returns {name: [successful runs]}. A failure is noted (an error when the contender is ours)."""
        results = dict((name, []) for name, _c, _e, _r in plan)
        for index in range(self.runs):
            for name, command, env, runs in plan[index % len(plan):] + plan[:index % len(plan)]:
                if len(results[name]) < runs:
                    results[name].append(measure(command, env, sim))
        for name, _command, _env, _runs in plan:
            failed = [r for r in results[name] if r.code]
            if failed:
                self.failed(section, name, failed[0].error(), ours=name.startswith("pve.cluster"))
        return dict((name, [r for r in runs if not r.code]) for name, runs in results.items())

    def failed(self, section, name, error, ours=True):
        section.notes.append("%s%s failed: %s" % ("ERROR " if ours else "", name, error))
        if ours:
            self.errors.append("%s: %s" % (name, error))

    def summary(self):
        verdicts = [v for s in self.sections for _t, _m, v in s.targets]
        text = ", ".join("%d %s" % (verdicts.count(v), v) for v in ("PASS", "FAIL", "N/A"))
        return text + "".join("; %d %s" % (verdicts.count(v), v) for v in ("indicative: met", "indicative: missed")
                              if v in verdicts)

    def report(self, elapsed, argv):
        """The Markdown report: machine, versions, every section."""
        cpu = [line.split(":", 1)[1].strip() for line in pathlib.Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines()
               if line.startswith("model name")] or ["?"]
        import ansible.release  # pylint: disable=import-outside-toplevel
        import requests  # pylint: disable=import-outside-toplevel
        facts = dict(nproc=os.cpu_count(), cpu=cpu[0], os=platform.platform(),
                     memory="%.1f GiB" % (os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2.0 ** 30))
        facts["load average (1/5/15 min) at start, at end (other work adds noise)"] = ", ".join(
            "/".join("%.1f" % x for x in load) for load in (self.load, os.getloadavg()))
        facts.update({"python": sys.version.split()[0], "ansible-core": ansible.release.__version__,
                      "requests": requests.__version__})
        facts.update(self.setup.versions)
        lines = ["# pve.cluster benchmark results", "",
                 "Generated %s by `python %s` in %.0fs; %d run(s) per contender, alternating, median (min-max)."
                 % (datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), " ".join(argv), elapsed,
                    self.runs),
                 "Simulator: tests/pvesim (TLS, token auth, injected per-request latency = RTT), in the harness process.",
                 "Commands: benchmarks/README.md; the inventory files, playbooks and dumps: %s." % self.work,
                 "", "**Summary: %s.**" % self.summary(), "", "## Machine and versions", ""]
        return "\n".join(lines + ["- %s: %s" % fact for fact in facts.items()] + ["", "## Results", ""]
                         + [s.text() for s in self.sections])
