# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Connection options and validators: every bad value is a PveOptionError naming the option."""

from __future__ import annotations

import pytest

from ansible_collections.pve.cluster.plugins.module_utils._errors import PveOptionError
from ansible_collections.pve.cluster.plugins.module_utils._options import (
    CONNECTION, CONNECTION_ARGSPEC, ConnectionConfig, api_host_secrets, parse_api_host, parse_time, validate_node,
    validate_vmid)

SECRET = "0b7c9a7e-SECRET-in-options"


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


@pytest.mark.parametrize("api_host, api_port, option", [
    (None, 8006, "api_host"),
    ("   ", 8006, "api_host"),
    ("ssh://pve1", 8006, "api_host"),
    ("https://pve1/api2/extjs", 8006, "api_host"),
    ("pve1/api2/json", 8006, "api_host"),
    ("pve1:", 8006, "api_host"),
    ("pve1:x", 8006, "api_host"),
    ("pve1:0", 8006, "api_host"),
    ("pve1:65536", 8006, "api_host"),
    ("pve1:-1", 8006, "api_host"),
    ("[::1", 8006, "api_host"),
    ("[::1]8006", 8006, "api_host"),
    ("::%:", 8006, "api_host"),
    ("[fe80::1%eth0]:8006", 8006, "api_host"),
    ("[]", 8006, "api_host"),
    ("[pve1]", 8006, "api_host"),
    ("1:2:3:4:5:6:7:8:9", 8006, "api_host"),
    ("gggg::1", 8006, "api_host"),
    ("pve1.", 8006, "api_host"),
    (".pve1", 8006, "api_host"),
    ("pve 1", 8006, "api_host"),
    ("pve1?x=1", 8006, "api_host"),
    ("pve1\n.example", 8006, "api_host"),
    ("pve1", 0, "api_port"),
    ("pve1", 70000, "api_port"),
    ("pve1", "abc", "api_port"),
    ("pve1", True, "api_port"),
])
def test_parse_api_host_errors(api_host, api_port, option):
    with pytest.raises(PveOptionError) as excinfo:
        parse_api_host(api_host, api_port)
    assert excinfo.value.option == option
    assert str(excinfo.value).startswith(option + ": ")


def test_user_info_in_url_is_refused_without_echoing_it():
    with pytest.raises(PveOptionError) as excinfo:
        parse_api_host("https://root@pam:%s@pve1:8006" % SECRET)
    assert excinfo.value.option == "api_host"
    assert SECRET not in str(excinfo.value)


def _params(**kwargs):
    params = dict((name, None) for name in CONNECTION_ARGSPEC)
    params.update(api_host="pve1", api_port=8006, validate_certs=True, api_timeout=10, api_retries=3)
    params.update(kwargs)
    return params


def test_config_token_and_defaults():
    config = ConnectionConfig.from_params(_params(api_token_id="root@pam!ansible", api_token_secret=SECRET))
    assert (config.base_url, config.endpoint, config.auth_kind) == ("https://pve1:8006/api2/json", "pve1:8006", "token")
    assert (config.token_id, config.token_secret, config.verify, config.timeout, config.retries) == (
        "root@pam!ansible", SECRET, True, 10, 3)
    assert SECRET not in repr(config) and SECRET not in str(config)


def test_config_password():
    config = ConnectionConfig.from_params(_params(api_user="root@pam", api_password=SECRET, api_retries=0))
    assert (config.auth_kind, config.user, config.password, config.retries) == ("ticket", "root@pam", SECRET, 0)
    assert SECRET not in repr(config)


@pytest.mark.parametrize("value, expected", [
    (True, True), (False, False), (None, True), ("yes", True), ("no", False), ("0", False), ("TRUE", True), ("off", False),
])
def test_validate_certs(value, expected):
    config = ConnectionConfig.from_params(_params(api_token_id="root@pam!ab", api_token_secret=SECRET, validate_certs=value))
    assert config.verify is expected


def test_ca_path(tmp_path):
    ca = tmp_path / "ca.pem"
    ca.write_text("x")
    config = ConnectionConfig.from_params(_params(api_token_id="root@pam!ab", api_token_secret=SECRET, ca_path=str(ca)))
    assert config.verify == str(ca)
    # validate_certs false wins over ca_path
    config = ConnectionConfig.from_params(_params(api_token_id="root@pam!ab", api_token_secret=SECRET, ca_path=str(ca),
                                                  validate_certs=False))
    assert config.verify is False


@pytest.mark.parametrize("kwargs, option", [
    (dict(validate_certs="maybe"), "validate_certs"),
    (dict(ca_path="/nonexistent/ca.pem"), "ca_path"),
    (dict(api_timeout=0), "api_timeout"),
    (dict(api_timeout="soon"), "api_timeout"),
    (dict(api_timeout=True), "api_timeout"),
    (dict(api_retries=-1), "api_retries"),
    (dict(api_token_id="root@pam!a b"), "api_token_id"),
    (dict(api_token_id="root@pam!\u00e9t\u00e9"), "api_token_id"),
    (dict(api_token_secret=SECRET + "\n"), "api_token_secret"),
    (dict(api_token_secret=SECRET + " x"), "api_token_secret"),
    (dict(api_token_secret="\u00e9" + SECRET), "api_token_secret"),
])
def test_config_errors(kwargs, option):
    params = _params(api_token_id="root@pam!ansible", api_token_secret=SECRET)
    params.update(kwargs)
    with pytest.raises(PveOptionError) as excinfo:
        ConnectionConfig.from_params(params)
    assert excinfo.value.option == option
    assert SECRET not in str(excinfo.value)


