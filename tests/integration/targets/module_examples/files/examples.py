# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write one playbook with a play per module of COLLECTION/plugins/modules: its EXAMPLES as written; then a play
with the tasks of docs/migrating-modules-from-community-proxmox.md as printed, which writes what they registered
into migrating.json beside PLAYBOOK.

    python examples.py COLLECTION PLAYBOOK

Only the literal connection options (written for pve1.example.com) are dropped, from module arguments and
module_defaults: the PVE_* environment points the modules at the simulator. Exits 1 naming a module whose
EXAMPLES hold no task of that module, or when the page's tasks are not its three YAML blocks of named tasks.
"""

from __future__ import annotations

import ast
import os
import re
import sys

import yaml

MIGRATING_PAGE = os.path.join("docs", "migrating-modules-from-community-proxmox.md")
MIGRATING_REGISTERED = ("guests", "proxmox_vms", "qemu_on_pve1", "vm_100", "named_web01", "failed_on_pve1", "one_task",
                        "nodes", "bridges", "status")
CONNECTION_KEYS = ("api_host", "api_port", "api_user", "api_password", "api_token_id", "api_token_secret",
                   "validate_certs", "ca_path")


def examples(path):
    for node in ast.parse(open(path, encoding="utf-8").read()).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "EXAMPLES":
            return yaml.safe_load(node.value.value)
    return []


def without_connection(items):
    """The tasks with the literal connection options left out."""
    cleaned = []
    for item in items:
        item = dict(item)
        for key, value in list(item.items()):
            if key.startswith("pve.cluster.") and isinstance(value, dict):
                item[key] = dict((k, v) for k, v in value.items() if k not in CONNECTION_KEYS) or None
            elif key == "module_defaults" and isinstance(value, dict):
                groups = dict((group, dict((k, v) for k, v in (options or {}).items() if k not in CONNECTION_KEYS))
                              for group, options in value.items())
                groups = dict((group, options) for group, options in groups.items() if options)
                if groups:
                    item[key] = groups
                else:
                    del item[key]
            elif key in ("block", "rescue", "always") and isinstance(value, list):
                item[key] = without_connection(value)
        cleaned.append(item)
    return cleaned


def uses(tasks, module):
    return any(module in task or uses(task.get("block", []), module) for task in tasks)


def migrating_play(collection, dump):
    """The page's tasks, as printed, and one that writes what they registered into dump (None: not as printed)."""
    with open(os.path.join(collection, MIGRATING_PAGE), encoding="utf-8") as handle:
        blocks = re.findall(r"```yaml\n(.*?)```", handle.read(), flags=re.S)
    tasks = [task for block in blocks for task in yaml.safe_load(block)]
    if len(blocks) != 3 or not all(isinstance(task, dict) and "name" in task for task in tasks):
        return None
    keep = "{{ {%s} | to_json }}" % ", ".join("'%s': %s" % (name, name) for name in MIGRATING_REGISTERED)
    tasks.append({"name": "Keep what the tasks registered", "changed_when": False,
                  "ansible.builtin.copy": {"dest": dump, "mode": "0600", "content": keep}})
    return {"name": "The tasks of " + MIGRATING_PAGE, "hosts": "localhost", "gather_facts": False, "tasks": tasks}


def main(collection, playbook):
    plays = []
    directory = os.path.join(collection, "plugins", "modules")
    for name in sorted(n[:-3] for n in os.listdir(directory) if n.startswith("pve_") and n.endswith(".py")):
        tasks = without_connection(examples(os.path.join(directory, name + ".py")))
        if not uses(tasks, "pve.cluster." + name):
            print("%s: its EXAMPLES hold no pve.cluster.%s task" % (name, name))
            return 1
        plays.append({"name": "EXAMPLES of " + name, "hosts": "localhost", "gather_facts": False, "tasks": tasks})
    migrating = migrating_play(collection, os.path.join(os.path.dirname(os.path.abspath(playbook)), "migrating.json"))
    if migrating is None:
        print("%s: not three YAML blocks of named tasks" % MIGRATING_PAGE)
        return 1
    print(" ".join(play["name"][12:] for play in plays))
    plays.append(migrating)
    with open(playbook, "w", encoding="utf-8") as handle:
        yaml.safe_dump(plays, handle, sort_keys=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
