# -*- coding: utf-8 -*-
# Copyright: pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Make the PVE API simulator (package ``pvesim`` in the collection's tests/ directory) importable."""

from __future__ import annotations

import os
import sys

_TESTS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if _TESTS_DIR not in sys.path:
    sys.path.insert(0, _TESTS_DIR)

# Sample-contract checks: tests fed by the real PVE API samples of shared/pve-api (outside the
# repository, ../shared beside the checkout) carry the marker `samples`. They run in their own stage,
# `make samples-contract`, which marks its copy of the collection with this file; every other run
# (`make units`, a plain clone) deselects them, so nothing else needs ../shared.
SAMPLES_STAGE_FLAG = os.path.join(_TESTS_DIR, "unit", ".samples-contract-stage")


def pytest_configure(config):
    config.addinivalue_line("markers", "samples: a sample-contract check (reads shared/pve-api; make samples-contract)")


def pytest_collection_modifyitems(config, items):
    in_samples_stage = os.path.exists(SAMPLES_STAGE_FLAG)
    keep = [item for item in items if (item.get_closest_marker("samples") is not None) == in_samples_stage]
    if len(keep) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in keep])
        items[:] = keep
