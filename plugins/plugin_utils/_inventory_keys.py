# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Keys of a pve.cluster.pve inventory file that are no option of the plugin.

ansible-core ignores them without a word; here each one gets a line that says what to do: the
nearest valid option for a typo, the equivalent (or why there is none) for a community.proxmox
option. With strict: true they are an error, before any request.
"""

from __future__ import annotations

import difflib

MIGRATION_PAGE = "docs/migrating-from-community-proxmox.md"

# community.proxmox 2.0.0 inventory options (plugins/inventory/proxmox.py) that have no option of the
# same name or alias here. url/user/password/token_id/token_secret/validate_certs, filters, group_prefix,
# facts_prefix, compose/groups/keyed_groups/strict and the cache options are accepted as they are.
COMMUNITY_PROXMOX = {
    "exclude_nodes": "use include_nodes: false (the opposite sense)",
    "want_proxmox_nodes_ansible_host": "not needed: nodes always get ansible_host, their cluster address from "
                                       "/cluster/status (the hostvar pve_ip)",
    "want_facts": "use guest_config: true (pve_config, pve_ostype, pve_description: one request per guest instead of "
                  "three) and ansible_host: [guest_agent, config] for the address",
    "want_post_filter_facts": "not needed: guest_config and the ansible_host sources always run after filters, for the "
                              "hosts that pass",
    "qemu_extended_statuses": "no equivalent: pve_status is the status /cluster/resources reports; the paused/prelaunch "
                              "detail would cost a request per VM",
}


def option_names(definitions):
    """{option: definition} (ansible-core's config definitions) -> every name the file may use, aliases included."""
    names = set()
    for name, definition in (definitions or {}).items():
        names.add(name)
        names.update((definition or {}).get("aliases") or ())
    return names


def unknown_key_messages(config, definitions):
    """One message per key of the file that is no option: what to write instead."""
    valid = option_names(definitions)
    messages = []
    for key in config:
        if not isinstance(key, str):
            messages.append("%r is not an option name (option names are strings)" % (key,))
            continue
        if key in valid:
            continue
        if key in COMMUNITY_PROXMOX:
            messages.append("option %r is community.proxmox's and does nothing here: %s (see %s)"
                            % (key, COMMUNITY_PROXMOX[key], MIGRATION_PAGE))
            continue
        close = difflib.get_close_matches(key, sorted(valid), n=1, cutoff=0.6)
        hint = "did you mean %s?" % close[0] if close else "ansible-doc -t inventory pve.cluster.pve lists the options"
        messages.append("unknown option %r is ignored; %s" % (key, hint))
    return messages
