# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared state of one benchmark run: environments, binaries, simulators, commands, results."""

from __future__ import annotations

import contextlib
import os
import pathlib
import re
import shutil
import sys
import tempfile

from benchlib import install, measure

FLOOR_PLUGIN = "bench.floor.floor"


def quiet_env(collections, config, drop=()):
    """os.environ without PVE_*, PROXMOX_*, ANSIBLE_* (and the names in `drop`), for ansible-* commands that
    read the collections in `collections` and the ansible.cfg `config`: no colour, no prompts, no warnings
    about localhost or unparsed inventories, this Python as the interpreter."""
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith(("PVE_", "PROXMOX_", "ANSIBLE_")) and k not in drop)
    env.update({
        "ANSIBLE_COLLECTIONS_PATH": collections,
        "ANSIBLE_CONFIG": config,
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_FORCE_COLOR": "0",
        "ANSIBLE_HOST_KEY_CHECKING": "0",
        "ANSIBLE_RETRY_FILES_ENABLED": "0",
        "ANSIBLE_LOCALHOST_WARNING": "0",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "0",
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
    })
    return env


def ansible_bin(name):
    candidate = pathlib.Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else (shutil.which(name) or name)


class Target:
    """One verdict line: PASS/FAIL, or met/missed when it is indicative (a smoke run's scenarios 2-5,
    whose sizes shrink until start-up costs dominate, and its wall ratio to the floor: neither passes
    nor fails, `make bench` judges them)."""

    def __init__(self, section, text, measured, passed, note="", indicative=False):  # pylint: disable=too-many-arguments
        self.section = section
        self.text = text
        self.measured = measured
        self.passed = passed          # True, False or None (not measured)
        self.note = note
        self.own_indicative = indicative

    @property
    def indicative(self):
        return self.own_indicative or self.section.indicative

    @property
    def verdict(self):
        if self.indicative and self.passed is not None:
            return "indicative: %s" % ("met" if self.passed else "missed")
        return {True: "PASS", False: "FAIL", None: "N/A"}[self.passed]


class Section:
    """One scenario's table and targets."""

    def __init__(self, number, title, columns):
        self.number = number
        self.title = title
        self.columns = columns
        self.rows = []
        self.targets = []
        self.notes = []
        self.indicative = False      # set for a smoke run's scenarios 2-5: no PASS/FAIL verdicts

    def add_row(self, *cells):
        self.rows.append([str(c) for c in cells])

    def target(self, text, measured, passed, note="", indicative=False):  # pylint: disable=too-many-arguments
        self.targets.append(Target(self, text, measured, passed, note, indicative))


