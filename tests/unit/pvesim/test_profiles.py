"""The version profiles and offline-node states of the simulator, as the PVE sources describe them."""
from __future__ import annotations


import pytest

from pvesim import Simulator, load_scenario
from pvesim.contract import offline_demo
from pvesim.profiles import PROFILES, get_profile

from ansible_collections.pve.cluster.tests.unit.pvesim._simclient import Client


def _rows(client, **params):
    return {r["id"]: r for r in client.data("/cluster/resources", params=params or None)}


def test_unknown_profile_is_refused():
    with pytest.raises(ValueError, match="pve7, pve8, pve8.1, pve9"):
        get_profile("pve6")


def test_version_and_pveversion_follow_the_profile(pclient):
    profile = pclient.sim.profile
    assert pclient.data("/version") == profile["version"]
    assert pclient.data("/nodes/pve1/status")["pveversion"] == profile["pveversion"]


def test_offline_node_after_the_rrd_window(pclient):
    """extract_vm_stats without an RRD entry: no name, template or figures; config keys stay."""
    rows = _rows(pclient)
    assert rows["qemu/129"] == {"id": "qemu/129", "node": "pve3", "status": "unknown", "type": "qemu", "vmid": 129,
                                "pool": "prod", "hastate": "error", "tags": "prod;db"}
    assert rows["node/pve3"] == {"id": "node/pve3", "node": "pve3", "type": "node", "status": "offline",
                                 "cgroup-mode": 2}
    assert rows["storage/pve3/local"]["status"] == "unknown" and "disk" not in rows["storage/pve3/local"]


@pytest.mark.parametrize("profile", ["pve7", "pve9"])
def test_offline_node_inside_the_rrd_window(profile):
    """For up to 5 minutes the last RRD entry is used: a dead node's guests still say running."""
    with Simulator(scenario=offline_demo(120), profile=profile, tls=False, auth_delay=0) as sim:
        rows = _rows(Client(sim))
    guest = rows["qemu/128"]
    assert guest["status"] == "running" and guest["name"] == "web04" and guest["template"] == 0
    assert rows["node/pve3"]["status"] == "offline" and "maxmem" in rows["node/pve3"] and "mem" not in rows["node/pve3"]
    assert rows["storage/pve3/local"]["status"] == "available"


def test_sdn_rows_per_version(pclient):
    """What a type filter gives (the rows per version: test_pve_cluster_info_versions.test_sdn_zones_on_every_version)."""
    sdn = pclient.data("/cluster/resources", params={"type": "sdn"})
    kinds = {r["type"] for r in pclient.data("/cluster/resources")} & {"sdn", "network"}
    assert kinds == {pclient.sim.router.cluster.sdn_row_type()}   # what settings.json gives the targets as sdn_rows
    if pclient.sim.profile["name"] == "pve9":   # pve-manager >= 9.0.12: network rows, listed only without a type filter
        assert sdn == [] and pclient.get("/cluster/resources", params={"type": "network"}).status_code == 400
    else:
        assert {r["id"] for r in sdn} == {"sdn/pve1/localnetwork", "sdn/pve2/localnetwork", "sdn/pve3/localnetwork"}


def test_error_body_message_per_version(pclient):
    """pve-http-server 5.2.0 (9a2112e) added `message`; before it the text is only in the reason phrase."""
    resp = pclient.get("/nodes/pve1/qemu/999/config")
    assert resp.status_code == 500 and "does not exist" in resp.reason
    assert ("message" in resp.json()) == pclient.sim.profile["error_message"]
    assert resp.headers["Connection"] == "close"


def test_log_limit0_before_pve_common_7_3():
    scenario = load_scenario("demo")
    scenario.profile_overrides = {"log_limit0_whole": False}
    with Simulator(scenario=scenario, profile="pve7", tls=False, auth_delay=0) as sim:
        client = Client(sim)
        upid = client.data("/nodes/pve1/tasks")[0]["upid"]
        body = client.get("/nodes/pve1/tasks/%s/log" % upid, params={"limit": 0}).json()
    assert body["data"] == [] and body["total"] > 0


def test_a_named_profile_delays_a_401_by_three_seconds():
    """AnyEvent.pm "always delay unauthorized calls by 3 seconds"; the delay applied: test_client_profiles."""
    assert Simulator(scenario="standalone", profile="pve8").auth_delay == 3.0
    assert Simulator(scenario="standalone").auth_delay == 0.0   # the unnamed simulator's test-speed shortcut


def test_every_profile_is_complete():
    keys = set(PROFILES["pve9"])
    assert all(set(profile) == keys for profile in PROFILES.values())
