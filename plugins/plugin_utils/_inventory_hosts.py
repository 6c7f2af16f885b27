# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Raw /cluster/resources + /cluster/status rows -> host records (vars, groups) for pve.cluster.pve.

Pure functions: no Ansible inventory, no HTTP. Every string that came from the API is marked
unsafe here (see _unsafe.py); numbers stay numbers, flags become booleans, tags a list.
"""

from __future__ import annotations

import ipaddress
import math

from ansible.inventory.group import to_safe_group_name

from ansible_collections.pve.cluster.plugins.module_utils._normalize import split_tags, to_bool, to_number
from ansible_collections.pve.cluster.plugins.module_utils._options import VMID_MAX, VMID_MIN
from ansible_collections.pve.cluster.plugins.plugin_utils import _inventory_offline as offline
from ansible_collections.pve.cluster.plugins.plugin_utils._unsafe import unsafe_text

GUEST_TYPES = ("qemu", "lxc")
GUEST_STATS = ("cpu", "maxcpu", "mem", "maxmem", "disk", "maxdisk", "uptime")
NODE_STATS = ("cpu", "maxcpu", "mem", "maxmem", "uptime")
GUEST_OPTIONAL = ("pool", "hastate", "lock")


class HostRecord:
    """One future inventory host: its vars (facts_prefix applied) and its built-in groups."""

    __slots__ = ("kind", "key", "vmid", "name", "vars", "groups", "hostname", "node_offline")

    def __init__(self, kind, key, vmid, name, host_vars, groups):
        self.kind = kind          # "node" or "guest"
        self.key = key            # "node/pve1", "qemu/100": the API id, unique
        self.vmid = vmid          # int for guests, None for nodes
        self.name = name          # the node name or the guest's name ("" when it has none)
        self.vars = host_vars
        self.groups = groups      # raw group suffixes, e.g. ("qemu", "running", "node_pve1")
        self.hostname = None
        self.node_offline = False  # a guest of a node /cluster/status reports offline

    def fallback_name(self):
        """The name of a guest whose hostname renders empty: <type>-<vmid>, e.g. qemu-105."""
        return "%s-%d" % (self.key.split("/", 1)[0], self.vmid)


def _number(value):
    """A finite number from API data (a number or a numeric string), or None (NaN and infinity are no numbers)."""
    value = to_number(value)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _text(value):
    """API text as unsafe text; a number is written out, anything else (a list, an object) is no text: None."""
    if isinstance(value, str):
        return unsafe_text(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return unsafe_text(str(value))
    return None


def valid_vmid(value):
    """`value` as a vmid (an integer in 100..999999999, as PVE allows), or None."""
    vmid = _number(value)
    if not isinstance(vmid, int) or not VMID_MIN <= vmid <= VMID_MAX:
        return None
    return vmid


def cluster_info(status_rows):
    """/cluster/status -> (cluster name or None, {node name: status row})."""
    name = None
    nodes = {}
    for row in status_rows or []:
        if not isinstance(row, dict):
            continue
        if row.get("type") == "cluster" and _text(row.get("name")):
            name = _text(row["name"])
        elif row.get("type") == "node" and _text(row.get("name")):
            nodes[_text(row["name"])] = row
    return name, nodes


def node_addresses(status_nodes):
    """{node name: its cluster IP address from /cluster/status} (unsafe text; only values that are an IP address)."""
    found = {}
    for name, row in status_nodes.items():
        ip = _text(row.get("ip"))
        if ip and _is_address(ip):
            found[name] = ip
    return found


def guest_record(row, cluster, prefix):
    """A qemu/lxc row of /cluster/resources -> HostRecord, or None if the row is unusable."""
    kind = row.get("type")
    vmid = valid_vmid(row.get("vmid"))
    if kind not in GUEST_TYPES or vmid is None:
        return None
    node = row.get("node")
    node = _text(node) if node is not None else None
    name = _text(row.get("name")) or unsafe_text("")
    status = _text(row.get("status") or "unknown") or unsafe_text("unknown")
    template = bool(to_bool(row.get("template")))
    tags = [unsafe_text(tag) for tag in split_tags(row.get("tags"))]
    p = prefix
    host_vars = {
        p + "vmid": vmid,
        p + "name": name,
        p + "node": node,
        p + "type": unsafe_text(kind),
        p + "status": status,
        p + "template": template,
        p + "tags": tags,
        p + "id": _text(row.get("id")) or unsafe_text("%s/%d" % (kind, vmid)),
        p + "cluster": unsafe_text(cluster) if cluster is not None else None,
    }
    for key in GUEST_OPTIONAL:
        value = row.get(key)
        if value is not None and value != "" and _text(value) is not None:
            host_vars[p + key] = _text(value)
    for key in GUEST_STATS:
        value = _number(row.get(key))
        if value is not None:
            host_vars[p + key] = value
    groups = [kind, status]
    if node:
        groups.append("node_" + node)
    if _text(row.get("pool")):
        groups.append("pool_" + _text(row["pool"]))
    groups.extend("tag_" + tag for tag in tags)
    if template:
        groups.append("templates")
    return HostRecord("guest", "%s/%d" % (kind, vmid), vmid, name, host_vars, groups)


def node_records(resource_rows, status_nodes, cluster, prefix):
    """Nodes from /cluster/resources (stats) joined with /cluster/status (ip, nodeid), by name."""
    resources = {}
    for row in resource_rows:
        if isinstance(row, dict) and row.get("type") == "node" and _text(row.get("node")):
            resources[_text(row["node"])] = row
    records = []
    p = prefix
    for name in sorted(set(resources) | set(status_nodes)):
        res = resources.get(name, {})
        stat = status_nodes.get(name, {})
        status = res.get("status")
        if not status:
            status = "online" if to_bool(stat.get("online")) else ("offline" if "online" in stat else "unknown")
        host_vars = {
            p + "node": unsafe_text(name),
            p + "type": unsafe_text("node"),
            p + "status": _text(status) or unsafe_text("unknown"),
            p + "cluster": unsafe_text(cluster) if cluster is not None else None,
        }
        if _text(stat.get("ip")):
            host_vars[p + "ip"] = _text(stat["ip"])
        nodeid = _number(stat.get("nodeid"))
        if nodeid is not None:
            host_vars[p + "nodeid"] = int(nodeid)
        for key in NODE_STATS:
            value = _number(res.get(key))
            if value is not None:
                host_vars[p + key] = value
        records.append(HostRecord("node", "node/" + name, None, unsafe_text(name), host_vars, ["nodes"]))
    return records


class GroupNamer:
    """group_prefix + suffix, made safe like Ansible's constructed groups, memoised (few distinct names)."""

    def __init__(self, prefix):
        self.prefix = prefix
        self._cache = {}

    def __call__(self, suffix):
        name = self._cache.get(suffix)
        if name is None:
            name = to_safe_group_name(self.prefix + suffix, force=True, silent=True)
            self._cache[suffix] = name
        return name


