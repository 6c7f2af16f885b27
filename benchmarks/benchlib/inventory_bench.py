# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Scenarios 1 and 2: the inventory plugin against community.proxmox and the floor plugin."""

from __future__ import annotations

import json

from benchlib.context import ansible_bin, count_listed_hosts
from benchlib.measure import Stats, ratio

OURS = "pve.cluster.pve"
COMMUNITY = "community.proxmox"          # the 2.0.0 release (from the ansible package on PyPI)
MAIN = "community.proxmox main"          # its main branch, from the fetched snapshot (commit in the report)
MAX_200 = 10000                          # community.proxmox 2.0.0 is measured up to this many guests
SIZES = ((1000, 20), (10000, 50), (50000, 100))   # scenario 1: guests, nodes
FLOOR = "floor (bench.floor)"
MIB = 1024.0


def _generate(**kwargs):
    from pvesim import generate  # pylint: disable=import-outside-toplevel
    return generate(**kwargs)


def command(kind, inventory, out_path=None):
    if kind == "list-hosts":
        return [ansible_bin("ansible"), "all", "-i", str(inventory), "--list-hosts"]
    return [ansible_bin("ansible-inventory"), "-i", str(inventory), "--list"] + (
        ["--output", str(out_path)] if out_path else [])


def _plain(obj):
    """ansible-inventory (2.19) writes untrusted strings as {"__ansible_unsafe": "..."}: unwrap them."""
    return obj.get("__ansible_unsafe") if len(obj) == 1 and "__ansible_unsafe" in obj else obj


def read_dump(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle, object_hook=_plain)
    except (OSError, ValueError):
        return None


def dump_hosts(dump):
    """All host names of an ansible-inventory --list dump."""
    if not dump:
        return set()
    hosts = set(dump.get("_meta", {}).get("hostvars", {}))
    for name, body in dump.items():
        if name != "_meta" and isinstance(body, dict):
            hosts.update(body.get("hosts", ()))
    return hosts


def _hosts_and_vars(dump):
    """'N (V vars/host)': hostvars per host drive ansible-core's own cost (set_variable, get_vars, JSON)."""
    names = dump_hosts(dump)
    hostvars = dump.get("_meta", {}).get("hostvars", {})
    per_host = sum(len(v) for v in hostvars.values()) / float(len(names) or 1)
    return "%d (%.1f vars/host)" % (len(names), per_host)


def _mib(kib):
    return None if kib is None else kib / MIB


def _make_dump(ctx, tag, inventory, env, sim, label):
    raw = ctx.work / tag / "dump-raw.json"
    path = ctx.work / tag / "dump.json"
    result = ctx.measure(command("inventory-list", inventory, raw), env, sim=sim, timeout=900, keep_stdout=False)
    if not result.ok:
        return None, result
    # plain strings: what the plugins hand to ansible-core 2.19 (untrusted = never templated)
    path.write_text(json.dumps(read_dump(raw)), encoding="utf-8")
    ctx.note_command("floor source (%s)" % label, command("inventory-list", "$WORK/%s/bench.pve.yml" % tag, path))
    return path, result


def scenario1(ctx):  # pylint: disable=too-many-branches
    sec = ctx.section(1, "Inventory, no per-guest calls (alternating contenders, %d run(s) each)" % ctx.runs,
                      ["guests/nodes", "RTT", "command", "contender", "hosts", "wall: median (min-max)",
                       "peak RSS MiB: median", "requests"])
    sizes = [(1000, 20)] if ctx.smoke else [(1000, 20), (10000, 50), (50000, 100)]
    if getattr(ctx.args, "sizes", None):
        sizes = [(guests, nodes) for guests, nodes in SIZES if guests in ctx.args.sizes] or sizes
    rtts = [0.02] if ctx.smoke else [0.0, 0.02]
    if ctx.smoke:
        sec.notes.append("smoke run: 1,000 guests at 20 ms only, %d run(s): requests, peak RSS and the comparison with"
                         " community.proxmox count (--strict); the wall ratio to the floor is indicative (its 1.2x"
                         " margin is about 0.1 s here, less than one run's noise on a busy machine: make bench judges it)"
                         % ctx.runs)
    if ctx.have_main:
        sec.notes.append("%s = commit %s of its main branch (galaxy.yml %s); %s = the 2.0.0 release, measured up to"
                         " %s guests (its per-node requests make larger runs minutes long)"
                         % (MAIN, ctx.setup.main_commit, ctx.setup.main_version, COMMUNITY, "{:,}".format(MAX_200)))
    else:
        sec.notes.append("%s not installed: %s" % (MAIN, ctx.setup.main_error))
    for guests, nodes in sizes:
        tag = "s1-%d" % guests
        with ctx.simulator(_generate(nodes=nodes, guests=guests, tasks=0, seed=1)) as sim:
            ours_inv, community_inv = ctx.inventory_files(tag, sim)
            contenders = {}
            if ctx.have_inventory:
                contenders[OURS] = (ours_inv, ctx.base_env())
            else:
                sec.notes.append("%s: plugins/inventory/pve.py does not exist yet, not measured" % OURS)
            if ctx.have_main:
                contenders[MAIN] = (community_inv, ctx.sim_env(sim, community=True, main=True))
            if ctx.have_community and guests <= MAX_200:
                contenders[COMMUNITY] = (community_inv, ctx.sim_env(sim, community=True))
            elif not ctx.have_community and guests == sizes[0][0]:
                sec.notes.append("%s not installed: %s" % (COMMUNITY, ctx.setup.community_error))
            dump = None
            for name in (OURS, MAIN, COMMUNITY):
                if name in contenders and dump is None:
                    dump, result = _make_dump(ctx, tag, contenders[name][0], contenders[name][1], sim, name)
                    if dump is None:
                        if name == OURS:
                            ctx.ours_failed(sec, "%s ansible-inventory --list (%d guests)" % (OURS, guests), result)
                        else:
                            sec.notes.append("%s failed: %s" % (name, result.error_text()))
                    elif name != OURS:
                        sec.notes.append("floor source is %s's output (%s unavailable)" % (name, OURS))
            if dump is not None:
                contenders[FLOOR] = (ctx.floor_file(tag, dump), ctx.base_env())
            if not contenders:
                continue
            for name, (inventory, env) in contenders.items():   # warm-up: .pyc files, page cache
                ctx.measure(command("list-hosts", inventory), env, sim=sim, timeout=900)
            for rtt in rtts:
                sim.latency = rtt
                for kind in ("list-hosts", "inventory-list"):
                    _measure_cell(ctx, sec, sim, contenders, tag, guests, nodes, rtt, kind)


