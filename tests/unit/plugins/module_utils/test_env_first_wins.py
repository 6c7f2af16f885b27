# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The modules take the first environment variable of an option that is set (PVE_* before PROXMOX_*)."""

from __future__ import annotations

import pytest

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.pve.cluster.plugins.module_utils._options import CONNECTION_ARGSPEC, ENV_VARS


@pytest.mark.reliability(
    theme="hostile round two", case='2 first variable wins (modules)',
    expected='Every option with several variables takes the first one set (PVE_* before PROXMOX_*).')
@pytest.mark.parametrize("option", sorted(name for name, names in ENV_VARS.items() if len(names) > 1))
def test_the_first_variable_wins(monkeypatch, option):
    values = {"api_port": ["8007", "8008", "8009"], "validate_certs": ["true", "false", "false"]}.get(
        option, ["first-value", "second-value", "third-value"])
    for variable in ENV_VARS[option]:
        monkeypatch.delenv(variable, raising=False)
    for variable, value in reversed(list(zip(ENV_VARS[option], values))):
        monkeypatch.setenv(variable, value)
    result = ArgumentSpecValidator(CONNECTION_ARGSPEC).validate({})
    expected = {"api_port": 8007, "validate_certs": True}.get(option, "first-value")
    assert result.validated_parameters[option] == expected
    assert ENV_VARS[option][0].startswith("PVE_")
