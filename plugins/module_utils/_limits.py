# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What bounds one PveClient: time per request, time in total, bytes per answer.

* Per request, `api_timeout` bounds the whole exchange (connect, headers and body), not each read:
  a watchdog (one thread per process) shuts the request's socket down when it runs out, so a server
  that drips one byte at a time cannot keep a request alive.
* In total, `api_total_timeout` bounds everything a client does (a module run, an inventory build),
  retries and backoff included: a request never gets more time than what is left of it.
* An answer's body is read in chunks and counted after decompression (a gzip bomb is counted by
  what it expands to); more than `api_max_answer_mb` fails the request. The client decompresses
  itself (gzip and deflate, stacked as in `Content-Encoding: gzip, gzip`), CHUNK_BYTES of output
  at a time, from the raw bytes (urllib3's decode_content=False): urllib3 before 2.6 expands a
  whole read at once (2 GiB from a 1,851-byte answer), so the cap holds on every urllib3 only this way.
"""

from __future__ import annotations

import heapq
import os
import socket
import threading
import time
import zlib

try:
    import requests.adapters
    import requests.exceptions
    import urllib3.exceptions
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
    HAS_URLLIB3 = True
except ImportError:  # pragma: no cover - the client reports the missing library
    HAS_URLLIB3 = False

from ansible_collections.pve.cluster.plugins.module_utils import _errors, _failures

CHUNK_BYTES = 64 * 1024  # one read of raw bytes, and the most one decompression step may produce
MIB = 1024 * 1024
ACCEPT_ENCODING = "gzip, deflate"  # what the client decodes itself (sent on every request)
MAX_ENCODINGS = 5  # stacked Content-Encodings (urllib3 2.x allows as many)

_CURRENT = threading.local()  # the RequestWatch of the request this thread is making


class RequestWatch:
    """One request's deadline: after `seconds`, shut the request's socket down (done by the one _Watchdog thread)."""

    def __init__(self, seconds, which):
        self.seconds = seconds
        self.which = which  # the option that ran out, for the message
        self.expired = False
        self.done = False
        self.deadline = None
        self._conn = None
        self._lock = threading.Lock()

    def __enter__(self):
        _CURRENT.watch = self
        self.deadline = time.monotonic() + max(0.0, self.seconds)
        _WATCHDOG.watch(self)
        return self

    def __exit__(self, *exc):
        with self._lock:
            self.done = True
            self._conn = None
        _CURRENT.watch = None

    def attach(self, conn):
        with self._lock:
            self._conn = conn
            expired = self.expired
        if expired:
            _shutdown(conn)

    def expire(self):
        with self._lock:
            if self.done:
                return
            self.expired = True
            conn = self._conn
        if conn is not None:
            _shutdown(conn)


class _Watchdog:
    """One daemon thread for every RequestWatch of the process (not a thread per request): it sleeps until the
    earliest deadline and expires the watches whose deadline has passed. A forked child (Ansible forks its workers
    after the inventory is read) starts its own: the parent's thread does not run there."""

    def __init__(self):
        self._cond = threading.Condition()
        self._heap = []
        self._order = 0
        self._thread = None

    def watch(self, request_watch):
        with self._cond:
            self._order += 1
            heapq.heappush(self._heap, (request_watch.deadline, self._order, request_watch))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="pve-request-deadlines", daemon=True)
                self._thread.start()
            self._cond.notify()

    def _run(self):
        while True:
            with self._cond:
                while self._heap and self._heap[0][2].done:
                    heapq.heappop(self._heap)  # finished in time
                if not self._heap:
                    self._cond.wait()
                    continue
                wait = self._heap[0][0] - time.monotonic()
                if wait > 0:
                    self._cond.wait(wait)
                    continue
                due = heapq.heappop(self._heap)[2]
            due.expire()


_WATCHDOG = _Watchdog()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_WATCHDOG.__init__)  # a fresh one, the parent's lock and heap left behind


def _shutdown(conn):
    sock = getattr(conn, "sock", None)
    if sock is None:
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)  # wakes a blocked recv at once (close() alone does not)
    except (OSError, ValueError):
        pass


