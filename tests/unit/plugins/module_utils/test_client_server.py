# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""PveClient against a real local server (_local_server.py) where `responses` cannot go: TLS with a throw-away CA,
connections kept and closed, deadlines, transport failures sorted by exception type (_failures.py), reason phrases,
and answer bodies on the wire (encodings, nesting; a decompression bomb in a child under an address-space cap) on
every urllib3 the collection accepts (1.26.x and 2.x: the client decompresses itself, under the cap)."""

from __future__ import annotations

import gzip
import json
import os
import socket
import warnings
import zlib

import pytest
import urllib3

from ansible_collections.pve.cluster.plugins.module_utils import _errors
from ansible_collections.pve.cluster.plugins.module_utils._client import MAX_DEPTH
from ansible_collections.pve.cluster.tests.unit.plugins._capped import run_capped
from ansible_collections.pve.cluster.tests.unit.plugins._hostile_server import Hostile, slow_drip
from ansible_collections.pve.cluster.tests.unit.plugins.module_utils._local_server import (
    HANG, MIB, TRUNCATE, LocalServer, free_port, write_ca_and_cert)
# record and fast_backoff are pytest fixtures (fast_backoff autouse): imported to be active here
from ansible_collections.pve.cluster.tests.unit.plugins.module_utils import test_client
from ansible_collections.pve.cluster.tests.unit.plugins.module_utils.test_client import (
    OK, SECRET, TOKEN_ID, make_client, retry_warnings, token_params)
from ansible_collections.pve.cluster.tests.unit.plugins.modules._module_runner import profile_sim

fast_backoff = test_client.fast_backoff
record = test_client.record
JSON = {"Content-Type": "application/json;charset=UTF-8"}


def answer(status=200, reason="OK", body=None, headers=None):
    """A LocalServer handler: `body` (JSON data, or bytes as they are) with `headers`."""
    payload = body if isinstance(body, bytes) else b"" if body is None else json.dumps(body).encode()
    return lambda request: (status, reason, dict(JSON, **(headers or {})), payload)


_ok = answer(body={"data": OK})


def _local_params(server, scheme="https", **overrides):
    overrides.setdefault("api_retries", 0)
    if scheme == "http":
        overrides.setdefault("api_allow_http", True)   # the opt-in (these servers speak plain HTTP)
    return token_params(api_host="%s://127.0.0.1:%d" % (scheme, server.port), **overrides)


def _redirect_to_https(request):
    """What pveproxy answers to plain HTTP on its HTTPS port since 2023 (pve-http-server
    src/PVE/APIServer/AnyEvent.pm, ensure_tls_connection): 301 to the https:// URL."""
    return 301, "Moved Permanently", {"Location": "https://%s%s" % (request["headers"].get("Host"), request["path"])}, b""


# ---------------------------------------------------------------------------------------------
# Failures: what each says, whether it is retried, the call named once


FAILURES = [
    # id, handler, TLS server, api_host scheme, options, error, texts of it (ENDPOINT: 127.0.0.1:<port>), requests,
    # retries
    ("untrusted", _ok, True, "https", {}, _errors.PveTLSError, ["ENDPOINT", "ca_path", "validate_certs"], 0, []),
    # no retry for a scheme mismatch: another attempt cannot help
    ("https to http", _ok, False, "https", {"api_retries": 3}, _errors.PveTLSError,
     ["scheme mismatch", "https://", "does not speak TLS", "ENDPOINT"], 0, []),
    ("http to https redirect", _redirect_to_https, False, "http", {"api_retries": 3}, _errors.PveConnectionError,
     ["scheme mismatch", "speaks HTTPS", "use https://"], 1, []),
    # pveproxy before 2023 closed a plain-HTTP connection on its TLS port without an answer
    ("http to tls", _ok, True, "http", {}, _errors.PveConnectionError, ["without an HTTP answer", "scheme mismatch", "use https://"], 0, []),
    ("redirect", answer(302, "Found", headers={"Location": "/login"}), False, "http", {}, _errors.PveInvalidResponseError,
     ["HTTP 302, a redirect to '/login'"], 1, []),
    # what the client decided (the deadline it used, the attempts), not how long it took
    ("hang", lambda request: HANG, False, "http", {"api_timeout": 1, "api_retries": 1}, _errors.PveTimeoutError,
     ["ENDPOINT", "api_timeout=1s", "after 2 attempts"], 2, ["timeout, retry 1 of 1"]),
    ("truncated", lambda request: (TRUNCATE, 500, b'{"data": {"version": "9.'), False, "http", {}, _errors.PveInvalidResponseError,
     ["cut off"], 1, []),
] + [
    # PVE before 2025: the message only in the reason phrase (the body has data + errors); none of these retried
    ("HTTP %d" % status, answer(status, reason, body), False, "http", {"api_retries": 2}, error_type,
     ["GET /version failed: " + text], 1, [])
    for status, reason, body, error_type, text in [
        (400, "Parameter verification failed.", {"data": None, "errors": {"vmid": "VM 200 already exists"}},
         _errors.PveBadRequestError, "HTTP 400 Parameter verification failed. (vmid: VM 200 already exists)"),
        (401, "Authentication failed!", None, _errors.PveAuthError, "HTTP 401 Authentication failed!"),
        (403, "Permission check failed (/vms/100, VM.Audit)", None, _errors.PvePermissionError,
         "HTTP 403 Permission check failed (/vms/100, VM.Audit)"),
        (595, "Errors during connection establishment, proxy handshake: No route to host", None,
         _errors.PveNodeUnreachableError, "HTTP 595 Errors during connection establishment, proxy handshake: No route"),
        (596, "Broken pipe", None, _errors.PveNodeUnreachableError, "HTTP 596 Broken pipe"),
        (501, "Method 'GET /nodes/pve1/foo' not implemented", None, _errors.PveServerError, "HTTP 501 Method 'GET /nodes"),
        # PVE since 2025: the message in the body too (it wins over the reason phrase)
        (500, "Internal Server Error", {"data": None, "message": "Configuration file '100.conf' does not exist\n"},
         _errors.PveServerError, "HTTP 500 Configuration file '100.conf' does not exist"),
    ]]


