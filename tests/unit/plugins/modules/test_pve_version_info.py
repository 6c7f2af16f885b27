# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""pve_version_info's main() in-process, HTTP mocked with `responses` from the real samples. Its failures:
test_messages_said_once.py, test_hostile_answers.py; a Python without requests: integration pve_version_info."""

from __future__ import annotations

import json

import pytest
import responses

from ansible_collections.pve.cluster.plugins.modules import pve_version_info
from ansible_collections.pve.cluster.tests.unit.plugins.module_utils._samples import load_samples
from ansible_collections.pve.cluster.tests.unit.plugins.modules._module_runner import (
    BASE, CONNECTION, SECRET, module_runner)

run = module_runner(pve_version_info, CONNECTION)


@pytest.mark.parametrize("name, sample", load_samples("version"))
def test_returns_the_version(api, capsys, name, sample):
    api.add(responses.GET, BASE + "/version", status=sample["status"], json=sample["body"])
    result = run.ok(capsys)
    assert result["changed"] is False
    assert result["version"] == sample["body"]["data"]
    assert api.calls[0].request.headers["Authorization"] == "PVEAPIToken=root@pam!ansible=" + SECRET
    assert SECRET not in json.dumps(result)
    assert len(api.calls) == 1
