# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The playbooks printed in docs/vmid-allocation.md and the role README are the files the integration targets run.

Each printed block follows a `<!-- file: PATH -->` line; PATH (relative to the collection root) holds the same text.
"""

from __future__ import annotations

import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[4]
BLOCK = re.compile(r"<!-- file: (\S+) -->\n```yaml\n(.*?)```", re.S)
DOCS = ("docs/vmid-allocation.md", "roles/vmid_allocate/README.md")


def _blocks():
    found = []
    for doc in DOCS:
        found += [(doc, path, text) for path, text in BLOCK.findall((ROOT / doc).read_text(encoding="utf-8"))]
    return found


def test_the_docs_print_the_tested_playbooks():
    printed = {path for _doc, path, _text in _blocks()}
    assert {"tests/integration/targets/role_vmid_allocate_hosts/files/play.yml",
            "tests/integration/targets/role_vmid_allocate_hosts/files/serial.yml",
            "tests/integration/targets/role_vmid_allocate_hosts/files/two_plays.yml",
            "tests/integration/targets/vmid_race/files/retry.yml"} <= printed


@pytest.mark.parametrize("doc, path, text", _blocks(), ids=lambda value: str(value)[-40:])
def test_each_printed_playbook_is_the_file_a_target_runs(doc, path, text):
    assert (ROOT / path).read_text(encoding="utf-8") == text, "%s prints %s differently" % (doc, path)
