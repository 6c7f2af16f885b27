# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Property tests (hypothesis) for the inventory plugin's pure helpers, fed arbitrary API data (test_properties.py:
the client's)."""

from __future__ import annotations

import ipaddress
import re

import pytest

from hypothesis import given, strategies as st

from ansible_collections.pve.cluster.plugins.module_utils._errors import PveOptionError
from ansible_collections.pve.cluster.plugins.plugin_utils import _inventory_agent as agent
from ansible_collections.pve.cluster.plugins.plugin_utils import _inventory_hosts as hosts

# ansible.constants.INVALID_VARIABLE_NAMES: what to_safe_group_name replaces
INVALID = re.compile(r"^[\d\W]|[^\w]")

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=12)),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(st.text(max_size=8), children, max_size=4)),
    max_leaves=12)
api_text = st.one_of(st.text(max_size=16), st.sampled_from(["pve1", "web-01", "prod/web", "{{ 7*191 }}", "a b;c", "9x"]))
guest_rows = st.fixed_dictionaries(
    {"type": st.sampled_from(["qemu", "lxc", "node", "storage", None, 5])},
    optional={"vmid": st.one_of(st.integers(-5, 10 ** 10), st.text(max_size=6), st.floats(allow_nan=False), st.none()),
              "name": st.one_of(api_text, st.integers(), st.none()), "node": st.one_of(api_text, st.none()),
              "status": st.one_of(api_text, st.none()), "template": st.one_of(st.integers(-1, 2), st.booleans(), api_text),
              "tags": st.one_of(api_text, st.lists(api_text, max_size=3), st.none()),
              "pool": st.one_of(api_text, st.none()), "lock": st.one_of(api_text, st.none()),
              "hastate": st.one_of(api_text, st.none()), "id": st.one_of(api_text, st.none()),
              "cpu": json_values, "maxmem": json_values, "uptime": json_values})


@given(st.sampled_from(["pve_", "", "x-", "9", "pve.", "ü"]), st.text(max_size=30))
def test_group_names_are_always_valid(prefix, suffix):
    namer = hosts.GroupNamer(prefix)
    name = namer(suffix)
    if prefix + suffix:
        assert not INVALID.search(name), name
    assert len(name) == len(prefix + suffix)  # one '_' per invalid character, nothing lost or merged
    assert namer(suffix) == name              # the memo gives the same answer
    for keep, char in zip(prefix + suffix, name):
        assert char == keep or char == "_"


@given(guest_rows, st.one_of(st.none(), api_text), st.sampled_from(["pve_", "", "x_"]))
def test_guest_record_never_raises_and_groups_are_valid(row, cluster, prefix):
    record = hosts.guest_record(row, cluster, prefix)
    if record is None:
        return
    assert row["type"] in ("qemu", "lxc") and isinstance(record.vmid, int)
    assert record.vars[prefix + "vmid"] == record.vmid
    assert isinstance(record.vars[prefix + "tags"], list)
    assert all(isinstance(tag, str) and tag for tag in record.vars[prefix + "tags"])
    assert isinstance(record.vars[prefix + "template"], bool)
    namer = hosts.GroupNamer("pve_")
    for suffix in record.groups:
        assert not INVALID.search(namer(str(suffix)))
    assert record.fallback_name() == "%s-%d" % (row["type"], record.vmid)


@given(st.lists(st.one_of(guest_rows, json_values), max_size=5), st.lists(st.one_of(
    st.fixed_dictionaries({"type": st.sampled_from(["node", "cluster"]), "name": api_text},
                          optional={"ip": json_values, "online": json_values, "nodeid": json_values}),
    json_values), max_size=5))
def test_node_records_and_cluster_info_never_raise(resources, status):
    cluster, nodes = hosts.cluster_info(status)
    assert cluster is None or isinstance(cluster, str)
    records = hosts.node_records([r for r in resources if isinstance(r, dict)], nodes, cluster, "pve_")
    names = [r.name for r in records]
    assert names == sorted(set(names))
    for record in records:
        assert record.vars["pve_type"] == "node" and record.groups == ["nodes"]


@given(json_values)
def test_agent_answers_give_addresses_or_value_error(data):
    try:
        found = agent.addresses(data)
    except ValueError:
        return
    assert len(found) == len(set(found))
    for text in found:
        ipaddress.ip_address(text)
    picked = agent.pick_address(found, [ipaddress.ip_network("10.0.0.0/8")])
    assert picked is None or picked in found
    for interface in agent.interfaces(data):  # the same answer never fails pve_interfaces
        assert sorted(interface) == ["ipv4", "ipv6", "mac", "name"]
        for text in interface["ipv4"] + interface["ipv6"]:
            ipaddress.ip_interface(text)


@given(st.lists(st.one_of(st.text(max_size=20), st.integers(), st.none()), max_size=4))
def test_networks_option_only_option_errors(values):
    try:
        networks = agent.parse_networks(values)
    except PveOptionError as err:
        assert err.option == "ansible_host_networks"
        return
    assert len(networks) == len(values)


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan"), "inf", "NaN", "1e999", "-1e999"])
def test_non_finite_numbers_are_dropped(value):
    """PVE sends many numbers as text: "1e999" is an infinite float here (no int() overflow, no non-JSON hostvar)."""
    cluster, nodes = hosts.cluster_info([{"type": "node", "name": "pve1", "nodeid": value, "online": 1}])
    rows = [{"type": "node", "node": "pve1", "status": "online", "maxmem": value}]
    (record,) = hosts.node_records(rows, nodes, cluster, "pve_", metrics=True)
    assert "pve_nodeid" not in record.vars
    assert "pve_maxmem" not in record.vars and "pve_maxmem" not in record.fields("pve_")