@pytest.mark.parametrize("handler, tls, scheme, options, error_type, texts, requests_made, retried",
                         [pytest.param(*row[1:], id=row[0]) for row in FAILURES])
def test_failures(record, tmp_path, handler, tls, scheme, options, error_type, texts, requests_made, retried):
    with LocalServer(handler, tls=tls, tmp_path=tmp_path) as server:
        client = make_client(record, **_local_params(server, scheme=scheme, **options))
        _err, text = record.get_error(client, error_type)
    assert [part for part in texts if part.replace("ENDPOINT", "127.0.0.1:%d" % server.port) not in text] == [], text
    assert text.count("GET /version") == 1 and ("scheme" in text) is ("scheme mismatch" in texts)
    assert len(server.requests) == requests_made
    assert retry_warnings(record) == retried


@pytest.mark.parametrize("api_host, texts, retried", [
    ("pve-does-not-exist.invalid", ["cannot resolve the host name pve-does-not-exist.invalid",
                                    "Name or service not known", "check api_host"], []),
    ("127.0.0.1:FREE_PORT", ["connection refused", "api_timeout=3s", "after 2 attempts"],
     ["connection refused, retry 1 of 1"]),
], ids=["unknown host", "refused port"])
def test_unknown_host_fails_at_once_a_refused_port_is_retried(record, monkeypatch, api_host, texts, retried):
    api_host = api_host.replace("FREE_PORT", str(free_port()))
    lookups = []
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        lookups.append(host)
        if host.endswith(".invalid"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real_getaddrinfo(host, *args, **kwargs)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    client = make_client(record, **token_params(api_host=api_host, api_timeout=3, api_retries=1))
    _err, text = record.get_error(client, _errors.PveConnectionError)
    assert [part for part in texts if part not in text] == [] and text.count("GET /version") == 1, text
    assert retry_warnings(record) == retried and ("after" in text) is bool(retried)
    assert retried or lookups == [api_host]   # the unknown name: looked up once


def test_failures_are_not_sorted_by_their_text(record, monkeypatch):
    """A refused connection whose text says "timed out" and "IncompleteRead" is still a refused connection."""
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError(111, "timed out IncompleteRead Connection broken")
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr("urllib3.util.connection.create_connection", refuse)
    client = make_client(record, **token_params(api_host="127.0.0.1:%d" % free_port(), api_retries=0))
    _err, text = record.get_error(client, _errors.PveConnectionError)
    assert "connection refused" in text and "cut off" not in text and "api_timeout=1s" in text


# ---------------------------------------------------------------------------------------------
# TLS and connections


def test_tls_ca_path_succeeds_and_reuses_one_connection(record, tmp_path):
    with LocalServer(_ok, tls=True, tmp_path=tmp_path) as server:
        client = make_client(record, **_local_params(server, ca_path=server.ca_path))
        for _round in range(4):
            assert client.get("/version") == OK
        client.close()
    assert len(server.requests) == 4
    assert server.connections == 1
    # the token on every request, no login and no cookie
    assert all(r["headers"]["Authorization"] == "PVEAPIToken=%s=%s" % (TOKEN_ID, SECRET) and "Cookie" not in r["headers"]
               for r in server.requests)


@pytest.mark.parametrize("own_ca", [False, True])
def test_requests_ca_bundle_replaces_neither_validate_certs_false_nor_ca_path(record, tmp_path, monkeypatch, own_ca):
    other_ca, _cert, _key = write_ca_and_cert(tmp_path, "unrelated")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", other_ca)
    monkeypatch.setenv("CURL_CA_BUNDLE", other_ca)
    with LocalServer(_ok, tls=True, tmp_path=tmp_path) as server:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            verify = {"ca_path": server.ca_path} if own_ca else {"validate_certs": False}
            client = make_client(record, **_local_params(server, **verify))
            for _round in range(3):
                assert client.get("/version") == OK
    assert len(server.requests) == 3
    assert [w for w in caught if issubclass(w.category, urllib3.exceptions.InsecureRequestWarning)] == []


def test_errors_close_the_connection_and_the_next_request_opens_a_new_one(record):
    """After every answer >= 400 pveproxy closes the connection (`Connection: close`, AnyEvent.pm response():
    keep_alive = 0 if $code >= 400), as the simulator does: the next request opens a new one, without an error or a
    retry."""
    calls = [("/version", None), ("/nodes/pve1/qemu/999/config", None), ("/version", None),
             ("/cluster/resources", {"type": "pool"}), ("/version", None), ("/version", None), ("/nodes/pve3/status", None),
             ("/version", None)]
    outcomes = []
    with profile_sim("pve9") as sim:
        params = token_params(api_host=sim.url, api_token_id=sim.token_id, api_token_secret=sim.token_secret,
                              api_allow_http=True, api_retries=3)
        with make_client(record, **params) as client:
            for path, query in calls:
                try:
                    outcomes.append(client.get(path, params=query)["release"])
                except _errors.PveHttpError as err:
                    outcomes.append(err.status)
        assert sim.request_count() == len(calls) and retry_warnings(record) == []   # nothing retried, nothing lost
        release = sim.profile["version"]["release"]
        assert outcomes == [release, 500, release, 400, release, release, 595, release]
        assert sim.connections == 4   # one for the first answers, a new one after each error


def test_deadlines_hold_in_a_forked_child(record):
    """A process that made a request, then forked (Ansible forks its workers after the inventory is read): in the
    child, an answer dripping a byte every 0.25 s still ends at api_timeout (the parent's deadline thread does
    not run there)."""
    with Hostile() as server:
        server.route("/nodes", slow_drip(interval=0.25))
        client = make_client(record, **_local_params(server, scheme="http", api_timeout=1))
        client.get("/version")  # the deadline thread starts in this process
        pid = os.fork()
        if pid == 0:  # the child: exit status 0 only for the timeout error
            try:
                client.get("/nodes")
            except _errors.PveTimeoutError:
                os._exit(0)
            except BaseException:  # pylint: disable=broad-exception-caught
                pass
            os._exit(1)
        _pid, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, status


# ---------------------------------------------------------------------------------------------
# Answer bodies: what is not PVE's JSON, encodings, nesting


def nested_text(depth):
    """`depth` levels of lists and objects around one string as JSON text, built without recursion (json.dumps
    itself stops near 1,000 levels)."""
    opening = "".join('{"interfaces": ' if level % 2 else "[" for level in reversed(range(depth)))
    closing = "".join("}" if level % 2 else "]" for level in range(depth))
    return opening + '"a\\/b"' + closing  # an escape: the scrubber would walk the answer


BIG = {"version": "9.1", "release": "9.1", "repoid": "x" * 300000}
INVALID = _errors.PveInvalidResponseError
ENCODINGS_REFUSED = (INVALID, "has Content-Encoding")


@pytest.mark.reliability(
    theme="hostile round two", case='6 answer nesting and 7 encodings',
    expected='Data nested 33, 500 or 5,000 levels: a clear error (nested deeper than 32 levels), no RecursionError; '
             '32 levels: read. deflate, gzip around a real answer: decoded and read; br, or six stacked gzip layers: '
             'a clear error naming Content-Encoding and what the client asks for (gzip, deflate).')
@pytest.mark.parametrize("headers, body, outcome", [
    # headers, body bytes, the data get() gives or (error, a text of it)
    ({}, b"{not json", (INVALID, "HTTP 200 with invalid JSON instead of PVE's JSON")),
    ({}, b"", (INVALID, "invalid JSON")),
    ({"Content-Type": "text/html"}, b"<html><body>Welcome to nginx</body></html>", (INVALID, "content-type text/html")),
    ({}, b'{"result": 1}', (INVALID, "JSON without 'data'")),
    ({}, b"[1, 2]", (INVALID, "JSON without 'data'")),
    ({"Content-Encoding": "gzip"}, b"definitely not gzip", (INVALID, "could not be decoded")),
    ({"Content-Encoding": "gzip"}, gzip.compress(json.dumps({"data": OK}).encode(), mtime=0), OK),
    ({"Content-Encoding": "deflate, gzip"}, gzip.compress(zlib.compress(json.dumps({"data": BIG}).encode()), mtime=0), BIG),
    ({"Content-Encoding": "br"}, b"{}", ENCODINGS_REFUSED),
    ({"Content-Encoding": "gzip, gzip, gzip, gzip, gzip, gzip"}, b"{}", ENCODINGS_REFUSED),
    ({}, ('{"data": %s}' % nested_text(MAX_DEPTH)).encode(), json.loads(nested_text(MAX_DEPTH))),
] + [({}, ('{"data": %s}' % nested_text(depth)).encode(), (INVALID, "nested deeper than %d levels" % MAX_DEPTH))
     for depth in (MAX_DEPTH + 1, 500, 5000)])
def test_answer_bodies(record, headers, body, outcome):
    with LocalServer(answer(body=body, headers=headers)) as server:
        client = make_client(record, **_local_params(server, scheme="http", api_retries=2))
        if isinstance(outcome, tuple):
            _err, text = record.get_error(client, outcome[0])
            assert outcome[1] in text and "127.0.0.1:%d" % server.port in text, text
        else:
            assert client.get("/version") == outcome
    assert len(server.requests) == 1   # an answer that is not PVE's JSON is not retried
    assert server.requests[0]["headers"]["Accept-Encoding"] == "gzip, deflate"
    if outcome == ENCODINGS_REFUSED:
        assert "gzip, deflate" in text


def bomb(encodings):
    """An answer body for `Content-Encoding: <encodings>`: 1 GiB after every layer is undone (1,024 gzip members of
    1 MiB zeros, valid gzip: members may follow one another, ~1 MB; wrapped in the further layers)."""
    body = gzip.compress(b"\0" * MIB, 9) * 1024
    for name in encodings.split(",")[1:]:
        body = gzip.compress(body, 9) if name.strip() == "gzip" else zlib.compress(body, 9)
    return body


CHILD_GET = """
from ansible_collections.pve.cluster.plugins.module_utils._client import PveClient
from ansible_collections.pve.cluster.plugins.module_utils._options import ConnectionConfig
client = PveClient(ConnectionConfig.from_params(%r))
try:
    client.get("/version")
    RESULT({"error": None})
except Exception as err:
    RESULT({"error": type(err).__name__, "message": str(err)})
"""


@pytest.mark.reliability(
    theme="hostile round two", case='7 decompression bomb',
    expected='1 GiB after decompression (Content-Encoding gzip, gzip; 1,024 gzip members; gzip, deflate; a '
             "301's body): fails naming api_max_answer_mb, in a child under a 900 MiB address-space cap, on "
             'urllib3 2.x and 1.26.18.')
@pytest.mark.parametrize("status, encodings", [
    (200, "gzip, gzip"),      # urllib3 1.26: 2 GiB RSS; 2.5: 500 s (issue 29 point 7)
    (200, "gzip"),            # 1,024 members in one layer: urllib3 1.26 expands every member of a read at once
    (200, "gzip, deflate"),
    (301, "gzip"),            # requests reads a redirect's whole body itself, decoded, even without following it
], ids=["gzip-gzip", "gzip-members", "gzip-deflate", "redirect-gzip"])
def test_decompression_bomb_is_refused_under_the_cap(status, encodings):
    headers = {"Content-Encoding": encodings, "Location": "https://elsewhere.example/"}
    with LocalServer(answer(status, "Moved" if status == 301 else "OK", bomb(encodings), headers)) as server:
        outcome = run_capped(CHILD_GET % (server.params(api_max_answer_mb=8),), as_mib=900, timeout=120)
    assert not outcome["killed"] and outcome["rc"] == 0, outcome
    assert outcome["result"]["error"] == "PveInvalidResponseError", outcome
    assert "larger than api_max_answer_mb=8 MiB (after decompression)" in outcome["result"]["message"]
