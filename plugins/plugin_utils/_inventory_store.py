# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Host variables into the inventory with one stored object per repeated value.

ansible-core 2.19+ checks, copies and tags (with the source's origin) every value handed to
`inventory.set_variable`, unless the value already carries that tag. Thousands of hosts share a few
nodes, statuses, types, pools and tags: the object stored for the first host that has a value is
handed in for every later one, so ansible-core keeps it as it is (no copy, no new tag). On older
ansible-core the stored object is the one given (already shared, see SharedText): nothing changes.
Only immutable values (str, int) are shared; a list (pve_tags) is a new list of shared elements.
"""

from __future__ import annotations

_SHAREABLE = (str, int)


class SharedValues:
    """set(host, key, value) = inventory.set_variable, sharing the stored values of the keys in `shared`."""

    __slots__ = ("_inventory", "_shared", "_stored")

    def __init__(self, inventory, shared):
        self._inventory = inventory
        self._shared = frozenset(shared)   # variables whose values repeat across hosts
        self._stored = {}                  # (type, value) -> the object the inventory stored

    def set(self, host, key, value):
        if key not in self._shared or value is None:
            self._inventory.set_variable(host, key, value)
            return
        if isinstance(value, list):
            known = [self._stored.get(self._marker(item), item) for item in value]
            self._inventory.set_variable(host, key, known)
            if any(known[i] is value[i] for i in range(len(value))):
                stored = self._inventory.get_host(host).vars.get(key)
                if isinstance(stored, list) and len(stored) == len(value):
                    for item, kept in zip(value, stored):
                        self._remember(item, kept)
            return
        marker = self._marker(value)
        known = self._stored.get(marker)
        if known is not None:
            self._inventory.set_variable(host, key, known)
            return
        self._inventory.set_variable(host, key, value)
        self._remember(value, self._inventory.get_host(host).vars.get(key))

    @staticmethod
    def _marker(value):
        # the type is part of the key: True == 1 == 1.0 as dict keys, and unsafe text differs from text on 2.17
        return (type(value), value) if isinstance(value, _SHAREABLE) else None

    def _remember(self, value, stored):
        marker = self._marker(value)
        if marker is not None and stored is not None and stored == value:
            self._stored[marker] = stored
