# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""API strings read back from the inventory cache are never templated: names, tags, pools, locks, hastate."""

from __future__ import annotations

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


def test_api_strings_from_the_cache_are_not_templated(tmp_path):
    """A fresh run (hostvars, hostname, compose, keyed_groups): integration injection. The cached run reads the same
    strings back from the JSON cache: they must stay unsafe there too."""
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
