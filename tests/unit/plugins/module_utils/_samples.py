# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Load the real PVE API samples of tests/unit/fixtures/pve-api-samples (provenance: its INDEX.md).

The one loader for every unit test: client, normaliser, module and inventory tests.
"""

from __future__ import annotations

import json
import pathlib

SAMPLES_DIR = pathlib.Path(__file__).resolve().parents[2] / "fixtures" / "pve-api-samples"


def load_sample(relative):
    """One sample file, e.g. 'nodes/pve7.4_go-proxmox_4node.json': a freshly parsed dict, free to modify."""
    return json.loads((SAMPLES_DIR / relative).read_text(encoding="utf-8"))


def load_samples(kind):
    """[(file name, sample dict)] for one folder of the samples, e.g. 'node-status'."""
    folder = SAMPLES_DIR / kind
    samples = [(path.name, json.loads(path.read_text(encoding="utf-8"))) for path in sorted(folder.glob("*.json"))]
    if not samples:
        raise RuntimeError("no samples in %s" % folder)
    return samples


def all_keys(value):
    """Every dict key at any depth of a (sample or normalised) value."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from all_keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from all_keys(item)


def schema_choices(path, parameter):
    """The values PVE's schema allows for the GET parameter `parameter` of `path` (its enum; the simulator's copy of
    PVE's schema, tests/pvesim/schema.json)."""
    from pvesim.schema_check import load_schema

    return load_schema()[path]["GET"]["parameters"]["properties"][parameter]["enum"]
