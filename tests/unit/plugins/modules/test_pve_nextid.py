# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""pve_nextid: main() run in-process, HTTP mocked with `responses` (fed from tests/unit/fixtures/pve-api-samples).
"""

from __future__ import annotations

import json
import urllib.parse

import pytest
from responses import matchers

from ansible_collections.pve.cluster.plugins.modules import pve_nextid
from ansible_collections.pve.cluster.tests.unit.plugins.modules._module_runner import (
    BASE, CONNECTION, module_runner, query, sample,
)

NEXTID = BASE + "/cluster/nextid"
RESOURCES = BASE + "/cluster/resources"
OPTIONS = BASE + "/cluster/options"
NO_NEXT_ID = {"data": {"allowed-tags": []}}  # datacenter.cfg without next-id: PVE's range 100..999999

NEXTID_200 = sample("cluster-nextid/go-proxmox_pve7x_nextid.json")
NEXTID_400 = sample("cluster-nextid/go-proxmox_pve7x_nextid_vmid-exists_400.json")
GUESTS = sample("cluster-resources/community-proxmox_vm-info_type-vm_qemu-lxc-pool.json")  # vmids 100..105


run = module_runner(pve_nextid, CONNECTION)


def taken(vmid):
    """PVE's 400 for a taken id: the recorded sample's body with this id."""
    body = json.loads(json.dumps(NEXTID_400["body"]).replace(NEXTID_400["request"]["query"]["vmid"], str(vmid)))
    return {"status": 400, "json": body}


def checked(call):
    """(path, vmid asked) of a recorded call."""
    return urllib.parse.urlsplit(call.request.url).path.rsplit("/", 1)[-1], query(call).get("vmid")


# -- one request: the next free id, or is this one free? ----------------------------------------------
@pytest.mark.parametrize("args, answer, expected", [
    ({}, {"json": NEXTID_200["body"]}, {"vmid": 100, "vmids": [100], "available": "left out"}),  # PVE sends "100"
    ({"vmid": 4242}, {"json": {"data": "4242"}}, {"vmid": 4242, "vmids": [4242], "available": True}),
    ({"vmid": 200}, taken(200), {"vmid": 200, "vmids": [], "available": False}),  # PVE's 400 for a taken id: no failure
], ids=["the next free id", "a free id", "a taken id"])
def test_one_request_answers(capsys, api, args, answer, expected):
    assert NEXTID_200["body"]["data"] == "100"
    api.get(NEXTID, match=[matchers.query_param_matcher(dict((k, str(v)) for k, v in args.items()))], **answer)
    result = run.ok(capsys, args)
    assert dict((key, result.get(key, "left out")) for key in expected) == expected and result["changed"] is False
    assert isinstance(result["vmid"], int) and len(api.calls) == 1


@pytest.mark.parametrize("data, shown", [
    ("99", "'99'"), ("1000000000", "'1000000000'"), (-5, "-5"), ("1e3", "'1e3'"), ("abc", "'abc'"), (106.5, "106.5"),
    (True, "True"), ([106], "a list"), (None, "null"), ("9" * 5000, "'" + "9" * 36 + "..."),
])
def test_plain_call_with_an_id_outside_the_vmid_range_fails(capsys, api, data, shown):
    """/cluster/nextid from a broken or hostile server: only an integer in 100..999999999 is a VMID."""
    api.get(NEXTID, json={"data": data})
    result = run.fails(capsys, {})
    assert "GET /cluster/nextid: PVE returned %s instead of a VMID (an integer in 100..999999999)" % shown in result["msg"]


def test_other_400_fails_with_pves_message(capsys, api):
    api.get(NEXTID, status=400, json={"data": None, "errors": {"vmid": "type check ('integer') failed"},
                                      "message": "Parameter verification failed.\n"})
    result = run.fails(capsys, {"vmid": 300})
    assert "Parameter verification failed." in result["msg"] and "type check" in result["msg"]
    assert "300" in result["msg"]


# -- count / range -------------------------------------------------------------------------------
def test_count_in_range_skips_used_ids_and_ids_pve_says_are_taken(capsys, api):
    api.get(RESOURCES, json=GUESTS["body"], match=[matchers.query_param_matcher({"type": "vm"})])
    for vmid in (106, 108, 109):
        api.get(NEXTID, json={"data": str(vmid)}, match=[matchers.query_param_matcher({"vmid": str(vmid)})])
    # 107 is not in the visible guest list, but PVE knows it is taken
    api.get(NEXTID, match=[matchers.query_param_matcher({"vmid": "107"})], **taken(107))
    result = run.ok(capsys, {"count": 3, "lower": 100, "upper": 110})
    assert result["vmids"] == [106, 108, 109] and result["vmid"] == 106
    assert [checked(c) for c in api.calls] == [("resources", None), ("nextid", "106"), ("nextid", "107"),
                                               ("nextid", "108"), ("nextid", "109")]


def test_range_exhausted_by_ids_pve_says_are_taken(capsys, api):
    api.get(RESOURCES, json=GUESTS["body"])
    api.get(NEXTID, json={"data": "106"}, match=[matchers.query_param_matcher({"vmid": "106"})])
    api.get(NEXTID, match=[matchers.query_param_matcher({"vmid": "107"})], **taken(107))
    result = run.fails(capsys, {"count": 2, "lower": 105, "upper": 107})
    assert "105..107" in result["msg"] and "only 1 free id " in result["msg"]
    assert "not visible" in result["msg"]


def test_crowded_range_stops_after_max_taken_ids(capsys, api):
    """PVE says every id is taken although the guest list is empty: the search stops after MAX_TAKEN checks."""
    api.get(OPTIONS, json=NO_NEXT_ID)
    api.get(RESOURCES, json={"data": []})
    api.get(NEXTID, status=400, json={"data": None, "message": "Parameter verification failed.\n",
                                      "errors": {"vmid": "VM 100 already exists\n"}})
    result = run.fails(capsys, {"count": 2})
    assert "range 100..999999 (lower..upper) is crowded" in result["msg"], result["msg"]
    assert "stopped after %d" % pve_nextid.MAX_TAKEN in result["msg"]
    assert len(api.calls) == 2 + pve_nextid.MAX_TAKEN
