# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Guests of offline nodes for pve.cluster.pve.

/cluster/resources takes a guest's name, template flag and figures from the RRD cache, which pmxcfs
empties 5 minutes after a node stops reporting (pve-manager PVE/API2Tools.pm extract_vm_stats,
pve-cluster src/pmxcfs/status.c rrd_entry_is_old). So for 5 minutes a dead node's guests keep their
last state (often "running"); after that their rows have no name and no template flag.
"""

from __future__ import annotations

from ansible_collections.pve.cluster.plugins.module_utils._normalize import to_bool


def offline_nodes(status_nodes):
    """Names of the nodes /cluster/status reports offline ({name: row} from cluster_info)."""
    return frozenset(name for name, row in status_nodes.items() if "online" in row and not to_bool(row.get("online")))


def mark_offline(record, row, prefix):
    """A guest of an offline node: flagged (no address lookup); without `template` its flag is unknown (None)."""
    record.node_offline = True
    if "template" not in row:
        record.vars[prefix + "template"] = None


def warning(records, prefix):
    """One short text for every offline node that has guests in the result (None when there is none); the
    plugin's documentation says what that means for their names, pve_template and addresses."""
    counts = {}
    nameless = {}
    for record in records:
        if record.kind == "guest" and record.node_offline:
            node = record.vars.get(prefix + "node")
            counts[node] = counts.get(node, 0) + 1
            if not record.name:
                nameless[node] = nameless.get(node, 0) + 1
    if not counts:
        return None
    parts = []
    for node in sorted(counts):
        text = "%s (%d guest%s" % (node, counts[node], "" if counts[node] == 1 else "s")
        if nameless.get(node):
            text += ", %d without name or template flag" % nameless[node]
        parts.append(text + ")")
    # at most two lines of a 100-column terminal: the node, what PVE reports, where the details are
    return ("node%s %s %s offline: PVE reports its guests as last seen "
            "(details: ansible-doc -t inventory pve.cluster.pve)"
            % ("s" if len(parts) > 1 else "", ", ".join(parts), "are" if len(parts) > 1 else "is"))
