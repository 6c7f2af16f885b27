# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""make bench: pve.cluster against community.proxmox and ansible-core's own floor, on pvesim.

    python benchmarks/run.py [--only 1,2,...] [--runs N] [--sizes 1000,10000,50000] [--output FILE]

A benchmark, not a test: it prints each scenario's table and PASS/FAIL per target, writes the report (default
build/bench-results.md; a record: --output benchmarks/results/NAME.md) and exits 0 even when a target is missed;
1 when a pve.cluster contender itself failed (an error, not a slow result). See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.join(os.path.dirname(HERE), "tests")]   # benchlib, pvesim

from benchlib import install, inventory, modules, vmid  # noqa: E402  pylint: disable=wrong-import-position
from benchlib.harness import Context  # noqa: E402  pylint: disable=wrong-import-position

SCENARIOS = {1: inventory.sizes, 2: inventory.addresses, 3: modules.plays, 4: modules.plays, 5: modules.plays,
             6: vmid.allocation, 7: inventory.addresses}


def numbers(allowed):
    """An argparse type: comma-separated numbers out of `allowed`."""
    def parse(text):
        try:
            chosen = sorted(set(int(x) for x in text.split(",") if x.strip()))
        except ValueError:
            chosen = []
        if not chosen or set(chosen) - set(allowed):
            raise argparse.ArgumentTypeError("comma-separated, out of %s" % ",".join(map(str, sorted(allowed))))
        return chosen
    return parse


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--only", type=numbers(SCENARIOS), default=sorted(SCENARIOS), help="scenarios, e.g. 1,3 (default: all)")
    parser.add_argument("--runs", type=int, default=5, metavar="N", help="runs per contender (default 5)")
    parser.add_argument("--sizes", type=numbers(inventory.SIZES), default=sorted(inventory.SIZES),
                        help="scenario 1's guest counts (default: 1000,10000,50000)")
    parser.add_argument("--output", default=str(install.BUILD / "bench-results.md"), help="the report file")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs: at least 1")
    started = time.monotonic()
    ctx = Context(args, install.prepare())
    print("== pve.cluster benchmark: scenarios %s, %d run(s) each; work dir %s"
          % (",".join(map(str, args.only)), args.runs, ctx.work), flush=True)
    for name, version in ctx.setup.versions.items():
        print("== %s: %s" % (name, version), flush=True)
    for number in args.only:
        begun = time.monotonic()
        SCENARIOS[number](ctx, number)
        print(ctx.sections[-1].text() + "(scenario %d took %.0fs)\n" % (number, time.monotonic() - begun), flush=True)
    with open(args.output, "w", encoding="utf-8") as handle:
        handle.write(ctx.report(time.monotonic() - started, ["benchmarks/run.py"] + list(argv)))
    print("== %s; report: %s; inventory files and dumps (for profiling): %s" % (ctx.summary(), args.output, ctx.work))
    if ctx.errors:
        print("ERROR: pve.cluster contenders failed:\n  " + "\n  ".join(ctx.errors))
    return 1 if ctx.errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
