# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What a least-privilege token may see, for pve.cluster.pve.

`GET /cluster/status` needs Sys.Audit on `/` (pve-manager PVE/API2/Cluster.pm get_status); without it PVE
answers 403. `GET /cluster/resources` is open to every user and token but lists only the rows they may
see: guests with VM.Audit on /vms/<vmid> (a pool's ACL counts for its members), pools with Pool.Audit,
storage with Datastore.Audit, and every node, its usage figures only with Sys.Audit on /nodes/<node>.
"""

from __future__ import annotations

NODE_FIGURES = ("maxcpu", "maxmem", "maxdisk", "cpu", "mem", "uptime")


def refusal(error):
    """PVE's text of a 403 (it names the path and the privilege)."""
    return error.pve_message or "HTTP %s" % error.status


def refused_warning(refusal_text, prefix):
    """The one warning for a 403 on /cluster/status: the missing privilege and what is therefore missing."""
    return ("GET /cluster/status was refused (%s): listing the guests this token or user may see, without the "
            "cluster name (%scluster left out), the node addresses (%sip, the nodes' ansible_host) and node ids "
            "(%snodeid); offline nodes are taken from /cluster/resources. Grant Sys.Audit on / (role PVEAuditor) "
            "for them, or set include_nodes: false to not ask"
            % (refusal_text, prefix, prefix, prefix))


def sees_nothing(resources):
    """True when /cluster/resources shows no guest, pool, storage or SDN row and no node figure: a token or
    user without any privilege (an empty cluster still shows its nodes' figures to an auditor)."""
    for row in resources:
        if not isinstance(row, dict):
            continue
        if row.get("type") != "node" or any(key in row for key in NODE_FIGURES):
            return False
    return True


def nothing_visible_message(name, refused):
    text = ("%s inventory: this token or user may see nothing in the cluster: GET /cluster/resources lists no "
            "guest, pool or storage and no node figures" % name)
    if refused is not None:
        text += ", and GET /cluster/status was refused (%s)" % refusal(refused)
    return text + (". Give it a role such as PVEAuditor on /, on /pool/<pool> or on /vms/<vmid> (pveum acl modify "
                   "<path> --roles PVEAuditor --tokens <user@realm!name>; a privilege-separated token needs its own "
                   "ACL)")
