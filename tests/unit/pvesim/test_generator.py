"""Generator determinism (large clusters are served in make bench: benchmarks/benchlib/inventory_bench.py)."""
from __future__ import annotations

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
