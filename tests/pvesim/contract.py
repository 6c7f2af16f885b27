"""The answers the contract suite checks against the schema (tests/unit/pvesim/test_contract_schema.py), and what
schema.json keeps of each `returns`: the optional properties no such answer carries would check nothing."""
from __future__ import annotations

import json
import urllib.parse

from .auth import Identity
from .cluster import Cluster
from .profiles import PROFILES
from .routes import ApiError, Router
from .scenario import load_scenario

# (schema template, request path) of every GET the suite checks, on the demo scenario with pve3 down for 10 minutes
CALLS = [
    ("/version", "/version"),
    ("/nodes", "/nodes"),
    ("/cluster/status", "/cluster/status"),
    ("/cluster/resources", "/cluster/resources"),
    ("/cluster/resources", "/cluster/resources?type=vm"),
    ("/cluster/resources", "/cluster/resources?type=storage"),
    ("/cluster/resources", "/cluster/resources?type=node"),
    ("/cluster/resources", "/cluster/resources?type=sdn"),
    ("/nodes/{node}/status", "/nodes/pve1/status"),
    ("/nodes/{node}/tasks", "/nodes/pve1/tasks?source=all"),
    ("/nodes/{node}/network", "/nodes/pve1/network"),
    ("/nodes/{node}/qemu", "/nodes/pve1/qemu"),
    ("/nodes/{node}/qemu", "/nodes/pve2/qemu"),
    ("/nodes/{node}/lxc", "/nodes/pve1/lxc"),
    ("/nodes/{node}/qemu/{vmid}/config", "/nodes/pve1/qemu/100/config"),
    ("/nodes/{node}/qemu/{vmid}/config", "/nodes/pve1/qemu/9000/config"),
    ("/nodes/{node}/qemu/{vmid}/config", "/nodes/pve1/qemu/111/config"),
    ("/nodes/{node}/qemu/{vmid}/config", "/nodes/pve2/qemu/119/config"),
    ("/nodes/{node}/qemu/{vmid}/config", "/nodes/pve2/qemu/119/config?current=1"),
    ("/nodes/{node}/lxc/{vmid}/config", "/nodes/pve1/lxc/103/config"),
    ("/nodes/{node}/lxc/{vmid}/config", "/nodes/pve1/lxc/112/config"),
    ("/nodes/{node}/qemu/{vmid}/agent/network-get-interfaces", "/nodes/pve1/qemu/100/agent/network-get-interfaces"),
    ("/nodes/{node}/lxc/{vmid}/interfaces", "/nodes/pve1/lxc/103/interfaces"),
    ("/pools", "/pools"),
    ("/pools", "/pools?poolid=prod/web"),
]
TASK_CALLS = ("/nodes/{node}/tasks/{upid}/status", "/nodes/{node}/tasks/{upid}/log")


def offline_demo(down_for):
    """The demo scenario with pve3 down for `down_for` seconds (<= 300: inside the RRD window)."""
    scenario = load_scenario("demo")
    for node in scenario.nodes:
        if not node.online:
            node.down_for = down_for
    return scenario


def answers(schema):
    """(profile, template, path, data) of every call of CALLS and of each task's status and log, on every profile;
    data is the ApiError of an endpoint that release does not have."""
    for profile in PROFILES:
        router = Router(Cluster(offline_demo(600), profile=profile), schema)

        def get(path, router=router):
            split = urllib.parse.urlsplit(path)
            query = dict(urllib.parse.parse_qsl(split.query))
            try:
                return json.loads(router.dispatch("GET", split.path, query, Identity("token", "root@pam", "ansible")))["data"]
            except ApiError as err:
                return err
        for template, path in CALLS:
            yield profile, template, path, get(path)
        for row in get("/nodes/pve1/tasks?source=all"):
            for template in TASK_CALLS:
                path = template.replace("{node}", "pve1").replace("{upid}", urllib.parse.quote(row["upid"]))
                yield profile, template, path, get(path)


def answer_keys(spec, value, where, out):
    """Add (where, key, whether spec lists it) to out for every key of value's objects that spec describes."""
    if isinstance(value, list) and isinstance(spec.get("items"), dict):
        for item in value:
            answer_keys(spec["items"], item, where + "[]", out)
    elif isinstance(value, dict) and "properties" in spec:
        for key, sub in value.items():
            out.add((where, key, key in spec["properties"]))
            if key in spec["properties"]:
                answer_keys(spec["properties"][key], sub, "%s.%s" % (where, key), out)


def keep_answered(spec, seen, where):
    """spec without the optional properties that no answer carries (seen: answer_keys of every answer)."""
    out = dict(spec)
    if isinstance(spec.get("items"), dict):
        out["items"] = keep_answered(spec["items"], seen, where + "[]")
    if "properties" in spec:
        out["properties"] = {key: keep_answered(sub, seen, "%s.%s" % (where, key))
                             for key, sub in spec["properties"].items()
                             if not sub.get("optional") or (where, key, True) in seen}
    return out
