"""API routes: path templates -> handlers, with PVE's proxy, parameter and permission checks."""
from __future__ import annotations

import re
import urllib.parse

from . import guest_config, schema_check
from .cluster import NotFound, encode, mac_for
from .permissions import PermissionDenied
from .tasks import TOKEN, UPID_RE, USER, row_dict, task_log


class ApiError(Exception):
    """An error answer. empty=True: reason phrase only, no body (pveproxy-level errors)."""

    def __init__(self, status, message, errors=None, empty=False, delay=0.0):
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors
        self.empty = empty
        self.delay = delay  # seconds pveproxy waits before this answer

    def body(self, with_message=True):
        """with_message=False: pve-http-server before 5.2.0 (the text only in the reason phrase)."""
        if self.empty:
            return b""
        out = {"data": None}
        if self.errors is not None:
            out["errors"] = self.errors
        if with_message:
            out["message"] = self.message + "\n"
        return encode(out)


def param_error(errors):
    """400 Parameter verification failed, with per-parameter messages (JSONSchema.pm)."""
    return ApiError(400, "Parameter verification failed.", errors)


def _envelope(data, total=None):
    out = {"data": data}
    if total:
        out["total"] = total
    return out


# -- handlers: (cluster, params, identity) -> envelope dict or bytes ------------------------------
def h_version(cl, _p, _i):
    return _envelope(cl.version())


def _unrestricted(ident):
    return ident.acl.unrestricted(AUDIT_PRIVS)


def h_nodes(cl, _p, ident):
    if _unrestricted(ident):
        return cl.cached(("nodes",), lambda: encode(_envelope([cl.node_row(n, False) for n in cl.nodes.values()])))
    # pve-manager Nodes.pm index: usage figures only with Sys.Audit on /nodes/<node>
    return _envelope([_node_row(cl.node_row(n, False), ident) for n in cl.nodes.values()])


def _node_row(row, ident):
    """API2Tools.pm extract_node_stats(exclude_stats): no usage figures without Sys.Audit on the node."""
    if ident.has("/nodes/" + row["node"], "Sys.Audit"):
        return row
    return {k: v for k, v in row.items() if k not in NODE_STATS}


def h_cluster_status(cl, _p, _i):
    return cl.cached(("cluster_status",), lambda: encode(_envelope(cl.cluster_status())))


def _visible_resource(cl, ident, row):
    """pve-manager Cluster.pm resources: which rows a user or token sees (and without which fields)."""
    rtype = row["type"]
    if rtype in ("qemu", "lxc"):
        if not ident.has("/vms/%d" % row["vmid"], "VM.Audit", cl.pool_of):
            return None
        if "pool" in row and not ident.has("/pool/" + row["pool"], "Pool.Audit"):
            row = {k: v for k, v in row.items() if k != "pool"}
        return row
    if rtype == "pool":
        return row if ident.has("/pool/" + row["pool"], "Pool.Audit") else None
    if rtype == "node":
        return _node_row(row, ident)
    if rtype == "storage":
        return row if ident.has("/storage/" + row["storage"], "Datastore.Audit") else None
    return row if ident.has("/sdn/zones/localnetwork", "SDN.Audit") else None


def h_resources(cl, p, ident):
    if _unrestricted(ident):
        return cl.resources_body(p.get("type"))
    rows = (_visible_resource(cl, ident, row) for row in cl.resources_rows(p.get("type")))
    return _envelope([row for row in rows if row is not None])


def h_nextid(cl, p, _i):
    vmid = p.get("vmid")
    if vmid is not None:
        if not cl.nextid(vmid):
            raise param_error({"vmid": "VM %d already exists" % vmid})
        return _envelope(str(vmid))
    return _envelope(str(cl.nextid()))


def h_options(cl, _p, ident):
    return _envelope(cl.options(ident.has("/", "Sys.Audit")))


def _h_create(gtype):
    """POST /nodes/{node}/qemu|lxc, only what a VMID race needs: the id is taken at once (qemu-server
    API2/Qemu.pm create_vm -> AbstractConfig.pm create_and_lock_config -> Cluster.pm check_vmid_unused dies
    before the worker starts: HTTP 500 "unable to create VM N - VM N already exists on node 'X'"), else the
    guest exists (stopped) and the answer is the worker's UPID. No disks, no task entry."""
    def handler(cl, p, ident):
        vmid = p["vmid"]
        holder = cl.add_guest(vmid, p["node"], gtype, p.get("name") or p.get("hostname"))
        if holder is not None:
            what = "VM" if gtype == "qemu" else "CT"
            raise ApiError(500, "unable to create %s %d - %s %d already exists on node '%s'"
                           % (what, vmid, "VM" if holder.type == "qemu" else "CT", vmid, holder.node))
        return _envelope("UPID:%s:00001234:00005678:%08X:%s:%d:%s:" % (
            p["node"], cl.now, "qmcreate" if gtype == "qemu" else "vzcreate", vmid, ident.full_id))
    return handler


