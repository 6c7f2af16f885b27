# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Scenario 1 (the inventory at 1,000-50,000 guests against community.proxmox and the floor) and scenarios 2 and 7
(addresses: per-guest calls, ours concurrent, community.proxmox's serial)."""

from __future__ import annotations

import json
import re

from pvesim import generate

from benchlib.harness import BIN, fmt, measure, median, ratio

OURS, COMMUNITY, MAIN, FLOOR = "pve.cluster.pve", "community.proxmox 2.0.0", "community.proxmox main", "floor (bench.floor)"
SIZES = {1000: 20, 10000: 50, 50000: 100}   # scenario 1: guests: nodes
COMMUNITY_MAX = 10000                        # community.proxmox 2.0.0's per-node requests make larger runs minutes long
# scenario 1's targets for ours: (metric, against, at most this ratio, judged at which guests and command; else indicative).
# Against main, `ansible all --list-hosts` from 10,000 guests on (building the inventory, issue 28): at 1,000 guests
# start-up dominates, and `--list` is ansible-core serialising every variable.
TARGETS_1 = (("wall", FLOOR, 1.2, lambda guests, kind: True),
             ("wall", COMMUNITY, 1.0, lambda guests, kind: True),
             ("wall", MAIN, 0.9, lambda guests, kind: guests >= 10000 and kind == "list-hosts"),
             ("rss", MAIN, 1.0, lambda guests, kind: guests >= 10000 and kind == "list-hosts"),
             ("rss", FLOOR, 1.2, lambda guests, kind: guests >= 10000))
WORKERS = 8                                  # the plugin's default max_workers
SELECT = "vmid < 1100"                       # scenario 7's filter: 1,000 guests
# scenarios 2 and 7: the cluster, the RTTs, ours' and community.proxmox's extra options (and how many runs it gets,
# it is slow), the file without the per-guest option (7: the base cost), how community.proxmox's dump shows an address,
# the target (2: the whole run; 7: the per-guest phase, and within 1.5x of the ideal)
ADDRESSES = {
    2: dict(title="Inventory with addresses: 1,000 running guests, 20 nodes",
            cluster=dict(nodes=20, guests=1000, tasks=0, seed=2, running_ratio=1.0), rtts=(0.005,),
            ours="ansible_host: guest_agent\n", community="want_facts: true\n", community_runs=2, base=None,
            address=lambda v: v.get("proxmox_agent_interfaces") or v.get("proxmox_lxc_interfaces"), judge="wall"),
    7: dict(title="Addresses from the guest config: 1,000 guests selected by a filter (%s) of 10,000 (50 nodes)" % SELECT,
            cluster=dict(nodes=50, guests=10000, tasks=0, seed=6), rtts=(0.0, 0.02),
            ours="ansible_host: config\nfilters: ['pve_%s']\n" % SELECT, base="filters: ['pve_%s']\n" % SELECT,
            community="want_post_filter_facts: true\nfilters: ['proxmox_%s']\n" % SELECT, community_runs=1,
            address=lambda v: (v.get("proxmox_ipconfig0") or v.get("proxmox_net0") or {}).get("ip") not in (None, "dhcp"),
            judge="phase", selected=1000),
}
PER_GUEST = re.compile(r"^/nodes/[^/]+/(qemu|lxc)/\d+/")


def list_hosts(inventory):
    return [BIN / "ansible", "all", "-i", inventory, "--list-hosts"]


def inventory_list(inventory, out):
    return [BIN / "ansible-inventory", "-i", inventory, "--list", "--output", out]


def read_dump(path):
    """An ansible-inventory --list dump, untrusted strings ({"__ansible_unsafe": ...}, ansible-core 2.19) unwrapped."""
    def plain(obj):
        return obj["__ansible_unsafe"] if list(obj) == ["__ansible_unsafe"] else obj
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle, object_hook=plain)
    except (OSError, ValueError):
        return {}


