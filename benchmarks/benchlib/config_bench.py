# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Scenario 7: addresses from the guests' configuration for the guests a filter selects.

1,000 selected guests (`pve_vmid < 1100`) of a 10,000-guest cluster, RTT 0 and 20 ms:
- pve.cluster.pve `ansible_host: config` (max_workers 8), and the same file without it (the base cost);
- community.proxmox 2.0.0 with the same filter and `want_post_filter_facts: true` (its want_facts calls -
  status, config, snapshots, agent - for the guests that pass the filter only, one after the other;
  `want_facts: true` would ask them for all 10,000 guests before filtering);
- the ideal of the per-guest part: selected guests / max_workers x RTT, above the base cost.
"""

from __future__ import annotations

import re

from benchlib.inventory_bench import COMMUNITY, OURS, _generate, command, read_dump
from benchlib.measure import Stats, ratio

WORKERS = 8
BASE = OURS + " (no per-guest calls)"
PER_GUEST = re.compile(r"^/nodes/[^/]+/(qemu|lxc)/\d+/")


def _per_guest_span(sim, rtt):
    """Seconds from the first per-guest request's arrival to the last one's answer (arrival + RTT), from the
    simulator's request log: the per-guest phase alone, without the cost of listing and filtering 10,000 guests."""
    times = [entry["time"] for entry in list(sim.requests) if PER_GUEST.match(entry.get("path") or "")]
    return (max(times) - min(times) + rtt) if times else None


def _selected(guests):
    return "pve_vmid < %d" % (100 + guests)


def _addresses(dump, ours):
    """(selected guests listed, guests with an address) of a dump."""
    if not dump:
        return None, None
    listed = with_address = 0
    for variables in dump.get("_meta", {}).get("hostvars", {}).values():
        if ours and variables.get("pve_type") in ("qemu", "lxc"):
            listed += 1
            with_address += 1 if variables.get("ansible_host") else 0
        elif not ours and "proxmox_vmid" in variables:
            listed += 1
            conf = variables.get("proxmox_ipconfig0") or variables.get("proxmox_net0") or {}
            with_address += 1 if isinstance(conf, dict) and conf.get("ip") not in (None, "dhcp") else 0
    return listed, with_address


def scenario7(ctx):  # pylint: disable=too-many-locals
    total, nodes, selected = (1000, 10, 50) if ctx.smoke else (10000, 50, 1000)
    rtts = [0.02] if ctx.smoke else [0.0, 0.02]
    sec = ctx.section(7, "Addresses from the guest config: %d selected guests of %d (%d nodes)" % (selected, total, nodes),
                      ["RTT", "contender", "options", "selected guests (with address)", "wall: median (min-max)",
                       "per-guest phase: median", "requests", "runs"])
    scen = _generate(nodes=nodes, guests=total, tasks=0, seed=6)
    condition = _selected(selected)
    with ctx.simulator(scen) as sim:
        ours_inv, community_inv = ctx.inventory_files("s7", sim, ours_extra="ansible_host: config\nfilters: ['%s']\n" % condition,
                                                      community_extra="want_post_filter_facts: true\nfilters: ['%s']\n"
                                                      % condition.replace("pve_", "proxmox_"))
        base_inv = ctx.write("s7/base.pve.yml", ours_inv.read_text(encoding="utf-8").replace("ansible_host: config\n", ""))
        entries = []
        if ctx.have_inventory:
            entries.append((OURS, "ansible_host: config (max_workers %d)" % WORKERS, ours_inv, ctx.base_env(), ctx.runs))
            entries.append((BASE, "the same filter, no ansible_host", base_inv, ctx.base_env(), ctx.runs))
        if ctx.have_community:
            entries.append((COMMUNITY, "want_post_filter_facts: true (serial)", community_inv,
                            ctx.sim_env(sim, community=True), 1))
        else:
            sec.notes.append("%s not installed: %s" % (COMMUNITY, ctx.setup.community_error))
        plan, options, outs = [], {}, {}
        for name, opts, inventory, env, runs in entries:
            options[name], outs[name] = opts, ctx.work / "s7" / ("out-%s.json" % name.split()[0])
            plan.append((name, command("inventory-list", inventory, outs[name]), env, 3600, runs))
            ctx.note_command("scenario 7 %s" % name, command("inventory-list", "$WORK/s7/%s" % inventory.name,
                                                             "$WORK/s7/out.json"),
                             "REQUESTS_CA_BUNDLE=$SIM_CA " if name == COMMUNITY else "")
        for rtt in rtts:
            sim.latency = rtt

            def addresses(name, result, rtt=rtt):
                result.extra["addr"] = _addresses(read_dump(outs[name]) if result.ok else None, name != COMMUNITY)
                result.extra["span"] = _per_guest_span(sim, rtt)

            results = ctx.alternate(sim, plan, ctx.runs, after=addresses)
            walls, spans = {}, {}
            for name, _cmd, _env, _timeout, _runs in plan:
                good = ctx.good_runs(sec, "%s (RTT %d ms)" % (name, rtt * 1000), results[name], name != COMMUNITY)
                walls[name] = Stats([r.wall for r in good])
                spans[name] = Stats([r.extra["span"] for r in good if r.extra["span"] is not None])
                last = good[-1] if good else None
                listed, with_address = last.extra["addr"] if last else (None, None)
                sec.add_row("%d ms" % (rtt * 1000), name, options[name],
                            "n/a" if listed is None else "%d (%d)" % (listed, with_address),
                            walls[name].fmt(), "-" if spans[name].median is None else spans[name].fmt(),
                            "n/a" if last is None else last.requests,
                            "%d/%d" % (len(good), len(results[name])))
            _targets(sec, walls, spans, rtt, selected, total)


def _targets(sec, walls, spans, rtt, selected, total):  # pylint: disable=too-many-arguments
    where = "RTT %d ms" % (rtt * 1000)
    ours, community = spans.get(OURS), spans.get(COMMUNITY)
    speedup = ratio(community.median, ours.median) if ours and community else None
    sec.target("%s: per-guest phase >= 10x faster than community.proxmox want_facts" % where,
               "n/a" if speedup is None else "%.1fx faster" % speedup, None if speedup is None else speedup >= 10)
    whole = ratio(walls[COMMUNITY].median, walls[OURS].median) if OURS in walls and COMMUNITY in walls else None
    if whole is not None:
        sec.notes.append("%s: whole run %.1fx faster than community.proxmox (ours includes listing and filtering all "
                         "{0:,} guests of the cluster: see the run without ansible_host)".format(total) % (where, whole))
    if rtt and ours is not None and ours.median is not None:
        ideal = selected / float(WORKERS) * rtt
        sec.target("%s: per-guest phase within 1.5x of the ideal (%d / %d workers x RTT = %.2f s)"
                   % (where, selected, WORKERS, ideal), "%.2f s (%.2fx)" % (ours.median, ours.median / ideal),
                   ours.median <= 1.5 * ideal)
