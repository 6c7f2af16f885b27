# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""pve_version_info's main() in-process, HTTP mocked with `responses` from the real samples."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

import pytest
import responses

from ansible_collections.pve.cluster.plugins.module_utils._module import INTERPRETER_LINE
from ansible_collections.pve.cluster.plugins.module_utils._options import ENV_VARS
from ansible_collections.pve.cluster.plugins.modules import pve_version_info
from ansible_collections.pve.cluster.tests.unit.plugins.module_utils._samples import load_samples
from ansible_collections.pve.cluster.tests.unit.plugins.modules._module_runner import module_runner

SECRET = "a3c1d9e4-SECRET-module-test-77f0"
URL = "https://pve1.example.com:8006/api2/json/version"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for names in ENV_VARS.values():
        for name in names:
            monkeypatch.delenv(name, raising=False)


run = module_runner(pve_version_info)  # no connection: each test gives its own


def token_args(**extra):
    args = {"api_host": "pve1.example.com", "api_token_id": "root@pam!ansible", "api_token_secret": SECRET,
            "api_retries": 0}
    args.update(extra)
    return args


@pytest.mark.parametrize("name, sample", load_samples("version"))
def test_returns_the_version(api, capsys, name, sample):
    api.add(responses.GET, URL, status=sample["status"], json=sample["body"])
    result, code = run(capsys, token_args())
    out = json.dumps(result)
    assert code == 0
    assert result["changed"] is False
    assert result["version"] == sample["body"]["data"]
    assert api.calls[0].request.headers["Authorization"] == "PVEAPIToken=root@pam!ansible=" + SECRET
    assert SECRET not in out
    assert len(api.calls) == 1


def test_401_fails_cleanly_without_the_secret(api, capsys):
    api.add(responses.GET, URL, status=401)
    result, code = run(capsys, token_args())
    out = json.dumps(result)
    assert code == 1 and result["failed"] is True
    assert result["msg"].startswith("Reading the PVE version: GET /version failed: HTTP 401")
    # method and path once, the hint once (issue 12 point 5)
    assert result["msg"].count("GET /version") == 1 and result["msg"].count("api_token_secret") == 1
    assert "api_token_secret" in result["msg"]   # the hint says what to check
    assert result["status"] == 401
    assert "Traceback" not in out and SECRET not in out
    assert len(api.calls) == 1


def test_a_python_without_requests_says_what_to_do(tmp_path):
    """A real run: `ansible` runs the module with a Python that lacks requests (a fresh venv), as when an
    inventory's localhost gets the system's Python; the error names that Python and both remedies."""
    bare = tmp_path / "bare"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(bare)], check=True, timeout=120)
    python = bare / "bin" / "python"
    assert subprocess.run([str(python), "-c", "import requests"], capture_output=True, check=False).returncode != 0
    root = pathlib.Path(pve_version_info.__file__).parents[5]
    # no PYTHONPATH either: ansible-test units points it at a copy of ansible restricted to module_utils
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "PVE_", "PROXMOX_", "PYTHONPATH")))
    env.update(ANSIBLE_COLLECTIONS_PATH=str(root), ANSIBLE_NOCOLOR="1", ANSIBLE_LOCAL_TEMP=str(tmp_path / "tmp"),
               ANSIBLE_HOME=str(tmp_path / "home"), PVE_API_HOST="pve1.example.com", PVE_API_TOKEN_ID="root@pam!ab",
               PVE_API_TOKEN_SECRET="5f0c7e1a-93d2-4b8e-a6f4-2c91d7b3e058", ANSIBLE_CONFIG=str(tmp_path / "ansible.cfg"))
    (tmp_path / "ansible.cfg").write_text("")
    ansible = pathlib.Path(sys.executable).parent / "ansible"
    proc = subprocess.run([str(ansible) if ansible.exists() else "ansible", "localhost", "-i", "localhost,", "-c",
                           "local", "-m", "pve.cluster.pve_version_info", "-e", "ansible_python_interpreter=%s" % python],
                          env=env, cwd=str(tmp_path), capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode != 0, proc.stdout
    assert "Failed to import the required Python library (requests)" in proc.stdout, proc.stdout + proc.stderr
    assert "Python %s. Install it there (%s -m pip install requests)" % (python, python) in proc.stdout, proc.stdout
    assert INTERPRETER_LINE in proc.stdout.replace('\\"', '"'), proc.stdout  # ansible-core < 2.19 prints JSON: \"
