# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers for the end-to-end suites: environments and real ansible-* runs (import: from pve_e2e import ...)."""

from __future__ import annotations

import hashlib
import os
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[2]
if str(ROOT / "tests") not in sys.path:
    sys.path.insert(0, str(ROOT / "tests"))


def _scratch():
    """A temporary directory of this checkout's own: two checkouts on one machine never share it."""
    checkout = hashlib.sha256(str(ROOT).encode("utf-8")).hexdigest()[:12]
    return pathlib.Path(tempfile.gettempdir()) / ("pve-cluster-e2e-%d-%s" % (os.getuid(), checkout))


def collections_path():
    """A directory holding ansible_collections/pve/cluster -> this checkout."""
    if ROOT.parent.name == "pve" and ROOT.parent.parent.name == "ansible_collections":
        return str(ROOT.parent.parent.parent)
    tree = _scratch()
    link = tree / "ansible_collections" / "pve" / "cluster"
    link.parent.mkdir(parents=True, exist_ok=True)
    if not link.exists():
        try:
            link.symlink_to(ROOT)
        except FileExistsError:  # another pytest-xdist worker made it
            pass
    return str(tree)


def empty_config():
    """An empty ansible.cfg (ansible-core refuses os.devnull: 'Unsupported configuration file extension')."""
    path = _scratch() / "ansible.cfg"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text("")
    return str(path)


def quiet_env(collections, config, drop=()):
    """os.environ without PVE_*, PROXMOX_*, ANSIBLE_* (and the names in `drop`), for ansible-* commands that
    read the collections in `collections` and the ansible.cfg `config`: no colour, no prompts, no warnings
    about localhost or unparsed inventories, this Python as the interpreter. Shared with benchmarks/."""
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


def base_env(tmp_path=None):
    """Environment for ansible-* commands: our collection, no user config, no PVE_* leaking in."""
    env = quiet_env(collections_path(), empty_config())
    env["PYTHONPATH"] = str(ROOT / "tests")
    if tmp_path is not None:
        env["ANSIBLE_LOCAL_TEMP"] = str(tmp_path / "ansible-tmp")
        env["ANSIBLE_HOME"] = str(tmp_path / "ansible-home")
    return env


def sim_env(sim, auth="token", tmp_path=None):
    """base_env plus PVE_* variables pointing at `sim` (token or password auth)."""
    env = base_env(tmp_path)
    env["PVE_API_HOST"] = sim.url
    if sim.ca_path:
        env["PVE_CA_PATH"] = sim.ca_path
    if auth == "token":
        env["PVE_API_TOKEN_ID"] = sim.token_id
        env["PVE_API_TOKEN_SECRET"] = sim.token_secret
    else:
        env["PVE_API_USER"] = sim.user
        env["PVE_API_PASSWORD"] = sim.password
    return env


def ansible_bin(name):
    """The ansible-* command next to the running Python (the venv's), else from PATH."""
    candidate = pathlib.Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else name


def run_playbook(playbook, env, tmp_path, *args, timeout=300):
    """Run ansible-playbook on a path or on YAML text; return the CompletedProcess (text)."""
    path = pathlib.Path(playbook) if not str(playbook).lstrip().startswith("-") else None
    if path is None or not path.exists():
        path = tmp_path / "playbook.yml"
        path.write_text(playbook)
    command = [ansible_bin("ansible-playbook"), "-i", "localhost,", "-c", "local", str(path)] + list(args)
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def run_inventory(inventory_file, env, *args, timeout=300):
    command = [ansible_bin("ansible-inventory"), "-i", str(inventory_file)] + list(args)
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout, check=False)


CONNECTION_KEYS = ("api_host", "api_port", "api_user", "api_password", "api_token_id", "api_token_secret",
                   "validate_certs", "ca_path")


def without_connection(items):
    """Drop literal connection options (module args, module_defaults of tasks, blocks and plays),
    so that an example written for pve1.example.com runs against pvesim through the PVE_* env."""
    cleaned = []
    for item in items:
        item = dict(item)
        for key, value in list(item.items()):
            if key.startswith("pve.cluster.") and isinstance(value, dict):
                item[key] = dict((k, v) for k, v in value.items() if k not in CONNECTION_KEYS) or None
            elif key == "module_defaults" and isinstance(value, dict):
                groups = dict((group, dict((k, v) for k, v in (options or {}).items() if k not in CONNECTION_KEYS))
                              for group, options in value.items())
                groups = dict((group, options) for group, options in groups.items() if options)
                if groups:
                    item[key] = groups
                else:
                    del item[key]
            elif key in ("block", "rescue", "always", "tasks") and isinstance(value, list):
                item[key] = without_connection(value)
        cleaned.append(item)
    return cleaned


def plain(value):
    """ansible-inventory's JSON with {"__ansible_unsafe": text} markers replaced by the text."""
    if isinstance(value, dict):
        if set(value) == {"__ansible_unsafe"}:
            return value["__ansible_unsafe"]
        return dict((key, plain(item)) for key, item in value.items())
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value
