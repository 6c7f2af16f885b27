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
from ansible_collections.pve.cluster.tests.unit.plugins.modules._module_runner import CONNECTION, SECRET, run_module

MODULES = {m.__name__.rsplit(".", 1)[-1]: m for m in (pve_cluster_info, pve_nextid, pve_node_info, pve_tasks_info,
                                                      pve_version_info)}
PASSWORD = "Pw-bad-input-7Qx"

UPID = "UPID:pve2:00000FA8:000186D8:6B092A15:qmigrate:120:root@pam!ansible:"

# (module, args beside the token connection (None: left out), texts the message must hold: the option first)
WITH_TOKEN = [
    ("pve_nextid", {"vmid": 99}, ["vmid", "100 and 999999999"]),
    ("pve_nextid", {"vmid": 1000000000}, ["vmid", "100 and 999999999"]),
    ("pve_nextid", {"vmid": "one hundred"}, ["vmid", "int"]),
    ("pve_nextid", {"lower": 50}, ["lower", "100", "999999999"]),
    ("pve_nextid", {"upper": 1000000000}, ["upper", "999999999"]),
    ("pve_nextid", {"lower": 500, "upper": 400}, ["lower", "upper", "500", "400"]),
    ("pve_nextid", {"count": 0}, ["count", "between 1 and 1000"]),
    ("pve_nextid", {"count": 1001}, ["count", "between 1 and 1000, got 1001"]),
    ("pve_nextid", {"vmid": 200, "count": 2}, ["count", "vmid"]),
    ("pve_nextid", {"vmid": 200, "lower": 100}, ["lower: cannot be combined with vmid"]),
    ("pve_nextid", {"vmid": 200, "upper": 300}, ["upper: cannot be combined with vmid"]),
    ("pve_nextid", {"count": 3, "lower": 500, "upper": 501}, ["count: 3 ids do not fit in the range 500..501 (lower..upper)"]),
    ("pve_nextid", {"count": 2, "lower": 999999999}, ["count: 2 ids do not fit in the range 999999999..999999999"]),
    ("pve_nextid", {"strategy": "random", "count": 5, "lower": 300, "upper": 303}, ["count: 5 ids do not fit in the range 300..303"]),
    ("pve_nextid", {"strategy": "highest"}, ["value of strategy must be one of: lowest, random, got: highest"]),
    ("pve_nextid", {"exclude": [99]}, ["exclude: must be between 100 and 999999999 (PVE's VMID range), got 99"]),
    ("pve_nextid", {"exclude": ["abc"]}, ["exclude"]),
    ("pve_nextid", {"keep": [1000000000]}, ["keep: must be between 100 and 999999999 (PVE's VMID range), got 1000000000"]),
    ("pve_nextid", {"keep": [200, 200]}, ["keep: lists 200 more than once"]),
    ("pve_nextid", {"keep": [200], "exclude": [200]}, ["keep: 200 also in exclude"]),
    ("pve_nextid", {"vmid": 200, "strategy": "random"}, ["strategy: cannot be combined with vmid"]),
    ("pve_nextid", {"vmid": 200, "exclude": [300]}, ["exclude: cannot be combined with vmid"]),
    ("pve_nextid", {"vmid": 200, "keep": [300]}, ["keep: cannot be combined with vmid"]),
    ("pve_node_info", {"node": ["../x"]}, ["node", "../x"]),
    ("pve_node_info", {"gather": ["status", "everything"]}, ["gather", "status, network"]),
    ("pve_node_info", {"gather": ["network"], "network_type": "wifi"}, ["network_type", "any_bridge", "OVSBridge"]),
    ("pve_node_info", {"network_type": "bridge"},
     ["network_type: only applies when gather includes network (gather: [status])"]),
    ("pve_tasks_info", {"upid": "UPID:pve1:nonsense"}, ["upid", "not a PVE task id", "UPID:<node>"]),
    ("pve_tasks_info", {"since": "yesterday"}, ["since", "epoch seconds", "ISO 8601"]),
    ("pve_tasks_info", {"until": [1, 2]}, ["until", "ISO 8601"]),
    ("pve_tasks_info", {"since": "2025-01-02", "until": "2025-01-01"}, ["since", "until"]),
    ("pve_tasks_info", {"limit": -1}, ["limit", "0 or a positive integer"]),
    ("pve_tasks_info", {"start": -1}, ["start", "0 or a positive integer"]),
    ("pve_tasks_info", {"node": "../x"}, ["node", "../x", "not a valid PVE node name"]),
    ("pve_tasks_info", {"vmid": 99}, ["vmid", "100 and 999999999"]),
    ("pve_tasks_info", {"log": True}, ["log", "requires upid"]),
    ("pve_tasks_info", {"upid": UPID, "node": "pve1"}, ["node", "pve2"]),
    ("pve_tasks_info", {"upid": UPID, "typefilter": "vzdump"}, ["mutually exclusive", "upid", "typefilter"]),
    ("pve_tasks_info", {"statusfilter": ["failed"]}, ["statusfilter", "ok, warning, error, unknown"]),
    ("pve_tasks_info", {"source": "history"}, ["source", "archive, active, all"]),
    ("pve_tasks_info", {"node": "pve1", "errors": True, "statusfilter": ["error"]}, ["errors: cannot be combined with statusfilter"]),
    ("pve_cluster_info", {"resource_type": "vms"}, ["resource_type", "vm, storage, node", "sdn"]),
    ("pve_cluster_info", {"gather": ["everything"]}, ["gather", "status, resources"]),
    ("pve_cluster_info", {"gather": ["status"], "resource_type": "vm"},
     ["resource_type: only applies when gather includes resources (gather: [status])"]),
    # the connection options reach PveModule's checks (each of their cases: module_utils test_options.py, test_client.py)
    ("pve_cluster_info", {"api_token_id": "root@pam!bad name"}, ["api_token_id", "user@realm!name"]),
    ("pve_version_info", {"api_host": None}, ["api_host"]),
    ("pve_version_info", {"api_port": "https"}, ["api_port", "int"]),
]
# api_host only: no credentials given
WITHOUT_CREDENTIALS = [
    ("pve_version_info", {}, ["No credentials", "api_token_id", "api_password"]),
    ("pve_version_info", {"api_user": "root", "api_password": PASSWORD}, ["api_user", "user@realm"]),
]
CASES = [(module, dict(CONNECTION, **args), texts) for module, args, texts in WITH_TOKEN] + [
    (module, dict({"api_host": CONNECTION["api_host"]}, **args), texts) for module, args, texts in WITHOUT_CREDENTIALS]


@pytest.mark.parametrize("module, args, texts", CASES, ids=["%s %s" % row[:2] for row in WITH_TOKEN + WITHOUT_CREDENTIALS])
def test_bad_input_is_refused_before_any_request(api, capsys, module, args, texts):
    result, code = run_module(MODULES[module], capsys, dict((k, v) for k, v in args.items() if v is not None))
    assert code == 1 and result["failed"] is True, result
    assert len(api.calls) == 0, [call.request.url for call in api.calls]
    msg = result["msg"]
    assert all(text in msg for text in texts), msg
    assert "Traceback" not in msg
    if "failed_option" in result:
        assert msg == "%s: %s" % (result["failed_option"], result["failed_reason"]), result
    shown = json.dumps(result)
    assert SECRET not in shown and PASSWORD not in shown, shown
