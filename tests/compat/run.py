# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""`make compat`: the built collection on every declared ansible-core (tests/compat/cores.txt).

For each core, two at a time: a virtualenv (reused while its stamp matches), `ansible-galaxy
collection install` of the tarball as a user would, then against one bundled simulator (demo
scenario): the inventory (--list --export, --graph, cache on/off, guest_agent, keyed_groups/compose,
hostname/filters/groups, a file the core's config manager refuses), every module's EXAMPLES, the three
playbooks (the report included), playbooks and the inventory with exactly the environment of
docs/awx.md's credential type (token and password), and `ansible-test integration`
(with --integration-elsewhere LINE: not on LINE, whose integration stage in `make test` runs every
target on every PVE profile, only the targets of CORE_TARGETS on the oldest and the newest declared core,
none on the cores between them).
Fails on a failed step, on a warning or deprecation caused by the collection, and when the
results differ between cores (the report byte-identical apart from its timestamp).

    python tests/compat/run.py --tarball T --workdir D --venvs V [--jobs 2] [--only 2.17,2.21]
                               [--integration-elsewhere 2.19]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import time
import traceback

import jinja2.sandbox
import yaml

# The integration targets whose results depend on the ansible-core: what runs on the controller, where
# the cores differ most (templating without native Jinja before 2.19, data tagging from 2.19): both
# roles with their assertions and edge cases. With --integration-elsewhere, the oldest and the newest
# declared core run only these, and the cores between them none: a core between shares its templating
# with one of the three that run them (2.18 with 2.17, no native Jinja; 2.20 with 2.19 and 2.21, data
# tagging), and its playbooks step runs both roles through the three playbooks. Every target runs on
# that core in the integration stage (every PVE profile). The inventory's
# templating (hostname, compose, groups, keyed_groups, filters), its cache and its option checks run
# on every core in the inventory step below, its listings compared across cores. A module's code runs
# in the module process, where a core adds AnsibleModule and its argument checks: the examples step
# runs every module on every core, and sanity-cores' validate-modules and import check each module on
# every core.
# readme_first_minutes: the README's first five minutes, on the oldest and the newest declared core.
# inventory_user_files: inventory files as users write them (lookups, !vault, extra vars rendered by the
# core's templar and trust rules; several sources in one directory), likewise.
CORE_TARGETS = ("role_cluster_facts", "role_vmid_allocate", "readme_first_minutes", "inventory_user_files")

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path[:0] = [str(HERE), str(ROOT / "tests"), str(ROOT / "tests" / "e2e")]

import cores as declared  # noqa: E402  pylint: disable=wrong-import-position
from plugin_source import module_block  # noqa: E402  pylint: disable=wrong-import-position
from pve_e2e import plain, without_connection  # noqa: E402  pylint: disable=wrong-import-position
from pvesim import Simulator  # noqa: E402  pylint: disable=wrong-import-position

MODULES = sorted(p.stem for p in (ROOT / "plugins" / "modules").glob("pve_*.py"))
INVENTORY = {
    "plain": "plugin: pve.cluster.pve\n",
    "agent": "plugin: pve.cluster.pve\nansible_host: guest_agent\nmax_workers: 4\n"
             "keyed_groups:\n  - key: pve_tags\n    prefix: tag\ncompose:\n  pve_label: pve_name ~ '@' ~ pve_node\n",
    "cache": "plugin: pve.cluster.pve\ncache: true\ncache_plugin: ansible.builtin.jsonfile\ncache_connection: {cache}\n",
    # only the running guests, named by a template, in conditional and keyed groups (no compose of numbers:
    # without native Jinja, 2.17 and 2.18 make them strings, and the listings are compared across cores)
    "constructed": "plugin: pve.cluster.pve\ninclude_nodes: false\nhostname: '{{{{ pve_name }}}}.lab.example.com'\n"
                   "filters:\n  - pve_status == 'running'\ngroups:\n  big: pve_maxmem is defined and pve_maxmem > 8 * 1024 ** 3\n"
                   "keyed_groups:\n  - key: pve_type\n    prefix: by_type\n    parent_group: types\n",
    # a value outside the option's choices: the core's config manager refuses the file
    "refused": "plugin: pve.cluster.pve\nguest_types: [vm]\n",
}
# Warnings the collection prints on purpose about the demo cluster (an offline node, guests without
# an agent address). Any other [WARNING] or [DEPRECATION WARNING] fails the stage.
# ansible-core < 2.19 wraps a warning over several lines: each pattern matches the start of the first.
EXPECTED_WARNINGS = (
    r"^node pve3 is offline \(as PVE reports",  # pve_node_info and pve_tasks_info
    r"^pve\.cluster\.pve: node pve3 \(\d+ guests\) is offline: PVE reports",
    r"^pve\.cluster\.pve: no address from the guest agent for \d+ running",
)
# The integration targets make nodes offline or unreachable on purpose: these warnings are what they test.
INTEGRATION_WARNINGS = EXPECTED_WARNINGS + (
    r"^node \S+ is offline \(as PVE reports",
    r"^node \S+ did not answer \(GET ",
    r"^node \S+ is unreachable \(HTTP \d+\): its tasks are not included",
    # least-privilege tokens (targets role_cluster_facts, least_privilege)
    r"^no (status|network) for nodes? [^:]+: GET /nodes/",
    r"^no cluster status: GET /cluster/status was refused",
    r"^no Sys\.Audit on /nodes/",
)
WARNING = re.compile(r"^\[(DEPRECATION )?WARNING\]: (.*)$", re.M)
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d)?( ?UTC)?")


