# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Hostile round two (issue 29 points 5, 6, 10 and 11) against the inventory: a tenant's agent answer that would
poison the cache (`__ansible_type`) or nest 500 deep, 100,000 addresses in one answer, and a shared cache
directory where another user plants links and reads files."""

from __future__ import annotations

import json
import os
import stat

import pytest
import responses

from ansible_collections.pve.cluster.tests.unit.plugins._capped import run_capped
from ansible_collections.pve.cluster.tests.unit.plugins.inventory._helpers import (
    VAULT, add_agent, agent_answer, cache_files, cache_options, guest, host_vars, load_inventory, one_node, write_source)


def mock_cluster(mock, answers, **row):
    one_node(mock, *[guest(vmid, "vm%d" % vmid, node="pve", **row) for vmid in sorted(answers)], node="pve", ip="10.0.0.1")
    for vmid, data in answers.items():
        add_agent(mock, vmid, json={"data": data})


@pytest.mark.reliability(
    theme="hostile round two", case='5 __ansible_type in an agent answer',
    expected='Treated as missing with a warning on the first run; two cached runs after it read plain data '
             'with no request.')
def test_an_ansible_type_key_never_poisons_the_cache(tmp_path, warnings):
    """And a guest's lock that is {"__ansible_vault": ...}: treated as missing too, never decrypted or made text."""
    path = write_source(tmp_path, cache_options(tmp_path) + "ansible_host: guest_agent\n")
    poisoned = agent_answer("192.0.2.10")
    poisoned["result"].append({"name": "eth1", "statistics": {"__ansible_type": "Bogus", "value": 1}})
    poisoned["result"].append({"__ansible_tagged_value": "x", "__ansible_tags": ["Bogus"]})
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock_cluster(mock, {100: poisoned}, lock=VAULT, hastate=VAULT["__ansible_vault"])
        first = host_vars(load_inventory(path), "vm100")
    assert first["ansible_host"] == "192.0.2.10" and "pve_lock" not in first
    assert "__ansible_" not in json.dumps(first, default=str)
    for said in ("1 value(s) from the API", "2 value(s) from the guest agents"):
        assert any(said + " were not plain data" in " ".join(w.split()) for w in warnings), warnings
    assert "__ansible_" not in cache_files(tmp_path)[0].read_text().replace('"__payload__"', "")
    for _run in range(2):
        with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:  # nothing registered: no request
            again = host_vars(load_inventory(path), "vm100")
            assert len(mock.calls) == 0
        assert again["ansible_host"] == "192.0.2.10" and "pve_lock" not in again
        assert "__ansible_" not in json.dumps(again, default=str)


@pytest.mark.reliability(
    theme="hostile round two", case='6 agent answer nested 500 deep',
    expected='That guest gets pve_agent_error (nested deeper than 32 levels), the other guest its address.')
def test_an_agent_answer_nested_500_deep_fails_that_guest_only(tmp_path, warnings):
    deep = "x"
    for level in range(500):
        deep = {"a": deep} if level % 2 else [deep]
    path = write_source(tmp_path, "ansible_host: guest_agent\n")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock_cluster(mock, {100: agent_answer("192.0.2.10", statistics=deep), 101: agent_answer("192.0.2.11")})
        inventory = load_inventory(path)
    assert "nested deeper than 32 levels" in host_vars(inventory, "vm100")["pve_agent_error"]
    assert "ansible_host" not in host_vars(inventory, "vm100")
    assert host_vars(inventory, "vm101")["ansible_host"] == "192.0.2.11"


CHILD_ADDRESSES = """
from ansible_collections.pve.cluster.plugins.plugin_utils import _inventory_agent as agent
count = %d
data = {"result": [{"name": "eth0", "ip-addresses": [
    {"ip-address": "10.%%d.%%d.%%d" %% (i >> 16, (i >> 8) & 255, i & 255), "ip-address-type": "inet", "prefix": 8}
    for i in range(count)] + [{"ip-address": "10.0.0.0", "ip-address-type": "inet", "prefix": 8}]}]}
found = agent.addresses(data)
RESULT({"found": len(found), "first": found[0], "picked": agent.pick_address(found, [])})
"""