def test_argspec_is_built_from_the_one_table():
    """Type, default, required, no_log and the environment fallbacks (first wins: test_env_first_wins.py) of the
    modules' argument spec are the table's; the doc fragment and INTERFACE.md are checked against the same table."""
    for name, spec in CONNECTION.items():
        argspec = dict(CONNECTION_ARGSPEC[name])
        assert argspec.pop("fallback")[1] == list(spec["env"]), name
        assert argspec == dict((key, spec[key]) for key in ("type", "required", "default", "no_log") if key in spec)
    assert CONNECTION["api_password"]["no_log"] is CONNECTION["api_token_secret"]["no_log"] is True


@pytest.mark.parametrize("value", ["pve1", "a", "node-1", "PVE9", "0"])
def test_validate_node_ok(value):
    assert validate_node(value) == value


@pytest.mark.parametrize("value", ["", "-a", "a-", "a_b", "a.b", "a/b", "a b", None, 1, ["pve1"], "pve1\n"])
def test_validate_node_bad(value):
    with pytest.raises(PveOptionError) as excinfo:
        validate_node(value, "node")
    assert excinfo.value.option == "node"


@pytest.mark.parametrize("value, expected", [(100, 100), ("100", 100), (999999999, 999999999), (" 250 ", 250)])
def test_validate_vmid_ok(value, expected):
    assert validate_vmid(value) == expected


@pytest.mark.parametrize("value", [99, 1000000000, -5, "x", None, True, False, [], 1.5e12])
def test_validate_vmid_bad(value):
    with pytest.raises(PveOptionError) as excinfo:
        validate_vmid(value, "vmid")
    assert excinfo.value.option == "vmid"


@pytest.mark.parametrize("value, expected", [
    (None, None),
    (1735689600, 1735689600),
    ("1735689600", 1735689600),
    (1735689600.9, 1735689600),
    ("2025-01-01", 1735689600),
    ("2025-01-01T00:00:00Z", 1735689600),
    ("2025-01-01T01:00:00+01:00", 1735689600),
    ("2025-01-01 00:00:00", 1735689600),
])
def test_parse_time(value, expected):
    assert parse_time(value, "since") == expected


@pytest.mark.parametrize("value", ["yesterday", "2025-13-01", True, float("inf"), float("nan"), "1e3"])
def test_parse_time_bad(value):
    with pytest.raises(PveOptionError) as excinfo:
        parse_time(value, "until")
    assert excinfo.value.option == "until"


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


@pytest.mark.parametrize("kwargs, option", [
    (dict(api_user="jane@corp.example@a", api_password=SECRET), "api_user"),       # realm: 2+ characters
    (dict(api_user="jane@1ad", api_password=SECRET), "api_user"),                  # realm starts with a letter
    (dict(api_user="ja ne@ad", api_password=SECRET), "api_user"),                  # no space in the user part
    (dict(api_user="ja:ne@ad", api_password=SECRET), "api_user"),                  # no ':' nor '/'
    (dict(api_user="jane@", api_password=SECRET), "api_user"),
    (dict(api_token_id="jane@corp.example@ad!a", api_token_secret=SECRET), "api_token_id"),   # name: 2+ characters
    (dict(api_token_id="jane@corp.example@ad!1ab", api_token_secret=SECRET), "api_token_id"),
    (dict(api_user="jane@corp.example@ad", api_token_id="x", api_token_secret=SECRET), "api_token_id"),
])
def test_pve_user_and_token_rules(kwargs, option):
    with pytest.raises(PveOptionError) as excinfo:
        ConnectionConfig.from_params(_params(**kwargs))
    assert excinfo.value.option == option
    assert SECRET not in str(excinfo.value)


def test_token_id_splits_at_the_last_bang():
    config = ConnectionConfig.from_params(_params(api_token_id="a!b@ad!ansible", api_token_secret=SECRET))
    assert config.token_id == "a!b@ad!ansible"


def test_http_is_refused_without_the_opt_in():
    with pytest.raises(PveOptionError) as excinfo:
        ConnectionConfig.from_params(_params(api_host="http://pve1", api_token_id="root@pam!ansible", api_token_secret=SECRET))
    assert excinfo.value.option == "api_host"
    assert "clear text" in str(excinfo.value) and "use https://" in str(excinfo.value)
    assert "api_allow_http" in str(excinfo.value)


@pytest.mark.parametrize("allow", [True, "yes", "1"])
def test_http_with_the_opt_in(allow):
    config = ConnectionConfig.from_params(_params(api_host="http://pve1", api_allow_http=allow,
                                                  api_token_id="root@pam!ansible", api_token_secret=SECRET))
    assert config.base_url == "http://pve1:8006/api2/json"


@pytest.mark.parametrize("api_host", ["https://jane@corp.example@ad:%s@pve1" % SECRET,
                                      "jane@corp.example@ad:%s@pve1:8006" % SECRET,
                                      "https://root@pam:%s@pve1/api2/json" % SECRET])
def test_userinfo_with_realm_users_is_refused_and_hidden(api_host):
    with pytest.raises(PveOptionError) as excinfo:
        parse_api_host(api_host)
    assert SECRET not in str(excinfo.value) and "corp.example" not in str(excinfo.value)
    assert SECRET in api_host_secrets(api_host)
    assert not any("pve1" in part for part in api_host_secrets(api_host))


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
