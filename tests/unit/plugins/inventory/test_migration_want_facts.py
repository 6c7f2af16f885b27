# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""docs/migrating-from-community-proxmox.md, section want_facts: its file, run as written, gives the ansible_host of
community.proxmox's EXAMPLES (`proxmox_ipconfig0.ip | default(proxmox_net0.ip) | ipaddr('address')`).

What that expression gives is computed here from the simulator's own config answers, as community.proxmox 2.0.0's
_get_vm_config turns them into facts.
"""

from __future__ import annotations

import ipaddress
import pathlib
import re

import pytest

from ansible_collections.pve.cluster.tests.unit.plugins.inventory._helpers import parse_direct
from ansible_collections.pve.cluster.tests.unit.plugins.modules._module_runner import ALL_PROFILES, profile_sim
from ansible_collections.pve.cluster.tests.unit.pvesim._simclient import Client

ROOT = pathlib.Path(__file__).resolve().parents[4]
DOC = ROOT / "docs" / "migrating-from-community-proxmox.md"


def doc_file():
    blocks = [b for b in re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
              if "want-facts.pve.yml" in b]
    assert len(blocks) == 1, "the want_facts section should show one inventory file"
    return blocks[0]


def community_address(ipconfig0, net0):
    """The EXAMPLES expression over community.proxmox's facts (dicts when every part has '='):
    ipconfig0.ip, else net0.ip (undefined: no ansible_host), then ipaddr('address') (False for no address)."""
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


def ours(tmp_path, sim):
    path = tmp_path / "want-facts.pve.yml"
    path.write_text(doc_file() + "api_host: %s\napi_token_id: '%s'\napi_token_secret: %s\napi_allow_http: true\n"
                    "api_retries: 0\n" % (sim.url, sim.token_id, sim.token_secret))
    inventory = parse_direct(path)
    return dict((name, dict(host.vars)) for name, host in inventory.hosts.items())


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
        hosts = ours(tmp_path, sim)
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
