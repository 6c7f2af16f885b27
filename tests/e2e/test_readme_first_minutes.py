# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The README's "first five minutes", run as a user would: in an empty directory, with its
ansible.cfg, the collection installed from a built tarball with its command, the PVE_* variables
(values pointing at pvesim instead of pve1.example.com), its ad-hoc check, then its example play and
inventory file from that directory, with an inventory that lists localhost.

Only the `pip install requests` line is not run: the Python that runs Ansible here has it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import yaml

from pve_e2e import ROOT, ansible_bin, without_connection

SECTION = "## The first five minutes"


def readme():
    return (ROOT / "README.md").read_text(encoding="utf-8")


def section(text):
    start = text.index(SECTION)
    return text[start:text.index("\n## ", start + 1)]


def blocks(text, lang):
    return re.findall(r"```%s\n(.*?)```" % lang, text, flags=re.S)


def user_env(tmp_path):
    """A user's shell: the venv's commands on PATH, no ANSIBLE_*/PVE_* settings, its own HOME."""
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "PVE_", "PROXMOX_")))
    env["PATH"] = os.pathsep.join([os.path.dirname(sys.executable), env.get("PATH", "")])
    env["HOME"] = str(tmp_path / "home")
    env["ANSIBLE_NOCOLOR"] = "1"
    env.pop("PYTHONPATH", None)
    return env


def shell_script(text, sim):
    """The README's shell lines, with the simulator's values in the exports."""
    values = {"PVE_API_HOST": sim.url, "PVE_API_TOKEN_ID": sim.token_id, "PVE_API_TOKEN_SECRET": sim.token_secret,
              "PVE_CA_PATH": sim.ca_path}
    lines = []
    for line in text.splitlines():
        match = re.match(r"export (\w+)=", line)
        if match:
            line = "export %s='%s'" % (match.group(1), values[match.group(1)])
        elif "pip install requests" in line:
            continue
        lines.append(line)
    return "set -eu\n" + "\n".join(lines) + "\n"


def run(command, env, cwd, shell=False):
    return subprocess.run(command, env=env, cwd=str(cwd), capture_output=True, text=True, timeout=300, check=False,
                          shell=shell, executable="/bin/bash" if shell else None)


def test_first_five_minutes_as_written(clean_sim, tmp_path):
    part = section(readme())
    [config] = blocks(part, "ini")
    [commands] = blocks(part, "sh")
    work = tmp_path / "work"
    work.mkdir()
    (work / "ansible.cfg").write_text(config)
    env = user_env(tmp_path)
    built = run([ansible_bin("ansible-galaxy"), "collection", "build", str(ROOT), "--output-path", str(work)], env, work)
    assert built.returncode == 0, built.stdout + built.stderr

    script = shell_script(commands, clean_sim)
    checked = run(script, env, work, shell=True)
    assert checked.returncode == 0, checked.stdout[-3000:] + checked.stderr[-3000:]
    assert re.search(r'localhost \| SUCCESS => .*"version": "9\.1\.2"', checked.stdout, flags=re.S), checked.stdout
    exports = "".join(line + "\n" for line in script.splitlines() if line.startswith("export "))

    # The README's example play, from this directory, with an inventory that lists localhost: its
    # interpreter line keeps Ansible from choosing a system Python without requests.
    play = [p for p in (yaml.safe_load(b) for b in blocks(readme(), "yaml")) if isinstance(p, list) and "hosts" in p[0]]
    (work / "play.yml").write_text(yaml.safe_dump(without_connection(play[0]), sort_keys=False))
    (work / "hosts.ini").write_text("localhost ansible_connection=local\n")
    played = run(exports + "ansible-playbook -i hosts.ini play.yml", env, work, shell=True)
    assert played.returncode == 0, played.stdout[-3000:] + played.stderr[-3000:]
    assert re.search(r"localhost\s+: ok=\d+\s+changed=0\s+unreachable=0\s+failed=0", played.stdout), played.stdout

    # The README's inventory file and command (its literal connection lines dropped: PVE_* applies).
    inventory = next(b for b in blocks(readme(), "yaml") if b.startswith("plugin: pve.cluster.pve"))
    kept = [line for line in inventory.splitlines() if not line.startswith(("api_host:", "api_token_id:", "api_token_secret:"))]
    (work / "cluster.pve.yml").write_text("\n".join(kept) + "\n")
    command = re.search(r"```sh\n(ansible-inventory -i cluster\.pve\.yml[^\n]*)\n```", readme()).group(1)
    graph = run(exports + command, env, work, shell=True)
    assert graph.returncode == 0, graph.stderr[-3000:]
    assert "@pve_nodes:" in graph.stdout and "web01" in graph.stdout

    # With enable_plugins, a mistake in a *.pve.yml file is one error, not auto/yaml/ini attempts too.
    (work / "typo.pve.yml").write_text("plugin: pve.cluster.pve\ninclude_template: true\nstrict: true\n")
    typo = run(exports + "ansible-inventory -i typo.pve.yml --list", env, work, shell=True)
    assert typo.returncode != 0, typo.stdout
    assert "did you mean include_templates?" in typo.stderr, typo.stderr
    assert not re.search(r"'(auto|yaml|ini)' plugin", typo.stderr), typo.stderr