class Deadlines:
    """api_timeout per request, api_total_timeout for the whole client."""

    def __init__(self, request_seconds, total_seconds):
        self.request_seconds = request_seconds
        self.total_seconds = total_seconds
        self.started = time.monotonic()

    def total_left(self):
        return self.total_seconds - (time.monotonic() - self.started)

    def check_total(self, method, path, endpoint):
        if self.total_left() <= 0:
            raise self.total_error(method, path, endpoint)

    def total_error(self, method, path, endpoint):
        return _errors.PveTimeoutError(
            "%s %s: the total deadline api_total_timeout=%ss ran out (this run has been talking to %s for %.1fs; "
            "raise api_total_timeout for very large clusters)"
            % (method, path, self.total_seconds, endpoint, time.monotonic() - self.started))

    def watch(self):
        """The watch for the next request: api_timeout, or what is left of the total if that is less."""
        left = self.total_left()
        if left < self.request_seconds:
            return RequestWatch(left, "api_total_timeout")
        return RequestWatch(self.request_seconds, "api_timeout")

    def failure(self, watch, method, path, endpoint):
        """The _failures.Failure of a request whose watch expired: api_timeout (retried) or api_total_timeout (not)."""
        if watch.which == "api_total_timeout":
            return _failures.Failure("total deadline", False, _errors.PveTimeoutError,
                                     str(self.total_error(method, path, endpoint)))
        return _failures.Failure("timeout", True, _errors.PveTimeoutError,
                                 "%s %s: %s did not answer within api_timeout=%ss (a deadline for the whole request: "
                                 "connect, headers and body)" % (method, path, endpoint, self.request_seconds))


class Expired(Exception):
    """Raised by the client when a request's watch expired although the read ended without an error."""


