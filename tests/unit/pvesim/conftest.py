"""Fixtures for the pvesim tests: a running demo simulator and a small HTTP client."""
from __future__ import annotations

import os
import sys

import pytest

TESTS_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if TESTS_DIR not in sys.path:
    sys.path.insert(0, TESTS_DIR)

from pvesim import Simulator  # noqa: E402  pylint: disable=wrong-import-position
from ansible_collections.pve.cluster.tests.unit.pvesim._simclient import Client  # noqa: E402  pylint: disable=wrong-import-position


@pytest.fixture(scope="session", name="demo_sim")
def fixture_demo_sim():
    with Simulator(scenario="demo") as sim:
        yield sim


@pytest.fixture(name="sim")
def fixture_sim(demo_sim):
    demo_sim.clear_faults()
    demo_sim.clear_requests()
    yield demo_sim
    demo_sim.clear_faults()


@pytest.fixture(name="client")
def fixture_client(sim):
    return Client(sim)
