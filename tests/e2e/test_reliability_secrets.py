# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reliability: secrets never reach any output.

Every ansible-* run of the whole reliability suite is scanned (reliability_support._scan) for the
suite's token secret, password and any PVE ticket, in stdout, stderr and ansible-inventory's JSON;
most runs use -vvvv. The cases here add the runs most likely to leak: failures, secrets given as
task arguments or in an inventory file, and a server that echoes the secret back in its error.
"""

from __future__ import annotations

import pytest

from reliability_support import (
    PASSWORD, TOKEN_SECRET, _STATE, env_for, run_inventory, run_module, secret_hits)

pytestmark = pytest.mark.usefixtures("reliability_session")


def assert_clean(run):
    for marker in (TOKEN_SECRET, PASSWORD, "PVEAuthCookie=PVE:", "PVEAPIToken=root@pam!ansible="):
        assert marker not in run.output, marker


def test_password_auth_success_vvvv(rel_sim, rcase, tmp_path):
    """Password (ticket) auth, successful run at -vvvv: neither the password nor the ticket appears."""
    run, result = run_module(rcase, "pve_cluster_info", {}, env_for(rel_sim, tmp_path, auth="password"), tmp_path)
    assert result.get("failed") is not True, result
    assert rel_sim.request_count(r"^/access/ticket$", method="POST") == 1
    assert_clean(run)
    rcase.fig(output_bytes=len(run.output), hits=0)


def test_wrong_password_vvvv(rel_sim, rcase, tmp_path):
    """A wrong password: the 401 failure message at -vvvv does not contain the (wrong) password."""
    wrong = "Wrong-" + PASSWORD
    env = env_for(rel_sim, tmp_path, auth="password", PVE_API_PASSWORD=wrong)
    run, result = run_module(rcase, "pve_version_info", {}, env, tmp_path)
    assert result.get("failed") is True and "401" in result["msg"], result
    assert wrong not in run.output
    assert_clean(run)
    rcase.fig(msg=result["msg"], hits=0)


def test_secret_as_task_argument_vvvv(rel_sim, rcase, tmp_path):
    """The token secret passed as a task argument from a vars file (not env), run failing on a 503:
    hidden at -vvvv (no_log masks the invocation, the error text does not echo it)."""
    rel_sim.add_fault(path=r"^/version$", status=503)
    env = env_for(rel_sim, tmp_path, PVE_API_TOKEN_SECRET=None)
    args = {"api_token_secret": "{{ rel_token_secret }}", "api_retries": 1}
    run, result = run_module(rcase, "pve_version_info", args, env, tmp_path, extra_vars={"rel_token_secret": TOKEN_SECRET})
    assert result.get("failed") is True and "503" in result["msg"], result
    assert "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER" in run.output
    assert_clean(run)
    rcase.fig(msg=result["msg"], hits=0)


def test_server_echoes_secret(rel_sim, rcase, tmp_path):
    """A server error whose message holds the token secret: the module's msg shows <hidden> instead."""
    rel_sim.add_fault(path=r"^/version$", status=500, message="bad token %s" % TOKEN_SECRET)
    run, result = run_module(rcase, "pve_version_info", {}, env_for(rel_sim, tmp_path), tmp_path)
    assert result.get("failed") is True and "500" in result["msg"], result
    assert "<hidden>" in result["msg"], result["msg"]
    assert_clean(run)
    rcase.fig(msg=result["msg"], hits=0)


def test_inventory_password_in_file_vvvv(rel_sim, rcase, tmp_path):
    """The password written in the inventory file (community.proxmox alias `password`), -vvvv, once
    succeeding and once failing (503 on /cluster/resources): never in the output or the JSON."""
    config = {"plugin": "pve.cluster.pve", "url": rel_sim.url, "user": rel_sim.user, "password": PASSWORD,
              "ca_path": rel_sim.ca_path, "api_retries": 0}
    env = env_for(rel_sim, tmp_path, PVE_API_HOST=None, PVE_API_TOKEN_ID=None, PVE_API_TOKEN_SECRET=None,
                  ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED="true")
    good = run_inventory(rcase, config, env, tmp_path)
    assert good.proc.returncode == 0, good.output[-2000:]
    assert "web01" in good.inventory["_meta"]["hostvars"]
    rel_sim.add_fault(path=r"^/cluster/resources$", status=503)
    bad = run_inventory(rcase, config, env, tmp_path)
    assert bad.proc.returncode != 0 and "503" in bad.output, bad.output[-2000:]
    for run in (good, bad):
        assert_clean(run)
    rcase.fig(hits=0)


def test_suite_wide_scan(rcase):
    """Every ansible-* run of the suite so far (this module's and those of the themes run before it)
    was scanned: zero hits."""
    assert _STATE["runs"] >= 6, _STATE["runs"]  # at least the six runs of this module
    assert _STATE["hits"] == [], _STATE["hits"]
    assert secret_hits("x %s y" % TOKEN_SECRET) == ["token secret"]  # the scanner itself works
    assert secret_hits("PVEAuthCookie=PVE:root@pam:6789ABCD::c2ln") == ["PVE ticket"]
    rcase.fig(runs_scanned=_STATE["runs"], hits=len(_STATE["hits"]))
