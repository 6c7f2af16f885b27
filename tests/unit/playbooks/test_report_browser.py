# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The cluster report in a real browser (headless Chromium): it loads without a console message, the DOM
holds the data, screenshots at 600 and 1280 px, and at both widths no table overflows its container, no
cell's content spills out of it and no column is squeezed to a character or two.

Chromium is Debian's `chromium` package (scripts/install-chromium.sh installs it, by hand: no test runs
apt-get). Without it these tests skip, saying so. PVE_REPORT_SCREENSHOT=PATH keeps the 1280 px screenshot
(e.g. docs/images/cluster-report.png).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess

import pytest

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
    "--enable-logging=stderr", "--v=0",
]
# Chromium writes every console message of the page (console.*, uncaught errors, CSP violations such
# as a blocked external asset) to stderr as "INFO:CONSOLE...". The report has no script, so any is a fault.
CONSOLE_RE = re.compile(r"^\[[^\]]*:CONSOLE[^\]]*\] (.*)$", re.M)
WIDTHS = (600, 1280)
NARROWEST_CELL = 24     # px of content: "one character wide" is about 8

# Injected into a copy of a page (its CSP meta removed): measures every table against its container.
MEASURE = """<script>
(function () {
  function px(value) { return parseFloat(value) || 0; }
  var result = {inner: window.innerWidth, page: document.documentElement.scrollWidth, tables: []};
  document.querySelectorAll("table").forEach(function (table, index) {
    var box = table.parentElement, t = table.getBoundingClientRect(), b = box.getBoundingClientRect();
    var style = getComputedStyle(box);
    var inner_left = b.left + box.clientLeft + px(style.paddingLeft);
    var inner_right = b.left + box.clientLeft + box.clientWidth - px(style.paddingRight);
    var problems = [];
    if (t.left < inner_left - 0.5 || t.right > inner_right + 0.5) {
      problems.push("table spans " + Math.round(t.left) + "-" + Math.round(t.right) + " px, its container "
                    + Math.round(inner_left) + "-" + Math.round(inner_right));
    }
    table.querySelectorAll("td").forEach(function (cell) {
      var text = cell.textContent.trim();
      if (!text) { return; }
      var cs = getComputedStyle(cell);
      var content = cell.clientWidth - px(cs.paddingLeft) - px(cs.paddingRight);
      if (cell.scrollWidth > cell.clientWidth + 1) {
        problems.push("cell '" + text.slice(0, 40) + "' spills out of its cell");
      }
      if (content < NARROWEST) {
        problems.push("cell '" + text.slice(0, 40) + "' is " + Math.round(content) + " px wide");
      }
    });
    result.tables.push({index: index, className: table.className, problems: problems});
  });
  var out = document.createElement("pre");
  out.id = "measured";
  out.textContent = JSON.stringify(result);
  document.body.appendChild(out);
})();
</script>
"""


def find_chromium():
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="module")
def chromium():
    path = find_chromium()
    if path is None:
        pytest.skip("no headless Chromium here (looked for %s on PATH): install Debian's chromium package, "
                    "e.g. with scripts/install-chromium.sh, to run the report's browser checks" % ", ".join(CHROMIUM_NAMES))
    return path


def browse(chromium, tmp_path, url, *args):
    """Run headless Chromium on url with a fresh profile; return (stdout, console messages)."""
    profile = tmp_path / ("profile-%d" % len(list(tmp_path.glob("profile-*"))))
    command = [chromium] + CHROMIUM_FLAGS + ["--user-data-dir=%s" % profile] + list(args) + [url]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout, CONSOLE_RE.findall(result.stderr)


def measure(chromium, tmp_path, html, width):
    """The layout of page `html` at a window `width` px wide: {"inner", "page", "tables": [{problems}]}."""
    page, removed = re.subn(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
    assert removed <= 1
    page = page.replace("</body>", MEASURE.replace("NARROWEST", str(NARROWEST_CELL)) + "</body>")
    path = tmp_path / ("measure-%d.html" % width)
    path.write_text(page, encoding="utf-8")
    dom, _console = browse(chromium, tmp_path, path.as_uri(), "--dump-dom", "--window-size=%d,2000" % width)
    found = re.search(r'<pre id="measured">(.*?)</pre>', dom, flags=re.S)
    assert found, dom[-2000:]
    result = json.loads(found.group(1).replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">")
                        .replace("&amp;", "&"))
    assert result["inner"] == width, result     # the layout was done at that width
    return result


