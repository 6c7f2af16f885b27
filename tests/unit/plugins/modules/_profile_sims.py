# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Modules run in-process against a real pvesim server per PVE version profile (tests/pvesim/profiles.py).

ALL_PROFILES: for behaviour that differs between PVE versions; SMOKE_PROFILES: the rest (pve9 and pve8).
"""

from __future__ import annotations

import contextlib
import copy

from pvesim import Simulator, load_scenario

from ansible_collections.pve.cluster.tests.unit.plugins.modules._module_runner import run_module, warnings_of

ALL_PROFILES = ("pve7", "pve8.1", "pve8", "pve9")
SMOKE_PROFILES = ("pve9", "pve8")


_DEMO = load_scenario("demo")  # parsed once, in the process ansible-test forks for each test (a copy takes 1 ms)


def demo_scenario(down_for=600, **overrides):
    """A fresh demo cluster, pve3 down for `down_for` seconds (> 300: past PVE's RRD window; None: as shipped)."""
    scenario = copy.deepcopy(_DEMO)
    for node in scenario.nodes:
        if not node.online and down_for is not None:
            node.down_for = down_for
    scenario.profile_overrides = dict(overrides)
    return scenario


@contextlib.contextmanager
def profile_sim(profile, scenario=None):
    """A plain-HTTP simulator of `profile` (401 delay off: no test here waits for one)."""
    with Simulator(scenario=scenario or demo_scenario(), profile=profile, tls=False, auth_delay=0) as sim:
        yield sim


def connection(sim, **extra):
    args = {"api_host": sim.url, "api_token_id": sim.token_id, "api_token_secret": sim.token_secret,
            "validate_certs": False, "api_retries": 0, "api_allow_http": True}
    args.update(extra)
    return args


def run_against(module, capsys, sim, **args):
    """(result, exit code, warnings) of one module run against `sim`."""
    result, code = run_module(module, capsys, connection(sim, **args))
    return result, code, warnings_of(result)
