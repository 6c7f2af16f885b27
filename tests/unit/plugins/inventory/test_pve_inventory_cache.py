# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""pve.cluster.pve cache: raw answers cached, a cached run makes no request (not even a login); API strings read back
from it are never templated (names, tags, pools, locks, hastate; a fresh run's: integration injection)."""

from __future__ import annotations

import json
import time

import responses

from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

try:
    from ansible.template import trust_as_template  # ansible-core >= 2.19: only trusted templates render
except ImportError:  # before data tagging every str template renders
    def trust_as_template(value):
        return value

from ansible_collections.pve.cluster.tests.unit.plugins.inventory._helpers import (
    RES_4NODE, RES_VM, STATUS_4NODE, STATUS_STANDALONE, add_agent, add_base, agent_answer, cache_files,
    cache_options, four_node, host_vars, load_inventory, sample_data, write_source,
)
from ansible_collections.pve.cluster.tests.unit.plugins.modules._module_runner import profile_sim

VM101 = "qemu-agent-network-get-interfaces/pve6.2_community-proxmox_vm101_lo-eth0-docker0.json"


def snapshot(inventory):
    return dict((name, host_vars(inventory, name)) for name in inventory.hosts)


def filled_cache(tmp_path):
    """A source with the jsonfile cache and a first run that filled it: (path, requests of that run)."""
    path = write_source(tmp_path, cache_options(tmp_path))
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        four_node(mock)
        load_inventory(path)
        return path, len(mock.calls)


def test_cached_run_makes_no_request(tmp_path):
    """Password auth, agent and config answers and guest_config, against the simulator: the second run asks nothing."""
    body = cache_options(tmp_path) + "ansible_host: [guest_agent, config]\nguest_config: true\n"
    with profile_sim("pve9") as sim:
        path = write_source(tmp_path, body, connection="api_host: %s\napi_user: %s\napi_password: %s\napi_retries: 0\n"
                            "api_allow_http: true\n" % (sim.url, sim.user, sim.password))
        first = snapshot(load_inventory(path))
        assert [r["path"] for r in sim.requests].count("/access/ticket") == 1
        files = cache_files(tmp_path)
        assert len(files) == 1
        cached = json.loads(files[0].read_text())
        if "__payload__" in cached:  # ansible-core >= 2.19 wraps inventory cache entries
            cached = json.loads(cached["__payload__"])
        assert sorted(cached) == ["agent", "config", "format", "resources", "status"]  # the raw answers, not the hosts
        assert sim.password not in files[0].read_text()
        mtime = files[0].stat().st_mtime_ns
        time.sleep(0.05)
        sim.clear_requests()
        second = snapshot(load_inventory(path))
        assert sim.requests == []
    assert second == first
    assert second["db01"]["ansible_host"] == "10.0.2.10" and second["noagent01"]["ansible_host"] == "10.0.9.11"
    assert second["web01"]["pve_config"]["ipconfig0"]["ip"] == "10.0.1.10/24"
    assert files[0].stat().st_mtime_ns == mtime  # a cached read does not rewrite the cache


def test_cache_refresh_and_options_applied_after_cache(tmp_path):
    path, requests = filled_cache(tmp_path)
    assert requests == 2

    # different hosts/groups options on the same cached answers: no request, new result
    path.write_text(path.read_text() + "include_nodes: false\nhostname: '{{ pve_name }}.lab'\ngroup_prefix: x_\n")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        inventory = load_inventory(path)
        assert len(mock.calls) == 0
    assert sorted(inventory.hosts) == ["VM 200.lab", "machine-test.lab", "server1.lab"]
    assert "x_qemu" in inventory.groups

    # --flush-cache (InventoryManager cache=False): fetched again and the cache rewritten
    resources = sample_data(RES_4NODE)
    resources[0]["name"] = "renamed"
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        add_base(mock, resources, sample_data(STATUS_4NODE))
        inventory = load_inventory(path, cache=False)
        assert [c.request.path_url for c in mock.calls] == ["/api2/json/cluster/resources"]  # include_nodes: false
    assert "renamed.lab" in inventory.hosts
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        inventory = load_inventory(path)
        assert len(mock.calls) == 0
    assert "renamed.lab" in inventory.hosts


def test_cache_without_agent_answers_is_refreshed_when_guest_agent_is_turned_on(tmp_path):
    path, _requests = filled_cache(tmp_path)
    path.write_text(path.read_text() + "ansible_host: guest_agent\n")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        four_node(mock)
        add_agent(mock, 100, node="node2", json={"data": sample_data(VM101)})
        inventory = load_inventory(path)
        assert len(mock.calls) == 3
    assert host_vars(inventory, "server1")["ansible_host"] == "10.1.2.3"


EVIL = "{{ lookup('pipe', 'id') }}"
EVIL_TAG = "{{7*7}}"  # tags are split at blanks and commas, so the tag form has none (rendered: 49)


def evil_cluster(mock):
    resources = sample_data(RES_VM)
    row = resources[0]  # qemu/100, running, on node pve
    row.update(name=EVIL, pool=EVIL, lock=EVIL, hastate=EVIL, tags=EVIL_TAG)
    add_base(mock, resources, sample_data(STATUS_STANDALONE))
    add_agent(mock, 100, json={"data": agent_answer("10.9.9.9", name=EVIL)})
    add_agent(mock, 102, "lxc", json={"data": []})


def render(value_template, variables):
    """Template like a play would: the value is looked up from the host's variables."""
    templar = Templar(loader=DataLoader(), variables=variables)
    return templar.template(trust_as_template(value_template))


def test_api_strings_from_the_cache_are_not_templated(tmp_path):
    path = write_source(tmp_path, "ansible_host: guest_agent\ncompose:\n  copied_name: pve_name\n" + cache_options(tmp_path))
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        evil_cluster(mock)
        load_inventory(path)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        inventory = load_inventory(path)  # from the cache this time
        assert len(mock.calls) == 0

    assert EVIL in inventory.hosts  # the hostname is the literal name
    variables = host_vars(inventory, EVIL)
    for key in ("pve_name", "pve_pool", "pve_lock", "pve_hastate", "copied_name"):
        assert variables[key] == EVIL
        result = render("{{ %s }}" % key, variables)
        assert result == EVIL, key
        assert "uid=" not in str(result)
    assert variables["pve_tags"] == [EVIL_TAG]
    assert render("{{ pve_tags[0] }}", variables) == EVIL_TAG
    assert render("{{ pve_name }} and {{ pve_pool }}", variables) == EVIL + " and " + EVIL