class StepFailed(Exception):
    pass


def awx_credential_type():
    """(inputs, injectors) of docs/awx.md's credential type, with the checks AWX users rely on."""
    docs = (ROOT / "docs" / "awx.md").read_text(encoding="utf-8")
    blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", docs, flags=re.S)]
    inputs = next(b for b in blocks if isinstance(b, dict) and "fields" in b)
    injectors = next(b for b in blocks if isinstance(b, dict) and "env" in b)
    documented = set(re.findall(r"E\((PVE_\w+)\)", (ROOT / "plugins" / "doc_fragments" / "connection.py").read_text()))
    unknown = set(injectors["env"]) - documented
    if unknown:
        raise StepFailed("docs/awx.md injects %s, which the collection does not read" % sorted(unknown))
    for field in inputs["fields"]:
        if re.search("secret|password", field["id"]) and field.get("secret") is not True:
            raise StepFailed("docs/awx.md: the input %s must be marked secret: true" % field["id"])
    return inputs, injectors


def awx_environment(sim, directory, login):
    """The env that docs/awx.md's injectors produce for a credential filled with the simulator's values
    (login "token" or "password"; the other login's fields left empty, as AWX injects them)."""
    _inputs, injectors = awx_credential_type()
    values = {"api_host": sim.url, "ca_cert": pathlib.Path(sim.ca_path).read_text(), "validate_certs": True,
              "api_token_id": "", "api_token_secret": "", "api_user": "", "api_password": ""}
    if login == "token":
        values.update(api_token_id=sim.token_id, api_token_secret=sim.token_secret)
    else:
        values.update(api_user=sim.user, api_password=sim.password)
    render = jinja2.sandbox.SandboxedEnvironment().from_string
    files = {}
    for name, template in injectors.get("file", {}).items():  # "template" or "template.NAME"
        key = name.partition(".")[2]
        path = directory / ("awx-%s-%s" % (login, key or "file"))
        path.write_text(render(template).render(values))
        files[key] = str(path)
    values["tower"] = values["awx"] = {"filename": files.get("", files)}
    return dict((name, render(str(template)).render(values)) for name, template in injectors["env"].items())


def boundary_lines():
    """The oldest and the newest declared ansible-core line (cores.txt lists them oldest first)."""
    rows = declared.cores()
    return (declared.line_of(rows[0][0]), declared.line_of(rows[-1][0]))


