# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Scenarios 3-5: modules through ansible-playbook against plain `requests` baselines."""

from __future__ import annotations

import json
import re
import sys
import time

from benchlib import install
from benchlib.context import ansible_bin, bench_count
from benchlib.inventory_bench import _generate
from benchlib.measure import Stats, ratio

BASELINES = install.BENCH / "baselines"


def playbook_cmd(path):
    return [ansible_bin("ansible-playbook"), "-i", "localhost,", "-c", "local", str(path)]


def _task(module, options, register="r"):
    lines = ["    - %s:" % module]
    for key, value in options.items():
        lines.append("        %s: %s" % (key, json.dumps(value)))
    if not options:
        lines[0] += " {}"
    lines.append("      register: %s" % register)
    return "\n".join(lines) + "\n"


def _debug(expression):
    return "    - ansible.builtin.debug:\n        msg: \"BENCH_COUNT={{ %s }}\"\n" % expression


def _summarise(ctx, sec, label, runs, ours=True):
    good = ctx.good_runs(sec, label, runs, ours)
    return Stats([r.wall for r in good]), (good[-1].requests if good else None)


def _note(ctx, label, cmd, community=False):
    text = [str(c).replace(str(ctx.work) + "/", "$WORK/") for c in cmd]
    ctx.note_command(label, text, "PROXMOX_*=... REQUESTS_CA_BUNDLE=$SIM_CA " if community else "PVE_API_*=... ")


def scenario3(ctx):
    tasks, nodes = (10000, 10) if ctx.smoke else (100000, 10)
    sec = ctx.section(3, "pve_tasks_info limit: 0 over %d tasks on %d nodes (RTT 0)" % (tasks, nodes),
                      ["what", "wall: median (min-max)", "requests", "rows"])
    if not ctx.have_module("pve_tasks_info"):
        sec.notes.append("plugins/modules/pve_tasks_info.py does not exist yet, not measured")
        sec.target("pve_tasks_info limit 0 <= 2x plain requests download of the same pages", "n/a", None)
        return
    with ctx.simulator(_generate(nodes=nodes, guests=500, tasks=tasks, seed=3)) as sim:
        env = ctx.sim_env(sim)
        check = ctx.playbook("s3-check", _task("pve.cluster.pve_tasks_info", {"limit": 0}) + _debug("r.tasks | length"))
        timed = ctx.playbook("s3-tasks", _task("pve.cluster.pve_tasks_info", {"limit": 0}))
        ping = ctx.playbook("ping", "    - ansible.builtin.ping:\n")
        first = ctx.measure(playbook_cmd(check), env, sim=sim, timeout=1800)
        if not first.ok:
            ctx.ours_failed(sec, "pve_tasks_info limit 0", first)
            return
        rows = bench_count(first.stdout)
        pages = [[e["path"], e["query"]] for e in sim.requests if e["method"] == "GET"]
        pages_file = ctx.write("s3/pages.json", json.dumps(pages))
        baseline = [sys.executable, str(BASELINES / "fetch_pages.py"), str(pages_file)]
        plan = [("pve.cluster.pve_tasks_info (ansible-playbook)", playbook_cmd(timed), env, 1800),
                ("plain requests, same %d pages, one process" % len(pages), baseline, env, 1800),
                ("ansible-playbook start-up (ansible.builtin.ping)", playbook_cmd(ping), env, 600)]
        for label, cmd, _env, _t in plan:
            _note(ctx, "scenario 3: " + label, cmd)
        results = ctx.alternate(sim, plan, ctx.runs)
    stats = {}
    for index, (label, _c, _e, _t) in enumerate(plan):
        wall, requests = _summarise(ctx, sec, label, results[label], ours=index != 1)
        stats[index] = wall
        sec.add_row(label, wall.fmt(), "n/a" if requests is None else requests,
                    [rows, "same pages", "-"][index])
    value = ratio(stats[0].median, stats[1].median)
    sec.target("pve_tasks_info limit 0 <= 2x plain requests download of the same pages",
               "n/a" if value is None else "%.2fx" % value, None if value is None else value <= 2.0)
    if stats[0].median is not None and stats[2].median is not None and stats[1].median:
        sec.notes.append("module net of ansible-playbook start-up: %.2fs (%.2fx the baseline)" % (
            stats[0].median - stats[2].median, (stats[0].median - stats[2].median) / stats[1].median))
    sec.notes.append("rows returned by the module (check run): %s of %d tasks" % (rows, tasks))


