# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Per-guest lookups of pve.cluster.pve: the sources of ansible_host, in the user's order, and guest_config.

plan(): which guest is asked what. The guests are the selected ones (after guest_types, include_templates and
filters) of nodes that are not offline. With guest_config every such guest's config is read first; then each
source of `ansible_host` is asked, in order, for the guests that have no address yet (guest_agent: running
guests only). The same plan runs over cached answers: a guest whose answer the cache lacks makes it refresh.
fetch_configs(): one GET .../config per guest, max_workers at a time; errors are collected, never raised.
"""

from __future__ import annotations

from ansible_collections.pve.cluster.plugins.module_utils._errors import PveOptionError
from ansible_collections.pve.cluster.plugins.plugin_utils._inventory_agent import fetch_per_guest

SOURCES = ("guest_agent", "config")
# where each source's raw answers are kept in the cached data
RAW_KEYS = {"guest_agent": "agent", "config": "config"}
CONFIG_PATHS = {
    "qemu": "/nodes/{node}/qemu/{vmid}/config",
    "lxc": "/nodes/{node}/lxc/{vmid}/config",
}


def parse_sources(value):
    """The ansible_host option (a source, or a list of them in order) -> tuple of sources; () for none."""
    values = value if isinstance(value, (list, tuple)) else [value]
    values = [str(v).strip() for v in values if v is not None and str(v).strip()]
    if values in ([], ["none"]):
        return ()
    allowed = "none, or one or more of guest_agent, config in the order to try them (e.g. [guest_agent, config])"
    for item in values:
        if item not in SOURCES:
            raise PveOptionError("ansible_host", "%r is no source of addresses; allowed: %s" % (item, allowed))
    if len(set(values)) != len(values):
        raise PveOptionError("ansible_host", "each source may be listed once, got %s; allowed: %s"
                             % (", ".join(values), allowed))
    return tuple(values)


def plan(eligible, sources, want_config, running, answers, fetch, pick):
    """Ask the sources in order; returns (chosen, asked) or None when `fetch` is None and an answer is missing.

    eligible: the records that may be asked; running(record): may the agent be asked; answers: {source:
    {key: raw answer}} (filled in place); fetch(source, records) -> {key: raw answer}, or None for cached
    answers only; pick(source, record, answer) -> an address or None.
    chosen: {key: (source, address)}; asked: {source: [records asked]}.
    """
    def ensure(source, records):
        missing = [r for r in records if r.key not in answers[source]]
        if missing:
            if fetch is None:
                return False
            answers[source].update(fetch(source, missing))
        return True

    asked = dict((source, []) for source in SOURCES)
    if want_config:
        if not ensure("config", eligible):
            return None
        asked["config"] = list(eligible)
    chosen = {}
    for source in sources:
        todo = [r for r in eligible if r.key not in chosen and (source != "guest_agent" or running(r))]
        if not ensure(source, todo):
            return None
        if source != "config" or not want_config:
            asked[source] = todo
        for record in todo:
            address = pick(source, record, answers[source][record.key])
            if address:
                chosen[record.key] = (source, address)
    return chosen, asked


def fetch_configs(client, guests, max_workers):
    """guests: iterable of (key, type, node, vmid) -> {key: {"data": raw} | {"error": text[, "status": n]}}."""
    return fetch_per_guest(client, CONFIG_PATHS, guests, max_workers)


def failure_kind(answer):
    """'refused' (403), 'vanished' (500 ... does not exist: deleted or moved since /cluster/resources) or 'failed'."""
    status = answer.get("status")
    if status == 403:
        return "refused"
    if status == 500 and "does not exist" in str(answer.get("error") or ""):
        return "vanished"
    return "failed"