class Context:  # pylint: disable=too-many-instance-attributes
    def __init__(self, args, setup):
        self.args = args
        self.smoke = args.smoke
        self.runs = args.runs or (1 if args.smoke else 5)
        self.setup = setup
        # a fresh directory per run: several `make test` runs may share one checkout at the same time
        install.BUILD.mkdir(parents=True, exist_ok=True)
        self.work = pathlib.Path(tempfile.mkdtemp(prefix="bench-work-%s-" % ("smoke" if args.smoke else "full"),
                                                  dir=str(install.BUILD)))
        self.load_before = os.getloadavg()
        self.ansible_cfg = self.work / "ansible.cfg"      # empty: no user/system config leaks in
        self.ansible_cfg.write_text("[defaults]\n", encoding="utf-8")
        self.sections = []
        self.commands = []           # command templates, for the report
        self.errors = []             # failures of our own contenders (exit code 1)
        self.have_inventory = (install.ROOT / "plugins" / "inventory" / "pve.py").exists()
        self.have_community = setup.community_version is not None
        self.have_main = setup.main_commit is not None

    def cleanup(self):
        shutil.rmtree(self.work, ignore_errors=True)

    def have_module(self, name):
        return (install.ROOT / "plugins" / "modules" / (name + ".py")).exists()

    # -- environments -----------------------------------------------------------------------------
    def base_env(self, collections=None):
        env = quiet_env(str(collections or install.COLLECTIONS), str(self.ansible_cfg),
                        drop=("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"))
        env.update({
            "ANSIBLE_HOME": str(self.work / "ansible-home"),
            "ANSIBLE_LOCAL_TEMP": str(self.work / "ansible-tmp"),
        })
        return env

    def sim_env(self, sim, community=False, main=False):
        """Module/baseline environment: PVE_* for pve.cluster; for community.proxmox its CA via requests.
        main: community.proxmox's main branch (its own collections tree) instead of 2.0.0."""
        env = self.base_env(self.setup.collections_main if main else None)
        env.update({"PVE_API_HOST": sim.url, "PVE_API_TOKEN_ID": sim.token_id,
                    "PVE_API_TOKEN_SECRET": sim.token_secret})
        if sim.ca_path:
            env["PVE_CA_PATH"] = sim.ca_path
        if community:
            user, _bang, name = sim.token_id.partition("!")
            env.update({"PROXMOX_HOST": "127.0.0.1", "PROXMOX_PORT": str(sim.port),
                        "PROXMOX_VALIDATE_CERTS": "true" if sim.ca_path else "false", "PROXMOX_USER": user, "PROXMOX_TOKEN_ID": name,
                        "PROXMOX_TOKEN_SECRET": sim.token_secret,
                        "PYTHONPATH": os.pathsep.join(filter(None, [str(install.PYDEPS), env.get("PYTHONPATH")]))})
            if sim.ca_path:
                env["REQUESTS_CA_BUNDLE"] = sim.ca_path
        return env

    # -- files ------------------------------------------------------------------------------------
    def write(self, name, text):
        path = self.work / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def inventory_files(self, tag, sim, ours_extra="", community_extra=""):
        """(ours, community) inventory config files for `sim`."""
        ours = self.write("%s/bench.pve.yml" % tag, (
            "plugin: pve.cluster.pve\napi_host: %s\napi_token_id: '%s'\napi_token_secret: '%s'\n%s%s"
            % (sim.url, sim.token_id, sim.token_secret, ("ca_path: %s\n" % sim.ca_path) if sim.ca_path else "",
               ours_extra)))
        user, _bang, name = sim.token_id.partition("!")
        community = self.write("%s/bench.proxmox.yml" % tag, (
            "plugin: community.proxmox.proxmox\nurl: %s\nuser: '%s'\ntoken_id: '%s'\ntoken_secret: '%s'\n"
            "validate_certs: true\n%s" % (sim.url, user, name, sim.token_secret, community_extra)))
        return ours, community

    def floor_file(self, tag, dump_path):
        return self.write("%s/bench.floor.yml" % tag, "plugin: %s\nsource: %s\n" % (FLOOR_PLUGIN, dump_path))

    def playbook(self, name, tasks_yaml):
        return self.write("playbooks/%s.yml" % name, (
            "- hosts: localhost\n  gather_facts: false\n  tasks:\n" + tasks_yaml))

    # -- running ----------------------------------------------------------------------------------
    def note_command(self, label, command, env_note=""):
        text = " ".join(str(c) for c in command)
        text = text.replace(str(self.work) + "/", "$WORK/").replace(str(install.ROOT) + "/", "")
        entry = "%s: `%s%s`" % (label, env_note, text)
        if entry not in self.commands:
            self.commands.append(entry)

    def alternate(self, sim, plan, runs, after=None, keep_stdout=False):  # pylint: disable=too-many-arguments
        """plan: (label, command, env, timeout[, runs of its own]) entries, each measured `runs` times (or its own
        number, when fewer), the order rotating each round; after(label, result) reads what a scenario needs from
        each run. Returns {label: [results]}."""
        results = dict((entry[0], []) for entry in plan)
        for index in range(runs):
            for entry in rotate(plan, index):
                label, command, env, timeout = entry[:4]
                if len(results[label]) < (entry[4] if len(entry) > 4 else runs):
                    result = self.measure(command, env, sim=sim, timeout=timeout, keep_stdout=keep_stdout)
                    if after is not None:
                        after(label, result)
                    results[label].append(result)
        return results

    def good_runs(self, section, label, results, ours=True):
        """The runs of `results` that succeeded; the first failure noted (an error when the contender is ours)."""
        bad = [r for r in results if not r.ok]
        if bad and ours:
            self.ours_failed(section, label, bad[0])
        elif bad:
            section.notes.append("%s failed: %s" % (label, bad[0].error_text()))
        return [r for r in results if r.ok]

    def measure(self, command, env, sim=None, timeout=600, stdout_path=None, keep_stdout=True):
        if sim is not None:
            sim.clear_requests()
        result = measure.run([str(c) for c in command], env, timeout=timeout, stdout_path=stdout_path,
                             keep_stdout=keep_stdout)
        if sim is not None:
            result.requests = len(sim.requests)
        return result

    @contextlib.contextmanager
    def simulator(self, scenario, latency=0.0):
        from pvesim import Simulator  # pylint: disable=import-outside-toplevel
        from benchlib import simext  # pylint: disable=import-outside-toplevel
        sim = Simulator(scenario=scenario, tls=True, latency=latency)
        simext.extend(sim)
        with sim:
            yield sim

    def section(self, number, title, columns):
        section = Section(number, title, columns)
        self.sections.append(section)
        return section

    def ours_failed(self, section, label, result):
        message = "%s failed: %s" % (label, result.error_text())
        section.notes.append("ERROR " + message)
        self.errors.append(message)


def rotate(items, index):
    """`items` rotated by `index`: each contender goes first in turn."""
    items = list(items)
    shift = index % len(items) if items else 0
    return items[shift:] + items[:shift]


LIST_HOSTS_RE = re.compile(r"^\s*hosts \((\d+)\):", re.M)


def count_listed_hosts(text):
    found = LIST_HOSTS_RE.search(text or "")
    return int(found.group(1)) if found else None


COUNT_RE = re.compile(r"BENCH_COUNT=(\d+)")


def bench_count(text):
    found = COUNT_RE.search(text or "")
    return int(found.group(1)) if found else None
