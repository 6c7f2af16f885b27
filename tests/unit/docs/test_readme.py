# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The README is read in five minutes (at most 150 lines) and every link in it, and in docs/, resolves: a
relative link names a file or directory of the collection (and a #fragment a heading of that file), a link
into this repository on GitHub names a file that is here. (Its "first five minutes" run as printed in the
integration target readme_first_minutes.)"""

from __future__ import annotations

import pathlib
import re

# .../ansible_collections/pve/cluster/tests/unit/docs/test_readme.py
ROOT = pathlib.Path(__file__).resolve().parents[3]
README = ROOT / "README.md"
MAX_LINES = 150
LINK_RE = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
THIS_REPOSITORY = re.compile(r"^https://github\.com/pve-cluster/pve\.cluster/(?:raw|blob|tree)/main/(.+)$")


def anchors(path):
    """GitHub's ids of the headings of a Markdown file."""
    ids = set()
    for heading in re.findall(r"^#+ (.+)$", path.read_text(encoding="utf-8"), flags=re.M):
        ids.add(re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-"))
    return ids


def broken_links(path):
    """The links of Markdown file `path` that do not resolve, with the reason."""
    text = re.sub(r"```.*?```", "", path.read_text(encoding="utf-8"), flags=re.S)   # not in code blocks
    broken = []
    for url in LINK_RE.findall(text):
        own = THIS_REPOSITORY.match(url)
        if own:
            target, fragment = ROOT / own.group(1), ""
        elif re.match(r"^[a-z]+:", url):
            if not url.startswith("https://"):
                broken.append((url, "not https"))
            continue
        else:
            target_text, _sep, fragment = url.partition("#")
            target = (path.parent / target_text) if target_text else path
        if not target.exists():
            broken.append((url, "no such file: %s" % target))
        elif fragment and (target.suffix != ".md" or fragment not in anchors(target)):
            broken.append((url, "no heading #%s in %s" % (fragment, target.name)))
    return broken


def test_the_readme_is_read_in_five_minutes():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= MAX_LINES, "README.md has %d lines (at most %d): move detail to docs/" % (len(lines), MAX_LINES)


def test_every_link_of_the_readme_and_the_docs_resolves():
    pages = [README] + sorted((ROOT / "docs").glob("*.md"))
    assert len(LINK_RE.findall(README.read_text(encoding="utf-8"))) >= 10 and len(pages) >= 6
    assert [(page.name, link) for page in pages for link in broken_links(page)] == []


def test_the_link_check_can_fail(tmp_path):
    page = tmp_path / "page.md"
    (tmp_path / "there.md").write_text("# A heading\n")
    page.write_text("[a](there.md#a-heading) [b](missing.md) [c](there.md#nope) [d](http://example.com) "
                    "[e](https://github.com/pve-cluster/pve.cluster/raw/main/docs/images/nope.png)\n"
                    "```sh\n[f](in-code.md)\n```\n")
    assert [url for url, _reason in broken_links(page)] == [
        "missing.md", "there.md#nope", "http://example.com",
        "https://github.com/pve-cluster/pve.cluster/raw/main/docs/images/nope.png"]
