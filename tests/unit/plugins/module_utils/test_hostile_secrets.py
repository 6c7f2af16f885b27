# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Hostile round two (issue 29 points 3, 4 and 14's echoed login body): no secret in any message or answer, at
any length or escape. Options that hold a secret in the wrong place are refused without echoing it; a server on
127.0.0.1 echoes the ticket cookie JSON-style (`\\/`), the password JSON-escaped or form-encoded."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, quote, quote_plus

import pytest

from ansible_collections.pve.cluster.plugins.module_utils import _errors
from ansible_collections.pve.cluster.plugins.module_utils._client import PveClient
from ansible_collections.pve.cluster.plugins.module_utils._options import (
    ConnectionConfig, api_host_secrets, token_id_secrets)
from ansible_collections.pve.cluster.tests.unit.plugins.module_utils._local_server import LocalServer

TOKEN_SECRET = "6f2b7c1e-8d4a-4e2f-9d1a-2b3c4d5e6f70"
PASSWORD = 'Zq8/hun"ter\\2'
# a PVE ticket: base64 signature, so it holds '/', '+' and '='
TICKET = "PVE:root@pam:6774A1E0::Sig/NAture+abc/DEF0123456789/xyz=="


def forms(secret):
    """The ways a server may write `secret`: as it is, JSON-escaped (with `\\/`), form- and percent-encoded."""
    escaped = json.dumps(secret)[1:-1]
    return {secret, escaped, escaped.replace("/", "\\/"), quote_plus(secret), quote(secret, safe=""),
            "".join("\\u%04x" % ord(char) for char in secret)}


def assert_hidden(text, *secrets):
    for secret in secrets:
        for form in forms(secret):
            assert form not in text, (form, text)


def option_error(**params):
    with pytest.raises(_errors.PveOptionError) as excinfo:
        ConnectionConfig.from_params(params)
    return excinfo.value


@pytest.mark.reliability(
    theme="hostile round two", case='3 credentials in api_host',
    expected="user:password@ in api_host (a password with '/', a path, no scheme, an IPv6 zone, a bad port): "
             'refused naming api_host before anything echoes it; the password is in no message, and a module '
             'hides it in its invocation.')
@pytest.mark.parametrize("api_host", [
    "https://root:%s@pve1:8006/api2/json/nodes" % PASSWORD,      # a path that is not /api2/json, checked first before
    "https://root:Zq8/hunter2@pve1.example.com:8006",            # '/' in the password: split at the first '/'
    "root:Zq8/hunter2@pve1.example.com",                         # no scheme: '/' refused before the '@'
    "https://root@pam:Zq8/hunter2@[fe80::1%eth0]:8006",          # a realm user and an IPv6 zone id
    "https://root:Zq8:hunter2@pve1:notaport",                    # a bad port
])
def test_userinfo_in_api_host_is_refused_without_echo(api_host):
    secret = api_host.split("://", 1)[-1].rsplit("@", 1)[0].split(":", 1)[1]
    err = option_error(api_host=api_host, api_token_id="root@pam!ansible", api_token_secret=TOKEN_SECRET)
    assert err.option == "api_host" and "user information" in str(err)
    assert_hidden(str(err), secret)
    assert secret in api_host_secrets(api_host)  # a module adds it to no_log_values: hidden in the invocation too


@pytest.mark.reliability(
    theme="hostile round two", case='3 secret pasted into api_token_id',
    expected='api_token_id root@pam!ansible=<secret>: refused naming api_token_id, the secret in no message '
             '(plain, JSON- or percent-encoded).')
def test_token_secret_pasted_into_the_token_id_is_never_echoed():
    token_id = "root@pam!ansible=%s" % TOKEN_SECRET
    for params in ({"api_token_id": token_id, "api_token_secret": TOKEN_SECRET}, {"api_token_id": token_id},
                   {"api_token_id": "ansible=%s" % TOKEN_SECRET, "api_user": "root@pam", "api_token_secret": "x" * 36}):
        err = option_error(api_host="pve1", **params)
        assert err.option == "api_token_id" and "api_token_secret" in str(err)
        assert_hidden(str(err), TOKEN_SECRET)
    assert token_id_secrets(token_id) == [TOKEN_SECRET]


@pytest.mark.reliability(
    theme="hostile round two", case="3 password in another option's error",
    expected='An api_user that holds the password: the api_user error shows <hidden>.')