def _measure_cell(ctx, sec, sim, contenders, tag, guests, nodes, rtt, kind):  # pylint: disable=too-many-arguments,too-many-locals
    plan, outs = [], {}
    for name, (inventory, env) in contenders.items():
        outs[name] = ctx.work / tag / ("out-%s.json" % name.split()[0]) if kind == "inventory-list" else None
        plan.append((name, command(kind, inventory, outs[name]), env, 1800))
        label = {OURS: "bench.pve.yml", COMMUNITY: "bench.proxmox.yml", MAIN: "bench.proxmox.yml"}.get(name, "bench.floor.yml")
        env_note = {COMMUNITY: "REQUESTS_CA_BUNDLE=$SIM_CA ",
                    MAIN: "REQUESTS_CA_BUNDLE=$SIM_CA ANSIBLE_COLLECTIONS_PATH=build/bench-collections-main "}.get(name, "")
        ctx.note_command("%s %s" % (name, kind), command(kind, "$WORK/%s/%s" % (tag, label), "$WORK/%s/out.json" % tag
                                                         if outs[name] else None), env_note)

    def hosts(name, result):
        if kind == "inventory-list":
            dump = read_dump(outs[name]) if result.ok else None
            result.extra["hosts"] = _hosts_and_vars(dump) if dump else None
        else:
            result.extra["hosts"] = count_listed_hosts(result.stdout) if result.ok else None

    results = ctx.alternate(sim, plan, ctx.runs, after=hosts, keep_stdout=kind == "list-hosts")
    summary = {}
    for name, runs in results.items():
        good = ctx.good_runs(sec, "%s %s (%d guests, RTT %d ms)" % (name, kind, guests, rtt * 1000), runs, name == OURS)
        wall = Stats([r.wall for r in good])
        rss = Stats([_mib(r.rss_kib) for r in good])
        reqs = Stats([r.requests for r in good])
        hosts_text = good[-1].extra.get("hosts") if good else None
        summary[name] = (wall, rss, reqs)
        sec.add_row("%d/%d" % (guests, nodes), "%d ms" % (rtt * 1000), kind, name,
                    hosts_text if hosts_text is not None else "n/a", wall.fmt(), rss.fmt("", digits=0),
                    "n/a" if reqs.max is None else "%d" % reqs.max)
    where = "%d guests/%d nodes, RTT %d ms, %s" % (guests, nodes, rtt * 1000, kind)
    ours = summary.get(OURS)
    if ours is None:
        return
    wall, rss, reqs = ours
    sec.target("%s: requests <= 3" % where, "n/a" if reqs.max is None else "%d" % reqs.max,
               None if reqs.max is None else reqs.max <= 3)
    floor = summary.get(FLOOR)
    value = ratio(wall.median, floor[0].median) if floor else None
    sec.target("%s: wall <= 1.2x floor" % where, "n/a" if value is None else "%.2fx" % value,
               None if value is None else value <= 1.2, indicative=ctx.smoke)
    community = summary.get(COMMUNITY)
    if community is not None:
        value = ratio(wall.median, community[0].median)
        sec.target("%s: wall <= community.proxmox 2.0.0" % where, "n/a" if value is None else "%.2fx" % value,
                   None if value is None else value <= 1.0)
    main = summary.get(MAIN)
    if main is not None:
        # judged on `ansible all --list-hosts` at 10,000 guests and more, the measure of issue 28 (building the
        # inventory); at 1,000 guests (start-up dominates) and for the --list dump (ansible-core serialising every
        # variable) the same ratios are shown as indicative
        dump_only = kind != "list-hosts" or guests < 10000
        value = ratio(wall.median, main[0].median)
        sec.target("%s: wall <= 0.9x community.proxmox main" % where, "n/a" if value is None else "%.2fx" % value,
                   None if value is None else value <= 0.9, indicative=dump_only)
        value = ratio(rss.median, main[1].median)
        measured = "n/a" if value is None else "{0:.2f}x ({1:.0f} vs {2:.0f} MiB)".format(value, rss.median, main[1].median)
        sec.target("%s: peak RSS <= community.proxmox main" % where, measured, None if value is None else value <= 1.0,
                   indicative=dump_only)
    if guests >= 10000 or ctx.smoke:
        value = ratio(rss.median, floor[1].median) if floor else None
        measured = "n/a" if value is None else "{0:.2f}x ({1:.0f} vs {2:.0f} MiB)".format(value, rss.median, floor[1].median)
        sec.target("%s: peak RSS <= 1.2x floor" % where, measured, None if value is None else value <= 1.2)