def scenario4(ctx):
    nodes, rtt = (10 if ctx.smoke else 50), 0.02
    sec = ctx.section(4, "pve_node_info gather [status, network]: %d nodes vs one node, RTT %d ms" % (nodes, rtt * 1000),
                      ["what", "nodes returned", "wall: median (min-max)", "requests"])
    if not ctx.have_module("pve_node_info"):
        sec.notes.append("plugins/modules/pve_node_info.py does not exist yet, not measured")
        sec.target("%d nodes <= 3x one node" % nodes, "n/a", None)
        return
    scen = _generate(nodes=nodes, guests=nodes * 4, tasks=0, seed=4)
    first_node = scen.nodes[0].name
    with ctx.simulator(scen, latency=rtt) as sim:
        env = ctx.sim_env(sim)
        variants = [("pve_node_info, all %d nodes" % nodes, {"gather": ["status", "network"]}),
                    ("pve_node_info, node: [%s]" % first_node, {"gather": ["status", "network"], "node": [first_node]})]
        plan, counts = [], {}
        for index, (label, options) in enumerate(variants):
            check = ctx.playbook("s4-check-%d" % index, _task("pve.cluster.pve_node_info", options) + _debug("r.nodes | length"))
            first = ctx.measure(playbook_cmd(check), env, sim=sim, timeout=600)
            if not first.ok:
                ctx.ours_failed(sec, label, first)
                return
            counts[label] = bench_count(first.stdout)
            cmd = playbook_cmd(ctx.playbook("s4-%d" % index, _task("pve.cluster.pve_node_info", options)))
            plan.append((label, cmd, env, 600))
            _note(ctx, "scenario 4: " + label, cmd)
        if ctx.have_community and ctx.setup.proxmoxer_version:
            label = "community.proxmox.proxmox_node_info (GET /version + /nodes only)"
            cmd = playbook_cmd(ctx.playbook("s4-community", _task("community.proxmox.proxmox_node_info", {})))
            plan.append((label, cmd, ctx.sim_env(sim, community=True), 600))
            _note(ctx, "scenario 4: " + label, cmd, community=True)
        results = ctx.alternate(sim, plan, ctx.runs)
    walls = []
    for index, (label, _c, _e, _t) in enumerate(plan):
        wall, requests = _summarise(ctx, sec, label, results[label], ours=index < 2)
        walls.append(wall)
        sec.add_row(label, counts.get(label, "-"), wall.fmt(), "n/a" if requests is None else requests)
    value = ratio(walls[0].median, walls[1].median)
    sec.target("%d nodes <= 3x one node" % nodes, "n/a" if value is None else "%.2fx" % value,
               None if value is None else value <= 3.0)


IMPORTS = [
    ("import requests", "import requests", None),
    ("import ansible.module_utils.basic", "import ansible.module_utils.basic", None),
    ("import pve.cluster module_utils._client (requests + our client)",
     "import ansible_collections.pve.cluster.plugins.module_utils._client", "collections"),
    ("import pve.cluster module_utils._module (what a module imports)",
     "import ansible_collections.pve.cluster.plugins.module_utils._module", "collections"),
    ("import proxmoxer (community.proxmox's client)", "import proxmoxer", "pydeps"),
]


def _import_env(ctx, extra):
    env = ctx.base_env()
    paths = {"collections": str(install.COLLECTIONS), "pydeps": str(install.PYDEPS)}
    if extra:
        env["PYTHONPATH"] = paths[extra]
    return env


def _importtime_top(ctx, module, count=6):
    """The biggest cumulative imports below `module` (python -X importtime)."""
    result = ctx.measure([sys.executable, "-X", "importtime", "-c", "import " + module],
                         _import_env(ctx, "collections"), timeout=120)
    rows = []
    for line in result.stderr.splitlines():
        found = re.match(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)", line)
        if found:
            rows.append((int(found.group(2)), len(found.group(3)), found.group(4)))
    top = [r for r in rows if r[1] <= 2]
    top.sort(reverse=True)
    return ", ".join("%s %.0f ms" % (name.strip(), cum / 1000.0) for cum, _depth, name in top[:count])


