# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Scenario 6: VMID allocation under concurrency (duplicate ids handed out), not part of make test.

K = 10 `ansible-playbook` processes started together, each asking pve.cluster.pve_nextid for 5 ids, per
strategy (lowest, random) and range width; duplicates = ids handed out - distinct ids (every duplicate is a
create that PVE would refuse with "VM N already exists"). Beside it the expected figure for random (each id of
another process matches with probability 1/N: E[duplicates] = 50 - N(1 - (1 - 5/N)^10)). Then one play of 100
hosts with forks 20 through the role's vmid_allocate_hosts: 0 duplicates is the target.
"""

from __future__ import annotations

import re
import statistics
import subprocess

from benchlib.context import ansible_bin

PROCESSES = 10
PER_PROCESS = 5
WIDTHS = (("narrow", 1000, 1099), ("medium", 1000, 9999), ("wide", 1000, 999999))
IDS_RE = re.compile(r"BENCH_IDS=([0-9,]*)=")


def expected_random(width, processes=PROCESSES, each=PER_PROCESS):
    """E[handed out - distinct] when every process draws `each` distinct ids uniformly from `width` free ids."""
    total = processes * each
    return total - width * (1 - (1 - float(each) / width) ** processes)


def _allocate_playbook(ctx, strategy, lower, upper):
    tasks = ("    - pve.cluster.pve_nextid:\n        strategy: %s\n        count: %d\n        lower: %d\n        upper: %d\n"
             "      register: r\n      vars:\n        ansible_python_interpreter: \"{{ ansible_playbook_python }}\"\n"
             "    - ansible.builtin.debug:\n        msg: \"BENCH_IDS={{ r.vmids | join(',') }}=\"\n"
             % (strategy, PER_PROCESS, lower, upper))
    return ctx.playbook("s6-%s-%d-%d" % (strategy, lower, upper), tasks)


def _together(commands, env, timeout=600):
    """Start every command at once, wait for all; [(returncode, stdout)]."""
    procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,  # pylint: disable=consider-using-with
                              stdin=subprocess.DEVNULL, text=True) for cmd in commands]
    out = []
    for proc in procs:
        try:
            text, _err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            text, _err = proc.communicate()
        out.append((proc.returncode, text))
    return out


def _round(ctx, sim, playbook):
    """One round of PROCESSES concurrent allocations: (duplicates, every id) or raises on a failed process."""
    cmd = [ansible_bin("ansible-playbook"), "-i", "localhost,", "-c", "local", str(playbook)]
    ids = []
    for code, text in _together([cmd] * PROCESSES, ctx.sim_env(sim)):
        found = IDS_RE.search(text or "")
        if code != 0 or not found:
            raise RuntimeError("pve_nextid failed (exit %s): %s" % (code, (text or "")[-600:]))
        ids += [int(v) for v in found.group(1).split(",") if v]
    return len(ids) - len(set(ids)), ids


def _hosts_play(ctx, sim):
    """One play of 100 hosts, forks 20, the role with vmid_allocate_hosts: (duplicates, ids) or None."""
    inventory = ctx.write("s6/hosts.ini", "[new_vms]\nvm[001:100]\n\n[new_vms:vars]\nansible_connection=local\n"
                                          "ansible_python_interpreter=\"{{ ansible_playbook_python }}\"\n")
    playbook = ctx.write("s6/hosts.yml", (
        "- hosts: new_vms\n  gather_facts: false\n  tasks:\n"
        "    - ansible.builtin.include_role:\n        name: pve.cluster.vmid_allocate\n"
        "      vars:\n        vmid_allocate_hosts: \"{{ ansible_play_hosts_all }}\"\n"
        "        vmid_allocate_lower: 1000\n        vmid_allocate_upper: 999999\n"
        "    - ansible.builtin.debug:\n        msg: \"BENCH_IDS={{ pve_vmid }}=\"\n"))
    cmd = [ansible_bin("ansible-playbook"), "-i", str(inventory), "-f", "20", str(playbook)]
    ctx.note_command("6. one play, 100 hosts", [str(c).replace(str(ctx.work) + "/", "$WORK/") for c in cmd], "PVE_API_*=... ")
    code, text = _together([cmd], ctx.sim_env(sim))[0]
    ids = [int(v) for v in IDS_RE.findall(text or "") if v]
    if code != 0 or len(ids) != 100:
        raise RuntimeError("the 100-host play failed (exit %s, %d ids): %s" % (code, len(ids), (text or "")[-600:]))
    return len(ids) - len(set(ids)), ids


def scenario6(ctx):
    rounds = min(ctx.runs, 3)
    sec = ctx.section(6, "VMID allocation: %d concurrent ansible-playbook processes x %d ids, %d round(s)"
                      % (PROCESSES, PER_PROCESS, rounds),
                      ["strategy", "range (width)", "duplicates per round: median (min-max) of %d" % (PROCESSES * PER_PROCESS),
                       "expected (random: birthday bound)"])
    if not ctx.have_module("pve_nextid"):
        sec.notes.append("plugins/modules/pve_nextid.py does not exist, not measured")
        return
    with ctx.simulator("demo") as sim:
        for strategy in ("lowest", "random"):
            for label, lower, upper in WIDTHS:
                width = upper - lower + 1
                playbook = _allocate_playbook(ctx, strategy, lower, upper)
                ctx.note_command("6. %s %s" % (strategy, label), [ansible_bin("ansible-playbook"), "-i", "localhost,",
                                                                  "-c", "local", str(playbook).replace(str(ctx.work) + "/", "$WORK/")],
                                 "%dx in parallel, PVE_API_*=... " % PROCESSES)
                try:
                    dups = [_round(ctx, sim, playbook)[0] for _r in range(rounds)]
                except RuntimeError as err:
                    ctx.ours_failed(sec, "pve_nextid %s %s" % (strategy, label), _Failed(str(err)))
                    continue
                expected = (PROCESSES - 1) * PER_PROCESS if strategy == "lowest" else expected_random(width)
                sec.add_row(strategy, "%s %d..%d (%s)" % (label, lower, upper, "{:,}".format(width)),
                            "%g (%d-%d)" % (statistics.median(dups), min(dups), max(dups)),
                            "%d (all callers get the same ids)" % expected if strategy == "lowest" else "%.4g" % expected)
        try:
            dups, _ids = _hosts_play(ctx, sim)
            sec.add_row("role, vmid_allocate_hosts", "100 hosts, forks 20, one play", str(dups), "0 (one allocation)")
            sec.target("one play of 100 hosts with forks 20: 0 duplicate VMIDs", str(dups), dups == 0)
        except RuntimeError as err:
            ctx.ours_failed(sec, "vmid_allocate 100 hosts", _Failed(str(err)))
    sec.notes.append("duplicates = ids handed out - distinct ids: each one is a create PVE refuses (\"VM N already "
                     "exists\"). The processes only allocate (nobody creates in between), the case of callers that "
                     "ask before the first guest exists.")


class _Failed:
    """A failed measurement, for ctx.ours_failed."""

    def __init__(self, text):
        self.text = text

    def error_text(self):
        return self.text
