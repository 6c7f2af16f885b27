# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""pve.cluster.pve_versions_below: the version check of the cluster_facts role."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.pve.cluster.plugins.filter.pve_versions_below import FilterModule, pve_versions_below


def cluster(api, *node_versions):
    """A pve_cluster fact: the API version and one node per entry (None: no node_status)."""
    nodes = []
    for index, pveversion in enumerate(node_versions, 1):
        node = {"node": "pve%d" % index, "online": True}
        if pveversion is not None:
            node["node_status"] = {"pveversion": pveversion}
        nodes.append(node)
    return {"version": {"version": api}, "nodes": nodes}


@pytest.mark.parametrize("version, minimum, below", [
    # a PVE 7.2-3 cluster: below, and not below, as numbers compare
    ("7.2-3", "7.2-3", False), ("7.2-3", "7.2-2", False), ("7.2-3", "7.2", False), ("7.2-3", "7.1.9", False),
    ("7.2-3", "6.4-8", False), ("7.2-3", "7", False), ("7.2-3", "7.2-10", True), ("7.2-3", "7.10", True),
    ("7.2-3", "7.2-4", True), ("7.2-3", "7.2.4", True), ("7.2-3", "8.0", True), ("7.2-3", "10", True),
    ("8.0~beta1", "8.0", False),   # text after the numbers is ignored
    ("8.10", "8.9", False), ("8.9", "8.10", True), ("9.1.2", "9.1.3", True),
    ("9.", "9", False),            # trailing dots are ignored
])
def test_numbers_not_text_are_compared(version, minimum, below):
    found = pve_versions_below(cluster(version, "pve-manager/%s/c743d6c1" % version), minimum)
    assert found == (["API (GET /version) %s" % version, "node pve1 %s" % version] if below else [])


def test_only_the_old_parts_are_named_api_first_then_nodes_in_order():
    fact = cluster("8.1.4", "pve-manager/8.2.4/faa83925", "pve-manager/8.0.3/abc", None, "7.4-16")  # pve4: no slashes
    assert pve_versions_below(fact, "8.1") == ["node pve2 8.0.3", "node pve4 7.4-16"]
    assert pve_versions_below(fact, "8.2") == ["API (GET /version) 8.1.4", "node pve2 8.0.3", "node pve4 7.4-16"]
    assert pve_versions_below(fact, "7.4") == []
    assert FilterModule().filters() == {"pve_versions_below": pve_versions_below}  # registered under its name


@pytest.mark.parametrize("fact, minimum, message", [
    (cluster("9.1.2", "pve-manager/unknown/x"), "8.0", "'unknown' is not a PVE version"),   # a node's version
    ("9.1", "8.0", "the input must be the pve_cluster fact"),
    (cluster("9.1"), "latest", "minimum must be a version such as 8.2, got 'latest'"),
    (cluster("9.1"), None, "minimum must be a version such as 8.2, got None"),
])
def test_bad_input_is_a_clear_error(fact, minimum, message):
    with pytest.raises(AnsibleFilterError, match=message.replace("(", r"\(")):
        pve_versions_below(fact, minimum)
