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

from ansible_collections.pve.cluster.plugins.module_utils import _access as access


def refused_warning(refusal_text, prefix):
    """The one warning for a 403 on /cluster/status: the missing privilege and what is therefore missing."""
    return ("GET /cluster/status was refused (%s): listing the guests this token or user may see, without the "
            "cluster name (%scluster left out), the node addresses (%sip, the nodes' ansible_host) and node ids "
            "(%snodeid); offline nodes are taken from /cluster/resources. Grant Sys.Audit on / (role PVEAuditor) "
            "for them, or set include_nodes: false to not ask"
            % (refusal_text, prefix, prefix, prefix))


def nothing_visible_message(name, refused):
    return access.nothing_visible_message("%s inventory" % name, refused)