class Core:
    """One ansible-core: its venv, its install of the tarball and its step logs under workdir/<line>."""

    def __init__(self, version, python, args, sim):
        self.version, self.python, self.sim = version, python, sim
        self.line = declared.line_of(version)
        self.dir = pathlib.Path(args.workdir).resolve() / self.line
        self.venv_dir = pathlib.Path(args.venvs).resolve() / self.line
        self.tarball = args.tarball
        self.report_time = args.report_time
        self.integration_elsewhere = self.line == args.integration_elsewhere
        self.integration_targets = CORE_TARGETS if args.integration_elsewhere else ()
        self.integration_skipped = bool(args.integration_elsewhere) and self.line not in args.boundary_lines
        self.outputs = {}
        self.problems = []
        self.times = {}

    # -- running ------------------------------------------------------------------------------
    def env(self, extra=None, pve=True):
        env = dict((k, v) for k, v in os.environ.items() if not k.startswith(("PVE_", "PROXMOX_", "ANSIBLE_")))
        env.update({
            "HOME": str(self.dir / "home"),
            "PATH": "%s:%s" % (self.venv_dir / "bin", env.get("PATH", "")),
            "ANSIBLE_COLLECTIONS_PATH": str(self.dir / "collections"),
            "ANSIBLE_CONFIG": str(self.dir / "ansible.cfg"),
            "ANSIBLE_LOCAL_TEMP": str(self.dir / "tmp"), "ANSIBLE_REMOTE_TMP": str(self.dir / "tmp"),
            "ANSIBLE_NOCOLOR": "1", "ANSIBLE_FORCE_COLOR": "0",
            "ANSIBLE_LOCALHOST_WARNING": "0", "ANSIBLE_INVENTORY_UNPARSED_WARNING": "0",
            "ANSIBLE_PYTHON_INTERPRETER": str(self.venv_dir / "bin" / "python"),
        })
        env.pop("VIRTUAL_ENV", None)
        env.pop("PYTHONPATH", None)
        if pve:
            env.update(self.sim.env() if extra is None else extra)
        return env

    def run(self, name, argv, env=None, cwd=None, expect_rc=0, timeout=600, allowed=EXPECTED_WARNINGS):
        """Run argv, log it to logs/NAME.log; StepFailed unless it exits expect_rc (None: any exit status)."""
        started = time.monotonic()
        proc = subprocess.run(argv, env=env or self.env(), cwd=str(cwd or self.dir), capture_output=True, text=True,
                              timeout=timeout, check=False)
        self.times[name] = time.monotonic() - started
        (self.dir / "logs" / (name + ".log")).write_text(
            "$ %s\nrc=%d\n--- stdout\n%s\n--- stderr\n%s" % (" ".join(argv), proc.returncode, proc.stdout, proc.stderr))
        if expect_rc is not None and proc.returncode != expect_rc:
            raise StepFailed("%s: exit %d, see %s\n%s" % (name, proc.returncode, self.dir / "logs" / (name + ".log"),
                                                          (proc.stdout + proc.stderr)[-2500:]))
        for match in WARNING.finditer(proc.stdout + "\n" + proc.stderr):
            text = " ".join(match.group(2).split())
            if match.group(1) or not any(re.search(pattern, text) for pattern in allowed):
                self.problems.append("%s: %s" % (name, match.group(0)[:300]))
        return proc

    def ansible(self, tool, *args, **kwargs):
        return self.run(kwargs.pop("name"), [str(self.venv_dir / "bin" / tool)] + list(args), **kwargs)

    # -- the steps ----------------------------------------------------------------------------
    def prepare(self):
        started = time.monotonic()
        declared.core_venv(self.venv_dir, self.version, self.python)
        self.times["venv"] = time.monotonic() - started
        shutil.rmtree(self.dir, ignore_errors=True)
        for sub in ("home", "tmp", "logs", "out"):
            (self.dir / sub).mkdir(parents=True)
        (self.dir / "ansible.cfg").write_text("[defaults]\n")
        got = self.run("version", [str(self.venv_dir / "bin" / "ansible"), "--version"], env=self.env(pve=False))
        if not got.stdout.startswith("ansible [core %s]" % self.version):
            raise StepFailed("venv %s runs %s, not ansible-core %s" % (self.venv_dir, got.stdout[:40], self.version))
        self.ansible("ansible-galaxy", "collection", "install", "--offline", "-p", str(self.dir / "collections"),
                     self.tarball, name="install", env=self.env(pve=False))

    def inventory(self):
        for kind, body in INVENTORY.items():
            (self.dir / ("%s.pve.yml" % kind)).write_text(body.format(cache=self.dir / "cache"))
        # as AWX runs it: only the environment of docs/awx.md's credential (token); awx() checks the password
        export = self.ansible("ansible-inventory", "-i", "plain.pve.yml", "--list", "--export", name="inventory-export",
                              env=self.env(awx_environment(self.sim, self.dir, "token")))
        self.keep("inventory-export.json", listing(export.stdout))
        graph = self.ansible("ansible-inventory", "-i", "plain.pve.yml", "--graph", name="inventory-graph")
        self.keep("inventory-graph.txt", graph.stdout)
        agent = self.ansible("ansible-inventory", "-i", "agent.pve.yml", "--list", name="inventory-agent")
        self.keep("inventory-agent.json", listing(agent.stdout))
        constructed = listing(self.ansible("ansible-inventory", "-i", "constructed.pve.yml", "--list",
                                           name="inventory-constructed").stdout)
        names = sorted(constructed["_meta"]["hostvars"])
        if not names or not all(name.endswith(".lab.example.com") for name in names) or \
                set(constructed["types"]["children"]) != {"by_type_qemu", "by_type_lxc"}:
            raise StepFailed("inventory-constructed: expected running guests named *.lab.example.com in by_type_qemu"
                             " and by_type_lxc under types, got %s" % json.dumps(constructed)[:1500])
        self.keep("inventory-constructed.json", constructed)
        refused = self.ansible("ansible-inventory", "-i", "refused.pve.yml", "--list", name="inventory-refused",
                               expect_rc=None, env=self.env(dict(self.sim.env(), ANSIBLE_INVENTORY_UNPARSED_FAILED="1")),
                               allowed=(r"^(\* )?Failed to parse\b", r"^Unable to parse\b"))  # the core's report of the refusal
        if refused.returncode == 0 or "guest_types" not in refused.stderr or "Traceback" in refused.stderr:
            raise StepFailed("inventory-refused: guest_types [vm] must fail naming the option, got rc %d: %s"
                             % (refused.returncode, refused.stderr[-1500:]))
        first = self.ansible("ansible-inventory", "-i", "cache.pve.yml", "--list", name="inventory-cache-fill")
        if not list((self.dir / "cache").glob("*")):
            raise StepFailed("inventory-cache-fill: cache: true wrote nothing to %s" % (self.dir / "cache"))
        # the cache is keyed on host, port, user and token id, not on the secret: a request with a wrong
        # secret fails (HTTP 401), so an equal listing can only come from the cache
        second = self.ansible("ansible-inventory", "-i", "cache.pve.yml", "--list", name="inventory-cache-hit",
                              env=self.env(dict(self.sim.env(), PVE_API_TOKEN_SECRET="not-the-secret",
                                                PVE_API_RETRIES="0")))
        if listing(second.stdout) != listing(first.stdout):
            raise StepFailed("inventory-cache-hit: the cached inventory differs from the one that filled the cache")
        self.keep("inventory-cache.json", listing(second.stdout))

    def examples(self):
        tasks = []
        for module in MODULES:
            tasks.extend(without_connection(module_block(module, "EXAMPLES")))
        play = [{"name": "Every module's EXAMPLES", "hosts": "localhost", "gather_facts": False, "tasks": tasks}]
        (self.dir / "examples.yml").write_text(yaml.safe_dump(play, sort_keys=False))
        self.ansible("ansible-playbook", "-i", "localhost,", "-c", "local", "examples.yml", name="examples")

    def playbooks(self):
        # as AWX runs it (docs/awx.md's credential, token); awx() runs it with the password
        facts = self.ansible("ansible-playbook", "pve.cluster.gather_facts", "-e", "cluster_facts_assert_quorate=true",
                             name="playbook-gather_facts", env=self.env(awx_environment(self.sim, self.dir, "token")))
        self.keep("gather_facts.txt", "\n".join(re.findall(r'^\s+"(?:Cluster|PVE|pve\d).*$', facts.stdout, re.M)))
        vmids = self.ansible("ansible-playbook", "pve.cluster.allocate_vmid", "-e", "vmid_allocate_count=2",
                             "-e", "vmid_allocate_lower=5000", name="playbook-allocate_vmid")
        self.keep("allocate_vmid.txt", "\n".join(re.findall(r'"Free VMIDs?: .*"', vmids.stdout)))
        # one "now" for every core: the report lists the failed tasks of the last 24 hours, and the cores
        # run minutes apart against one simulator
        self.ansible("ansible-playbook", "pve.cluster.cluster_report", "-e", "cluster_report_dir=%s" % (self.dir / "out"),
                     "-e", "cluster_report_time=%d" % self.report_time, name="playbook-cluster_report")
        for name in ("pve-cluster-report.html", "pve-cluster-report.md"):
            self.keep(name, TIMESTAMP.sub("<timestamp>", (self.dir / "out" / name).read_text(encoding="utf-8")))

    def awx(self):
        """What AWX does with docs/awx.md: only the injected env, inventory --list --export, a playbook. With the
        token, inventory-export and playbook-gather_facts ran so; here the password login."""
        env = self.env(awx_environment(self.sim, self.dir, "password"))
        export = self.ansible("ansible-inventory", "-i", "plain.pve.yml", "--list", "--export",
                              name="awx-inventory-password", env=env)
        if listing(export.stdout) != self.outputs["inventory-export.json"]:
            raise StepFailed("awx-inventory-password: differs from the inventory of the token login")
        self.ansible("ansible-playbook", "pve.cluster.gather_facts", name="awx-playbook-password", env=env)

    def integration(self):
        if self.integration_elsewhere or self.integration_skipped:
            return
        tree = self.dir / "collections" / "ansible_collections" / "pve" / "cluster"
        for part in ("integration", "pvesim"):
            if not (tree / "tests" / part).exists():  # a tarball without tests: the checkout's
                shutil.copytree(ROOT / "tests" / part, tree / "tests" / part)
        # ansible-test lists a collection's files with git when it finds a repository above it (this
        # checkout, where build/ is ignored): the installed tree gets its own.
        subprocess.run("git init -q && git add -A", shell=True, cwd=str(tree), check=True)
        self.ansible("ansible-test", "integration", "--local", "--python", self.python, "--color", "no",
                     *self.integration_targets,
                     name="integration", cwd=tree, env=self.env(pve=False), allowed=INTEGRATION_WARNINGS)

    def keep(self, name, text):
        self.outputs[name] = text
        (self.dir / "out" / ("compare-" + name)).write_text(text if isinstance(text, str) else json.dumps(text, indent=1))

    def check(self):
        try:
            self.prepare()
            for step in (self.inventory, self.examples, self.playbooks, self.awx, self.integration):
                step()
        except StepFailed as err:
            self.problems.append(str(err))
        except Exception:  # pylint: disable=broad-except
            self.problems.append(traceback.format_exc())
        return self