def layout_problems(result):
    problems = ["the page scrolls sideways: %d px wide in a %d px window" % (result["page"], result["inner"])] \
        if result["page"] > result["inner"] else []
    for table in result["tables"]:
        problems.extend("table %d (%s): %s" % (table["index"], table["className"], p) for p in table["problems"])
    return problems


def test_width_check_can_fail(chromium, tmp_path):
    """A table wider than its box, a cell whose nowrap text spills out, a squeezed column: all reported."""
    html = ('<!DOCTYPE html><html><body><div style="width:300px"><table class="wide"><tr>'
            '<td style="white-space:nowrap">%s</td></tr></table></div>'
            '<div style="width:300px"><table class="squeezed" style="width:100%%;table-layout:fixed"><tr>'
            '<td style="width:290px">left</td><td style="overflow-wrap:anywhere">error text</td></tr></table></div>'
            '<div style="width:200px"><table class="spill" style="width:100%%;table-layout:fixed"><tr><td>'
            '<span style="white-space:nowrap">%s</span></td></tr></table></div></body></html>') % ("x " * 200, "y " * 100)
    problems = layout_problems(measure(chromium, tmp_path, html, 600))
    assert any("table 0 (wide): table spans" in p for p in problems), problems
    assert any("table 1 (squeezed): cell 'error text' is" in p for p in problems), problems
    assert any("table 2 (spill): cell 'y y" in p and "spills out" in p for p in problems), problems
    assert any("the page scrolls sideways" in p for p in problems), problems


@pytest.mark.parametrize("width", WIDTHS)
def test_no_table_overflows_at(chromium, demo_report, tmp_path, width):
    result = measure(chromium, tmp_path, demo_report.html.read_text(encoding="utf-8"), width)
    assert len(result["tables"]) >= 4       # nodes, failed tasks, a guest table per node with guests
    assert layout_problems(result) == []


def test_console_check_detects_errors(chromium, tmp_path):
    """The check below can fail: a script error and a blocked external asset are both reported."""
    page = tmp_path / "control.html"
    page.write_text('<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" '
                    'content="default-src \'none\'; script-src \'unsafe-inline\'"></head><body>'
                    '<img src="http://192.0.2.1/x.png"><script>notDefined();</script></body></html>')
    _dom, console = browse(chromium, tmp_path, page.as_uri(), "--dump-dom")
    assert any("notDefined is not defined" in line for line in console), console
    assert any("Content Security Policy" in line for line in console), console


def test_report_loads_without_console_messages(chromium, demo_report, tmp_path):
    dom, console = browse(chromium, tmp_path, demo_report.html.as_uri(), "--dump-dom")
    assert console == []
    assert "<h1>demo</h1>" in dom
    assert "<script" not in dom
    offline = [n.name for n in demo_report.scenario.nodes if not n.online]
    assert offline
    for name in offline:
        assert re.search(r'<tr class="offline">\s*<td><span class="node-name">%s</span>' % re.escape(name), dom)
    for guest in demo_report.scenario.guests:
        assert ">%s</td>" % guest.name in dom


def png_size(path):
    with open(path, "rb") as handle:
        head = handle.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", head[16:24])


@pytest.mark.parametrize("width", WIDTHS)
def test_report_screenshot(chromium, demo_report, tmp_path, width):
    shot = tmp_path / ("cluster-report-%d.png" % width)
    _out, console = browse(chromium, tmp_path, demo_report.html.as_uri(), "--screenshot=%s" % shot,
                           "--window-size=%d,1600" % width)
    assert console == []
    assert png_size(shot) == (width, 1600)
    assert shot.stat().st_size > 20000   # a blank page is a few kB; the report is far more
    keep = os.environ.get("PVE_REPORT_SCREENSHOT")
    if keep and width == 1280:
        shutil.copyfile(str(shot), keep)
