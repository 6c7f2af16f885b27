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
"""

from __future__ import annotations

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
