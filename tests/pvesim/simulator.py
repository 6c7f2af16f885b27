"""The Python API: Simulator(...) as a context manager around the server thread."""
from __future__ import annotations

import os
import shutil
import tempfile
import threading

from . import auth as auth_mod
from .auth import Auth
from .cluster import Cluster
from .faults import FaultSet
from .routes import Router
from .scenario import load_scenario
from .server import RequestLog, SimHTTPServer
from .tls import server_context, write_certificates


class Simulator:  # pylint: disable=too-many-instance-attributes
    """A PVE API simulator on 127.0.0.1.

    scenario: shipped scenario name ("demo", "standalone"), a file path or a Scenario (generator.generate).
    profile: PVE version profile (pve7, pve8, pve8.1, pve9; see profiles.py), overriding the scenario's.
    Named (here or in the scenario), it is faithful, 3 s 401 delay included; without one the simulator
    is PVE 9.1 with test-speed shortcuts (no 401 delay, offline nodes simplified). auth_delay overrides.
    """

    def __init__(self, scenario="demo", tls=True, latency=0.0, state_dir=None, port=0, profile=None,
                 auth_delay=None, moving_metrics=False):
        self.tls = tls
        self.latency = latency
        self.requested_port = port
        self.host = "127.0.0.1"  # loopback only
        self.state_dir = state_dir
        self._own_state_dir = False
        self.scenario = load_scenario(scenario)
        cluster = Cluster(self.scenario, profile=profile)
        cluster.moving_metrics = moving_metrics  # CPU, memory, uptime differ on every read, as on PVE
        self.router = Router(cluster)
        self.profile = cluster.profile
        extra = self.scenario.auth or {}
        faithful = bool(profile or self.scenario.profile)
        self.error_message = self.profile["error_message"]
        self.auth_delay = auth_delay if auth_delay is not None else (3.0 if faithful else 0.0)
        self.user = extra.get("user", auth_mod.DEFAULT_USER)
        self.password = extra.get("password", auth_mod.DEFAULT_PASSWORD)
        self.token_id = extra.get("token_id", auth_mod.DEFAULT_TOKEN_ID)
        self.token_secret = extra.get("token_secret", auth_mod.DEFAULT_TOKEN_SECRET)
        self.auth = Auth(self.user, self.password, self.token_id, self.token_secret, extra)
        self.faults = FaultSet()
        self.log = RequestLog()
        self.stop_event = threading.Event()
        self.ssl_context = None
        self.ca_path = None
        self.port = None
        self._server = None
        self._thread = None

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self):
        if self.state_dir is None:
            self.state_dir = tempfile.mkdtemp(prefix="pvesim-")
            self._own_state_dir = True
        os.makedirs(self.state_dir, exist_ok=True)
        if self.tls:
            paths = write_certificates(self.state_dir)
            self.ssl_context = server_context(paths["cert"], paths["key"])
            self.ca_path = paths["ca"]
        self._server = SimHTTPServer((self.host, self.requested_port), self)
        self.port = self._server.server_address[1]
        # stop() waits for the loop's next poll; the unit suite starts and stops a few hundred simulators
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.01},
                                        name="pvesim", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server is None:
            return
        self.stop_event.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
        self._server = None
        if self._own_state_dir:
            shutil.rmtree(self.state_dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- addresses -----------------------------------------------------------------------------
    @property
    def url(self):
        return "%s://%s:%d" % ("https" if self.tls else "http", self.host, self.port)

    def env(self):
        """Environment variables for the collection (token auth)."""
        out = {"PVE_API_HOST": self.url, "PVE_API_PORT": str(self.port), "PVE_API_USER": self.user,
               "PVE_API_TOKEN_ID": self.token_id, "PVE_API_TOKEN_SECRET": self.token_secret,
               "PVE_VALIDATE_CERTS": "true" if self.ca_path else "false"}
        if self.ca_path:
            out["PVE_CA_PATH"] = self.ca_path
        return out

    # -- faults and log ------------------------------------------------------------------------
    def add_fault(self, path=".*", status=None, times=None, kind="status", **kwargs):
        """Add a fault rule (kinds: see faults.KINDS)."""
        self.faults.add(path=path, status=status, times=times, kind=kind, **kwargs)

    def clear_faults(self):
        self.faults.clear()

    @property
    def requests(self):
        return self.log.entries()

    def clear_requests(self):
        self.log.clear()

    @property
    def connections(self):
        """TCP connections accepted so far (pveproxy closes one after every answer >= 400)."""
        return self._server.connections if self._server is not None else 0

    def request_count(self):
        return len(self.log.entries())
