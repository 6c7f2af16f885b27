# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""PVE -> Ansible shapes (docs/INTERFACE.md section 2).

Keys use `_` where PVE uses `-`; PVE's 0/1 flags become booleans; numbers PVE sends as strings
become numbers (only for keys known to be numeric, so a version such as "9.1" stays a string);
`tags` becomes a list. Every function accepts arbitrary JSON and never raises on odd input.
A numeric string out of range (not finite as `1e999`, or beyond +-2**64 as a 400- or 5,000-digit
number: Python refuses to convert more than 4,300 digits) becomes None and is noted; the module or
inventory warns once with take_out_of_range().
"""

from __future__ import annotations

import math
import re
import threading

_INT_RE = re.compile(r"^-?\d+$")
_FLOAT_RE = re.compile(r"^-?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?$")
_TAG_SPLIT_RE = re.compile(r"[;,\s]+")
NUMBER_LIMIT = 2 ** 64  # as the client's JSON reader: PVE's numbers are 64-bit counters at most
_INT_DIGITS = 20  # len(str(2 ** 64))
_OUT_OF_RANGE = []  # excerpts of the numeric strings treated as missing, until take_out_of_range()
_OUT_OF_RANGE_LOCK = threading.Lock()

RESOURCE_BOOLS = ("template", "shared")
CLUSTER_STATUS_BOOLS = ("quorate", "online", "local")
NETWORK_BOOLS = ("active", "autostart", "exists", "bridge_vlan_aware", "bridge_multicast_flood", "bridge_unicast_flood")
NETWORK_NUMBERS = ("mtu", "bridge_fd", "bridge_stp_delay", "vlan_id", "netmask6", "priority", "ovs_tag", "vxlan_id")
COMMON_NUMBERS = ("vmid", "cpu", "maxcpu", "mem", "maxmem", "disk", "maxdisk", "uptime", "netin", "netout",
                  "diskread", "diskwrite", "memhost", "nodeid", "nodes", "version", "pid", "pstart",
                  "starttime", "endtime", "cgroup_mode")


def to_bool(value):
    """PVE flag -> bool; None stays None (PVE sends `exists: null`)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def to_number(value):
    """A numeric string -> int or float; anything else unchanged. Out of range (not finite, beyond +-2**64): None,
    noted for take_out_of_range()."""
    if isinstance(value, str):
        text = value.strip()
        if _INT_RE.match(text):
            if len(text.lstrip("-")) <= _INT_DIGITS:
                number = int(text)
                if -NUMBER_LIMIT < number < NUMBER_LIMIT:
                    return number
            return _out_of_range(text)
        if _FLOAT_RE.match(text):
            number = float(text)
            if math.isfinite(number) and -NUMBER_LIMIT < number < NUMBER_LIMIT:
                return number
            return _out_of_range(text)
    return value


def _out_of_range(text):
    with _OUT_OF_RANGE_LOCK:
        _OUT_OF_RANGE.append(text if len(text) <= 24 else "%s... (%d characters)" % (text[:12], len(text)))
    return None


def take_out_of_range():
    """The numeric strings to_number() treated as missing since the last call (excerpts), and forget them."""
    with _OUT_OF_RANGE_LOCK:
        taken = list(_OUT_OF_RANGE)
        del _OUT_OF_RANGE[:]
    return taken


def out_of_range_warning(taken):
    """One warning text for take_out_of_range()'s list, or None."""
    if not taken:
        return None
    return ("%d number(s) sent as text were out of range (not finite, or beyond +-2**64); treated as missing: %s%s"
            % (len(taken), ", ".join(repr(text) for text in taken[:5]), ", ..." if len(taken) > 5 else ""))


