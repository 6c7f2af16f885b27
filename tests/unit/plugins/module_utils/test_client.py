# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""PveClient's logic with HTTP mocked by `responses`: base URL, auth and logins, retries, path arguments, answers
and secrets. What needs a real socket (TLS, connections, deadlines, bodies on the wire): test_client_server.py."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, quote_plus

import pytest
import requests
import responses

from ansible_collections.pve.cluster.plugins.module_utils import _client, _errors
from ansible_collections.pve.cluster.plugins.module_utils._client import PveClient
from ansible_collections.pve.cluster.plugins.module_utils._options import ConnectionConfig
from ansible_collections.pve.cluster.tests.unit.plugins.module_utils._local_server import write_ca_and_cert

TOKEN_ID = "root@pam!ansible"
SECRET = "6f2b7c1e-8d4a-SECRET-TOKEN-9d1a2b3c4d5e"
PASSWORD = 'hunter2/SECRET"PASS\\word'   # '/', '"' and '\\': every JSON form of it must be hidden too
TICKET = "PVE:root@pam:4EEC61E2::SECRET/ticket+SIGNATURE/abc=="   # base64: '/', '+' and '='
CSRF = "4EEC61E2:SECRETcsrfSIGNATURE"
SECRETS = (SECRET, PASSWORD, TICKET, CSRF)
HOST = "pve1.example.com"
BASE = "https://%s:8006/api2/json" % HOST
OK = {"version": "9.1.2"}


def _json(data, **extra):
    return dict({"data": data}, **extra)


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
def mocked():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def token_params(**overrides):
    params = {"api_host": HOST, "api_token_id": TOKEN_ID, "api_token_secret": SECRET, "api_timeout": 1, "api_retries": 2}
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


def add_login(mocked, **answer):
    if "body" not in answer:
        answer.setdefault("json", _json({"ticket": TICKET, "CSRFPreventionToken": CSRF, "username": "root@pam"}))
    mocked.add(responses.POST, BASE + "/access/ticket", **answer)


def retry_warnings(record, path="/version"):
    """The retry warnings without their backoff: ["HTTP 502, retry 1 of 3", ...]."""
    prefix = "GET %s: " % path
    return [w[len(prefix):].partition(" in ")[0] for w in record.warnings if w.startswith(prefix)]


# ---------------------------------------------------------------------------------------------
# Base URL (api_host's forms: test_options.py) and the http:// opt-in's warning


@pytest.mark.parametrize("api_host, api_port, url", [
    ("pve1.example.com", None, "https://pve1.example.com:8006/api2/json/version"),
    ("pve1.example.com", 9000, "https://pve1.example.com:9000/api2/json/version"),   # api_port through the options
    ("2001:db8::5", None, "https://[2001:db8::5]:8006/api2/json/version"),
    ("[2001:db8::5]:8443", None, "https://[2001:db8::5]:8443/api2/json/version"),
    ("http://pve1.example.com", None, "http://pve1.example.com:8006/api2/json/version"),  # the opt-in warns
])
def test_requests_go_to_the_base_url(mocked, record, api_host, api_port, url):
    mocked.add(responses.GET, url, json=_json(OK))
    client = make_client(record, **token_params(api_host=api_host, api_port=api_port, api_allow_http=True))
    assert client.get("/version") == OK
    assert [call.request.url for call in mocked.calls] == [url]
    assert record.warnings == (["api_host uses http:// (api_allow_http: true): the API token travels in clear text "
                                "to pve1.example.com:8006"] if url.startswith("http:") else [])


# ---------------------------------------------------------------------------------------------
# Authentication (the credential options' errors: test_options.py)


def test_password_logs_in_once_per_client_with_form_fields(mocked, record):
    add_login(mocked)
    mocked.add(responses.GET, BASE + "/version", json=_json(OK))
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


@pytest.mark.reliability(
    theme="hostile round two", case='14 every call refused with 401',
    expected='A ticket refused once: one re-login, then the answer. 40 refused calls on one client (a module run, '
             'the inventory\'s agent calls): 2 POST /access/ticket (was one per refusal), then each 401 is the error.')