def inventory_files(ctx, tag, sim, ours="", community=""):
    """(pve.cluster.pve, community.proxmox.proxmox) inventory files for `sim`."""
    user, _bang, name = sim.token_id.partition("!")
    return (ctx.write("%s/bench.pve.yml" % tag, "plugin: pve.cluster.pve\napi_host: %s\napi_token_id: '%s'\n"
                      "api_token_secret: '%s'\nca_path: %s\n%s" % (sim.url, sim.token_id, sim.token_secret, sim.ca_path, ours)),
            ctx.write("%s/bench.proxmox.yml" % tag, "plugin: community.proxmox.proxmox\nurl: %s\nuser: '%s'\ntoken_id: '%s'\n"
                      "token_secret: '%s'\nvalidate_certs: true\n%s" % (sim.url, user, name, sim.token_secret, community)))


def sizes(ctx, number):
    sec = ctx.section(number, "Inventory, no per-guest calls (%d run(s) each, alternating)" % ctx.runs,
                      ["guests/nodes", "RTT", "command", "contender", "hosts", "wall: median (min-max)", "peak RSS MiB",
                       "requests"])
    sec.notes.append("%s: %s; %s: measured up to %s guests (its per-node requests make larger runs minutes long)"
                     % (MAIN, ctx.setup.versions[MAIN], COMMUNITY, "{:,}".format(COMMUNITY_MAX)))
    for guests in ctx.args.sizes:
        tag, nodes = "s1-%d" % guests, SIZES[guests]
        with ctx.simulator(generate(nodes=nodes, guests=guests, tasks=0, seed=1)) as sim:
            ours, theirs = inventory_files(ctx, tag, sim)
            contenders = {OURS: (ours, ctx.env())}
            if ctx.setup.main:
                contenders[MAIN] = (theirs, ctx.env(sim, "main"))
            if ctx.setup.community and guests <= COMMUNITY_MAX:
                contenders[COMMUNITY] = (theirs, ctx.env(sim, "2.0.0"))
            # the floor: ansible-core adding our hosts, groups and variables from a dump (plain strings, as the
            # plugin hands them over), with no HTTP and no templating
            dump = measure(inventory_list(ours, ctx.work / tag / "dump-raw.json"), ctx.env(), sim)
            if dump.code:
                ctx.failed(sec, "%s --list (%d guests)" % (OURS, guests), dump.error())
                continue
            source = ctx.write(tag + "/dump.json", json.dumps(read_dump(ctx.work / tag / "dump-raw.json")))
            contenders[FLOOR] = (ctx.write(tag + "/bench.floor.yml", "plugin: bench.floor.floor\nsource: %s\n" % source),
                                 ctx.env())
            for inventory, env in contenders.values():   # warm-up: .pyc files, page cache
                measure(list_hosts(inventory), env, sim)
            for rtt in (0.0, 0.02):
                sim.latency = rtt
                for kind in ("list-hosts", "inventory-list"):
                    _sizes_cell(ctx, sec, sim, contenders, tag, guests, nodes, kind)


def _sizes_cell(ctx, sec, sim, contenders, tag, guests, nodes, kind):  # pylint: disable=too-many-arguments,too-many-locals
    where = "%d guests/%d nodes, RTT %d ms, %s" % (guests, nodes, sim.latency * 1000, kind)
    outs = dict((name, ctx.work / tag / ("out-%s.json" % name.split()[0])) for name in contenders)
    results = ctx.alternate(sec, sim, [(name, list_hosts(inv) if kind == "list-hosts" else inventory_list(inv, outs[name]),
                                        env, ctx.runs) for name, (inv, env) in contenders.items()])
    for name, runs in results.items():
        if kind == "list-hosts":
            hosts = re.search(r"^\s*hosts \((\d+)\):", runs[-1].out, re.M).group(1) if runs else "n/a"
        else:   # variables per host drive ansible-core's own cost (set_variable, get_vars, JSON)
            dump = read_dump(outs[name])
            hostvars = dump.pop("_meta", {}).get("hostvars", {})
            names = set(hostvars).union(*(group.get("hosts", ()) for group in dump.values()))
            hosts = "%d (%.1f vars/host)" % (len(names), sum(map(len, hostvars.values())) / (len(names) or 1))
        sec.row("%d/%d" % (guests, nodes), "%d ms" % (sim.latency * 1000), kind,
                name, hosts, fmt([r.wall for r in runs]), fmt([r.rss for r in runs], "", 0),
                max([r.requests for r in runs] or ["n/a"]))
    if not results[OURS]:
        return
    sec.target("%s: requests <= 3" % where, max(r.requests for r in results[OURS]), 3,
               measured=str(max(r.requests for r in results[OURS])))
    for metric, other, limit, judged in TARGETS_1:
        if results.get(other):
            ours, theirs = (median([getattr(r, metric) for r in results[name]]) for name in (OURS, other))
            value = ratio(ours, theirs)
            sec.target("%s: %s <= %sx %s" % (where, "wall" if metric == "wall" else "peak RSS", limit, other), value, limit,
                       None if metric == "wall" or value is None else "%.2fx (%.0f vs %.0f MiB)" % (value, ours, theirs),
                       indicative=not judged(guests, kind))


