# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Normalisers fed with every real sample: the docs/INTERFACE.md section 2 contract
(keys with '_', booleans, numbers, tags as a list)."""

from __future__ import annotations

import copy
import numbers

import pytest

from ansible_collections.pve.cluster.plugins.module_utils import _normalize as N
from ansible_collections.pve.cluster.tests.unit.plugins.module_utils._samples import all_keys, load_samples


def _is_number(value):
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


def _data(sample):
    return copy.deepcopy(sample["body"]["data"])


@pytest.mark.parametrize("name, sample", load_samples("node-status"))
def test_node_status_samples(name, sample):
    raw = _data(sample)
    result = N.normalize_node_status(raw)
    assert not [key for key in all_keys(result) if "-" in key]
    assert set(result) == set(key.replace("-", "_") for key in raw)
    assert isinstance(result["loadavg"], list) and len(result["loadavg"]) == 3
    assert all(isinstance(item, float) for item in result["loadavg"])
    assert result["loadavg"] == [float(item) for item in raw["loadavg"]]
    assert _is_number(result["cpu"]) and _is_number(result["uptime"])
    cpuinfo = result["cpuinfo"]
    for key in ("cpus", "cores", "sockets"):
        assert isinstance(cpuinfo[key], int) and not isinstance(cpuinfo[key], bool), key
    if "mhz" in cpuinfo:
        assert _is_number(cpuinfo["mhz"]) and cpuinfo["mhz"] == float(raw["cpuinfo"]["mhz"])
    if "hvm" in cpuinfo:
        assert cpuinfo["hvm"] is (str(raw["cpuinfo"]["hvm"]) == "1")
    assert isinstance(cpuinfo["model"], str)
    for key in ("memory", "rootfs"):
        assert all(_is_number(v) for v in result[key].values())
    if "boot-info" in raw:
        assert result["boot_info"]["mode"] == raw["boot-info"]["mode"]
        if "secureboot" in raw["boot-info"]:
            assert isinstance(result["boot_info"]["secureboot"], bool)
    if "current-kernel" in raw:
        assert result["current_kernel"] == raw["current-kernel"]
    assert result["pveversion"] == raw["pveversion"]   # strings stay strings


NETWORK_BOOLS = {"active", "autostart", "bridge_vlan_aware"}


@pytest.mark.parametrize("name, sample", load_samples("node-network"))
def test_network_samples(name, sample):
    rows = _data(sample)
    result = [N.normalize_network(row) for row in rows]
    assert len(result) == len(rows)
    for raw, row in zip(rows, result):
        assert not [key for key in row if "-" in key]
        for key in NETWORK_BOOLS & set(row):
            assert isinstance(row[key], bool), key
            assert row[key] is (int(raw[key]) == 1)
        if "exists" in row:
            assert row["exists"] is None or isinstance(row["exists"], bool)
        for key in ("mtu", "bridge_fd", "netmask6", "vlan_id", "priority"):
            if key in row and row[key] not in ("", None):
                assert isinstance(row[key], int) and not isinstance(row[key], bool), (key, row[key])
        for key in ("netmask", "address", "cidr", "iface", "type", "method"):
            if key in row:
                assert isinstance(row[key], str), key   # 255.255.255.0 must not become a number
        if "families" in raw:
            assert row["families"] == raw["families"]
        if "vlan-id" in raw:
            assert row["vlan_id"] == int(raw["vlan-id"])


@pytest.mark.parametrize("name, sample", load_samples("cluster-status"))
def test_cluster_status_samples(name, sample):
    rows = _data(sample)
    for raw, row in zip(rows, [N.normalize_cluster_status(row) for row in rows]):
        for key in ("quorate", "online", "local"):
            if key in row:
                assert isinstance(row[key], bool) and row[key] is (int(raw[key]) == 1), key
        for key in ("nodeid", "nodes", "version"):
            if key in row:
                assert isinstance(row[key], int) and not isinstance(row[key], bool), key
        assert row["type"] in ("cluster", "node") and isinstance(row["name"], str)


@pytest.mark.parametrize("name, sample", load_samples("cluster-resources"))
def test_cluster_resources_samples(name, sample):
    rows = _data(sample)
    result = [N.normalize_resource(row) for row in rows]
    for raw, row in zip(rows, result):
        assert not [key for key in row if "-" in key]
        if "cgroup-mode" in raw:
            assert row["cgroup_mode"] == int(raw["cgroup-mode"])
        for key in ("template", "shared"):
            if key in row:
                assert isinstance(row[key], bool), key
        if "vmid" in row:
            assert isinstance(row["vmid"], int) and 100 <= row["vmid"] <= 999999999
        for key in ("cpu", "maxcpu", "mem", "maxmem", "disk", "maxdisk", "uptime", "netin", "netout"):
            if key in row:
                assert _is_number(row[key]), key
        if "tags" in raw:
            assert isinstance(row["tags"], list) and all(isinstance(t, str) and t for t in row["tags"])
            assert ";".join(row["tags"]) == ";".join(t for t in raw["tags"].replace(",", ";").replace(" ", ";").split(";")
                                                     if t)
        assert row["id"] == raw["id"] and row["type"] == raw["type"]


@pytest.mark.parametrize("name, sample", load_samples("node-tasks"))
def test_task_samples(name, sample):
    rows = _data(sample)
    for raw, row in zip(rows, [N.normalize_task(row) for row in rows]):
        assert row["outcome"] in ("running", "ok", "warning", "error")
        if raw.get("status") == "OK":
            assert row["outcome"] == "ok"
        if "endtime" in raw:
            assert row["duration"] == raw["endtime"] - raw["starttime"] >= 0
        for key in ("pid", "pstart", "starttime"):
            assert isinstance(row[key], int)
        assert row["upid"] == raw["upid"]


@pytest.mark.parametrize("name, sample", load_samples("nodes"))
def test_nodes_samples(name, sample):
    for raw in _data(sample):
        row = N.normalize_node(raw)
        assert row["online"] is (raw["status"] == "online")
        assert row["node"] == raw["node"]


@pytest.mark.parametrize("name, sample", load_samples("version"))
def test_version_samples(name, sample):
    raw = _data(sample)
    result = N.normalize_version(raw)
    assert result == raw and all(isinstance(v, str) for v in result.values())
    assert N.normalize_version({"version": 9.1, "release": "9.1", "repoid": None}) == {
        "version": "9.1", "release": "9.1", "repoid": None}


@pytest.mark.parametrize("name, sample", load_samples("qemu-agent-network-get-interfaces"))
def test_agent_samples_underscore_keys(name, sample):
    result = N.underscore_keys(_data(sample))
    assert not [key for key in all_keys(result) if "-" in key]


@pytest.mark.parametrize("value, expected", [
    ("prod;web", ["prod", "web"]), ("go-proxmox+cloud-init", ["go-proxmox+cloud-init"]),
    ("one, two, three", ["one", "two", "three"]), ("a b\tc", ["a", "b", "c"]), (";;", []), ("", []),
    (None, []), (["x", " y ", ""], ["x", "y"]), (5, ["5"]),
])
def test_split_tags(value, expected):
    assert N.split_tags(value) == expected


@pytest.mark.parametrize("value, expected", [
    ("1", True), ("0", False), (1, True), (0, False), (None, None), (True, True), ("", False), ("yes", True), (0.0, False),
])
def test_to_bool(value, expected):
    assert N.to_bool(value) is expected


@pytest.mark.reliability(
    theme="hostile round two", case='9 numeric text out of range',
    expected='1e999, 400, 5,000 and 4,000-digit numbers as text: None, noted once (a short excerpt).')
@pytest.mark.parametrize("value, expected", [
    ("100", 100), ("-3", -3), ("3400.000", 3400.0), ("0.5", 0.5), (" 7 ", 7), ("9.1.2", "9.1.2"), ("abc", "abc"),
    ("", ""), (None, None), (5, 5), ("1e3", 1000.0), ("18446744073709551615", 2 ** 64 - 1),
    ("1e999", None), ("-1e999", None), ("9" * 400, None), ("7" * 5000, None), ("1" * 4000 + ".5", None),
    ("18446744073709551616", None),
])
def test_to_number(value, expected):
    N.take_out_of_range()
    result = N.to_number(value)
    assert result == expected and type(result) is type(expected)
    noted = N.take_out_of_range()   # a number out of range: noted once, as a short excerpt
    assert [len(text) < 40 for text in noted] == ([True] if value is not None and expected is None else [])


@pytest.mark.parametrize("status, endtime, outcome", [
    ("OK", 1, "ok"), ("WARNINGS: 2", 1, "warning"), ("RUNNING", None, "running"), (None, None, "running"),
    # pve-common PVE/UPID.pm normalize_status_type: empty and "unexpected status" are unknown, not errors
    ("unexpected status", 1, "unknown"), ("", None, "unknown"), ("", 5, "unknown"), ("job errors", 5, "error"),
])
def test_task_outcome(status, endtime, outcome):
    assert N.task_outcome(status, endtime) == outcome


def test_running_task_has_no_duration():
    row = N.normalize_task({"upid": "u", "starttime": 10, "status": "RUNNING"})
    assert (row["outcome"], row["duration"]) == ("running", None)
