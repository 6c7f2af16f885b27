# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What went wrong with one request that produced no usable HTTP answer, sorted by exception type.

requests wraps urllib3, which wraps the socket and ssl errors; `classify()` looks at the types in
that chain (never at message texts) and returns a `Failure`: a short kind for the retry warning,
whether retrying can help, and the error to raise when it cannot or the attempts are used up.
"""

from __future__ import annotations

import http.client
import socket
import ssl

try:
    import requests
    import urllib3
except ImportError:  # pragma: no cover - _client reports the missing library
    pass

from ansible_collections.pve.cluster.plugins.module_utils import _errors

TLS_HINT = ("Set ca_path to the cluster's CA certificate (a copy of /etc/pve/pve-root-ca.pem from any node), "
            "or validate_certs: false to skip verification (not recommended)")
# OpenSSL's reasons when the peer's first bytes are no TLS record at all: a plain-HTTP port
NOT_TLS_REASONS = frozenset(("WRONG_VERSION_NUMBER", "RECORD_LAYER_FAILURE", "HTTP_REQUEST", "PACKET_LENGTH_TOO_LONG",
                             "UNKNOWN_PROTOCOL"))
_CHAIN_DEPTH = 6


class Failure:
    """One failed attempt: `kind` (for the retry warning), `retry` (can another attempt help?)."""

    __slots__ = ("kind", "retry", "error_type", "text", "error_kwargs")

    def __init__(self, kind, retry, error_type, text, **error_kwargs):
        self.kind = kind
        self.retry = retry
        self.error_type = error_type
        self.text = text
        self.error_kwargs = error_kwargs

    def error(self, attempts):
        """The exception to raise after `attempts` attempts."""
        text = self.text
        if self.retry:
            text += " after %d attempt%s" % (attempts, "s" if attempts > 1 else "")
        return self.error_type(text, **self.error_kwargs)


def wrapped(exc):
    """`exc` and the exceptions inside it (requests -> urllib3 -> socket/ssl), outermost first."""
    chain = []
    while isinstance(exc, BaseException) and len(chain) < _CHAIN_DEPTH and not any(exc is seen for seen in chain):
        chain.append(exc)
        inner = getattr(exc, "reason", None)          # urllib3's MaxRetryError / NewConnectionError
        if not isinstance(inner, BaseException):
            inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else None
        if not isinstance(inner, BaseException) and len(exc.args) > 1 and isinstance(exc.args[1], BaseException):
            inner = exc.args[1]                       # urllib3's ProtocolError('Connection aborted.', <cause>)
        exc = inner if inner is not None else (exc.__cause__ or exc.__context__)
    return chain


def find(exc, types):
    """The first exception of `types` inside `exc` (or exc itself), else None."""
    return next((inner for inner in wrapped(exc) if isinstance(inner, types)), None)


def classify(exc, config, method, path):
    """A requests exception -> Failure. `config` is the ConnectionConfig (endpoint, scheme, timeout)."""
    where = "%s %s: " % (method, path)
    endpoint = config.endpoint
    if isinstance(exc, requests.exceptions.SSLError):
        return _tls_failure(exc, where, config)
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return Failure("timeout", True, _errors.PveTimeoutError, "%s%s did not answer within api_timeout=%ss "
                       "(no connection)" % (where, endpoint, config.timeout))
    if isinstance(exc, requests.exceptions.Timeout) or find(exc, (socket.timeout, urllib3.exceptions.ReadTimeoutError)):
        return Failure("timeout", True, _errors.PveTimeoutError, "%s%s did not answer within api_timeout=%ss"
                       % (where, endpoint, config.timeout))
    if isinstance(exc, requests.exceptions.ChunkedEncodingError) or find(exc, (
            http.client.IncompleteRead, urllib3.exceptions.IncompleteRead, urllib3.exceptions.InvalidChunkLength)):
        return Failure("truncated answer", True, _errors.PveInvalidResponseError,
                       "%sthe answer from %s was cut off before its end" % (where, endpoint))
    if isinstance(exc, requests.exceptions.ContentDecodingError):
        return Failure("undecodable answer", False, _errors.PveInvalidResponseError,
                       "%sthe answer from %s could not be decoded (%s)" % (where, endpoint, _detail(exc)))
    resolve = find(exc, socket.gaierror)
    if resolve is not None:
        return Failure("unknown host", False, _errors.PveConnectionError,
                       "%scannot resolve the host name %s (%s): check api_host; nothing was retried"
                       % (where, config.host, resolve.strerror or type(resolve).__name__))
    if find(exc, ConnectionRefusedError) is not None:
        return Failure("connection refused", True, _errors.PveConnectionError,
                       "%scannot connect to %s (connection refused; api_timeout=%ss): check api_host/api_port and "
                       "that pveproxy is running" % (where, endpoint, config.timeout))
    if find(exc, (http.client.RemoteDisconnected, http.client.BadStatusLine, ConnectionResetError, BrokenPipeError)):
        text = "%s%s closed the connection without an HTTP answer" % (where, endpoint)
        if config.scheme == "http":
            text += (" (scheme mismatch? api_host says http://, but the port may speak only HTTPS as PVE's API port "
                     "does: use https://)")
        return Failure("connection closed", True, _errors.PveConnectionError, text)
    if isinstance(exc, requests.exceptions.ConnectionError):
        return Failure("connection failed", True, _errors.PveConnectionError,
                       "%scannot connect to %s (%s; api_timeout=%ss): check api_host/api_port and that pveproxy is "
                       "running" % (where, endpoint, _detail(exc), config.timeout))
    return Failure("request failed", False, _errors.PveConnectionError,
                   "%srequest to %s failed (%s)" % (where, endpoint, _detail(exc)))


def _tls_failure(exc, where, config):
    endpoint = config.endpoint
    verification = find(exc, ssl.SSLCertVerificationError)
    if verification is not None:
        return Failure("TLS", False, _errors.PveTLSError, "%sTLS certificate verification failed for %s: %s. %s" % (
            where, endpoint, verification.verify_message or verification.reason or "not trusted", TLS_HINT))
    handshake = find(exc, ssl.SSLError)
    reason = getattr(handshake, "reason", None) if handshake is not None else None
    if reason in NOT_TLS_REASONS:
        return Failure("TLS", False, _errors.PveTLSError,
                       "%sscheme mismatch: api_host says https://, but %s does not speak TLS (%s); it is a plain-HTTP "
                       "port, not PVE's API port (8006, HTTPS only): check api_host/api_port" % (where, endpoint, reason))
    return Failure("TLS", False, _errors.PveTLSError, "%sthe TLS handshake with %s failed (%s). %s"
                   % (where, endpoint, reason or type(handshake or exc).__name__, TLS_HINT))


def _detail(exc):
    """A short, URL-free word on the innermost cause: its OS error text or its type name."""
    chain = wrapped(exc)
    innermost = chain[-1]
    for inner in reversed(chain):
        if isinstance(inner, OSError) and inner.strerror:
            return inner.strerror
    return type(innermost).__name__
