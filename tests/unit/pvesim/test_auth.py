"""Authentication like pveproxy: tokens, tickets, 401/403 shapes. (Realm users' tokens and logins, and the
second-factor refusal: integration token_matrix.)"""
from __future__ import annotations

import pytest

from pvesim.auth import AUDITOR_TOKEN_ID, AUDITOR_TOKEN_SECRET

from ansible_collections.pve.cluster.tests.unit.pvesim._simclient import Client


def _login(sim, username=None, password=None):
    return Client(sim, None).request("POST", "/access/ticket",
                                     data={"username": username or sim.user, "password": password or sim.password})


def test_no_auth_is_401_no_ticket_empty_body(sim):
    resp = Client(sim, None).get("/version")
    assert (resp.status_code, resp.reason, resp.content) == (401, "No ticket", b"")


def test_bad_token_is_401_authentication_failed(sim):
    resp = Client(sim, (sim.token_id, "wrong")).get("/version")
    assert (resp.status_code, resp.reason, resp.content) == (401, "Authentication failed!", b"")
    assert sim.requests[-1]["auth"] == "token" and sim.requests[-1]["auth_ok"] is False
    assert "wrong" not in repr(sim.requests)


def test_login_ticket_cookie(sim):
    resp = _login(sim)
    assert resp.status_code == 200
    data = resp.json()["data"]
    assert data["ticket"].startswith("PVE:root@pam:") and "::" in data["ticket"]
    assert data["username"] == "root@pam" and data["clustername"] == "demo" and "cap" in data
    assert len(data["CSRFPreventionToken"].split(":")[0]) == 8
    assert Client(sim, None).get("/version", cookies={"PVEAuthCookie": data["ticket"]}).status_code == 200
    assert sim.requests[-1]["auth"] == "ticket"
    assert sim.password not in repr(sim.requests)


def test_readonly_token_gets_403(sim):
    auditor = Client(sim, (AUDITOR_TOKEN_ID, AUDITOR_TOKEN_SECRET))
    resp = auditor.get("/cluster/status")
    assert resp.status_code == 403
    assert resp.json()["message"] == "Permission check failed (/, Sys.Audit)\n"
    assert auditor.get("/cluster/resources").status_code == 200


@pytest.mark.parametrize("username, password", [("root@pam", "nope"), ("jane@corp.example@nosuchrealm", "anything"),
                                                ("jane@corp.example", "anything")])
def test_a_wrong_password_an_unknown_realm_and_no_realm_are_refused(sim, username, password):
    resp = _login(sim, username=username, password=password)
    assert (resp.status_code, resp.json()) == (401, {"data": None, "message": "authentication failure\n"})
