# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Render the unit-test section of docs/reliability.md from the tests' @pytest.mark.reliability markers.

    python3 scripts/reliability-report.py --units   # rewrites the section between UNITS_BEGIN and UNITS_END

The markers are read from the source (no test run: `make units` runs them); tests/unit/docs/test_docs_consistency.py
checks that the section is what this renders (the one up-to-date check). The rest of the page is the record of the
former end-to-end suite.
"""

from __future__ import annotations

import argparse
import ast
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
UNITS_BEGIN = "<!-- unit-test cases: rendered by scripts/reliability-report.py --units from the tests' markers -->"
UNITS_END = "<!-- end of unit-test cases -->"


def cell(text, limit=None):
    text = " ".join(str(text).split())
    if limit and len(text) > limit:
        text = text[:limit - 1] + "…"
    return text.replace("|", "\\|")


def unit_cases(root=ROOT):
    """[{theme, case, expected, test}] of every test function in tests/unit marked @pytest.mark.reliability(...)."""
    cases = []
    for path in sorted((root / "tests" / "unit").rglob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if not isinstance(node, ast.FunctionDef):
                continue
            for decorator in node.decorator_list:
                if isinstance(decorator, ast.Call) and ast.unparse(decorator.func) == "pytest.mark.reliability":
                    case = dict((kw.arg, ast.literal_eval(kw.value)) for kw in decorator.keywords)
                    cases.append(dict(case, test="%s::%s" % (path.name, node.name)))
    return cases


def render_units(cases):
    """The unit-test section: one table per theme, in the order of the issue-29 point that starts each case."""
    lines = [UNITS_BEGIN, "", "## Unit-test cases (hostile servers on 127.0.0.1, in `make units`)", "",
             "Each case is a test in tests/unit marked `@pytest.mark.reliability` (%d tests, some parametrized):" % len(cases),
             "`make units` runs them, and passes only when every one does. Work that could allocate without bound",
             "runs in a child process under an address-space cap (RLIMIT_AS) and a timeout that kills its process",
             "group (tests/unit/plugins/_capped.py). The number that starts a case is the point of issue 29 it covers.",
             "Every point has cases that failed on the code before its fix (run against it once); the others guard the",
             "edges (an answer exactly as deep as the limit).", ""]

    def order(case):
        first = case["case"].split()[0]
        return (int(first) if first.isdigit() else 99, case["test"])

    for theme in sorted(set(case["theme"] for case in cases)):
        lines += ["### %s" % theme.capitalize(), "", "| # | Case | Expected | Test |", "|---|---|---|---|"]
        rows = sorted((c for c in cases if c["theme"] == theme), key=order)
        for index, case in enumerate(rows, 1):
            test = cell(case["test"], 200).replace("`", "'")
            lines.append("| %d | %s | %s | `%s` |" % (index, cell(case["case"]), cell(case["expected"], 400), test))
        lines.append("")
    lines.append(UNITS_END)
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", action="store_true", required=True, help="the unit-test section (the only one rendered)")
    parser.parse_args(argv)
    target = ROOT / "docs" / "reliability.md"
    old = target.read_text(encoding="utf-8")
    target.write_text(old[:old.index(UNITS_BEGIN)] + render_units(unit_cases()) + old[old.index(UNITS_END) + len(UNITS_END):],
                      encoding="utf-8")
    print("wrote the unit-test section of %s" % target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
