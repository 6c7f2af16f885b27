# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Extra simulator routes that only community.proxmox calls (benchmark only).

community.proxmox's inventory asks GET /pools/{poolid} for each pool and, with want_facts, GET
.../{vmid}/status/current and .../{vmid}/snapshot per guest. pvesim does not serve these (the
collection never calls them), so the benchmark adds them to its Router when they are missing,
answering the way PVE does (shapes from the PVE API schema), so the competitor is not penalised by
errors.
"""

from __future__ import annotations

import re

_NODE = {"type": "string", "format": "pve-node"}
_VMID = {"type": "integer", "format": "pve-vmid", "minimum": 100, "maximum": 999999999}


def _schema(**props):
    return {"GET": {"parameters": {"additionalProperties": 0, "properties": props}}}


def _h_pool(cl, p, _ident):
    head = cl.pools_list(p["poolid"])[0]
    return {"data": head}


def _guest(cl, p, gtype):
    return cl.guest(p["node"], p["vmid"], gtype)


def _status_current(gtype):
    def handler(cl, p, _ident):
        guest = _guest(cl, p, gtype)
        status, live = cl.guest_live(guest)
        data = {"vmid": guest.vmid, "name": guest.name, "status": status,
                "cpu": guest.cpu if live else 0, "cpus": guest.maxcpu, "mem": guest.mem if live else 0,
                "maxmem": guest.maxmem, "disk": guest.disk if live else 0, "maxdisk": guest.maxdisk,
                "uptime": guest.uptime if live else 0, "netin": guest.netin if live else 0,
                "netout": guest.netout if live else 0, "ha": {"managed": 1 if guest.hastate else 0}}
        if gtype == "qemu":
            data["qmpstatus"] = status
            data["agent"] = 1 if guest.agent else 0
        else:
            data["type"] = "lxc"
        if guest.tags:
            data["tags"] = ";".join(guest.tags)
        return {"data": data}
    return handler


def _snapshots(gtype):
    def handler(cl, p, _ident):
        guest = _guest(cl, p, gtype)
        current = {"name": "current", "description": "You are here!", "digest": "0" * 40}
        if gtype == "qemu":
            current["running"] = 1 if guest.status == "running" else 0
        return {"data": [current]}
    return handler


def _extra_routes():
    routes = [("/pools/{poolid}", re.compile(r"^/pools/(?P<poolid>.+)$"), _h_pool,
               _schema(poolid={"type": "string", "format": "pve-poolid"}))]
    for gtype in ("qemu", "lxc"):
        for suffix, handler in (("status/current", _status_current(gtype)), ("snapshot", _snapshots(gtype))):
            template = "/nodes/{node}/%s/{vmid}/%s" % (gtype, suffix)
            regex = re.compile(r"^/nodes/(?P<node>[^/]+)/%s/(?P<vmid>[^/]+)/%s$" % (gtype, suffix))
            routes.append((template, regex, handler, _schema(node=_NODE, vmid=_VMID)))
    return routes


def extend(sim):
    """Add the missing routes to a running or new pvesim Simulator; return the templates added."""
    router = sim.router
    known = {route[1] for route in router.routes}
    added = []
    for template, regex, handler, schema in _extra_routes():
        if template in known:
            continue
        router.schema.setdefault(template, schema)
        router.routes.append(("GET", template, regex, handler, None))
        added.append(template)
    return added
