"""Offline nodes, /cluster/resources shapes, standalone. (GET /cluster/nextid: test_vmid_race.py.)"""
from __future__ import annotations

from pvesim import Simulator

from ansible_collections.pve.cluster.tests.unit.pvesim._simclient import Client


def test_offline_node(client):
    resp = client.get("/nodes/pve3/status")
    assert resp.status_code == 595
    assert resp.reason == "Errors during connection establishment, proxy handshake: No route to host"
    assert resp.content == b""
    assert client.get("/nodes/pve3/tasks").status_code == 595
    nodes = {n["node"]: n for n in client.data("/nodes")}
    assert nodes["pve3"]["status"] == "offline" and "cpu" not in nodes["pve3"]
    status = {r["name"]: r for r in client.data("/cluster/status")}
    assert status["pve3"]["online"] == 0 and status["demo"]["quorate"] == 1
    rows = client.data("/cluster/resources")
    assert {r["status"] for r in rows if r.get("node") == "pve3" and r["type"] in ("qemu", "lxc")} == {"unknown"}
    assert [r for r in rows if r["id"] == "node/pve3"][0]["status"] == "offline"


def test_resources_shapes(client):
    rows = client.data("/cluster/resources")
    by_id = {r["id"]: r for r in rows}
    assert by_id["qemu/100"]["tags"] == "prod;web" and by_id["qemu/100"]["pool"] == "prod/web"
    assert by_id["qemu/100"]["hastate"] == "started"
    assert "tags" not in by_id["qemu/107"] and "pool" not in by_id["qemu/107"] and "lock" not in by_id["qemu/107"]
    assert by_id["qemu/105"]["lock"] == "backup"
    assert by_id["qemu/9000"]["template"] == 1 and by_id["qemu/100"]["template"] == 0
    assert by_id["/pool/prod/web"]["type"] == "pool"
    assert by_id["storage/pve1/local"]["shared"] == 0
    assert by_id["sdn/pve1/localnetwork"]["status"] == "ok"
    assert {r["type"] for r in client.data("/cluster/resources", params={"type": "vm"})} == {"qemu", "lxc"}
    assert {r["type"] for r in client.data("/cluster/resources", params={"type": "node"})} == {"node"}


def test_standalone():
    with Simulator(scenario="standalone", tls=False) as sim:
        rows = Client(sim).data("/cluster/status")
        assert len(rows) == 1 and rows[0]["type"] == "node" and rows[0]["nodeid"] == 0 and rows[0]["local"] == 1