def scenario5(ctx):
    sec = ctx.section(5, "Per-call overhead: pve_version_info (GET /version) through ansible-playbook, RTT 0",
                      ["what", "wall: median (min-max)", "requests"])
    runs = ctx.runs if ctx.smoke else max(3, ctx.runs)  # a smoke run measures once: indicative only
    with ctx.simulator(_generate(nodes=3, guests=10, tasks=0, seed=5)) as sim:
        env = ctx.sim_env(sim)
        plan = []
        if ctx.have_module("pve_version_info"):
            cmd = playbook_cmd(ctx.playbook("s5-version", _task("pve.cluster.pve_version_info", {})))
            first = ctx.measure(cmd, env, sim=sim, timeout=600)
            if not first.ok:
                ctx.ours_failed(sec, "pve_version_info", first)
            plan.append(("pve.cluster.pve_version_info (ansible-playbook)", cmd, env, 600))
        plan.append(("raw requests.get(/version) in a fresh python", [sys.executable, str(BASELINES / "raw_get.py")], env, 120))
        plan.append(("ansible-playbook start-up (ansible.builtin.ping)",
                     playbook_cmd(ctx.playbook("ping", "    - ansible.builtin.ping:\n")), env, 600))
        if ctx.have_community and ctx.setup.proxmoxer_version:
            cmd = playbook_cmd(ctx.playbook("s5-community", _task("community.proxmox.proxmox_node_info", {})))
            plan.append(("community.proxmox.proxmox_node_info (for scale: /version + /nodes)", cmd,
                         ctx.sim_env(sim, community=True), 600))
        for label, cmd, _env, _t in plan:
            _note(ctx, "scenario 5: " + label, cmd, community="community" in label)
        results = ctx.alternate(sim, plan, runs)
        in_process = _in_process_gets(sim, 20)
    for label, _c, _e, _t in plan:
        wall, requests = _summarise(ctx, sec, label, results[label], ours="pve.cluster" in label)
        sec.add_row(label, wall.fmt(), "n/a" if requests is None else requests)
    sec.add_row("raw requests.get(/version) inside one process (new session each call, incl. TLS handshake)",
                in_process.fmt(unit=" ms", scale=1000, digits=1), 1)
    startup = Stats([ctx.measure([sys.executable, "-c", "pass"], ctx.base_env(), timeout=60).wall for _i in range(runs)])
    sec.add_row("python start-up alone (python -c pass, wall)", startup.fmt(unit=" ms", scale=1000, digits=1), "-")
    for label, code, extra in IMPORTS:
        if extra == "pydeps" and not ctx.setup.proxmoxer_version:
            continue
        timed = "import time; t = time.perf_counter(); %s; print(time.perf_counter() - t)" % code
        values = []
        for _index in range(runs):
            result = ctx.measure([sys.executable, "-c", timed], _import_env(ctx, extra), timeout=120)
            if result.ok:
                try:
                    values.append(float(result.stdout.strip().splitlines()[-1]))
                except (ValueError, IndexError):
                    pass
        sec.add_row("import cost in a fresh python: " + label, Stats(values).fmt(unit=" ms", scale=1000, digits=1), "-")
    sec.notes.append("largest imports below module_utils._client (python -X importtime, cumulative): "
                     + _importtime_top(ctx, "ansible_collections.pve.cluster.plugins.module_utils._client"))
    sec.notes.append("no pass/fail target: reported as asked (module start-up dominates)")


def _in_process_gets(sim, count):
    import requests  # pylint: disable=import-outside-toplevel
    url = sim.api_url + "/version"
    headers = {"Authorization": "PVEAPIToken=%s=%s" % (sim.token_id, sim.token_secret)}
    values = []
    for _index in range(count):
        started = time.perf_counter()
        response = requests.get(url, headers=headers, verify=sim.ca_path or True, timeout=30)
        values.append(time.perf_counter() - started)
        response.raise_for_status()
    return Stats(values)
