# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every warning of the modules, the inventory and the client starts the same way: lower case ("node pve3 is
offline ...", "pve.cluster.pve: no address ...", "api_host uses http:// ..."), never "Node pve3 ...".

Read from the source (every warn()/_warn()/warning() call and every text collected in a `warnings` list), so
a new warning is checked without a test that provokes it; the texts a helper returns for a warning are
checked by running the helper."""

from __future__ import annotations

import ast
import pathlib

from ansible_collections.pve.cluster import plugins
from ansible_collections.pve.cluster.plugins.plugin_utils import _inventory_filters, _inventory_keys, _inventory_offline

PLUGINS = pathlib.Path(list(plugins.__path__)[0])
WARN_CALLS = {"warn", "_warn", "warning", "_warn_client"}


def leading_text(node):
    """The literal a warning text starts with: "..." , "..." % x, f"...", "...".format(); None when not literal."""
    if isinstance(node, ast.BinOp):
        return leading_text(node.left)
    if isinstance(node, ast.JoinedStr) and node.values:
        first = node.values[0]
        return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else "%s"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return leading_text(node.func.value)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def warning_texts():
    """(file:line, leading literal) of every warning written in plugins/."""
    found = []
    for path in sorted(PLUGINS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args):
                continue
            name = node.func.attr
            owner = node.func.value
            collected = name == "append" and isinstance(owner, ast.Name) and owner.id == "warnings"
            if name in WARN_CALLS or collected:
                text = leading_text(node.args[0])
                if text is not None:
                    found.append(("%s:%d" % (path.relative_to(PLUGINS), node.lineno), text))
    return found


def starts_lower(text):
    """A text may start with a placeholder (an option or a host name), a digit or a lower-case letter."""
    return text.startswith("%") or not text[:1].isupper()


def test_every_written_warning_starts_lower_case():
    found = warning_texts()
    places = [place for place, _text in found]  # the scan finds them: at least 15, in modules, inventory and client
    assert len(places) >= 15, places
    for plugin in ("modules/pve_tasks_info.py", "inventory/pve.py", "module_utils/_client.py"):
        assert any(place.startswith(plugin) for place in places), plugin
    assert [(place, text) for place, text in found if not starts_lower(text)] == []


def test_warnings_built_by_helpers_start_lower_case():
    class Record:  # what the helpers read
        def __init__(self, key, kind="guest", offline=True, name="web"):
            self.key, self.kind, self.node_offline, self.name = key, kind, offline, name
            self.vars = {"pve_node": "pve3", "n": 1}

        def fields(self, _prefix):  # what filters see
            return self.vars

    offline = _inventory_offline.warning([Record("qemu/100")], "pve_")

    def test(condition, host_vars):
        if host_vars is records[0].vars:
            raise ValueError("broken")
        return True
    records = [Record("qemu/100"), Record("qemu/101")]
    _kept, filtered = _inventory_filters.apply([_inventory_filters.Filter("n == 1", frozenset(["n"]))], records,
                                               test, strict=False)
    unknown_keys = _inventory_keys.unknown_key_messages({"include_template": True, "want_facts": True, 1: 2},
                                                        {"include_templates": {}})
    assert len(unknown_keys) == 3
    for text in [offline, filtered] + unknown_keys:
        assert text and starts_lower(text), text
