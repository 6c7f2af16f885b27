# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Raw /cluster/resources + /cluster/status rows -> host records (vars, groups) for pve.cluster.pve.

Pure functions: no Ansible inventory, no HTTP. Every string that came from the API is marked
unsafe here (see _unsafe.py), once per distinct text and build (SharedText): the same node, status,
type, pool or tag is one object for every host; numbers stay numbers, flags become booleans, tags a list.

A record's `vars` are the host variables it stores: the lean set by default, the metrics as well with
include_metrics. `fields()` is everything PVE sent for the host (the metrics, the byte counters, the
resource id), for filters, hostname, compose, groups and keyed_groups, built only when one of them is used.
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
# Point-in-time figures: host variables only with include_metrics (they move on every read: an AWX sync
# would rewrite every host, a cache would serve them stale). Always visible to filters and the constructed options.
METRICS = ("cpu", "maxcpu", "mem", "maxmem", "disk", "maxdisk", "uptime")
# Never host variables; visible to filters and the constructed options as pve_<name> (id: qemu/100, node/pve1).
GUEST_COUNTERS = ("netin", "netout", "diskread", "diskwrite", "memhost")
GUEST_OPTIONAL = ("pool", "hastate", "lock")
# host variables whose values repeat across hosts (stored once: _inventory_store.SharedValues)
SHARED_VARS = ("node", "type", "status", "cluster", "tags", "node_ip") + GUEST_OPTIONAL


class HostRecord:
    """One future inventory host: its vars (facts_prefix applied), its built-in groups, its API row."""

    __slots__ = ("kind", "key", "vmid", "name", "vars", "groups", "hostname", "node_offline", "row")

    def __init__(self, kind, key, vmid, name, host_vars, groups, row=None):  # pylint: disable=too-many-arguments
        self.kind = kind          # "node" or "guest"
        self.key = key            # "node/pve1", "qemu/100": the API id, unique
        self.vmid = vmid          # int for guests, None for nodes
        self.name = name          # the node name or the guest's name ("" when it has none)
        self.vars = host_vars     # what becomes host variables
        self.groups = groups      # raw group suffixes, e.g. ("qemu", "running", "node_pve1")
        self.hostname = None
        self.node_offline = False  # a guest of a node /cluster/status reports offline
        self.row = row or {}      # the /cluster/resources row: fields() reads what vars leave out

    def fallback_name(self):
        """The name of a guest whose hostname renders empty: <type>-<vmid>, e.g. qemu-105."""
        return "%s-%d" % (self.key.split("/", 1)[0], self.vmid)

    def fields(self, prefix):
        """Every field PVE sent for this host, as the filters and constructed options see it: the host
        variables, plus the metrics (when not stored), the byte counters of a guest and the resource id."""
        row = self.row
        view = {}
        for key in METRICS + GUEST_COUNTERS if self.kind == "guest" else METRICS:
            value = _number(row.get(key))
            if value is not None:
                view[prefix + key] = value
        view[prefix + "id"] = _text(row.get("id")) or unsafe_text(self.key)
        view.update(self.vars)
        if isinstance(view.get(prefix + "tags"), list):  # the build's list for this tags text: compose gets its own
            view[prefix + "tags"] = list(view[prefix + "tags"])
        return view


class SharedText:
    """API text -> unsafe text, one object per distinct string of a build (node, status, pool and tag
    names repeat across thousands of hosts: marked once, stored once). Also memoises per build what repeats
    with them: the prefixed variable names, a tags text's list and group suffixes, a node's or pool's group."""

    __slots__ = ("_seen", "_tags", "_suffixes", "_keys")

    def __init__(self):
        self._seen = {}
        self._tags = {}
        self._suffixes = {}
        self._keys = {}

    def __call__(self, value):
        """`value` as shared unsafe text: a string, or a number written out; anything else is no text: None."""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        elif not isinstance(value, str):
            return None
        found = self._seen.get(value)
        if found is None:
            found = self._seen[value] = unsafe_text(value)
        return found

    def tags(self, value):
        """(tags, group suffixes) of a row's `tags`: one list per distinct tags text of the build, shared by
        every record with that text (never changed in place: the inventory stores a copy)."""
        cached = isinstance(value, str)  # a list (or nothing) is no key: split each time
        found = self._tags.get(value) if cached else None
        if found is None:
            tags = [self(tag) for tag in split_tags(value)]
            found = (tags, ["tag_" + tag for tag in tags])
            if cached:
                self._tags[value] = found
        return found

    def suffix(self, head, value):
        """head + value (a group suffix such as node_pve1), one object per build."""
        found = self._suffixes.get((head, value))
        if found is None:
            found = self._suffixes[(head, value)] = head + value
        return found

    def keys(self, prefix):
        """{name: prefix + name} for the guest variables, once per build."""
        found = self._keys.get(prefix)
        if found is None:
            names = ("vmid", "name", "node", "type", "status", "template", "tags", "cluster") + GUEST_OPTIONAL + METRICS
            found = self._keys[prefix] = dict((name, prefix + name) for name in names)
        return found


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


