# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The shape an answer's `data` must have: wrong-typed data is an error, never an empty success."""

from __future__ import annotations

from ansible_collections.pve.cluster.plugins.module_utils._errors import PveInvalidResponseError

_NAMES = {list: "a list", dict: "an object", str: "a string", bool: "a boolean", int: "a number", float: "a number"}


def describe(value):
    """What a JSON value is, in words (never the value itself: it may be huge or hostile)."""
    if value is None:
        return "null"
    return _NAMES.get(type(value), "a %s" % type(value).__name__)


def expect(data, kind, call):
    """`data` if it is a `kind` (list or dict); else PveInvalidResponseError naming the call and what came back."""
    if isinstance(data, kind):
        return data
    raise PveInvalidResponseError("%s: PVE answered with %s where %s was expected (a broken proxy or not a PVE API?)"
                                  % (call, describe(data), _NAMES[kind]), status=200)
