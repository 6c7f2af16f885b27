# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A node named in an option, said the same way by every module: unknown (with the known nodes) or offline."""

from __future__ import annotations

from ansible_collections.pve.cluster.plugins.module_utils._errors import NODE_UNREACHABLE, PveServerError

NODES_PATH = "/nodes"
# What PVE answers for a path naming a node: 500 "hostname lookup 'x' failed" for one it does not
# know; 595/596/..., or no answer within api_timeout, for one it cannot reach.
NODE_ERRORS = NODE_UNREACHABLE + (PveServerError,)


def node_states(rows):
    """GET /nodes rows -> {node name: status} (online, offline, unknown)."""
    states = {}
    for row in rows if isinstance(rows, list) else []:
        if isinstance(row, dict) and isinstance(row.get("node"), str):
            states.setdefault(row["node"], str(row.get("status") or "unknown"))
    return states


def unknown_message(missing, states):
    """'pve9 is not in this cluster; nodes: pve1, pve2' (several: 'are')."""
    return "%s %s not in this cluster; nodes: %s" % (
        ", ".join(missing), "is" if len(missing) == 1 else "are", ", ".join(sorted(states)) or "(none)")


def explain(node, states):
    """Why a call for `node` failed, from GET /nodes: unknown, or not online; None when it is online."""
    if node not in states:
        return unknown_message([node], states)
    if states[node] != "online":
        return "%s is %s (as PVE reports in GET /nodes)" % (node, states[node])
    return None
