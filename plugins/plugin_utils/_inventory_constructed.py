# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""compose, groups and keyed_groups on guests and nodes alike, also with strict: true.

Nodes carry no pve_vmid, pve_tags or pve_ip_addresses, a guest outside any pool no pve_pool: with
strict: true Ansible fails the whole build on the first host that lacks one. Here the rule of the
filters holds: an entry that fails for a host and uses a documented variable this host does not carry
skips that host quietly; any other failure is Ansible's (an error with strict, skipped without).
"""

from __future__ import annotations

import jinja2
from jinja2 import meta


def _names(template):
    try:
        return frozenset(meta.find_undeclared_variables(jinja2.Environment().parse(template)))
    except jinja2.TemplateSyntaxError:
        return frozenset()  # Ansible reports the syntax error itself


def entries(compose, groups, keyed_groups):
    """[(kind, entry, names used)] for the three options; kind is compose | groups | keyed_groups."""
    found = []
    for name, expression in (compose or {}).items():
        found.append(("compose", {name: expression}, _names("{{ %s }}" % (expression,))))
    for name, condition in (groups or {}).items():
        found.append(("groups", {name: condition}, _names("{%% if %s %%}{%% endif %%}" % (condition,))))
    for keyed in keyed_groups or []:
        key = keyed.get("key") if isinstance(keyed, dict) else None
        found.append(("keyed_groups", [keyed], _names("{{ %s }}" % (key,)) if key else frozenset()))
    return found


def skips(names, host_vars, documented):
    """True when an entry that failed uses a documented variable that this host does not carry."""
    return bool((names & documented) - set(host_vars))
