# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The cluster report of the demo cluster, written once per test run by the real playbook."""

from __future__ import annotations

from collections import namedtuple

import pytest

from pvesim import Simulator, load_scenario

from ansible_collections.pve.cluster.tests.unit.playbooks._playbook import cluster_report, shared_once, user_env

Report = namedtuple("Report", "html markdown scenario")


def _write_demo_report(directory):
    with Simulator(scenario="demo") as sim:
        cluster_report(directory, env=user_env(directory, sim))


@pytest.fixture
def demo_report():
    """Report(html, markdown, scenario) of the demo cluster (one node offline, failed tasks)."""
    reports = shared_once("demo-report", _write_demo_report) / "reports"
    return Report(reports / "pve-cluster-report.html", reports / "pve-cluster-report.md", load_scenario("demo"))
