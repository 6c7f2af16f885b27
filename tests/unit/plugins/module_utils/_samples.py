# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Locate and load the real PVE API samples (shared/pve-api/samples beside the checkout)."""

from __future__ import annotations

import json
import os
import pathlib


def find_samples_dir():
    """$PVE_API_SAMPLES, $SHARED/pve-api/samples, else the first <ancestor>/shared/pve-api/samples above this file.

    The checkout may be copied (build/ansible_collections/pve/cluster), so every ancestor is tried.
    A missing directory is an error, not a skip: these tests must not silently test nothing.
    """
    candidates = []
    if os.environ.get("PVE_API_SAMPLES"):
        candidates.append(pathlib.Path(os.environ["PVE_API_SAMPLES"]))
    if os.environ.get("SHARED"):
        candidates.append(pathlib.Path(os.environ["SHARED"]) / "pve-api" / "samples")
    for ancestor in pathlib.Path(__file__).resolve().parents:
        candidates.append(ancestor / "shared" / "pve-api" / "samples")
    for candidate in candidates:
        if (candidate / "INDEX.md").is_file():
            return candidate
    raise RuntimeError("PVE API samples not found: set PVE_API_SAMPLES or keep shared/ beside the checkout "
                       "(tried %s)" % ", ".join(str(c) for c in candidates))


def load_samples(kind):
    """[(file name, sample dict)] for one folder of the samples, e.g. 'node-status'."""
    folder = find_samples_dir() / kind
    samples = [(path.name, json.loads(path.read_text(encoding="utf-8"))) for path in sorted(folder.glob("*.json"))]
    if not samples:
        raise RuntimeError("no samples in %s" % folder)
    return samples
