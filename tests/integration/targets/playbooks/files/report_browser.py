# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The cluster report in headless Chromium, in two launches: as written, it loads without a console message (a
1280 px screenshot); copies in frames 600 and 1280 px wide have no table wider than its container, no cell whose
content spills out and no column squeezed to a character or two (control frames: both checks can fail).

    python report_browser.py REPORT.html WORKDIR [KEEP.png]

Prints each problem and exits 1; exits 0 saying "skipped" when no Chromium is on PATH. Chromium is Debian's
`chromium` package (scripts/install-chromium.sh installs it, by hand: no test runs apt-get). KEEP.png keeps the
1280 px screenshot (e.g. docs/images/cluster-report.png).
"""

from __future__ import annotations

import html as markup
import json
import os
import re
import shutil
import struct
import subprocess
import sys

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
    "--enable-logging=stderr", "--v=0",
]
# Chromium writes every console message of the page (console.*, uncaught errors, CSP violations such
# as a blocked external asset) to stderr as "INFO:CONSOLE...". The report has no script, so any is a fault.
CONSOLE_RE = re.compile(r"^\[[^\]]*:CONSOLE[^\]]*\] (.*)$", re.M)
NARROWEST_CELL = 24     # px of content: "one character wide" is about 8

# Injected into a copy of a page (its CSP meta removed) shown in a frame: measures every table against its container
# and writes the result into the frame's <pre id="measured-KEY"> of the page around it.
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
  parent.document.getElementById("measured-KEY").textContent = JSON.stringify(result);
})();
</script>
"""


class Failed(Exception):
    """A launch that did not do what the check needs."""


def browse(chromium, workdir, url, *args):
    """Run headless Chromium on url with a fresh profile; return (stdout, console messages)."""
    profile = os.path.join(workdir, "profile-%d" % len([n for n in os.listdir(workdir) if n.startswith("profile-")]))
    command = [chromium] + CHROMIUM_FLAGS + ["--user-data-dir=%s" % profile] + list(args) + [url]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    if result.returncode != 0:
        raise Failed("chromium exited %d: %s" % (result.returncode, result.stderr[-3000:]))
    return result.stdout, CONSOLE_RE.findall(result.stderr)


def framed(key, html, width):
    """A frame `width` px wide showing html, its CSP meta removed and MEASURE added, and the <pre> it reports into."""
    page = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html, count=1)
    page = page.replace("</body>", MEASURE.replace("NARROWEST", str(NARROWEST_CELL)).replace("KEY", key) + "</body>")
    return '<pre id="measured-%s"></pre><iframe style="width:%dpx;height:2000px;border:0" srcdoc="%s"></iframe>' % (
        key, width, markup.escape(page))


def measure(chromium, workdir, pages, extra=""):
    """The layout of each page (key, html, width) in a frame that wide, all in one launch beside the `extra` markup:
    ({key: {"inner", "page", "tables": [{problems}]}}, console messages)."""
    path = os.path.join(workdir, "measure.html")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("<!DOCTYPE html><html><body>%s%s</body></html>" % ("".join(framed(*page) for page in pages), extra))
    dom, console = browse(chromium, workdir, "file://" + path, "--dump-dom", "--window-size=1400,2000")
    results = {}
    for key, _html, width in pages:
        found = re.search(r'<pre id="measured-%s">(.+?)</pre>' % key, dom, flags=re.S)
        if not found:
            raise Failed("frame %s measured nothing: %s" % (key, dom[-2000:]))
        results[key] = json.loads(markup.unescape(found.group(1)))
        if results[key]["inner"] != width:  # the layout was done at that width
            raise Failed("frame %s laid out at %s px, not %d" % (key, results[key]["inner"], width))
    return results, console


def layout_problems(result):
    problems = ["the page scrolls sideways: %d px wide in a %d px window" % (result["page"], result["inner"])] \
        if result["page"] > result["inner"] else []
    for table in result["tables"]:
        problems.extend("table %d (%s): %s" % (table["index"], table["className"], p) for p in table["problems"])
    return problems


