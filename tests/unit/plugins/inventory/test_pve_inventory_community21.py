# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A community.proxmox 2.1-style file (its main branch): each new key gets its equivalent (issue 23 point 5)."""

from __future__ import annotations

import re

import pytest
import responses

from ansible_collections.pve.cluster.tests.unit.plugins.inventory._helpers import (
    BASE, fails_before_any_request, parse_direct, write_source)

RESOURCES = [
    {"id": "node/pve1", "type": "node", "node": "pve1", "status": "online"},
    {"id": "qemu/100", "type": "qemu", "vmid": 100, "name": "web", "node": "pve1", "status": "running", "template": 0},
    {"id": "lxc/101", "type": "lxc", "vmid": 101, "name": "dns", "node": "pve1", "status": "running", "template": 0},
]
STATUS = [{"id": "node/pve1", "type": "node", "name": "pve1", "ip": "192.0.2.11", "online": 1, "nodeid": 1}]


@pytest.mark.parametrize("key, value, equivalent", [
    ("exclude_vms", "true", "guest_types: []"),
    ("facts_concurrency", "4", "max_workers"),
    ("qemu_hostname", "\"{{ name }}\"", "branch on pve_type"),
    ("lxc_hostname", "\"ct-{{ name }}\"", "branch on pve_type"),
])
def test_each_21_key_names_its_equivalent(tmp_path, mock_api, warnings, key, value, equivalent):
    mock_api.add(responses.GET, BASE + "/cluster/resources", json={"data": RESOURCES})
    mock_api.add(responses.GET, BASE + "/cluster/status", json={"data": STATUS})
    parse_direct(write_source(tmp_path, "%s: %s\n" % (key, value)))
    said = [w for w in warnings if repr(key) in w]
    assert len(said) == 1 and "community.proxmox's" in said[0] and equivalent in said[0], warnings
    fails_before_any_request(write_source(tmp_path, "strict: true\n%s: %s\n" % (key, value)), re.escape(equivalent))


@pytest.mark.parametrize("option, template, answer", [
    ("hostname", "{{ name }}", "name -> pve_name"),
    ("hostname", "{{ name }}-{{ vmid }}", "vmid -> pve_vmid"),
    ("hostname", "{{ node }}-{{ name }}.example.com", "node -> pve_node"),
    ("node_hostname", "{{ name }}.example.com", "name -> pve_name"),
    ("node_hostname", "{{ online }}", "online has no equivalent"),
])
def test_a_hostname_over_raw_fields_is_answered_with_the_variable(tmp_path, option, template, answer):
    error = fails_before_any_request(write_source(tmp_path, "%s: \"%s\"\n" % (option, template)), option + ": ")
    assert answer in str(error) and "raw API field" in str(error)


def test_exclude_vms_equivalent_works(tmp_path, mock_api):
    mock_api.add(responses.GET, BASE + "/cluster/resources", json={"data": RESOURCES})
    mock_api.add(responses.GET, BASE + "/cluster/status", json={"data": STATUS})
    assert sorted(parse_direct(write_source(tmp_path, "guest_types: []\n")).hosts) == ["pve1"]


def test_a_pve_hostname_template_is_not_mistaken(tmp_path, mock_api):
    mock_api.add(responses.GET, BASE + "/cluster/resources", json={"data": RESOURCES})
    mock_api.add(responses.GET, BASE + "/cluster/status", json={"data": STATUS})
    inventory = parse_direct(write_source(tmp_path, "hostname: \"{{ pve_name if pve_type == 'qemu' else 'ct-' ~ pve_name }}\"\n"))
    assert sorted(inventory.hosts) == ["ct-dns", "pve1", "web"]
    inventory = parse_direct(write_source(tmp_path, "facts_prefix: ''\nhostname: \"{{ name }}-{{ vmid }}\"\n"))
    assert sorted(inventory.hosts) == ["dns-101", "pve1", "web-100"]
