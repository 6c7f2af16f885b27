# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""pve.cluster.pve against hostile answers: guest names that are group names, secrets echoed into hostvars and the
cache, the cache's key, rows of the wrong shape, control characters; and hostile round two (issue 29 points 5, 6, 10
and 11): a tenant's agent answer that would poison the cache (`__ansible_type`) or nest 500 deep, 100,000 addresses in
one answer, and a shared cache directory where another user plants links and reads files."""

from __future__ import annotations

import json
import os
import stat

import pytest
import responses

from ansible_collections.pve.cluster.tests.unit.plugins._capped import run_capped
from ansible_collections.pve.cluster.tests.unit.plugins.inventory._helpers import (
    BASE, SECRET, TOKEN_CONFIG, VAULT, add_agent, add_base, agent_answer, cache_files, cache_options, guest, host_vars,
    load_inventory, one_node, write_source)


NODE = {"id": "node/pve1", "type": "node", "node": "pve1", "status": "online"}


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


def test_guest_names_never_rewire_groups(mock_api, tmp_path, warnings):
    """Guests named like groups (production: another source's; tag_web: keyed_groups makes it later): the first five
    get a <type>-<vmid> name with one warning, and no group is nested under another."""
    names = {100: "all", 101: "ungrouped", 102: "production", 103: "pve_running", 104: "big", 105: "tag_web",
             106: "web01"}
    one_node(mock_api, *[guest(vmid, name, tags="web", maxmem=1) for vmid, name in names.items()])
    other = tmp_path / "other.yml"
    other.write_text("all:\n  children:\n    production:\n      hosts:\n        db1:\n")
    manager = load_inventory(other, write_source(
        tmp_path, "groups:\n  big: pve_maxmem > 0\nkeyed_groups:\n  - key: pve_tags\n    prefix: tag\n"))
    hosts = set(manager.hosts)
    assert {"qemu-100", "qemu-101", "qemu-102", "qemu-103", "qemu-104", "tag_web", "web01", "db1"} <= hosts, hosts
    for group in ("pve_running", "pve_qemu", "pve_tag_web", "big", "tag_web", "pve_node_pve1"):
        entry = manager.groups[group]
        assert "db1" not in entry.host_names and not entry.child_groups, group
    assert manager.groups["production"].host_names == {"db1"} and not manager.groups["production"].child_groups
    assert "qemu-104" in manager.groups["big"].host_names and "web01" in manager.groups["tag_web"].host_names
    assert any("5 host(s) renamed because their name is a group name" in " ".join(w.split()) for w in warnings)


@pytest.mark.parametrize("secret", [SECRET, "Zq7"], ids=["uuid secret", "3-character secret"])
def test_echoed_secret_in_hostvars_and_cache(mock_api, tmp_path, capsys, secret):
    """The server puts the Authorization header into a guest's name and tags and into the guest agent's error:
    the secret is in no hostvar (pve_agent_error too), output or cache file."""
    def resources(request):
        auth = request.headers["Authorization"]
        return 200, {}, json.dumps({"data": [NODE, guest(100, "vm-" + auth, tags=auth.replace("=", "-"))]})

    mock_api.add_callback(responses.GET, BASE + "/cluster/resources", resources, content_type="application/json")
    mock_api.add(responses.GET, BASE + "/cluster/status", json={"data": []})
    mock_api.add_callback(responses.GET, BASE + "/nodes/pve1/qemu/100/agent/network-get-interfaces", lambda request: (
        500, {}, json.dumps({"data": None, "message": "agent says %s" % request.headers["Authorization"]})),
        content_type="application/json")
    source = write_source(tmp_path, "ansible_host: guest_agent\n" + cache_options(tmp_path),
                          connection=TOKEN_CONFIG.replace(SECRET, secret))
    manager = load_inventory(source)
    variables = {name: host_vars(manager, name) for name in manager.hosts}
    files = cache_files(tmp_path)
    assert len(files) == 1, files
    captured = capsys.readouterr()
    for text in [json.dumps(variables, default=str), files[0].read_text(), captured.out, captured.err]:
        assert secret not in text
    guest_vars = next(v for v in variables.values() if v.get("pve_vmid") == 100)
    assert "<hidden>" in guest_vars["pve_name"] and "<hidden>" in guest_vars["pve_agent_error"], guest_vars


def test_cache_is_keyed_on_the_connection(mock_api, tmp_path):
    """One inventory source with the cache on, pointed at cluster A, then B, then A again: B gets B's guests
    (not A's from the cache); the third run is served from the cache without a request."""
    connections = {}
    for host, name in (("a.example.com", "alpha"), ("b.example.com", "beta")):
        one_node(mock_api, guest(100, name), base=BASE.replace("pve.example.com", host))
        connections[name] = TOKEN_CONFIG.replace("pve.example.com", host)
    first, second, third = [load_inventory(write_source(tmp_path, cache_options(tmp_path), connection=connections[name]))
                            for name in ("alpha", "beta", "alpha")]
    asked = [c for c in mock_api.calls if c.request.url.startswith("https://a.example.com:8006/api2/json/cluster/resources")]
    assert "alpha" in first.hosts and "beta" in second.hosts and "alpha" not in second.hosts
    assert "alpha" in third.hosts and len(asked) == 1


def test_bad_rows(mock_api, tmp_path, warnings):
    """Bad vmids left out with one warning naming them (an escape shown as \\x1b), a name escaped and its surrogate
    replaced, no ansible_host from a node ip that is a host name."""
    add_base(mock_api, [
        NODE, dict(NODE, node="pve2", id="node/pve2"),
        guest(100, "ok"), guest("abc", "word"), guest(5, "low"), guest(10 ** 12, "high"), guest(101.5, "float"),
        guest(102, "evil\x1b[31m\ud800"), guest("x", "bad id", id="qemu/\x1b[2Jx")], [
        {"type": "cluster", "name": "hostile", "id": "cluster"},
        {"type": "node", "name": "pve1", "ip": "127.0.0.1", "id": "node/pve1"},
        {"type": "node", "name": "pve2", "ip": "attacker.example.com", "id": "node/pve2"}])
    manager = load_inventory(write_source(tmp_path, "include_nodes: true\n"))
    said = " ".join(" ".join(warnings).split())
    assert "5 guest row(s) left out: vmid is not an integer in 100..999999999" in said, said
    assert "'qemu/\\x1b[2Jx'" in said and "\x1b" not in said, said
    names = set(manager.hosts)
    assert "ok" in names and "evil\\x1b[31m\ufffd" in names and not names & {"word", "low", "high", "float"}, names
    assert host_vars(manager, "pve1")["ansible_host"] == "127.0.0.1"
    assert "ansible_host" not in host_vars(manager, "pve2")
