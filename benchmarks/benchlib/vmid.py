# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Scenario 6: VMID allocation under concurrency (docs/vmid-allocation.md quotes it).

10 `ansible-playbook` processes started together, each asking pve_nextid for 5 ids, per strategy and range width;
duplicates = ids handed out - distinct ids (each one a create PVE refuses: "VM N already exists"), beside the
birthday-bound expectation for random (E = 50 - N(1 - (1 - 5/N)^10) over N free ids). Then one play of 100 hosts
with forks 20 through the vmid_allocate role's vmid_allocate_hosts: 0 duplicates is the target.
"""

from __future__ import annotations

import concurrent.futures
import re
import statistics

from benchlib.harness import BIN, measure
from benchlib.modules import playbook

PROCESSES, EACH = 10, 5
WIDTHS = (("narrow", 1000, 1099), ("medium", 1000, 9999), ("wide", 1000, 999999))
IDS = re.compile(r"BENCH_COUNT=([0-9,]*)\"")
HOSTS_PLAY = """- hosts: new_vms
  gather_facts: false
  tasks:
    - ansible.builtin.include_role:
        name: pve.cluster.vmid_allocate
      vars:
        vmid_allocate_hosts: "{{ ansible_play_hosts_all }}"
        vmid_allocate_lower: 1000
        vmid_allocate_upper: 999999
    - ansible.builtin.debug:
        msg: "BENCH_COUNT={{ pve_vmid }}"
"""


def together(command, count, env):
    """Start `count` copies of `command` at once (the one measuring helper, each killed after 15 minutes); every id
    they print, or raises on a failed one."""
    with concurrent.futures.ThreadPoolExecutor(count) as pool:
        runs = list(pool.map(lambda _i: measure(command, env, timeout=900), range(count)))
    for run in runs:
        if run.code or not IDS.search(run.out):
            raise RuntimeError(run.error())
    return [int(v) for run in runs for found in IDS.findall(run.out) for v in found.split(",") if v]


def allocation(ctx, number):
    rounds = min(ctx.runs, 3)
    columns = ["strategy", "range (width)", "duplicates per round: median (min-max) of %d" % (PROCESSES * EACH),
               "expected (random: birthday bound)"]
    sec = ctx.section(number, "VMID allocation: %d concurrent ansible-playbook processes x %d ids, %d round(s)"
                      % (PROCESSES, EACH, rounds), columns)
    trials = []   # (strategy, what, command, processes, expected duplicates)
    for strategy, (label, lower, upper) in [(s, w) for s in ("lowest", "random") for w in WIDTHS]:
        width = upper - lower + 1
        trials.append((strategy, "%s %d..%d (%s)" % (label, lower, upper, "{:,}".format(width)),
                       playbook(ctx, "s6-%s-%s" % (strategy, label), "pve.cluster.pve_nextid",
                                dict(strategy=strategy, count=EACH, lower=lower, upper=upper), "r.vmids | join(',')"),
                       PROCESSES, "%d (all callers get the same ids)" % ((PROCESSES - 1) * EACH) if strategy == "lowest"
                       else "%.4g" % (PROCESSES * EACH - width * (1 - (1 - float(EACH) / width) ** PROCESSES))))
    inventory = ctx.write("s6/hosts.ini", "[new_vms]\nvm[001:100]\n\n[new_vms:vars]\nansible_connection=local\n")
    trials.append(("role, vmid_allocate_hosts", "100 hosts, forks 20, one play", [BIN / "ansible-playbook", "-i", inventory,
                   "-f", "20", ctx.write("s6/hosts.yml", HOSTS_PLAY)], 1, "0 (one allocation)"))
    with ctx.simulator("demo") as sim:
        for strategy, what, command, processes, expected in trials:
            try:
                dups = [len(ids) - len(set(ids)) for ids in (together(command, processes, ctx.env(sim)) for _r in range(rounds))]
            except RuntimeError as err:
                ctx.failed(sec, "%s %s" % (strategy, what), str(err))
                continue
            sec.row(strategy, what, "%g (%d-%d)" % (statistics.median(dups), min(dups), max(dups)), expected)
            if processes == 1:
                sec.target("one play of 100 hosts with forks 20: 0 duplicate VMIDs", max(dups), 0, str(max(dups)))
    sec.notes.append("The processes only allocate (nobody creates in between): the case of callers that ask before the "
                     "first guest exists.")
