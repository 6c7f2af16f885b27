# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""pick_address: which address becomes ansible_host (issue 24 point 4, issue 29 point 1)."""

from __future__ import annotations

import pytest

from ansible_collections.pve.cluster.plugins.plugin_utils import _inventory_agent as agent

# lo first, as a real agent lists it; then link-local, a unique-local and a global IPv6, an IPv4
DUAL = ["127.0.0.1", "::1", "fe80::be24:11ff:fea7:85c8", "fd8c:4687:e88d:1be3::5", "2001:db8:1::5", "10.1.2.3"]
V6_ONLY = ["127.0.0.1", "::1", "fe80::1", "2001:db8:6::7"]
NEVER = ["127.0.0.1", "127.8.8.8", "::1", "fe80::1", "169.254.3.4", "0.0.0.0", "::", "224.0.0.1", "ff02::1",
         "::ffff:127.0.0.1", "::ffff:169.254.1.1"]


def pick(found, networks):
    return agent.pick_address(found, agent.parse_networks(networks))


@pytest.mark.parametrize("networks", [[], ["0.0.0.0/0"], ["::/0"], ["0.0.0.0/0", "::/0"], ["127.0.0.0/8", "::1/128"],
                                      ["fe80::/10", "169.254.0.0/16", "224.0.0.0/4", "ff00::/8", "::ffff:0:0/96"]])
def test_never_loopback_link_local_unspecified_multicast(networks):
    assert pick(NEVER, networks) is None


@pytest.mark.reliability(
    theme="hostile round two", case="1 tenant agent outside ansible_host_networks",
    expected=("A tenant's agent reports only 203.0.113.66 (or loopback and link-local): with ansible_host_networks "
              "[10.20.0.0/16] the guest gets no ansible_host (no fallback to any IPv4); loopback and link-local are "
              "never picked, even inside 0.0.0.0/0; its claims stay in pve_ip_addresses "
              "(test_pve_inventory_addresses.py::test_interfaces_as_data)."))
@pytest.mark.parametrize("found, networks, expected", [
    # any network skips the loopback listed first, and link-local
    (DUAL, ["0.0.0.0/0"], "10.1.2.3"),
    (DUAL, ["::/0"], "fd8c:4687:e88d:1be3::5"),
    (DUAL, ["2000::/3"], "2001:db8:1::5"),
    # IPv4 is the default preference; the user's order otherwise
    (DUAL, [], "10.1.2.3"),
    (DUAL, ["0.0.0.0/0", "::/0"], "10.1.2.3"),
    (DUAL, ["::/0", "0.0.0.0/0"], "fd8c:4687:e88d:1be3::5"),
    # an IPv6-only guest needs IPv6 allowed
    (V6_ONLY, [], None),
    (V6_ONLY, ["0.0.0.0/0"], None),
    (V6_ONLY, ["0.0.0.0/0", "::/0"], "2001:db8:6::7"),
    (["127.0.0.1", "::1", "10.0.1.11"], ["::/0"], None),  # and an IPv4-only guest IPv4
    # listed networks restrict, never fall back: a tenant's agent reporting only an outside address gets none
    (["203.0.113.66"], ["10.20.0.0/16"], None),
    (["203.0.113.66", "2001:db8::66"], ["10.20.0.0/16", "fd00::/8"], None),
    (["203.0.113.66", "10.20.3.4"], ["10.20.0.0/16"], "10.20.3.4"),
    # the first network wins over the interface order
    (["192.168.1.5", "10.20.0.9", "10.42.0.1"], ["10.42.0.0/16", "10.0.0.0/8"], "10.42.0.1"),
    (["192.168.1.5", "10.20.0.9", "10.42.0.1"], ["10.0.0.0/8", "10.42.0.0/16"], "10.20.0.9"),
    # private and shared ranges are usable
    (["127.0.0.1", "172.16.0.143"], [], "172.16.0.143"),
    (["100.96.0.72"], [], "100.96.0.72"),
])
def test_pick_address(found, networks, expected):
    assert pick(found, networks) == expected
