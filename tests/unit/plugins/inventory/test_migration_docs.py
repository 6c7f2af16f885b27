# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""docs/migrating-from-community-proxmox.md: its two inventory files, run as written on the demo cluster. cluster.pve.yml
gives what a real run of community.proxmox 2.0.0 gave (community_proxmox_demo.json); want-facts.pve.yml the ansible_host
of community.proxmox's EXAMPLES (`proxmox_ipconfig0.ip | default(proxmox_net0.ip) | ipaddr('address')`)."""

from __future__ import annotations

import ipaddress
import json
import pathlib
import re

import pytest

from ansible_collections.pve.cluster.tests.unit.plugins.inventory._helpers import parse_direct
from ansible_collections.pve.cluster.tests.unit.plugins.modules._module_runner import (
    ALL_PROFILES, demo_scenario, profile_sim)
from ansible_collections.pve.cluster.tests.unit.pvesim._simclient import Client

ROOT = pathlib.Path(__file__).resolve().parents[4]
DOC = ROOT / "docs" / "migrating-from-community-proxmox.md"
RECORDED = pathlib.Path(__file__).with_name("community_proxmox_demo.json")


def ours(tmp_path, sim, name):
    """{host: its variables} of the page's inventory file `name`, as written, against sim."""
    blocks = [b for b in re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
              if b.startswith("# %s\n" % name)]
    assert len(blocks) == 1, "the migration page should show one %s" % name
    path = tmp_path / name
    path.write_text(blocks[0] + "api_host: %s\napi_token_id: '%s'\napi_token_secret: %s\napi_allow_http: true\n"
                    "api_retries: 0\n" % (sim.url, sim.token_id, sim.token_secret))
    inventory = parse_direct(path)
    groups = dict((g.name, sorted(h.name for h in g.get_hosts())) for g in inventory.groups.values())
    return dict((name, dict(host.vars)) for name, host in inventory.hosts.items()), groups


@pytest.mark.parametrize("profile", ALL_PROFILES)
def test_cluster_file_gives_community_proxmox_groups_and_variables(tmp_path, profile):
    expected = json.loads(RECORDED.read_text(encoding="utf-8"))
    assert expected["community.proxmox"] == "2.0.0"
    with profile_sim(profile, demo_scenario(down_for=None)) as sim:
        hosts, groups = ours(tmp_path, sim, "cluster.pve.yml")
    assert dict((g, h) for g, h in groups.items() if g.startswith("proxmox_") and h) == expected["groups"]
    for host, wanted in expected["hostvars"].items():
        got = dict((k, v) for k, v in hosts[host].items() if k.startswith("proxmox_"))
        # documented differences: proxmox_tags is "" where community.proxmox leaves it unset, and
        # proxmox_tags_parsed (community.proxmox: want_facts only) is pve_tags
        assert got.pop("proxmox_tags_parsed") == (wanted["proxmox_tags"].split(";") if "proxmox_tags" in wanted else [])
        if got.get("proxmox_tags") == "" and "proxmox_tags" not in wanted:
            del got["proxmox_tags"]
        assert got == wanted, host
    # beyond community.proxmox's hosts: the nodes, with the compose lines only
    assert set(hosts) - set(expected["hostvars"]) == set(expected["groups"]["proxmox_nodes"])


def community_address(ipconfig0, net0):
    """The EXAMPLES expression over community.proxmox's facts (None: undefined; False: ipaddr found no address)."""
    value = (ipconfig0 or {}).get("ip") if isinstance(ipconfig0, dict) else None
    if value is None:
        value = net0.get("ip") if isinstance(net0, dict) else None
    if value is None:
        return None
    try:
        return str(ipaddress.ip_interface(value).ip)
    except ValueError:
        return False


def as_community_dict(value):
    """community.proxmox _get_vm_config: a string whose parts all hold '=' becomes a dict."""
    if isinstance(value, str) and all("=" in part for part in value.split(",")):
        return dict(part.split("=", 1) for part in value.split(","))
    return value


def expected_from_configs(sim, guests):
    """{host: the example's ansible_host} for the guests community.proxmox lists (online nodes)."""
    client = Client(sim)
    expected = {}
    for name, host_vars in guests.items():
        conf = client.data("/nodes/%s/%s/%d/config" % (host_vars["pve_node"], host_vars["pve_type"], host_vars["pve_vmid"]))
        expected[name] = community_address(as_community_dict(conf.get("ipconfig0")), as_community_dict(conf.get("net0")))
    return expected


@pytest.mark.parametrize("profile", ALL_PROFILES)
def test_want_facts_section_as_written(tmp_path, profile):
    with profile_sim(profile) as sim:
        hosts, _groups = ours(tmp_path, sim, "want-facts.pve.yml")
        online = dict((n, v) for n, v in hosts.items() if v.get("pve_type") in ("qemu", "lxc") and v.get("pve_node") != "pve3")
        expected = expected_from_configs(sim, online)
    assert sum(1 for a in expected.values() if a) >= 20  # the comparison has substance
    for name, address in expected.items():
        if address:
            assert hosts[name].get("ansible_host") == address, name
        else:  # undefined there, or false for ip=dhcp: no ansible_host here
            assert "ansible_host" not in hosts[name], name
    web01 = hosts["web01"]
    assert web01["proxmox_ipconfig0"]["ip"] == "10.0.1.10/24" and web01["proxmox_ostype"] == "l26"
    assert hosts["proxy01"]["proxmox_net0"]["ip"] == "10.0.1.5/24"
    assert hosts["noagent01"]["proxmox_description"].startswith("No guest agent")
