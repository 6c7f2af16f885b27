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


def test_any_network_skips_loopback_listed_first():
    assert pick(DUAL, ["0.0.0.0/0"]) == "10.1.2.3"
    assert pick(DUAL, ["::/0"]) == "fd8c:4687:e88d:1be3::5"  # not ::1, not fe80::
    assert pick(DUAL, ["2000::/3"]) == "2001:db8:1::5"


def test_ipv4_is_the_default_preference():
    assert pick(DUAL, []) == "10.1.2.3"
    assert pick(DUAL, ["0.0.0.0/0", "::/0"]) == "10.1.2.3"
    assert pick(DUAL, ["::/0", "0.0.0.0/0"]) == "fd8c:4687:e88d:1be3::5"  # the user's order


def test_ipv6_only_guest_needs_ipv6_allowed():
    assert pick(V6_ONLY, []) is None
    assert pick(V6_ONLY, ["0.0.0.0/0"]) is None
    assert pick(V6_ONLY, ["0.0.0.0/0", "::/0"]) == "2001:db8:6::7"


def test_networks_restrict_never_fall_back():
    """A tenant's agent that reports only an address outside the listed networks gets no ansible_host."""
    assert pick(["203.0.113.66"], ["10.20.0.0/16"]) is None
    assert pick(["203.0.113.66", "2001:db8::66"], ["10.20.0.0/16", "fd00::/8"]) is None
    assert pick(["203.0.113.66", "10.20.3.4"], ["10.20.0.0/16"]) == "10.20.3.4"


def test_first_network_wins_over_interface_order():
    found = ["192.168.1.5", "10.20.0.9", "10.42.0.1"]
    assert pick(found, ["10.42.0.0/16", "10.0.0.0/8"]) == "10.42.0.1"
    assert pick(found, ["10.0.0.0/8", "10.42.0.0/16"]) == "10.20.0.9"


def test_private_ranges_are_usable():
    assert pick(["127.0.0.1", "172.16.0.143"], []) == "172.16.0.143"
    assert pick(["100.96.0.72"], []) == "100.96.0.72"
