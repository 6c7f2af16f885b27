# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Bad input, every module: refused before any request, with an error naming the option and the allowed values,
no traceback and no secret in the result."""

from __future__ import annotations

import json

import pytest

from ansible_collections.pve.cluster.plugins.modules import (
    pve_cluster_info, pve_nextid, pve_node_info, pve_tasks_info, pve_version_info)
from ansible_collections.pve.cluster.tests.unit.plugins.modules._module_runner import run_module

MODULES = {m.__name__.rsplit(".", 1)[-1]: m for m in (pve_cluster_info, pve_nextid, pve_node_info, pve_tasks_info,
                                                      pve_version_info)}
SECRET = "5f2c9d1e-0a7b-4c3d-9e8f-123456789abc"
PASSWORD = "Pw-bad-input-7Qx"
TOKEN = {"api_host": "pve1.example.com", "api_token_id": "root@pam!ansible", "api_token_secret": SECRET}

# (id, module, args, option the message must name, another text the message must hold)
WITH_TOKEN = [
    ("nextid-vmid-99", "pve_nextid", {"vmid": 99}, "vmid", "100 and 999999999"),
    ("nextid-vmid-1e9", "pve_nextid", {"vmid": 1000000000}, "vmid", "100 and 999999999"),
    ("nextid-vmid-type", "pve_nextid", {"vmid": "one hundred"}, "vmid", "int"),
    ("nextid-lower-gt-upper", "pve_nextid", {"lower": 500, "upper": 200}, "lower", "upper"),
    ("nextid-count-0", "pve_nextid", {"count": 0}, "count", "1"),
    ("node-dotdot", "pve_node_info", {"node": ["../x"]}, "node", "../x"),
    ("node-gather-everything", "pve_node_info", {"gather": ["everything"]}, "gather", "status, network"),
    ("node-network-type", "pve_node_info", {"network_type": "wifi"}, "network_type", "bridge"),
    ("tasks-upid-garbage", "pve_tasks_info", {"upid": "UPID:garbage"}, "upid", "UPID"),
    ("tasks-since-yesterday", "pve_tasks_info", {"since": "yesterday"}, "since", "ISO 8601"),
    ("tasks-until-type", "pve_tasks_info", {"until": [1, 2]}, "until", "ISO 8601"),
    ("tasks-limit-negative", "pve_tasks_info", {"limit": -1}, "limit", "0"),
    ("tasks-node-dotdot", "pve_tasks_info", {"node": "../x"}, "node", "../x"),
    ("tasks-vmid-99", "pve_tasks_info", {"vmid": 99}, "vmid", "100 and 999999999"),
    ("tasks-statusfilter", "pve_tasks_info", {"statusfilter": ["failed"]}, "statusfilter", "ok, warning, error"),
    ("tasks-source", "pve_tasks_info", {"source": "history"}, "source", "archive, active, all"),
    ("cluster-resource-type", "pve_cluster_info", {"resource_type": "vms"}, "resource_type", "vm, storage, node"),
    ("cluster-gather-everything", "pve_cluster_info", {"gather": ["everything"]}, "gather", "status, resources"),
    ("api-host-scheme-only", "pve_version_info", {"api_host": "http://"}, "api_host", "host"),
    ("api-host-userinfo", "pve_version_info", {"api_host": "https://root:%s@pve1:8006" % PASSWORD}, "api_host", "user"),
    ("api-port-range", "pve_version_info", {"api_port": 70000}, "api_port", "65535"),
    ("api-port-type", "pve_version_info", {"api_port": "https"}, "api_port", "int"),
    ("ca-path-missing", "pve_version_info", {"ca_path": "/nonexistent/pve-root-ca.pem"}, "ca_path", "does not exist"),
    ("validate-certs-type", "pve_version_info", {"validate_certs": "maybe"}, "validate_certs", "bool"),
    ("api-timeout-0", "pve_version_info", {"api_timeout": 0}, "api_timeout", ">= 1"),
    ("api-retries-negative", "pve_version_info", {"api_retries": -1}, "api_retries", ">= 0"),
    ("password-and-token", "pve_version_info", {"api_user": "root@pam", "api_password": PASSWORD},
     "api_password", "mutually exclusive"),
    ("token-id-format", "pve_cluster_info", {"api_token_id": "root@pam!bad name"}, "api_token_id", "user@realm!name"),
]
# api_host only: no credentials given
WITHOUT_CREDENTIALS = [
    ("no-credentials-version", "pve_version_info", {}, "api_token_id", "No credentials"),
    ("no-credentials-tasks", "pve_tasks_info", {}, "api_token_id", "No credentials"),
    ("no-credentials-nextid", "pve_nextid", {}, "api_token_id", "No credentials"),
    ("password-without-user", "pve_version_info", {"api_password": PASSWORD}, "api_user", "required"),
    ("user-without-realm", "pve_version_info", {"api_user": "root", "api_password": PASSWORD}, "api_user", "user@realm"),
    ("secret-without-id", "pve_version_info", {"api_token_secret": "x" * 12}, "api_token_id", "required"),
]


@pytest.mark.parametrize("case_id, module, args, option, text",
                         [(c[0], c[1], dict(TOKEN, **c[2]), c[3], c[4]) for c in WITH_TOKEN]
                         + [(c[0], c[1], dict({"api_host": "pve1.example.com"}, **c[2]), c[3], c[4])
                            for c in WITHOUT_CREDENTIALS],
                         ids=[c[0] for c in WITH_TOKEN + WITHOUT_CREDENTIALS])
def test_bad_input_is_refused_before_any_request(api, capsys, case_id, module, args, option, text):
    result, code = run_module(MODULES[module], capsys, args)
    assert code == 1 and result["failed"] is True, result
    assert len(api.calls) == 0, [call.request.url for call in api.calls]
    msg = result["msg"]
    assert option in msg and text in msg, (case_id, msg)
    assert "Traceback" not in msg
    shown = json.dumps(result)
    assert SECRET not in shown and PASSWORD not in shown, shown
