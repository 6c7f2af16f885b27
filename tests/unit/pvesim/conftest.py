"""Fixtures for the pvesim tests: a running demo simulator and a small HTTP client."""
from __future__ import annotations

import os
import sys

import pytest
import requests

TESTS_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if TESTS_DIR not in sys.path:
    sys.path.insert(0, TESTS_DIR)

from pvesim import Simulator  # noqa: E402  pylint: disable=wrong-import-position


class Client:
    """requests with the simulator's CA passed per call (REQUESTS_CA_BUNDLE would override session.verify)."""

    def __init__(self, simulator, auth="token"):
        self.sim = simulator
        self.session = requests.Session()
        self.session.trust_env = False
        if auth == "token":
            self.session.headers["Authorization"] = "PVEAPIToken=%s=%s" % (simulator.token_id, simulator.token_secret)

    def request(self, method, path, **kwargs):
        kwargs.setdefault("verify", self.sim.ca_path if self.sim.ca_path else False)
        kwargs.setdefault("timeout", 30)
        return self.session.request(method, self.sim.url + "/api2/json" + path, **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def data(self, path, **kwargs):
        resp = self.get(path, **kwargs)
        assert resp.status_code == 200, (path, resp.status_code, resp.reason, resp.text)
        return resp.json()["data"]


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
