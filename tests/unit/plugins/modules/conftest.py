# -*- coding: utf-8 -*-
# Copyright: pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for every module test: run modules in-process as they run on a target host, mock HTTP.

Once controller code has been imported in the same pytest process (the inventory tests do),
ansible-core >= 2.19 sends module warnings to the controller's Display instead of the module
result. Modules never run that way for real, so reset the flag for every module test.
"""

from __future__ import annotations

import contextlib
import io

import pytest
import responses

from ansible.module_utils.common import warnings as ansible_warnings

try:
    from ansible.module_utils import _internal as module_utils_internal
except ImportError:  # ansible-core < 2.19 has no controller/target switch
    module_utils_internal = None


@pytest.fixture(autouse=True)
def module_runs_on_target(monkeypatch):
    if module_utils_internal is not None and hasattr(module_utils_internal, "is_controller"):
        monkeypatch.setattr(module_utils_internal, "is_controller", False)


@pytest.fixture(autouse=True)
def _fresh_warnings():
    """AnsibleModule keeps warnings in a process-global dict: start every run empty."""
    ansible_warnings._global_warnings.clear()
    yield
    ansible_warnings._global_warnings.clear()


@pytest.fixture(scope="module", name="sim")
def fixture_sim(tmp_path_factory):
    """The simulator's demo cluster on PVE 9, one per test file (a file may define its own `sim`)."""
    from ansible_collections.pve.cluster.tests.unit.plugins.modules._module_runner import profile_sim  # pylint: disable=import-outside-toplevel
    with profile_sim("pve9", state_dir=str(tmp_path_factory.mktemp("pvesim"))) as sim:
        yield sim


@pytest.fixture
def api():
    """HTTP mocked with `responses`; requests registered but not made are not an error."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


def _warm_up():
    """One module run: ansible-test runs every test in a fork of this process, which then finds what a first
    AnsibleModule loads already loaded instead of loading it again for each test."""
    # pylint: disable=import-outside-toplevel
    from ansible_collections.pve.cluster.plugins.modules import pve_version_info
    from ansible_collections.pve.cluster.tests.unit.plugins.modules._module_runner import BASE, CONNECTION, patch_module_args
    with responses.RequestsMock() as mock, patch_module_args(CONNECTION), contextlib.redirect_stdout(io.StringIO()):
        mock.get(BASE + "/version", json={"data": {"version": "9.1.1", "release": "9.1", "repoid": "x"}})
        with contextlib.suppress(SystemExit):
            pve_version_info.main()
    ansible_warnings._global_warnings.clear()


_warm_up()
