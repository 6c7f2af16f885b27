# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""make bench: pve.cluster against community.proxmox and ansible-core's own floor, on pvesim.

    python benchmarks/run.py [--smoke] [--strict] [--runs N] [--only 1,2,...] [--output FILE]

A benchmark, not a test: it prints one table per scenario and PASS/FAIL per target, writes
benchmarks/results/latest.md (--smoke: build/bench-smoke.md), and exits 0 even when a target is
missed (1 with --strict). A smoke run judges scenario 1's requests, peak RSS and comparison with
community.proxmox; its wall ratio to the floor (a margin below one run's noise) and scenarios 2-5
(shrunk until start-up costs dominate) print "indicative: met/missed", never PASS or FAIL.
It exits 1 when a pve.cluster contender itself fails (an error, not a slow result), and 2 for a
broken harness. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tests"))   # pvesim

from benchlib import config_bench, install, inventory_bench, module_bench, report, vmid_bench  # noqa: E402  pylint: disable=wrong-import-position
from benchlib.context import Context  # noqa: E402  pylint: disable=wrong-import-position

SCENARIOS = {
    1: inventory_bench.scenario1,
    2: inventory_bench.scenario2,
    3: module_bench.scenario3,
    4: module_bench.scenario4,
    5: module_bench.scenario5,
    6: vmid_bench.scenario6,
    7: config_bench.scenario7,
}
NOT_IN_SMOKE = {6}   # the VMID concurrency benchmark: make bench only (--only 6), never make test's smoke run


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--smoke", action="store_true", help="quick run with reduced sizes and 1 run (make test)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--runs", type=int, default=None, help="runs per contender (default 5, smoke 1)")
    parser.add_argument("--only", default="", help="comma-separated scenario numbers, e.g. 1,3")
    parser.add_argument("--output", default=None, help="report file (default benchmarks/results/latest.md)")
    sizes_help = "scenario 1: comma-separated guest counts out of 1000,10000,50000 (default all three; smoke: 1000)"
    parser.add_argument("--sizes", default="", help=sizes_help)
    args = parser.parse_args(argv)
    try:
        args.only = sorted(set(int(x) for x in args.only.split(",") if x.strip())) or sorted(
            set(SCENARIOS) - (NOT_IN_SMOKE if args.smoke else set()))
    except ValueError:
        parser.error("--only: comma-separated scenario numbers out of %s" % sorted(SCENARIOS))
    unknown = [n for n in args.only if n not in SCENARIOS]
    if unknown:
        parser.error("--only: unknown scenario(s) %s; choose from %s" % (unknown, sorted(SCENARIOS)))
    try:
        args.sizes = sorted(set(int(x) for x in args.sizes.split(",") if x.strip()))
    except ValueError:
        parser.error("--sizes: comma-separated guest counts, e.g. 10000,50000")
    if args.runs is not None and args.runs < 1:
        parser.error("--runs must be >= 1")
    if args.output is None:
        args.output = str(install.BUILD / "bench-smoke.md") if args.smoke else os.path.join(HERE, "results", "latest.md")
    return args


def main(argv):
    args = parse_args(argv)
    started = time.monotonic()
    setup = install.prepare()
    ctx = Context(args, setup)
    print("== pve.cluster benchmark%s: scenarios %s, %d run(s) each; work dir %s" % (
        " (smoke)" if args.smoke else "", ",".join(map(str, args.only)), ctx.runs, ctx.work), flush=True)
    if setup.community_error:
        print("WARNING: community.proxmox unavailable: %s" % setup.community_error, flush=True)
    if setup.main_commit:
        print("== community.proxmox main: commit %s (galaxy.yml version %s), from %s"
              % (setup.main_commit, setup.main_version, install.MAIN_GIT), flush=True)
    else:
        print("WARNING: community.proxmox main unavailable: %s" % setup.main_error, flush=True)
    for number in args.only:
        begun = time.monotonic()
        SCENARIOS[number](ctx)
        if args.smoke and number not in (1, 6):
            ctx.sections[-1].indicative = True
            ctx.sections[-1].notes.append("smoke run: reduced size, 1 run: targets are indicative only (make bench judges them)")
        print(report.section_text(ctx.sections[-1]), flush=True)
        print("(scenario %d took %.0fs)\n" % (number, time.monotonic() - begun), flush=True)
    text = report.document(ctx, time.monotonic() - started, ["benchmarks/run.py"] + list(argv))
    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    with open(args.output, "w", encoding="utf-8") as handle:
        handle.write(text)
    if args.smoke:
        ctx.cleanup()
    else:
        print("== inventory files and dumps kept in %s (for profiling)" % ctx.work)
    print("== %s; report: %s" % (report.summary_text(ctx), args.output))
    if ctx.errors:
        print("ERROR: pve.cluster contenders failed:\n  " + "\n  ".join(ctx.errors))
        return 1
    binding = binding_failures(ctx)
    if args.strict and binding:
        print("FAIL: %d target(s) missed:\n  %s" % (len(binding), "\n  ".join(binding)))
        return 1
    return 0


def binding_failures(ctx):
    """Missed targets that count: all of them in a full run; in a smoke run those not marked indicative."""
    return ["%d. %s: %s" % (s.number, t.text, t.measured) for s in ctx.sections for t in s.targets
            if t.passed is False and not t.indicative]


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception:  # pylint: disable=broad-except
        import traceback  # pylint: disable=import-outside-toplevel
        traceback.print_exc()
        print("ERROR: the benchmark harness itself failed (exit 2)")
        sys.exit(2)
