"""Generator determinism and large-cluster serving speed."""
from __future__ import annotations

import time

from pvesim import Simulator, generate

from ansible_collections.pve.cluster.tests.unit.pvesim._simclient import Client


def test_same_seed_same_bytes():
    first = generate(nodes=5, guests=500, tasks=2000, seed=42).to_json()
    assert first == generate(nodes=5, guests=500, tasks=2000, seed=42).to_json()
    assert first != generate(nodes=5, guests=500, tasks=2000, seed=43).to_json()


def test_same_seed_same_responses():
    bodies = []
    for _round in range(2):
        with Simulator(scenario=generate(nodes=3, guests=200, tasks=500, seed=5, now=1767225600), tls=False) as sim:
            client = Client(sim)
            bodies.append([client.get(p).content for p in ("/cluster/resources", "/nodes", "/nodes/pve01/tasks")])
    assert bodies[0] == bodies[1]


def test_offline_and_agent_fail_ratio():
    scen = generate(nodes=4, guests=400, tasks=0, seed=2, offline_nodes=1, agent_fail_ratio=1.0)
    assert [n.online for n in scen.nodes] == [True, True, True, False]
    assert all(g.agent_state == "not-running" for g in scen.guests if g.agent)


def test_10k_guest_cluster_resources_is_fast():
    started = time.perf_counter()
    scen = generate(nodes=50, guests=10000, tasks=100000, seed=1)
    built = time.perf_counter() - started
    with Simulator(scenario=scen) as sim:
        client = Client(sim)
        timings = []
        for _round in range(3):
            started = time.perf_counter()
            rows = client.data("/cluster/resources")
            timings.append(time.perf_counter() - started)
        guests = [r for r in rows if r["type"] in ("qemu", "lxc")]
        print("\ngenerate(50 nodes, 10,000 guests, 100,000 tasks): %.2fs; /cluster/resources first %.3fs, then %.3fs"
              % (built, timings[0], min(timings[1:])))
        assert len(guests) == 10000
        assert min(timings) < 2.0
