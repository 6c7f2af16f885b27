# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""strict: true makes a failing hostname, node_hostname, filter, compose, groups or keyed_groups entry an error
(issue 23 point 2); node_hostname's duplicates and group names. Guest-only expressions skipping the nodes with
strict: integration inventory_user_files (04-demo.pve.yml)."""

from __future__ import annotations

import pytest
import responses

from ansible.errors import AnsibleError

from ansible_collections.pve.cluster.tests.unit.plugins.inventory._helpers import (
    BASE, group_hosts, parse_direct, write_source)

RESOURCES = [
    {"id": "node/pve1", "type": "node", "node": "pve1", "status": "online", "maxmem": 2 ** 36},
    {"id": "qemu/100", "type": "qemu", "vmid": 100, "name": "web", "node": "pve1", "status": "running", "template": 0,
     "tags": "prod;web", "pool": "shop"},
    {"id": "qemu/101", "type": "qemu", "vmid": 101, "name": "db", "node": "pve1", "status": "running", "template": 0,
     "tags": "prod"},
]
STATUS = [{"id": "node/pve1", "type": "node", "name": "pve1", "ip": "192.0.2.11", "online": 1, "nodeid": 1}]


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
    mock_api.add(responses.GET, BASE + "/cluster/resources", json={"data": RESOURCES})
    mock_api.add(responses.GET, BASE + "/cluster/status", json={"data": STATUS})
    with pytest.raises(AnsibleError, match=text):
        parse_direct(write_source(tmp_path, "strict: true\n" + body))


def test_node_hostname_duplicates_group_names_and_failures(tmp_path, mock_api, warnings):
    resources = [{"id": "node/pve%d" % i, "type": "node", "node": "pve%d" % i, "status": "online"} for i in (1, 2)]
    mock_api.add(responses.GET, BASE + "/cluster/resources", json={"data": resources})
    mock_api.add(responses.GET, BASE + "/cluster/status", json={"data": [
        {"id": "node/pve1", "type": "node", "name": "pve1", "ip": "192.0.2.11", "online": 1, "nodeid": 1},
        {"id": "node/pve2", "type": "node", "name": "pve2", "ip": "192.0.2.12", "online": 1, "nodeid": 2}]})
    inventory = parse_direct(write_source(tmp_path, "node_hostname: \"hv.example.com\"\n"))
    assert sorted(inventory.hosts) == ["hv-pve2.example.com", "hv.example.com"]
    assert any("hv.example.com -> hv-pve2.example.com (node/pve2)" in w for w in warnings)
    inventory = parse_direct(write_source(tmp_path, "node_hostname: \"pve_nodes\"\n"))  # our own group's name
    assert sorted(inventory.hosts) == ["node-pve_nodes", "pve_nodes-pve2"] == group_hosts(inventory, "pve_nodes")
    inventory = parse_direct(write_source(tmp_path, "node_hostname: \"{{ pve_node_missing }}\"\n"))
    assert sorted(inventory.hosts) == ["pve1", "pve2"]  # without strict: the node's own name
