# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""API strings are never templated: names, tags, pools, locks, hastate, node names, agent data; also from the cache."""

from __future__ import annotations

import pytest
import responses

from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

try:
    from ansible.template import trust_as_template  # ansible-core >= 2.19: only trusted templates render
except ImportError:  # before data tagging every str template renders
    def trust_as_template(value):
        return value

from ansible_collections.pve.cluster.tests.unit.plugins.inventory._helpers import (
    BASE, add_base, cache_options, host_vars, load_inventory, sample_data, write_source,
)

RES = "cluster-resources/community-proxmox_vm-info_type-vm_qemu-lxc-pool.json"
STATUS = "cluster-status/community-proxmox_standalone-node.json"
EVIL = "{{ lookup('pipe', 'id') }}"
EVIL_TAG = "{{7*7}}"  # tags are split at blanks and commas, so the tag form has none (rendered: 49)


def evil_cluster(mock):
    resources = sample_data(RES)
    row = resources[0]  # qemu/100, running, on node pve
    row.update(name=EVIL, pool=EVIL, lock=EVIL, hastate=EVIL, tags=EVIL_TAG)
    add_base(mock, resources, sample_data(STATUS))
    mock.add(responses.GET, BASE + "/nodes/pve/qemu/100/agent/network-get-interfaces",
             json={"data": {"result": [{"name": EVIL, "ip-addresses": [{"ip-address": "10.9.9.9", "prefix": 24}]}]}})
    mock.add(responses.GET, BASE + "/nodes/pve/lxc/102/interfaces", json={"data": []})


def render(value_template, variables):
    """Template like a play would: the value is looked up from the host's variables."""
    templar = Templar(loader=DataLoader(), variables=variables)
    return templar.template(trust_as_template(value_template))


@pytest.mark.parametrize("cached", [False, True])
def test_api_strings_are_not_templated(tmp_path, cached):
    options = "ansible_host: guest_agent\ncompose:\n  copied_name: pve_name\n"
    if cached:
        options += cache_options(tmp_path)
    path = write_source(tmp_path, options)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        evil_cluster(mock)
        inventory = load_inventory(path)
    if cached:
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


def test_templated_hostname_inserts_api_strings_verbatim(tmp_path, mock_api):
    evil_cluster(mock_api)
    inventory = load_inventory(write_source(tmp_path, "hostname: '{{ pve_name }}.lab'\n"))
    assert EVIL + ".lab" in inventory.hosts
    assert not [name for name in inventory.hosts if "uid=" in name]
