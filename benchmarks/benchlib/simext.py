# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Simulator routes that only community.proxmox calls (make bench).

Its inventory asks GET /pools/{poolid} for each pool (nested pool ids hold a slash) and, with want_facts,
.../{vmid}/status/current and .../{vmid}/snapshot per guest; its proxmox_node_info /nodes/{node}/version. pvesim does
not serve these (the collection never calls them): extend() adds them, answering in the shapes of the PVE API schema,
so the competitor is not penalised by errors.
"""

from __future__ import annotations

import re

_NODE = {"type": "string", "format": "pve-node"}
_VMID = {"type": "integer", "format": "pve-vmid", "minimum": 100, "maximum": 999999999}


def _schema(**props):
    return {"GET": {"parameters": {"additionalProperties": 0, "properties": props}}}


def _status_current(gtype):
    def handler(cl, p, _ident):
        guest = cl.guest(p["node"], p["vmid"], gtype)
        status, live = cl.guest_live(guest)
        data = {"vmid": guest.vmid, "name": guest.name, "status": status, "cpus": guest.maxcpu, "maxmem": guest.maxmem,
                "maxdisk": guest.maxdisk, "ha": {"managed": 1 if guest.hastate else 0}}
        for key in ("cpu", "mem", "disk", "uptime", "netin", "netout"):
            data[key] = getattr(guest, key) if live else 0
        data.update({"qmpstatus": status, "agent": 1 if guest.agent else 0} if gtype == "qemu" else {"type": "lxc"})
        if guest.tags:
            data["tags"] = ";".join(guest.tags)
        return {"data": data}
    return handler


def _snapshots(gtype):
    def handler(cl, p, _ident):
        current = {"name": "current", "description": "You are here!", "digest": "0" * 40}
        if gtype == "qemu":
            current["running"] = 1 if cl.guest(p["node"], p["vmid"], gtype).status == "running" else 0
        return {"data": [current]}
    return handler


def extend(sim):
    """Add the missing routes to a new pvesim Simulator."""
    routes = [("/pools/{poolid}", r"^/pools/(?P<poolid>.+)$", lambda cl, p, _i: {"data": cl.pools_list(p["poolid"])[0]},
               _schema(poolid={"type": "string", "format": "pve-poolid"})),
              ("/nodes/{node}/version", r"^/nodes/(?P<node>[^/]+)/version$", lambda cl, _p, _i: {"data": cl.version()},
               _schema(node=_NODE))]
    for gtype in ("qemu", "lxc"):
        for suffix, handler in (("status/current", _status_current(gtype)), ("snapshot", _snapshots(gtype))):
            routes.append(("/nodes/{node}/%s/{vmid}/%s" % (gtype, suffix),
                           r"^/nodes/(?P<node>[^/]+)/%s/(?P<vmid>[^/]+)/%s$" % (gtype, suffix), handler,
                           _schema(node=_NODE, vmid=_VMID)))
    for template, regex, handler, schema in routes:
        sim.router.schema.setdefault(template, schema)
        sim.router.routes.append(("GET", template, re.compile(regex), handler, None))
