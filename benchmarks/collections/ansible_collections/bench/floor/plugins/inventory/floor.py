# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
from __future__ import annotations

DOCUMENTATION = r"""
name: floor
short_description: Benchmark floor, re-adds an inventory dumped by ansible-inventory --list
description:
  - The cheapest possible inventory plugin for the same result; it adds the hosts, groups and
    variables of a C(ansible-inventory --list) JSON dump, with no HTTP and no templating.
  - Used by benchmarks/run.py only (make bench). Config files end in C(floor.yml).
options:
  plugin:
    description: Always C(bench.floor.floor).
    required: true
    choices: [bench.floor.floor]
  source:
    description: Path of the JSON written by C(ansible-inventory -i SOURCE --list).
    required: true
    type: path
"""

import json

from ansible.plugins.inventory import BaseInventoryPlugin


class InventoryModule(BaseInventoryPlugin):
    NAME = "bench.floor.floor"

    def verify_file(self, path):
        return super().verify_file(path) and path.endswith(("floor.yml", "floor.yaml"))

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache)
        self._read_config_data(path)
        with open(self.get_option("source"), encoding="utf-8") as handle:
            dump = json.load(handle)
        hostvars = dump.pop("_meta", {}).get("hostvars", {})
        for group in dump:
            inventory.add_group(group)
        for host, variables in hostvars.items():
            inventory.add_host(host)
            for key, value in variables.items():
                inventory.set_variable(host, key, value)
        for group, body in dump.items():
            for child in body.get("children", ()):
                inventory.add_group(child)
                inventory.add_child(group, child)
            for host in body.get("hosts", ()):
                inventory.add_host(host, group=group)
            for key, value in body.get("vars", {}).items():
                inventory.set_variable(group, key, value)
