# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared fixtures for the end-to-end suites: a pvesim server and real ansible-* runs against it."""

from __future__ import annotations

import pathlib
import sys

import pytest

TESTS_DIR = str(pathlib.Path(__file__).resolve().parents[1])
if TESTS_DIR not in sys.path:
    sys.path.insert(0, TESTS_DIR)  # for pvesim

from pvesim import Simulator  # noqa: E402  pylint: disable=wrong-import-position


@pytest.fixture(scope="session")
def sim():
    """The demo scenario over HTTPS with a generated CA; shared by a whole test session."""
    with Simulator(scenario="demo", tls=True) as server:
        yield server


@pytest.fixture
def clean_sim(sim):
    """The shared simulator with no faults and an empty request log before and after the test."""
    sim.clear_faults()
    sim.clear_requests()
    yield sim
    sim.clear_faults()
    sim.clear_requests()
