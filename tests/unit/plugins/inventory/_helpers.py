# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers for the pve.cluster.pve inventory tests: samples, inventory sources, the real parse paths."""

from __future__ import annotations

import pytest
import responses

from ansible.errors import AnsibleError
from ansible.inventory.data import InventoryData
from ansible.inventory.manager import InventoryManager
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import inventory_loader

from ansible_collections.pve.cluster.tests.unit.plugins.module_utils._samples import load_sample
from ansible_collections.pve.cluster.tests.unit.plugins.modules._module_runner import profile_sim

BASE = "https://pve.example.com:8006/api2/json"
SECRET = "5f2c9d1e-0a7b-4c3d-9e8f-123456789abc"
PASSWORD = "s3cr3t-Passw0rd"
RES_4NODE = "cluster-resources/pve7.4_go-proxmox_4node_qemu-template-storage.json"
STATUS_4NODE = "cluster-status/pve7.4_go-proxmox_4node.json"
RES_VM = "cluster-resources/community-proxmox_vm-info_type-vm_qemu-lxc-pool.json"
STATUS_STANDALONE = "cluster-status/community-proxmox_standalone-node.json"
VAULT = {"__ansible_vault": "$ANSIBLE_VAULT;1.1;AES256\n6162636465666768696a6b6c6d6e6f70\n"}
TOKEN_CONFIG = "api_host: pve.example.com\napi_token_id: root@pam!ansible\napi_token_secret: %s\napi_retries: 0\n" % SECRET


def sample_data(relative):
    """The `data` of one sample's JSON body (freshly read, free to modify)."""
    return load_sample(relative)["body"]["data"]


def add_base(mock, resources, status, base=BASE):
    mock.add(responses.GET, base + "/cluster/resources", json={"data": resources})
    mock.add(responses.GET, base + "/cluster/status", json={"data": status})


def guest(vmid, name, node="pve1", kind="qemu", **extra):
    """A running guest's row of /cluster/resources."""
    return dict({"id": "%s/%s" % (kind, vmid), "type": kind, "vmid": vmid, "name": name, "node": node,
                 "status": "running", "template": 0}, **extra)


def one_node(mock, *guests, node="pve1", ip="192.0.2.11", cluster=None, base=BASE):
    """A cluster of one node (and its /cluster/status row) holding `guests`; cluster: its name (none: standalone)."""
    status = [{"id": "node/" + node, "type": "node", "name": node, "ip": ip, "online": 1, "nodeid": 1}]
    if cluster:
        status.insert(0, {"id": "cluster", "type": "cluster", "name": cluster, "nodes": 1, "quorate": 1})
    add_base(mock, [{"id": "node/" + node, "type": "node", "node": node, "status": "online"}] + list(guests), status, base)


def add_agent(mock, vmid, kind="qemu", node="pve", base=BASE, **answer):
    """The answer (responses' json=, status=, body=...) to one guest's address read (qemu: the guest agent's)."""
    what = "lxc/%d/interfaces" if kind == "lxc" else "qemu/%d/agent/network-get-interfaces"
    mock.add(responses.GET, "%s/nodes/%s/%s" % (base, node, what % vmid), **answer)


def agent_answer(*addresses, **extra):
    """A guest agent's network-get-interfaces data: eth0 with `addresses` (/24), plus `extra` keys."""
    return {"result": [dict({"name": "eth0", "hardware-address": "bc:24:11:00:00:01", "ip-addresses": [
        {"ip-address": a, "ip-address-type": "inet", "prefix": 24} for a in addresses]}, **extra)]}


def cache_options(tmp_path):
    """Source options that cache the answers in tmp_path/cache, named pvetest* (Ansible's jsonfile cache)."""
    return ("cache: true\ncache_plugin: ansible.builtin.jsonfile\ncache_connection: %s\ncache_prefix: pvetest\n"
            % (tmp_path / "cache"))


def four_node(mock, tags=None):
    """The four-node PVE 7.4 cluster of the samples; tags: {vmid: tags} to set on its guests."""
    rows = sample_data(RES_4NODE)
    for row in rows:
        if row.get("vmid") in (tags or {}):
            row["tags"] = tags[row["vmid"]]
    add_base(mock, rows, sample_data(STATUS_4NODE))


def cache_files(tmp_path):
    """The cache files cache_options wrote (never a link planted beside them)."""
    return sorted(p for p in (tmp_path / "cache").iterdir() if p.name.startswith("pvetest") and not p.is_symlink())


def write_source(tmp_path, body, name="test.pve.yml", connection=TOKEN_CONFIG):
    path = tmp_path / name
    path.write_text("plugin: pve.cluster.pve\n" + connection + body)
    return path


def sim_source(tmp_path, sim, body="", token=None, name="versions.pve.yml"):
    """An inventory source for the simulator sim; token: (id, secret), sim's own by default."""
    token_id, secret = token or (sim.token_id, sim.token_secret)
    return write_source(tmp_path, body, name, "api_host: %s\napi_token_id: '%s'\napi_token_secret: %s\napi_retries: 0\n"
                        "api_allow_http: true\n" % (sim.url, token_id, secret))


def sim_inventory(tmp_path, profile, body, scenario=None, faults=()):
    """(the inventory of a source with body, the paths it asked) against the simulator of profile."""
    with profile_sim(profile, scenario) as sim:
        for fault in faults:
            sim.add_fault(**fault)
        inventory = parse_direct(sim_source(tmp_path, sim, body))
        return inventory, [r["path"] for r in sim.requests]


def load_inventory(*paths, cache=True):
    """The real path: InventoryManager -> auto plugin -> pve.cluster.pve via the collection loader."""
    manager = InventoryManager(loader=DataLoader(), sources=[str(p) for p in paths], cache=cache)
    parsed = [str(s) for s in manager._inventory.processed_sources]
    assert all(str(p) in parsed for p in paths), "an inventory source failed to parse: %s" % parsed
    return manager


def parse_direct(path, cache=False, plugin=None):
    """inventory_loader.get('pve.cluster.pve').parse(): errors propagate instead of becoming warnings."""
    plugin = plugin or inventory_loader.get("pve.cluster.pve")
    inventory = InventoryData()
    plugin.parse(inventory, DataLoader(), str(path), cache=cache)
    try:
        plugin.update_cache_if_changed()
    except AttributeError:
        pass
    return inventory


def fails_before_any_request(path, message):
    """parse_direct(path) raises an AnsibleError matching `message` without sending a request; that error."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        with pytest.raises(AnsibleError, match=message) as caught:
            parse_direct(path)
        assert len(mock.calls) == 0
    return caught.value


def host_vars(inventory, name):
    """The vars the plugin set on one host (InventoryManager or InventoryData; not Ansible's inventory_file/dir)."""
    host = inventory.get_host(name)
    assert host is not None, "host %r missing; hosts: %s" % (name, sorted(inventory.hosts))
    return dict((k, v) for k, v in host.vars.items() if k not in ("inventory_file", "inventory_dir"))


def group_hosts(inventory, group):
    groups = inventory.groups
    assert group in groups, "group %r missing; groups: %s" % (group, sorted(groups))
    return sorted(h.name for h in groups[group].get_hosts())
