# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""make demo: a venv of its own with ansible-core, cryptography and requests only; scripts/demo.sh runs against the
bundled simulator or, with the PVE_* variables, against a given cluster; its output to a file holds no escape codes,
no line longer than two lines of a 100-column terminal, and no warning but those the collection means to print."""

from __future__ import annotations

import os
import re
import subprocess

from pve_e2e import ROOT, base_env, sim_env

PIN = re.compile(r"^([A-Za-z0-9_.-]+)==(\S+)$")


def pins(name):
    text = (ROOT / "requirements" / name).read_text(encoding="utf-8")
    return dict(PIN.match(line).groups() for line in text.splitlines() if line and not line.startswith("#"))


def test_demo_installs_ansible_core_cryptography_and_requests_only_pinned_as_the_tests():
    demo = pins("demo.txt")
    assert sorted(demo) == ["ansible-core", "cryptography", "requests"]
    dev = pins("dev-2.19.txt")
    assert demo == dict((name, dev[name]) for name in demo)


def test_make_demo_creates_its_own_venv_from_the_demo_requirements(tmp_path):
    venv = tmp_path / "venv-demo"
    plan = subprocess.run(["make", "-n", "demo", "VENV_DEMO=%s" % venv, "BUILD=%s" % (tmp_path / "build")],
                          cwd=str(ROOT), capture_output=True, text=True, timeout=60, check=True).stdout
    assert "-m venv %s" % venv in plan and "pip install -q -r requirements/demo.txt" in plan, plan
    assert "dev-2.19.txt" not in plan and 'PATH="%s/bin:' % venv in plan, plan
    # make runs it without echoing that line (a screen of PATH and variables before the demo's own output)
    assert re.search(r'^\t@PATH="\$\(VENV_DEMO_ABS\)/bin:', (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)


def run_demo(env, tmp_path):
    """scripts/demo.sh as make demo runs it, its output going to a file (not a terminal)."""
    log = tmp_path / "demo.log"
    env = dict(env, DEMO_WORK=str(tmp_path / "demo"),
               PATH=os.path.dirname(env["ANSIBLE_PYTHON_INTERPRETER"]) + os.pathsep + env["PATH"])
    with open(str(log), "wb") as out:
        code = subprocess.run(["bash", str(ROOT / "scripts" / "demo.sh")], env=env, stdout=out,
                              stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, timeout=300, check=False).returncode
    return code, log.read_text(encoding="utf-8")


# The warnings the collection prints about the demo cluster (node pve3 is offline); any other warning
# (a Python warning such as CryptographyDeprecationWarning, an Ansible one) is noise the demo must not show.
DEMO_WARNINGS = (
    r"^\[WARNING\]: pve\.cluster\.pve: node pve3 \(\d+ guests\) is offline: ",
    r"^\[WARNING\]: node pve3 is offline \(as PVE reports in GET /nodes\)",
)


def assert_demo_ran(code, text):
    assert code == 0, text[-3000:]
    assert "\x1b" not in text
    assert [line for line in text.splitlines() if len(line) > 200] == []
    noise = [line for line in text.splitlines() if re.search(r"WARNING|Warning\b", line)
             and not any(re.match(pattern, line) for pattern in DEMO_WARNINGS)]
    assert noise == []
    assert "== pve.cluster.pve_version_info" in text and '"version": "9.1.2"' in text
    recaps = re.findall(r"ok=\d+\s+changed=\d+\s+unreachable=(\d+)\s+failed=(\d+)", text)
    assert len(recaps) == 3 and all(recap == ("0", "0") for recap in recaps), text[-3000:]


def test_demo_starts_the_bundled_simulator(tmp_path):
    code, text = run_demo(base_env(tmp_path), tmp_path)
    assert_demo_ran(code, text)
    assert "Starting the bundled PVE API simulator" in text and "(simulator stopped)" in text
    assert (tmp_path / "demo" / "reports" / "pve-cluster-report.html").is_file()


def test_demo_runs_against_the_cluster_the_variables_name(tmp_path, clean_sim):
    code, text = run_demo(sim_env(clean_sim, tmp_path=tmp_path), tmp_path)
    assert_demo_ran(code, text)
    assert "Using the PVE cluster at %s (PVE_API_HOST is set); no simulator is started" % clean_sim.url in text
    assert "Starting the bundled" not in text
    assert clean_sim.request_count(r"^/cluster/resources") >= 1
