# -*- coding: utf-8 -*-
# Copyright: pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run modules in-process as they run on a target host.

Once controller code has been imported in the same pytest process (the inventory tests do),
ansible-core >= 2.19 sends module warnings to the controller's Display instead of the module
result. Modules never run that way for real, so reset the flag for every module test.
"""

from __future__ import annotations

import pytest

try:
    from ansible.module_utils import _internal as module_utils_internal
except ImportError:  # ansible-core < 2.19 has no controller/target switch
    module_utils_internal = None


@pytest.fixture(autouse=True)
def module_runs_on_target(monkeypatch):
    if module_utils_internal is not None and hasattr(module_utils_internal, "is_controller"):
        monkeypatch.setattr(module_utils_internal, "is_controller", False)
