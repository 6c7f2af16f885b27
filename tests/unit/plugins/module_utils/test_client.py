# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""PveClient at the HTTP level: `responses` for HTTP answers, a real local server for TLS,
keep-alive, timeouts, refused connections, reason phrases and truncated bodies."""

from __future__ import annotations

import gzip
import json
import os
import warnings
from urllib.parse import parse_qs

import pytest
import requests
import responses
import urllib3

from ansible_collections.pve.cluster.plugins.module_utils import _client, _errors
from ansible_collections.pve.cluster.plugins.module_utils._client import PveClient
from ansible_collections.pve.cluster.plugins.module_utils._options import ConnectionConfig
from ansible_collections.pve.cluster.tests.unit.plugins.module_utils._local_server import (
    HANG, TRUNCATE, LocalServer, free_port, write_ca_and_cert)
from ansible_collections.pve.cluster.tests.unit.plugins.module_utils._samples import find_samples_dir
from ansible_collections.pve.cluster.tests.unit.plugins._hostile_server import Hostile, slow_drip

TOKEN_ID = "root@pam!ansible"
SECRET = "6f2b7c1e-8d4a-SECRET-TOKEN-9d1a2b3c4d5e"
PASSWORD = "hunter2-SECRET-PASSWORD"
TICKET = "PVE:root@pam:4EEC61E2::SECRETticketSIGNATURE+/abc=="
CSRF = "4EEC61E2:SECRETcsrfSIGNATURE"
SECRETS = (SECRET, PASSWORD, TICKET, CSRF)
HOST = "pve1.example.com"
BASE = "https://%s:8006/api2/json" % HOST


def _json(data, **extra):
    body = {"data": data}
    body.update(extra)
    return body


class Recorder:
    """warn/log callbacks plus every other text a test produced (reprs, exception texts)."""

    def __init__(self):
        self.warnings = []
        self.logs = []
        self.texts = []

    def warn(self, msg):
        self.warnings.append(msg)

    def log(self, msg):
        self.logs.append(msg)

    def error(self, excinfo):
        """Keep the text of an exception caught with pytest.raises and return it."""
        err = excinfo.value
        text = "%s\n%r\n%s" % (err, err, getattr(err, "to_result", lambda: {})())
        self.texts.append(text)
        return str(err)

    def get_error(self, client, error_type, path="/version", **arguments):
        """client.get(path, **arguments) must raise error_type: (the exception, its text), the text kept."""
        with pytest.raises(error_type) as excinfo:
            client.get(path, **arguments)
        return excinfo.value, self.error(excinfo)


@pytest.fixture
def record(capsys, caplog):
    recorder = Recorder()
    yield recorder
    captured = capsys.readouterr()
    everything = "\n".join(recorder.warnings + recorder.logs + recorder.texts
                           + [captured.out, captured.err, caplog.text])
    for secret in SECRETS:
        assert secret not in everything


@pytest.fixture(autouse=True)
def fast_backoff(monkeypatch):
    monkeypatch.setattr(_client, "BACKOFF_FACTOR", 0.01)


@pytest.fixture
def samples_dir():
    return find_samples_dir()


@pytest.fixture
def mocked():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def token_params(**overrides):
    params = {"api_host": HOST, "api_token_id": TOKEN_ID, "api_token_secret": SECRET,
              "api_timeout": 1, "api_retries": 2}
    params.update(overrides)
    return params


def password_params(**overrides):
    params = {"api_host": HOST, "api_user": "root@pam", "api_password": PASSWORD, "api_timeout": 1, "api_retries": 2}
    params.update(overrides)
    return params


def make_client(record, **params):
    config = ConnectionConfig.from_params(params or token_params())
    client = PveClient(config, warn=record.warn, log=record.log)
    record.texts.extend([repr(config), str(config), repr(client), repr(client._auth)])
    return client


def add_login(mocked, status=200, body=None):
    mocked.add(responses.POST, BASE + "/access/ticket", status=status,
               json=body if body is not None else _json({"ticket": TICKET, "CSRFPreventionToken": CSRF,
                                                         "username": "root@pam", "cap": {}}))


# ---------------------------------------------------------------------------------------------
# Base URL: the client sends its requests where api_host/api_port say


@pytest.mark.parametrize("api_host, api_port, url", [
    ("pve1.example.com", None, "https://pve1.example.com:8006/api2/json/version"),
    ("pve1.example.com:8443", None, "https://pve1.example.com:8443/api2/json/version"),
    ("pve1.example.com", 9000, "https://pve1.example.com:9000/api2/json/version"),
    ("https://pve1.example.com:8443", None, "https://pve1.example.com:8443/api2/json/version"),
    ("https://pve1.example.com:8443/api2/json", None, "https://pve1.example.com:8443/api2/json/version"),
    ("https://pve1.example.com/api2/json/", None, "https://pve1.example.com:8006/api2/json/version"),
    ("10.1.2.3", None, "https://10.1.2.3:8006/api2/json/version"),
    ("2001:db8::5", None, "https://[2001:db8::5]:8006/api2/json/version"),
    ("[2001:db8::5]", None, "https://[2001:db8::5]:8006/api2/json/version"),
    ("[2001:db8::5]:8443", None, "https://[2001:db8::5]:8443/api2/json/version"),
])
def test_requests_go_to_the_base_url(mocked, record, api_host, api_port, url):
    mocked.add(responses.GET, url, json=_json({"version": "9.1.2"}))
    client = make_client(record, **token_params(api_host=api_host, api_port=api_port))
    assert client.get("/version") == {"version": "9.1.2"}
    assert [call.request.url for call in mocked.calls] == [url]


def test_http_only_with_the_opt_in_and_a_warning_on_every_client(mocked, record):
    url = "http://pve1.example.com:8006/api2/json/version"
    mocked.add(responses.GET, url, json=_json({"version": "9.1.2"}))
    with pytest.raises(_errors.PveOptionError, match="clear text"):
        make_client(record, **token_params(api_host="http://pve1.example.com"))
    client = make_client(record, **token_params(api_host="http://pve1.example.com", api_allow_http=True))
    assert client.get("/version") == {"version": "9.1.2"}
    assert [call.request.url for call in mocked.calls] == [url]
    assert record.warnings == ["api_host uses http:// (api_allow_http: true): the API token travels in clear text "
                               "to pve1.example.com:8006"]


@pytest.mark.parametrize("api_host", ["", "ftp://pve1", "https://pve1/other", "pve1/api2/json", "a:b:c", "[::1]x",
                                      "[]", "[zz::zz]", "pve1:abc", "pve1:70000", "-pve1", "pve1..example",
                                      "https://root:pw-in-url@pve1"])
def test_invalid_api_host_is_an_option_error_before_any_request(mocked, record, api_host):
    with pytest.raises(_errors.PveOptionError) as excinfo:
        make_client(record, **token_params(api_host=api_host))
    assert excinfo.value.option == "api_host"
    assert str(excinfo.value).startswith("api_host: ")
    assert "pw-in-url" not in record.error(excinfo)
    assert len(mocked.calls) == 0


# ---------------------------------------------------------------------------------------------
# Authentication


def test_token_header_and_no_login(mocked, record):
    mocked.add(responses.GET, BASE + "/version", json=_json({}))
    client = make_client(record)
    client.get("/version")
    client.get("/version")
    assert len(mocked.calls) == 2
    for call in mocked.calls:
        assert call.request.headers["Authorization"] == "PVEAPIToken=root@pam!ansible=" + SECRET
        assert "Cookie" not in call.request.headers


def test_bare_token_name_is_combined_with_api_user(mocked, record):
    mocked.add(responses.GET, BASE + "/version", json=_json({}))
    client = make_client(record, **token_params(api_token_id="audit", api_user="ansible@pve"))
    client.get("/version")
    assert mocked.calls[0].request.headers["Authorization"] == "PVEAPIToken=ansible@pve!audit=" + SECRET


@pytest.mark.parametrize("params, option", [
    (token_params(api_token_id="audit"), "api_token_id"),                                  # bare name, no user
    (token_params(api_password=PASSWORD, api_user="root@pam"), "api_password"),           # both kinds
    (token_params(api_token_secret=None), "api_token_secret"),
    (token_params(api_token_id=None), "api_token_id"),
    (token_params(api_token_id="root@pam!"), "api_token_id"),
    (token_params(api_token_id="audit", api_user="nouser"), "api_user"),
    (token_params(api_token_secret=SECRET + "\r\nX-Injected: 1"), "api_token_secret"),
    (password_params(api_user=None), "api_user"),
    (password_params(api_user="root"), "api_user"),
    ({"api_host": HOST}, None),                                                          # no credentials
])
def test_credential_errors_name_the_option(mocked, record, params, option):
    with pytest.raises(_errors.PveOptionError) as excinfo:
        make_client(record, **params)
    text = record.error(excinfo)
    assert excinfo.value.option == option
    if option:
        assert text.startswith(option + ": ")
    else:
        assert "api_token_id" in text and "api_password" in text
    assert len(mocked.calls) == 0


def test_password_logs_in_once_per_client_with_form_fields(mocked, record):
    add_login(mocked)
    mocked.add(responses.GET, BASE + "/version", json=_json({"version": "9.1.2"}))
    mocked.add(responses.GET, BASE + "/nodes", json=_json([]))
    client = make_client(record, **password_params())
    client.get("/version")
    client.get("/nodes")
    client.get("/version")
    methods = [(call.request.method, call.request.path_url) for call in mocked.calls]
    assert methods == [("POST", "/api2/json/access/ticket"), ("GET", "/api2/json/version"),
                       ("GET", "/api2/json/nodes"), ("GET", "/api2/json/version")]
    login = mocked.calls[0].request
    assert login.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert parse_qs(login.body) == {"username": ["root@pam"], "password": [PASSWORD]}
    assert "Cookie" not in login.headers and "Authorization" not in login.headers
    for call in mocked.calls[1:]:
        assert call.request.headers["Cookie"] == "PVEAuthCookie=" + TICKET
        assert "CSRFPreventionToken" not in call.request.headers   # GET needs none
        assert "Authorization" not in call.request.headers


def test_refused_ticket_logs_in_again_once(mocked, record):
    add_login(mocked)
    mocked.add(responses.GET, BASE + "/version", status=401)
    mocked.add(responses.GET, BASE + "/version", json=_json({"version": "9.1.2"}))
    client = make_client(record, **password_params())
    assert client.get("/version") == {"version": "9.1.2"}
    assert [c.request.method for c in mocked.calls] == ["POST", "GET", "POST", "GET"]
    assert any("logging in again" in line for line in record.logs)


def test_second_refusal_is_an_auth_error(mocked, record):
    add_login(mocked)
    mocked.add(responses.GET, BASE + "/version", status=401)
    client = make_client(record, **password_params())
    err, text = record.get_error(client, _errors.PveAuthError)
    assert err.status == 401
    assert "api_token_id" in text and "api_password" in text   # the hint
    assert [c.request.method for c in mocked.calls] == ["POST", "GET", "POST", "GET"]


@pytest.mark.parametrize("status, body, expected", [
    (401, {"data": None, "message": "authentication failure\n"}, ["POST /access/ticket", "authentication failure"]),
    (200, _json({"ticket": "PVE:root@pam:4EEC61E2::partial", "NeedTFA": 1, "username": "root@pam"}),
     ["two-factor", "API token"]),
])
def test_refused_login_is_an_auth_error_without_the_password(mocked, record, status, body, expected):
    add_login(mocked, status=status, body=body)
    client = make_client(record, **password_params())
    _err, text = record.get_error(client, _errors.PveAuthError)
    assert all(part in text for part in expected), text
    assert len(mocked.calls) == 1   # no GET without a ticket, and the login is not retried


@pytest.mark.parametrize("ticket", [None, "", "PVE:root@pam:4EEC61E2::sig\r\nX-Injected: 1"])
def test_login_without_a_usable_ticket(mocked, record, ticket):
    add_login(mocked, body=_json({"ticket": ticket, "CSRFPreventionToken": CSRF, "username": "root@pam"}))
    client = make_client(record, **password_params())
    _err, text = record.get_error(client, _errors.PveInvalidResponseError)
    assert "ticket" in text
    assert len(mocked.calls) == 1


# ---------------------------------------------------------------------------------------------
# verify and timeout go with every request


def test_verify_and_timeout_on_every_request(mocked, record, tmp_path, monkeypatch):
    # requests replaces verify=True (only True) by $REQUESTS_CA_BUNDLE: keep that out of this test
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    ca_path, _cert, _key = write_ca_and_cert(tmp_path, "other")
    mocked.add(responses.GET, BASE + "/version", json=_json({}))
    add_login(mocked)
    for params, expected in ((token_params(ca_path=ca_path, api_timeout=7), ca_path),
                             (token_params(validate_certs=False, api_timeout=7), False),
                             (password_params(validate_certs="no", api_timeout=7), False),
                             (token_params(api_timeout=7), True)):
        mocked.calls.reset()
        client = make_client(record, **params)
        client.get("/version")
        assert mocked.calls
        for call in mocked.calls:
            assert call.request.req_kwargs["verify"] == expected
            assert call.request.req_kwargs["timeout"] == 7


def test_missing_ca_path_is_an_option_error(record, tmp_path):
    with pytest.raises(_errors.PveOptionError) as excinfo:
        make_client(record, **token_params(ca_path=str(tmp_path / "missing.pem")))
    assert excinfo.value.option == "ca_path"
    assert "missing.pem" in record.error(excinfo)


# ---------------------------------------------------------------------------------------------
# TLS against a real local HTTPS server with a throw-away CA


def _ok(request):
    return 200, "OK", {"Content-Type": "application/json;charset=UTF-8"}, json.dumps(_json({"version": "9.1.2"})).encode()


def _local_params(server, scheme="https", **overrides):
    overrides.setdefault("api_retries", 0)
    if scheme == "http":
        overrides.setdefault("api_allow_http", True)   # the opt-in (these servers speak plain HTTP)
    return token_params(api_host="%s://127.0.0.1:%d" % (scheme, server.port), **overrides)


def test_tls_default_verification_fails_with_a_hint(record, tmp_path):
    with LocalServer(_ok, tls=True, tmp_path=tmp_path) as server:
        client = make_client(record, **_local_params(server))
        _err, text = record.get_error(client, _errors.PveTLSError)
    assert "127.0.0.1:%d" % server.port in text
    assert "ca_path" in text and "validate_certs" in text
    assert server.requests == []


def test_tls_ca_path_succeeds_and_reuses_one_connection(record, tmp_path):
    with LocalServer(_ok, tls=True, tmp_path=tmp_path) as server:
        client = make_client(record, **_local_params(server, ca_path=server.ca_path))
        for _round in range(4):
            assert client.get("/version") == {"version": "9.1.2"}
        client.close()
    assert len(server.requests) == 4
    assert server.connections == 1
    assert all(r["headers"]["Authorization"] == "PVEAPIToken=%s=%s" % (TOKEN_ID, SECRET) for r in server.requests)


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
                assert client.get("/version") == {"version": "9.1.2"}
    assert len(server.requests) == 3
    assert [w for w in caught if issubclass(w.category, urllib3.exceptions.InsecureRequestWarning)] == []


# ---------------------------------------------------------------------------------------------
# Keep-alive, timeouts, refused connections (plain HTTP local server)


def test_keep_alive_one_connection_for_many_requests(record):
    with LocalServer(_ok) as server:
        with make_client(record, **_local_params(server, scheme="http")) as client:
            for _round in range(10):
                client.get("/version")
    assert len(server.requests) == 10
    assert server.connections == 1


def test_timeout_when_the_server_never_answers(record):
    with LocalServer(lambda request: HANG) as server:
        client = make_client(record, **_local_params(server, scheme="http", api_timeout=1, api_retries=1))
        _err, text = record.get_error(client, _errors.PveTimeoutError)
    # what the client decided (the deadline it used, the attempts, the backoff), not how long it took
    assert "127.0.0.1:%d" % server.port in text and "api_timeout=1s" in text and "after 2 attempts" in text, text
    assert len(server.requests) == 2
    http_warning, *retries = record.warnings    # the first: plain HTTP (api_allow_http) warns on every client
    assert "clear text" in http_warning and len(retries) == 1, record.warnings
    assert "GET /version: timeout, retry 1 of 1 in " in retries[0], retries  # the backoff is patched to 0 here


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


def test_connection_refused_names_host_port_and_timeout(record):
    port = free_port()
    client = make_client(record, **token_params(api_host="127.0.0.1:%d" % port, api_timeout=3, api_retries=1))
    _err, text = record.get_error(client, _errors.PveConnectionError)
    assert "127.0.0.1:%d" % port in text
    assert "refused" in text and "api_timeout=3" in text
    assert "after 2 attempts" in text
    assert len(record.warnings) == 1 and "api_retries" in record.warnings[0]


def test_truncated_body_is_an_invalid_response(record):
    with LocalServer(lambda request: (TRUNCATE, 500, b'{"data": {"version": "9.')) as server:
        client = make_client(record, **_local_params(server, scheme="http"))
        _err, text = record.get_error(client, _errors.PveInvalidResponseError)
    assert "cut off" in text


def _pve_error(status, reason, body=None):
    def handler(request):
        payload = json.dumps(body).encode() if body is not None else b""
        return status, reason, {"Content-Type": "application/json;charset=UTF-8"}, payload
    return handler


@pytest.mark.parametrize("status, reason, body, error_type, expected", [
    # PVE before 2025: the message only in the reason phrase, the body has data + errors
    (400, "Parameter verification failed.", {"data": None, "errors": {"vmid": "VM 200 already exists"}},
     _errors.PveBadRequestError, "HTTP 400 Parameter verification failed. (vmid: VM 200 already exists)"),
    (401, "Authentication failed!", None, _errors.PveAuthError, "HTTP 401 Authentication failed!"),
    (403, "Permission check failed (/vms/100, VM.Audit)", None, _errors.PvePermissionError,
     "Permission check failed (/vms/100, VM.Audit)"),
    (595, "Errors during connection establishment, proxy handshake: No route to host", None,
     _errors.PveNodeUnreachableError, "HTTP 595 Errors during connection establishment, proxy handshake: No route to host"),
    (596, "Broken pipe", None, _errors.PveNodeUnreachableError, "HTTP 596 Broken pipe"),
    (501, "Method 'GET /nodes/pve1/foo' not implemented", None, _errors.PveServerError, "not implemented"),
])
def test_error_message_from_the_reason_phrase(record, status, reason, body, error_type, expected):
    with LocalServer(_pve_error(status, reason, body)) as server:
        client = make_client(record, **_local_params(server, scheme="http", api_retries=2))
        err, text = record.get_error(client, error_type, "/nodes/{node}/status", node="pve1")
    assert expected in text
    assert text.startswith("GET /nodes/pve1/status failed: HTTP %d" % status)
    assert err.status == status
    assert len(server.requests) == 1   # none of these is retried


# ---------------------------------------------------------------------------------------------
# Retries


@pytest.mark.parametrize("status", [502, 503, 504])
def test_get_retried_on_gateway_errors_then_succeeds(mocked, record, status):
    mocked.add(responses.GET, BASE + "/version", status=status)
    mocked.add(responses.GET, BASE + "/version", status=status)
    mocked.add(responses.GET, BASE + "/version", json=_json({"version": "9.1.2"}))
    client = make_client(record, **token_params(api_retries=3))
    assert client.get("/version") == {"version": "9.1.2"}
    assert len(mocked.calls) == 3
    assert len(record.warnings) == 2
    assert all("HTTP %d" % status in w and "api_retries" in w for w in record.warnings)
    assert "retry 1 of 3" in record.warnings[0] and "retry 2 of 3" in record.warnings[1]


def test_retries_exhausted_raise_the_last_error(mocked, record):
    mocked.add(responses.GET, BASE + "/version", status=502)
    mocked.add(responses.GET, BASE + "/version", status=502)
    mocked.add(responses.GET, BASE + "/version", status=503, json={"data": None, "message": "last one\n"})
    client = make_client(record, **token_params(api_retries=2))
    err, text = record.get_error(client, _errors.PveServerError)
    assert err.status == 503 and "last one" in text
    assert len(mocked.calls) == 3


def test_connection_errors_retried_then_last_error(mocked, record):
    mocked.add(responses.GET, BASE + "/version", body=requests.exceptions.ConnectionError("first failure"))
    mocked.add(responses.GET, BASE + "/version", body=requests.exceptions.ConnectTimeout("connect timed out"))
    client = make_client(record, **token_params(api_retries=1))
    _err, text = record.get_error(client, _errors.PveTimeoutError)
    assert "after 2 attempts" in text
    assert len(mocked.calls) == 2


def test_connection_error_then_success(mocked, record):
    mocked.add(responses.GET, BASE + "/version", body=requests.exceptions.ConnectionError("reset"))
    mocked.add(responses.GET, BASE + "/version", json=_json(1))
    client = make_client(record)
    assert client.get("/version") == 1
    assert len(mocked.calls) == 2 and len(record.warnings) == 1


@pytest.mark.parametrize("status", [500, 400, 401, 403, 501, 595])
def test_other_statuses_never_retried(mocked, record, status):
    mocked.add(responses.GET, BASE + "/version", status=status, json={"data": None, "message": "nope\n"})
    client = make_client(record, **token_params(api_retries=3))
    err, _text = record.get_error(client, _errors.PveHttpError)
    assert err.status == status
    assert len(mocked.calls) == 1 and record.warnings == []


@pytest.mark.parametrize("failure", [dict(status=503), dict(body=requests.exceptions.ConnectionError("reset"))])
def test_login_never_retried(mocked, record, failure):
    """The login (the one POST) is sent once, whatever api_retries says."""
    mocked.add(responses.POST, BASE + "/access/ticket", **failure)
    client = make_client(record, **password_params(api_retries=3))
    record.get_error(client, _errors.PveError)
    assert len(mocked.calls) == 1 and record.warnings == []


def test_backoff_is_exponential_and_capped(mocked, record, monkeypatch):
    monkeypatch.setattr(_client, "BACKOFF_FACTOR", 3.0)
    sleeps = []
    monkeypatch.setattr(_client.time, "sleep", sleeps.append)
    mocked.add(responses.GET, BASE + "/version", status=503)
    client = make_client(record, **token_params(api_retries=5))
    with pytest.raises(_errors.PveServerError):
        client.get("/version")
    assert sleeps == [3.0, 6.0, 8.0, 8.0, 8.0]   # BACKOFF_MAX = 8
    assert len(mocked.calls) == 6


# ---------------------------------------------------------------------------------------------
# Path arguments: validated and escaped before any request


PATH_ARGUMENT_ERRORS = (
    [("/nodes/{node}/status", {"node": node}, "node")
     for node in ["pve_1", "-pve1", "pve1-", "../x", "a/b", "", "pve 1", None, 5]]
    + [("/nodes/{node}/qemu/{vmid}/config", {"node": "pve1", "vmid": vmid}, "vmid")
       for vmid in [99, 0, -1, 1000000000, "abc", "", True, None, "1e3"]]
    + [("/nodes/{node}/storage/{storage}/status", {"node": "pve1", "storage": storage}, "storage")
       for storage in ["..", ".", ""]]   # dot segments
    + [("/nodes/{node}/status", {}, "node")])   # a missing path argument


@pytest.mark.parametrize("path, arguments, option", PATH_ARGUMENT_ERRORS)
def test_invalid_path_argument_no_request(mocked, record, path, arguments, option):
    client = make_client(record)
    err, text = record.get_error(client, _errors.PveOptionError, path, **arguments)
    assert err.option == option
    if option == "vmid":
        assert "100" in text and "999999999" in text
    assert len(mocked.calls) == 0


def test_path_segments_escaped(mocked, record):
    upid = "UPID:pve1:0000AB12:00C0FFEE:6124E1B9:vzdump:100:ansible@pve!audit:"
    mocked.add(responses.GET, responses.matchers.re.compile(r".*"), json=_json({}))
    client = make_client(record)
    client.get("/nodes/{node}/tasks/{upid}/status", node="pve1", upid=upid)
    client.get("/nodes/{node}/qemu/{vmid}/config", node="pve1", vmid="0100")
    client.get("/nodes/{node}/storage/{storage}/content", node="pve1", storage="a b/../c?d#e")
    paths = [call.request.path_url for call in mocked.calls]
    assert paths[0] == ("/api2/json/nodes/pve1/tasks/UPID%3Apve1%3A0000AB12%3A00C0FFEE%3A6124E1B9%3Avzdump%3A100"
                        "%3Aansible%40pve%21audit%3A/status")
    assert paths[1] == "/api2/json/nodes/pve1/qemu/100/config"
    assert paths[2] == "/api2/json/nodes/pve1/storage/a%20b%2F..%2Fc%3Fd%23e/content"


def test_query_parameters_booleans_as_0_1_and_none_dropped(mocked, record):
    mocked.add(responses.GET, BASE + "/nodes/pve1/tasks", json=_json([]))
    client = make_client(record)
    client.get("/nodes/{node}/tasks", node="pve1", params={"errors": True, "full": False, "vmid": None, "limit": 5})
    assert parse_qs(mocked.calls[0].request.url.split("?", 1)[1]) == {"errors": ["1"], "full": ["0"], "limit": ["5"]}


# ---------------------------------------------------------------------------------------------
# Answers: envelope, error tree, invalid answers


def test_envelope_unwrapped_and_total_kept(mocked, record):
    mocked.add(responses.GET, BASE + "/nodes/pve1/tasks", json=_json([{"upid": "x"}], total=1234))
    mocked.add(responses.GET, BASE + "/nodes/pve2/tasks", json=_json([]))
    mocked.add(responses.GET, BASE + "/nodes/pve3/tasks", json=_json([], total="17"))
    mocked.add(responses.GET, BASE + "/cluster/nextid", json=_json("100"))
    client = make_client(record)
    assert client.get_with_total("/nodes/{node}/tasks", node="pve1") == ([{"upid": "x"}], 1234)
    assert client.get_with_total("/nodes/{node}/tasks", node="pve2") == ([], None)
    assert client.get_with_total("/nodes/{node}/tasks", node="pve3") == ([], 17)
    assert client.get("/cluster/nextid") == "100"


def test_non_finite_numbers_are_missing_with_one_warning(mocked, record):
    """NaN, Infinity, -Infinity (not JSON, but Python's json reads them) and 1e999 (a float overflow) from the
    server are invalid data: each value becomes None, never a float that int() or the JSON output chokes on."""
    mocked.add(responses.GET, BASE + "/cluster/resources", content_type="application/json",
               body='{"data": [{"vmid": 100, "maxmem": NaN, "mem": Infinity, "cpu": -Infinity, "disk": 1e999, '
                    '"maxdisk": 2.5}]}')
    client = make_client(record)
    assert client.get("/cluster/resources") == [
        {"vmid": 100, "maxmem": None, "mem": None, "cpu": None, "disk": None, "maxdisk": 2.5}]
    assert [w for w in record.warnings if "not finite" in w] == [
        "GET /cluster/resources: 4 number(s) in the answer were not finite or out of range (NaN, Infinity, beyond "
        "+-2**64); treated as missing"]


def test_400_with_errors_and_message(mocked, record):
    mocked.add(responses.GET, BASE + "/cluster/nextid", status=400, json={
        "data": None, "errors": {"vmid": "VM 200 already exists"}, "message": "Parameter verification failed.\n"})
    client = make_client(record)
    err, text = record.get_error(client, _errors.PveBadRequestError, "/cluster/nextid", params={"vmid": 200})
    assert err.errors == {"vmid": "VM 200 already exists"}
    assert err.to_result() == {"status": 400, "errors": {"vmid": "VM 200 already exists"}}
    assert text == "GET /cluster/nextid?vmid=200 failed: HTTP 400 Parameter verification failed. (vmid: VM 200 already exists)"


def test_400_sample_from_a_real_client(mocked, record, samples_dir):
    with open(str(samples_dir / "cluster-nextid" / "go-proxmox_pve7x_nextid_vmid-exists_400.json")) as handle:
        sample = json.load(handle)
    mocked.add(responses.GET, BASE + "/cluster/nextid", status=sample["status"], json=sample["body"])
    client = make_client(record)
    err, _text = record.get_error(client, _errors.PveBadRequestError, "/cluster/nextid", params={"vmid": 200})
    assert err.status == 400


def test_403_keeps_the_permission_path(mocked, record):
    mocked.add(responses.GET, BASE + "/nodes/pve1/qemu/100/config", status=403,
               json={"data": None, "message": "Permission check failed (/vms/100, VM.Audit)\n"})
    client = make_client(record)
    _err, text = record.get_error(client, _errors.PvePermissionError, "/nodes/{node}/qemu/{vmid}/config",
                                  node="pve1", vmid=100)
    assert "Permission check failed (/vms/100, VM.Audit)" in text
    assert "PVEAuditor" in text


def test_500_message_from_body(mocked, record):
    message = "Configuration file 'nodes/pve1/qemu-server/100.conf' does not exist\n"
    mocked.add(responses.GET, BASE + "/nodes/pve1/qemu/100/config", status=500, json={"data": None, "message": message})
    client = make_client(record)
    err, text = record.get_error(client, _errors.PveServerError, "/nodes/{node}/qemu/{vmid}/config",
                                 node="pve1", vmid=100)
    assert text == ("GET /nodes/pve1/qemu/100/config failed: HTTP 500 "
                    "Configuration file 'nodes/pve1/qemu-server/100.conf' does not exist")
    assert not isinstance(err, _errors.PveNodeUnreachableError)


@pytest.mark.parametrize("status", [595, 596, 597, 599])
def test_59x_is_node_unreachable(mocked, record, status):
    mocked.add(responses.GET, BASE + "/nodes/pve2/status", status=status)
    client = make_client(record)
    err, text = record.get_error(client, _errors.PveNodeUnreachableError, "/nodes/{node}/status", node="pve2")
    assert "offline or unreachable" in text
    assert isinstance(err, _errors.PveHttpError)


@pytest.mark.parametrize("body, content_type, expected", [
    (b"{not json", "application/json", "invalid JSON"),
    (b"<html><body>Welcome to nginx</body></html>", "text/html", "text/html"),
    (b'{"result": 1}', "application/json", "JSON without 'data'"),
    (b"", "application/json", "invalid JSON"),
    (b"[1, 2]", "application/json", "JSON without 'data'"),
])
def test_not_pve_json_is_an_invalid_response(mocked, record, body, content_type, expected):
    mocked.add(responses.GET, BASE + "/version", body=body, content_type=content_type)
    client = make_client(record)
    _err, text = record.get_error(client, _errors.PveInvalidResponseError)
    assert expected in text and "HTTP 200" in text and HOST in text
    assert len(mocked.calls) == 1


def test_undecodable_gzip_is_an_invalid_response(mocked, record):
    mocked.add(responses.GET, BASE + "/version", body=b"definitely not gzip",
               headers={"Content-Encoding": "gzip"}, content_type="application/json")
    client = make_client(record)
    _err, text = record.get_error(client, _errors.PveInvalidResponseError)
    assert "decoded" in text


def test_gzip_answer_is_decoded(mocked, record):
    mocked.add(responses.GET, BASE + "/version", body=gzip.compress(json.dumps(_json({"release": "9.1"})).encode()),
               headers={"Content-Encoding": "gzip"}, content_type="application/json")
    client = make_client(record)
    assert client.get("/version") == {"release": "9.1"}


# ---------------------------------------------------------------------------------------------
# Secrets: never in reprs, exception texts, warnings or log lines (the `record` fixture checks
# every test's captured text; these tests provoke the places where a secret could slip in)


def test_reprs_hide_secrets(record):
    for params in (token_params(), password_params()):
        client = make_client(record, **params)
        client._auth.ticket, client._auth.csrf = TICKET, CSRF
        for text in (repr(client), str(client), repr(client.config), str(client.config), repr(client._auth)):
            for secret in SECRETS:
                assert secret not in text


@pytest.mark.parametrize("kind", ["token", "password"])
def test_server_echoing_credentials_does_not_leak_them(mocked, record, kind):
    if kind == "token":
        params, echo = token_params(), "Authorization: PVEAPIToken=%s=%s" % (TOKEN_ID, SECRET)
    else:
        add_login(mocked)
        params, echo = password_params(), "Cookie: PVEAuthCookie=%s; CSRFPreventionToken: %s; password=%s" % (
            TICKET, CSRF, PASSWORD)
    mocked.add(responses.GET, BASE + "/a", status=500, json={"data": None, "message": echo, "errors": {"x": echo}})
    mocked.add(responses.GET, BASE + "/b", body="<html>%s</html>" % echo, content_type="text/html")
    client = make_client(record, **params)
    for path, error in (("/a", _errors.PveServerError), ("/b", _errors.PveInvalidResponseError)):
        _err, text = record.get_error(client, error, path)
        assert "<hidden>" in text


def test_password_client_logs_and_warnings_hold_no_secret(mocked, record):
    add_login(mocked)
    mocked.add(responses.GET, BASE + "/version", status=401)
    mocked.add(responses.GET, BASE + "/version", status=503)
    mocked.add(responses.GET, BASE + "/version", json=_json({}))
    client = make_client(record, **password_params())
    client.get("/version")
    assert record.logs and record.warnings
