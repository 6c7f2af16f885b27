# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""pve.cluster.pve: source file checks, option validation before any request, connection errors."""

from __future__ import annotations

import pytest
import requests

from ansible.errors import AnsibleError
from ansible.plugins.loader import inventory_loader

from ansible_collections.pve.cluster.tests.unit.plugins.inventory._helpers import (
    BASE, PASSWORD, SECRET, STATUS_4NODE, TOKEN_CONFIG, add_base, fails_before_any_request, guest, one_node,
    parse_direct, sample_data, write_source,
)


def plugin():
    return inventory_loader.get("pve.cluster.pve")


def test_verify_file(tmp_path):
    for name in ("cluster.pve.yml", "pve.yaml"):
        assert plugin().verify_file(str(write_source(tmp_path, "", name=name))) is True
    other = tmp_path / "hosts.yml"
    other.write_text("all:\n  hosts:\n    a:\n")
    assert plugin().verify_file(str(other)) is False
    assert plugin().verify_file(str(tmp_path / "missing.pve.yml")) is False
    wrong_suffix = write_source(tmp_path, "", name="proxmox.yml")
    with pytest.raises(AnsibleError, match=r"proxmox\.yml: the file name of a pve\.cluster\.pve inventory source must "
                                           r"end with pve\.yml or pve\.yaml"):
        plugin().verify_file(str(wrong_suffix))
    # shown as a warning too (ansible-core swallows verify_file's errors when enable_plugins names this plugin): the
    # message of a real run, integration inventory_user_files


def test_wrong_plugin_name(tmp_path):
    path = tmp_path / "x.pve.yml"
    path.write_text("plugin: community.proxmox.proxmox\napi_host: pve.example.com\n")
    with pytest.raises(AnsibleError, match=r"'plugin' must be pve\.cluster\.pve .*community\.proxmox\.proxmox"):
        parse_direct(path)


@pytest.mark.parametrize("body, message", [
    ("guest_types: [qemu, vm]\n", r"guest_types"),
    ("ansible_host: agent\n", r"ansible_host"),
    ("ansible_host: [guest_agent, guest_agent]\n", r"ansible_host.*listed once"),
    ("ansible_host: [config, none]\n", r"ansible_host.*no source"),
    ("ansible_host_networks: [10.0.0.0/33]\n", r"ansible_host_networks: '10\.0\.0\.0/33' is not a network in CIDR"),
    ("max_workers: 0\n", r"max_workers: must be an integer >= 1"),
    ("hostname: '  '\n", r"hostname: must be a non-empty"),
    ("node_hostname: ' '\n", r"node_hostname: must be a non-empty"),
    ("guest_config: true\nfilters: [\"pve_ostype == 'l26'\"]\n", r"filters: .*set only after filtering"),
])
def test_bad_options_fail_before_any_request(tmp_path, body, message):
    fails_before_any_request(write_source(tmp_path, body), message)


@pytest.mark.parametrize("connection, message", [
    ("api_host: pve.example.com\n", r"No credentials"),
    ("api_host: pve.example.com\napi_user: root@pam\napi_password: %s\napi_token_id: root@pam!xy\napi_token_secret: %s\n"
     % (PASSWORD, SECRET), r"mutually exclusive"),
    ("api_host: 'ftp://pve.example.com'\napi_token_id: root@pam!xy\napi_token_secret: %s\n" % SECRET, r"api_host: URL scheme"),
    ("api_host: 'http://'\napi_token_id: root@pam!xy\napi_token_secret: %s\n" % SECRET, r"api_host: .*host"),
])
def test_bad_connection_options(tmp_path, connection, message):
    error = fails_before_any_request(write_source(tmp_path, "", connection=connection), message)
    assert PASSWORD not in str(error) and SECRET not in str(error)


@pytest.mark.parametrize("method, path, answer, connection, message", [
    ("GET", "/cluster/resources", {"status": 401, "body": ""}, TOKEN_CONFIG,
     r"pve\.cluster\.pve inventory: GET /cluster/resources failed: HTTP 401.*Check api_token_id"),
    ("POST", "/access/ticket", {"status": 401, "body": ""},
     "api_host: pve.example.com\napi_user: root@pam\napi_password: %s\n" % PASSWORD,
     r"POST /access/ticket failed: HTTP 401.*Check api_token_id"),
    ("GET", "/cluster/resources", {"body": requests.exceptions.ConnectTimeout("timed out")}, TOKEN_CONFIG,
     r"pve\.example\.com:8006 did not answer within api_timeout=30s"),
])
def test_api_failures_are_clear_errors_without_the_secrets(tmp_path, mock_api, method, path, answer, connection, message):
    mock_api.add(method, BASE + path, **answer)
    with pytest.raises(AnsibleError, match=message) as caught:
        parse_direct(write_source(tmp_path, "", connection=connection))
    assert PASSWORD not in str(caught.value) and SECRET not in str(caught.value)


def test_unexpected_shape_is_a_clear_error(tmp_path, mock_api):
    add_base(mock_api, {"not": "a list"}, sample_data(STATUS_4NODE))
    with pytest.raises(AnsibleError, match=r"something other than a list"):
        parse_direct(write_source(tmp_path, ""))


@pytest.mark.parametrize("body, text", [
    ("compose:\n  broken: pve_maxmem // 0\n", "broken"),
    ("compose:\n  typo: pve_nosuchvar + 1\n", "pve_nosuchvar"),
    ("keyed_groups:\n  - key: pve_vmid.nosuchattr\n", "nosuchattr"),
    ("groups:\n  grp: pve_status.nosuchattr.x\n", "grp"),
    ("hostname: '{{ pve_pool }}'\n", r"hostname: .*pve_pool.* failed for qemu/101"),
    ("filters: [\"pve_vmid > 'x'\"]\n", r"filters: .*pve_vmid > 'x'.* failed for qemu/100"),
    ("node_hostname: \"{{ pve_node_missing }}\"\n", r"node_hostname: .* failed for node/pve1"),
])
def test_errors_stay_errors_with_strict(tmp_path, mock_api, body, text):
    """strict: true makes a failing hostname, node_hostname, filter, compose, groups or keyed_groups entry an error."""
    one_node(mock_api, guest(100, "web", tags="prod;web", pool="shop", maxmem=2 ** 30), guest(101, "db", tags="prod"))
    with pytest.raises(AnsibleError, match=text):
        parse_direct(write_source(tmp_path, "strict: true\n" + body))