def _with_address(dump, ours):
    """Guests of a dump that got an address (ours: ansible_host; community: agent/lxc interfaces)."""
    if not dump:
        return None
    count = 0
    for variables in dump.get("_meta", {}).get("hostvars", {}).values():
        if ours:
            if variables.get("pve_type") in ("qemu", "lxc") and variables.get("ansible_host"):
                count += 1
        elif variables.get("proxmox_agent_interfaces") or variables.get("proxmox_lxc_interfaces"):
            count += 1
    return count


def scenario2(ctx):
    guests, nodes = (100, 5) if ctx.smoke else (1000, 20)
    rtt = 0.005
    sec = ctx.section(2, "Inventory with addresses: %d running guests, %d nodes, RTT %d ms" % (guests, nodes, rtt * 1000),
                      ["contender", "options", "hosts", "guests with address", "wall: median (min-max)",
                       "peak RSS MiB", "requests", "runs"])
    scen = _generate(nodes=nodes, guests=guests, tasks=0, seed=2, running_ratio=1.0)
    with ctx.simulator(scen, latency=rtt) as sim:
        ours_inv, community_inv = ctx.inventory_files("s2", sim, ours_extra="ansible_host: guest_agent\n",
                                                      community_extra="want_facts: true\n")
        plan, options = [], {}
        outs = {OURS: ctx.work / "s2" / "out-ours.json", COMMUNITY: ctx.work / "s2" / "out-community.json"}
        if ctx.have_inventory:
            options[OURS] = "ansible_host: guest_agent (max_workers 8)"
            plan.append((OURS, command("inventory-list", ours_inv, outs[OURS]), ctx.base_env(), 900, ctx.runs))
        else:
            sec.notes.append("%s: plugins/inventory/pve.py does not exist yet, not measured" % OURS)
        if ctx.have_community:
            options[COMMUNITY] = "want_facts: true (serial; it has no concurrency option)"
            plan.append((COMMUNITY, command("inventory-list", community_inv, outs[COMMUNITY]),
                         ctx.sim_env(sim, community=True), 1800, min(2, ctx.runs)))
        else:
            sec.notes.append("%s not installed: %s" % (COMMUNITY, ctx.setup.community_error))
        for name, _cmd, _env, _timeout, _runs in plan:
            inventory = ours_inv if name == OURS else community_inv
            ctx.note_command("scenario 2 %s" % name, command("inventory-list", "$WORK/s2/%s" % inventory.name,
                                                             "$WORK/s2/out.json"),
                             "REQUESTS_CA_BUNDLE=$SIM_CA " if name == COMMUNITY else "")

        def addresses(name, result):
            dump = read_dump(outs[name]) if result.ok else None
            result.extra["hosts"] = len(dump_hosts(dump)) if dump else None
            result.extra["addr"] = _with_address(dump, name == OURS)

        results = ctx.alternate(sim, plan, ctx.runs, after=addresses)
        walls = {}
        for name, _cmd, _env, _timeout, _runs in plan:
            good = ctx.good_runs(sec, "%s with guest_agent" % name, results[name], name == OURS)
            wall = Stats([r.wall for r in good])
            walls[name] = wall
            last = good[-1] if good else None
            sec.add_row(name, options[name], last.extra["hosts"] if last else "n/a", last.extra["addr"] if last else "n/a",
                        wall.fmt(), Stats([_mib(r.rss_kib) for r in good]).fmt("", digits=0),
                        "n/a" if last is None else last.requests, "%d/%d" % (len(good), len(results[name])))
    speedup = ratio(walls[COMMUNITY].median, walls[OURS].median) if OURS in walls and COMMUNITY in walls else None
    measured = "n/a" if speedup is None else "{0:.1f}x faster".format(speedup)
    sec.target("guest_agent addresses: >= 10x faster than community.proxmox want_facts", measured,
               None if speedup is None else speedup >= 10)
