# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The cluster report in a real browser: headless Chromium loads it without a console message, the
DOM holds the data, and a screenshot is taken.

Chromium is Debian's `chromium` package: scripts/install-chromium.sh installs it when /usr/bin/chromium
is missing; the tests skip, saying why, only when it cannot be installed. Set PVE_REPORT_SCREENSHOT to a
path (e.g. docs/images/cluster-report.png) to keep the screenshot there.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess

import pytest

from pve_e2e import ROOT, run_playbook, sim_env

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
    "--enable-logging=stderr", "--v=0",
]
# Chromium writes every console message of the page (console.*, uncaught errors, CSP violations such
# as a blocked external asset) to stderr as "INFO:CONSOLE...". The report has no script, so any is a fault.
CONSOLE_RE = re.compile(r"^\[[^\]]*:CONSOLE[^\]]*\] (.*)$", re.M)


@pytest.fixture(scope="module")
def chromium():
    if not os.access(CHROMIUM, os.X_OK):
        script = ROOT / "scripts" / "install-chromium.sh"
        try:
            result = subprocess.run(["bash", str(script)], capture_output=True, text=True, timeout=900, check=False)
            detail = (result.stdout + result.stderr).strip().splitlines()[-3:]
        except (OSError, subprocess.TimeoutExpired) as exc:
            detail = [str(exc)]
        if not os.access(CHROMIUM, os.X_OK):
            pytest.skip("chromium is not installed and scripts/install-chromium.sh could not install it: %s"
                        % " | ".join(detail))
    return CHROMIUM


def browse(chromium, tmp_path, url, *args):
    """Run headless Chromium on url with a fresh profile; return (stdout, console messages)."""
    profile = tmp_path / ("profile-%d" % len(list(tmp_path.glob("profile-*"))))
    command = [chromium] + CHROMIUM_FLAGS + ["--user-data-dir=%s" % profile] + list(args) + [url]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout, CONSOLE_RE.findall(result.stderr)


@pytest.fixture(scope="module")
def report_file(sim, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("report")
    outdir = tmp_path / "reports"
    result = run_playbook(ROOT / "playbooks" / "cluster_report.yml", sim_env(sim, tmp_path=tmp_path), tmp_path,
                          "-e", "cluster_report_dir=%s" % outdir)
    assert result.returncode == 0, result.stdout + result.stderr
    return outdir / "pve-cluster-report.html"


def test_console_check_detects_errors(chromium, tmp_path):
    """The check below can fail: a script error and a blocked external asset are both reported."""
    page = tmp_path / "control.html"
    page.write_text('<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" '
                    'content="default-src \'none\'; script-src \'unsafe-inline\'"></head><body>'
                    '<img src="http://192.0.2.1/x.png"><script>notDefined();</script></body></html>')
    _dom, console = browse(chromium, tmp_path, page.as_uri(), "--dump-dom")
    assert any("notDefined is not defined" in line for line in console), console
    assert any("Content Security Policy" in line for line in console), console


def test_report_loads_without_console_messages(chromium, report_file, tmp_path, sim):
    dom, console = browse(chromium, tmp_path, report_file.as_uri(), "--dump-dom")
    assert console == []
    assert "<h1>demo</h1>" in dom
    assert "<script" not in dom
    offline = [n.name for n in sim.scenario.nodes if not n.online]
    for name in offline:
        assert re.search(r'<tr class="offline">\s*<td><span class="node-name">%s</span>' % re.escape(name), dom)
    for guest in sim.scenario.guests:
        assert ">%s</td>" % guest.name in dom


def png_size(path):
    with open(path, "rb") as handle:
        head = handle.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", head[16:24])


def test_report_screenshot(chromium, report_file, tmp_path):
    shot = tmp_path / "cluster-report.png"
    _out, console = browse(chromium, tmp_path, report_file.as_uri(), "--screenshot=%s" % shot,
                           "--window-size=1280,1600")
    assert console == []
    assert png_size(shot) == (1280, 1600)
    assert shot.stat().st_size > 20000   # a blank page is a few kB; the report is far more
    keep = os.environ.get("PVE_REPORT_SCREENSHOT")
    if keep:
        shutil.copyfile(str(shot), keep)