@pytest.mark.reliability(
    theme="hostile round two", case='6 100,000 addresses in one agent answer',
    expected='Read and picked in a child killed after 60 s (linear: about a second; was quadratic, minutes).')
def test_100000_addresses_in_one_answer_are_read_in_linear_time():
    outcome = run_capped(CHILD_ADDRESSES % 100000, as_mib=1024, timeout=60)
    assert not outcome["killed"], "addresses() ran for more than 60 s on 100,000 addresses"
    assert outcome["rc"] == 0, outcome
    assert outcome["result"] == {"found": 100000, "first": "10.0.0.0", "picked": "10.0.0.0"}


def _cached_source_and_victim(tmp_path):
    """A source whose cache was written once, its cache file, and another user's file (0644) a link may target."""
    path = write_source(tmp_path, cache_options(tmp_path))
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock_cluster(mock, {})
        load_inventory(path)
    victim = tmp_path / "victim.conf"
    victim.write_text("root's file\n")
    victim.chmod(0o644)
    return path, cache_files(tmp_path)[0], victim


@pytest.mark.reliability(
    theme="hostile round two", case='10 link planted in a shared cache directory',
    expected='Links named like the cache file, or with its own name: their target keeps mode 0644 and its content; '
             'the cache file is 0600, never a link.')
@pytest.mark.parametrize("own_name", [False, True], ids=["named like the cache file", "the cache file's own name"])
def test_a_link_planted_in_a_shared_cache_directory_is_never_followed(tmp_path, own_name):
    path, cache_file, victim = _cached_source_and_victim(tmp_path)
    planted = [cache_file] if own_name else [cache_file.parent / ("evil" + cache_file.name),
                                             cache_file.parent / (cache_file.name + ".x")]
    if own_name:
        cache_file.unlink()
    for link in planted:
        link.symlink_to(victim)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock_cluster(mock, {})
        load_inventory(path, cache=False)  # a refresh: the cache is written again
        assert len(mock.calls) == 2
    assert stat.S_IMODE(victim.stat().st_mode) == 0o644
    assert victim.read_text() == "root's file\n"
    assert all(link.is_symlink() for link in planted if link != cache_file)
    assert stat.S_IMODE(cache_file.lstat().st_mode) == 0o600 and not cache_file.is_symlink()


@pytest.mark.reliability(
    theme="hostile round two", case='11 cache file never readable by others',
    expected='After every rename and chmod while the cache is written (first write and refresh), no file in '
             'the cache directory has group or other bits; no chmod at all.')
def test_the_cache_file_is_never_readable_by_others(tmp_path, monkeypatch):
    path = write_source(tmp_path, cache_options(tmp_path))
    exposed = []

    def watch(name, real):
        def call(*args, **kwargs):
            result = real(*args, **kwargs)
            directory = tmp_path / "cache"
            for entry in directory.rglob("*") if directory.exists() else ():
                mode = stat.S_IMODE(entry.lstat().st_mode)
                if entry.is_file() and not entry.is_symlink() and mode & 0o077:
                    exposed.append((name, entry.name, oct(mode)))
            return result
        return call

    for name in ("rename", "replace", "chmod"):
        monkeypatch.setattr(os, name, watch(name, getattr(os, name)))
    for cache in (True, False):  # the first write, then a refresh over an existing file
        with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
            mock_cluster(mock, {})
            load_inventory(path, cache=cache)
    monkeypatch.undo()
    assert exposed == []
    files = cache_files(tmp_path)
    assert len(files) == 1 and stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert [p.name for p in (tmp_path / "cache").iterdir() if p.name.startswith(".pve-cluster-")] == []
