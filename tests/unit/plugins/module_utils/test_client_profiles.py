# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""PveClient against pvesim's PVE version profiles, at the transport level (pve-http-server):
- error bodies carry `message` only from pve-http-server 5.2.0 (9a2112e, January 2025); before it the text
  is only in the reason phrase (pve7, pve8.1), and the client's error must carry it either way;
- pveproxy delays every 401 (3 s; AnyEvent.pm "always delay unauthorized calls by 3 seconds", shortened here)
  and the client must not retry it;
- after every answer >= 400 pveproxy closes the connection (`Connection: close`, AnyEvent.pm response():
  keep_alive = 0 if $code >= 400): the next request opens a new one, without an error or a retry."""

from __future__ import annotations


import pytest
from pvesim import Simulator

from ansible_collections.pve.cluster.plugins.module_utils import _errors
from ansible_collections.pve.cluster.plugins.module_utils._client import PveClient
from ansible_collections.pve.cluster.plugins.module_utils._options import ConnectionConfig
from ansible_collections.pve.cluster.tests.unit.plugins.module_utils.test_client import Recorder
from ansible_collections.pve.cluster.tests.unit.plugins.modules._module_runner import ALL_PROFILES, demo_scenario

AUTH_DELAY = 0.3


def client_for(sim, record, **overrides):
    params = {"api_host": sim.url, "api_token_id": sim.token_id, "api_token_secret": sim.token_secret,
              "api_allow_http": True, "api_timeout": 5, "api_retries": 3}
    params.update(overrides)
    return PveClient(ConnectionConfig.from_params(params), warn=record.warn)


@pytest.fixture(params=ALL_PROFILES)
def sim(request):
    with Simulator(scenario=demo_scenario(), profile=request.param, tls=False, auth_delay=AUTH_DELAY) as server:
        yield server


def _http_warning_only(record):
    """The one warning every plain-HTTP client gives (api_allow_http); nothing about retries."""
    return len(record.warnings) == 1 and "clear text" in record.warnings[0]


def test_error_text_with_and_without_the_message_field(sim):
    record = Recorder()
    with client_for(sim, record) as client:
        with pytest.raises(_errors.PveServerError) as missing:
            client.get("/nodes/{node}/qemu/{vmid}/config", node="pve1", vmid=999)
        with pytest.raises(_errors.PveBadRequestError) as bad:
            client.get("/nodes/{node}/network", params={"type": "no_such_type"}, node="pve1")
    # the same text whether PVE sent it in `message` (pve8, pve9) or only as the reason phrase (pve7, pve8.1)
    assert str(missing.value).startswith("GET /nodes/pve1/qemu/999/config failed: HTTP 500 Configuration file "), \
        str(missing.value)
    assert "does not exist" in str(missing.value)
    assert str(bad.value).startswith("GET /nodes/pve1/network?type=no_such_type failed: HTTP 400 Parameter "
                                     "verification failed. (type: value 'no_such_type' does not have a value in "
                                     "the enumeration 'bridge, "), str(bad.value)
    assert bad.value.errors["type"].startswith("value 'no_such_type'")
    assert _http_warning_only(record), record.warnings


def test_errors_close_the_connection_and_the_next_request_opens_a_new_one(sim):
    record = Recorder()
    calls = ["ok", "missing", "ok", "bad", "ok", "ok", "offline", "ok"]
    outcomes = []
    with client_for(sim, record) as client:
        for call in calls:
            try:
                if call == "ok":
                    outcomes.append(client.get("/version")["release"])
                elif call == "missing":
                    client.get("/nodes/{node}/qemu/{vmid}/config", node="pve1", vmid=999)
                elif call == "bad":
                    client.get("/cluster/resources", params={"type": "pool"})
                else:
                    client.get("/nodes/{node}/status", node="pve3")
            except _errors.PveHttpError as err:
                outcomes.append(err.status)
    release = sim.profile["version"]["release"]
    assert outcomes == [release, 500, release, 400, release, release, 595, release]
    assert sim.request_count() == len(calls)  # nothing retried, nothing lost
    assert _http_warning_only(record), record.warnings
    # one connection for the first answers, a new one after each error (pveproxy closed it); the last error
    # is followed by one more request
    assert sim.connections == 4, sim.connections


def test_a_401_is_waited_for_once_and_not_retried(sim):
    record = Recorder()
    with client_for(sim, record, api_token_secret="00000000-0000-0000-0000-000000000000") as client:
        with pytest.raises(_errors.PveAuthError) as refused:
            client.get("/version")
    text = str(refused.value)
    assert text.startswith("GET /version failed: HTTP 401 Authentication failed!"), text  # the reason phrase
    assert "00000000-0000-0000-0000-000000000000" not in text
    assert sim.request_count() == 1  # one request: pveproxy's delay is waited once, never per retry
    assert _http_warning_only(record), record.warnings


def test_a_wrong_password_costs_one_login_and_one_delay(sim):
    record = Recorder()
    params = {"api_token_id": None, "api_token_secret": None, "api_user": sim.user, "api_password": "wrong-password"}
    with client_for(sim, record, **params) as client:
        with pytest.raises(_errors.PveAuthError) as refused:
            client.get("/version")
    assert str(refused.value).startswith("POST /access/ticket failed: HTTP 401 authentication failure"), \
        str(refused.value)
    assert "wrong-password" not in str(refused.value)
    assert [(r["method"], r["path"]) for r in sim.requests] == [("POST", "/access/ticket")]