def _guests(dump, ours, address):
    """(guests listed, guests with an address) of a dump."""
    listed = with_address = 0
    for variables in dump.get("_meta", {}).get("hostvars", {}).values():
        if variables.get("pve_type") in ("qemu", "lxc") if ours else "proxmox_vmid" in variables:
            listed += 1
            with_address += 1 if (variables.get("ansible_host") if ours else address(variables)) else 0
    return "%d (%d)" % (listed, with_address)


def _phase(run, rtt):
    """Seconds from the first per-guest request to the last one's answer, from the simulator's request log: the
    per-guest phase alone, without listing (and filtering) the cluster's guests."""
    times = [entry["time"] for entry in run.log if PER_GUEST.match(entry.get("path") or "")]
    return max(times) - min(times) + rtt if times else None


def addresses(ctx, number):
    spec = ADDRESSES[number]
    sec = ctx.section(number, spec["title"], ["RTT", "contender", "options", "guests (with address)",
                                              "wall: median (min-max)", "per-guest phase", "peak RSS MiB", "requests", "runs"])
    with ctx.simulator(generate(**spec["cluster"])) as sim:
        tag = "s%d" % number
        ours, theirs = inventory_files(ctx, tag, sim, spec["ours"], spec["community"])
        plan = [(OURS, ours, ctx.env(), ctx.runs, spec["ours"])]
        if spec["base"]:
            plan.append((OURS + " (no per-guest calls)", inventory_files(ctx, tag + "-base", sim, spec["base"])[0],
                         ctx.env(), ctx.runs, spec["base"]))
        if ctx.setup.community:
            plan.append((COMMUNITY, theirs, ctx.env(sim, "2.0.0"), spec["community_runs"], spec["community"]))
        else:
            sec.notes.append("%s: %s" % (COMMUNITY, ctx.setup.versions["community.proxmox"]))
        outs = dict((entry[0], ctx.work / tag / ("out-%d.json" % index)) for index, entry in enumerate(plan))
        for rtt in spec["rtts"]:
            sim.latency = rtt
            results = ctx.alternate(sec, sim, [(name, inventory_list(inv, outs[name]), env, runs)
                                               for name, inv, env, runs, _o in plan])
            walls, phases = {}, {}
            for name, _inv, _env, runs, options in plan:
                good = results[name]
                walls[name], phases[name] = median([r.wall for r in good]), median([_phase(r, rtt) for r in good])
                sec.row("%d ms" % (rtt * 1000), name, options.strip().replace("\n", ", "),
                        _guests(read_dump(outs[name]), name != COMMUNITY, spec["address"]) if good else "n/a",
                        fmt([r.wall for r in good]), fmt([_phase(r, rtt) for r in good]), fmt([r.rss for r in good], "", 0),
                        good[-1].requests if good else "n/a", "%d/%d" % (len(good), min(runs, ctx.runs)))
            where = "RTT %d ms" % (rtt * 1000)
            judged, what = (walls, "whole run") if spec["judge"] == "wall" else (phases, "per-guest phase")
            value = ratio(judged.get(COMMUNITY), judged[OURS])
            sec.target("%s: %s >= 10x faster than %s" % (where, what, COMMUNITY), value, 10,
                       None if value is None else "%.1fx faster" % value, at_least=True)
            if spec["judge"] == "phase" and rtt and phases[OURS] is not None:
                ideal = spec["selected"] / float(WORKERS) * rtt
                sec.target("%s: per-guest phase within 1.5x of the ideal (%d guests / %d workers x RTT = %.2f s)"
                           % (where, spec["selected"], WORKERS, ideal), phases[OURS] / ideal, 1.5,
                           "%.2f s (%.2fx)" % (phases[OURS], phases[OURS] / ideal))
