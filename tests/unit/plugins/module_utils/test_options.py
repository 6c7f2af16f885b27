# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Connection options and validators: every bad value is a PveOptionError naming the option, and an option that
holds a secret in the wrong place is refused without echoing it (in any form: test_client.forms)."""

from __future__ import annotations

import pytest

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.pve.cluster.plugins.module_utils._errors import PveOptionError
from ansible_collections.pve.cluster.plugins.module_utils._options import (
    CONNECTION, CONNECTION_ARGSPEC, ENV_VARS, ConnectionConfig, api_host_secrets, parse_api_host, parse_time,
    token_id_secrets, validate_node, validate_vmid)
from ansible_collections.pve.cluster.tests.unit.plugins.module_utils.test_client import forms

SECRET = "0b7c9a7e-SECRET-in-options"
PASSWORD = 'Zq8/hun"ter\\2'
TOKEN = {"api_token_id": "root@pam!ansible", "api_token_secret": SECRET}


@pytest.mark.parametrize("api_host, api_port, expected", [
    ("pve1", 8006, ("https", "pve1", 8006)),
    ("  pve1.example.com  ", 8006, ("https", "pve1.example.com", 8006)),
    ("pve1:8443", 8006, ("https", "pve1", 8443)),
    ("pve1", 9000, ("https", "pve1", 9000)),
    ("pve1", "9000", ("https", "pve1", 9000)),
    ("pve1", None, ("https", "pve1", 8006)),
    ("https://pve1", 8006, ("https", "pve1", 8006)),
    ("HTTPS://pve1:1/api2/json", 8006, ("https", "pve1", 1)),
    ("https://pve1:8443/api2/json/", 8006, ("https", "pve1", 8443)),
    ("http://pve1:80", 8006, ("http", "pve1", 80)),
    ("192.0.2.10", 8006, ("https", "192.0.2.10", 8006)),
    ("192.0.2.10:65535", 8006, ("https", "192.0.2.10", 65535)),
    ("::1", 8006, ("https", "[::1]", 8006)),
    ("2001:db8::1", 8443, ("https", "[2001:db8::1]", 8443)),
    ("[2001:db8::1]", 8006, ("https", "[2001:db8::1]", 8006)),
    ("[2001:db8::1]:8443", 8006, ("https", "[2001:db8::1]", 8443)),
    ("https://[2001:db8::1]:8443/api2/json", 8006, ("https", "[2001:db8::1]", 8443)),
    ("pve_1.lab", 8006, ("https", "pve_1.lab", 8006)),
])
def test_parse_api_host(api_host, api_port, expected):
    assert parse_api_host(api_host, api_port) == expected


BAD_API_HOSTS = [None, "", "   ", "a:b:c", "-pve1", "pve1..example", "ssh://pve1", "https://pve1/api2/extjs",
                 "pve1/api2/json", "pve1:", "pve1:x", "pve1:0", "pve1:65536", "pve1:-1", "[::1", "[::1]8006", "::%:",
                 "[fe80::1%eth0]:8006", "[]", "[pve1]", "1:2:3:4:5:6:7:8:9", "gggg::1", "pve1.", ".pve1", "pve 1",
                 "pve1?x=1", "pve1\n.example"]


@pytest.mark.parametrize("api_host, api_port, option", [(api_host, 8006, "api_host") for api_host in BAD_API_HOSTS] + [
    ("pve1", 0, "api_port"), ("pve1", 70000, "api_port"), ("pve1", "abc", "api_port"), ("pve1", True, "api_port"),
])
def test_parse_api_host_errors(api_host, api_port, option):
    with pytest.raises(PveOptionError) as excinfo:
        parse_api_host(api_host, api_port)
    assert excinfo.value.option == option
    assert str(excinfo.value).startswith(option + ": ")


@pytest.mark.reliability(
    theme="hostile round two", case='3 credentials in api_host',
    expected="user:password@ in api_host (a password with '/', a path, no scheme, an IPv6 zone, a bad port, realm "
             'users): refused naming api_host before anything echoes it; the password is in no message, and a module '
             'hides it in its invocation.')
@pytest.mark.parametrize("api_host", [
    "https://root:%s@pve1:8006/api2/json/nodes" % PASSWORD,      # a path that is not /api2/json, checked first before
    "https://root:Zq8/hunter2@pve1.example.com:8006",            # '/' in the password: split at the first '/'
    "root:Zq8/hunter2@pve1.example.com",                         # no scheme: '/' refused before the '@'
    "https://root@pam:Zq8/hunter2@[fe80::1%eth0]:8006",          # a realm user and an IPv6 zone id
    "https://root:Zq8:hunter2@pve1:notaport",                    # a bad port
    "https://jane@corp.example@ad:%s@pve1" % SECRET,
    "jane@corp.example@ad:%s@pve1:8006" % SECRET,
])
def test_userinfo_in_api_host_is_refused_without_echo(api_host):
    secret = api_host.split("://", 1)[-1].rsplit("@", 1)[0].split(":", 1)[1]
    with pytest.raises(PveOptionError) as excinfo:
        ConnectionConfig.from_params(dict(TOKEN, api_host=api_host))
    assert excinfo.value.option == "api_host" and "user information" in str(excinfo.value)
    assert not [form for form in forms(secret) if form in str(excinfo.value)] and "corp.example" not in str(excinfo.value)
    assert secret in api_host_secrets(api_host)  # a module adds it to no_log_values: hidden in the invocation too
    assert not any("pve1" in part for part in api_host_secrets(api_host))


@pytest.mark.reliability(
    theme="hostile round two", case='3 secret pasted into api_token_id',
    expected='api_token_id root@pam!ansible=<secret>: refused naming api_token_id, the secret in no message '
             '(plain, JSON- or percent-encoded).')
def test_token_secret_pasted_into_the_token_id_is_never_echoed():
    token_id = "root@pam!ansible=%s" % SECRET
    for params in ({"api_token_id": token_id, "api_token_secret": SECRET}, {"api_token_id": token_id},
                   {"api_token_id": "ansible=%s" % SECRET, "api_user": "root@pam", "api_token_secret": "x" * 36}):
        with pytest.raises(PveOptionError) as excinfo:
            ConnectionConfig.from_params(dict(params, api_host="pve1"))
        assert excinfo.value.option == "api_token_id" and "api_token_secret" in str(excinfo.value)
        assert not [form for form in forms(SECRET) if form in str(excinfo.value)]
    assert token_id_secrets(token_id) == [SECRET]


@pytest.mark.reliability(
    theme="hostile round two", case="3 password in another option's error",
    expected='An api_user that holds the password: the api_user error shows <hidden>.')
def test_an_option_error_never_holds_the_password_even_when_it_names_another_option():
    with pytest.raises(PveOptionError) as excinfo:
        ConnectionConfig.from_params({"api_host": "pve1", "api_user": "root %s" % PASSWORD, "api_password": PASSWORD})
    assert excinfo.value.option == "api_user" and "<hidden>" in str(excinfo.value)
    assert not [form for form in forms(PASSWORD) if form in str(excinfo.value)]


def _params(**kwargs):
    params = dict((name, None) for name in CONNECTION_ARGSPEC)
    params.update(api_host="pve1", api_port=8006, validate_certs=True, api_timeout=10, api_retries=3)
    params.update(kwargs)
    return params


def test_config_token_password_and_defaults():
    config = ConnectionConfig.from_params(_params(api_token_id="root@pam!ansible", api_token_secret=SECRET))
    assert (config.base_url, config.endpoint, config.auth_kind) == ("https://pve1:8006/api2/json", "pve1:8006", "token")
    assert (config.token_id, config.token_secret, config.verify, config.timeout, config.retries) == (
        "root@pam!ansible", SECRET, True, 10, 3)
    password = ConnectionConfig.from_params(_params(api_user="root@pam", api_password=SECRET, api_retries=0))
    assert (password.auth_kind, password.user, password.password, password.retries) == ("ticket", "root@pam", SECRET, 0)
    assert [text for text in (repr(config), str(config), repr(password)) if SECRET in text] == []


@pytest.mark.parametrize("value, ca, expected", [
    (True, False, True), (False, False, False), (None, False, True), ("yes", False, True), ("no", False, False),
    ("0", False, False), ("TRUE", False, True), ("off", False, False),
    (None, True, "CA"), (False, True, False),  # validate_certs false wins over ca_path
])
def test_validate_certs_and_ca_path(tmp_path, value, ca, expected):
    ca_path = tmp_path / "ca.pem"
    ca_path.write_text("x")
    config = ConnectionConfig.from_params(_params(api_token_id="root@pam!ab", api_token_secret=SECRET, validate_certs=value,
                                                  ca_path=str(ca_path) if ca else None))
    assert config.verify == str(ca_path) if expected == "CA" else config.verify is expected


@pytest.mark.parametrize("kwargs, option", [
    (dict(TOKEN, validate_certs="maybe"), "validate_certs"),
    (dict(TOKEN, ca_path="/nonexistent/ca.pem"), "ca_path"),
    (dict(TOKEN, api_timeout=0), "api_timeout"),
    (dict(TOKEN, api_timeout="soon"), "api_timeout"),
    (dict(TOKEN, api_timeout=True), "api_timeout"),
    (dict(TOKEN, api_retries=-1), "api_retries"),
    (dict(TOKEN, api_token_id="root@pam!a b"), "api_token_id"),
    (dict(TOKEN, api_token_id="root@pam!\u00e9t\u00e9"), "api_token_id"),
    (dict(TOKEN, api_token_id="root@pam!"), "api_token_id"),
    (dict(TOKEN, api_token_id="audit"), "api_token_id"),                                  # bare name, no user
    (dict(TOKEN, api_token_id="audit", api_user="nouser"), "api_user"),
    (dict(TOKEN, api_token_id=None), "api_token_id"),
    (dict(TOKEN, api_token_secret=None), "api_token_secret"),
    (dict(TOKEN, api_token_secret=SECRET + "\r\nX-Injected: 1"), "api_token_secret"),
    (dict(TOKEN, api_token_secret=SECRET + " x"), "api_token_secret"),
    (dict(TOKEN, api_token_secret="\u00e9" + SECRET), "api_token_secret"),
    (dict(TOKEN, api_user="root@pam", api_password="pw"), "api_password"),                # both kinds
    (dict(api_password=SECRET), "api_user"),
    (dict(api_user="root", api_password=SECRET), "api_user"),
    (dict(api_user="jane@corp.example@a", api_password=SECRET), "api_user"),       # realm: 2+ characters
    (dict(api_user="jane@1ad", api_password=SECRET), "api_user"),                  # realm starts with a letter
    (dict(api_user="ja ne@ad", api_password=SECRET), "api_user"),                  # no space in the user part
    (dict(api_user="ja:ne@ad", api_password=SECRET), "api_user"),                  # no ':' nor '/'
    (dict(api_user="jane@", api_password=SECRET), "api_user"),
    (dict(api_token_id="jane@corp.example@ad!a", api_token_secret=SECRET), "api_token_id"),   # name: 2+ characters
    (dict(api_token_id="jane@corp.example@ad!1ab", api_token_secret=SECRET), "api_token_id"),
    (dict(api_user="jane@corp.example@ad", api_token_id="x", api_token_secret=SECRET), "api_token_id"),
    ({}, None),                                                                     # no credentials
])
def test_config_errors(kwargs, option):
    with pytest.raises(PveOptionError) as excinfo:
        ConnectionConfig.from_params(_params(**kwargs))
    text = str(excinfo.value)
    assert excinfo.value.option == option
    assert text.startswith(option + ": ") if option else ("api_token_id" in text and "api_password" in text)
    assert SECRET not in text


def test_argspec_is_built_from_the_one_table():
    """Type, default, required, no_log and the environment fallbacks (first wins: test_the_first_variable_wins) of the
    modules' argument spec are the table's; the doc fragment and INTERFACE.md are checked against the same table."""
    for name, spec in CONNECTION.items():
        argspec = dict(CONNECTION_ARGSPEC[name])
        assert argspec.pop("fallback")[1] == list(spec["env"]), name
        assert argspec == dict((key, spec[key]) for key in ("type", "required", "default", "no_log") if key in spec)
    assert CONNECTION["api_password"]["no_log"] is CONNECTION["api_token_secret"]["no_log"] is True


@pytest.mark.reliability(
    theme="hostile round two", case='2 first variable wins (modules)',
    expected='Every option with several variables takes the first one set (PVE_* before PROXMOX_*).')
@pytest.mark.parametrize("option", sorted(name for name, names in ENV_VARS.items() if len(names) > 1))
def test_the_first_variable_wins(monkeypatch, option):
    values = {"api_port": ["8007", "8008", "8009"], "validate_certs": ["true", "false", "false"]}.get(
        option, ["first-value", "second-value", "third-value"])
    for variable in ENV_VARS[option]:
        monkeypatch.delenv(variable, raising=False)
    for variable, value in reversed(list(zip(ENV_VARS[option], values))):
        monkeypatch.setenv(variable, value)
    result = ArgumentSpecValidator(CONNECTION_ARGSPEC).validate({})
    expected = {"api_port": 8007, "validate_certs": True}.get(option, "first-value")
    assert result.validated_parameters[option] == expected
    assert ENV_VARS[option][0].startswith("PVE_")


@pytest.mark.parametrize("check, value, expected", [
    (validate_node, "pve1", "pve1"), (validate_node, "a", "a"), (validate_node, "node-1", "node-1"),
    (validate_node, "PVE9", "PVE9"), (validate_node, "0", "0"),
    (validate_vmid, 100, 100), (validate_vmid, "100", 100), (validate_vmid, 999999999, 999999999),
    (validate_vmid, " 250 ", 250),
    (parse_time, None, None), (parse_time, 1735689600, 1735689600), (parse_time, "1735689600", 1735689600),
    (parse_time, 1735689600.9, 1735689600), (parse_time, "2025-01-01", 1735689600),
    (parse_time, "2025-01-01T00:00:00Z", 1735689600), (parse_time, "2025-01-01T01:00:00+01:00", 1735689600),
    (parse_time, "2025-01-01 00:00:00", 1735689600),
])
def test_validators(check, value, expected):
    assert check(value, "option") == expected


@pytest.mark.parametrize("check, value", (
    [(validate_node, value) for value in ["", "-a", "a-", "a_b", "a.b", "a/b", "../x", "a b", None, 1, ["pve1"], "pve1\n"]]
    + [(validate_vmid, value) for value in [99, 0, 1000000000, -5, "x", "", "1e3", None, True, False, [], 1.5e12]]
    + [(parse_time, value) for value in ["yesterday", "2025-13-01", True, float("inf"), float("nan"), "1e3"]]))
def test_validators_name_the_option(check, value):
    with pytest.raises(PveOptionError) as excinfo:
        check(value, "option")
    assert excinfo.value.option == "option"


# -- issue 14: realm user ids, http://, userinfo in api_host, two credential sources --------------

REALM_USERS = ["jane@corp.example@ad", "svc.ansible@corp.example@azure", "j.doe@ldap", "ad\\jane@ad", "root@pam"]


@pytest.mark.parametrize("user", REALM_USERS)
def test_realm_users_with_at_in_the_user_part(user):
    config = ConnectionConfig.from_params(_params(api_user=user, api_password=SECRET))
    assert config.user == user
    full = ConnectionConfig.from_params(_params(api_token_id=user + "!ansible", api_token_secret=SECRET))
    assert full.token_id == user + "!ansible"
    short = ConnectionConfig.from_params(_params(api_user=user, api_token_id="ansible", api_token_secret=SECRET))
    assert short.token_id == user + "!ansible"


def test_token_id_splits_at_the_last_bang():
    config = ConnectionConfig.from_params(_params(api_token_id="a!b@ad!ansible", api_token_secret=SECRET))
    assert config.token_id == "a!b@ad!ansible"


@pytest.mark.parametrize("allow", [None, False, True, "yes", "1"])
def test_http_needs_the_opt_in(allow):
    params = _params(api_host="http://pve1", api_allow_http=allow, api_token_id="root@pam!ansible", api_token_secret=SECRET)
    if allow:
        assert ConnectionConfig.from_params(params).base_url == "http://pve1:8006/api2/json"
        return
    with pytest.raises(PveOptionError) as excinfo:
        ConnectionConfig.from_params(params)
    assert excinfo.value.option == "api_host" and "api_allow_http" in str(excinfo.value)
    assert "clear text" in str(excinfo.value) and "use https://" in str(excinfo.value)


def test_two_credential_sources_say_where_each_came_from(monkeypatch):
    monkeypatch.setenv("PVE_API_TOKEN_ID", "root@pam!ansible")
    monkeypatch.setenv("PVE_API_TOKEN_SECRET", SECRET)
    with pytest.raises(PveOptionError) as excinfo:
        ConnectionConfig.from_params(_params(api_user="root@pam", api_password="other-password",
                                             api_token_id="root@pam!ansible", api_token_secret=SECRET))
    text = str(excinfo.value)
    assert "api_password from the task, play or inventory file" in text
    assert "api_token_id from the environment variable PVE_API_TOKEN_ID (unset it: unset PVE_API_TOKEN_ID)" in text
    assert "api_token_secret from the environment variable PVE_API_TOKEN_SECRET" in text
    assert SECRET not in text.replace("PVE_API_TOKEN_SECRET", "") and "other-password" not in text
