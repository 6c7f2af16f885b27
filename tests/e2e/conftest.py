# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared fixtures for the end-to-end suites: a pvesim server and real ansible-* runs against it."""

from __future__ import annotations

import pathlib
import sys
import time

import pytest

TESTS_DIR = str(pathlib.Path(__file__).resolve().parents[1])
if TESTS_DIR not in sys.path:
    sys.path.insert(0, TESTS_DIR)  # for pvesim

from pvesim import Simulator  # noqa: E402  pylint: disable=wrong-import-position
from reliability_support import (  # noqa: E402  pylint: disable=wrong-import-position
    _STATE, Case, _doc, _Recorder, make_sim, write_report_json)


@pytest.fixture(scope="session")
def sim():
    """The demo scenario over HTTPS with a generated CA; shared by a whole test session."""
    with Simulator(scenario="demo", tls=True) as server:
        yield server


def _clear(server):
    server.clear_faults()
    server.clear_requests()


def _cleared(server):
    """A fixture body: `server` with no faults and an empty request log before and after the test."""
    _clear(server)
    yield server
    _clear(server)


@pytest.fixture
def clean_sim(sim):
    """The shared simulator with no faults and an empty request log before and after the test."""
    yield from _cleared(sim)


# -- the reliability suite (tests/e2e/test_reliability_*.py; recorder and helpers in reliability_support) --
@pytest.fixture(scope="module")
def reliability_session(request):
    """Registers the outcome recorder once; rewrites build/reliability.json after each module."""
    if not _STATE["plugin"]:
        request.config.pluginmanager.register(_Recorder(), "pve-reliability-recorder")
        _STATE["plugin"] = True
        _STATE["started"] = time.time()
    yield
    write_report_json()


@pytest.fixture
def rcase(request):
    """The report row of this test: rcase(case=..., expected=..., figure=value, ...)."""
    module = pathlib.Path(str(request.node.fspath)).stem
    theme = module.replace("test_reliability_", "").replace("_", " ")
    callspec = getattr(request.node, "callspec", None)
    title = request.node.originalname.replace("test_", "", 1).replace("_", " ")
    if callspec is not None:
        title = "%s [%s]" % (title, callspec.id)
    position = request.session.items.index(request.node) if request.node in request.session.items else 0
    case = Case(request.node.nodeid, theme, title, _doc(request.function), position)
    if request.node.nodeid not in _STATE["cases"]:
        _STATE["order"].append(request.node.nodeid)
    _STATE["cases"][request.node.nodeid] = case
    return case


# -- simulators --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def rel_sim_server():
    with make_sim("demo") as server:
        yield server


@pytest.fixture
def rel_sim(rel_sim_server):
    """The demo cluster with this suite's secrets; no faults and an empty request log per test."""
    yield from _cleared(rel_sim_server)
