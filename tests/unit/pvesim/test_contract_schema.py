"""Every GET endpoint of each PVE profile (tests/pvesim/contract.py: CALLS, and each task's status and log)
checked against the schema's `returns` (PVE 9.1's schema).

Where an older release answers differently, DIFFERENCES names it and the test checks that release's form
instead (the sources are in tests/pvesim/README.md, "Version profiles").
"""
from __future__ import annotations

import json

import pytest

from pvesim import contract, schema_check
from pvesim.routes import ApiError

from ansible_collections.pve.cluster.tests.unit.pvesim._simclient import Client

SCHEMA = schema_check.load_schema()
ANSWERS = list(contract.answers(SCHEMA))   # (profile, template, path, data), in-process: no server needed


# (profile, path) -> (how that release differs from the 9.1 schema, the schema problems that difference gives)
_NO_AVAILABLE = ("PVE 9.0 added memory.available", {"data.memory: missing available"})
_OLD_LXC_VMID = ("vmid is a string before pve-container 81aa4bd (PVE 8.2)", None)
_INET_ONLY = ("pve-container 5.0.6-5.2.5: rows are {name, hwaddr, inet, inet6}",
              {"data[%d]: missing %s" % (i, k) for i in (0, 1) for k in ("hardware-address", "ip-addresses")})


def _memory_int(mib):
    return ("memory is an integer before qemu-server 8.0.8 (7f8c8087, the memory property string)",
            {"data.memory: expected string, got %d" % mib})


DIFFERENCES = {
    ("pve7", "/nodes/pve1/qemu/100/config"): _memory_int(512),
    ("pve7", "/nodes/pve1/qemu/111/config"): _memory_int(4096),
    ("pve7", "/nodes/pve2/qemu/119/config"): _memory_int(4096),
    ("pve7", "/nodes/pve2/qemu/119/config?current=1"): _memory_int(4096),
    ("pve7", "/nodes/pve1/qemu/9000/config"): _memory_int(2048),
    ("pve7", "/nodes/pve1/lxc/103/interfaces"): ("501: no such endpoint before pve-container 5.0.6 (PVE 8.1)", None),
    ("pve7", "/nodes/pve1/lxc"): _OLD_LXC_VMID,
    ("pve8.1", "/nodes/pve1/lxc"): _OLD_LXC_VMID,
    ("pve8.1", "/nodes/pve1/lxc/103/interfaces"): _INET_ONLY,
    ("pve7", "/nodes/pve1/status"): ("PVE 8.0 added current-kernel and boot-info", _NO_AVAILABLE[1] | {
        "data: missing boot-info", "data: missing current-kernel"}),
    ("pve8.1", "/nodes/pve1/status"): _NO_AVAILABLE,
    ("pve8", "/nodes/pve1/status"): _NO_AVAILABLE,
}


@pytest.mark.parametrize("profile,template,path,data", ANSWERS,
                         ids=["%s %s" % (profile, template if "{upid}" in template else path)
                              for profile, template, path, _data in ANSWERS])
def test_returns_match_schema(profile, template, path, data):
    reason, expected = DIFFERENCES.get((profile, path), (None, set()))
    if reason and reason.startswith("501"):
        assert isinstance(data, ApiError) and data.status == 501 and "not implemented" in data.message
        return
    problems = schema_check.check_returns(SCHEMA[template]["GET"]["returns"], data)
    if expected is None:  # the vmid type
        assert problems and all("vmid" in p for p in problems), problems[:10]
        assert all(isinstance(row["vmid"], str) for row in data)
        return
    assert set(problems) == expected, (reason, problems[:10])


# Keys the simulator sends, as PVE does, that PVE's schema does not list (indexed families such as net0, fields
# PVE sends without documenting them), where in the answer
NOT_IN_SCHEMA = {
    "/nodes[]": {"disk", "id", "maxdisk", "type"},
    "/nodes/{node}/status": {"idle", "ksm", "kversion", "swap", "uptime", "wait"},
    "/nodes/{node}/status.cpuinfo": {"flags", "hvm", "mhz", "user_hz"},
    "/nodes/{node}/tasks[]": {"saved", "tokenid"},
    "/nodes/{node}/tasks/{upid}/status": {"tokenid"},
    "/nodes/{node}/network[]": {"bridge_fd", "bridge_stp"},
    "/nodes/{node}/qemu[]": {"disk"},
    "/nodes/{node}/lxc[]": {"type"},
    "/nodes/{node}/qemu/{vmid}/config": {"ide2", "ipconfig0", "net0", "scsi0"},
    "/nodes/{node}/lxc/{vmid}/config": {"net0"},
    "/pools[].members[]": {"name", "status", "template"},
}


def test_schema_json_lists_every_key_the_answers_carry():
    """schema.json keeps, of the optional properties, those these answers carry (tests/pvesim/contract.py): a key
    the simulator starts to send fails here until schema.json is made again (README), or is listed above."""
    seen = set()
    for _profile, template, _path, data in ANSWERS:
        contract.answer_keys(SCHEMA[template]["GET"]["returns"], data, template, seen)
    unlisted = {(where, key) for where, key, listed in seen if not listed}
    assert unlisted == {(where, key) for where, keys in NOT_IN_SCHEMA.items() for key in keys}


def test_ticket_matches_schema(sim):
    resp = Client(sim, None).request("POST", "/access/ticket", data={"username": sim.user, "password": sim.password})
    assert resp.status_code == 200
    data = resp.json()["data"]
    assert not schema_check.check_returns(SCHEMA["/access/ticket"]["POST"]["returns"], data)


def test_extract_keeps_only_the_keywords_read():
    """schema.json is made by extract(): documentation, property-string formats, indexed key families (net[n]) and
    unread create parameters go."""
    create = {"description": "Create a VM.", "permissions": {"user": "all"}, "returns": {"type": "string", "title": "UPID"},
              "parameters": {"additionalProperties": 0, "properties": {
                  "vmid": {"type": "integer", "minimum": 100, "format": "pve-vmid", "description": "The id."},
                  "cores": {"type": "integer", "optional": 1}}}}
    listing = {"parameters": {"properties": {"node": {"type": "string", "typetext": "<string>"}}}, "returns": {
        "type": "array", "items": {"type": "object", "properties": {"net0": {"type": "string", "optional": 1,
                                                                             "format": {"model": {"type": "string"}}},
                                                                    "net[n]": {"type": "string", "optional": 1}}}}}
    tree = [{"path": "/nodes", "info": {}, "children": [
        {"path": "/nodes/{node}/qemu", "info": {"POST": create, "GET": listing}}]}]
    schema = schema_check.extract("const apiSchema = %s;\n" % json.dumps(tree),
                                  [("/nodes/{node}/qemu", "GET"), ("/nodes/{node}/qemu", "POST")], "c0ffee")
    assert schema["/nodes/{node}/qemu"] == {
        "POST": {"parameters": {"additionalProperties": 0, "properties": {
            "vmid": {"type": "integer", "minimum": 100, "format": "pve-vmid"}}}, "returns": {"type": "string"}},
        "GET": {"parameters": {"properties": {"node": {"type": "string"}}}, "returns": {
            "type": "array", "items": {"type": "object", "properties": {"net0": {"type": "string", "optional": 1}}}}}}
    assert schema["_source"]["commit"] == "c0ffee"
