# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""docs/migrating-from-community-proxmox.md: its inventory file, run as written on the demo cluster, gives the
proxmox_* groups and variables of community.proxmox 2.0.0.

    python migration.py COLLECTION WORKDIR

community_proxmox_demo.json (beside this file) holds what community.proxmox 2.0.0's inventory plugin gave for the
demo cluster of the simulator: its non-empty proxmox_* groups and every host's proxmox_* variables (recorded from
a real run of community.proxmox.proxmox with `user`, `token_id`, `token_secret` and REQUESTS_CA_BUNDLE). The
connection comes from the PVE_* environment. Prints "migration snippet: OK" or what differs, and exits 1.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

PREFIX = "proxmox_"
HERE = os.path.dirname(os.path.abspath(__file__))


def doc_snippet(collection):
    """The page's inventory file, as written (the want_facts one is a unit test's)."""
    with open(os.path.join(collection, "docs", "migrating-from-community-proxmox.md"), encoding="utf-8") as handle:
        text = handle.read()
    blocks = [b for b in re.findall(r"```yaml\n(.*?)```", text, flags=re.S)
              if "plugin: pve.cluster.pve" in b and "want-facts.pve.yml" not in b]
    if len(blocks) != 1:
        raise SystemExit("the migration page should show one pve.cluster.pve inventory file, shows %d" % len(blocks))
    return blocks[0]


def plain(value):
    """ansible-inventory's JSON with {"__ansible_unsafe": text} markers replaced by the text."""
    if isinstance(value, dict):
        if set(value) == {"__ansible_unsafe"}:
            return value["__ansible_unsafe"]
        return dict((key, plain(item)) for key, item in value.items())
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


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


def differences(ours, expected):
    found = []
    if ours["groups"] != expected["groups"]:
        found.append("groups: %s != %s" % (ours["groups"], expected["groups"]))
    for host, wanted in expected["hostvars"].items():
        got = dict(ours["hostvars"].get(host, {}))
        # documented differences: proxmox_tags is "" where community.proxmox leaves it unset, and
        # proxmox_tags_parsed (community.proxmox: want_facts only) is pve_tags
        parsed = got.pop("proxmox_tags_parsed", None)
        if parsed != (wanted["proxmox_tags"].split(";") if "proxmox_tags" in wanted else []):
            found.append("%s: proxmox_tags_parsed %r" % (host, parsed))
        if got.get("proxmox_tags") == "" and "proxmox_tags" not in wanted:
            del got["proxmox_tags"]
        if got != wanted:
            found.append("%s: %s != %s" % (host, got, wanted))
    nodes = set(expected["groups"]["proxmox_nodes"])
    if set(ours["hostvars"]) - set(expected["hostvars"]) != nodes:  # nodes: the compose lines only
        found.append("hosts beyond community.proxmox's: %s" % sorted(set(ours["hostvars"]) - set(expected["hostvars"])))
    return found


def main(collection, workdir):
    source = os.path.join(workdir, "cluster.pve.yml")
    with open(source, "w", encoding="utf-8") as handle:
        handle.write(doc_snippet(collection))
    result = subprocess.run(["ansible-inventory", "-i", source, "--list"], capture_output=True, text=True, check=False,
                            env=dict(os.environ, ANSIBLE_INVENTORY_UNPARSED_FAILED="1"))
    if result.returncode != 0:
        print(result.stderr[-3000:])
        return 1
    with open(os.path.join(HERE, "community_proxmox_demo.json"), encoding="utf-8") as handle:
        expected = json.load(handle)
    if expected["community.proxmox"] != "2.0.0":
        print("the recorded answer is not community.proxmox 2.0.0's")
        return 1
    found = differences(summary(json.loads(result.stdout)), expected)
    print("\n".join(found) or "migration snippet: OK")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
