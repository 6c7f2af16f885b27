# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run playbooks/cluster_report.yml with ansible-playbook, as a user runs it, against an in-process pvesim."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys
from collections import namedtuple

from pvesim import Simulator

# .../ansible_collections/pve/cluster/tests/unit/playbooks/_report.py
COLLECTION = pathlib.Path(__file__).resolve().parents[3]
COLLECTIONS_ROOT = COLLECTION.parents[2]


def ansible_bin(name):
    """The ansible-* command next to the running Python (the venv's), else from PATH."""
    candidate = pathlib.Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else name


def user_env(tmp_path, sim=None):
    """A user's environment: no ANSIBLE_*/PVE_*/PROXMOX_* settings but the collection path, and PVE_* for sim."""
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "PVE_", "PROXMOX_")))
    env.update(ANSIBLE_COLLECTIONS_PATH=str(COLLECTIONS_ROOT), ANSIBLE_NOCOLOR="1", ANSIBLE_LOCALHOST_WARNING="0",
               ANSIBLE_LOCAL_TEMP=str(tmp_path / "ansible-tmp"), ANSIBLE_HOME=str(tmp_path / "ansible-home"))
    env["PATH"] = os.pathsep.join([os.path.dirname(sys.executable), env.get("PATH", "")])
    config = tmp_path / "empty-ansible.cfg"     # no ansible.cfg of this machine's applies
    config.write_text("")
    env["ANSIBLE_CONFIG"] = str(config)
    if sim is not None:
        env.update(PVE_API_HOST=sim.url, PVE_CA_PATH=sim.ca_path, PVE_API_TOKEN_ID=sim.token_id,
                   PVE_API_TOKEN_SECRET=sim.token_secret)
    return env


Report = namedtuple("Report", "html markdown scenario")


def write_report(tmp_path, scenario="demo"):
    """Write the HTML and Markdown reports of `scenario` into tmp_path/reports: a Report of their paths
    and the simulator's scenario."""
    outdir = tmp_path / "reports"
    with Simulator(scenario=scenario) as sim:
        command = [ansible_bin("ansible-playbook"), "-i", "localhost,", "-c", "local",
                   str(COLLECTION / "playbooks" / "cluster_report.yml"), "-e", "cluster_report_dir=%s" % outdir]
        result = subprocess.run(command, env=user_env(tmp_path, sim), cwd=str(tmp_path), capture_output=True,
                                text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return Report(outdir / "pve-cluster-report.html", outdir / "pve-cluster-report.md", sim.scenario)