# A table wider than its box, a squeezed column, a cell whose nowrap text spills out (and so a page that scrolls
# sideways); a script error and an external image that the page's CSP blocks.
LAYOUT_CONTROL = (
    '<!DOCTYPE html><html><body><div style="width:300px"><table class="wide"><tr>'
    '<td style="white-space:nowrap">%s</td></tr></table></div>'
    '<div style="width:300px"><table class="squeezed" style="width:100%%;table-layout:fixed"><tr>'
    '<td style="width:290px">left</td><td style="overflow-wrap:anywhere">error text</td></tr></table></div>'
    '<div style="width:200px"><table class="spill" style="width:100%%;table-layout:fixed"><tr><td>'
    '<span style="white-space:nowrap">%s</span></td></tr></table></div></body></html>') % ("x " * 200, "y " * 100)
CONSOLE_CONTROL = ('<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" '
                   'content="default-src \'none\'; script-src \'unsafe-inline\'"></head><body>'
                   '<img src="http://192.0.2.1/x.png"><script>notDefined();</script></body></html>')


def layout_checks(chromium, workdir, report):
    """Problems of the report at 600 and 1280 px, and of the controls (each must be found)."""
    results, console = measure(chromium, workdir, [("control", LAYOUT_CONTROL, 600), ("w600", report, 600),
                                                   ("w1280", report, 1280)],
                               extra='<iframe srcdoc="%s"></iframe>' % markup.escape(CONSOLE_CONTROL))
    control = layout_problems(results["control"])
    problems = ["the control is not found: " + what for what, found in [
        ("a table wider than its box", any("table 0 (wide): table spans" in p for p in control)),
        ("a squeezed column", any("table 1 (squeezed): cell 'error text' is" in p for p in control)),
        ("a cell whose text spills out", any("table 2 (spill): cell 'y y" in p and "spills out" in p for p in control)),
        ("a page that scrolls sideways", any("the page scrolls sideways" in p for p in control)),
        ("a script error", any("notDefined is not defined" in line for line in console)),
        ("an asset the CSP blocks", any("Content Security Policy" in line for line in console))] if not found]
    for key in ("w600", "w1280"):
        if len(results[key]["tables"]) < 4:       # nodes, failed tasks, a guest table per node with guests
            problems.append("%s: %d tables" % (key, len(results[key]["tables"])))
        problems.extend("%s: %s" % (key, p) for p in layout_problems(results[key]))
    return problems


def png_size(path):
    with open(path, "rb") as handle:
        head = handle.read(24)
    return struct.unpack(">II", head[16:24]) if head[:8] == b"\x89PNG\r\n\x1a\n" else None


def screenshot_checks(chromium, workdir, report_path, keep=None):
    """Problems of the report loaded as written: console messages, a 1280 x 1600 PNG that is not blank."""
    shot = os.path.join(workdir, "cluster-report-1280.png")
    _out, console = browse(chromium, workdir, "file://" + os.path.abspath(report_path), "--screenshot=%s" % shot,
                           "--window-size=1280,1600")
    problems = ["console: " + line for line in console]
    if png_size(shot) != (1280, 1600):
        problems.append("the screenshot is not a 1280 x 1600 PNG: %s" % (png_size(shot),))
    elif os.path.getsize(shot) <= 20000:   # a blank page is a few kB; the report is far more
        problems.append("the screenshot is %d bytes: a blank page" % os.path.getsize(shot))
    if keep:
        shutil.copyfile(shot, keep)
    return problems


def main(report_path, workdir, keep=None):
    found = [shutil.which(name) for name in CHROMIUM_NAMES if shutil.which(name)]
    if not found:
        print("skipped: no headless Chromium here (looked for %s on PATH): install Debian's chromium package, e.g. with "
              "scripts/install-chromium.sh, to run the report's browser checks" % ", ".join(CHROMIUM_NAMES))
        return 0
    with open(report_path, encoding="utf-8") as handle:
        report = handle.read()
    try:
        problems = layout_checks(found[0], workdir, report) + screenshot_checks(found[0], workdir, report_path, keep)
    except Failed as err:
        problems = [str(err)]
    print("\n".join(problems) or "the report passed the browser checks in %s" % found[0])
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
