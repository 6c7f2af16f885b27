# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The README's "first five minutes" as a user without a cluster follows them.

    python first_minutes.py COLLECTION WORKDIR

COLLECTION holds the README (a checkout, or an installed collection); WORKDIR is an empty directory
outside it. In WORKDIR: the README's ansible.cfg, a tarball of COLLECTION, then one shell script made of
the README's lines as printed: the `ansible-galaxy collection install` line, the simulator block's
start and `. sim/env` lines, its check, the README's example play, inventory file and
`ansible-inventory` command, a file with a mistake (what the README says enable_plugins does), and the
block's stop line. Not run: `pip install` (no network here; this Python must be inside the range that
line installs) and the four `export` lines the simulator block replaces. Prints "README first five
minutes: OK" or what differed, and exits 1.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile

import yaml

SECTION = "## The first five minutes"
CONNECTION_KEYS = ("api_host", "api_port", "api_user", "api_password", "api_token_id", "api_token_secret",
                   "validate_certs", "ca_path")


class Differs(Exception):
    """What the README says and what happened differ."""


def blocks(text, lang):
    return re.findall(r"```%s\n(.*?)```" % lang, text, flags=re.S)


def section(text):
    start = text.index(SECTION)
    end = text.find("\n## ", start + 1)
    return text[start:end if end != -1 else len(text)]


def version_tuple(text):
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def check_pip_line(line, collection):
    """The pip line installs a range that starts at meta/runtime.yml's requires_ansible and holds this core."""
    import ansible.release  # pylint: disable=import-outside-toplevel

    spec = re.search(r"'ansible-core>=([\d.]+),<([\d.]+)'", line)
    if not spec or "requests" not in line:
        raise Differs("the pip line names no 'ansible-core>=X,<Y' range and requests: %r" % line)
    with open(os.path.join(collection, "meta", "runtime.yml"), encoding="utf-8") as handle:
        requires = yaml.safe_load(handle)["requires_ansible"]
    if version_tuple(requires) != version_tuple(spec.group(1) + ".0"):
        raise Differs("the pip line starts at %s, meta/runtime.yml requires %s" % (spec.group(1), requires))
    core = version_tuple(ansible.release.__version__)
    if not version_tuple(spec.group(1)) <= core < version_tuple(spec.group(2)):
        raise Differs("ansible-core %s is outside the README's range %s" % (ansible.release.__version__, spec.group(0)))


def make_tarball(collection, workdir):
    """The collection's tarball: `ansible-galaxy collection build` of a checkout, or an installed
    collection (MANIFEST.json, what a tarball holds) packed as Galaxy packs it."""
    bindir = os.path.dirname(sys.executable)
    if os.path.exists(os.path.join(collection, "galaxy.yml")):
        subprocess.run([os.path.join(bindir, "ansible-galaxy"), "collection", "build", collection, "--output-path",
                        workdir], check=True, capture_output=True, timeout=300)
        return
    with open(os.path.join(collection, "MANIFEST.json"), encoding="utf-8") as handle:
        info = yaml.safe_load(handle)["collection_info"]
    path = os.path.join(workdir, "%s-%s-%s.tar.gz" % (info["namespace"], info["name"], info["version"]))
    skip = (".git", "tests/output")
    with tarfile.open(path, "w:gz") as tar:
        for name in sorted(os.listdir(collection)):
            tar.add(os.path.join(collection, name), arcname=name,
                    filter=lambda member: None if member.name.startswith(skip) else member)


def user_env(workdir):
    """A user's shell: this Python's commands first on PATH, no ANSIBLE_*/PVE_*/PROXMOX_* settings, own HOME."""
    env = dict((k, v) for k, v in os.environ.items()
               if not k.startswith(("ANSIBLE_", "PVE_", "PROXMOX_")) and k not in ("PYTHONPATH",))
    env["PATH"] = os.pathsep.join([os.path.dirname(sys.executable), env.get("PATH", "")])
    env["HOME"] = os.path.join(workdir, "home")
    env["ANSIBLE_NOCOLOR"] = "1"
    os.makedirs(env["HOME"], exist_ok=True)
    return env


def without_connection(play):
    """The README's play without its literal connection lines (pve1.example.com): PVE_* applies."""
    play = dict(play)
    groups = dict((group, dict((k, v) for k, v in (options or {}).items() if k not in CONNECTION_KEYS))
                  for group, options in (play.get("module_defaults") or {}).items())
    groups = dict((group, options) for group, options in groups.items() if options)
    if groups:
        play["module_defaults"] = groups
    else:
        play.pop("module_defaults", None)
    return play