def guest_record(row, cluster, prefix, text=None, metrics=False):  # pylint: disable=too-many-arguments,too-many-locals
    """A qemu/lxc row of /cluster/resources -> HostRecord, or None if the row is unusable.

    text: the build's SharedText (a new one when not given); metrics: store the METRICS as host variables too.
    """
    kind = row.get("type")
    if kind not in GUEST_TYPES:
        return None
    vmid = row.get("vmid")
    if type(vmid) is not int or not VMID_MIN <= vmid <= VMID_MAX:  # pylint: disable=unidiomatic-typecheck
        vmid = valid_vmid(vmid)  # a bool, a float, a numeric string, out of range
        if vmid is None:
            return None
    text = text or SharedText()
    key = text.keys(prefix)
    node = row.get("node")
    node = text(node) if node is not None else None
    name = _text(row.get("name")) or text("")
    status = text(row.get("status") or "unknown") or text("unknown")
    template = row.get("template")
    template = template != 0 if type(template) is int else bool(to_bool(template))  # pylint: disable=unidiomatic-typecheck
    tags, tag_groups = text.tags(row.get("tags"))
    host_vars = {
        key["vmid"]: vmid,
        key["name"]: name,
        key["node"]: node,
        key["type"]: text(kind),
        key["status"]: status,
        key["template"]: template,
        key["tags"]: tags,
        key["cluster"]: text(cluster) if cluster is not None else None,
    }
    groups = [kind, status]
    if node:
        groups.append(text.suffix("node_", node))
    for option in GUEST_OPTIONAL:
        value = row.get(option)
        if value is not None and value != "":
            value = text(value)
            if value is not None:
                host_vars[key[option]] = value
                if option == "pool" and value:
                    groups.append(text.suffix("pool_", value))
    if metrics:
        for option in METRICS:
            value = _number(row.get(option))
            if value is not None:
                host_vars[key[option]] = value
    groups.extend(tag_groups)
    if template:
        groups.append("templates")
    return HostRecord("guest", "%s/%d" % (kind, vmid), vmid, name, host_vars, groups, row)


def node_records(resource_rows, status_nodes, cluster, prefix, metrics=False):  # pylint: disable=too-many-arguments
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
        if metrics:
            for key in METRICS:
                value = _number(res.get(key))
                if value is not None:
                    host_vars[p + key] = value
        records.append(HostRecord("node", "node/" + name, None, unsafe_text(name), host_vars, ["nodes"], res))
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


def build_records(resource_rows, status_rows, prefix, invalid=None, metrics=False):  # pylint: disable=too-many-arguments
    """/cluster/resources + /cluster/status -> every node, then every guest by vmid (templates included).

    The whole cluster, whatever the options: hostnames are given over it before anything is left out
    (see selected()), so a guest keeps its name whatever include_nodes, guest_types or filters say.
    invalid: a list that gets a short description of each guest row left out (its vmid is no VMID).
    status_rows None: /cluster/status was not read (not asked, or refused); then the cluster name is unknown
    (`<prefix>cluster` left out) and the offline nodes are those /cluster/resources reports offline.
    metrics: the METRICS become host variables too (include_metrics).
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
    text = SharedText()
    for row in resource_rows:
        if isinstance(row, dict) and row.get("type") in GUEST_TYPES:
            record = guest_record(row, cluster, prefix, text, metrics)
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
    records = node_records(resource_rows, status_nodes, cluster, prefix, metrics) + guests
    if status_rows is None:
        for record in records:
            del record.vars[prefix + "cluster"]
    return records


def release_rows(records):
    """Let the API rows go once nothing reads fields() any more (they are most of a build's memory)."""
    for record in records:
        record.row = {}


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