def test_a_refused_ticket_costs_one_relogin_per_client(mocked, record):
    """A ticket refused once (expired): one re-login, then the answer (retried on 503 with the new ticket). A
    server that refuses every call: one login and one re-login in all, then each 401 is the error (not a login per
    refused call: 81 logins for 400 guests before)."""
    add_login(mocked)
    for answer in (dict(status=401), dict(status=503), dict(json=_json(OK))):
        mocked.add(responses.GET, BASE + "/version", **answer)
    client = make_client(record, **password_params())
    assert client.get("/version") == OK
    assert [c.request.method for c in mocked.calls] == ["POST", "GET", "POST", "GET", "GET"]
    assert any("logging in again" in line for line in record.logs) and retry_warnings(record) == ["HTTP 503, retry 1 of 2"]

    mocked.calls.reset()
    mocked.add(responses.GET, BASE + "/nodes", status=401)
    client = make_client(record, **password_params())
    for _call in range(40):
        err, text = record.get_error(client, _errors.PveAuthError, "/nodes")
    assert err.status == 401 and "api_token_id" in text and "api_password" in text   # the hint
    methods = [c.request.method for c in mocked.calls]
    assert methods[:4] == ["POST", "GET", "POST", "GET"] and methods.count("POST") == 2 and len(methods) == 43


@pytest.mark.reliability(
    theme="hostile round two", case='14 login answer is a list',
    expected="POST /access/ticket answers a list: 'PVE answered with a list where an object was expected' (not"
             ' an AttributeError); no ticket, a second factor, a 401, 503 or reset: one request, a clear error.')
@pytest.mark.parametrize("answer, error_type, texts", [
    (dict(status=401, json={"data": None, "message": "authentication failure\n"}), _errors.PveAuthError,
     ["POST /access/ticket", "authentication failure"]),
    (dict(json=_json({"ticket": "PVE:root@pam:4EEC61E2::partial", "NeedTFA": 1, "username": "root@pam"})),
     _errors.PveAuthError, ["two-factor", "API token"]),
    (dict(json=_json({"ticket": None, "CSRFPreventionToken": CSRF})), _errors.PveInvalidResponseError, ["ticket"]),
    (dict(json=_json({"ticket": "", "CSRFPreventionToken": CSRF})), _errors.PveInvalidResponseError, ["ticket"]),
    (dict(json=_json({"ticket": "PVE:root@pam:4EEC61E2::sig\r\nX-Injected: 1", "CSRFPreventionToken": CSRF})),
     _errors.PveInvalidResponseError, ["ticket"]),
    (dict(json=_json([{"ticket": "PVE:root@pam:1::x"}])), _errors.PveInvalidResponseError,
     ["POST /access/ticket: PVE answered with a list where an object was expected"]),
    (dict(status=503), _errors.PveServerError, ["POST /access/ticket failed: HTTP 503"]),
    (dict(body=requests.exceptions.ConnectionError("reset")), _errors.PveConnectionError, ["POST /access/ticket"]),
], ids=["refused", "two-factor", "no ticket", "empty ticket", "ticket with CRLF", "a list", "503", "reset"])
def test_a_failed_login_is_one_request_and_a_clear_error(mocked, record, answer, error_type, texts):
    """The login (the one POST) is sent once, whatever api_retries says; no GET without a ticket."""
    add_login(mocked, **answer)
    client = make_client(record, **password_params(api_retries=3))
    _err, text = record.get_error(client, error_type)
    assert all(part in text for part in texts), text
    assert len(mocked.calls) == 1 and record.warnings == []


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


# ---------------------------------------------------------------------------------------------
# Retries: GET on 502/503/504 and transport failures; nothing else


RESET = requests.exceptions.ConnectionError("reset")
RETRY_CASES = [
    # the answers in turn (a status, an exception or data), api_retries, what get() gives (data, or an error type
    # and a text of it), the retry warnings
    ([502, 502, OK], 3, OK, ["HTTP 502, retry 1 of 3", "HTTP 502, retry 2 of 3"]),
    ([503, 503, OK], 3, OK, ["HTTP 503, retry 1 of 3", "HTTP 503, retry 2 of 3"]),
    ([504, 504, OK], 3, OK, ["HTTP 504, retry 1 of 3", "HTTP 504, retry 2 of 3"]),
    ([RESET, OK], 2, OK, ["connection failed, retry 1 of 2"]),
    ([502, 502, 503], 2, (_errors.PveServerError, "HTTP 503 answer 503"), ["HTTP 502, retry 1 of 2", "HTTP 502, retry 2 of 2"]),
    ([RESET, requests.exceptions.ConnectTimeout("connect timed out")], 1, (_errors.PveTimeoutError, "after 2 attempts"),
     ["connection failed, retry 1 of 1"]),
]   # no other status is retried: the HTTP rows of test_client_server.py::test_failures


