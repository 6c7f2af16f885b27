# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""pve.cluster.pve against a hostile server (tests/unit/plugins/_hostile_server.py, plain HTTP on 127.0.0.1):
guest names that are group names, secrets echoed into hostvars and the cache, the cache's key, rows of the wrong
shape, control characters."""

from __future__ import annotations

import json

import pytest

from ansible_collections.pve.cluster.tests.unit.plugins._hostile_server import GUEST, NODE, Hostile, envelope
from ansible_collections.pve.cluster.tests.unit.plugins.inventory._helpers import (
    cache_options, host_vars, load_inventory, write_source)
from ansible_collections.pve.cluster.tests.unit.plugins.module_utils._local_server import SECRET


@pytest.fixture
def hostile():
    with Hostile() as server:
        yield server


def connection(server, secret=SECRET):
    return ("api_host: %s\napi_allow_http: true\napi_token_id: root@pam!hostile\napi_token_secret: %s\n"
            "api_retries: 0\n" % (server.url, secret))


def guest(vmid, name, **extra):
    row = dict(GUEST, id="qemu/%s" % vmid, vmid=vmid, name=name)
    row.update(extra)
    return row


def all_vars(manager):
    return {name: host_vars(manager, name) for name in manager.hosts}


def members(manager, group):
    entry = manager.groups[group]
    return {h.name for h in entry.hosts}, {g.name for g in entry.child_groups}


def test_guest_names_never_rewire_groups(hostile, tmp_path, warnings):
    """Guests named like groups (production: another source's; tag_web: keyed_groups makes it later): the first five
    get a <type>-<vmid> name with one warning, and no group is nested under another."""
    names = {100: "all", 101: "ungrouped", 102: "production", 103: "pve_running", 104: "big", 105: "tag_web",
             106: "web01"}
    hostile.route("/cluster/resources", [NODE] + [guest(vmid, name) for vmid, name in names.items()])
    other = tmp_path / "other.yml"
    other.write_text("all:\n  children:\n    production:\n      hosts:\n        db1:\n")
    source = write_source(tmp_path, "groups:\n  big: pve_maxmem > 0\nkeyed_groups:\n  - key: pve_tags\n    prefix: tag\n",
                          connection=connection(hostile))
    manager = load_inventory(other, source)
    hosts = set(manager.hosts)
    assert {"qemu-100", "qemu-101", "qemu-102", "qemu-103", "qemu-104", "tag_web", "web01", "db1"} <= hosts, hosts
    for group in ("pve_running", "pve_qemu", "pve_tag_web", "big", "tag_web", "pve_node_pve1"):
        group_hosts, children = members(manager, group)
        assert "db1" not in group_hosts and not children, (group, group_hosts, children)
    assert members(manager, "production") == ({"db1"}, set())
    assert "qemu-104" in members(manager, "big")[0] and "web01" in members(manager, "tag_web")[0]
    assert any("5 host(s) renamed because their name is a group name" in " ".join(w.split()) for w in warnings)


@pytest.mark.parametrize("secret", [SECRET, "Zq7"], ids=["uuid secret", "3-character secret"])
def test_echoed_secret_in_hostvars_and_cache(hostile, tmp_path, capsys, secret):
    """The server puts the Authorization header into a guest's name and tags and into the guest agent's error:
    the secret is in no hostvar (pve_agent_error too), output or cache file."""
    def resources(request):
        auth = request.headers.get("Authorization") or ""
        envelope({"data": [NODE, guest(100, "vm-" + auth, tags=auth.replace("=", "-"))]})(request)

    hostile.route("/cluster/resources", resources)
    hostile.route("/nodes/pve1/qemu/100/agent/network-get-interfaces", lambda request: envelope(
        {"data": None, "message": "agent says %s" % request.headers.get("Authorization")}, status=500)(request))
    cache = tmp_path / "cache"
    source = write_source(tmp_path, "ansible_host: guest_agent\n" + cache_options(tmp_path),
                          connection=connection(hostile, secret))
    variables = all_vars(load_inventory(source))
    files = sorted(cache.iterdir())
    assert len(files) == 1, files
    captured = capsys.readouterr()
    for text in [json.dumps(variables, default=str), files[0].read_text(), captured.out, captured.err]:
        assert secret not in text
    guest_vars = next(v for v in variables.values() if v.get("pve_vmid") == 100)
    assert "<hidden>" in guest_vars["pve_name"] and "<hidden>" in guest_vars["pve_agent_error"], guest_vars


def test_cache_is_keyed_on_the_connection(tmp_path):
    """One inventory source with the cache on, pointed at cluster A, then B, then A again: B gets B's guests
    (not A's from the cache); the third run is served from the cache without a request."""
    cache = cache_options(tmp_path)
    with Hostile() as one, Hostile() as two:
        one.route("/cluster/resources", [NODE, guest(100, "alpha")])
        two.route("/cluster/resources", [NODE, guest(100, "beta")])
        first = load_inventory(write_source(tmp_path, cache, connection=connection(one)))
        second = load_inventory(write_source(tmp_path, cache, connection=connection(two)))
        third = load_inventory(write_source(tmp_path, cache, connection=connection(one)))
        asked = one.count("/cluster/resources")
    assert "alpha" in first.hosts and "beta" in second.hosts and "alpha" not in second.hosts
    assert "alpha" in third.hosts and asked == 1, asked


def test_bad_rows(hostile, tmp_path, warnings):
    """Bad vmids left out with one warning naming them (an escape shown as \\x1b), a name escaped and its surrogate
    replaced, no ansible_host from a node ip that is a host name."""
    hostile.route("/cluster/resources", [
        NODE, dict(NODE, node="pve2", id="node/pve2"),
        guest(100, "ok"), guest("abc", "word"), guest(5, "low"), guest(10 ** 12, "high"), guest(101.5, "float"),
        guest(102, "evil\x1b[31m\ud800"), guest("x", "bad id", id="qemu/\x1b[2Jx")])
    hostile.route("/cluster/status", [
        {"type": "cluster", "name": "hostile", "id": "cluster"},
        {"type": "node", "name": "pve1", "ip": "127.0.0.1", "id": "node/pve1"},
        {"type": "node", "name": "pve2", "ip": "attacker.example.com", "id": "node/pve2"}])
    manager = load_inventory(write_source(tmp_path, "include_nodes: true\n", connection=connection(hostile)))
    said = " ".join(" ".join(warnings).split())
    assert "5 guest row(s) left out: vmid is not an integer in 100..999999999" in said, said
    assert "'qemu/\\x1b[2Jx'" in said and "\x1b" not in said, said
    names = set(manager.hosts)
    assert "ok" in names and "evil\\x1b[31m\ufffd" in names and not names & {"word", "low", "high", "float"}, names
    assert host_vars(manager, "pve1")["ansible_host"] == "127.0.0.1"
    assert "ansible_host" not in host_vars(manager, "pve2")
