# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""compose, groups and keyed_groups with strict: true on nodes and guests alike (issue 23 point 2)."""

from __future__ import annotations

import pytest
import responses

from ansible.errors import AnsibleError

from ansible_collections.pve.cluster.tests.unit.plugins.inventory._helpers import (
    BASE, group_hosts, host_vars, parse_direct, write_source)

RESOURCES = [
    {"id": "node/pve1", "type": "node", "node": "pve1", "status": "online", "maxmem": 2 ** 36},
    {"id": "qemu/100", "type": "qemu", "vmid": 100, "name": "web", "node": "pve1", "status": "running", "template": 0,
     "tags": "prod;web", "pool": "shop"},
    {"id": "qemu/101", "type": "qemu", "vmid": 101, "name": "db", "node": "pve1", "status": "running", "template": 0,
     "tags": "prod"},
]
STATUS = [{"id": "node/pve1", "type": "node", "name": "pve1", "ip": "192.0.2.11", "online": 1, "nodeid": 1}]
AGENT = {"result": [{"name": "eth0", "ip-addresses": [{"ip-address-type": "ipv4", "ip-address": "10.0.0.5",
                                                       "prefix": 24}]}]}


@pytest.fixture
def api(mock_api):
    mock_api.add(responses.GET, BASE + "/cluster/resources", json={"data": RESOURCES})
    mock_api.add(responses.GET, BASE + "/cluster/status", json={"data": STATUS})
    mock_api.add(responses.GET, BASE + "/nodes/pve1/qemu/100/agent/network-get-interfaces", json={"data": AGENT})
    mock_api.add(responses.GET, BASE + "/nodes/pve1/qemu/101/agent/network-get-interfaces", json={"data": AGENT})
    return mock_api


def test_guest_only_expressions_skip_the_nodes_quietly(tmp_path, api, warnings):
    inventory = parse_direct(write_source(tmp_path, (
        "strict: true\nansible_host: guest_agent\n"
        "compose:\n  ansible_host: pve_ip_addresses[0]\n  first_tag: pve_tags[0]\n"
        "groups:\n  shop: pve_pool == 'shop'\n  tagged_prod: \"'prod' in pve_tags\"\n"
        "keyed_groups:\n  - key: pve_tags\n    prefix: tag\n  - key: pve_pool\n    prefix: pool\n")))
    node = host_vars(inventory, "pve1")
    assert node["ansible_host"] == "192.0.2.11" and "first_tag" not in node  # its own address, untouched
    assert host_vars(inventory, "web")["ansible_host"] == "10.0.0.5" and host_vars(inventory, "web")["first_tag"] == "prod"
    assert group_hosts(inventory, "tag_prod") == ["db", "web"] and group_hosts(inventory, "tag_web") == ["web"]
    assert group_hosts(inventory, "shop") == ["web"] and group_hosts(inventory, "pool_shop") == ["web"]
    assert group_hosts(inventory, "tagged_prod") == ["db", "web"]
    assert not any("compose" in w or "keyed" in w for w in warnings)


@pytest.mark.parametrize("body, text", [
    ("compose:\n  broken: pve_maxmem // 0\n", "broken"),
    ("compose:\n  typo: pve_nosuchvar + 1\n", "pve_nosuchvar"),
    ("keyed_groups:\n  - key: pve_vmid.nosuchattr\n", "nosuchattr"),
    ("groups:\n  grp: pve_status.nosuchattr.x\n", "grp"),
])
def test_other_errors_stay_errors_with_strict(tmp_path, api, body, text):
    with pytest.raises(AnsibleError, match=text):
        parse_direct(write_source(tmp_path, "strict: true\n" + body))


def test_without_strict_nothing_changes(tmp_path, api):
    inventory = parse_direct(write_source(tmp_path, "keyed_groups:\n  - key: pve_tags\n    prefix: tag\n"))
    assert group_hosts(inventory, "tag_prod") == ["db", "web"]


def test_node_hostname_names_the_nodes(tmp_path, api):
    inventory = parse_direct(write_source(tmp_path, "node_hostname: \"{{ pve_node }}.pve.example.com\"\n"))
    assert sorted(inventory.hosts) == ["db", "pve1.pve.example.com", "web"]
    assert group_hosts(inventory, "pve_nodes") == ["pve1.pve.example.com"]
    assert host_vars(inventory, "pve1.pve.example.com")["ansible_host"] == "192.0.2.11"


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
    assert sorted(inventory.hosts) == ["pve1", "pve2"]
    with pytest.raises(AnsibleError, match="node_hostname: .* failed for node/pve1"):
        parse_direct(write_source(tmp_path, "strict: true\nnode_hostname: \"{{ pve_node_missing }}\"\n"))


def test_node_hostname_must_not_be_empty(tmp_path, mock_api):
    with pytest.raises(AnsibleError, match="node_hostname: must be a non-empty"):
        parse_direct(write_source(tmp_path, "node_hostname: \" \"\n"))
    assert len(mock_api.calls) == 0
