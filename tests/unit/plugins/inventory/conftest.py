# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures for the pve.cluster.pve inventory tests (ansible-test units installs the collection loader)."""

from __future__ import annotations

import os
import pathlib
import tempfile

import pytest
import responses

from ansible.utils.display import Display


def _warm_up():
    """One parse through the real path: each test's fork of this process finds the plugins and templating loaded."""
    from ansible_collections.pve.cluster.tests.unit.plugins.inventory._helpers import (  # pylint: disable=import-outside-toplevel
        add_base, load_inventory, write_source)
    with tempfile.TemporaryDirectory() as tmp, responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        add_base(mock, [{"id": "qemu/100", "type": "qemu", "vmid": 100, "name": "web", "node": "pve1"}], [])
        load_inventory(write_source(pathlib.Path(tmp), "compose:\n  x: pve_vmid\ngroups:\n  big: pve_vmid > 1\n"
                                                       "keyed_groups:\n  - key: pve_node\n"), cache=False)


_warm_up()


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    for name in list(os.environ):
        if name.startswith(("PVE_", "PROXMOX_")):
            monkeypatch.delenv(name)


@pytest.fixture
def warnings(monkeypatch):
    """Every Display.warning text of the test (recorded, then passed on to Ansible's own Display)."""
    seen = []
    original = Display.warning

    def record(self, msg, *args, **kwargs):
        seen.append(str(msg))
        return original(self, msg, *args, **kwargs)

    monkeypatch.setattr(Display, "warning", record)
    return seen


@pytest.fixture
def mock_api():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock
