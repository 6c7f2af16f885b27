"""HTTP(S) server: request handling, auth, faults, request log and the /_sim admin API."""
from __future__ import annotations

import contextlib
import json
import select
import socket
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .cluster import encode
from .faults import EMPTY_BODY_STATUSES, REASONS
from .routes import ApiError, verify

JSON_TYPE = "application/json;charset=UTF-8"
HTML_ERROR = (b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n"
              b"<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n")
MALFORMED = b'{"data":[{"id":"qemu/100","vmid":100,"name":"web01","status":"runn'


class RequestLog:
    """Every API request: method, path, query, status, auth kind. Never a secret."""

    def __init__(self):
        self._entries = []
        self._lock = threading.Lock()

    def add(self, entry):
        with self._lock:
            self._entries.append(entry)

    def entries(self):
        with self._lock:
            return list(self._entries)

    def clear(self):
        with self._lock:
            self._entries = []


class SimHTTPServer(ThreadingHTTPServer):
    """Threaded server; TLS handshakes happen in the per-connection thread."""

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, sim):
        self.sim = sim
        self.connections = 0  # TCP connections accepted (keep-alive and Connection: close tests)
        super().__init__(address, Handler)

    def get_request(self):
        sock, addr = self.socket.accept()
        self.connections += 1
        if self.sim.ssl_context is not None:
            sock = self.sim.ssl_context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, addr

    def handle_error(self, request, client_address):
        """Client hang-ups and failed TLS handshakes are normal here: stay quiet."""


def _first_values(query):
    return {k: v[-1] for k, v in query.items()}


