# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What every module must have (CONTRIBUTING.md, "Add a module"): checked for each file in plugins/modules."""

from __future__ import annotations

import importlib
import pathlib
import re

import pytest
import yaml

from plugin_source import module_block

from ansible_collections.pve.cluster.tests.unit.plugins.module_utils._samples import schema_choices

ROOT = pathlib.Path(__file__).resolve().parents[4]
MODULES = sorted(path.stem for path in (ROOT / "plugins" / "modules").glob("*.py") if not path.stem.startswith("_"))


def test_action_group_pve_lists_exactly_the_modules():
    assert "pve_version_info" in MODULES and len(MODULES) >= 5
    runtime = yaml.safe_load((ROOT / "meta" / "runtime.yml").read_text(encoding="utf-8"))
    assert sorted(runtime["action_groups"]["pve"]) == MODULES


def _changelog_text():
    changelogs = ROOT / "changelogs"
    paths = [changelogs / "changelog.yaml"] + sorted((changelogs / "fragments").glob("*.yml"))
    return "\n".join(path.read_text(encoding="utf-8") for path in paths if path.is_file())


@pytest.mark.parametrize("name", MODULES)
def test_module_has_every_part(name):
    """The skeleton (a module-level ARGUMENT_SPEC handed to PveModule), an author with a GitHub handle (ansible-doc
    prints '(!UNKNOWN)' otherwise), and the files of CONTRIBUTING's "Add a module": the module, meta/runtime.yml
    (above), its unit test, a changelog entry, its docs/INTERFACE.md section, its integration target (below)."""
    module = importlib.import_module("ansible_collections.pve.cluster.plugins.modules." + name)
    assert isinstance(module.ARGUMENT_SPEC, dict)
    source = (ROOT / "plugins" / "modules" / (name + ".py")).read_text(encoding="utf-8")
    assert "PveModule(argument_spec=ARGUMENT_SPEC" in source
    authors = module_block(name, "DOCUMENTATION")["author"]
    assert authors and all(re.search(r"\(@[\w-]+\)$", author) for author in authors), authors
    assert (ROOT / "tests" / "unit" / "plugins" / "modules" / ("test_%s.py" % name)).is_file()
    assert re.search(r"\b%s\b" % name, _changelog_text()), "no changelog fragment names %s" % name
    interface = (ROOT / "docs" / "INTERFACE.md").read_text(encoding="utf-8")
    assert re.search(r"^### %s\b" % name, interface, re.M), "docs/INTERFACE.md has no '### %s' section" % name


# The integration target of each module (named like it), inventory plugin, role, and of the playbooks.
TARGETS = (MODULES + ["inventory_" + path.stem for path in (ROOT / "plugins" / "inventory").glob("*.py")]
           + ["role_" + path.name for path in (ROOT / "roles").iterdir() if path.is_dir()]
           + (["playbooks"] if list((ROOT / "playbooks").glob("*.yml")) else []))


@pytest.mark.parametrize("name", TARGETS)
def test_integration_target_runs_against_the_simulator(name):
    """tests/integration/targets/<name>/ runs against the simulator (setup_pvesim) and is not switched off."""
    target = ROOT / "tests" / "integration" / "targets" / name
    assert (target / "tasks" / "main.yml").is_file(), "%s has no integration target" % name
    dependencies = yaml.safe_load((target / "meta" / "main.yml").read_text(encoding="utf-8"))["dependencies"]
    # the role alone, or with its vars (inventory_pve: pvesim_moving_metrics)
    assert [d if isinstance(d, str) else d.get("role") for d in dependencies] == ["setup_pvesim"]
    aliases = (target / "aliases").read_text(encoding="utf-8").split()
    assert "hidden" not in aliases and "disabled" not in aliases and "unsupported" not in aliases, aliases


@pytest.mark.parametrize("name, option, path", [("pve_node_info", "network_type", "/nodes/{node}/network"),
                                                ("pve_cluster_info", "resource_type", "/cluster/resources")])
def test_type_choices_are_pves(name, option, path):
    """The choices of a type filter are PVE's own (schema.json); its docs say the same (sanity validate-modules)."""
    module = importlib.import_module("ansible_collections.pve.cluster.plugins.modules." + name)
    assert module.ARGUMENT_SPEC[option]["choices"] == schema_choices(path, "type")
