"""Each PVE profile's answers compared with the real captured samples that apply to it.

A sample named pve7* applies to the pve7 profile, pve8* to pve8 and pve8.1, pve9* to pve9; samples of
PVE 6 or of an unknown version hold shapes that did not change and apply to every profile.
"""
from __future__ import annotations

import glob
import json
import os
import re

import pytest

from ansible_collections.pve.cluster.tests.unit.plugins.module_utils._samples import SAMPLES_DIR

SAMPLES = str(SAMPLES_DIR)
SAMPLE_FILES = sorted(glob.glob(os.path.join(SAMPLES, "*", "*.json")))


# keys a row carries only when set (tags, pool, ...) or only in some PVE versions
CONDITIONAL = {"pool", "tags", "lock", "hastate", "comments", "exists", "secureboot", "statistics", "ip-addresses"}

# sample dir -> (simulator path, row kind key)
TARGETS = {
    "version": ("/version", None),
    "nodes": ("/nodes", "type"),
    "cluster-status": ("/cluster/status", "type"),
    "cluster-resources": ("/cluster/resources", "type"),
    "cluster-nextid": ("/cluster/nextid", None),
    "node-status": ("/nodes/pve1/status", None),
    "node-tasks": ("/nodes/pve1/tasks?source=all", None),
    "node-network": ("/nodes/pve1/network", "type"),
    "qemu-agent-network-get-interfaces": ("/nodes/pve1/qemu/100/agent/network-get-interfaces", None),
}


def jtype(value):
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "string", list: "array", dict: "object", type(None): "null"}[type(value)]


def compare(sample, mine, where, problems):
    """Same keys (the simulator may add keys: those the schema does not list, test_contract_schema.py's
    NOT_IN_SCHEMA), same JSON types."""
    if isinstance(sample, dict) and isinstance(mine, dict):
        missing = set(sample) - set(mine) - CONDITIONAL
        if missing:
            problems.append("%s: simulator lacks %s" % (where, sorted(missing)))
        for key in set(sample) & set(mine):
            compare(sample[key], mine[key], "%s.%s" % (where, key), problems)
    elif isinstance(sample, list) and isinstance(mine, list):
        if sample and mine and not isinstance(sample[0], dict):
            if jtype(sample[0]) != jtype(mine[0]):
                problems.append("%s[]: sample %s, simulator %s" % (where, jtype(sample[0]), jtype(mine[0])))
    elif sample is not None and jtype(sample) != jtype(mine):
        problems.append("%s: sample %s %r, simulator %s %r" % (where, jtype(sample), sample, jtype(mine), mine))


def sample_major(path):
    """The PVE major version a sample was captured from (7, 8, 9), or None (PVE 6 or unknown)."""
    found = re.match(r"^pve(\d+)", os.path.basename(path))
    major = int(found.group(1)) if found else None
    return major if major in (7, 8, 9) else None


def applies(path, profile):
    major = sample_major(path)
    return major is None or profile.startswith("pve%d" % major)


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=[os.path.relpath(p, SAMPLES) for p in SAMPLE_FILES])
def test_simulator_matches_sample(pclient, path):
    client = pclient
    profile = client.sim.profile["name"]
    if not applies(path, profile):
        pytest.skip("a PVE %d sample does not apply to profile %s" % (sample_major(path), profile))
    with open(path, encoding="utf-8") as handle:
        sample = json.load(handle)
    kind = os.path.basename(os.path.dirname(path))
    sim_path, kind_key = TARGETS[kind]
    query = sample["request"].get("query") or {}
    resp = client.get(sim_path.split("?")[0] if query else sim_path, params=query or None)
    if sample["status"] != 200:
        # error samples: same status, same envelope keys (the simulator adds PVE >= 8.3's "message")
        nextid_taken = client.get("/cluster/nextid", params={"vmid": "100"})
        assert nextid_taken.status_code == sample["status"]
        assert set(sample["body"]) <= set(nextid_taken.json())
        assert set(sample["body"]["errors"]) == set(nextid_taken.json()["errors"])
        return
    assert resp.status_code == 200, resp.text
    sample_data = sample["body"]["data"]
    mine = resp.json()["data"]
    problems = []
    if kind == "qemu-agent-network-get-interfaces":
        if isinstance(sample_data["result"], dict):  # agent error reply (HTTP 200)
            unsupported = client.data("/nodes/pve2/qemu/122/agent/network-get-interfaces")
            compare(sample_data, unsupported, "data", problems)
        else:
            by_name = {i["name"]: i for i in mine["result"]}
            for iface in sample_data["result"]:
                other = by_name.get(iface["name"], by_name["eth0"])
                compare(iface, other, "result[%s]" % iface["name"], problems)
    elif isinstance(sample_data, list) and kind_key:
        mine_by_kind = {}
        for row in mine:
            mine_by_kind.setdefault(row.get(kind_key), row)
        for index, row in enumerate(sample_data):
            other = mine_by_kind.get(row.get(kind_key))
            if other is None:
                continue  # a kind of row the scenario does not produce (e.g. OVS interfaces)
            compare(row, other, "data[%d](%s)" % (index, row.get(kind_key)), problems)
    elif isinstance(sample_data, list):
        # a finished task started by a user (not a token): same kind of row as the sample's
        finished = [r for r in mine if r.get("status") not in (None, "RUNNING") and "tokenid" not in r]
        for index, row in enumerate(sample_data):
            compare(row, finished[0], "data[%d]" % index, problems)
    else:
        compare(sample_data, mine, "data", problems)
        if kind == "node-status" and sample_major(path) is not None:
            # the same release: no key that release does not send (current-kernel, boot-info, memory.available)
            extra = set(mine) - set(sample_data) - CONDITIONAL
            extra |= {"memory." + k for k in set(mine["memory"]) - set(sample_data["memory"])}
            if extra:
                problems.append("data: %s sends keys PVE %s does not: %s" % (profile, sample_major(path), sorted(extra)))
    if kind == "node-network":
        problems = [p for p in problems if "lacks" not in p]  # interface options differ per host config
    assert not problems, problems
