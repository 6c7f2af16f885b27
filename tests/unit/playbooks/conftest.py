# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The cluster report of the demo cluster, written once per test session by the real playbook."""

from __future__ import annotations

import pytest

from ansible_collections.pve.cluster.tests.unit.playbooks._report import write_report


@pytest.fixture(scope="session")
def demo_report(tmp_path_factory):
    """_report.Report (html, markdown, scenario) of the demo cluster (one node offline, failed tasks)."""
    return write_report(tmp_path_factory.mktemp("demo-report"))
