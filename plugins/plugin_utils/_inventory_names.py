# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A guest's name never rewires the inventory.

Ansible's `add_child(group, name)` nests the *group* `name` when one exists, so a guest named like a
group (`production`, `all`, `ungrouped`, one of our own `pve_*` groups) would pull that whole group
under the guest's groups; a guest named `localhost` would become the target of `hosts: localhost`.
Here: hosts whose name is a group name get a safe name, and hosts are only ever added to groups as
hosts (also by `groups`/`keyed_groups`, through HostsOnly).

A guest's name never borrows another host either: a host that another inventory source defined (a
static `bastion ansible_password=...`) is never joined by a guest or node of this plugin unless the
user opts in (join_existing_hosts), and a host that another pve.cluster.pve source added for another
cluster (standalone nodes all called `pve`, a `web` in each cluster) is never merged: the later one
gets `-<cluster or api host>` after its first label. Which source added which host is kept per
InventoryData (so per build; `meta: refresh_inventory` starts a new one).
"""

from __future__ import annotations

import re
import weakref

from ansible_collections.pve.cluster.plugins.plugin_utils._unsafe import unsafe_text

RESERVED = frozenset(("all", "ungrouped", "localhost"))  # localhost: a guest must not become the implicit localhost


def safe_name(record, wanted, taken):
    """The name a host gets instead of `wanted`: <type>-<vmid> for a guest (qemu-105), node-<name> for a node,
    then -2, -3, ... until it is free."""
    base = record.fallback_name() if record.vmid is not None else "node-%s" % wanted
    name, number = base, 1
    while name in taken:
        number += 1
        name = "%s-%d" % (base, number)
    return name


def is_path(name):
    """True for a name that host_group_vars would turn into a path elsewhere (host_vars/../../x, host_vars/..):
    a '/' or '\\' in it, or '.' or '..' alone. PVE never sends such a guest or node name."""
    return "/" in name or "\\" in name or "\0" in name or name.strip() in (".", "..")


def path_safe_name(record, name):
    """The name of a host whose name is a path: <type>-<vmid> for a guest, node-<name> (only letters, digits,
    '-', '_' and '.' kept) for a node."""
    if record.vmid is not None:
        return record.fallback_name()
    return "node-%s" % _PATH_UNSAFE.sub("_", name).strip(".")


def rename_group_clashes(records, group_names):
    """Rename every record whose hostname is in `group_names` (or all/ungrouped); returns 'old -> new (key)' texts."""
    reserved = RESERVED | frozenset(group_names)
    taken = set(reserved) | set(record.hostname for record in records)
    renamed = []
    for record in records:
        if record.hostname in reserved:
            new = safe_name(record, record.hostname, taken)
            renamed.append("%s -> %s (%s)" % (record.hostname, new, record.key))
            taken.add(new)
            record.hostname = unsafe_text(new)
    return renamed


_OWNERS = weakref.WeakKeyDictionary()  # InventoryData -> {hostname: (connection identity, record key)}
_SUFFIX_UNSAFE = re.compile(r"[^A-Za-z0-9-]+")
_PATH_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def owners(inventory):
    """{hostname: (connection identity, record key)} of the hosts pve.cluster.pve sources added to `inventory`."""
    inventory = getattr(inventory, "__wrapped__", inventory)  # ansible-core >= 2.19 wraps it once per source
    try:
        return _OWNERS.setdefault(inventory, {})
    except TypeError:  # an inventory object that cannot be weakly referenced: no memory across sources
        return {}


def source_suffix(cluster, host, port, default_port):
    """The text a host of this source gets after its name when another cluster has that name: the cluster
    name, else the API host (and port when it is not the default), made of letters, digits and '-'."""
    text = cluster if cluster else (host.strip("[]") + ("" if port == default_port else ":%s" % port))
    return _SUFFIX_UNSAFE.sub("-", str(text)).strip("-") or "pve"


def with_suffix(name, suffix):
    head, dot, tail = name.partition(".")
    if not dot or not head or head.isdigit():  # no domain, or an IP address: at the end
        return "%s-%s" % (name, suffix)
    return "%s-%s.%s" % (head, suffix, tail)


def rename_across_sources(records, existing, known, identity, suffix, join_others):
    """Rename the records whose hostname is a host of another source (`existing`: the inventory's hosts,
    `known`: owners()). Returns ('old -> new (key)' of other clusters, of other sources, joined hostnames)."""
    taken = set(existing) | set(record.hostname for record in records)
    clusters, others, joined = [], [], []
    for record in records:
        name = record.hostname
        if name not in existing:
            continue
        owner = known.get(name)
        if owner is not None and owner == (identity, record.key):
            continue  # the same guest or node of the same cluster, from another file: one machine, one host
        if owner is None and join_others:
            joined.append(name)
            continue
        if owner is not None:
            new = with_suffix(name, suffix)
            number = 1
            while new in taken:
                number += 1
                new = with_suffix(name, "%s-%d" % (suffix, number))
            clusters.append("%s -> %s (%s)" % (name, new, record.key))
        else:
            new = safe_name(record, name, taken)
            others.append("%s -> %s (%s)" % (name, new, record.key))
        taken.add(new)
        record.hostname = unsafe_text(new)
    return clusters, others, joined


class HostsOnly:
    """An inventory proxy for Constructable's group helpers: `add_child(group, host)` for the host being
    processed adds it as a host (never nests a same-named group); everything else goes to the inventory."""

    def __init__(self, inventory, host):
        self._inventory = inventory
        self._host = host

    def add_child(self, group, child):
        if child == self._host:
            return self._inventory.add_host(child, group=group)
        return self._inventory.add_child(group, child)

    def __getattr__(self, name):
        return getattr(self._inventory, name)
