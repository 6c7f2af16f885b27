# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""make demo: a venv of its own with ansible-core, cryptography and requests only, pinned as the tests pin them.
Its script against the simulators: the make_demo integration target."""

from __future__ import annotations

import pathlib
import re
import shutil
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9_.-]+)==(\S+)$")
# the Makefile and requirements/ are not in the collection's tarball (galaxy.yml build_ignore)
pytestmark = pytest.mark.skipif(not (ROOT / "Makefile").is_file(), reason="no Makefile: an installed collection")


def pins(name):
    text = (ROOT / "requirements" / name).read_text(encoding="utf-8")
    return dict(PIN.match(line).groups() for line in text.splitlines() if line and not line.startswith("#"))


def test_demo_installs_ansible_core_cryptography_and_requests_only_pinned_as_the_tests():
    demo = pins("demo.txt")
    assert sorted(demo) == ["ansible-core", "cryptography", "requests"]
    dev = pins("dev-2.19.txt")
    assert demo == dict((name, dev[name]) for name in demo)


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_demo_creates_its_own_venv_from_the_demo_requirements(tmp_path):
    venv = tmp_path / "venv-demo"
    plan = subprocess.run(["make", "-n", "demo", "VENV_DEMO=%s" % venv, "BUILD=%s" % (tmp_path / "build")],
                          cwd=str(ROOT), capture_output=True, text=True, timeout=60, check=True).stdout
    assert "-m venv %s" % venv in plan and "pip install -q -r requirements/demo.txt" in plan, plan
    assert "dev-2.19.txt" not in plan and 'PATH="%s/bin:' % venv in plan, plan
    # make runs it without echoing that line (a screen of PATH and variables before the demo's own output)
    assert re.search(r'^\t@PATH="\$\(VENV_DEMO_ABS\)/bin:', (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)