def build_records(resource_rows, status_rows, prefix, invalid=None):
    """/cluster/resources + /cluster/status -> every node, then every guest by vmid (templates included).

    The whole cluster, whatever the options: hostnames are given over it before anything is left out
    (see selected()), so a guest keeps its name whatever include_nodes, guest_types or filters say.
    invalid: a list that gets a short description of each guest row left out (its vmid is no VMID).
    status_rows None: /cluster/status was not read (not asked, or refused); then the cluster name is unknown
    (`<prefix>cluster` left out) and the offline nodes are those /cluster/resources reports offline.
    """
    cluster, status_nodes = cluster_info(status_rows)
    node_ips = node_addresses(status_nodes)
    resource_rows = resource_rows or []
    guests = []
    if status_rows is None:
        down = frozenset(_text(r["node"]) for r in resource_rows if isinstance(r, dict) and r.get("type") == "node"
                         and r.get("status") == "offline" and _text(r.get("node")))
    else:
        down = offline.offline_nodes(status_nodes)
    for row in resource_rows:
        if isinstance(row, dict) and row.get("type") in GUEST_TYPES:
            record = guest_record(row, cluster, prefix)
            if record is None:
                if invalid is not None:
                    invalid.append(_shown(row.get("id"), row.get("vmid")))
                continue
            if record.vars[prefix + "node"] in down:
                offline.mark_offline(record, row, prefix)
            node_ip = node_ips.get(record.vars[prefix + "node"])
            if node_ip is not None:
                record.vars[prefix + "node_ip"] = node_ip
            guests.append(record)
    guests.sort(key=lambda r: r.vmid)
    records = node_records(resource_rows, status_nodes, cluster, prefix) + guests
    if status_rows is None:
        for record in records:
            del record.vars[prefix + "cluster"]
    return records


def _shown(*values):
    """The first value that is short plain text or a number, as repr: names a bad row in a warning."""
    for value in values:
        if isinstance(value, (str, int, float)) and len(str(value)) <= 64:
            return repr(value)
    return "(a row without a usable id)"


def selected(record, settings):
    """Whether include_nodes, guest_types and include_templates keep this record (filters come after)."""
    if record.kind == "node":
        return settings["include_nodes"]
    kind = record.key.split("/", 1)[0]
    return kind in settings["guest_types"] and (
        settings["include_templates"] or not record.vars[settings["facts_prefix"] + "template"])


def with_vmid(name, vmid):
    """A duplicate hostname made unique: web -> web-103, web.lab.example.com -> web-103.lab.example.com.

    An IP address (a hostname template over ansible_host) gets the suffix at the end: 10.0.0.5-103.
    """
    head, dot, tail = name.partition(".")
    if not dot or not head or _is_address(name):
        return "%s-%d" % (name, vmid)
    return "%s-%d.%s" % (head, vmid, tail)


def _is_address(name):
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True
