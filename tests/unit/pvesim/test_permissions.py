"""The simulator's permission model: ACL paths, roles, pool-inherited roles and PVE's 403 texts. (Each scoped
token's 403 on /cluster/status and /nodes/{node}/status: tests/unit/plugins/modules/test_least_privilege.py.)"""
from __future__ import annotations

from pvesim.auth import SCOPED_TOKENS, scoped_secret
from pvesim.permissions import Acl

from ansible_collections.pve.cluster.tests.unit.pvesim._simclient import Client


def _get(sim, path, kind):
    return Client(sim, (SCOPED_TOKENS[kind][0], scoped_secret(kind))).get(path)


def _pool_vmids(sim, pool):
    return sorted(g.vmid for g in sim.router.cluster.guests.values() if g.pool == pool)


def test_acl_pool_roles_reach_members_only():
    acl = Acl.auditor_on(["/pool/prod"])
    pools = {100: "prod/web", 101: "prod", 102: "dev"}.get
    assert "VM.Audit" in acl.privs("/vms/101", pools)
    assert "VM.Audit" in acl.privs("/vms/100", pools)     # nested pool: /pool/prod propagates to /pool/prod/web
    assert acl.privs("/vms/102", pools) == frozenset()
    assert acl.privs("/vms/101") == frozenset()            # without pool membership nothing


def test_resources_pool_token_sees_the_pool_guests_and_bare_nodes(sim):
    rows = _get(sim, "/cluster/resources", "pool").json()["data"]
    guests = sorted(r["vmid"] for r in rows if r["type"] in ("qemu", "lxc"))
    assert guests == _pool_vmids(sim, "dev") and guests
    assert all(r["pool"] == "dev" for r in rows if r["type"] in ("qemu", "lxc"))
    assert [r["pool"] for r in rows if r["type"] == "pool"] == ["dev"]
    nodes = [r for r in rows if r["type"] == "node"]
    assert sorted(n["node"] for n in nodes) == ["pve1", "pve2", "pve3"]
    assert not any(k in n for n in nodes for k in ("cpu", "mem", "maxmem", "uptime"))   # extract_node_stats(exclude)
    assert not [r for r in rows if r["type"] in ("storage", "sdn", "network")]


def test_resources_root_auditor_sees_what_root_sees(sim):
    assert _get(sim, "/cluster/resources", "root").json()["data"] == Client(sim).data("/cluster/resources")


def test_no_privilege_token_sees_only_bare_nodes(sim):
    rows = _get(sim, "/cluster/resources", "none").json()["data"]
    assert {r["type"] for r in rows} == {"node"}
    assert _get(sim, "/nodes/pve1/qemu", "none").json()["data"] == []
    assert _get(sim, "/pools", "none").json()["data"] == []
    resp = _get(sim, "/nodes/pve1/qemu/104/config", "none")
    assert (resp.status_code, resp.reason) == (403, "Permission check failed (/vms/104, VM.Audit)")


def test_guest_lists_config_and_agent_follow_vm_audit(sim):
    listed = sorted(r["vmid"] for r in _get(sim, "/nodes/pve1/qemu", "pool").json()["data"])
    assert listed == sorted(g.vmid for g in sim.router.cluster.guests.values()
                            if g.pool == "dev" and g.node == "pve1" and g.type == "qemu")
    assert _get(sim, "/nodes/pve1/qemu/104/config", "pool").status_code == 200
    resp = _get(sim, "/nodes/pve1/qemu/100/agent/network-get-interfaces", "pool")
    assert resp.reason == "Permission check failed (/vms/100, VM.GuestAgent.Audit|VM.GuestAgent.Unrestricted)"


def test_tasks_without_sys_audit_only_own(sim):
    assert _get(sim, "/nodes/pve1/tasks", "pool").json()["data"] == []
    rows = _get(sim, "/nodes/pve1/tasks", "root").json()["data"]
    assert rows
    resp = _get(sim, "/nodes/pve1/tasks/%s/status" % rows[0]["upid"], "pool")
    assert (resp.status_code, resp.reason) == (403, "Permission check failed (/nodes/pve1, Sys.Audit)")


def test_network_bridges_need_sdn_audit(sim):
    mine = _get(sim, "/nodes/pve1/network", "pool").json()["data"]
    assert mine and not [i for i in mine if i["type"] == "bridge"]
    assert [i for i in _get(sim, "/nodes/pve1/network", "root").json()["data"] if i["type"] == "bridge"]
