# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What a least-privilege token or user may see, read from PVE's own answers, for modules and the inventory.

pve-manager lists every node in `GET /nodes` and `GET /cluster/resources` (both open to every user), but
with a node's usage figures only for callers with Sys.Audit on /nodes/<node> (PVE/API2/Nodes.pm index,
PVE/API2/Cluster.pm resources); guests, pools, storage and SDN rows only with VM.Audit, Pool.Audit,
Datastore.Audit and SDN.Audit on their paths. `GET /cluster/status` needs Sys.Audit on / and
`/nodes/<node>/status`, `/network` need Sys.Audit on /nodes/<node> (HTTP 403 otherwise).
"""

from __future__ import annotations

NODE_FIGURES = ("maxcpu", "maxmem", "maxdisk", "cpu", "mem", "uptime")
# how to grant a role (the "nothing visible" error ends with it)
GRANT_COMMAND = ("pveum acl modify <path> --roles PVEAuditor --tokens <user@realm!name>; a privilege-separated token "
                 "needs its own ACL")


def refusal(error):
    """PVE's text of a 403 (it names the path and the privilege)."""
    return error.pve_message or "HTTP %s" % error.status


def node_audited(row):
    """False for an online /nodes or /cluster/resources node row without usage figures: no Sys.Audit on it."""
    return not (isinstance(row, dict) and row.get("status") == "online"
                and not any(key in row for key in NODE_FIGURES))


def sees_nothing(resources):
    """True when /cluster/resources (unfiltered) shows no guest, pool, storage or SDN row and no node figure:
    a token or user without any privilege (an empty cluster still shows its nodes' figures to an auditor)."""
    for row in resources if isinstance(resources, list) else []:
        if not isinstance(row, dict):
            continue
        if row.get("type") != "node" or any(key in row for key in NODE_FIGURES):
            return False
    return True


def nothing_visible_message(who=None, refused=None):
    """The one error for a token or user that may see nothing; `refused`: a 403 met on the way, or None."""
    text = ("%s may see nothing in the cluster: GET /cluster/resources lists no guest, pool or storage and no node "
            "figures" % ("%s: this token or user" % who if who else "This token or user"))
    if refused is not None:
        text += ", and %s %s was refused (%s)" % (refused.method, refused.path, refusal(refused))
    return "%s. Give it a role such as PVEAuditor on /, on /pool/<pool> or on /vms/<vmid> (%s)" % (text, GRANT_COMMAND)


def fail_nothing_visible(module, refused=None):
    """Fail the module with the one "may see nothing" error (with the fields of `refused`, a 403 met on the way)."""
    module.fail_json(msg=nothing_visible_message(refused=refused), **(refused.to_result() if refused is not None else {}))


def fail_if_nothing_visible(module, refused=None):
    """One unfiltered GET /cluster/resources, for a module that got only refusals or empty lists: fail it with the
    "may see nothing" error when the answer shows that this token or user may see nothing at all."""
    with module.errors("Listing the cluster resources"):
        resources = module.client.get("/cluster/resources")
    if sees_nothing(resources):
        fail_nothing_visible(module, refused)


def unavailable_entry(part, error, node=None):
    """One element of the modules' `unavailable` return value: a part PVE refused (HTTP 403)."""
    entry = {"part": part, "path": error.path, "message": refusal(error)}
    if node is not None:
        entry["node"] = node
    return entry
