# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Property tests (hypothesis): parsers never raise anything but PveOptionError, normalisers
never raise, valid UPIDs round-trip, valid api_host values give a URL requests can prepare, a password written
into api_host (user:password@host) is refused without being echoed and api_host_secrets() finds it (so a module
hides it in its invocation)."""

from __future__ import annotations

import requests
from hypothesis import HealthCheck, given, settings, strategies as st

from ansible_collections.pve.cluster.plugins.module_utils import _normalize as N
from ansible_collections.pve.cluster.plugins.module_utils._client import build_path
from ansible_collections.pve.cluster.plugins.module_utils._errors import PveOptionError
from ansible_collections.pve.cluster.plugins.module_utils._options import (
    ConnectionConfig, api_host_secrets, parse_api_host, parse_time, validate_node, validate_vmid)
from ansible_collections.pve.cluster.plugins.module_utils._upid import parse_upid
from ansible_collections.pve.cluster.tests.unit.plugins.module_utils._samples import all_keys

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SLOW_SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])

node_names = st.from_regex(r"\A[a-zA-Z0-9](?:[a-zA-Z0-9\-]{0,20}[a-zA-Z0-9])?\Z")
free_text = st.from_regex(r"\A[^:\s/]{0,12}\Z")
users = st.builds(lambda name, realm: "%s@%s" % (name, realm),
                  st.from_regex(r"\A[^\s:/@!]{1,10}\Z"), st.from_regex(r"\A[A-Za-z][A-Za-z0-9.\-_]{0,8}\Z"))


@st.composite
def upids(draw):
    parts = {
        "node": draw(node_names),
        "pid": draw(st.integers(0, 0xFFFFFFFF)),
        "pstart": draw(st.integers(0, 0xFFFFFFFFF)),
        "starttime": draw(st.integers(0, 0xFFFFFFFF)),
        "type": draw(st.from_regex(r"\A[^:\s/]{1,12}\Z")),
        "id": draw(free_text),
        "user": draw(users),
    }
    token = draw(st.one_of(st.none(), st.from_regex(r"\A[A-Za-z][A-Za-z0-9]{0,8}\Z")))
    user = parts["user"] if token is None else "%s!%s" % (parts["user"], token)
    text = "UPID:%s:%08X:%08X:%08X:%s:%s:%s:" % (
        parts["node"], parts["pid"], parts["pstart"], parts["starttime"], parts["type"], parts["id"], user)
    return text, parts, token


@SETTINGS
@given(upids())
def test_upid_round_trip(generated):
    text, parts, token = generated
    task = parse_upid(text)
    assert task["upid"] == text
    for key, value in parts.items():
        assert task[key] == value, key
    assert task.get("tokenid") == token
    rebuilt = "UPID:%s:%08X:%08X:%08X:%s:%s:%s:" % (
        task["node"], task["pid"], task["pstart"], task["starttime"], task["type"], task["id"],
        task["user"] if "tokenid" not in task else "%s!%s" % (task["user"], task["tokenid"]))
    assert rebuilt == text


@SETTINGS
@given(st.one_of(st.text(), st.text(alphabet="UPID:0123456789ABCDEF@!pve-/ \n"), st.integers(), st.none(),
                 st.binary(), st.lists(st.text())))
def test_upid_garbage_only_option_errors(value):
    try:
        task = parse_upid(value)
    except PveOptionError as err:
        assert err.option == "upid"
    else:
        assert isinstance(value, str) and value.startswith("UPID:") and value.endswith(":")
        assert task["upid"] == value


hosts = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-._:[]/@%?#", max_size=40),
    st.builds(lambda scheme, host, port, path: scheme + host + port + path,
              st.sampled_from(["", "https://", "http://", "HTTPS://", "ftp://"]),
              st.one_of(node_names, st.ip_addresses().map(str), st.ip_addresses(v=6).map(lambda a: "[%s]" % a)),
              st.one_of(st.just(""), st.integers(-5, 70000).map(lambda p: ":%d" % p), st.text(max_size=6)),
              st.sampled_from(["", "/", "/api2/json", "/api2/json/", "/other"])),
)
ports = st.one_of(st.none(), st.integers(-10, 70000), st.text(max_size=6), st.booleans())


@SETTINGS
@given(hosts, ports)
def test_api_host_parsing_never_raises_anything_else(api_host, api_port):
    try:
        scheme, host, port = parse_api_host(api_host, api_port)
    except PveOptionError as err:
        assert err.option in ("api_host", "api_port")
        return
    assert scheme in ("https", "http") and 1 <= port <= 65535
    config = ConnectionConfig(scheme, host, port, token_id="root@pam!x", token_secret="s")
    prepared = requests.Request("GET", config.base_url + "/version").prepare()
    assert prepared.url.endswith(":%d/api2/json/version" % port)


@SETTINGS
@given(st.dictionaries(st.sampled_from(["api_host", "api_port", "api_user", "api_password", "api_token_id",
                                        "api_token_secret", "validate_certs", "api_timeout", "api_retries"]),
                       st.one_of(st.none(), st.text(max_size=20), st.integers(-5, 70000), st.booleans())))
def test_connection_config_never_raises_anything_else(params):
    try:
        ConnectionConfig.from_params(params)
    except PveOptionError:
        pass


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text()),
    lambda children: st.one_of(st.lists(children, max_size=5), st.dictionaries(st.text(max_size=8), children, max_size=5)),
    max_leaves=15)
records = st.dictionaries(
    st.one_of(st.sampled_from(["vmid", "tags", "template", "shared", "cpu", "status", "endtime", "starttime", "loadavg",
                               "cpuinfo", "boot-info", "mtu", "vlan-id", "exists", "quorate", "cgroup-mode"]),
              st.text(max_size=8)),
    json_values, max_size=8)


@SLOW_SETTINGS
@given(st.one_of(json_values, records, st.lists(records, max_size=4)))
def test_normalisers_never_raise(value):
    keyed = N.underscore_keys(value)
    assert "-" not in "".join(k for k in all_keys(keyed))
    for function in (N.normalize_record, N.normalize_resource, N.normalize_cluster_status, N.normalize_node,
                     N.normalize_node_status, N.normalize_network, N.normalize_task, N.normalize_version,
                     N.split_tags, N.to_bool, N.to_number):
        function(value)
    result = N.normalize_record(value)
    if isinstance(value, dict) and "tags" in value:
        assert isinstance(result["tags"], list)


@SETTINGS
@given(st.one_of(st.text(), st.lists(st.one_of(st.text(), st.integers(), st.none())), st.none(), st.integers()))
def test_split_tags_properties(value):
    tags = N.split_tags(value)
    assert isinstance(tags, list)
    assert all(isinstance(tag, str) and tag and tag == tag.strip() for tag in tags)
    if isinstance(value, str):
        assert all(";" not in tag and "," not in tag for tag in tags)
        assert N.split_tags(";".join(tags)) == tags


@SETTINGS
@given(st.one_of(st.text(), st.integers(), st.floats(), st.none(), st.booleans(), st.datetimes().map(str)))
def test_parse_time_only_option_errors(value):
    try:
        parse_time(value, "since")
    except PveOptionError as err:
        assert err.option == "since"


@SETTINGS
@given(st.one_of(st.text(), st.integers(), st.none(), st.floats(allow_nan=False)), st.one_of(st.text(), st.integers()))
def test_path_building_only_option_errors_and_stays_in_its_segment(node, vmid):
    try:
        path = build_path("/nodes/{node}/qemu/{vmid}/config", {"node": node, "vmid": vmid})
    except PveOptionError as err:
        assert err.option in ("node", "vmid")
        return
    assert path == "/nodes/%s/qemu/%d/config" % (validate_node(node), validate_vmid(vmid))


@SETTINGS
@given(st.text(min_size=1))
def test_any_segment_is_escaped_into_one_segment(value):
    try:
        path = build_path("/nodes/pve1/storage/{storage}/status", {"storage": value})
    except PveOptionError:
        assert value in (".", "..")
        return
    segment = path.split("/")[4]
    assert path == "/nodes/pve1/storage/%s/status" % segment
    assert segment not in ("", ".", "..")
    assert requests.utils.unquote(segment) == value


# a distinctive start, so the password cannot be a word of the error message by chance
passwords = st.text(alphabet=st.characters(blacklist_characters="/@\n", blacklist_categories=("Cs",)), max_size=24).map(
    lambda text: "Zq9" + text)


@SETTINGS
@given(st.sampled_from(["", "https://", "http://"]), st.from_regex(r"\A[a-z][a-z0-9]{0,8}\Z"), passwords,
       st.sampled_from(["pve1", "pve1:8006", "10.0.0.1", "[fd00::1]:8006"]))
def test_userinfo_password_is_found_and_never_echoed(scheme, user, password, host):
    api_host = "%s%s:%s@%s" % (scheme, user, password, host)
    secrets = api_host_secrets(api_host)
    assert password in secrets and "%s:%s" % (user, password) in secrets
    try:
        parse_api_host(api_host)
    except PveOptionError as err:
        assert err.option == "api_host"
        assert password not in str(err)
    else:
        raise AssertionError("api_host with user information was accepted")


@SETTINGS
@given(st.text(max_size=40))
def test_no_userinfo_no_secrets(api_host):
    secrets = api_host_secrets(api_host)
    if "@" not in api_host or ":" not in api_host:
        assert secrets == []
    assert all(secret and secret in api_host for secret in secrets)
