# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The connection doc fragment documents exactly the environment variables the code reads (_options.ENV_VARS)."""

from __future__ import annotations

import re

import yaml

from ansible_collections.pve.cluster.plugins.doc_fragments.connection import ModuleDocFragment
from ansible_collections.pve.cluster.plugins.module_utils._options import CONNECTION_ARGSPEC, ENV_VARS


def test_module_fragment_names_the_env_vars_in_order():
    options = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]
    assert set(options) == set(CONNECTION_ARGSPEC) == set(ENV_VARS)
    for name, spec in options.items():
        (fallback,) = [line for line in spec["description"] if line.startswith("If not set")]
        assert re.findall(r"E\((\w+)\)", fallback) == ENV_VARS[name], name


def test_plugin_fragment_env_entries_equal_env_vars():
    options = yaml.safe_load(ModuleDocFragment.PLUGINS)["options"]
    documented = dict((name, [entry["name"] for entry in spec.get("env", [])]) for name, spec in options.items()
                      if name in ENV_VARS)
    assert documented == ENV_VARS


def test_argspec_fallbacks_read_env_vars():
    for name, spec in CONNECTION_ARGSPEC.items():
        assert list(spec["fallback"][1]) == ENV_VARS[name], name
