# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Write one playbook with a play per module of COLLECTION/plugins/modules: its EXAMPLES as written.

    python examples.py COLLECTION PLAYBOOK

Only the literal connection options (written for pve1.example.com) are dropped, from module arguments and
module_defaults: the PVE_* environment points the modules at the simulator. Exits 1 naming a module whose
EXAMPLES hold no task of that module.
"""

from __future__ import annotations

import ast
import os
import sys

import yaml

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


def main(collection, playbook):
    plays = []
    directory = os.path.join(collection, "plugins", "modules")
    for name in sorted(n[:-3] for n in os.listdir(directory) if n.startswith("pve_") and n.endswith(".py")):
        tasks = without_connection(examples(os.path.join(directory, name + ".py")))
        if not uses(tasks, "pve.cluster." + name):
            print("%s: its EXAMPLES hold no pve.cluster.%s task" % (name, name))
            return 1
        plays.append({"name": "EXAMPLES of " + name, "hosts": "localhost", "gather_facts": False, "tasks": tasks})
    with open(playbook, "w", encoding="utf-8") as handle:
        yaml.safe_dump(plays, handle, sort_keys=False)
    print(" ".join(play["name"][12:] for play in plays))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
