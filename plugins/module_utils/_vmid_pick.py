# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""pve_nextid's search: the range a search covers, and the order its candidate VMIDs are tried in.

No I/O here: the module confirms each candidate with PVE (GET /cluster/nextid?vmid=N).
"""

from __future__ import annotations

import random

from ansible_collections.pve.cluster.plugins.module_utils._errors import PveInvalidResponseError
from ansible_collections.pve.cluster.plugins.module_utils._options import VMID_MAX, VMID_MIN

# PVE's own range for GET /cluster/nextid without datacenter.cfg next-id: [100, 1000000), upper exclusive
# (pve-manager PVE/API2/Cluster.pm nextid, pve-cluster DataCenterConfig.pm next-id defaults)
PVE_LOWER = 100
PVE_UPPER = 999999
STRATEGIES = ("lowest", "random")


def next_id_range(options):
    """The inclusive (lower, upper) of datacenter.cfg next-id from GET /cluster/options, or None when PVE does not
    report it (not set, or no Sys.Audit on /). PVE sends it parsed ({"lower": 5000, "upper": 6000}, upper
    exclusive); a "lower=5000,upper=6000" string is read too. Anything else is an invalid answer."""
    raw = options.get("next-id") if isinstance(options, dict) else None
    if raw is None:
        return None
    if isinstance(raw, str):
        raw = dict(part.partition("=")[::2] for part in raw.split(",") if part)
    try:
        if not isinstance(raw, dict) or any(isinstance(v, bool) for v in raw.values()):
            raise ValueError(raw)
        lower = int(raw.get("lower", PVE_LOWER))
        upper = int(raw.get("upper", PVE_UPPER + 1)) - 1
    except (TypeError, ValueError):
        lower = upper = None
    if lower is None or not VMID_MIN <= lower <= upper <= VMID_MAX:
        raise PveInvalidResponseError("GET /cluster/options: next-id is not a VMID range (lower, upper): %.60r" % (raw,))
    return lower, upper


def search_range(lower, upper, reported):
    """(lower, upper, source): the options where given; missing ends from datacenter.cfg next-id when reported,
    else PVE's own 100..999999; an end that would fall on the wrong side of the given one widens to 100 or
    999999999 instead."""
    default_lower, default_upper = reported or (PVE_LOWER, PVE_UPPER)
    source = "lower/upper" if lower is not None and upper is not None else (
        "datacenter.cfg next-id" if reported else "PVE's default range")
    if lower is None:
        lower = default_lower if upper is None or default_lower <= upper else VMID_MIN
    if upper is None:
        upper = default_upper if default_upper >= lower else VMID_MAX
    return lower, upper, source


def lowest_first(lower, upper, skip):
    """lower, lower+1, ... upper, without the ids in skip."""
    candidate = lower
    while candidate <= upper:
        if candidate not in skip:
            yield candidate
        candidate += 1


def random_order(lower, upper, skip, rng=None):
    """Every id of lower..upper that is not in skip, once each, in a random order (os.urandom-seeded: two
    processes started at the same moment draw differently)."""
    rng = rng or random.SystemRandom()
    width = upper - lower + 1
    free = width - sum(1 for vmid in skip if lower <= vmid <= upper)
    if free * 2 < width:  # crowded (a narrow range, so small): draw from the list of free ids
        pool = [vmid for vmid in range(lower, upper + 1) if vmid not in skip]
        for index in range(len(pool)):
            pick = rng.randrange(index, len(pool))
            pool[index], pool[pick] = pool[pick], pool[index]
            yield pool[index]
        return
    drawn = set()
    while len(drawn) < free:  # at least half of the range is free: each draw hits a new free id at 1 in 2 or better
        vmid = rng.randint(lower, upper)
        if vmid not in skip and vmid not in drawn:
            drawn.add(vmid)
            yield vmid
