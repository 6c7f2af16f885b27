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
    # community.proxmox 2.1.0 (its main branch)
    "exclude_vms": "use guest_types: [] (nodes only; the opposite sense)",
    "facts_concurrency": "use max_workers (default 8): the per-guest requests of guest_config and the ansible_host "
                         "sources run that many at a time",
    "qemu_hostname": "hostname is one template for both guest types over the pve_* variables: branch on pve_type, e.g. "
                     "\"{{ pve_name if pve_type == 'qemu' else 'ct-' ~ pve_name }}\"; nodes have node_hostname",
    "lxc_hostname": "hostname is one template for both guest types over the pve_* variables: branch on pve_type, e.g. "
                    "\"{{ 'ct-' ~ pve_name if pve_type == 'lxc' else pve_name }}\"; nodes have node_hostname",
}

# community.proxmox 2.1.0's hostname template sees the raw API fields (name, vmid, ...); here a template sees
# the host variables. A raw field name in hostname or node_hostname -> the host variable to use instead.
RAW_FIELDS = {
    "name": "name", "vmid": "vmid", "node": "node", "type": "type", "status": "status", "template": "template",
    "tags": "tags", "id": "id", "pool": "pool", "hastate": "hastate", "lock": "lock", "uptime": "uptime",
    "cpu": "cpu", "maxcpu": "maxcpu", "mem": "mem", "maxmem": "maxmem", "disk": "disk", "maxdisk": "maxdisk",
    "ip": "ip", "nodeid": "nodeid", "online": None, "level": None, "local": None,
}


def raw_field_message(option, template, used, prefix):
    """The error for a hostname template that uses community.proxmox's raw API field names, or None."""
    raw = sorted(name for name in used if name in RAW_FIELDS)
    if not raw or not prefix:  # with facts_prefix: '' the host variables are these names
        return None
    hints = []
    for name in raw:
        if RAW_FIELDS[name] is None:
            hints.append("%s has no equivalent (nodes: %sstatus is online or offline)" % (name, prefix))
        else:
            hints.append("%s -> %s%s" % (name, prefix, RAW_FIELDS[name]))
    return ("%s: %r uses %s, community.proxmox's raw API field name(s); here the template sees the host variables: %s "
            "(see %s)" % (option, template, ", ".join(raw), "; ".join(hints), MIGRATION_PAGE))


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