def ee_create(tools_dir, tarball, workdir):
    """`ansible-builder create` on ee/execution-environment.yml, offline (no index, no proxy that answers)."""
    started = time.monotonic()
    declared.tools_venv(tools_dir)
    ee_dir = workdir / "ee"
    shutil.rmtree(ee_dir, ignore_errors=True)
    shutil.copytree(ROOT / "ee", ee_dir / "ee")
    shutil.copy(ROOT / "requirements.txt", ee_dir / "requirements.txt")
    shutil.copy(tarball, ee_dir / "ee" / "pve-cluster.tar.gz")
    offline = dict(os.environ, PIP_NO_INDEX="1", HTTP_PROXY="http://127.0.0.1:9", HTTPS_PROXY="http://127.0.0.1:9",
                   http_proxy="http://127.0.0.1:9", https_proxy="http://127.0.0.1:9", HOME=str(ee_dir))
    proc = subprocess.run([str(pathlib.Path(tools_dir).resolve() / "bin" / "ansible-builder"), "create",
                           "-f", "ee/execution-environment.yml", "-c", "context", "--output-filename", "Containerfile"],
                          cwd=str(ee_dir), env=offline, capture_output=True, text=True, timeout=300, check=False)
    problems = []
    if proc.returncode:
        problems.append("ansible-builder create failed (exit %d): %s" % (proc.returncode, (proc.stdout + proc.stderr)[-2000:]))
    else:
        context = ee_dir / "context"
        containerfile = (context / "Containerfile").read_text()
        for expected in ("/tmp/pve-cluster.tar.gz", "ansible-core==", "requirements.yml", "requirements.txt"):
            if expected not in containerfile:
                problems.append("ansible-builder create: the Containerfile does not mention %s" % expected)
        built = context / "_build"
        if (built / "collections" / "pve-cluster.tar.gz").read_bytes() != pathlib.Path(tarball).read_bytes():
            problems.append("ansible-builder create: the context does not hold the collection tarball")
        if (built / "requirements.txt").read_text() != (ROOT / "requirements.txt").read_text():
            problems.append("ansible-builder create: the context does not hold requirements.txt")
    print("ee: ansible-builder create %s in %.0fs" % ("FAILED" if problems else "ok", time.monotonic() - started))
    return problems


