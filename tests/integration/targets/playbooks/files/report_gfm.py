# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Markdown reports under a GFM renderer (markdown-it-py, CommonMark with GFM tables, as GitHub renders tables):
every pipe table of each file is a table, with all its rows and cells, and none of it is swallowed by a blockquote or
a paragraph (a table right after `> Node offline: ...` is, without a blank line between them: a control); every row
has its header's cells, none split by a `|` from the API (GFM would drop the cells past the header's: a control).

    python report_gfm.py REPORT.md...

Prints each problem and exits 1.
"""

from __future__ import annotations

import re
import sys

import markdown_it

DELIMITER_ROW = re.compile(r"^\|(\s*:?-+:?\s*\|)+\s*$")


def gfm():
    return markdown_it.MarkdownIt("commonmark").enable("table")


def source_tables(text):
    """[(columns, body rows)] of each pipe table written in the file: a header line, a delimiter row
    under it, and the `|` lines that follow."""
    lines = text.splitlines()
    tables = []
    for index, line in enumerate(lines):
        if index and DELIMITER_ROW.match(line) and lines[index - 1].startswith("|"):
            body = 0
            for row in lines[index + 1:]:
                if not row.startswith("|"):
                    break
                body += 1
            tables.append((line.count("|") - 1, body))
    return tables


def rendered_tables(tokens):
    """[(columns, body rows, inside a blockquote)] of each table the renderer made."""
    tables = []
    quote_depth = 0
    current = None
    for token in tokens:
        if token.type == "blockquote_open":
            quote_depth += 1
        elif token.type == "blockquote_close":
            quote_depth -= 1
        elif token.type == "table_open":
            current = {"columns": 0, "rows": 0, "quoted": quote_depth > 0, "section": None}
        elif token.type in ("thead_open", "tbody_open"):
            current["section"] = token.type
        elif token.type == "tr_open" and current["section"] == "tbody_open":
            current["rows"] += 1
        elif token.type == "th_open":
            current["columns"] += 1
        elif token.type == "table_close":
            tables.append((current["columns"], current["rows"], current["quoted"]))
    return tables


def check_tables(text):
    """The list of problems of `text` under GFM: [] when every table renders as the table written."""
    tokens = gfm().parse(text)
    written = source_tables(text)
    rendered = rendered_tables(tokens)
    problems = []
    shapes = [(columns, rows) for columns, rows, _quoted in rendered]
    if shapes != written:
        problems.append("tables written (columns, rows): %s; rendered: %s" % (written, shapes))
    problems.extend("a table renders inside a blockquote" for _c, _r, quoted in rendered if quoted)
    for block in re.findall(r"(?:^\|.*\|\n)+", text + "\n", flags=re.M):
        if len(set(len(re.split(r"(?<!\\)\|", row)) for row in block.splitlines())) != 1:
            problems.append("rows with other cells than their header's: %r" % block[:300])
    return problems


# A table right under a blockquote line (no blank line) is folded into the quote; a row split by a bare `|`
FOLDED = "> Node offline: last known state.\n| ID | Name |\n|---|---|\n| 1 | a |\n"
SPLIT = "| ID | Name |\n|---|---|\n| 1 | a \\| b |\n| 2 | a | b |\n"


def main(*paths):
    controls = [(FOLDED, True), (FOLDED.replace("state.\n", "state.\n\n"), False),
                (SPLIT, True), (SPLIT.replace("a | b", "a \\| b"), False)]   # (text, has a problem)
    problems = ["the control %r is %s" % (text, "not found" if bad else "reported")
                for text, bad in controls if bool(check_tables(text)) != bad]
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        if len(source_tables(text)) < 5:       # summary, nodes, a guest table per node, failed tasks
            problems.append("%d tables in %s" % (len(source_tables(text)), path))
        problems.extend("%s: %s" % (path, problem) for problem in check_tables(text))
    print("\n".join(problems) or "%d files, each table rendered as written" % len(paths))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
