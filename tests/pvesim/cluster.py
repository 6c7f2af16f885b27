"""The materialised cluster: a Scenario with defaults filled in, indexes, and PVE-shaped answers."""
from __future__ import annotations

import hashlib
import ipaddress
import json
import threading
import time

from .guest_config import GIB, MIB
from .profiles import RRD_WINDOW, get_profile
from .scenario import Guest
from .tasks import TaskStore

# the figures of a guest's /cluster/resources row that only a live node reports (0 otherwise)
LIVE_FIGURES = ("cpu", "disk", "diskread", "diskwrite", "mem", "netin", "netout", "uptime")
CPU_FLAGS = "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall nx lm"


def encode(obj):
    """Compact JSON bytes, as pveproxy sends them."""
    return json.dumps(obj, separators=(",", ":")).encode()


def _h(*parts):
    return int.from_bytes(hashlib.blake2b(":".join(str(p) for p in parts).encode(), digest_size=8).digest(), "big")


def mac_for(vmid, nic=0):
    return "bc:24:11:%02x:%02x:%02x" % ((vmid >> 16) & 0xFF, (vmid >> 8) & 0xFF, (vmid + nic) & 0xFF)


class NotFound(Exception):
    """A handler error that becomes HTTP 500 with PVE's message."""


def _fill(obj, defaults):
    """Set each attribute of obj that the scenario left unset (None, or an empty ip) to its default."""
    for key, value in defaults.items():
        if getattr(obj, key) in (None, ""):
            setattr(obj, key, value)


def _fill_node(node, index, pveversion):
    h = _h("node", node.name)
    _fill(node, {"ip": "192.168.100.%d" % (11 + index), "maxcpu": (8, 16, 32, 64)[h % 4],
                 "maxmem": (64, 128, 256)[h % 3] * GIB, "maxdisk": 100 * GIB, "uptime": 86400 + h % 5000000,
                 "cpu": round(0.01 + (h % 3000) / 10000.0, 6), "pveversion": pveversion})
    _fill(node, {"mem": int(node.maxmem * (0.2 + (h % 50) / 100.0)),
                 "disk": int(node.maxdisk * (0.05 + (h % 40) / 100.0))})


def _fill_guest(guest):
    h = _h("guest", guest.vmid)
    lxc = guest.type == "lxc"
    _fill(guest, {"maxcpu": (1, 2, 4, 8)[h % 4], "maxmem": (512 * MIB, GIB, 2 * GIB, 4 * GIB, 8 * GIB)[h % 5],
                  "maxdisk": 8 * GIB if lxc else (32 * GIB, 64 * GIB, 0)[h % 3]})
    running = guest.status == "running"
    _fill(guest, {"cpu": round(0.001 + (h % 5000) / 100000.0, 6) if running else 0,
                  "mem": int(guest.maxmem * (0.2 + (h % 60) / 100.0)) if running else 0,
                  "uptime": 600 + h % 2000000 if running else 0,
                  "netin": (h % 10 ** 9) if running else 0, "netout": (h % 10 ** 8) if running else 0,
                  "diskread": (h % 10 ** 10) if running else 0, "diskwrite": (h % 10 ** 9) if running else 0,
                  "disk": int(guest.maxdisk * (0.1 + (h % 50) / 100.0)) if running and lxc else 0})


def _new_guest(vmid, node, gtype, name):
    """A guest created at run time: stopped, no disk use yet (the figures a new guest has)."""
    guest = Guest(vmid=vmid, name=name or "%s-%d" % ("vm" if gtype == "qemu" else "ct", vmid), node=node, type=gtype,
                  status="stopped")
    _fill_guest(guest)
    return guest


