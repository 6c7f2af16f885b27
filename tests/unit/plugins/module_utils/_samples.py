# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Locate and load the real PVE API samples (shared/pve-api/samples beside the checkout).

The one finder for every unit test: client, normaliser, module and inventory tests. Only tests marked
`samples` may read them (they run in `make samples-contract`, see tests/unit/conftest.py); anywhere
else the loaders refuse, so a test that reads samples without the marker fails in every checkout.
"""

from __future__ import annotations

import json
import os
import pathlib


def in_samples_stage():
    """True in `make samples-contract` (its copy of the collection holds tests/unit/.samples-contract-stage)."""
    return (pathlib.Path(__file__).resolve().parents[3] / "unit" / ".samples-contract-stage").exists()


def find_samples_dir():
    """The first of $PVE_API_SAMPLES, $PVE_SHARED_DIR/pve-api/samples, $SHARED/pve-api/samples and
    <ancestor>/shared/pve-api/samples above this file that holds an INDEX.md.

    The checkout may be copied (build/ansible_collections/pve/cluster) or reached through a symlink,
    so every ancestor of both the path as given and the resolved path is tried.
    A missing directory is an error, not a skip: these tests must not silently test nothing.
    """
    if not in_samples_stage():
        raise RuntimeError("PVE API samples are read only by tests marked @pytest.mark.samples, in make samples-contract")
    candidates = []
    if os.environ.get("PVE_API_SAMPLES"):
        candidates.append(pathlib.Path(os.environ["PVE_API_SAMPLES"]))
    for variable in ("PVE_SHARED_DIR", "SHARED"):
        if os.environ.get(variable):
            candidates.append(pathlib.Path(os.environ[variable]) / "pve-api" / "samples")
    here = pathlib.Path(os.path.abspath(__file__))
    for ancestor in list(here.parents) + list(here.resolve().parents):
        candidates.append(ancestor / "shared" / "pve-api" / "samples")
    for candidate in candidates:
        if (candidate / "INDEX.md").is_file():
            return candidate
    raise RuntimeError("PVE API samples not found: set PVE_SHARED_DIR (or PVE_API_SAMPLES) or keep shared/ beside "
                       "the checkout (tried %s)" % ", ".join(str(c) for c in candidates))


def load_sample(relative):
    """One sample file, e.g. 'nodes/pve7.4_go-proxmox_4node.json': a freshly parsed dict, free to modify."""
    return json.loads((find_samples_dir() / relative).read_text(encoding="utf-8"))


def load_samples(kind):
    """[(file name, sample dict)] for one folder of the samples, e.g. 'node-status'.

    Outside make samples-contract: [] (for @pytest.mark.parametrize of a test that is deselected there).
    """
    if not in_samples_stage():
        return []
    folder = find_samples_dir() / kind
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


def load_schema():
    """shared/pve-api/schema-subset.json (beside the samples): PVE's API schema for the paths used here."""
    return json.loads((find_samples_dir().parent / "schema-subset.json").read_text(encoding="utf-8"))


def schema_choices(path, parameter):
    """The values PVE's schema allows for the GET parameter `parameter` of `path` (its enum)."""
    return load_schema()[path]["GET"]["parameters"]["properties"][parameter]["enum"]