def h_node_status(cl, p, _i):
    return _envelope(cl.node_status(p["node"]))


def _task_owner(ident):
    """Tasks.pm check_task_user: a token sees its own tasks, a user its own and its tokens'."""
    full = ident.full_id

    def owns(user, token):
        return full == user or (token is not None and full == "%s!%s" % (user, token))
    return owns


def h_tasks(cl, p, ident):
    owner = None if ident.has("/nodes/" + p["node"], "Sys.Audit") else _task_owner(ident)
    rows, total = cl.task_stores[p["node"]].query(p, owner)
    return _envelope(rows, total)


def _task_row(cl, p, ident):
    upid = p["upid"]
    if not UPID_RE.match(upid):
        raise param_error({"upid": "unable to parse worker upid '%s'" % upid})
    row = cl.task_stores[p["node"]].find(upid)
    if row is None:
        raise param_error({"upid": "no such task"})
    if not _task_owner(ident)(row[USER], row[TOKEN]):
        _require(ident, "/nodes/" + p["node"], ("Sys.Audit",))
    return row


def h_task_status(cl, p, ident):
    row = _task_row(cl, p, ident)
    out = row_dict(p["node"], row)
    out.pop("endtime", None)
    status = out.pop("status", None)
    out["status"] = "running" if status is None else "stopped"
    if status is not None:
        out["exitstatus"] = status
    return _envelope(out)


def h_task_log(cl, p, ident):
    lines = task_log(_task_row(cl, p, ident)) or ["no content"]
    start = p.get("start", 0)
    limit = p.get("limit", 50)
    if limit == 0 and not cl.profile["log_limit0_whole"]:
        return _envelope([], len(lines))  # pve-common before 7.3-1 (f0c1b0c): limit=0 reads no line
    chosen = lines[start:] if limit == 0 else lines[start:start + limit]
    return _envelope([{"n": start + i + 1, "t": t} for i, t in enumerate(chosen)], len(lines))


def h_network(cl, p, ident):
    itype = p.get("type")
    allowed = cl.profile["network_types"]
    if itype is not None and itype not in allowed:
        # this release's enum (pve-manager PVE/API2/Network.pm), checked like JSONSchema.pm does
        raise param_error({"type": "value '%s' does not have a value in the enumeration '%s'" % (itype, ", ".join(allowed))})
    rows = cl.network(p["node"], itype)
    # Network.pm index: bridges only with SDN.Audit or SDN.Use on /sdn/zones/localnetwork/<bridge>
    return _envelope([r for r in rows if r.get("type") not in ("bridge", "OVSBridge")
                      or ident.privs("/sdn/zones/localnetwork/" + r["iface"]) & {"SDN.Audit", "SDN.Use"}])


def _h_list(gtype):
    def handler(cl, p, ident):
        return _envelope([r for r in cl.guest_list(p["node"], gtype)
                          if ident.has("/vms/%s" % r["vmid"], "VM.Audit", cl.pool_of)])
    return handler


def _h_config(gtype):
    def handler(cl, p, _i):
        guest = cl.guest(p["node"], p["vmid"], gtype)
        return _envelope(guest_config.answer(guest, cl.profile, mac_for(guest.vmid), current=p.get("current", 0)))
    return handler


def h_agent(cl, p, _i):
    return _envelope(cl.agent_interfaces(cl.guest(p["node"], p["vmid"], "qemu")))


def h_lxc_ifaces(cl, p, _i):
    if cl.profile["lxc_interfaces"] is None:  # before pve-container 5.0.6: no such endpoint
        raise ApiError(501, "Method 'GET /nodes/%s/lxc/%s/interfaces' not implemented" % (p["node"], p["vmid"]))
    return _envelope(cl.lxc_interfaces(cl.guest(p["node"], p["vmid"], "lxc")))


def h_pools(cl, p, ident):
    if p.get("poolid"):
        return _envelope(cl.pools_list(p.get("poolid"), p.get("type")))
    return _envelope([row for row in cl.pools_list(None, p.get("type"))
                      if ident.has("/pool/" + row["poolid"], "Pool.Audit")])


AUDIT_PRIVS = ("Datastore.Audit", "Pool.Audit", "SDN.Audit", "Sys.Audit", "VM.Audit")
NODE_STATS = ("cpu", "disk", "maxcpu", "maxdisk", "maxmem", "mem", "uptime")
# 'check' of each method in the API schema: (ACL path template, privileges, any of them)
CLUSTER_STATUS = ("/", ("Sys.Audit",), False)
NODE_AUDIT = ("/nodes/{node}", ("Sys.Audit",), False)
VM_AUDIT = ("/vms/{vmid}", ("VM.Audit",), False)
VM_ALLOCATE = ("/vms/{vmid}", ("VM.Allocate",), False)
AGENT = ("/vms/{vmid}", ("VM.GuestAgent.Audit", "VM.GuestAgent.Unrestricted"), True)

