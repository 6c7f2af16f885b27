"""Generator determinism (large clusters are served in make bench: benchmarks/benchlib/inventory.py)."""
from __future__ import annotations

from pvesim import Simulator, generate

from ansible_collections.pve.cluster.tests.unit.pvesim._simclient import Client


def test_same_seed_same_responses_another_seed_others():
    bodies = []
    for seed in (5, 5, 6):
        with Simulator(scenario=generate(nodes=3, guests=200, tasks=500, seed=seed, now=1767225600), tls=False) as sim:
            client = Client(sim)
            bodies.append([client.get(p).content for p in ("/cluster/resources", "/nodes", "/nodes/pve01/tasks")])
    assert bodies[0] == bodies[1] and bodies[0][0] != bodies[2][0]
