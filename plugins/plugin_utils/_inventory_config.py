# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A guest's configuration (GET /nodes/{node}/<qemu|lxc>/{vmid}/config) for pve.cluster.pve.

addresses(): the configured addresses (qemu cloud-init `ipconfigN` ip=/ip6=, container `netN` ip=/ip6=), in
interface order; `dhcp`, `auto` and `manual` are no address. normalise(): pve_config, keys and flags as the
modules normalise them, `net*`/`ipconfig*` parsed into dicts. Pure functions: no HTTP, no Ansible.
Flag and number keys: the boolean and integer properties of qemu-server's and pve-container's config schema.
"""

from __future__ import annotations

import ipaddress
import re

from ansible_collections.pve.cluster.plugins.module_utils._normalize import to_bool, to_number

_INDEXED = re.compile(r"^(net|ipconfig)(\d+)$")
# top-level boolean properties (qemu-server json_config_properties, pve-container json_config_properties)
FLAGS = frozenset(("acpi", "allow-ksm", "autostart", "ciupgrade", "freeze", "keephugepages", "kvm", "localtime", "numa",
                   "onboot", "protection", "reboot", "tablet", "tdf", "template",  # qemu
                   "console", "debug", "unprivileged"))                               # lxc
NUMBERS = frozenset(("cores", "sockets", "vcpus", "cpulimit", "cpuunits", "balloon", "shares", "swap", "memory",
                     "migrate_downtime", "migrate_speed", "tty"))
# inside net*: booleans and numbers of the net format (both types)
NET_FLAGS = frozenset(("firewall", "link_down", "host-managed"))
NET_NUMBERS = frozenset(("mtu", "queues", "rate", "tag"))
NO_ADDRESS = ("dhcp", "auto", "manual")
DESCRIPTION_MAX = 2048  # characters of pve_description (PVE allows 8 KiB of notes)
LEFT_OUT = ("digest", "description", "cipassword")  # churn on every edit / own variable / always masked


def parse_property_string(text, default_key):
    """'virtio=BC:24:11:..,bridge=vmbr0,firewall=1' -> dict. A part without '=' is the default key's value."""
    result = {}
    for part in str(text).split(","):
        part = part.strip()
        if not part:
            continue
        key, equals, value = part.partition("=")
        if not equals:
            key, value = default_key, part
        result[key.strip()] = value.strip()
    return result


def _indexed(conf):
    """[(kind, index, raw value)] of net*/ipconfig* keys, by index (net2 before net10)."""
    found = []
    for key, value in conf.items():
        match = _INDEXED.match(str(key))
        if match and isinstance(value, str):
            found.append((match.group(1), int(match.group(2)), value))
    return sorted(found, key=lambda item: (item[0], item[1]))


def addresses(conf, guest_type):
    """The configured addresses of a guest ("10.0.0.5", no prefix), ip= before ip6= per interface, in index order."""
    if not isinstance(conf, dict):
        raise ValueError("the configuration is no object: %.80r" % (conf,))
    wanted = "ipconfig" if guest_type == "qemu" else "net"
    found = []
    for kind, _index, value in _indexed(conf):
        if kind != wanted:
            continue
        parsed = parse_property_string(value, "name")
        for key in ("ip", "ip6"):
            text = parsed.get(key, "")
            if not text or text.lower() in NO_ADDRESS:
                continue
            try:
                address = str(ipaddress.ip_interface(text).ip)
            except ValueError:
                continue
            if address not in found:
                found.append(address)
    return found


def _typed(key, value, flags, numbers):
    if key in flags:
        return to_bool(value)
    if key in numbers:
        return to_number(value)
    return value


def normalise(conf, guest_type):
    """pve_config: `-` -> `_` in keys, flags as booleans, numeric strings of number keys as numbers,
    net*/ipconfig* as dicts (qemu net0 `virtio=MAC` stays {virtio: MAC}); digest, description and
    cipassword left out (see LEFT_OUT). Values stay as they came otherwise; the caller marks them unsafe."""
    result = {}
    for key, value in conf.items():
        key = str(key)
        if key in LEFT_OUT:
            continue
        if _INDEXED.match(key) and isinstance(value, str):
            default_key = "model" if guest_type == "qemu" else "name"
            parsed = parse_property_string(value, default_key)
            value = dict((k.replace("-", "_"), _typed(k, v, NET_FLAGS, NET_NUMBERS)) for k, v in parsed.items())
        else:
            value = _typed(key, value, FLAGS, NUMBERS)
        result[key.replace("-", "_")] = value
    return result


def description(conf):
    """pve_description: the notes, at most DESCRIPTION_MAX characters (None when there are none)."""
    value = conf.get("description")
    if not isinstance(value, str) or not value:
        return None
    return value[:DESCRIPTION_MAX]


def ostype(conf):
    value = conf.get("ostype")
    return value if isinstance(value, str) and value else None
