"""Fault injection from Python and over the admin API; request log. (The truncate, malformed, html and hang
kinds: integration hostile_server, each asserted through a module; take: integration vmid_race.)"""
from __future__ import annotations

import http.client
import json
import socket
import threading
import time

import pytest
import requests


@pytest.mark.parametrize("status", [401, 403, 500, 503, 595])
def test_status_kinds(sim, client, status):
    sim.add_fault(path=r"^/version$", status=status, times=1)
    resp = client.get("/version")
    assert resp.status_code == status
    if status in (401, 595):
        assert resp.content == b""
    else:
        assert resp.json()["data"] is None
    assert client.get("/version").status_code == 200


def test_hang_does_not_block_shutdown():
    from pvesim import Simulator  # pylint: disable=import-outside-toplevel
    sim = Simulator(scenario="standalone", tls=False).start()
    sim.add_fault(kind="hang")
    conn = socket.create_connection((sim.host, sim.port))
    conn.sendall(b"GET /api2/json/version HTTP/1.1\r\nHost: x\r\n\r\n")
    time.sleep(0.2)
    stopper = threading.Thread(target=sim.stop)
    stopper.start()
    stopper.join(5)
    assert not stopper.is_alive()
    conn.close()


def test_admin_api(sim, client):
    url = sim.url + "/_sim/faults"
    resp = requests.post(url, json={"path": "^/version$", "status": 503, "times": 1}, verify=sim.ca_path, timeout=5)
    assert resp.status_code == 200
    assert client.get("/version").status_code == 503
    requests.post(url, json={"path": "^/version$", "status": 502}, verify=sim.ca_path, timeout=5)
    requests.delete(url, verify=sim.ca_path, timeout=5)
    assert client.get("/version").status_code == 200
    log = requests.get(sim.url + "/_sim/requests", verify=sim.ca_path, timeout=5).json()["data"]
    assert [e["status"] for e in log] == [503, 200]
    assert log[0]["auth"] == "token" and log[0]["path"] == "/version" and log[0]["fault"] == "status"
    assert sim.token_secret not in json.dumps(log)
    requests.delete(sim.url + "/_sim/requests", verify=sim.ca_path, timeout=5)
    assert not sim.requests


def test_global_latency(monkeypatch):
    """What the simulator decided (one wait of the configured latency before answering), not how long it took."""
    from pvesim import Simulator, server  # pylint: disable=import-outside-toplevel
    waits = []
    monkeypatch.setattr(server.time, "sleep", waits.append)
    with Simulator(scenario="standalone", tls=False, latency=0.2) as sim:
        conn = http.client.HTTPConnection(sim.host, sim.port, timeout=5)
        conn.request("GET", "/api2/json/version")
        assert conn.getresponse().status == 401
    assert waits == [0.2]
