# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""docs/migrating-from-community-proxmox.md: its snippet, run as written on the demo cluster, gives
the proxmox_* groups and variables of community.proxmox 2.0.0.

What community.proxmox 2.0.0 produces is kept in golden/community_proxmox_demo.json, recorded from
a real run of its inventory plugin against the simulator; when `make bench` has put community.proxmox 2.0.0
into build/bench-cache (the `ansible` 14.5.0 wheel), the same run is repeated here and must still give the
recorded answer.
PVE_UPDATE_GOLDEN=1 rewrites the file from that run.
"""

from __future__ import annotations

import json
import os
import re
import sys

import pytest

from pve_e2e import ROOT, base_env, plain, run_inventory

from pvesim import Simulator

DOC = ROOT / "docs" / "migrating-from-community-proxmox.md"
GOLDEN = ROOT / "tests" / "e2e" / "golden" / "community_proxmox_demo.json"
PREFIX = "proxmox_"
COMMUNITY_VERSION = "2.0.0"


def doc_snippet():
    """The page's inventory file, as written."""
    blocks = [b for b in re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
              if "plugin: pve.cluster.pve" in b and "want-facts.pve.yml" not in b]  # want_facts: tests/unit
    assert len(blocks) == 1, "the migration page should show one pve.cluster.pve inventory file"
    return blocks[0]


def summary(listing):
    """ansible-inventory --list -> the non-empty proxmox_* groups and every host's proxmox_* variables."""
    listing = plain(listing)
    groups = dict((name, sorted(body["hosts"])) for name, body in listing.items()
                  if name.startswith(PREFIX) and body.get("hosts"))
    variables = {}
    for host, host_vars in listing["_meta"]["hostvars"].items():
        mine = dict((k, v) for k, v in host_vars.items() if k.startswith(PREFIX))
        if mine:
            variables[host] = mine
    return {"groups": groups, "hostvars": variables}


@pytest.fixture(scope="module")
def demo():
    """The demo cluster, with the routes only community.proxmox asks for (GET /pools/{poolid}, ...)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from benchlib import simext  # pylint: disable=import-outside-toplevel
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    with Simulator(scenario="demo", tls=True) as server:
        simext.extend(server)
        yield server


def test_snippet_gives_community_proxmox_groups_and_variables(demo, tmp_path):
    source = tmp_path / "cluster.pve.yml"
    source.write_text(doc_snippet())
    env = base_env(tmp_path)
    env.update(PVE_API_HOST=demo.url, PVE_API_TOKEN_ID=demo.token_id, PVE_API_TOKEN_SECRET=demo.token_secret,
               PVE_CA_PATH=demo.ca_path)
    result = run_inventory(source, env, "--list")
    assert result.returncode == 0, result.stderr[-3000:]
    ours = summary(json.loads(result.stdout))
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert expected["community.proxmox"] == COMMUNITY_VERSION

    assert ours["groups"] == expected["groups"]
    for host, wanted in expected["hostvars"].items():
        got = ours["hostvars"].get(host, {})
        # documented differences: proxmox_tags is "" where community.proxmox leaves it unset, and
        # proxmox_tags_parsed (community.proxmox: want_facts only) is pve_tags
        assert got.pop("proxmox_tags_parsed") == (wanted["proxmox_tags"].split(";") if "proxmox_tags" in wanted else [])
        if got.get("proxmox_tags") == "" and "proxmox_tags" not in wanted:
            del got["proxmox_tags"]
        assert got == wanted, host
    nodes = set(expected["groups"]["proxmox_nodes"])
    assert set(ours["hostvars"]) - set(expected["hostvars"]) == nodes  # nodes: the compose lines only


def community_listing(demo, tmp_path):
    """community.proxmox 2.0.0's own answer for the demo cluster, or a skip saying why it is unavailable."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from benchlib import install  # pylint: disable=import-outside-toplevel
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    if not list(install.CACHE.glob("ansible-*.whl")):
        pytest.skip("community.proxmox %s is not in %s: `make bench` downloads it (make test downloads nothing)"
                    % (COMMUNITY_VERSION, install.CACHE))
    setup = install.prepare()
    if setup.community_version != COMMUNITY_VERSION:
        pytest.skip("community.proxmox %s not available: %s" % (COMMUNITY_VERSION, setup.community_error
                                                                or setup.community_version))
    user, _bang, name = demo.token_id.partition("!")
    source = tmp_path / "demo.proxmox.yml"
    source.write_text("plugin: community.proxmox.proxmox\nurl: %s\nuser: '%s'\ntoken_id: '%s'\ntoken_secret: '%s'\n"
                      % (demo.url, user, name, demo.token_secret))
    env = base_env(tmp_path)
    env.update(ANSIBLE_COLLECTIONS_PATH=str(setup.collections), REQUESTS_CA_BUNDLE=demo.ca_path)
    result = run_inventory(source, env, "--list")
    assert result.returncode == 0, result.stderr[-3000:]
    return summary(json.loads(result.stdout))


def test_golden_is_what_community_proxmox_gives(demo, tmp_path):
    theirs = community_listing(demo, tmp_path)
    theirs = dict({"community.proxmox": COMMUNITY_VERSION}, **theirs)
    if os.environ.get("PVE_UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(json.dumps(theirs, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    assert json.loads(GOLDEN.read_text(encoding="utf-8")) == theirs
