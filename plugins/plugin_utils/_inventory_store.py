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

And the build's memory management: Python's cyclic collector paused while a build runs (cyclic_gc_paused).
"""

from __future__ import annotations

import contextlib
import gc

_SHAREABLE = (str, int)


@contextlib.contextmanager
def cyclic_gc_paused():
    """Python's cyclic garbage collector paused for one build, as it was after it.

    A build makes tens of thousands of objects that all stay alive (rows, records, hosts, variables): each
    collection of the oldest generation walks all of them again, for nothing (a fifth of a 50,000-guest
    build's time). What the build lets go is freed by reference counting meanwhile; cycles wait for
    free_cycles() or the next collection after it.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def free_cycles():
    """One collection while the collector is paused: after the requests, whose objects are garbage in cycles
    (at 10,000 guests about 5 MB, with the answer's body), before the hosts are made (peak memory). Of the
    youngest generation only: what was made since the pause (the older ones hold ansible-core's own objects)."""
    gc.collect(0)


class SharedValues:
    """set_all(host, variables) = inventory.set_variable for each, sharing the stored values of the keys in `shared`."""

    __slots__ = ("_set", "_get_host", "_shared", "_stored")

    def __init__(self, inventory, shared):
        self._set = inventory.set_variable
        self._get_host = inventory.get_host
        self._shared = frozenset(shared)   # variables whose values repeat across hosts
        self._stored = {}                  # (type, value) -> the object the inventory stored

    def set_all(self, host, variables):
        setter, shared, stored = self._set, self._shared, self._stored
        for key, value in variables.items():
            if key not in shared or value is None:
                setter(host, key, value)
            elif type(value) is list:  # pylint: disable=unidiomatic-typecheck
                self._set_list(host, key, value)
            else:
                # the type is part of the key: True == 1 == 1.0 as dict keys, and unsafe text differs from text on 2.17
                marker = (type(value), value) if isinstance(value, _SHAREABLE) else None
                known = stored.get(marker) if marker is not None else None
                if known is not None:
                    setter(host, key, known)
                    continue
                setter(host, key, value)
                self._remember(value, self._get_host(host).vars.get(key))

    def _set_list(self, host, key, value):
        """A list (pve_tags) is a new list of shared elements."""
        known = [self._stored.get(self._marker(item), item) for item in value]
        self._set(host, key, known)
        if any(known[i] is value[i] for i in range(len(value))):
            kept = self._get_host(host).vars.get(key)
            if isinstance(kept, list) and len(kept) == len(value):
                for item, stored in zip(value, kept):
                    self._remember(item, stored)

    @staticmethod
    def _marker(value):
        return (type(value), value) if isinstance(value, _SHAREABLE) else None

    def _remember(self, value, stored):
        marker = self._marker(value)
        if marker is not None and stored is not None and stored == value:
            self._stored[marker] = stored
