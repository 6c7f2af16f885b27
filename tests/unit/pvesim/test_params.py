"""Parameter verification against the schema, with PVE's messages."""
from __future__ import annotations

import pytest


def _errors(client, path, **params):
    resp = client.get(path, params=params)
    assert resp.status_code == 400, resp.text
    assert resp.reason == "Parameter verification failed."
    body = resp.json()
    assert body["data"] is None and body["message"] == "Parameter verification failed.\n"
    return body["errors"]


@pytest.mark.parametrize("path,params,param,message", [
    ("/version", {"foo": "1"}, "foo", "property is not defined in schema and the schema does not allow additional properties"),
    ("/nodes/pve1/tasks", {"errors": "true"}, "errors", "type check ('boolean') failed - got 'true'"),
    ("/nodes/pve1/tasks", {"limit": "abc"}, "limit", "type check ('integer') failed - got 'abc'"),
    ("/nodes/pve1/tasks", {"limit": "-1"}, "limit", "value must have a minimum value of 0"),
    ("/nodes/pve1/tasks", {"source": "x"}, "source", "value 'x' does not have a value in the enumeration 'archive, active, all'"),
    ("/cluster/nextid", {"vmid": "99"}, "vmid", "value must have a minimum value of 100"),
    ("/cluster/nextid", {"vmid": "1000000000"}, "vmid", "value must have a maximum value of 999999999"),
    ("/cluster/resources", {"type": "pool"}, "type", "value 'pool' does not have a value in the enumeration 'vm, storage, node, sdn'"),
])
def test_parameter_errors(client, path, params, param, message):
    assert _errors(client, path, **params) == {param: message}


def test_statusfilter_format(client):
    assert "statusfilter" in _errors(client, "/nodes/pve1/tasks", statusfilter="ok,bogus")


def test_unknown_path_is_501(client):
    resp = client.get("/foo")
    assert (resp.status_code, resp.reason) == (501, "Method 'GET /foo' not implemented")
    assert resp.json()["message"] == "Method 'GET /foo' not implemented\n"


def test_unknown_node_is_500(client):
    resp = client.get("/nodes/xyz/status")
    assert resp.status_code == 500
    assert resp.json()["message"].startswith("hostname lookup 'xyz' failed - ")


def test_unknown_guest_is_500(client):
    resp = client.get("/nodes/pve1/qemu/114/config")  # 114 lives on pve2
    assert resp.status_code == 500
    assert resp.json()["message"] == "Configuration file 'nodes/pve1/qemu-server/114.conf' does not exist\n"
    assert client.get("/nodes/pve1/lxc/999/config").json()["message"] == \
        "Configuration file 'nodes/pve1/lxc/999.conf' does not exist\n"


def test_guest_agent_errors(client):
    assert client.get("/nodes/pve1/qemu/111/agent/network-get-interfaces").json()["message"] == "No QEMU guest agent configured\n"
    assert client.get("/nodes/pve1/qemu/9000/agent/network-get-interfaces").json()["message"] == "VM 9000 is not running\n"
    assert client.get("/nodes/pve1/qemu/110/agent/network-get-interfaces").json()["message"] == "QEMU guest agent is not running\n"
    assert client.data("/nodes/pve1/lxc/112/interfaces") is None
    ifaces = client.data("/nodes/pve1/lxc/106/interfaces")
    assert all(isinstance(a["prefix"], str) for i in ifaces for a in i["ip-addresses"])