def split_tags(value):
    """PVE tags ("a;b", "a,b", "a b", or already a list) -> list of non-empty strings, order kept."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        items = [str(item) for item in value]
    else:
        items = _TAG_SPLIT_RE.split(str(value))
    return [item for item in (i.strip() for i in items) if item]


_SCALARS = (str, int, float, bool, type(None))


def underscore_keys(value):
    """Recursively rename dict keys: '-' -> '_' (returns new containers, never the input's)."""
    if isinstance(value, dict):
        result = {}
        for key, item in value.items():
            # most rows are flat with plain keys: skip the recursion and the str() work for them
            name = key if isinstance(key, str) and "-" not in key else str(key).replace("-", "_")
            result[name] = item if isinstance(item, _SCALARS) else underscore_keys(item)
        return result
    if isinstance(value, list):
        return [underscore_keys(item) for item in value]
    return value


def normalize_record(record, bools=(), numbers=COMMON_NUMBERS):
    """One flat PVE object: keys, flags, numeric strings, tags."""
    if not isinstance(record, dict):
        return record
    result = underscore_keys(record)
    for key in bools:
        if key in result:
            result[key] = to_bool(result[key])
    for key in numbers:
        if key in result:
            result[key] = to_number(result[key])
    if "tags" in result:
        result["tags"] = split_tags(result["tags"])
    return result


def normalize_version(data):
    data = data if isinstance(data, dict) else {}
    return dict((k, v if isinstance(v, str) or v is None else str(v)) for k, v in underscore_keys(data).items())


def normalize_resource(row):
    return normalize_record(row, bools=RESOURCE_BOOLS)


def normalize_cluster_status(row):
    return normalize_record(row, bools=CLUSTER_STATUS_BOOLS)


def normalize_node(row):
    result = normalize_record(row)
    if isinstance(result, dict):
        result["online"] = result.get("status") == "online"
    return result


def normalize_node_status(data):
    """/nodes/{node}/status: loadavg -> floats, cpuinfo.mhz -> number, cpuinfo.hvm -> bool."""
    result = underscore_keys(data) if isinstance(data, dict) else {}
    if isinstance(result.get("loadavg"), list):
        result["loadavg"] = [to_number(item) for item in result["loadavg"]]
        result["loadavg"] = [float(item) if isinstance(item, int) else item for item in result["loadavg"]]
    cpuinfo = result.get("cpuinfo")
    if isinstance(cpuinfo, dict):
        for key in ("mhz", "user_hz", "cores", "cpus", "sockets"):
            if key in cpuinfo:
                cpuinfo[key] = to_number(cpuinfo[key])
        if "hvm" in cpuinfo:
            cpuinfo["hvm"] = to_bool(cpuinfo["hvm"])
    boot = result.get("boot_info")
    if isinstance(boot, dict) and "secureboot" in boot:
        boot["secureboot"] = to_bool(boot["secureboot"])
    for key in ("cpu", "wait", "uptime", "idle"):
        if key in result:
            result[key] = to_number(result[key])
    return result


def normalize_network(row):
    return normalize_record(row, bools=NETWORK_BOOLS, numbers=NETWORK_NUMBERS)


def task_outcome(status, endtime=None):
    """PVE task status text -> running | ok | warning | error | unknown.

    As pve-common PVE/UPID.pm normalize_status_type sorts it: "WARNINGS: <n>" is a warning, an empty
    status or "unexpected status" of a finished task is unknown, any other text an error.
    """
    if (isinstance(status, str) and status.upper() == "RUNNING") or (status is None and endtime is None):
        return "running"
    text = "" if status is None else str(status)
    if text == "OK":
        return "ok"
    if re.match(r"^WARNINGS: \d+$", text):
        return "warning"
    if not text or text == "unexpected status":
        return "unknown"
    return "error"


def normalize_task(row):
    result = normalize_record(row)
    if not isinstance(result, dict):
        return result
    result["outcome"] = task_outcome(result.get("status"), result.get("endtime"))
    start, end = result.get("starttime"), result.get("endtime")
    if result["outcome"] != "running" and isinstance(start, int) and isinstance(end, int):
        result["duration"] = max(0, end - start)
    else:
        result["duration"] = None
    return result
