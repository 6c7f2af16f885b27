"""Command line: python -m pvesim serve|start|stop|schema."""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

from . import contract
from .auth import REALM_USERS, SCOPED_TOKENS, realm_secret, scoped_secret
from .profiles import PROFILES
from .routes import ROUTES
from .schema_check import extract
from .simulator import Simulator

START_WAIT = 60   # seconds `start` waits for the server to be ready
STOP_WAIT = 10    # seconds `stop` waits for it to exit


def _write(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def write_state(sim, state_dir):
    """DIR/ca.pem is written by the server; add env, pid and (last, as the ready signal) url."""
    lines = ["export %s=%s" % (k, shlex.quote(v)) for k, v in sorted(sim.env().items())]
    # password auth is the alternative (the collection refuses token and password together)
    lines.append("# PVE_API_PASSWORD=%s" % shlex.quote(sim.password))
    _write(os.path.join(state_dir, "env"), "\n".join(lines) + "\n")
    # the same settings as data, for test harnesses (tests/integration/targets/setup_pvesim)
    # profile and version (what GET /version answers) let a target assert the same on every profile
    # sdn_rows: the type of the SDN rows of /cluster/resources (sdn, or network from PVE 9.1)
    settings = {"url": sim.url, "port": sim.port, "ca_path": sim.ca_path, "user": sim.user, "password": sim.password,
                "token_id": sim.token_id, "token_secret": sim.token_secret, "profile": sim.profile["name"],
                "version": sim.router.cluster.version(), "sdn_rows": sim.router.cluster.sdn_row_type(),
                "realm_users": _realm_users(), "scoped_tokens": _scoped_tokens()}
    _write(os.path.join(state_dir, "settings.json"), json.dumps(settings, indent=2, sort_keys=True) + "\n")
    _write(os.path.join(state_dir, "pid"), "%d\n" % os.getpid())
    _write(os.path.join(state_dir, "url"), sim.url + "\n")
    return settings


def how_to_use(settings, state_dir, command):
    """What a person needs to use a running simulator: where it is, its credentials and CA (the fixed test
    ones of auth.py, not secrets), the env file to source and how to stop it. `command`: how to run pvesim."""
    env_file = os.path.join(state_dir, "env")
    return "\n".join([
        "pvesim: PVE API simulator at %s" % settings["url"],
        "  token:     %s = %s   (PVE_API_TOKEN_ID, PVE_API_TOKEN_SECRET)"
        % (settings["token_id"], settings["token_secret"]),
        "  password:  %s / %s   (PVE_API_USER, PVE_API_PASSWORD)" % (settings["user"], settings["password"]),
        "  CA:        %s   (PVE_CA_PATH)" % settings["ca_path"],
        "  to use it: . %s   (sets those PVE_* variables in your shell)" % shlex.quote(env_file),
        "  to stop:   %s stop --state-dir %s" % (command, shlex.quote(state_dir)),
    ])


def _command():
    """How this pvesim was run, for the hints it prints (`python3 -m pvesim` from a venv's python3)."""
    return "%s -m pvesim" % os.path.basename(sys.executable or "python3")


def _realm_users():
    """auth.REALM_USERS as settings: {kind: {user, password, token_id, token_secret}} (no token: None)."""
    return {kind: {"user": user, "password": password, "token_id": "%s!%s" % (user, token) if token else None,
                   "token_secret": realm_secret(kind) if token else None}
            for kind, (user, password, token) in REALM_USERS.items()}


def _scoped_tokens():
    """auth.SCOPED_TOKENS as settings: {kind: {token_id, token_secret}} (least-privilege tokens)."""
    return dict((kind, {"token_id": token_id, "token_secret": scoped_secret(kind)})
                for kind, (token_id, _acl) in SCOPED_TOKENS.items())


def _forget(state_dir):
    """Remove DIR/url and DIR/pid: no server answers there (yet, or any more)."""
    for name in ("url", "pid"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(os.path.join(state_dir, name))


def serve(args):
    state_dir = os.path.abspath(args.state_dir or ".pvesim")
    os.makedirs(state_dir, exist_ok=True)
    _forget(state_dir)
    sim = Simulator(scenario=args.scenario, state_dir=state_dir, port=args.port, profile=args.profile,
                    moving_metrics=args.moving_metrics)
    stop = threading.Event()

    def _on_signal(_signum, _frame):
        stop.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    sim.start()
    settings = write_state(sim, state_dir)
    # the URL alone on the first line (scripts read it), then how to use it
    print(sim.url, flush=True)
    print(how_to_use(settings, state_dir, _command()).split("\n", 1)[1], flush=True)
    try:
        _wait(sim, stop, args.idle_timeout)
    finally:
        sim.stop()
        _forget(state_dir)
    return 0


def _wait(sim, stop, idle_timeout, clock=time.monotonic, poll=0.5):
    """Until SIGTERM/SIGINT, or (idle_timeout > 0) until no API request arrived for idle_timeout seconds
    (by `clock`, checked every `poll` seconds)."""
    last_change, seen = clock(), None
    while not stop.wait(poll):
        if not idle_timeout:
            continue
        entries = sim.requests
        marker = (len(entries), entries[-1]["time"] if entries else None)
        if marker != seen:
            last_change, seen = clock(), marker
        elif clock() - last_change > idle_timeout:
            print("pvesim: no request for %ss, stopping" % idle_timeout, file=sys.stderr, flush=True)
            return


def _gone(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:
        with open("/proc/%d/stat" % pid, encoding="ascii") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] == "Z"  # a zombie: exited, not yet reaped
    except (OSError, IndexError):
        return False


def start(args):
    """`serve` in the background, in --state-dir or a new temporary directory (DIR/log holds its output); once
    it is ready, print what a person needs (credentials, CA, the env file to source, how to stop it) and, when
    stdout is not a terminal, before that on stdout its settings.json plus state_dir and env_file as one JSON
    line (for a harness: tests/integration/targets/setup_pvesim; the text then goes to stderr)."""
    own_dir = not args.state_dir
    if own_dir:
        state_dir = tempfile.mkdtemp(prefix="pvesim-")
    else:
        state_dir = os.path.abspath(args.state_dir)
        running = _running_pid(state_dir)
        if running:
            print("pvesim already runs in %s (pid %s): use it (. %s) or stop it (%s stop --state-dir %s)"
                  % (state_dir, running, shlex.quote(os.path.join(state_dir, "env")), _command(),
                     shlex.quote(state_dir)), file=sys.stderr)
            return 1
        os.makedirs(state_dir, exist_ok=True)
    argv = [sys.executable, "-m", "pvesim", "serve", "--scenario", args.scenario, "--state-dir", state_dir,
            "--idle-timeout", str(args.idle_timeout)]
    if args.profile:
        argv += ["--profile", args.profile]
    if args.moving_metrics:
        argv.append("--moving-metrics")
    log_path = os.path.join(state_dir, "log")
    with open(log_path, "wb") as log, open(os.devnull, "rb") as devnull:
        # its own session, its output in the log: the caller's pipes close when this command exits
        server = subprocess.Popen(argv, stdin=devnull, stdout=log, stderr=subprocess.STDOUT,  # pylint: disable=consider-using-with
                                  start_new_session=True)
    deadline = time.monotonic() + START_WAIT
    while not os.path.exists(os.path.join(state_dir, "url")):
        if server.poll() is not None or time.monotonic() > deadline:
            if server.poll() is None:
                server.kill()
            with open(log_path, encoding="utf-8", errors="replace") as log:
                print("pvesim did not start within %ss: %s" % (START_WAIT, log.read()), file=sys.stderr)
            if own_dir:
                shutil.rmtree(state_dir, ignore_errors=True)
            return 1
        time.sleep(0.05)
    with open(os.path.join(state_dir, "settings.json"), encoding="utf-8") as handle:
        settings = json.load(handle)
    text = how_to_use(settings, state_dir, _command())
    if args.idle_timeout:
        text += "\n  it stops by itself after %g s without a request (--idle-timeout)" % args.idle_timeout
    if sys.stdout.isatty():     # a person: the text only
        print(text)
    else:                       # a harness reads the JSON line; the text goes to the terminal, if any
        print(json.dumps(dict(settings, state_dir=state_dir, env_file=os.path.join(state_dir, "env")), sort_keys=True))
        print(text, file=sys.stderr)
    return 0


def _read_pid(state_dir):
    """The pid in DIR/pid, else None."""
    try:
        with open(os.path.join(state_dir, "pid"), encoding="utf-8") as handle:
            return int(handle.read().strip())
    except (OSError, ValueError):
        return None


def _running_pid(state_dir):
    """The pid of a simulator still running in state_dir, else None."""
    pid = _read_pid(state_dir)
    return None if pid is None or _gone(pid) else pid


def stop_server(args):
    """Stop the simulator of each --state-dir (default .pvesim); with --remove, delete the directories too."""
    failed = 0
    for state_dir in args.state_dir or [".pvesim"]:
        failed |= _stop_one(os.path.abspath(state_dir))
        if args.remove:
            shutil.rmtree(state_dir, ignore_errors=True)
    return failed


def _stop_one(state_dir, timeout=STOP_WAIT):
    pid_file = os.path.join(state_dir, "pid")
    pid = _read_pid(state_dir)
    if pid is None:
        print("no running pvesim in %s" % state_dir, file=sys.stderr)
        return 1
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return 0
    deadline = time.time() + timeout
    while time.time() < deadline:
        if _gone(pid) or not os.path.exists(pid_file):
            # the pid file goes last, after the server has closed its socket
            return 0
        time.sleep(0.1)
    print("pvesim (pid %d) did not stop within %ss" % (pid, timeout), file=sys.stderr)
    return 1


def schema(args):
    """schema.json (to stdout) from pve-docs' api-viewer/apidata.js: the methods the simulator serves; of each GET's
    `returns`, the optional properties the contract suite's answers carry (contract.py)."""
    with open(args.apidata, encoding="utf-8") as handle:
        methods = [(template, method) for method, template, _h, _p in ROUTES] + [("/access/ticket", "POST")]
        out = extract(handle.read(), methods, args.commit)
    seen = set()
    for _profile, template, _path, data in contract.answers(out):
        contract.answer_keys(out[template]["GET"]["returns"], data, template, seen)
    for template, methods in out.items():
        if "GET" in methods:
            methods["GET"]["returns"] = contract.keep_answered(methods["GET"]["returns"], seen, template)
    print(json.dumps(out, indent=1, sort_keys=True))
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m pvesim", description="Proxmox VE API simulator")
    sub = parser.add_subparsers(dest="command", required=True)
    p_serve = sub.add_parser("serve", help="run the simulator in the foreground")
    p_serve.add_argument("--port", type=int, default=0)
    p_start = sub.add_parser("start", help="serve in the background in a new state directory; print its settings"
                                           " and state_dir as JSON once it is ready")
    for parser_, idle_timeout in ((p_serve, 0), (p_start, 900)):
        parser_.add_argument("--scenario", default="demo",
                             help="demo | standalone | PATH (a scenario file)")
        parser_.add_argument("--profile", default=None, choices=sorted(PROFILES),
                             help="PVE version to behave as (default: the scenario's, else pve9 with test shortcuts)")
        parser_.add_argument("--moving-metrics", action="store_true",
                             help="CPU, memory in use and uptime in /cluster/resources differ on every read, as on PVE")
        parser_.add_argument("--state-dir", default=None,
                             help="where url, ca.pem, pid, env (start: and log) go (default: serve .pvesim, start a new temp dir)")
        parser_.add_argument("--idle-timeout", type=float, default=idle_timeout,
                             help="stop after this many seconds without an API request (0: never; a safety net for tests)")
    p_stop = sub.add_parser("stop", help="stop a simulator started with serve or start")
    p_stop.add_argument("--state-dir", action="append", help="repeatable (default .pvesim)")
    p_stop.add_argument("--remove", action="store_true", help="delete the state directories too")
    p_schema = sub.add_parser("schema", help="print schema.json, extracted from pve-docs' api-viewer/apidata.js")
    p_schema.add_argument("apidata")
    p_schema.add_argument("commit", help="the pve-docs commit that apidata.js is from")
    args = parser.parse_args(argv)
    return {"serve": serve, "start": start, "stop": stop_server, "schema": schema}[args.command](args)
