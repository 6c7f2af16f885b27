# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A small hostile PVE API server for the hostile-answer unit tests (module_utils/_local_server.py, plain HTTP).

It answers DEFAULT's few paths; a test routes any path to its answer: JSON of any shape, an echo of the request's
secrets, a slow drip, a huge body. Every loop here is bounded in count and in time (MAX_SECONDS), and stops when the
client goes away, so a broken client cannot keep the test running or make this server allocate.
"""

from __future__ import annotations

import json
import re
import time

from ansible_collections.pve.cluster.tests.unit.plugins.module_utils._local_server import MIB, LocalServer

MAX_SECONDS = 60.0  # no handler runs longer than this

# what the tests leave to the server: the version, a one-node cluster's status, datacenter.cfg without next-id
# (pve_nextid reads it for its default range)
DEFAULT = {
    "/version": {"version": "9.1.1", "release": "9.1", "repoid": "0123abcd"},
    "/cluster/status": [{"type": "cluster", "name": "hostile", "nodes": 1, "quorate": 1, "version": 3, "id": "cluster"},
                        {"type": "node", "name": "pve1", "nodeid": 1, "ip": "127.0.0.1", "online": 1, "local": 1,
                         "level": "", "id": "node/pve1"}],
    "/cluster/options": {},
}


class Hostile(LocalServer):
    """The server. `routes`: {path regex: handler(request) or JSON data}; `requests`: what arrived."""

    def __init__(self):
        self.routes = []
        LocalServer.__init__(self, self._answer)

    def route(self, path, answer):
        """Answer GET/POST api2/json<path> (a regex matched whole) with `answer`: a handler or JSON `data`."""
        if not callable(answer):
            answer = envelope({"data": answer})
        self.routes.insert(0, (re.compile(path + r"\Z"), answer))

    def count(self, path):
        pattern = re.compile(path + r"\Z")
        return sum(1 for entry in self.requests if pattern.match(_api_path(entry["path"])))

    def _answer(self, request):
        """A writer for LocalServer: the first matching route, else DEFAULT, else 501."""
        path = _api_path(request["path"])
        for pattern, candidate in self.routes:
            if pattern.match(path):
                return candidate
        if path in DEFAULT:
            return envelope({"data": DEFAULT[path]})
        return envelope({"data": None, "message": "no such path %s\n" % path}, status=501)


def _api_path(path):
    path = path.split("?", 1)[0]
    return path[len("/api2/json"):] if path.startswith("/api2/json") else path


# -- answer builders ---------------------------------------------------------------------------
def send_bytes(request, body, status=200):
    request.send_response(status)
    request.send_header("Content-Type", "application/json;charset=UTF-8")
    request.send_header("Content-Length", str(len(body)))
    request.end_headers()
    request.wfile.write(body)


def send_json(request, envelope, status=200):
    send_bytes(request, json.dumps(envelope).encode("utf-8"), status=status)


def raw_json(text):
    """A handler sending `text` as it is (JSON that json.dumps would not write: NaN, \\ud800, ...)."""
    return lambda request: send_bytes(request, text.encode("utf-8"))


def envelope(envelope_dict, status=200):
    """A handler sending a whole envelope ({"data": ..., "message": ..., "errors": ...})."""
    return lambda request: send_json(request, envelope_dict, status=status)


def echo_auth(request):
    """A handler echoing the request's Authorization header (the token secret) or Cookie (the ticket) in a 500."""
    secret = request.headers.get("Authorization") or request.headers.get("Cookie") or ""
    send_json(request, {"data": None, "message": "you sent %s" % secret}, status=500)


def slow_drip(interval=0.5, max_bytes=240, header_drip=False):
    """Headers at once (or header_drip: the status line byte by byte), then one body byte per interval.
    Bounded: at most max_bytes bytes and MAX_SECONDS; stops when the client has gone."""
    def handler(request):
        started = time.monotonic()
        body = (b'{"data": {"version": "9.1.1", "release": "9.1", "repoid": "x", "pad": "' + b"x" * max_bytes + b'"}}')
        head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
        stream = (head + body) if header_drip else body
        if not header_drip:
            request.wfile.write(head)
            request.wfile.flush()
        for index in range(min(len(stream), max_bytes)):
            if time.monotonic() - started > MAX_SECONDS:
                break
            try:
                request.wfile.write(stream[index:index + 1])
                request.wfile.flush()
            except OSError:
                break
            time.sleep(interval)
        request.close_connection = True
    return handler


def huge(total_bytes):
    """A JSON answer of `total_bytes`, streamed from one 1 MiB block.
    Bounded: total_bytes and MAX_SECONDS; stops when the client disconnects."""
    def handler(request):
        started = time.monotonic()
        block = b" " * MIB
        request.send_response(200)
        request.send_header("Content-Type", "application/json;charset=UTF-8")
        request.send_header("Connection", "close")
        request.end_headers()
        for piece in [b'{"data": ['] + [block] * (total_bytes // MIB) + [b"]}"]:
            if time.monotonic() - started > MAX_SECONDS:
                break
            request.wfile.write(piece)
        request.close_connection = True
    return handler
