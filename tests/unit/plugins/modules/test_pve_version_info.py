# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""pve_version_info's main() in-process, HTTP mocked with `responses` from the real samples."""

from __future__ import annotations

import json

import pytest
import responses

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
