# -*- coding: utf-8 -*-
# Copyright: pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Make the PVE API simulator (package ``pvesim`` in the collection's tests/ directory) importable, and give the
test run one shared directory (PYTEST_PVE_CLUSTER_SHARED, removed at its end) for what tests build once:
ansible-test runs every test in a fork of its own, so a session-scoped fixture is built again for each test."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile

_TESTS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if _TESTS_DIR not in sys.path:
    sys.path.insert(0, _TESTS_DIR)


def pytest_configure(config):
    config.addinivalue_line("markers", "reliability(theme, case, expected): a case docs/reliability.md lists with its "
                                       "outcome (written to $PVE_CLUSTER_BUILD_DIR/reliability-units.json)")
    if "PYTEST_PVE_CLUSTER_SHARED" not in os.environ:  # the first process (pytest-xdist's workers inherit it)
        os.environ["PYTEST_PVE_CLUSTER_SHARED"] = config.pve_cluster_shared = tempfile.mkdtemp(prefix="pve-cluster-units-")


def pytest_unconfigure(config):
    if getattr(config, "pve_cluster_shared", None):
        shutil.rmtree(config.pve_cluster_shared, ignore_errors=True)


# Reliability cases (docs/reliability.md, section "unit tests"): each test marked
# @pytest.mark.reliability(theme, case, expected) is recorded with its outcome; the controller (also under
# pytest-xdist) writes them to $PVE_CLUSTER_BUILD_DIR/reliability-units.json (make exports it), which
# `python3 scripts/reliability-report.py --units` renders.
_RELIABILITY = []


def pytest_runtest_makereport(item, call):  # pylint: disable=unused-argument
    marker = item.get_closest_marker("reliability")
    if marker is not None and not any(name == "reliability" for name, _value in item.user_properties):
        item.user_properties.append(("reliability", dict(marker.kwargs)))


def pytest_runtest_logreport(report):
    case = dict(report.user_properties).get("reliability")
    if case is None or not (report.when == "call" or report.outcome != "passed"):
        return
    _RELIABILITY.append(dict(case, id=report.nodeid, outcome=report.outcome,
                             duration_s=round(report.duration, 2) if report.when == "call" else 0.0))


def pytest_sessionfinish(session):
    build = os.environ.get("PVE_CLUSTER_BUILD_DIR")
    if not _RELIABILITY or not build or hasattr(session.config, "workerinput"):
        return
    import json  # pylint: disable=import-outside-toplevel
    with open(os.path.join(build, "reliability-units.json"), "w") as handle:
        json.dump({"cases": sorted(_RELIABILITY, key=lambda case: case["id"])}, handle, indent=1)
