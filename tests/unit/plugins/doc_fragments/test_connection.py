# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The connection options are declared once, in _options.CONNECTION (the modules' argument spec and its environment
fallbacks are built from it). Every place a user reads them must say the same: both blocks of the doc fragment (the
literal YAML that ansible-doc and validate-modules read) and docs/INTERFACE.md (table of section 1, aliases in 3):
names, types, defaults, required, environment variables in order, inventory aliases and no_log."""

from __future__ import annotations

import pathlib
import re

import pytest
import yaml

from ansible_collections.pve.cluster.plugins.doc_fragments.connection import ModuleDocFragment
from ansible_collections.pve.cluster.plugins.module_utils._options import CONNECTION

ROOT = pathlib.Path(__file__).resolve().parents[4]
INTERFACE = (ROOT / "docs" / "INTERFACE.md").read_text(encoding="utf-8")
MODULE_DOC = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]
PLUGIN_DOC = yaml.safe_load(ModuleDocFragment.PLUGINS)["options"]


def interface_rows():
    """{option: cells} of the table in INTERFACE.md section 1 (option | type | default | env | notes)."""
    section = INTERFACE.split("\n## 1. Connection options", 1)[1].split("\n## ", 1)[0]
    cells = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in section.splitlines()
             if line.startswith("|")]
    return dict((row[0], row) for row in cells[2:])


def declared(name):
    spec = CONNECTION[name]
    return {"type": spec["type"], "default": spec.get("default"), "required": spec.get("required", False),
            "env": list(spec["env"])}


def documented(doc, env):
    return {"type": doc["type"], "default": doc.get("default"), "required": doc.get("required", False), "env": env}


def test_every_place_names_the_same_options():
    assert set(MODULE_DOC) == set(PLUGIN_DOC) == set(interface_rows()) == set(CONNECTION)


@pytest.mark.parametrize("name", sorted(CONNECTION))
def test_module_block_plugin_block_and_interface_row(name):
    doc = MODULE_DOC[name]
    (fallback,) = [line for line in doc["description"] if line.startswith("If not set")]
    assert documented(doc, re.findall(r"E\((\w+)\)", fallback)) == declared(name)
    assert "aliases" not in doc
    doc = PLUGIN_DOC[name]
    assert documented(doc, [entry["name"] for entry in doc.get("env", [])]) == declared(name)
    alias = CONNECTION[name].get("inventory_alias")
    assert doc.get("aliases", []) == ([alias] if alias else [])
    _option, types, default, env, _notes = interface_rows()[name]
    kind, _sep, no_log = types.partition(", ")
    row = {"type": kind, "default": None if default in ("required", "\u2013") else yaml.safe_load(default),
           "required": default == "required", "env": env.split(", ")}
    assert row == declared(name)
    assert (no_log == "no_log") is CONNECTION[name].get("no_log", False)


def test_interface_names_the_inventory_aliases():
    (aliases,) = re.findall(r"((?:`\w+`, )+`\w+`) accepted as aliases", INTERFACE)
    assert aliases.replace("`", "").split(", ") == [spec["inventory_alias"] for spec in CONNECTION.values()
                                                    if "inventory_alias" in spec]
