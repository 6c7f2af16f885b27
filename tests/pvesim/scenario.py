"""Scenario model: what a simulated cluster contains, and loading it from YAML/JSON files."""
from __future__ import annotations

import dataclasses
import os

import yaml

SCENARIO_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "scenarios")


@dataclasses.dataclass
class Node:
    """A cluster node. Stats left as None get deterministic defaults."""

    name: str
    ip: str = ""
    online: bool = True
    nodeid: int | None = None
    level: str = ""
    cpu: float | None = None
    maxcpu: int | None = None
    mem: int | None = None
    maxmem: int | None = None
    disk: int | None = None
    maxdisk: int | None = None
    uptime: int | None = None
    pveversion: str | None = None
    # offline nodes: seconds since the node went down (<= 300: inside pmxcfs' RRD window, its guests keep
    # their last figures; > 300: their rows lose name, template and figures). None: the simplified
    # pre-profile behaviour (status unknown, names kept). See README "Offline nodes".
    down_for: int | None = None
    # True: the cluster sees the node online but it never answers on port 8006 (pveproxy gives up after
    # the profile's proxy_timeout and answers 595)
    unresponsive: bool = False


@dataclasses.dataclass
class Guest:
    """A qemu VM or lxc container."""

    vmid: int
    name: str
    node: str
    type: str = "qemu"
    status: str = "running"
    tags: list = dataclasses.field(default_factory=list)
    pool: str | None = None
    hastate: str | None = None
    lock: str | None = None
    template: bool = False
    agent: bool = False
    agent_state: str = "ok"          # ok | not-running | unsupported
    ips: list = dataclasses.field(default_factory=list)   # "10.0.0.5/24", "fd00::5/64"
    config: dict | None = None       # raw config keys added to / replacing the generated ones (null removes)
    pending: dict | None = None      # raw pending changes, "delete": "key1,key2" (guest_config.py)
    cpu: float | None = None
    mem: int | None = None
    maxcpu: int | None = None
    maxmem: int | None = None
    disk: int | None = None
    maxdisk: int | None = None
    uptime: int | None = None
    netin: int | None = None
    netout: int | None = None
    diskread: int | None = None
    diskwrite: int | None = None


# A task: (node, age, duration, type, id, user, tokenid, status, pid, pstart, log)
# age: seconds before "now" the task started; duration None = still running (status None too).


@dataclasses.dataclass
class Scenario:
    """A whole simulated cluster (or standalone node)."""

    name: str = "scenario"
    cluster: str | None = None
    config_version: int = 1
    version: dict | None = None          # None: the profile's GET /version
    profile: str | None = None           # pve7 | pve8 | pve8.1 | pve9 (profiles.py); None: pve9, simplified
    profile_overrides: dict = dataclasses.field(default_factory=dict)
    # datacenter.cfg next-id ({lower, upper}, upper exclusive); {}: not set (PVE's defaults 100 and 1000000 apply,
    # and GET /cluster/options reports no next-id)
    next_id: dict = dataclasses.field(default_factory=dict)
    now: int | None = None
    nodes: list = dataclasses.field(default_factory=list)
    guests: list = dataclasses.field(default_factory=list)
    pools: list = dataclasses.field(default_factory=list)
    storage: list = dataclasses.field(default_factory=list)
    tasks: list = dataclasses.field(default_factory=list)
    auth: dict = dataclasses.field(default_factory=dict)


def _task_tuple(raw, index):
    status = raw.get("status", "OK")
    duration = raw.get("duration", 5)
    if status in (None, "running", "RUNNING"):
        status, duration = None, None
    user = raw.get("user", "root@pam")
    tokenid = raw.get("tokenid")
    if "!" in user:
        user, tokenid = user.split("!", 1)
    return (raw["node"], int(raw.get("age", 60 * (index + 1))), duration, raw.get("type", "vzdump"),
            str(raw.get("id", "")), user, tokenid, status, int(raw.get("pid", 4000 + index)),
            int(raw.get("pstart", 100000 + index * 7)), raw.get("log"))


def _fields(cls, raw):
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = set(raw) - names
    if unknown:
        raise ValueError("unknown %s keys: %s" % (cls.__name__, ", ".join(sorted(unknown))))
    return cls(**raw)


def scenario_from_dict(data, name="scenario"):
    """Build a Scenario from the file format (see README of the scenarios directory)."""
    data = dict(data or {})
    nodes = [_fields(Node, dict(n)) for n in data.pop("nodes", [])]
    guests = [_fields(Guest, dict(g)) for g in data.pop("guests", [])]
    tasks = [t if isinstance(t, (list, tuple)) else _task_tuple(t, i) for i, t in enumerate(data.pop("tasks", []))]
    pools = [p if isinstance(p, dict) else {"poolid": p} for p in data.pop("pools", [])]
    scen = Scenario(name=data.pop("name", name), nodes=nodes, guests=guests, tasks=[tuple(t) for t in tasks],
                    pools=pools, **data)
    for index, node in enumerate(scen.nodes):
        if node.nodeid is None:
            node.nodeid = 0 if scen.cluster is None else index + 1
    return scen


def load_scenario(source):
    """source: a Scenario, a dict, the name of a shipped scenario (demo, standalone) or a file path."""
    if isinstance(source, Scenario):
        return source
    if isinstance(source, dict):
        return scenario_from_dict(source)
    path = str(source)
    if not os.path.exists(path):
        for ext in (".yml", ".yaml", ".json"):
            candidate = os.path.join(SCENARIO_DIR, path + ext)
            if os.path.exists(candidate):
                path = candidate
                break
        else:
            raise FileNotFoundError("no such scenario: %s" % source)
    with open(path, encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # YAML reads JSON too; C: 10x
    return scenario_from_dict(data, name=os.path.splitext(os.path.basename(path))[0])
