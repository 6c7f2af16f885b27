# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Connection options as users write them: lookups, !vault, environment variables (first one wins)."""

from __future__ import annotations

import pytest
import responses

from ansible.errors import AnsibleError
from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader
from ansible.parsing.vault import VaultLib, VaultSecret
from ansible.plugins.loader import inventory_loader
from ansible.utils.display import Display

from ansible_collections.pve.cluster.tests.unit.plugins.inventory._helpers import BASE, SECRET, cache_options, write_source

RESOURCES = [
    {"id": "node/pve1", "type": "node", "node": "pve1", "status": "online"},
    {"id": "qemu/100", "type": "qemu", "vmid": 100, "name": "web", "node": "pve1", "status": "running", "template": 0},
]
STATUS = [
    {"id": "cluster", "type": "cluster", "name": "lab", "nodes": 1, "quorate": 1},
    {"id": "node/pve1", "type": "node", "name": "pve1", "ip": "192.0.2.11", "online": 1, "nodeid": 1},
]
FROM_ENV = ("api_host: \"{{ lookup('ansible.builtin.env', 'MY_PVE_HOST') }}\"\n"
            "api_port: \"{{ lookup('env', 'MY_PVE_PORT') }}\"\n"
            "api_token_id: \"{{ lookup('env', 'MY_PVE_TOKEN_ID') }}\"\n"
            "api_token_secret: \"{{ lookup('env', 'MY_PVE_SECRET') }}\"\n"
            "validate_certs: \"{{ lookup('env', 'MY_PVE_VALIDATE') }}\"\n"
            "api_timeout: \"{{ 4 * 3 }}\"\n"
            "api_retries: 0\n")


def _base(mock, base=BASE):
    mock.add(responses.GET, base + "/cluster/resources", json={"data": RESOURCES})
    mock.add(responses.GET, base + "/cluster/status", json={"data": STATUS})


def _parse(path, vault_password=None, extra_vars=None):
    """The plugin and the inventory it filled (errors propagate)."""
    loader = DataLoader()
    if vault_password:
        loader.set_vault_secrets([("default", VaultSecret(vault_password.encode()))])
    plugin = inventory_loader.get("pve.cluster.pve")
    inventory = InventoryData()
    if extra_vars is not None:  # what load_extra_vars gives for -e, set where parse() sets it
        plugin.__dict__["_read_config_data"] = _with_vars(plugin, extra_vars)
    plugin.parse(inventory, loader, str(path), cache=False)
    return plugin, inventory


def _with_vars(plugin, extra_vars):
    read = type(plugin)._read_config_data

    def read_config_data(path):
        plugin._vars = extra_vars
        return read(plugin, path)
    return read_config_data


@pytest.fixture
def user_env(monkeypatch):
    monkeypatch.setenv("MY_PVE_HOST", "pve.example.com")
    monkeypatch.setenv("MY_PVE_PORT", "8006")
    monkeypatch.setenv("MY_PVE_TOKEN_ID", "root@pam!ansible")
    monkeypatch.setenv("MY_PVE_SECRET", SECRET)
    monkeypatch.setenv("MY_PVE_VALIDATE", "false")


@pytest.fixture
def every_message(monkeypatch):
    """Every text Display shows (warning, error, v..vvvvvv, display)."""
    seen = []
    for name in ("warning", "error", "display", "v", "vv", "vvv", "vvvv", "vvvvv", "vvvvvv", "verbose", "debug"):
        original = getattr(Display, name, None)
        if original is None:
            continue

        def record(self, msg, *args, _original=original, **kwargs):
            seen.append(str(msg))
            return _original(self, msg, *args, **kwargs)
        monkeypatch.setattr(Display, name, record)
    return seen


def test_lookups_in_every_connection_option(tmp_path, mock_api, user_env, every_message):
    _base(mock_api)
    plugin, inventory = _parse(write_source(tmp_path, "", connection=FROM_ENV))
    assert sorted(inventory.hosts) == ["pve1", "web"]
    call = mock_api.calls[0]
    assert call.request.headers["Authorization"] == "PVEAPIToken=root@pam!ansible=%s" % SECRET
    assert call.request.req_kwargs["verify"] is False  # validate_certs rendered "false", then a bool
    assert plugin.get_option("api_port") == 8006 and plugin.get_option("api_timeout") == 12
    assert not any(SECRET in message for message in every_message)


def test_the_secret_from_a_lookup_stays_out_of_the_cache(tmp_path, mock_api, user_env, every_message):
    _base(mock_api)
    cache_dir = tmp_path / "cache"
    plugin, _inventory = _parse(write_source(tmp_path, cache_options(tmp_path), connection=FROM_ENV))
    plugin.update_cache_if_changed()
    files = list(cache_dir.iterdir())
    assert files
    assert not any(SECRET in f.read_text() for f in files)
    assert not any(SECRET in message for message in every_message)


def test_vault_secret(tmp_path, mock_api, monkeypatch):
    _base(mock_api)
    try:  # ansible-core >= 2.19: the CLI sets one process-wide context for every !vault value
        from ansible.parsing.vault import VaultSecretsContext
    except ImportError:
        pass
    else:
        monkeypatch.setattr(VaultSecretsContext, "_current", VaultSecretsContext([("default", VaultSecret(b"vault-pw"))]))
    encrypted = VaultLib([("default", VaultSecret(b"vault-pw"))]).encrypt(SECRET).decode()
    vaulted = "api_token_secret: !vault |\n" + "".join("  %s\n" % line for line in encrypted.splitlines())
    path = write_source(tmp_path, "", connection="api_host: pve.example.com\napi_token_id: root@pam!ansible\n" + vaulted)
    _parse(path, vault_password="vault-pw")
    assert mock_api.calls[0].request.headers["Authorization"] == "PVEAPIToken=root@pam!ansible=%s" % SECRET