def script(readme, part):
    """The shell script of the README's lines, and the markers its output is split at."""
    sh_blocks = blocks(part, "sh")
    if len(sh_blocks) != 2:
        raise Differs("the section has %d sh blocks, not 2 (install and check; the simulator)" % len(sh_blocks))
    commands, simulator = (block.strip().splitlines() for block in sh_blocks)
    install = [line for line in commands if line.startswith("ansible-galaxy collection install")]
    check = [line for line in commands if line.startswith("ansible localhost -m ")]
    if len(install) != 1 or len(check) != 1 or len(simulator) != 4:
        raise Differs("expected one install line, one check line and a four-line simulator block: %r %r"
                      % (commands, simulator))
    if not simulator[1].startswith(". ") or check[0] not in simulator[2]:
        raise Differs("the simulator block does not source its env file and run the check: %r" % simulator)
    inventory_command = re.search(r"```sh\n(ansible-inventory -i cluster\.pve\.yml[^\n]*)\n```", readme)
    if not inventory_command:
        raise Differs("no `ansible-inventory -i cluster.pve.yml ...` command in the README")
    lines = ["set -eu", install[0], simulator[0], simulator[1], "echo '== check'", simulator[2],
             "echo '== play'", "ansible-playbook -i hosts.ini play.yml",
             "echo '== inventory'", inventory_command.group(1),
             "echo '== typo'", "ansible-inventory -i typo.pve.yml --list 2>&1 && exit 3 || true",
             "echo '== stop'", simulator[3]]
    return "\n".join(lines) + "\n", simulator[3]


def follow(collection, workdir):
    with open(os.path.join(collection, "README.md"), encoding="utf-8") as handle:
        readme = handle.read()
    part = section(readme)
    [config] = blocks(part, "ini")
    pip = [line for block in blocks(part, "sh") for line in block.splitlines() if "pip install" in line]
    if len(pip) != 1:
        raise Differs("expected one pip install line: %r" % pip)
    check_pip_line(pip[0], collection)

    with open(os.path.join(workdir, "ansible.cfg"), "w", encoding="utf-8") as handle:
        handle.write(config)
    make_tarball(collection, workdir)
    plays = [p for p in (yaml.safe_load(b) for b in blocks(readme, "yaml")) if isinstance(p, list) and "hosts" in p[0]]
    inventory = [b for b in blocks(readme, "yaml") if b.startswith("plugin: pve.cluster.pve")]
    if len(plays) != 1 or len(inventory) != 1:
        raise Differs("expected one example play and one inventory file in the README")
    files = {
        "play.yml": yaml.safe_dump([without_connection(plays[0][0])], sort_keys=False),
        "hosts.ini": "localhost ansible_connection=local\n",   # an inventory that lists localhost
        "cluster.pve.yml": inventory[0],
        "typo.pve.yml": "plugin: pve.cluster.pve\ninclude_template: true\nstrict: true\n",
    }
    for name, content in files.items():
        with open(os.path.join(workdir, name), "w", encoding="utf-8") as handle:
            handle.write(content)
    text, stop_line = script(readme, part)
    env = user_env(workdir)
    try:
        run = subprocess.run(["/bin/bash", "-c", text], cwd=workdir, env=env, capture_output=True, text=True,
                             timeout=600, check=False)
    finally:
        if os.path.exists(os.path.join(workdir, "sim", "pid")):  # a failed step: stop the simulator anyway
            subprocess.run(["/bin/bash", "-c", stop_line], cwd=workdir, env=env, capture_output=True, timeout=60,
                           check=False)
    out = run.stdout
    if run.returncode != 0:
        raise Differs("the README's lines failed (exit %d): %s %s" % (run.returncode, out[-3000:], run.stderr[-3000:]))
    steps = dict(re.findall(r"^== (\w+)\n(.*?)(?=^== |\Z)", out, flags=re.S | re.M))
    if not re.search(r'localhost \| SUCCESS => .*"version": "\d+\.\d+', steps.get("check", ""), flags=re.S):
        raise Differs("the check printed no PVE version: %s" % steps.get("check"))
    if not re.search(r"localhost\s+: ok=\d+\s+changed=0\s+unreachable=0\s+failed=0", steps.get("play", "")):
        raise Differs("the example play did not pass: %s" % steps.get("play", "")[-3000:])
    graph = steps.get("inventory", "")
    if "@pve_nodes:" not in graph or "@pve_running:" not in graph:
        raise Differs("the inventory graph lacks the built-in groups: %s" % graph[-3000:])
    typo = steps.get("typo", "")
    if "did you mean include_templates?" not in typo or re.search(r"'(auto|yaml|ini)' plugin", typo):
        raise Differs("a mistake in a *.pve.yml file is not this plugin's error alone: %s" % typo[-3000:])
    if os.path.exists(os.path.join(workdir, "sim", "pid")):
        raise Differs("the simulator still runs after the README's stop line")
    import ansible.release  # pylint: disable=import-outside-toplevel
    return "ansible-core %s; %d lines of README shell run" % (ansible.release.__version__, text.count("\n"))


def main():
    collection, workdir = sys.argv[1:3]
    try:
        done = follow(os.path.abspath(collection), os.path.abspath(workdir))
    except Differs as exc:
        print("README first five minutes: %s" % exc)
        return 1
    print("README first five minutes: OK (%s)" % done)
    return 0


if __name__ == "__main__":
    sys.exit(main())
