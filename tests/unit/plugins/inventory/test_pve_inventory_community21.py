# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A community.proxmox 2.1-style file (its main branch): a hostname over raw fields is answered with the variables
to use, and the equivalents work (issue 23 point 5). Each 2.1 key's warning: test_pve_inventory_file_checks.py."""

from __future__ import annotations

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


@pytest.mark.parametrize("body, hosts", [
    ("guest_types: []\n", ["pve1"]),  # exclude_vms' equivalent
    ("hostname: \"{{ pve_name if pve_type == 'qemu' else 'ct-' ~ pve_name }}\"\n", ["ct-dns", "pve1", "web"]),
    ("facts_prefix: ''\nhostname: \"{{ name }}-{{ vmid }}\"\n", ["dns-101", "pve1", "web-100"]),  # not mistaken
])
def test_the_equivalents_work(tmp_path, mock_api, body, hosts):
    mock_api.add(responses.GET, BASE + "/cluster/resources", json={"data": RESOURCES})
    mock_api.add(responses.GET, BASE + "/cluster/status", json={"data": STATUS})
    assert sorted(parse_direct(write_source(tmp_path, body)).hosts) == hosts
