# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The inventory and a playbook through `ansible-runner run`, as AWX / AAP run a job (`make runner`).

The private data directory is laid out as AWX writes it: env/envvars carries the PVE_* variables of
docs/awx.md's credential type (token login, the CA file AWX writes), inventory/ holds the pve.cluster.pve
source, project/ the playbook. Checked: the job succeeds, the play saw the inventory's hosts and the module's
answer, and no secret is in any file of the artifacts (stdout, stderr, job events, fact cache) but
ansible-runner's own record of the job's environment, artifacts/<ident>/command, which it writes with mode
0600 for every job (AWX removes the private data directory after the job).

Usage: python tests/runner/test_awx_layout.py BUILD_DIR   (ansible-runner and ansible-playbook on PATH,
ANSIBLE_COLLECTIONS_PATH=BUILD_DIR, run with a Python that has the simulator's requirements)
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

TESTS = pathlib.Path(__file__).resolve().parents[1]

PLAYBOOK = """\
- name: What an AWX job template runs
  hosts: pve_nodes
  gather_facts: false
  tasks:
    - name: Read the cluster
      pve.cluster.pve_cluster_info:
      delegate_to: localhost
      run_once: true
      register: cluster
    - name: The inventory and the module agree on the nodes
      ansible.builtin.assert:
        that:
          - inventory_hostname in (cluster.cluster_nodes | map(attribute='name'))
          - pve_vmid is not defined
      delegate_to: localhost
"""


def start_simulator(workdir):
    out = subprocess.run([sys.executable, "-m", "pvesim", "start", "--idle-timeout", "300"], cwd=workdir,
                         env=dict(os.environ, PYTHONPATH=str(TESTS)), capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def stop_simulator(sim):
    subprocess.run([sys.executable, "-m", "pvesim", "stop", "--state-dir", sim["state_dir"], "--remove"],
                   env=dict(os.environ, PYTHONPATH=str(TESTS)), capture_output=True, check=False)


def lay_out(private, sim):
    """env/, inventory/, project/ as AWX writes them for a job with the Proxmox VE credential."""
    (private / "env").mkdir(parents=True)
    (private / "inventory").mkdir()
    (private / "project").mkdir()
    envvars = {
        "PVE_API_HOST": "127.0.0.1:%d" % sim["port"],
        "PVE_API_TOKEN_ID": sim["token_id"],
        "PVE_API_TOKEN_SECRET": sim["token_secret"],
        "PVE_API_USER": "",
        "PVE_API_PASSWORD": "",
        "PVE_CA_PATH": sim["ca_path"],
        "PVE_VALIDATE_CERTS": "true",
    }
    (private / "env" / "envvars").write_text(json.dumps(envvars), encoding="utf-8")
    (private / "inventory" / "cluster.pve.yml").write_text("plugin: pve.cluster.pve\n", encoding="utf-8")
    (private / "project" / "site.yml").write_text(PLAYBOOK, encoding="utf-8")


def secrets_in(directory, secrets, skip=()):
    found = []
    for path in sorted(p for p in directory.rglob("*") if p.is_file() and p not in skip):
        text = path.read_text(encoding="utf-8", errors="replace")
        found += ["%s holds %r" % (path.relative_to(directory), s[:6] + "...") for s in secrets if s in text]
    return found


def main(build):
    build = pathlib.Path(build).resolve()
    workdir = build / "runner"
    subprocess.run(["rm", "-rf", str(workdir)], check=True)
    workdir.mkdir(parents=True)
    sim = start_simulator(workdir)
    try:
        private = workdir / "private"
        lay_out(private, sim)
        run = subprocess.run(["ansible-runner", "run", str(private), "-p", "site.yml", "--ident", "job1"],
                             capture_output=True, text=True, check=False, timeout=600)
    finally:
        stop_simulator(sim)
    artifacts = private / "artifacts" / "job1"
    problems = []
    status = (artifacts / "status").read_text(encoding="utf-8").strip() if (artifacts / "status").exists() else None
    if run.returncode != 0 or status != "successful":
        problems.append("ansible-runner: exit %d, status %r\n%s" % (run.returncode, status, run.stdout[-3000:]))
    stdout = (artifacts / "stdout").read_text(encoding="utf-8") if (artifacts / "stdout").exists() else ""
    if "ok=" not in stdout or "failed=0" not in stdout or "pve1" not in stdout:
        problems.append("the recap lacks the inventory's nodes or shows a failure:\n" + stdout[-2000:])
    problems += secrets_in(private / "artifacts", [sim["token_secret"]], skip=[artifacts / "command"])
    if (artifacts / "command").stat().st_mode & 0o077:
        problems.append("artifacts/job1/command (the job's environment) is readable by others")
    problems += secrets_in(private / "project", [sim["token_secret"]])
    for problem in problems:
        print("FAIL:", problem)
    print("ansible-runner AWX layout: %d passed, %d failed" % (0 if problems else 1, 1 if problems else 0))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
