# -*- coding: utf-8 -*-
# Copyright: pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Make the PVE API simulator (package ``pvesim`` in the collection's tests/ directory) importable, and give the
test run one shared directory (PYTEST_PVE_CLUSTER_SHARED, removed at its end): ansible-test runs every test in a
fork of its own, which ends without tearing its fixtures down, so every temporary file of the run (tempfile, and
TMPDIR for the processes tests start) goes under that directory, and nothing a test made outlives the run."""

from __future__ import annotations

import gc
import os
import shutil
import sys
import tempfile

from hypothesis import HealthCheck, settings

_TESTS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if _TESTS_DIR not in sys.path:
    sys.path.insert(0, _TESTS_DIR)


# The property tests' settings, in one place: hypothesis' own default of 100 examples per test; no deadline and
# no too_slow health check (a loaded machine is not a failure). A test that sets max_examples keeps its own.
settings.register_profile("pve_cluster", max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("pve_cluster")


def pytest_configure(config):
    config.addinivalue_line("markers", "reliability(theme, case, expected): a case docs/reliability.md lists "
                                       "(scripts/reliability-report.py --units reads the markers)")
    if "PYTEST_PVE_CLUSTER_SHARED" not in os.environ:  # the first process (pytest-xdist's workers inherit it)
        os.environ["PYTEST_PVE_CLUSTER_SHARED"] = config.pve_cluster_shared = tempfile.mkdtemp(prefix="pve-cluster-units-")
    tmp = os.path.join(os.environ["PYTEST_PVE_CLUSTER_SHARED"], "tmp")
    os.makedirs(tmp, exist_ok=True)
    os.environ["TMPDIR"] = tempfile.tempdir = tmp


def pytest_unconfigure(config):
    if getattr(config, "pve_cluster_shared", None):
        shutil.rmtree(config.pve_cluster_shared, ignore_errors=True)


def pytest_collection_finish(session):  # pylint: disable=unused-argument
    """What collection loaded stays as it is: the forks ansible-test runs each test in skip it when they collect
    garbage (a collection touches every object: pages copied, as Python's gc.freeze() documentation says)."""
    gc.freeze()
