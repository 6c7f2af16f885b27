# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A module's documentation blocks read from its source, without importing it.

Shared by the unit tests (tests/unit/conftest.py puts tests/ on sys.path, as for pvesim): import plugin_source.
"""

from __future__ import annotations

import ast
import pathlib

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[1]


def module_block(module, name):
    """The YAML block `name` (DOCUMENTATION, EXAMPLES or RETURN) of plugins/modules/<module>.py, parsed."""
    tree = ast.parse((ROOT / "plugins" / "modules" / (module + ".py")).read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return yaml.safe_load(ast.literal_eval(node.value))
    raise AssertionError("%s has no %s" % (module, name))