def read_body(response, max_bytes, method, path, endpoint, watch=None):
    """The decoded (decompressed) body of a streamed response, or PveInvalidResponseError over max_bytes.

    Raw bytes are read CHUNK_BYTES at a time and decompressed by _Inflater layers that never produce more than
    CHUNK_BYTES per step; every layer's output is counted against max_bytes, and an expired `watch` (api_timeout)
    stops the work between steps (decompression makes no socket read the watchdog could interrupt).
    """
    def too_large():
        response.close()
        return _errors.PveInvalidResponseError(
            "%s %s: the answer from %s is larger than api_max_answer_mb=%d MiB (after decompression); "
            "raise api_max_answer_mb if the cluster is really that large"
            % (method, path, endpoint, max_bytes // MIB), status=response.status_code, method=method, path=path)

    layers = _layers(response, method, path, endpoint)
    body = bytearray()
    raw_bytes = 0

    def push(data, index):
        if watch is not None and watch.expired:
            raise Expired()
        if index == len(layers):
            body.extend(data)
            if len(body) > max_bytes:
                raise too_large()
            return
        layer = layers[index]
        for piece in layer.feed(data):
            layer.produced += len(piece)
            if layer.produced > max_bytes:
                raise too_large()
            push(piece, index + 1)

    for chunk in _raw_chunks(response):
        raw_bytes += len(chunk)
        if not layers and raw_bytes > max_bytes:
            raise too_large()
        push(chunk, 0)
    for index in range(len(layers)):  # drain what each layer still holds, outermost first
        push(b"", index)
    _check_length(response, raw_bytes)
    return bytes(body)


def _raw_chunks(response):
    """The raw (still encoded) body, CHUNK_BYTES at a time; urllib3's errors as requests' (as iter_content does)."""
    try:
        for chunk in response.raw.stream(CHUNK_BYTES, decode_content=False):
            if chunk:
                yield chunk
    except urllib3.exceptions.ProtocolError as exc:
        raise requests.exceptions.ChunkedEncodingError(exc)
    except urllib3.exceptions.ReadTimeoutError as exc:
        raise requests.exceptions.ConnectionError(exc)
    except urllib3.exceptions.SSLError as exc:
        raise requests.exceptions.SSLError(exc)


def _check_length(response, raw_bytes):
    """A body shorter than its Content-Length was cut off (urllib3 1.26 does not check it by default)."""
    declared = response.headers.get("Content-Length")
    if declared is None or "chunked" in (response.headers.get("Transfer-Encoding") or "").lower():
        return
    try:
        declared = int(declared)
    except ValueError:
        return
    if raw_bytes < declared:
        raise requests.exceptions.ChunkedEncodingError(
            urllib3.exceptions.ProtocolError("Connection broken: IncompleteRead(%d bytes read, %d more expected)"
                                             % (raw_bytes, declared - raw_bytes)))


def _layers(response, method, path, endpoint):
    """One _Inflater per Content-Encoding, in decoding order (the last encoding applied is undone first)."""
    names = [name.strip().lower() for name in (response.headers.get("Content-Encoding") or "").split(",")]
    names = [name for name in names if name and name != "identity"]
    unknown = [name for name in names if name not in ("gzip", "x-gzip", "deflate")]
    if unknown or len(names) > MAX_ENCODINGS:
        response.close()
        raise _errors.PveInvalidResponseError(
            "%s %s: the answer from %s has Content-Encoding %r: pve.cluster asks for %s and decodes at most %d of "
            "them, stacked" % (method, path, endpoint, ", ".join(names)[:80], ACCEPT_ENCODING, MAX_ENCODINGS),
            status=response.status_code, method=method, path=path)
    return [_Inflater("deflate" if name == "deflate" else "gzip") for name in reversed(names)]


class _Inflater:
    """One gzip or deflate layer; feed() yields its output CHUNK_BYTES at most at a time (zlib's max_length)."""

    def __init__(self, kind):
        self.kind = kind
        self.produced = 0
        self._fed = False
        self._members = 1
        self._done = False
        self._obj = self._new()

    def _new(self, raw=False):
        if raw:
            return zlib.decompressobj(-zlib.MAX_WBITS)  # a 'deflate' answer without the zlib header, as urllib3 takes it
        return zlib.decompressobj(16 + zlib.MAX_WBITS if self.kind == "gzip" else zlib.MAX_WBITS)

    def feed(self, data):
        while not self._done:
            try:
                out = self._obj.decompress(data, CHUNK_BYTES)
            except zlib.error as exc:
                if self.kind == "deflate" and not self._fed:
                    self._fed = True
                    self._obj = self._new(raw=True)
                    continue
                if self._members > 1:  # data after a complete gzip member that is no member: ignored, as urllib3 does
                    self._done = True
                    return
                raise requests.exceptions.ContentDecodingError(
                    urllib3.exceptions.DecodeError("Received response with content-encoding: %s, but failed to "
                                                   "decode it." % self.kind, exc))
            self._fed = self._fed or bool(data)
            if out:
                yield out
            data = self._obj.unconsumed_tail
            if self._obj.eof:
                rest = self._obj.unused_data
                if self.kind != "gzip" or not rest:
                    self._done = True
                    return
                self._members += 1  # another gzip member follows
                self._obj = self._new()
                data = rest
                continue
            if not data and len(out) < CHUNK_BYTES:
                return


if HAS_URLLIB3:
    def _tracked(base):
        class Tracked(base):  # pylint: disable=too-few-public-methods
            """A urllib3 connection that hands itself to the current RequestWatch."""

            def request(self, *args, **kwargs):  # pylint: disable=arguments-differ,signature-differs
                watch = getattr(_CURRENT, "watch", None)
                if watch is not None:
                    watch.attach(self)
                return super().request(*args, **kwargs)

        Tracked.__name__ = "Tracked" + base.__name__
        return Tracked

    class _HTTPPool(HTTPConnectionPool):
        ConnectionCls = _tracked(HTTPConnection)

    class _HTTPSPool(HTTPSConnectionPool):
        ConnectionCls = _tracked(HTTPSConnection)

    class BoundedAdapter(requests.adapters.HTTPAdapter):
        """HTTPAdapter whose connections can be shut down by the request's deadline."""

        def init_poolmanager(self, *args, **kwargs):  # pylint: disable=signature-differs
            super().init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = {"http": _HTTPPool, "https": _HTTPSPool}
