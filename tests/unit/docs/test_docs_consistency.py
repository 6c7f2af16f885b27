# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Docs that cannot drift: every environment variable, connection option, inventory key, module argument and
option default that the README, docs/, the roles' READMEs, the playbooks and the ansible-doc pages (DOCUMENTATION,
EXAMPLES, RETURN and the doc fragments) mention is checked against what the code reads: _options.ENV_VARS and
CONNECTION_ARGSPEC, and the options ansible-doc shows (fragments merged; validate-modules holds those equal to
the modules' argument specs)."""

from __future__ import annotations

import ast
import importlib.util
import pathlib
import re

import pytest
import yaml

from ansible.plugins.loader import fragment_loader
from ansible.utils.plugin_docs import get_docstring

from ansible_collections.pve.cluster.plugins.module_utils._options import CONNECTION_ARGSPEC, ENV_VARS

# .../ansible_collections/pve/cluster/tests/unit/docs/test_docs_consistency.py
ROOT = pathlib.Path(__file__).resolve().parents[3]
DOC_STRINGS = ("DOCUMENTATION", "EXAMPLES", "RETURN")
ENV_RE = re.compile(r"\b((?:PVE|PROXMOX)_[A-Z0-9_]+)(.?)")
API_OPTION_RE = re.compile(r"\b(api_[a-z_]+)(.?)")
CUT = "\u2026"      # docs/reliability.md cuts long messages with an ellipsis: a cut name is no name


def markdown_files():
    files = [ROOT / "README.md"] + sorted((ROOT / "docs").rglob("*.md")) + sorted(ROOT.glob("roles/*/README.md"))
    return [path for path in files if path.is_file()]


def plugin_doc_texts(path):
    """{name: text} of a plugin file's DOCUMENTATION/EXAMPLES/RETURN (and a doc fragment's class attributes)."""
    texts = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            for target in node.targets:
                if isinstance(target, ast.Name) and (target.id in DOC_STRINGS or "doc_fragments" in path.parts):
                    texts["%s:%s" % (path.relative_to(ROOT), target.id)] = node.value.value
    return texts


def doc_texts():
    """{where: text} of everything a user reads."""
    texts = dict((str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")) for path in markdown_files())
    for path in sorted(ROOT.glob("roles/*/meta/argument_specs.yml")) + sorted(ROOT.glob("playbooks/*.yml")):
        texts[str(path.relative_to(ROOT))] = path.read_text(encoding="utf-8")
    for path in sorted((ROOT / "plugins").rglob("*.py")):
        texts.update(plugin_doc_texts(path))
    return texts


def plugin_options(path, is_module):
    """{name or alias: option doc} of a plugin as ansible-doc shows it (doc fragments merged)."""
    doc = get_docstring(str(path), fragment_loader, collection_name="pve.cluster", is_module=is_module,
                        plugin_type=None if is_module else "inventory")[0]
    options = {}
    for name, spec in doc["options"].items():
        for key in [name] + list(spec.get("aliases") or []):
            options[key] = dict(spec, name=name)
    return options


INVENTORY = ROOT / "plugins" / "inventory" / "pve.py"
MODULES = dict((path.stem, path) for path in sorted((ROOT / "plugins" / "modules").glob("pve_*.py")))


@pytest.fixture(scope="module")
def texts():
    return doc_texts()


@pytest.fixture(scope="module")
def inventory_options():
    return plugin_options(INVENTORY, is_module=False)


def test_the_scan_reads_every_kind_of_page(texts):
    assert "README.md" in texts and "docs/INTERFACE.md" in texts and "docs/migrating-from-community-proxmox.md" in texts
    assert "plugins/inventory/pve.py:EXAMPLES" in texts and "plugins/modules/pve_tasks_info.py:DOCUMENTATION" in texts
    assert "plugins/doc_fragments/connection.py:PLUGINS" in texts


def env_names_read(inventory_options):
    names = set(name for names in ENV_VARS.values() for name in names)
    names.update(entry["name"] for spec in inventory_options.values() for entry in spec.get("env") or [])
    return names


def mentioned_env_names(text):
    """PVE_*/PROXMOX_* names in text; a stem (PVE_API_*, PVE_*) and a name cut short are left out."""
    return [name for name, after in ENV_RE.findall(text) if not name.endswith("_") and after != CUT]


def test_every_environment_variable_mentioned_is_one_the_code_reads(texts, inventory_options):
    read = env_names_read(inventory_options)
    unknown = sorted(set((where, name) for where, text in texts.items() for name in mentioned_env_names(text)
                         if name not in read))
    assert unknown == []


def test_the_env_check_can_fail(inventory_options):
    text = "api_token_secret: \"{{ lookup('ansible.builtin.env', 'PVE_TOKEN_SECRET') }}\" (or PVE_API_* / PVE_PASSW\u2026)"
    assert [n for n in mentioned_env_names(text) if n not in env_names_read(inventory_options)] == ["PVE_TOKEN_SECRET"]


# docs/reliability.md is generated from a test run: its figures quote messages cut at a fixed length (the
# messages themselves are the code's, checked where they are made)
GENERATED = ("docs/reliability.md",)


def test_every_api_option_mentioned_exists(texts):
    unknown = sorted(set((where, name) for where, text in texts.items() if where not in GENERATED
                         for name, after in API_OPTION_RE.findall(text) if after != CUT and name not in CONNECTION_ARGSPEC))
    assert unknown == []


# ---- defaults --------------------------------------------------------------------------------------------

# `option` (30 s ...), `option` (default 64 MiB), option (true): a default written right after the name
INLINE_DEFAULT_RE = re.compile(r"`?\b([a-z_]+)`? \((?:default )?(-?\d+|true|false)\b")


def same_default(written, documented):
    """A default as the docs write it (a string) against the documented one; None: nothing to compare."""
    if documented is None:
        return None      # no default in the spec: the text may describe the effective behaviour
    value = yaml.safe_load(written.strip().strip("`").strip())
    if isinstance(documented, list) and len(documented) == 1 and value == documented[0]:
        return True      # ansible_host: none (one source may be written without the list)
    return value == documented


def inline_defaults(text):
    return list(INLINE_DEFAULT_RE.findall(text))


def table_defaults(text):
    """(option, default cell) of every Markdown table whose header has an `option` and a `default` column;
    `a / b` rows give both names their part of the cell."""
    found = []
    header = None
    for line in text.splitlines():
        if not line.startswith("|"):
            header = None
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if header is None:
            header = [cell.lower() for cell in cells]
            continue
        if set(cells) <= set(["---", ":---", "---:", ""]) or "option" not in header or "default" not in header:
            continue
        names = [name.strip(" `") for name in cells[header.index("option")].split(" / ")]
        values = cells[header.index("default")].split(" / ")
        if len(values) != len(names):
            values = values[:1] * len(names)
        found.extend(zip(names, values))
    return found


def without_community_columns(text):
    """text with the cells of community.proxmox's columns blanked: the migration pages' tables put its names
    and defaults (`api_timeout` (default 5 s) there) beside this collection's."""
    lines = []
    community = []
    for line in text.splitlines():
        if not line.startswith("|"):
            community = []
        elif not community:
            cells = line.strip().strip("|").split("|")
            community = [index for index, cell in enumerate(cells) if "community.proxmox" in cell] or [None]
        else:
            cells = line.strip().strip("|").split("|")
            line = "|%s|" % "|".join("" if index in community else cell for index, cell in enumerate(cells))
        lines.append(line)
    return "\n".join(lines)


def default_problems(texts, options):
    problems = []
    for where, text in texts.items():
        text = without_community_columns(text)
        for name, written in inline_defaults(text) + table_defaults(text):
            if name in options and same_default(written, options[name].get("default")) is False:
                problems.append("%s: %s written with default %r, documented %r"
                                % (where, name, written, options[name].get("default")))
    return sorted(set(problems))


def test_every_default_written_is_the_documented_one(texts, inventory_options):
    options = dict(inventory_options)
    for name, spec in CONNECTION_ARGSPEC.items():     # the modules' argument spec, for the connection options
        options[name] = dict(options.get(name, {}), default=spec.get("default"))
    assert default_problems(texts, options) == []


def test_the_default_check_can_fail(inventory_options):
    text = ("| community.proxmox | pve.cluster |\n|---|---|\n| `api_timeout` (default 5 s) | `api_timeout` (30 s) |\n"
            "| none | `api_port`, `api_timeout` (10 s), `api_retries` (3) |\n\n| option | default | meaning |\n"
            "|---|---|---|\n| max_workers | 4 | x |\n| group_prefix / facts_prefix | `pve_` / `pve_` | |\n")
    problems = default_problems({"page": text}, inventory_options)
    assert len(problems) == 2 and "api_timeout written with default '10'" in problems[0] and "max_workers" in problems[1]


# ---- examples --------------------------------------------------------------------------------------------

def yaml_blocks(text):
    return re.findall(r"```ya?ml\n(.*?)```", text, flags=re.S)


def inventory_files(texts):
    """(where, {key: value}) of every inventory file shown: Markdown YAML blocks and pve.py's EXAMPLES."""
    found = []
    for where, text in texts.items():
        blocks = yaml_blocks(text) if where.endswith(".md") else []
        if where == "plugins/inventory/pve.py:EXAMPLES":
            blocks = re.split(r"\n(?:---\n)?(?=# \S+\.pve\.ya?ml)", text)
        for block in blocks:
            if re.search(r"^plugin: pve\.cluster\.pve\b", block, flags=re.M):
                found.append((where, yaml.safe_load(block)))
    return found


def test_every_inventory_file_shown_uses_options_of_the_plugin(texts, inventory_options):
    files = inventory_files(texts)
    assert len(files) >= 5
    unknown = [(where, key) for where, data in files for key in data if key not in inventory_options]
    assert unknown == []


def module_calls(node):
    """(module, args) of every `pve.cluster.pve_*:` task and `module_defaults` group in a YAML tree."""
    if isinstance(node, list):
        return [call for item in node for call in module_calls(item)]
    if not isinstance(node, dict):
        return []
    calls = []
    for key, value in node.items():
        if isinstance(key, str) and key.startswith("pve.cluster.pve_") and isinstance(value, (dict, type(None))):
            calls.append((key[len("pve.cluster."):], value or {}))
        elif key == "module_defaults" and isinstance(value, dict):
            calls.extend(("group/pve", args or {}) for group, args in value.items() if "pve.cluster.pve" in group)
        else:
            calls.extend(module_calls(value))
    return calls


def test_every_module_task_shown_uses_arguments_of_the_module(texts):
    options = dict((name, plugin_options(path, is_module=True)) for name, path in MODULES.items())
    options["group/pve"] = dict((name, {}) for name in CONNECTION_ARGSPEC)
    calls = []
    for where, text in texts.items():
        blocks = yaml_blocks(text) if where.endswith(".md") else ([text] if where.endswith(":EXAMPLES") else [])
        for block in blocks:
            try:
                data = yaml.safe_load(block)
            except yaml.YAMLError:
                continue
            calls.extend((where, module, args) for module, args in module_calls(data))
    assert len(calls) >= 10
    unknown = [(where, module, key) for where, module, args in calls for key in args
               if module not in options or key not in options[module]]
    assert unknown == []


def test_the_reliability_page_lists_every_marked_unit_test():
    """docs/reliability.md's unit-test section is what scripts/reliability-report.py --units renders from the
    tests' @pytest.mark.reliability markers (no case added or left there by hand)."""
    spec = importlib.util.spec_from_file_location("reliability_report", ROOT / "scripts" / "reliability-report.py")
    report = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(report)
    cases = report.unit_cases(ROOT)
    assert len(cases) >= 20 and all(set(case) == {"theme", "case", "expected", "test"} for case in cases)
    page = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")
    assert report.render_units(cases) in page, "run: python3 scripts/reliability-report.py --units"