def listing(stdout):
    """ansible-inventory JSON without the values that name this run (paths, ansible-core's output profile)."""
    data = plain(json.loads(stdout))
    data.get("_meta", {}).pop("profile", None)
    for variables in data.get("_meta", {}).get("hostvars", {}).values():
        for key in ("inventory_file", "inventory_dir"):
            variables.pop(key, None)
    return data


def compare(checked):
    """Problems where a core's results differ from the first core's."""
    problems = []
    first = checked[0]
    for core in checked[1:]:
        for name, value in first.outputs.items():
            if name in core.outputs and core.outputs[name] != value:
                problems.append("ansible-core %s and %s give different %s: diff %s %s" % (
                    first.version, core.version, name, first.dir / "out" / ("compare-" + name),
                    core.dir / "out" / ("compare-" + name)))
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--venvs", required=True)
    parser.add_argument("--tools", help="venv directory for ansible-builder (runs `ansible-builder create` on ee/)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--only", help="comma-separated ansible-core lines, e.g. 2.17,2.21")
    parser.add_argument("--integration-elsewhere", metavar="LINE",
                        help="the ansible-core line (e.g. 2.19) whose `ansible-test integration` another stage runs:"
                             " not run here (make test: its integration stage, in the dev venv of that core)")
    args = parser.parse_args(argv)
    args.tarball = str(pathlib.Path(args.tarball).resolve())
    args.report_time = int(time.time())
    args.boundary_lines = boundary_lines()
    rows = declared.cores()
    if args.only:
        rows = [row for row in rows if declared.line_of(row[0]) in args.only.split(",")]
    started = time.monotonic()
    with Simulator(scenario="demo", tls=True) as sim:
        cores = [Core(version, python, args, sim) for version, python in rows]
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            checked = list(pool.map(Core.check, cores))
    problems = compare(checked) + declared.disagreements()
    if args.tools:
        problems += ee_create(args.tools, args.tarball, pathlib.Path(args.workdir).resolve())
    print("%-8s %-7s %6s %6s %6s  %s" % ("core", "python", "venv", "steps", "integr", "result"))
    for core in checked:
        steps = sum(t for name, t in core.times.items() if name not in ("venv", "integration"))
        print("%-8s %-7s %5.0fs %5.0fs %6s  %s" % (
            core.version, core.python, core.times.get("venv", 0), steps,
            "stage" if core.integration_elsewhere else "-" if core.integration_skipped
            else "%.0fs" % core.times.get("integration", 0),
            "FAIL" if core.problems else "ok"))
        problems.extend("ansible-core %s: %s" % (core.version, p) for p in core.problems)
    print("compat: %d cores in %.0fs (%d at a time)" % (len(checked), time.monotonic() - started, args.jobs))
    if any(core.integration_elsewhere for core in checked):
        print("SKIP: ansible-test integration on ansible-core %s here (the integration stage runs it); %s run"
              " only the targets %s, the cores between them none (their playbooks step runs both roles)"
              % (args.integration_elsewhere, " and ".join(args.boundary_lines), ", ".join(CORE_TARGETS)))
    for problem in problems:
        print("FAIL:", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