@pytest.mark.parametrize("answers, retries, outcome, retried", RETRY_CASES)
def test_get_retries(mocked, record, answers, retries, outcome, retried):
    for answer in answers:
        if isinstance(answer, int):
            mocked.add(responses.GET, BASE + "/version", status=answer, json={"data": None, "message": "answer %d\n" % answer})
        elif isinstance(answer, Exception):
            mocked.add(responses.GET, BASE + "/version", body=answer)
        else:
            mocked.add(responses.GET, BASE + "/version", json=_json(answer))
    client = make_client(record, **token_params(api_retries=retries))
    if isinstance(outcome, tuple):
        _err, text = record.get_error(client, outcome[0])
        assert outcome[1] in text, text
    else:
        assert client.get("/version") == outcome
    assert len(mocked.calls) == len(answers)
    assert retry_warnings(record) == retried and all(w.endswith("(api_retries)") for w in record.warnings)


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


PATH_ARGUMENT_ERRORS = (   # node and vmid: every bad value in test_options.py::test_validators_name_the_option
    [("/nodes/{node}/status", {"node": "../x"}, "node"),
     ("/nodes/{node}/qemu/{vmid}/config", {"node": "pve1", "vmid": 99}, "vmid")]
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


def test_path_segments_escaped_and_query_parameters_encoded(mocked, record):
    upid = "UPID:pve1:0000AB12:00C0FFEE:6124E1B9:vzdump:100:ansible@pve!audit:"
    mocked.add(responses.GET, re.compile(r".*"), json=_json({}))
    client = make_client(record)
    client.get("/nodes/{node}/tasks/{upid}/status", node="pve1", upid=upid)
    client.get("/nodes/{node}/qemu/{vmid}/config", node="pve1", vmid="0100")
    client.get("/nodes/{node}/storage/{storage}/content", node="pve1", storage="a b/../c?d#e")
    client.get("/nodes/{node}/tasks", node="pve1", params={"errors": True, "full": False, "vmid": None, "limit": 5})
    paths = [call.request.path_url for call in mocked.calls]
    assert paths[0] == ("/api2/json/nodes/pve1/tasks/UPID%3Apve1%3A0000AB12%3A00C0FFEE%3A6124E1B9%3Avzdump%3A100"
                        "%3Aansible%40pve%21audit%3A/status")
    assert paths[1] == "/api2/json/nodes/pve1/qemu/100/config"
    assert paths[2] == "/api2/json/nodes/pve1/storage/a%20b%2F..%2Fc%3Fd%23e/content"
    # booleans as 0/1, None not sent
    assert parse_qs(paths[3].split("?", 1)[1]) == {"errors": ["1"], "full": ["0"], "limit": ["5"]}


# ---------------------------------------------------------------------------------------------
# Answers: envelope, numbers (bodies on the wire: test_client_server.py)


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


@pytest.mark.reliability(
    theme="hostile round two", case='9 JSON numbers out of range',
    expected='400- and 5,000-digit JSON numbers, NaN, Infinity, 1e999: None with one warning (not an invalid-JSON '
             'failure); 2**64-1 kept.')
def test_numbers_not_finite_or_out_of_range_are_missing_with_one_warning(mocked, record):
    """NaN, Infinity, -Infinity (not JSON, but Python's json reads them), 1e999 (a float overflow) and integers
    beyond +-2**64 (400 and 5,000 digits: Python refuses more than 4,300) become None, never a float that int() or
    the JSON output chokes on, nor an invalid-JSON failure; 2**64-1 is kept."""
    mocked.add(responses.GET, BASE + "/cluster/resources", content_type="application/json",
               body='{"data": [{"vmid": 100, "maxmem": NaN, "mem": Infinity, "cpu": -Infinity, "disk": 1e999, '
                    '"maxdisk": 2.5, "netin": %s, "netout": %s, "diskread": -%s, "diskwrite": 18446744073709551615}]}'
                    % ("9" * 400, "7" * 5000, "1" * 21))
    client = make_client(record)
    assert client.get("/cluster/resources") == [
        {"vmid": 100, "maxmem": None, "mem": None, "cpu": None, "disk": None, "maxdisk": 2.5, "netin": None,
         "netout": None, "diskread": None, "diskwrite": 2 ** 64 - 1}]
    assert record.warnings == [
        "GET /cluster/resources: 7 number(s) in the answer were not finite or out of range (NaN, Infinity, beyond "
        "+-2**64); treated as missing"]


# ---------------------------------------------------------------------------------------------
# Secrets: never in reprs, exception texts, warnings or log lines (the `record` fixture checks every test's
# captured text; these tests provoke the places where a secret could slip in)


def test_reprs_hide_secrets(record):
    for params in (token_params(), password_params()):
        client = make_client(record, **params)
        client._auth.ticket, client._auth.csrf = TICKET, CSRF
        for text in (repr(client), str(client), repr(client.config), str(client.config), repr(client._auth)):
            for secret in SECRETS:
                assert secret not in text


def forms(secret):
    """The ways a server may write `secret`: as it is, JSON-escaped (also with `\\/`), form- and percent-encoded."""
    escaped = json.dumps(secret)[1:-1]
    return {secret, escaped, escaped.replace("/", "\\/"), quote_plus(secret), requests.utils.quote(secret, safe=""),
            "".join("\\u%04x" % ord(char) for char in secret)}


def echo(request):
    """A server that echoes the credentials it got (Authorization, or the ticket cookie and the CSRF token) JSON-style
    (PHP's json_encode writes '/' as '\\/'), with the token secret or password, into answers and errors."""
    seen = request.headers.get("Authorization") or "%s; CSRFPreventionToken: %s" % (request.headers.get("Cookie"), CSRF)
    secret = SECRET if "Authorization" in request.headers else PASSWORD
    path = request.path_url.rsplit("/", 1)[-1]
    if path == "html":
        return 200, {"Content-Type": "text/html"}, "<html>%s %s</html>" % (seen, secret)
    status, body = {
        "version": (200, {"data": {"release": seen, "version": "9.1", "repoid": secret}}),
        "resources": (200, {"data": [{"vmid": 100, "lock": seen, seen: secret}]}),
        "nodes": (200, {"result": seen}),
        "status": (500, {"data": None, "message": seen, "errors": {seen: secret}}),
    }[path]
    return status, {"Content-Type": "application/json"}, json.dumps(body).replace("/", "\\/")


@pytest.mark.reliability(
    theme="hostile round two", case='4 ticket echoed JSON-style (\\/)',
    expected="A server echoes the Authorization header, or the Cookie header and CSRF token, JSON-style into "
             "/version's release, a lock, a key, an answer without 'data', an error and an HTML page: every form of "
             "the token secret, the ticket and a password with '/', '\"' and '\\' is <hidden>.")
@pytest.mark.parametrize("kind", ["token", "password"])
def test_credentials_echoed_in_any_form_are_hidden(mocked, record, kind):
    add_login(mocked)
    mocked.add_callback(responses.GET, re.compile(BASE + r"/(version|cluster/\w+|nodes|html)$"), echo)
    client = make_client(record, **(token_params() if kind == "token" else password_params()))
    version, resources = client.get("/version"), client.get("/cluster/resources")
    _err, no_data = record.get_error(client, _errors.PveInvalidResponseError, "/nodes")
    failed, failure = record.get_error(client, _errors.PveServerError, "/cluster/status")
    _err, html = record.get_error(client, _errors.PveInvalidResponseError, "/html")
    shown = "PVEAPIToken=%s=<hidden>" % TOKEN_ID if kind == "token" else "PVEAuthCookie=<hidden>; CSRFPreventionToken: <hidden>"
    assert version["release"] == shown and version["repoid"] == "<hidden>"
    assert resources == [{"vmid": 100, "lock": shown, shown: "<hidden>"}]
    assert "JSON without 'data'" in no_data and shown in failure and "<hidden>" in html
    for text in (json.dumps([version, resources]), no_data, failure, json.dumps(failed.to_result()), html):
        for secret in SECRETS:
            assert not [form for form in forms(secret) if form in text], (secret, text)


@pytest.mark.reliability(
    theme="hostile round two", case='14 echoed form-encoded login body',
    expected='A 401 whose message echoes username=...&password=... form-encoded: the encoded password is '
             '<hidden>.')
def test_an_echoed_form_encoded_login_body_is_hidden(mocked, record):
    wrong = "Wr0ng/pass word+%&="
    mocked.add_callback(responses.POST, BASE + "/access/ticket", lambda request: (
        401, {}, json.dumps({"data": None, "message": "login refused for %s\n" % request.body})))
    client = make_client(record, **password_params(api_password=wrong))
    _err, text = record.get_error(client, _errors.PveAuthError)
    assert quote_plus(wrong) in mocked.calls[0].request.body   # what the server echoed: the password form-encoded
    assert "login refused for username=root%40pam&password=<hidden>" in text
    assert not [form for form in forms(wrong) if form in text]
