"""A small HTTP client for the pvesim tests (requests with the simulator's CA passed per call)."""
from __future__ import annotations

import requests


class Client:
    """requests with the simulator's CA passed per call (REQUESTS_CA_BUNDLE would override session.verify).
    token: (token id, secret), the simulator's own by default; None: no Authorization header."""

    def __init__(self, simulator, token=(None, None)):
        self.sim = simulator
        self.session = requests.Session()
        self.session.trust_env = False
        if token is not None:
            token_id, secret = token if token[0] else (simulator.token_id, simulator.token_secret)
            self.session.headers["Authorization"] = "PVEAPIToken=%s=%s" % (token_id, secret)

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
