"""Fixtures for the pvesim tests: a running demo simulator and a small HTTP client."""
from __future__ import annotations

import os
import sys

import pytest

TESTS_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if TESTS_DIR not in sys.path:
    sys.path.insert(0, TESTS_DIR)

from pvesim import Simulator  # noqa: E402  pylint: disable=wrong-import-position
from pvesim.contract import offline_demo  # noqa: E402  pylint: disable=wrong-import-position
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


PROFILE_NAMES = ("pve7", "pve8.1", "pve8", "pve9")


@pytest.fixture(scope="session", name="profile_sim", params=PROFILE_NAMES)
def fixture_profile_sim(request):
    """The demo cluster as each PVE profile serves it (pve3 down for 10 minutes), 401 delay off for speed."""
    with Simulator(scenario=offline_demo(600), profile=request.param, auth_delay=0) as sim:
        yield sim


@pytest.fixture(name="pclient")
def fixture_pclient(profile_sim):
    profile_sim.clear_faults()
    profile_sim.clear_requests()
    return Client(profile_sim)
