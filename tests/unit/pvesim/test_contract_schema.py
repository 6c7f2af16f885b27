"""Every GET endpoint of the simulator checked against the schema's `returns`."""
from __future__ import annotations

import pytest
import requests

from pvesim import schema_check

SCHEMA = schema_check.load_schema()

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
    ("/nodes/{node}/lxc/{vmid}/config", "/nodes/pve1/lxc/103/config"),
    ("/nodes/{node}/qemu/{vmid}/agent/network-get-interfaces", "/nodes/pve1/qemu/100/agent/network-get-interfaces"),
    ("/nodes/{node}/lxc/{vmid}/interfaces", "/nodes/pve1/lxc/103/interfaces"),
    ("/pools", "/pools"),
    ("/pools", "/pools?poolid=prod/web"),
    ("/access/permissions", "/access/permissions"),
]


@pytest.mark.parametrize("template,path", CALLS)
def test_returns_match_schema(client, template, path):
    data = client.data(path)
    problems = schema_check.check_returns(SCHEMA[template]["GET"]["returns"], data)
    assert not problems, problems[:10]


def test_nextid_is_a_string_like_real_pve(client):
    assert isinstance(client.data("/cluster/nextid"), str)


def test_task_status_and_log_match_schema(client):
    rows = client.data("/nodes/pve1/tasks", params={"source": "all"})
    for row in rows:
        upid = row["upid"]
        status = client.data("/nodes/pve1/tasks/%s/status" % upid)
        assert not schema_check.check_returns(SCHEMA["/nodes/{node}/tasks/{upid}/status"]["GET"]["returns"], status)
        log = client.data("/nodes/pve1/tasks/%s/log" % upid)
        assert not schema_check.check_returns(SCHEMA["/nodes/{node}/tasks/{upid}/log"]["GET"]["returns"], log)


def test_resource_rows_use_only_schema_keys(client):
    props = SCHEMA["/cluster/resources"]["GET"]["returns"]["items"]["properties"]
    for row in client.data("/cluster/resources"):
        assert set(row) <= set(props), set(row) - set(props)


def test_ticket_matches_schema(client):
    resp = requests.post(client.sim.url + "/api2/json/access/ticket", verify=client.sim.ca_path, timeout=10,
                         data={"username": client.sim.user, "password": client.sim.password})
    assert resp.status_code == 200
    data = resp.json()["data"]
    assert not schema_check.check_returns(SCHEMA["/access/ticket"]["POST"]["returns"], data)
