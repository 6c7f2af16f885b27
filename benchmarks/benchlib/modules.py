# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Scenarios 3-5: our modules through ansible-playbook, beside plain `requests` fetching the same pages in one
process (baselines/fetch_pages.py), ansible-playbook's own start-up and community.proxmox's proxmox_node_info."""

from __future__ import annotations

import json
import re
import sys

from pvesim import generate

from benchlib import install
from benchlib.harness import BIN, fmt, measure, median, ratio

GATHER = ["status", "network"]
# per scenario: the cluster, the RTT, our plays (label, module, options, what the check run counts), whether
# community.proxmox's proxmox_node_info runs beside them, imports timed in a fresh python, the target (the first
# play's wall time at most this many times that of the row named)
SCENARIOS = {
    3: dict(title="pve_tasks_info limit: 0 over 100,000 tasks on 10 nodes, RTT 0",
            cluster=dict(nodes=10, guests=500, tasks=100000, seed=3), rtt=0.0,
            plays=[("pve.cluster.pve_tasks_info limit: 0", "pve_tasks_info", {"limit": 0}, "r.tasks | length")],
            community=False, imports=(), target=("plain requests, the same pages", 2.0)),
    4: dict(title="pve_node_info gather [status, network]: 50 nodes against one node, RTT 20 ms",
            cluster=dict(nodes=50, guests=200, tasks=0, seed=4), rtt=0.02,
            plays=[("pve.cluster.pve_node_info, all 50 nodes", "pve_node_info", {"gather": GATHER}, "r.nodes | length"),
                   ("pve.cluster.pve_node_info, node: [pve01]", "pve_node_info", {"gather": GATHER, "node": ["pve01"]},
                    "r.nodes | length")],
            community=True, imports=(), target=("pve.cluster.pve_node_info, node: [pve01]", 3.0)),
    5: dict(title="Per-call overhead: pve_version_info (GET /version) through ansible-playbook, RTT 0",
            cluster=dict(nodes=3, guests=10, tasks=0, seed=5), rtt=0.0,
            plays=[("pve.cluster.pve_version_info", "pve_version_info", {}, "r.version.version")], community=True,
            imports=("requests", "ansible.module_utils.basic", "ansible_collections.pve.cluster.plugins.module_utils._client",
                     "ansible_collections.pve.cluster.plugins.module_utils._module", "proxmoxer"), target=None),
}


def playbook(ctx, name, module, options, count=None):
    """ansible-playbook running one module (and printing BENCH_COUNT=<count> when asked)."""
    tasks = "    - %s: %s\n      register: r\n" % (module, json.dumps(options))
    if count:
        tasks += "    - ansible.builtin.debug:\n        msg: \"BENCH_COUNT={{ %s }}\"\n" % count
    path = ctx.write("playbooks/%s.yml" % name, "- hosts: localhost\n  gather_facts: false\n  tasks:\n" + tasks)
    return [BIN / "ansible-playbook", "-i", "localhost,", "-c", "local", path]


def plays(ctx, number):  # pylint: disable=too-many-locals
    spec = SCENARIOS[number]
    sec = ctx.section(number, spec["title"], ["what", "returned", "wall: median (min-max)", "peak RSS MiB", "requests"])
    with ctx.simulator(generate(**spec["cluster"]), latency=spec["rtt"]) as sim:
        env, plan, counts, pages = ctx.env(sim), [], {}, None
        for index, (label, module, options, count) in enumerate(spec["plays"]):
            check = measure(playbook(ctx, "s%d-check-%d" % (number, index), "pve.cluster." + module, options, count),
                            env, sim)   # also the warm-up
            if check.code:
                ctx.failed(sec, label, check.error())
                return
            counts[label] = re.search(r"BENCH_COUNT=(.*?)\"", check.out).group(1)
            pages = pages or [[e["path"], e["query"]] for e in check.log if e["method"] == "GET"]
            plan.append((label, playbook(ctx, "s%d-%d" % (number, index), "pve.cluster." + module, options), env, ctx.runs))
        baseline = [sys.executable, install.ROOT / "benchmarks" / "baselines" / "fetch_pages.py",
                    ctx.write("s%d/pages.json" % number, json.dumps(pages))]
        plan += [("plain requests, the same pages", baseline, env, ctx.runs),
                 ("ansible-playbook start-up (ansible.builtin.ping)",
                  playbook(ctx, "ping", "ansible.builtin.ping", {}), env, ctx.runs)]
        if spec["community"] and ctx.setup.community and ctx.setup.proxmoxer:
            plan.append(("community.proxmox.proxmox_node_info 2.0.0 (per node: network, version)",
                         playbook(ctx, "s%d-community" % number, "community.proxmox.proxmox_node_info", {}),
                         ctx.env(sim, "2.0.0"), ctx.runs))
        for module in spec["imports"]:
            if module != "proxmoxer" or ctx.setup.proxmoxer:
                plan.append(("python -c 'import %s'" % module, [sys.executable, "-c", "import " + module],
                             dict(ctx.env(), PYTHONPATH="%s:%s" % (install.COLLECTIONS, install.PYDEPS)), ctx.runs))
        if spec["imports"]:
            plan.append(("python -c pass (start-up alone)", [sys.executable, "-c", "pass"], ctx.env(), ctx.runs))
        results = ctx.alternate(sec, sim, plan)
    for label, _command, _env, _runs in plan:
        runs = results[label]
        sec.row(label, counts.get(label, "-"), fmt([r.wall for r in runs]), fmt([r.rss for r in runs], "", 0),
                max([r.requests for r in runs] or ["n/a"]))
    walls = dict((label, median([r.wall for r in runs])) for label, runs in results.items())
    first, startup = walls[spec["plays"][0][0]], walls["ansible-playbook start-up (ansible.builtin.ping)"]
    if first is not None and startup is not None:
        sec.notes.append("%s net of ansible-playbook's start-up: %.2f s" % (spec["plays"][0][0], first - startup))
    if spec["target"]:
        other, limit = spec["target"]
        sec.target("%s <= %sx %s" % (spec["plays"][0][0], limit, other), ratio(first, walls[other]), limit)
    else:
        sec.notes.append("no target: reported (start-up dominates a module run)")
