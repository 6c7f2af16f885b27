# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Connection options: templates rendered and converted, a failing template named, environment variables (first one
wins, never templated). A !vault string, extra vars and secrets grepped in every output: inventory_user_files."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleError
from ansible.plugins.loader import inventory_loader

from ansible_collections.pve.cluster.tests.unit.plugins.inventory._helpers import (
    BASE, SECRET, TOKEN_CONFIG, guest, one_node, parse_direct, write_source)

FROM_ENV = ("api_host: \"{{ lookup('ansible.builtin.env', 'MY_PVE_HOST') }}\"\n"
            "api_port: \"{{ lookup('env', 'MY_PVE_PORT') }}\"\n"
            "token_id: \"{{ lookup('env', 'MY_PVE_TOKEN_ID') }}\"\n"  # community.proxmox's names: aliases here
            "token_secret: \"{{ lookup('env', 'MY_PVE_SECRET') }}\"\n"
            "validate_certs: \"{{ lookup('env', 'MY_PVE_VALIDATE') }}\"\n"
            "api_timeout: \"{{ 4 * 3 }}\"\n"
            "api_retries: 0\n")


@pytest.fixture
def user_env(monkeypatch):
    for name, value in {"HOST": "pve.example.com", "PORT": "8006", "TOKEN_ID": "root@pam!ansible", "SECRET": SECRET,
                        "VALIDATE": "false"}.items():
        monkeypatch.setenv("MY_PVE_" + name, value)


def test_lookups_in_every_connection_option(tmp_path, mock_api, user_env):
    one_node(mock_api, guest(100, "web"))
    plugin = inventory_loader.get("pve.cluster.pve")
    inventory = parse_direct(write_source(tmp_path, "", connection=FROM_ENV), plugin=plugin)
    assert sorted(inventory.hosts) == ["pve1", "web"]
    call = mock_api.calls[0]
    assert call.request.headers["Authorization"] == "PVEAPIToken=root@pam!ansible=%s" % SECRET
    assert call.request.req_kwargs["verify"] is False  # validate_certs rendered "false", then a bool
    assert plugin.get_option("api_port") == 8006 and plugin.get_option("api_timeout") == 12


@pytest.mark.parametrize("option, template, error", [
    ("api_token_secret", "{{ lookup('no_such_lookup_plugin', 'x') }}", "no_such_lookup_plugin"),
    ("api_token_id", "{{ lookup('ansible.builtin.file', '/nonexistent/pve-token-id') }}", "pve-token-id"),
    ("api_host", "{{ pve_host_not_defined }}", "pve_host_not_defined"),
    ("api_port", "{{ lookup('env', 'MY_PVE_PORT') | int + [] }}", ""),
])
def test_a_failing_template_names_the_option(tmp_path, mock_api, user_env, option, template, error):
    connection = "api_host: pve.example.com\napi_token_id: root@pam!ansible\napi_token_secret: x\n"
    connection = "\n".join(line for line in connection.splitlines() if not line.startswith(option + ":"))
    path = write_source(tmp_path, "", connection=connection + "\n%s: \"%s\"\n" % (option, template))
    with pytest.raises(AnsibleError) as caught:
        parse_direct(path)
    text = str(caught.value)
    assert text.startswith("%s: the template " % option) and "failed to render" in text, text
    assert error in text and "does not name a host" not in text
    assert SECRET not in text
    assert len(mock_api.calls) == 0


OTHER = "https://other.example.com:8006"


@pytest.mark.reliability(
    theme="hostile round two", case='2 first api_host variable wins (inventory)',
    expected=('PVE_API_HOST before PROXMOX_HOST before PROXMOX_URL: the token goes to the first one set, not '
              'the last; a value in the file wins over every variable.'))
@pytest.mark.reliability(
    theme="hostile round two", case='2 PVE_* wins over PROXMOX_* (inventory)',
    expected=('PROXMOX_TOKEN_ID/SECRET and PROXMOX_VALIDATE_CERTS=false beside the PVE_* ones: the PVE_* token'
              ' is sent and the certificate is checked.'))
@pytest.mark.parametrize("env, connection", [
    ({"PVE_API_HOST": "pve.example.com", "PROXMOX_URL": OTHER}, ""),
    ({"PVE_API_HOST": "pve.example.com", "PROXMOX_HOST": "other.example.com"}, ""),
    ({"PROXMOX_HOST": "pve.example.com", "PROXMOX_URL": OTHER}, ""),
    ({"PVE_API_HOST": "other.example.com", "PROXMOX_URL": OTHER}, TOKEN_CONFIG),  # api_host: pve.example.com
    ({"PVE_API_HOST": "pve.example.com", "PROXMOX_TOKEN_ID": "evil@pve!steal", "PROXMOX_TOKEN_SECRET": "other-secret",
      "PVE_VALIDATE_CERTS": "true", "PROXMOX_VALIDATE_CERTS": "false"}, ""),
])
def test_first_variable_wins(tmp_path, mock_api, monkeypatch, env, connection):
    for name, value in dict(env, PVE_API_TOKEN_ID="root@pam!ansible", PVE_API_TOKEN_SECRET=SECRET).items():
        monkeypatch.setenv(name, value)
    one_node(mock_api, guest(100, "web"))
    parse_direct(write_source(tmp_path, "", connection=connection))
    request = mock_api.calls[0].request
    assert request.url.startswith(BASE) and request.req_kwargs["verify"] is not False
    assert request.headers["Authorization"] == "PVEAPIToken=root@pam!ansible=%s" % SECRET


def test_an_environment_value_is_never_templated(tmp_path, mock_api, monkeypatch):
    monkeypatch.setenv("PVE_API_HOST", "pve.example.com")
    monkeypatch.setenv("PVE_API_TOKEN_ID", "root@pam!ansible")
    monkeypatch.setenv("PVE_API_TOKEN_SECRET", "{{ lookup('env', 'HOME') }}")
    one_node(mock_api, guest(100, "web"))
    with pytest.raises(AnsibleError, match="api_token_secret: must be printable ASCII"):
        parse_direct(write_source(tmp_path, "", connection=""))
