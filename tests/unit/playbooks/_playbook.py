# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run ansible-playbook as a user runs it (a clean environment, the collection of this tree)."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

# .../ansible_collections/pve/cluster/tests/unit/playbooks/_playbook.py
COLLECTION = pathlib.Path(__file__).resolve().parents[3]
COLLECTIONS_ROOT = COLLECTION.parents[2]


def ansible_bin(name):
    """The ansible-* command next to the running Python (the venv's), else from PATH."""
    candidate = pathlib.Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else name


def user_env(tmp_path):
    """A user's environment: no ANSIBLE_*/PVE_*/PROXMOX_* settings but the collection path."""
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "PVE_", "PROXMOX_")))
    env.update(ANSIBLE_COLLECTIONS_PATH=str(COLLECTIONS_ROOT), ANSIBLE_NOCOLOR="1", ANSIBLE_LOCALHOST_WARNING="0",
               ANSIBLE_LOCAL_TEMP=str(tmp_path / "ansible-tmp"), ANSIBLE_HOME=str(tmp_path / "ansible-home"))
    env["PATH"] = os.pathsep.join([os.path.dirname(sys.executable), env.get("PATH", "")])
    config = tmp_path / "empty-ansible.cfg"     # no ansible.cfg of this machine's applies
    config.write_text("")
    env["ANSIBLE_CONFIG"] = str(config)
    return env


def ansible_playbook(tmp_path, *args):
    """`ansible-playbook -i localhost, ARGS` in tmp_path, in user_env(tmp_path): it passed without a traceback;
    the finished process."""
    command = [ansible_bin("ansible-playbook"), "-i", "localhost,"] + [str(arg) for arg in args]
    proc = subprocess.run(command, env=user_env(tmp_path), cwd=str(tmp_path),
                          capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
    assert "Traceback" not in proc.stdout + proc.stderr
    return proc