# (method, template, handler, permission check or None)
ROUTES = [
    ("GET", "/version", h_version, None),
    ("GET", "/nodes", h_nodes, None),
    ("GET", "/cluster/status", h_cluster_status, CLUSTER_STATUS),
    ("GET", "/cluster/resources", h_resources, None),
    ("GET", "/cluster/nextid", h_nextid, None),
    ("GET", "/cluster/options", h_options, None),
    ("POST", "/nodes/{node}/qemu", _h_create("qemu"), VM_ALLOCATE),
    ("POST", "/nodes/{node}/lxc", _h_create("lxc"), VM_ALLOCATE),
    ("GET", "/nodes/{node}/status", h_node_status, NODE_AUDIT),
    ("GET", "/nodes/{node}/tasks", h_tasks, None),
    ("GET", "/nodes/{node}/tasks/{upid}/status", h_task_status, None),
    ("GET", "/nodes/{node}/tasks/{upid}/log", h_task_log, None),
    ("GET", "/nodes/{node}/network", h_network, None),
    ("GET", "/nodes/{node}/qemu", _h_list("qemu"), None),
    ("GET", "/nodes/{node}/lxc", _h_list("lxc"), None),
    ("GET", "/nodes/{node}/qemu/{vmid}/config", _h_config("qemu"), VM_AUDIT),
    ("GET", "/nodes/{node}/lxc/{vmid}/config", _h_config("lxc"), VM_AUDIT),
    ("GET", "/nodes/{node}/qemu/{vmid}/agent/network-get-interfaces", h_agent, AGENT),
    ("GET", "/nodes/{node}/lxc/{vmid}/interfaces", h_lxc_ifaces, VM_AUDIT),
    ("GET", "/pools", h_pools, None),
]


def _require(ident, path, privs, any_of=False, pool_of=None):
    """RPCEnvironment check / check_any: 403 with PVE's text when the privilege is missing."""
    granted = ident.privs(path, pool_of)
    if (any_of and not granted & set(privs)) or (not any_of and not set(privs) <= granted):
        raise PermissionDenied(path, privs if any_of else [p for p in privs if p not in granted][:1])


def verify(method_schema, params):
    """schema_check.verify with its ParamError as PVE's 400 answer."""
    try:
        return schema_check.verify(method_schema, params)
    except schema_check.ParamError as err:
        raise param_error(err.errors) from err


def _compile(template):
    return re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template) + "$")


class Router:
    """Dispatch one API request against a Cluster."""

    def __init__(self, cluster, schema=None):
        self.cluster = cluster
        self.schema = schema or schema_check.load_schema()
        self.routes = [(m, t, _compile(t), h, perm) for m, t, h, perm in ROUTES]

    def match(self, method, path):
        """(template, handler, perm, path params) or raise 501."""
        for rmethod, template, regex, handler, perm in self.routes:
            found = regex.match(path)
            if found and rmethod == method:
                params = {k: urllib.parse.unquote(v) for k, v in found.groupdict().items()}
                return template, handler, perm, params
        raise ApiError(501, "Method '%s %s' not implemented" % (method, path))

    def dispatch(self, method, path, query, ident):
        """Return the response body (bytes) for a routed, authenticated request, or raise ApiError."""
        template, handler, perm, path_params = self.match(method, path)
        cl = self.cluster
        node = path_params.get("node")
        if node is not None and node != cl.local:
            if node not in cl.nodes:
                raise ApiError(500, "hostname lookup '%s' failed - failed to get address info for: %s: "
                               "Name or service not known" % (node, node))
            if not cl.nodes[node].online:
                raise ApiError(595, "Errors during connection establishment, proxy handshake: No route to host", empty=True)
            if cl.nodes[node].unresponsive:
                # AnyEvent.pm proxy_request: timeout => 30, then the AnyEvent::HTTP pseudo-status
                raise ApiError(595, "Connection timed out", empty=True, delay=cl.profile["proxy_timeout"])
        params = dict(query, **path_params)
        typed = verify(self.schema[template][method], params)
        try:
            if perm is not None:
                path_t, privs, any_of = perm
                _require(ident, path_t.format(**{k: typed.get(k, v) for k, v in params.items()}), privs, any_of,
                         cl.pool_of)
            result = handler(cl, typed, ident)
        except PermissionDenied as err:
            raise ApiError(403, str(err)) from err
        except NotFound as err:
            raise ApiError(500, str(err)) from err
        return result if isinstance(result, bytes) else encode(result)