def test_an_option_error_never_holds_the_password_even_when_it_names_another_option():
    err = option_error(api_host="pve1", api_user="root %s" % PASSWORD, api_password=PASSWORD)
    assert err.option == "api_user" and "<hidden>" in str(err)
    assert_hidden(str(err), PASSWORD)


class EchoServer:
    """A PVE-like server on 127.0.0.1 that logs in with TICKET and echoes what it got back, JSON-style
    (PHP's json_encode writes '/' as '\\/')."""

    def __init__(self):
        self.login_bodies = []

    @staticmethod
    def _json(value):
        return json.dumps(value).replace("/", "\\/").encode()

    def __call__(self, request):
        headers = {"Content-Type": "application/json;charset=UTF-8"}
        if request["path"].endswith("/access/ticket"):
            form = parse_qs(request["body"].decode())
            self.login_bodies.append(request["body"].decode())
            if form.get("password") != [PASSWORD]:
                return 401, "authentication failure", headers, self._json(
                    {"data": None, "message": "login refused for %s\n" % request["body"].decode()})
            return 200, "OK", headers, self._json({"data": {"ticket": TICKET, "CSRFPreventionToken": "C:SIG",
                                                            "username": "root@pam"}})
        cookie = request["headers"].get("Cookie", "")
        if request["path"].endswith("/version"):
            return 200, "OK", headers, self._json({"data": {"release": cookie, "version": "9.1",
                                                            "repoid": PASSWORD}})
        if request["path"].endswith("/cluster/resources"):
            return 200, "OK", headers, self._json({"data": [{"vmid": 100, "type": "qemu", "lock": cookie,
                                                             cookie: PASSWORD}]})
        if request["path"].endswith("/nodes"):
            return 200, "OK", headers, self._json({"nodata": cookie, "password": PASSWORD})
        return 500, "Internal error %s" % cookie, headers, self._json({"message": "you sent %s" % cookie,
                                                                       "errors": {cookie: PASSWORD}})


def echo_client(server, password=PASSWORD):
    config = ConnectionConfig.from_params({"api_host": "http://127.0.0.1:%d" % server.port, "api_allow_http": True,
                                           "api_user": "root@pam", "api_password": password, "api_retries": 0})
    return PveClient(config)


@pytest.mark.reliability(
    theme="hostile round two", case='4 ticket echoed JSON-style (\\/)',
    expected="A server echoes the Cookie header JSON-style into /version's release, a lock, a key, an answer "
             'without \'data\' and an error: every form of the ticket and of a password with \'/\', \'"\' and \'\\\' is'
             ' <hidden>.')
def test_a_ticket_echoed_json_style_is_hidden_in_answers_and_errors():
    echo = EchoServer()
    with LocalServer(echo) as server:
        client = echo_client(server)
        version = client.get("/version")
        resources = client.get("/cluster/resources")
        with pytest.raises(_errors.PveInvalidResponseError) as no_data:
            client.get("/nodes")
        with pytest.raises(_errors.PveServerError) as failed:
            client.get("/cluster/status")
    assert version["release"] == "PVEAuthCookie=<hidden>" and version["repoid"] == "<hidden>"
    assert resources == [{"vmid": 100, "type": "qemu", "lock": "PVEAuthCookie=<hidden>",
                          "PVEAuthCookie=<hidden>": "<hidden>"}]
    assert "JSON without 'data'" in str(no_data.value)
    texts = [json.dumps([version, resources]), str(no_data.value), str(failed.value),
             json.dumps(failed.value.to_result())]
    for text in texts:
        assert_hidden(text, TICKET, PASSWORD)


@pytest.mark.reliability(
    theme="hostile round two", case='14 echoed form-encoded login body',
    expected='A 401 whose message echoes username=...&password=... form-encoded: the encoded password is '
             '<hidden>.')
def test_an_echoed_form_encoded_login_body_is_hidden():
    wrong = "Wr0ng/pass word+%&="
    echo = EchoServer()
    with LocalServer(echo) as server:
        with pytest.raises(_errors.PveAuthError) as refused:
            echo_client(server, password=wrong).get("/version")
    assert quote_plus(wrong) in echo.login_bodies[0]  # what the server echoed: the password form-encoded
    assert "login refused for username=root%40pam&password=<hidden>" in str(refused.value)
    assert_hidden(str(refused.value), wrong)
