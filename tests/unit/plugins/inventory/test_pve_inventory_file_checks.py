# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""pve.cluster.pve checks its own file: unknown keys, community.proxmox options (2.0 and its main branch, 2.1: issue 23
point 5), filters that cannot work."""

from __future__ import annotations

import re

import pytest

from ansible.errors import AnsibleError

from ansible_collections.pve.cluster.plugins.plugin_utils._inventory_keys import COMMUNITY_PROXMOX
from ansible_collections.pve.cluster.tests.unit.plugins.inventory._helpers import (
    STATUS_4NODE, TOKEN_CONFIG, add_base, fails_before_any_request, four_node, guest, load_inventory, one_node, parse_direct,
    sample_data, write_source,
)

NODES = ["node1", "node2", "node3", "node4"]


def ours(warnings):
    return [w for w in warnings if "pve.cluster.pve" in w]


ALIASES = ("url: pve.example.com\ntoken_id: root@pam!xy\ntoken_secret: 5f2c9d1e-0a7b-4c3d-9e8f-123456789abc\napi_retries: 0\n"
           "validate_certs: true\ngroup_prefix: pve_\nfacts_prefix: pve_\nfilters: []\n")


@pytest.mark.parametrize("connection, body, said", [
    (TOKEN_CONFIG, "include_template: true\nguest_type: [qemu]\n",
     ["unknown option 'include_template' is ignored; did you mean include_templates?",
      "unknown option 'guest_type' is ignored; did you mean guest_types?"]),
    (TOKEN_CONFIG, "zzzz: 1\n", ["unknown option 'zzzz' is ignored; ansible-doc -t inventory pve.cluster.pve lists"]),
    ("", ALIASES, []),  # community.proxmox's names that are aliases here: accepted quietly
], ids=["typos", "far from any option", "aliases"])
def test_unknown_keys_are_ignored_and_named(tmp_path, mock_api, warnings, connection, body, said):
    four_node(mock_api)
    inventory = load_inventory(write_source(tmp_path, body, connection=connection))
    assert "leap154" not in inventory.hosts  # include_template did nothing, as before, but it is said now
    shown = ours(warnings)
    assert len(shown) == len(said) and all(text in line for text, line in zip(said, shown)), shown


@pytest.mark.parametrize("key", sorted(COMMUNITY_PROXMOX))
def test_each_community_proxmox_option_gets_its_equivalent(tmp_path, mock_api, warnings, key):
    four_node(mock_api)
    load_inventory(write_source(tmp_path, "%s: true\n" % key))
    said = "option %r is community.proxmox's and does nothing here: %s" % (key, COMMUNITY_PROXMOX[key])
    shown = ours(warnings)
    assert len(shown) == 1 and said in shown[0] and "docs/migrating-from-community-proxmox.md" in shown[0], shown
    fails_before_any_request(write_source(tmp_path, "strict: true\n%s: true\n" % key), re.escape(said))


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
def test_the_community_proxmox_equivalents_work(tmp_path, mock_api, body, hosts):
    one_node(mock_api, guest(100, "web"), guest(101, "dns", kind="lxc"))
    assert sorted(parse_direct(write_source(tmp_path, body)).hosts) == hosts


def test_strict_makes_unknown_keys_an_error_before_any_request(tmp_path):
    fails_before_any_request(write_source(tmp_path, "strict: true\ninclude_template: true\nwant_facts: true\n"),
                             r"unknown option 'include_template' is ignored; did you mean include_templates\?; "
                             r"option 'want_facts' is community\.proxmox's.*\(strict: true makes unknown options an error\)")


@pytest.mark.parametrize("body, message", [
    ("filters: [\"pve_status == 'running' and\"]\n",
     r"filters: \"pve_status == 'running' and\" is not a valid condition: unexpected"),
    ("filters: ['pve_xyzzy == 1']\n", r"filters: 'pve_xyzzy == 1' uses pve_xyzzy, which no host has; the names a filter "
                                      r"can use are pve_cluster, pve_cpu, pve_disk, pve_diskread, pve_diskwrite, pve_hastate, pve_id, "),
    ("filters: [\"pve_stauts == 'running'\"]\n", r"uses pve_stauts, which no host has; did you mean pve_status\?"),
    ("filters: [\"'10.0.0.1' in pve_ip_addresses\"]\n", r"uses pve_ip_addresses, which is set only after filtering"),
    ("filters: ['ansible_host is defined']\n", r"uses ansible_host, which is set only after filtering"),
    # the names follow facts_prefix
    ("facts_prefix: proxmox_\nfilters: [\"pve_status == 'x'\"]\n",
     r"uses pve_status, which no host has; did you mean proxmox_status\?"),
])
def test_a_filter_that_cannot_work_fails_when_the_file_is_read(tmp_path, body, message):
    fails_before_any_request(write_source(tmp_path, body), message)


@pytest.mark.parametrize("body, hosts", [
    ("filters: [\"'prod' in pve_tags\"]\n", ["server1"]),  # a guest variable: false for the nodes
    ("strict: true\nfilters:\n  - pve_type == 'node' or pve_pool == 'x'\n", NODES),  # missing on some guests
])
def test_a_variable_some_hosts_lack_makes_the_condition_false_for_them_quietly(tmp_path, mock_api, warnings, body, hosts):
    four_node(mock_api, tags={100: "prod;web", 102: "dev"})
    assert sorted(load_inventory(write_source(tmp_path, body)).hosts) == hosts
    assert ours(warnings) == []


def test_evaluation_errors_give_one_short_warning(tmp_path, mock_api, warnings):
    rows = [{"type": "qemu", "vmid": 300 + i, "name": "g%d" % i, "node": "node1", "status": "running",
             "tags": "a" if i % 2 else ""} for i in range(40)]
    add_base(mock_api, rows, sample_data(STATUS_4NODE))
    inventory = load_inventory(write_source(tmp_path, "include_nodes: false\nfilters: [\"pve_tags[0] == 'a'\"]\n"))
    assert len(inventory.hosts) == 20
    shown = ours(warnings)
    assert len(shown) == 1 and len(shown[0]) < 300, shown
    assert "20 host(s) left out because a condition failed (qemu/300, qemu/302, qemu/304 and 17 more); first error: " \
           "\"pve_tags[0] == 'a'\": " in shown[0]


def test_a_filter_that_fails_for_every_host_is_an_error_not_an_empty_inventory(tmp_path, mock_api):
    four_node(mock_api)
    with pytest.raises(AnsibleError, match=r"filters: every host was left out because a condition failed \(7 hosts: "
                                           r"node/node1, node/node2, node/node3 and 4 more\); first error: "
                                           r"'pve_status > 5': "):
        parse_direct(write_source(tmp_path, "filters: ['pve_status > 5']\n"))
