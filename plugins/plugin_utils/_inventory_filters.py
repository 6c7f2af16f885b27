# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The filters option of pve.cluster.pve: checked when the file is read, then evaluated per host.

check(): a syntax error, or a name that is no host variable of this plugin, fails before any request,
naming the filter. apply(): a condition that fails because it uses a documented variable the host does
not carry (pve_tags on a node, pve_pool on a guest outside any pool) is false for that host, quietly;
any other failure leaves the host out with one short warning (or fails with strict), and a run in which
every host failed is an error, never an empty inventory.
"""

from __future__ import annotations

import difflib

import jinja2
from jinja2 import meta

from ansible_collections.pve.cluster.plugins.plugin_utils import _inventory_hosts as hosts

# what a filter sees (HostRecord.fields): the host variables and every field PVE sent, stored or not
GUEST_VARS = ("vmid", "name", "node", "type", "status", "template", "tags", "id", "cluster", "node_ip") \
    + hosts.GUEST_OPTIONAL + hosts.METRICS + hosts.GUEST_COUNTERS
NODE_VARS = ("node", "type", "status", "cluster", "ip", "nodeid", "id") + hosts.METRICS
AGENT_VARS = ("ip_addresses", "interfaces", "agent_error", "config", "ostype", "description")
# Jinja2's and Ansible's global functions, usable in a condition without being host variables.
GLOBALS = frozenset(("range", "dict", "lipsum", "cycler", "joiner", "namespace", "lookup", "query", "q", "now",
                     "undef", "omit"))
SHOWN = 3  # hosts named in the warning


class FilterError(Exception):
    """A filter that cannot work for any host: the message names it and says what to write."""


class Filter:
    __slots__ = ("condition", "names")

    def __init__(self, condition, names):
        self.condition = condition
        self.names = names  # the host variables it uses


def host_variables(prefix):
    """Every name a filter may use (host variables and the fields left out of them), facts_prefix applied."""
    return frozenset(prefix + name for name in GUEST_VARS + NODE_VARS)


def agent_variables(prefix):
    """The variables set by the guest-agent lookup, after filtering."""
    return frozenset(["ansible_host"] + [prefix + name for name in AGENT_VARS])


def variables_used(template):
    """The undeclared names of a Jinja2 template (raises jinja2.TemplateSyntaxError)."""
    return meta.find_undeclared_variables(jinja2.Environment().parse(template))


def uses_agent_variables(template, prefix):
    """Whether a template (the hostname option) needs the guest-agent variables; False if it does not parse."""
    try:
        return bool(variables_used(str(template)) & agent_variables(prefix))
    except jinja2.TemplateSyntaxError:
        return False


def check(conditions, prefix):
    """Parse every condition; raise FilterError for a syntax error or an unknown name."""
    known = host_variables(prefix)
    later = agent_variables(prefix)
    checked = []
    for condition in conditions:  # the originals are kept: on ansible-core 2.19 they carry the trust tag
        text = str(condition)
        text = text if ("{{" in text or "{%" in text) else "{%% if %s %%}{%% endif %%}" % text
        try:
            names = variables_used(text)
        except jinja2.TemplateSyntaxError as err:
            raise FilterError("filters: %r is not a valid condition: %s" % (condition, err.message)) from None
        unknown = sorted(names - known - GLOBALS)
        if set(unknown) & later:
            raise FilterError("filters: %r uses %s, which is set only after filtering (for the hosts that pass); "
                              "use groups or keyed_groups for it" % (condition, ", ".join(sorted(set(unknown) & later))))
        if unknown:
            close = difflib.get_close_matches(unknown[0], sorted(known), n=1, cutoff=0.6)
            hint = ("did you mean %s?" % close[0]) if close else "the names a filter can use are %s" % ", ".join(sorted(known))
            raise FilterError("filters: %r uses %s, which no host has; %s" % (condition, ", ".join(unknown), hint))
        checked.append(Filter(condition, frozenset(names & known)))
    return checked


def apply(filters, records, test, strict, prefix="pve_"):  # pylint: disable=too-many-arguments
    """Records for which every filter is true. test(condition, fields) -> bool (raises on errors), over
    every field PVE sent for the host (HostRecord.fields), whether or not it is a host variable.

    Returns (kept, warning or None).
    """
    kept = []
    failed = []
    first_error = None
    for record in records:
        keep = True
        fields = record.fields(prefix)
        for item in filters:
            try:
                keep = bool(test(item.condition, fields))
            except Exception as err:  # pylint: disable=broad-except
                keep = False
                if item.names - set(fields):
                    break  # uses a variable this host does not carry: false, quietly
                text = " ".join(str(err).split())
                if strict:
                    raise FilterError("filters: %r failed for %s: %s" % (item.condition, record.key, text)) from None
                failed.append(record.key)
                if first_error is None:
                    first_error = "%r: %s" % (item.condition, text[:200])
            if not keep:
                break
        if keep:
            kept.append(record)
    if not failed:
        return kept, None
    names = ", ".join(failed[:SHOWN]) + (" and %d more" % (len(failed) - SHOWN) if len(failed) > SHOWN else "")
    if not kept:
        raise FilterError("filters: every host was left out because a condition failed (%d hosts: %s); first error: %s"
                          % (len(failed), names, first_error))
    return kept, "filters: %d host(s) left out because a condition failed (%s); first error: %s" % (
        len(failed), names, first_error)
