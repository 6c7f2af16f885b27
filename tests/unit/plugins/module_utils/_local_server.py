# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A tiny local HTTP(S) server on 127.0.0.1 for the client tests that `responses` cannot do:
real TLS (throw-away CA), TCP connection counting, a server that never answers, a body shorter
than its Content-Length, a custom reason phrase.

    with LocalServer(handler, tls=True, tmp_path=tmp_path) as server:
        server.port, server.ca_path, server.connections, server.requests

`handler(request)` gets a dict (method, path, headers, body) and returns
(status, reason, headers_dict, body_bytes) or one of the actions HANG / (TRUNCATE, declared, body), or a
writer: a callable that writes the whole answer on the BaseHTTPRequestHandler itself (../_hostile_server.py).
"""

from __future__ import annotations

import os
import socket
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HANG = "hang"
TRUNCATE = "truncate"
MIB = 1024 * 1024
SECRET = "5ec7e700-0bad-4bad-8bad-0123456789ab"  # the token secret of params(): UUID-shaped, no "not a UUID" warning


def write_ca_and_cert(directory, name="local"):
    """A throw-away CA and a server certificate for 127.0.0.1/localhost (the simulator's, tests/pvesim/tls.py) in
    directory/name; returns (ca, cert, key) paths."""
    from pvesim.tls import write_certificates

    paths = write_certificates(os.path.join(str(directory), name))
    return paths["ca"], paths["cert"], paths["key"]


def free_port():
    """A port on 127.0.0.1 nobody listens on (bound, then closed)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as pveproxy
    disable_nagle_algorithm = True  # keep-alive answers would otherwise wait ~40 ms for a delayed ACK

    def setup(self):
        server = self.server
        with server.lock:
            server.connections += 1
        if server.ssl_context is not None:
            self.request.settimeout(10)
            self.request = server.ssl_context.wrap_socket(self.request, server_side=True)
        BaseHTTPRequestHandler.setup(self)

    def log_message(self, *args):
        pass

    def _serve(self):
        server = self.server
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(length, MIB)) if length else b""
        request = {"method": self.command, "path": self.path, "headers": dict(self.headers.items()), "body": body}
        with server.lock:
            server.requests.append(request)
        answer = server.handler(request)
        if callable(answer):
            try:
                answer(self)
            except OSError:
                pass  # the client gave up (broken pipe, reset, timeout): that is often the point
            return
        if answer == HANG:
            server.stopping.wait(30)
            self.close_connection = True
            return
        if answer[0] == TRUNCATE:
            _action, declared, payload = answer
            self.send_response(200, "OK")
            self.send_header("Content-Type", "application/json;charset=UTF-8")
            self.send_header("Content-Length", str(declared))
            self.end_headers()
            self.wfile.write(payload)
            self.wfile.flush()
            self.close_connection = True
            return
        status, reason, headers, payload = answer
        self.send_response(status, reason)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_DELETE = _serve


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request, client_address):
        pass  # handshake failures are expected in the TLS tests


class LocalServer:
    def __init__(self, handler, tls=False, tmp_path=None):
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.handler = handler
        self._server.lock = threading.Lock()
        self._server.connections = 0
        self._server.requests = []
        self._server.stopping = threading.Event()
        self._server.ssl_context = None
        self.ca_path = None
        if tls:
            self.ca_path, cert, key = write_ca_and_cert(tmp_path, "server")
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(cert, key)
            self._server.ssl_context = context
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.01})  # stop() waits one poll
        self._thread.daemon = True

    def params(self, **overrides):
        """Connection options of a token client of this (plain HTTP) server, without retries."""
        return dict({"api_host": "http://127.0.0.1:%d" % self.port, "api_allow_http": True, "api_retries": 0,
                     "api_token_id": "root@pam!hostile", "api_token_secret": SECRET}, **overrides)

    @property
    def connections(self):
        return self._server.connections

    @property
    def requests(self):
        return list(self._server.requests)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)