class Handler(BaseHTTPRequestHandler):
    """One connection (keep-alive HTTP/1.1)."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # keep-alive answers would otherwise wait ~40 ms for a delayed ACK
    server_version = "pve-api-daemon/3.0"
    timeout = 300

    def version_string(self):
        return self.server_version

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        """Quiet: the request log is the record."""

    def do_GET(self):  # pylint: disable=invalid-name
        self._handle()

    do_POST = do_PUT = do_DELETE = do_GET

    # -- plumbing ------------------------------------------------------------------------------
    def _read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _send(self, status, reason, body, ctype=JSON_TYPE, truncate=False):
        self.send_response(status, reason.split("\n")[0])
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=0")
        self.send_header("Pragma", "no-cache")
        if truncate or status >= 400:
            # pve-http-server AnyEvent.pm response(): keep_alive = 0 for every code >= 400
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if truncate:
            self.wfile.write(body[:max(0, len(body) // 2)])
            self.wfile.flush()
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
        else:
            self.wfile.write(body)

    def _hang(self, entry):
        """Accept and never answer, until the client gives up (its time goes in the log entry as
        ``hung_up``) or the server stops."""
        self.close_connection = True
        conn = self.connection
        stop = self.server.sim.stop_event
        while not stop.is_set():
            try:
                readable, _w, _x = select.select([conn], [], [], 0.2)
                if readable and not conn.recv(4096):
                    entry["hung_up"] = time.time()
                    return
            except (OSError, ValueError):
                return

    # -- request handling ----------------------------------------------------------------------
    def _handle(self):
        sim = self.server.sim
        split = urllib.parse.urlsplit(self.path)
        path = urllib.parse.unquote(split.path)
        query = _first_values(urllib.parse.parse_qs(split.query, keep_blank_values=True))
        body = self._read_body()
        if path.startswith("/_sim/"):
            self._admin(path, body)
            return
        entry = {"time": time.time(), "method": self.command, "path": path, "query": dict(query),
                 "status": None, "auth": "none", "user": None, "fault": None}
        authz = self.headers.get("Authorization") or ""
        if authz.startswith("PVEAPIToken"):
            entry["auth"] = "token"
        elif "PVEAuthCookie" in (self.headers.get("Cookie") or ""):
            entry["auth"] = "ticket"
        entry["auth_ok"] = False
        if path.startswith("/api2/json/") or path == "/api2/json":
            entry["path"] = path[len("/api2/json"):] or "/"
        # Logged on arrival (the entry is completed in place), so a request that is still being
        # answered, or hangs, belongs to the test that made it, not to whoever reads the log later.
        sim.log.add(entry)
        self._api(sim, entry, query, body)

    def _api(self, sim, entry, query, body):
        if sim.latency:
            time.sleep(sim.latency)
        api_path = entry["path"].rstrip("/") or "/"
        fault = sim.faults.take(api_path)
        if fault is not None:
            entry["fault"] = fault.kind
            if self._apply_fault(fault, entry):
                return
        try:
            status, out = 200, self._dispatch(sim, entry, api_path, query, body)
            reason = "OK"
        except ApiError as err:
            status, out, reason = err.status, err.body(with_message=sim.error_message), err.message
            delay = err.delay or (sim.auth_delay if status == 401 else 0)   # AnyEvent.pm: "always delay unauthorized calls by 3 seconds"
            if delay and sim.stop_event.wait(delay):
                return
        entry["status"] = status
        if fault is not None and fault.kind == "take" and status == 200:
            self._take(sim, out, entry)
        self._send(status, reason, out, truncate=fault is not None and fault.kind == "truncate")

    @staticmethod
    def _take(sim, out, entry):
        """Fault kind take: another client creates a guest with the id just answered (a VMID race), on the
        local node, before this answer is sent."""
        cluster = sim.router.cluster
        vmid = int(json.loads(out)["data"])   # the take fault is for GET /cluster/nextid
        if cluster.add_guest(vmid, cluster.local, "qemu", "taken-%d" % vmid) is None:
            entry["taken"] = vmid

    def _apply_fault(self, fault, entry):
        """Answer with the fault if it replaces the response; False to continue normally."""
        kind = fault.kind
        if kind == "status":
            status = fault.status
            reason = REASONS.get(status, "Error")
            if fault.body is not None:
                out = fault.body.encode() if isinstance(fault.body, str) else fault.body
            elif status in EMPTY_BODY_STATUSES:
                out = b""
            else:
                out = encode({"data": None, "message": (fault.message or reason) + "\n"})
            entry["status"] = status
            self._send(status, fault.message or reason, out)
            return True
        if kind in ("html", "malformed"):
            entry["status"] = 200
            default, ctype = (HTML_ERROR, "text/html") if kind == "html" else (MALFORMED, JSON_TYPE)
            self._send(200, "OK", default if fault.body is None else fault.body.encode(), ctype)
            return True
        if kind == "hang":
            entry["status"] = 0
            self._hang(entry)
            return True
        return False

    def _dispatch(self, sim, entry, api_path, query, body):
        method = self.command
        if api_path == "/access/ticket" and method == "POST":
            return self._login(sim, entry, body)
        ident = sim.auth.identify(self.headers)
        entry["auth"] = ident.kind
        entry["auth_ok"] = True
        entry["user"] = ident.full_id
        if method in ("POST", "PUT") and body:
            query = dict(query, **self._form(body))  # pveproxy reads parameters from the query and the body
        return sim.router.dispatch(method, api_path, query, ident)

    @staticmethod
    def _form(body):
        """An application/x-www-form-urlencoded request body as parameters."""
        return _first_values(urllib.parse.parse_qs(body.decode(errors="replace"), keep_blank_values=True))

    def _login(self, sim, entry, body):
        form = self._form(body) if body else {}
        params = verify(sim.router.schema["/access/ticket"]["POST"], form)
        data = sim.auth.login(params["username"], params["password"])
        if data is None:
            raise ApiError(401, "authentication failure")
        cluster = sim.router.cluster
        if cluster.name and "Sys.Audit" in sim.auth.users[data["username"]]["acl"].privs("/"):
            data["clustername"] = cluster.name
        entry["user"] = data["username"]
        return encode({"data": data})

    def _admin(self, path, body):
        """POST/DELETE /_sim/faults, GET/DELETE /_sim/requests; anything else, or a bad rule, is a 400 saying why."""
        sim = self.server.sim
        calls = {("POST", "/_sim/faults"): lambda: sim.faults.add(**json.loads(body or b"{}")),
                 ("DELETE", "/_sim/faults"): sim.faults.clear, ("GET", "/_sim/requests"): sim.log.entries,
                 ("DELETE", "/_sim/requests"): sim.log.clear}
        try:
            result = calls[self.command, path]()
        except (TypeError, ValueError, KeyError, AttributeError) as err:
            self._send(400, "Bad Request", encode({"data": None, "message": "%s\n" % err}))
            return
        self._send(200, "OK", encode({"data": result}))
