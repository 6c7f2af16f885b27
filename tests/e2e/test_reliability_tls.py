# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reliability: TLS against the simulator's own CA (like a PVE cluster's self-signed pve-root-ca)."""

from __future__ import annotations

import pathlib

import pytest

from reliability_support import env_for, run_inventory, run_module

pytestmark = pytest.mark.usefixtures("reliability_session")


WARNINGS = ("InsecureRequestWarning", "Unverified HTTPS request")


def unrelated_bundle():
    """A CA bundle that does not hold the simulator's CA (the system's, or certifi's)."""
    for path in ("/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt"):
        if pathlib.Path(path).is_file():
            return path
    certifi = pytest.importorskip("certifi")
    return certifi.where()


def test_default_settings_self_signed(rel_sim, rcase, tmp_path):
    """No ca_path, validate_certs default: fails, and the message says how to fix it (ca_path,
    validate_certs)."""
    _run, result = run_module(rcase, "pve_version_info", {}, env_for(rel_sim, tmp_path, PVE_CA_PATH=None), tmp_path)
    assert result.get("failed") is True, result
    msg = result["msg"]
    assert "ca_path" in msg and "validate_certs" in msg and "certificate" in msg.lower(), msg
    assert rel_sim.requests == []  # the handshake failed: no HTTP request reached the API
    rcase.fig(msg=msg[:220])


def test_ca_path_trusts_cluster_ca(rel_sim, rcase, tmp_path):
    """ca_path set to the simulator's CA: verified connection, success."""
    _run, result = run_module(rcase, "pve_version_info", {"ca_path": rel_sim.ca_path},
                              env_for(rel_sim, tmp_path, PVE_CA_PATH=None), tmp_path)
    assert result.get("failed") is not True, result
    assert result["version"]["version"] == "9.1.2"
    rcase.fig(requests=rel_sim.request_count())


def test_ca_path_wrong_ca(rel_sim, rcase, tmp_path):
    """ca_path set to an unrelated CA bundle: verification fails (ca_path is honoured, never bypassed)."""
    _run, result = run_module(rcase, "pve_version_info", {"ca_path": unrelated_bundle()},
                              env_for(rel_sim, tmp_path, PVE_CA_PATH=None), tmp_path)
    assert result.get("failed") is True and "ca_path" in result["msg"], result
    rcase.fig(msg=result["msg"][:160])


def test_validate_certs_false_beats_requests_ca_bundle(rel_sim, rcase, tmp_path):
    """validate_certs: false with REQUESTS_CA_BUNDLE pointing at an unrelated bundle: works (the
    environment cannot turn verification back on), and no InsecureRequestWarning is printed, per
    request or at all, over a 4-request run at -vvvv."""
    env = env_for(rel_sim, tmp_path, PVE_CA_PATH=None, REQUESTS_CA_BUNDLE=unrelated_bundle(),
                  PVE_VALIDATE_CERTS="false")
    run, result = run_module(rcase, "pve_node_info", {"gather": ["status", "network"]}, env, tmp_path)
    assert result.get("failed") is not True, result
    assert rel_sim.request_count() >= 4
    for text in WARNINGS:
        assert text not in run.output, text
    rcase.fig(requests=rel_sim.request_count(), insecure_warnings=0)


def test_inventory_validate_certs_false(rel_sim, rcase, tmp_path):
    """The inventory with validate_certs: false and REQUESTS_CA_BUNDLE set: hosts listed, no
    InsecureRequestWarning (also with 20 parallel guest-agent requests)."""
    env = env_for(rel_sim, tmp_path, PVE_CA_PATH=None, REQUESTS_CA_BUNDLE=unrelated_bundle())
    run = run_inventory(rcase, {"plugin": "pve.cluster.pve", "validate_certs": False, "ansible_host": "guest_agent"},
                        env, tmp_path)
    assert run.proc.returncode == 0, run.output[-2000:]
    assert "web01" in run.inventory["_meta"]["hostvars"]
    for text in WARNINGS:
        assert text not in run.output, text
    rcase.fig(requests=rel_sim.request_count(), insecure_warnings=0)


def test_inventory_default_self_signed(rel_sim, rcase, tmp_path):
    """The inventory without ca_path against the self-signed certificate: fails saying to set ca_path
    or validate_certs."""
    env = env_for(rel_sim, tmp_path, PVE_CA_PATH=None, ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED="true")
    run = run_inventory(rcase, {"plugin": "pve.cluster.pve"}, env, tmp_path)
    assert run.proc.returncode != 0
    assert "ca_path" in run.output and "validate_certs" in run.output, run.output[-2000:]
    rcase.fig(requests=rel_sim.request_count())
