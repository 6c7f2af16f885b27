# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A failure message says each thing once: no request and no two words in a row twice (such as "HTTP 401 Authentication failed!
Authentication failed: check ..." or "Listing the tasks of node pve2 (GET /nodes/pve2/tasks): GET /nodes/pve2/tasks
failed"). Every module, against the simulator, for the HTTP errors PVE sends (reason phrase and body message alike)."""

from __future__ import annotations

import json
import re

import pytest

from pvesim.auth import AUDITOR_TOKEN_ID, AUDITOR_TOKEN_SECRET

from ansible_collections.pve.cluster.plugins.modules import (
    pve_cluster_info, pve_nextid, pve_node_info, pve_tasks_info, pve_version_info)
from ansible_collections.pve.cluster.tests.unit.plugins.modules._module_runner import run_against

WORD = re.compile(r"[a-z0-9_@-]+(?:[.:/][a-z0-9_@-]+)*")
REQUEST = re.compile(r"\b(GET|POST|PUT|DELETE) (/[^\s?():,]*)(\?[^\s():,]*)?")


def repeated_phrases(text):
    """What `text` says twice: a request (method and path, query ignored), or two words in a row elsewhere
    (case and punctuation ignored)."""
    requests = ["%s %s" % found.group(1, 2) for found in REQUEST.finditer(text)]
    repeated = sorted(set(request for request in requests if requests.count(request) > 1))
    seen = set()
    for part in REQUEST.split(text)[::4]:  # the text between requests (split also returns the 3 groups)
        words = WORD.findall(part.lower())
        for phrase in ("%s %s" % pair for pair in zip(words, words[1:])):
            if phrase in seen and phrase not in repeated:
                repeated.append(phrase)
            seen.add(phrase)
    return repeated


def test_the_check_sees_a_repetition():
    assert repeated_phrases("GET /version failed: HTTP 401 Authentication failed! Authentication failed: check "
                            "api_token_id") == ["authentication failed"]
    assert repeated_phrases("Listing the tasks of node pve2 (GET /nodes/pve2/tasks): GET /nodes/pve2/tasks?limit=50 "
                            "failed") == ["GET /nodes/pve2/tasks"]
    assert repeated_phrases("node pve2: GET /nodes/pve2/status failed: HTTP 500 boom") == []
    assert repeated_phrases("Reading the cluster status: GET /cluster/status failed: HTTP 500 got timeout") == []


def fault(path, status, message="got timeout", body=None):
    return {"path": path, "status": status, "message": message, "body": body}


PVE_401 = '{"data": null, "message": "Authentication failed!\\n"}'
PVE_400 = ('{"data": null, "message": "Parameter verification failed.\\n", '
           '"errors": {"typefilter": "value does not match the regex pattern"}}')
AUDITOR = {"api_token_id": AUDITOR_TOKEN_ID, "api_token_secret": AUDITOR_TOKEN_SECRET}
PASSWORD = {"api_token_id": None, "api_token_secret": None, "api_user": "root@pam", "api_password": "not-the-password"}

# name: (module, module args, fault or None, what the message must name (a text or texts), keys the result must have)
CASES = {
    "401 token": (pve_version_info, {"api_token_secret": "11111111-2222-3333-4444-555555555555"}, None,
                  ["Reading the PVE version: GET /version failed: HTTP 401", "api_token_secret"], {"status": 401}),
    "401 password": (pve_version_info, PASSWORD, None, "HTTP 401", {}),
    "401 with PVE's message": (pve_version_info, {}, fault(r"^/version", 401, body=PVE_401), "HTTP 401", {}),
    "401 node list": (pve_node_info, {}, fault(r"^/nodes$", 401), "GET /nodes failed: HTTP 401", {"status": 401}),
    "403": (pve_cluster_info, dict(AUDITOR, gather=["status"]), None, "HTTP 403", {}),
    "400 with errors": (pve_tasks_info, {"node": "pve1"}, fault(r"^/nodes/pve1/tasks", 400, body=PVE_400),
                        "typefilter: value does not match", {}),
    "500 one node": (pve_tasks_info, {"node": "pve1"}, fault(r"^/nodes/pve1/tasks", 500), "HTTP 500", {}),
    "500 all nodes": (pve_tasks_info, {}, fault(r"^/nodes/pve2/tasks", 500), "HTTP 500", {}),
    "500 node status": (pve_node_info, {}, fault(r"^/nodes/pve1/status", 500),
                        "node pve1: GET /nodes/pve1/status failed: HTTP 500 got timeout", {"status": 500, "failed_nodes": ["pve1"]}),
    "500 nextid": (pve_nextid, {}, fault(r"^/cluster/nextid", 500), "GET /cluster/nextid failed: HTTP 500 got timeout", {}),
    "500 resources of a type": (pve_cluster_info, {"gather": ["resources"], "resource_type": "storage"},
                                fault(r"^/cluster/resources", 500), "GET /cluster/resources?type=storage failed: HTTP 500", {}),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_failure_says_each_thing_once(capsys, sim, case):
    module, args, fault, expected, keys = CASES[case]
    sim.clear_faults()
    if fault:
        sim.add_fault(**fault)
    try:
        result, code, _warnings = run_against(module, capsys, sim, **args)
    finally:
        sim.clear_faults()
    assert code == 1, result
    assert all(text in result["msg"] for text in (expected if isinstance(expected, list) else [expected])), result["msg"]
    assert dict((key, result.get(key)) for key in keys) == keys, result
    shown = json.dumps(result)
    assert "Traceback" not in shown and not [v for v in (sim.token_secret, args.get("api_token_secret"),
                                                         args.get("api_password")) if v and v in shown]
    assert repeated_phrases(result["msg"]) == [], result["msg"]