class Cluster:  # pylint: disable=too-many-public-methods
    """Answers for one scenario. Read-only after construction, so safe to share between threads, except
    for guests added while serving (a create, or the admin API): those replace the guest indexes whole
    (copy on write, under a lock), so a reader never sees a dict change under it."""

    def __init__(self, scenario, now=None, profile=None):
        self.scenario = scenario
        # an explicitly named profile (argument or scenario) is faithful; without one: pve9, simplified
        self.faithful = bool(profile or scenario.profile)
        self.profile = get_profile(profile or scenario.profile, scenario.profile_overrides)
        self.now = int(now if now is not None else (scenario.now if scenario.now is not None else time.time()))
        self.name = scenario.cluster
        self.nodes = {}
        for index, node in enumerate(scenario.nodes):
            _fill_node(node, index, self.profile["pveversion"])
            self.nodes[node.name] = node
        self.local = next((n.name for n in scenario.nodes if n.online and not n.unresponsive),
                          scenario.nodes[0].name if scenario.nodes else None)
        self.guests = {}
        self.guests_by_node = {name: [] for name in self.nodes}
        for guest in sorted(scenario.guests, key=lambda g: g.vmid):
            _fill_guest(guest)
            self.guests[guest.vmid] = guest
            self.guests_by_node.setdefault(guest.node, []).append(guest)
        self.storage = scenario.storage or [
            {"storage": "local", "plugintype": "dir", "content": "iso,vztmpl,backup,snippets", "shared": 0},
            {"storage": "local-lvm", "plugintype": "lvmthin", "content": "rootdir,images", "shared": 0}]
        self.pools = {p["poolid"]: p for p in scenario.pools}
        self.task_stores = self._build_tasks(scenario.tasks)
        self._cache = {}
        self._cache_lock = threading.Lock()
        # moving figures (Simulator(moving_metrics=True), `serve --moving-metrics`): see move_figures
        self.moving_metrics = False
        self._reads = 0
        self._started = time.monotonic()
        self._guests_lock = threading.Lock()
        self._scenario_guests = (self.guests, self.guests_by_node)

    # -- tasks ---------------------------------------------------------------------------------
    def _build_tasks(self, tasks):
        per_node = {name: [] for name in self.nodes}
        now = self.now
        for node, age, duration, ttype, tid, user, token, status, pid, pstart, log in tasks:
            start = now - age
            end = None if duration is None else start + duration
            per_node.setdefault(node, []).append((start, end, ttype, tid, user, token, status, pid, pstart, log))
        return {name: TaskStore(name, rows) for name, rows in per_node.items()}

    # -- helpers -------------------------------------------------------------------------------
    def cached(self, key, builder):
        """Pre-serialised bodies (the scenario does not change while serving)."""
        body = self._cache.get(key)
        if body is None:
            body = builder()
            with self._cache_lock:
                self._cache[key] = body
        return body

    def guest(self, node, vmid, gtype):
        guest = self.guests.get(vmid)
        if guest is None or guest.node != node or guest.type != gtype:
            folder = "qemu-server" if gtype == "qemu" else "lxc"
            raise NotFound("Configuration file 'nodes/%s/%s/%d.conf' does not exist" % (node, folder, vmid))
        return guest

    def rrd_state(self, node):
        """'live' (online), 'stale' (offline, its RRD entries still inside pmxcfs' 5-minute window),
        'gone' (offline for longer: the entries are dropped) or 'simplified' (offline, no down_for given)."""
        if node.online:
            return "live"
        if node.down_for is None:
            return "simplified"
        return "stale" if node.down_for <= RRD_WINDOW else "gone"

    def guest_live(self, guest):
        """status, and whether live stats are known (guests on offline nodes are 'unknown')."""
        state = self.rrd_state(self.nodes[guest.node])
        if state == "stale":
            return guest.status, True  # the last RRD entry: often still "running"
        if state != "live":
            return "unknown", False
        return guest.status, True

    # -- endpoints -----------------------------------------------------------------------------
    def version(self):
        if self.scenario.version and not (self.faithful and self.scenario.profile is None):
            return dict(self.scenario.version)
        return dict(self.profile["version"])

    def ssl_fingerprint(self, name):
        digest = hashlib.sha256(("pvesim-" + name).encode()).hexdigest().upper()
        return ":".join(digest[i:i + 2] for i in range(0, 64, 2))

    def node_row(self, node, for_resources):
        row = {"id": "node/" + node.name, "level": node.level, "node": node.name, "type": "node"}
        if for_resources:
            row["cgroup-mode"] = 2
        else:
            row["ssl_fingerprint"] = self.ssl_fingerprint(node.name)
        state = self.rrd_state(node)
        if node.online:
            row.update({"status": "online", "cpu": node.cpu, "maxcpu": node.maxcpu, "mem": node.mem,
                        "maxmem": node.maxmem, "disk": node.disk, "maxdisk": node.maxdisk, "uptime": node.uptime})
        else:
            row["status"] = "offline"
            if state == "stale" and for_resources:  # API2Tools.pm extract_node_stats: level and max* only
                row.update({"maxcpu": node.maxcpu, "maxmem": node.maxmem, "maxdisk": node.maxdisk})
            elif state == "gone" and for_resources:
                del row["level"]
        return row

    def cluster_status(self):
        rows = []
        online = sum(1 for n in self.nodes.values() if n.online)
        if self.name is not None:
            rows.append({"id": "cluster", "name": self.name, "type": "cluster", "nodes": len(self.nodes),
                         "quorate": 1 if online * 2 > len(self.nodes) else 0, "version": self.scenario.config_version})
        for node in self.nodes.values():
            rows.append({"id": "node/" + node.name, "ip": node.ip, "level": node.level,
                         "local": 1 if node.name == self.local else 0, "name": node.name, "nodeid": node.nodeid,
                         "online": 1 if node.online else 0, "type": "node"})
        return rows

    def guest_resource(self, guest):
        status, live = self.guest_live(guest)
        if self.rrd_state(self.nodes[guest.node]) == "gone":
            # API2Tools.pm extract_vm_stats without an RRD entry, plus lock/tags from the config, pool, hastate
            row = {"id": "%s/%d" % (guest.type, guest.vmid), "node": guest.node, "status": "unknown",
                   "type": guest.type, "vmid": guest.vmid}
            for key in ("pool", "hastate", "lock"):
                if getattr(guest, key):
                    row[key] = getattr(guest, key)
            if guest.tags:
                row["tags"] = ";".join(guest.tags)
            return row
        row = {"id": "%s/%d" % (guest.type, guest.vmid), "maxcpu": guest.maxcpu, "maxdisk": guest.maxdisk,
               "maxmem": guest.maxmem, "name": guest.name, "node": guest.node, "status": status,
               "template": 1 if guest.template else 0, "type": guest.type, "vmid": guest.vmid}
        row.update((key, getattr(guest, key) if live else 0) for key in LIVE_FIGURES)
        if guest.type == "qemu" and self.profile["memhost"]:
            row["memhost"] = row["mem"]
        if guest.pool:
            row["pool"] = guest.pool
        if guest.tags:
            row["tags"] = ";".join(guest.tags)
        row = dict(sorted(row.items()))   # the keys in PVE's order (sorted), then hastate and lock
        if guest.hastate:
            row["hastate"] = guest.hastate
        if guest.lock:
            row["lock"] = guest.lock
        return row

    def storage_rows(self):
        rows = []
        for node in self.nodes.values():
            for index, st in enumerate(self.storage):
                row = {"content": st.get("content", "images,rootdir"), "id": "storage/%s/%s" % (node.name, st["storage"]),
                       "node": node.name, "plugintype": st.get("plugintype", "dir"), "shared": 1 if st.get("shared") else 0,
                       "status": "available" if self.rrd_state(node) in ("live", "stale") else "unknown",
                       "storage": st["storage"], "type": "storage"}
                if row["status"] == "available":
                    maxdisk = st.get("maxdisk", (500 + 100 * index) * GIB)
                    row["maxdisk"] = maxdisk
                    row["disk"] = st.get("disk", int(maxdisk * (0.1 + (_h(node.name, st["storage"]) % 60) / 100.0)))
                rows.append(row)
        return rows

    def pool_rows(self):
        rows = []
        for poolid in sorted(self.pools):
            row = {"id": "/pool/" + poolid, "pool": poolid, "type": "pool"}
            members = [g for g in self.guests.values() if g.pool == poolid and self.guest_live(g) == ("running", True)]
            if members:
                row.update({"cpu": round(sum(g.cpu for g in members), 6), "maxcpu": sum(g.maxcpu for g in members),
                            "mem": sum(g.mem for g in members), "maxmem": sum(g.maxmem for g in members),
                            "uptime": max(g.uptime for g in members)})
            rows.append(row)
        return rows

    def sdn_row_type(self):
        """The type of the SDN rows: the profile's, except `sdn` in the simplified (unnamed) simulator."""
        return self.profile["sdn_rows"] if self.faithful else "sdn"

    def sdn_rows(self, rtype):
        """The default zone per node: `sdn` rows up to 9.0.11, `network` rows (listed without a type filter
        only) from pve-manager 9.0.12 (PVE/API2/Cluster.pm, the 'sdn' and 'network' blocks)."""
        if self.sdn_row_type() == "network":
            if rtype is not None:
                return []
            return [{"id": "network/%s/zone/localnetwork" % n.name, "network": "localnetwork", "network-type": "zone",
                     "node": n.name, "status": "ok", "type": "network"} for n in self.nodes.values()]
        # the simplified (unnamed) simulator: an offline node's zone is unknown
        return [{"id": "sdn/%s/localnetwork" % n.name, "node": n.name, "sdn": "localnetwork",
                 "status": "ok" if n.online or self.faithful else "unknown", "type": "sdn"} for n in self.nodes.values()]

    def resources_rows(self, rtype=None):
        """The /cluster/resources rows for a type filter, as root sees them."""
        rows = []
        if rtype in (None, "vm"):
            rows += [self.guest_resource(g) for g in self.guests.values()]
        if rtype in (None, "node"):
            rows += [self.node_row(n, True) for n in self.nodes.values()]
        if rtype in (None, "storage"):
            rows += self.storage_rows()
        if rtype is None:
            rows += self.pool_rows()
        if rtype in (None, "sdn"):
            rows += self.sdn_rows(rtype)
        if self.moving_metrics:
            self.move_figures(rows)
        return rows

    def resources_body(self, rtype=None):
        """Pre-serialised /cluster/resources envelope for a type filter (built on every read when figures move)."""
        if self.moving_metrics:
            return encode({"data": self.resources_rows(rtype)})
        return self.cached(("resources", rtype), lambda: encode({"data": self.resources_rows(rtype)}))

    def move_figures(self, rows):
        """CPU, memory in use, uptime and traffic of the running guests and online nodes, as PVE reports them:
        different on every read (pvestatd refreshes them every 10 s and uptime counts on; here every read moves
        them, so two reads never agree). Sizes (maxmem, maxcpu, maxdisk), names and states stay."""
        with self._cache_lock:
            self._reads += 1
            tick = self._reads
        elapsed = int(time.monotonic() - self._started)
        for row in rows:
            if row.get("type") not in ("qemu", "lxc", "node") or row.get("status") not in ("running", "online") \
                    or not row.get("uptime"):
                continue
            wobble = _h("move", row["id"], tick) % 1000 / 1000.0
            row["uptime"] += elapsed + tick
            if "cpu" in row:
                row["cpu"] = round(max(0.0001, row["cpu"] * (0.5 + wobble)), 6)
            if row.get("mem") and row.get("maxmem"):
                row["mem"] = min(row["maxmem"], int(row["mem"] * (0.9 + wobble / 5)))
            if "memhost" in row:
                row["memhost"] = row["mem"]
            for key in ("netin", "netout"):
                if row.get(key):
                    row[key] += tick * 1500

    def pool_of(self, vmid):
        """The pool a guest belongs to, or None."""
        guest = self.guests.get(vmid)
        return guest.pool if guest is not None else None

    # GET /cluster/nextid as pve-manager PVE/API2/Cluster.pm (read at commit 14a22df35955, 9.2.11; the same in
    # 7.4 and 8.4): with vmid, that id if no guest of the cluster's VM list has it, else 400 "VM N already
    # exists" (the datacenter.cfg next-id range is NOT applied to it; outside 100..999999999 the schema's
    # pve-vmid check answers 400 first). Without vmid, the lowest free id in [lower, upper) of datacenter.cfg
    # next-id (defaults 100 and 1000000, upper exclusive), else 500 "unable to get any free VMID in range".
    def nextid(self, vmid=None):
        if vmid is not None:
            return vmid not in self.guests
        lower, upper = self.next_id_range()
        for candidate in range(lower, upper):
            if candidate not in self.guests:
                return candidate
        raise NotFound("unable to get any free VMID in range [%d, %d]" % (lower, upper))

    def next_id_range(self):
        """datacenter.cfg next-id as [lower, upper) (pve-cluster DataCenterConfig.pm: defaults 100, 1000000)."""
        return int(self.scenario.next_id.get("lower", 100)), int(self.scenario.next_id.get("upper", 1000000))

    def options(self, sys_audit):
        """GET /cluster/options (pve-manager Cluster.pm get_options, 14a22df35955): datacenter.cfg as parsed
        (next-id an object {lower, upper}, only the keys the file sets), all of it only with Sys.Audit on /."""
        out = {}
        if sys_audit and self.scenario.next_id:
            out["next-id"] = {k: int(v) for k, v in self.scenario.next_id.items()}
        out["allowed-tags"] = []
        return out

    def add_guest(self, vmid, node, gtype="qemu", name=None):
        """Create a guest while serving (POST /nodes/{node}/qemu|lxc, the take fault); None when the id is
        free and now taken, else the guest that already holds it. The check and the insert are one step."""
        with self._guests_lock:
            holder = self.guests.get(vmid)
            if holder is not None:
                return holder
            guest = _new_guest(vmid, node, gtype, name)
            guests = dict(self.guests)
            guests[vmid] = guest
            by_node = dict(self.guests_by_node)
            by_node[node] = sorted(by_node.get(node, []) + [guest], key=lambda g: g.vmid)
            self.guests, self.guests_by_node = dict(sorted(guests.items())), by_node
            with self._cache_lock:
                self._cache = {}
        return None

    def drop_added_guests(self):
        """Back to the scenario's guests (drop those added by create, the take fault or add_guest)."""
        with self._guests_lock:
            self.guests, self.guests_by_node = self._scenario_guests
            with self._cache_lock:
                self._cache = {}

    def node_status(self, name):
        node = self.nodes[name]
        h = _h("status", name)
        version = node.pveversion
        swap_total = 8 * GIB
        load = [(h >> s) % 300 / 100.0 for s in (0, 8, 16)]
        prof = self.profile
        out = {
            "boot-info": {"mode": "efi", "secureboot": 0}, "cpu": node.cpu,
            "cpuinfo": {"cores": max(1, node.maxcpu // 2), "cpus": node.maxcpu, "flags": CPU_FLAGS, "hvm": "1",
                        "mhz": "%.3f" % (2000 + h % 1500), "model": "Intel(R) Xeon(R) Silver 4314 CPU @ 2.40GHz",
                        "sockets": 1, "user_hz": 100},
            "current-kernel": {"machine": "x86_64", "release": prof["kernel"], "sysname": "Linux",
                               "version": prof["kernel_build"]},
            "idle": 0, "ksm": {"shared": 0},
            "kversion": "Linux %s %s" % (prof["kernel"], prof["kernel_build"]),
            "loadavg": ["%.2f" % v for v in load],
            "memory": {"available": node.maxmem - node.mem, "free": int((node.maxmem - node.mem) * 0.8),
                       "total": node.maxmem, "used": node.mem},
            "pveversion": version,
            "rootfs": {"avail": node.maxdisk - node.disk, "free": node.maxdisk - node.disk, "total": node.maxdisk,
                       "used": node.disk},
            "swap": {"free": swap_total, "total": swap_total, "used": 0}, "uptime": node.uptime,
            "wait": round((h % 100) / 10000.0, 6),
        }
        for key in prof["node_status_absent"]:
            parent, _dot, child = key.partition(".")
            (out[parent] if child else out).pop(child or parent, None)
        return out

    def network(self, name, itype=None):
        node = self.nodes[name]
        net = ipaddress.ip_interface(node.ip + "/24")
        ifaces = [
            {"active": 1, "exists": 1, "families": ["inet"], "iface": "eno1", "method": "manual",
             "method6": "manual", "priority": 3, "type": "eth"},
            {"active": 1, "address": node.ip, "autostart": 1, "bridge_fd": "0", "bridge_ports": "eno1",
             "bridge_stp": "off", "cidr": str(net), "families": ["inet"], "gateway": str(net.network[1]),
             "iface": "vmbr0", "method": "static", "method6": "manual", "mtu": "1500", "netmask": "24",
             "priority": 4, "type": "bridge"},
        ]
        if itype in ("any_bridge", "any_local_bridge"):
            return [i for i in ifaces if i.get("type") in ("bridge", "OVSBridge")]
        if itype and itype != "include_sdn":
            return [i for i in ifaces if i.get("type") == itype]
        return ifaces

    def guest_list(self, name, gtype):
        rows = []
        for guest in self.guests_by_node.get(name, []):
            if guest.type != gtype:
                continue
            running = guest.status == "running"
            vmid = str(guest.vmid) if gtype == "lxc" and self.profile["lxc_list_vmid_str"] else guest.vmid
            row = {"vmid": vmid, "name": guest.name, "status": guest.status, "uptime": guest.uptime,
                   "cpu": guest.cpu, "cpus": guest.maxcpu, "maxmem": guest.maxmem, "mem": guest.mem,
                   "maxdisk": guest.maxdisk, "disk": guest.disk, "netin": guest.netin, "netout": guest.netout,
                   "diskread": guest.diskread, "diskwrite": guest.diskwrite}
            if gtype == "lxc":
                row["type"] = "lxc"
                row["maxswap"] = 512 * MIB
            else:
                row["memhost"] = guest.mem
                if running:
                    row["pid"] = 10000 + guest.vmid
                    row["qmpstatus"] = "running"
            if guest.tags:
                row["tags"] = ";".join(guest.tags)
            if guest.lock:
                row["lock"] = guest.lock
            if guest.template:
                row["template"] = 1
            rows.append(row)
        return rows

    def agent_interfaces(self, guest):
        if not guest.agent:
            raise NotFound("No QEMU guest agent configured")
        if guest.status != "running":
            raise NotFound("VM %d is not running" % guest.vmid)
        if guest.agent_state == "not-running":
            raise NotFound("QEMU guest agent is not running")
        if guest.agent_state == "unsupported":
            return {"result": {"error": {"class": "Unsupported", "desc": "this feature or command is not currently supported"}}}
        stats = {"rx-bytes": guest.netin, "rx-dropped": 0, "rx-errs": 0, "rx-packets": guest.netin // 1000,
                 "tx-bytes": guest.netout, "tx-dropped": 0, "tx-errs": 0, "tx-packets": guest.netout // 1000}
        result = [{"hardware-address": "00:00:00:00:00:00", "ip-addresses": [
            {"ip-address": "127.0.0.1", "ip-address-type": "ipv4", "prefix": 8},
            {"ip-address": "::1", "ip-address-type": "ipv6", "prefix": 128}],
            "name": "lo", "statistics": dict(stats)}]
        addrs = [{"ip-address": str(iface.ip), "ip-address-type": "ipv%d" % iface.version, "prefix": iface.network.prefixlen}
                 for iface in map(ipaddress.ip_interface, guest.ips)]
        eth = {"hardware-address": mac_for(guest.vmid), "name": "eth0", "statistics": stats}
        if addrs:
            eth["ip-addresses"] = addrs
        result.append(eth)
        return {"result": result}

    def lxc_interfaces(self, guest):
        if guest.status != "running":
            return None
        if self.profile["lxc_interfaces"] == "inet":
            # pve-container 5.0.6 .. 5.2.5 (PVE 8.1-8.3): {name, hwaddr, inet, inet6} only
            return [{k: v for k, v in row.items() if k in ("name", "hwaddr", "inet", "inet6")}
                    for row in self._lxc_interfaces_full(guest)]
        return self._lxc_interfaces_full(guest)

    def _lxc_interfaces_full(self, guest):
        out = [{"hardware-address": "00:00:00:00:00:00", "hwaddr": "00:00:00:00:00:00", "inet": "127.0.0.1/8",
                "inet6": "::1/128", "ip-addresses": [
                    {"ip-address": "127.0.0.1", "ip-address-type": "inet", "prefix": "8"},
                    {"ip-address": "::1", "ip-address-type": "inet6", "prefix": "128"}], "name": "lo"}]
        eth = {"hardware-address": mac_for(guest.vmid), "hwaddr": mac_for(guest.vmid), "ip-addresses": [], "name": "eth0"}
        for cidr in guest.ips:
            iface = ipaddress.ip_interface(cidr)
            key = "inet" if iface.version == 4 else "inet6"
            eth.setdefault(key, str(iface))
            eth["ip-addresses"].append({"ip-address": str(iface.ip), "ip-address-type": key,
                                        "prefix": str(iface.network.prefixlen)})
        out.append(eth)
        return out

    def pools_list(self, poolid=None, mtype=None):
        if poolid is None:
            return [self._pool_head(p) for p in sorted(self.pools)]
        if poolid not in self.pools:
            raise NotFound("pool '%s' does not exist" % poolid)
        members = []
        for guest in self.guests.values():
            if guest.pool == poolid and mtype in (None, guest.type):
                status, _live = self.guest_live(guest)
                members.append({"id": "%s/%d" % (guest.type, guest.vmid), "node": guest.node, "type": guest.type,
                                "vmid": guest.vmid, "name": guest.name, "status": status,
                                "template": 1 if guest.template else 0})
        head = self._pool_head(poolid)
        head["members"] = members
        return [head]

    def _pool_head(self, poolid):
        pool = self.pools[poolid]
        head = {"poolid": poolid}
        if pool.get("comment"):
            head["comment"] = pool["comment"]
        return head
