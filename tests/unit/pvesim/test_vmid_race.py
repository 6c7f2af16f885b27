"""VMIDs taken while the simulator serves: the create endpoint, the next-id range (pve-manager PVE/API2/Cluster.pm
at 14a22df35955). The `take` fault: integration vmid_race; /cluster/options' next-id with and without Sys.Audit:
tests/unit/plugins/modules/test_pve_nextid_search.py (the range pve_nextid reports)."""
from __future__ import annotations

import pytest

from pvesim import Simulator, load_scenario
from ansible_collections.pve.cluster.tests.unit.pvesim._simclient import Client


@pytest.fixture(scope="module", name="race_sim")
def fixture_race_sim():
    scenario = load_scenario("demo")
    scenario.next_id = {"lower": 5000, "upper": 5003}
    with Simulator(scenario=scenario) as sim:
        yield sim


@pytest.fixture(name="rclient")
def fixture_rclient(race_sim):
    yield Client(race_sim)
    race_sim.clear_faults()
    race_sim.router.cluster.drop_added_guests()


def test_nextid_uses_the_next_id_range_but_a_given_vmid_ignores_it(rclient):
    assert rclient.data("/cluster/nextid") == "5000"
    assert rclient.data("/cluster/nextid", params={"vmid": 100000}) == "100000"   # outside next-id: still answered
    taken = rclient.get("/cluster/nextid", params={"vmid": 100})
    assert taken.status_code == 400 and taken.json()["errors"] == {"vmid": "VM 100 already exists"}


def test_create_takes_the_id_and_a_second_create_is_refused_as_pve_does(rclient):
    created = rclient.request("POST", "/nodes/pve1/qemu", data={"vmid": 5000, "name": "web"})
    assert created.status_code == 200 and created.json()["data"].startswith("UPID:pve1:")
    again = rclient.request("POST", "/nodes/pve2/qemu", data={"vmid": 5000})
    assert again.status_code == 500
    assert again.json()["message"] == "unable to create VM 5000 - VM 5000 already exists on node 'pve1'\n"
    assert rclient.data("/cluster/nextid") == "5001"
    rows = rclient.data("/cluster/resources", params={"type": "vm"})
    assert [r["name"] for r in rows if r["vmid"] == 5000] == ["web"]


def test_an_exhausted_next_id_range_is_pve_s_500(rclient, race_sim):
    for vmid in (5000, 5001, 5002):
        race_sim.router.cluster.add_guest(vmid, "pve1")
    resp = rclient.get("/cluster/nextid")
    assert resp.status_code == 500 and resp.json()["message"] == "unable to get any free VMID in range [5000, 5003]\n"
