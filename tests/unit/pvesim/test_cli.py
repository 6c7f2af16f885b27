"""python -m pvesim serve / start / stop."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

import pytest
import requests

from pvesim import Simulator
from pvesim.cli import _wait

TESTS_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ENV = dict(os.environ, PYTHONPATH=TESTS_DIR)


def _pvesim(*args):
    """python -m pvesim ARGS, its output captured as text."""
    return subprocess.run([sys.executable, "-m", "pvesim"] + list(args), env=ENV, capture_output=True, text=True,
                          check=False, timeout=60)


def test_serve_writes_its_state_says_how_to_use_it_and_stops_on_sigterm(tmp_path):
    """DIR/url, env, ca.pem, pid and settings.json (what setup_pvesim needs); on stdout the URL alone on the first
    line, then the credentials, the CA, the env file and how to stop it; SIGTERM ends it cleanly."""
    state = tmp_path / "state"
    cmd = [sys.executable, "-m", "pvesim", "serve", "--scenario", "standalone", "--state-dir", str(state)]
    proc = subprocess.Popen(cmd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # pylint: disable=consider-using-with
    try:
        deadline = time.time() + 20
        while not (state / "url").exists():
            assert time.time() < deadline and proc.poll() is None
            time.sleep(0.05)
        url = (state / "url").read_text().strip()
        assert url.startswith("https://127.0.0.1:") and int((state / "pid").read_text()) == proc.pid
        env_text = (state / "env").read_text()
        for var in ("PVE_API_HOST", "PVE_CA_PATH", "PVE_API_TOKEN_ID", "PVE_API_TOKEN_SECRET"):
            assert "export %s=" % var in env_text
        settings = json.loads((state / "settings.json").read_text())
        assert settings["url"] == url
        assert settings["ca_path"] == str(state / "ca.pem") and settings["token_id"] == "root@pam!ansible"
        resp = requests.get(url + "/api2/json/version", verify=settings["ca_path"], timeout=10,
                            headers={"Authorization": "PVEAPIToken=%s=%s" % (settings["token_id"], settings["token_secret"])})
        assert resp.json()["data"] == settings["version"] and settings["profile"] == "pve9"
        assert settings["sdn_rows"] == "sdn"  # the simplified (unnamed) simulator: the PVE 8 form
        proc.terminate()
        assert proc.wait(timeout=15) == 0
        assert not (state / "url").exists() and not (state / "pid").exists()
        first, rest = proc.stdout.read().decode().split("\n", 1)
        assert first == url
        for text in ("root@pam!ansible = 00000000-sim0-token-0000-000000000000", "root@pam / sim-password",
                     "CA:        %s" % (state / "ca.pem"), "to use it: . %s" % (state / "env"),
                     "to stop:   %s -m pvesim stop --state-dir %s" % (os.path.basename(sys.executable), state)):
            assert text in rest, rest
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


class _Clock:
    """A clock that moves `step` seconds per reading and, on each of its first `busy` readings, makes a request."""

    def __init__(self, sim, step, busy):
        self.sim, self.step, self.busy, self.now = sim, step, busy, 0.0

    def __call__(self):
        self.now += self.step
        if self.busy > 0:
            self.busy -= 1
            requests.get(self.sim.url + "/api2/json/version", timeout=10)
        return self.now


@pytest.mark.parametrize("idle_timeout", [0, 3])
def test_idle_timeout_stops_only_after_that_long_without_a_request(capsys, idle_timeout):
    """serve --idle-timeout (a forgotten server ends): requests keep it alive; it stops idle_timeout seconds
    after the last one, by the clock it is given; 0 never stops by itself (here: the stop event ends it)."""
    with Simulator(scenario="standalone", tls=False) as sim:
        clock, stop = _Clock(sim, step=2.0, busy=5), threading.Event()
        if not idle_timeout:
            threading.Timer(0.5, stop.set).start()
        _wait(sim, stop, idle_timeout, clock=clock, poll=0.01)
    said = capsys.readouterr().err
    if idle_timeout:
        # the 5th request is seen at t=12 (the reading after it): the stop comes at the first reading more than
        # 3 s later, t=16, not before
        assert len(sim.requests) == 5 and clock.now == 16.0 and "pvesim: no request for 3s, stopping" in said
    else:
        assert stop.is_set() and said == ""


def test_start_prints_settings_and_stop_removes_every_state_dir():
    """`start` returns once the server answers, with its settings and state_dir; `stop --remove` ends
    several at once and deletes their directories (tests/integration/targets/setup_pvesim uses both)."""
    started = []
    try:
        for profile in ("pve8", "pve7"):
            result = _pvesim("start", "--scenario", "standalone", "--profile", profile, "--idle-timeout", "60")
            assert result.returncode == 0, result.stderr
            settings = json.loads(result.stdout)
            started.append(settings)
            assert settings["profile"] == profile and os.path.isdir(settings["state_dir"])
            # a person reads on stderr what to source and how to stop it
            assert settings["env_file"] == os.path.join(settings["state_dir"], "env")
            assert "to use it: . %s" % settings["env_file"] in result.stderr, result.stderr
            assert "stop --state-dir %s" % settings["state_dir"] in result.stderr, result.stderr
            token = "PVEAPIToken=%s=%s" % (settings["token_id"], settings["token_secret"])
            resp = requests.get(settings["url"] + "/api2/json/version", headers={"Authorization": token},
                                verify=settings["ca_path"], timeout=10)
            assert resp.json()["data"] == settings["version"]
        argv = ["stop", "--remove"]
        for settings in started:
            argv += ["--state-dir", settings["state_dir"]]
        assert _pvesim(*argv).returncode == 0
        for settings in started:
            assert not os.path.exists(settings["state_dir"])
            with pytest.raises(requests.exceptions.ConnectionError):
                requests.get(settings["url"] + "/api2/json/version", timeout=5, verify=False)
    finally:
        for settings in started:
            if os.path.exists(os.path.join(settings["state_dir"], "pid")):
                _pvesim("stop", "--remove", "--state-dir", settings["state_dir"])


def test_start_in_a_given_state_dir_once(tmp_path):
    """`start --state-dir DIR` (the README's simulator block): DIR/env sets the PVE_* variables; a second
    start there is refused, saying how to use or stop the running one; a failed start leaves DIR alone."""
    state = tmp_path / "sim"
    argv = ["start", "--state-dir", str(state), "--idle-timeout", "60"]
    try:
        first = _pvesim(*argv)
        assert first.returncode == 0, first.stderr
        settings = json.loads(first.stdout)
        assert settings["state_dir"] == str(state) and (state / "env").is_file()
        assert "export PVE_API_HOST=%s" % settings["url"] in (state / "env").read_text()
        again = _pvesim(*argv)
        assert again.returncode == 1 and again.stdout == ""
        assert "pvesim already runs in %s" % state in again.stderr and ". %s/env" % state in again.stderr
    finally:
        _pvesim("stop", "--state-dir", str(state))
    broken = _pvesim("start", "--state-dir", str(state), "--scenario", "/nonexistent/scenario.yml")
    assert broken.returncode == 1 and broken.stdout == ""
    assert "pvesim did not start" in broken.stderr and "scenario.yml" in broken.stderr   # with the server's log
    assert (state / "ca.pem").exists()      # the user's directory is not removed