def test_community_proxmox_aliases_are_templated_too(tmp_path, mock_api, user_env):
    _base(mock_api)
    path = write_source(tmp_path, "", connection=(
        "url: \"https://{{ lookup('env', 'MY_PVE_HOST') }}:8006\"\n"
        "token_id: \"{{ lookup('env', 'MY_PVE_TOKEN_ID') }}\"\ntoken_secret: \"{{ lookup('env', 'MY_PVE_SECRET') }}\"\n"))
    _parse(path)
    assert mock_api.calls[0].request.url.startswith(BASE)
    assert mock_api.calls[0].request.headers["Authorization"].endswith("=" + SECRET)


def test_extra_vars_reach_the_templates(tmp_path, mock_api):
    _base(mock_api)
    path = write_source(tmp_path, "", connection=(
        "api_host: \"{{ pve_host }}\"\napi_token_id: root@pam!ansible\napi_token_secret: \"{{ pve_secret }}\"\n"))
    _parse(path, extra_vars={"pve_host": "pve.example.com", "pve_secret": SECRET})
    assert mock_api.calls[0].request.headers["Authorization"].endswith("=" + SECRET)


@pytest.mark.parametrize("option, template, error", [
    ("api_token_secret", "{{ lookup('no_such_lookup_plugin', 'x') }}", "no_such_lookup_plugin"),
    ("api_host", "{{ pve_host_not_defined }}", "pve_host_not_defined"),
    ("api_port", "{{ lookup('env', 'MY_PVE_PORT') | int + [] }}", ""),
])
def test_a_failing_template_names_the_option(tmp_path, mock_api, user_env, option, template, error):
    connection = "api_host: pve.example.com\napi_token_id: root@pam!ansible\napi_token_secret: x\n"
    connection = "\n".join(line for line in connection.splitlines() if not line.startswith(option + ":"))
    path = write_source(tmp_path, "", connection=connection + "\n%s: \"%s\"\n" % (option, template))
    with pytest.raises(AnsibleError) as caught:
        _parse(path)
    text = str(caught.value)
    assert text.startswith("%s: the template " % option) and "failed to render" in text, text
    assert error in text and "does not name a host" not in text
    assert SECRET not in text
    assert len(mock_api.calls) == 0


@pytest.mark.reliability(
    theme="hostile round two", case='2 first api_host variable wins (inventory)',
    expected=('PVE_API_HOST before PROXMOX_HOST before PROXMOX_URL: the token goes to the first one set, not '
              'the last.'))
@pytest.mark.parametrize("first, later, value, expect", [
    ("PVE_API_HOST", "PROXMOX_URL", "https://other.example.com:8006", BASE),
    ("PVE_API_HOST", "PROXMOX_HOST", "other.example.com", BASE),
    ("PROXMOX_HOST", "PROXMOX_URL", "https://other.example.com:8006", BASE),
])
def test_first_host_variable_wins(tmp_path, mock_api, monkeypatch, first, later, value, expect):
    monkeypatch.setenv(first, "pve.example.com")
    monkeypatch.setenv(later, value)
    monkeypatch.setenv("PVE_API_TOKEN_ID", "root@pam!ansible")
    monkeypatch.setenv("PVE_API_TOKEN_SECRET", SECRET)
    _base(mock_api)
    _parse(write_source(tmp_path, "", connection=""))
    assert mock_api.calls[0].request.url.startswith(expect)


@pytest.mark.reliability(
    theme="hostile round two", case='2 PVE_* wins over PROXMOX_* (inventory)',
    expected=('PROXMOX_TOKEN_ID/SECRET and PROXMOX_VALIDATE_CERTS=false beside the PVE_* ones: the PVE_* token'
              ' is sent and the certificate is checked.'))
def test_pve_variables_win_over_proxmox_ones(tmp_path, mock_api, monkeypatch):
    monkeypatch.setenv("PVE_API_HOST", "pve.example.com")
    monkeypatch.setenv("PVE_API_TOKEN_ID", "root@pam!ansible")
    monkeypatch.setenv("PROXMOX_TOKEN_ID", "evil@pve!steal")
    monkeypatch.setenv("PVE_API_TOKEN_SECRET", SECRET)
    monkeypatch.setenv("PROXMOX_TOKEN_SECRET", "other-secret")
    monkeypatch.setenv("PVE_VALIDATE_CERTS", "true")
    monkeypatch.setenv("PROXMOX_VALIDATE_CERTS", "false")
    _base(mock_api)
    _parse(write_source(tmp_path, "", connection=""))
    request = mock_api.calls[0].request
    assert request.headers["Authorization"] == "PVEAPIToken=root@pam!ansible=%s" % SECRET
    assert request.req_kwargs["verify"] is not False


def test_a_file_value_wins_over_every_variable(tmp_path, mock_api, monkeypatch):
    monkeypatch.setenv("PVE_API_HOST", "other.example.com")
    monkeypatch.setenv("PROXMOX_URL", "https://third.example.com:8006")
    _base(mock_api)
    _parse(write_source(tmp_path, ""))
    assert mock_api.calls[0].request.url.startswith(BASE)


def test_an_environment_value_is_never_templated(tmp_path, mock_api, monkeypatch):
    monkeypatch.setenv("PVE_API_HOST", "pve.example.com")
    monkeypatch.setenv("PVE_API_TOKEN_ID", "root@pam!ansible")
    monkeypatch.setenv("PVE_API_TOKEN_SECRET", "{{ lookup('env', 'HOME') }}")
    _base(mock_api)
    with pytest.raises(AnsibleError, match="api_token_secret: must be printable ASCII"):
        _parse(write_source(tmp_path, "", connection=""))
