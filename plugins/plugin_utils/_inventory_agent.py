# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Guest addresses for pve.cluster.pve (ansible_host: guest_agent).

fetch_answers(): per running guest, one GET through run_bounded (max_workers at a time); each
guest's answer or error is collected (never raised, never printed as a traceback); Ctrl-C cancels
what has not started. The raw answers are what the inventory cache stores.
addresses() / pick_address(): raw answer -> all addresses, and the one to use as ansible_host.

Containers: GET /nodes/{node}/lxc/{vmid}/interfaces exists from PVE 8.1 (pve-container 5.0.6); until
PVE 8.4 (5.2.6) its rows are {name, hwaddr, inet, inet6} with "10.0.0.5/24", later ip-addresses is added.
PVE 7 answers 501: then one container is asked, and the others are not (NO_LXC_ENDPOINT).
"""

from __future__ import annotations

import ipaddress

from ansible_collections.pve.cluster.plugins.module_utils._errors import PveError, PveOptionError
from ansible_collections.pve.cluster.plugins.module_utils._parallel import run_bounded

PATHS = {
    "qemu": "/nodes/{node}/qemu/{vmid}/agent/network-get-interfaces",
    "lxc": "/nodes/{node}/lxc/{vmid}/interfaces",
}
NO_LXC_ENDPOINT = 501  # "Method 'GET /nodes/{node}/lxc/{vmid}/interfaces' not implemented" (PVE before 8.1)


def parse_networks(values, option="ansible_host_networks"):
    """List of CIDR strings -> list of ip_network, validated before any request."""
    networks = []
    for value in values or []:
        try:
            networks.append(ipaddress.ip_network(str(value).strip(), strict=False))
        except ValueError:
            raise PveOptionError(option, "%r is not a network in CIDR notation (e.g. 10.0.0.0/8 or fd00::/8)" % (value,))
    return networks


def fetch_answers(client_factory, guests, max_workers):
    """guests: iterable of (key, type, node, vmid). Returns {key: {"data": raw} | {"error": text[, "status": n]}}.

    client_factory() is called once, in this thread, before any worker starts. The first container is asked
    together with the VMs; when PVE answers it 501 (no such endpoint), the other containers are not asked.
    """
    guests = list(guests)
    if not guests:
        return {}
    client = client_factory()
    containers = [g for g in guests if g[1] == "lxc"]
    answers = fetch_per_guest(client, PATHS, [g for g in guests if g[1] != "lxc"] + containers[:1], max_workers)
    if containers and answers[containers[0][0]].get("status") == NO_LXC_ENDPOINT:
        for key, _kind, _node, _vmid in containers[1:]:
            answers[key] = dict(answers[containers[0][0]])
    else:
        answers.update(fetch_per_guest(client, PATHS, containers[1:], max_workers))
    return answers


def fetch_per_guest(client, paths, guests, max_workers):
    """guests: iterable of (key, type, node, vmid); one GET paths[type] each, max_workers at a time
    -> {key: {"data": raw} | {"error": text[, "status": n]}}: errors are collected, never raised."""
    def ask(guest):
        _key, guest_type, node, vmid = guest
        try:
            return {"data": client.get(paths[guest_type], retry_timeouts=False, node=node, vmid=vmid)}
        except PveError as err:
            status = getattr(err, "status", None)
            return {"error": str(err), "status": status} if isinstance(status, int) else {"error": str(err)}
        except Exception as err:  # pylint: disable=broad-except
            # Anything else from a worker is reported for that guest, not lost in the pool.
            return {"error": "unexpected %s: %s" % (type(err).__name__, err)}

    return dict((guest[0], answer) for guest, answer, _error in run_bounded(ask, list(guests), max_workers=max_workers))


def _interfaces(data):
    """Raw answer -> list of interface dicts, or raise ValueError with a reason."""
    if data is None:
        return []  # lxc: a container without a running init answers null
    if isinstance(data, list):
        return [item for item in data if isinstance(item, dict)]
    if isinstance(data, dict) and "result" in data:
        result = data["result"]
        if isinstance(result, list):
            return [item for item in result if isinstance(item, dict)]
        if isinstance(result, dict) and isinstance(result.get("error"), dict):
            error = result["error"]
            raise ValueError("the guest agent refused network-get-interfaces: %s (%s)"
                             % (error.get("desc") or "no description", error.get("class") or "error"))
    raise ValueError("unexpected answer shape from the guest agent: %.80r" % (data,))


def _interface_addresses(interface):
    """The address texts of one interface: `ip-addresses` (agent, PVE >= 8.4 containers), else the
    container's `inet`/`inet6` ("10.0.0.5/24"; PVE 8.1-8.3 send only these)."""
    texts = [entry["ip-address"] for entry in interface.get("ip-addresses") or []
             if isinstance(entry, dict) and entry.get("ip-address")]
    if not texts:
        for key in ("inet", "inet6"):
            value = interface.get(key)
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, str) and item:
                    texts.append(item.split("/", 1)[0])
    return texts


def addresses(data):
    """All addresses of a raw answer, in interface order, as text (no prefix length)."""
    found, seen = [], set()  # the set keeps the duplicate check linear (100,000 addresses from one tenant)
    for interface in _interfaces(data):
        for text in _interface_addresses(interface):
            text = str(text).split("%", 1)[0].strip()
            if text in seen:
                continue
            try:
                ipaddress.ip_address(text)
            except ValueError:
                continue
            seen.add(text)
            found.append(text)
    return found


def usable(address):
    """Whether an address (ipaddress object) may ever be ansible_host: not loopback, link-local,
    unspecified or multicast (private ranges and IPv6 unique-local addresses are fine). An
    IPv4-mapped IPv6 address (::ffff:127.0.0.1) is judged as the IPv4 address it carries."""
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        address = mapped
    return not (address.is_loopback or address.is_link_local or address.is_unspecified or address.is_multicast)


def pick_address(found, networks):
    """The address to use as ansible_host, or None.

    With networks: the first usable address inside networks[0], else inside networks[1], ...; an
    address outside every listed network is never used (a tenant cannot steer ansible_host outside
    them). Without networks: the first usable IPv4 address (IPv6 only when a network allows it).
    Usable: see usable(); never loopback, link-local, unspecified or multicast, also inside 0.0.0.0/0 or ::/0.
    """
    parsed = []
    for text in found:
        try:
            address = ipaddress.ip_address(text)
        except ValueError:
            continue
        if usable(address):
            parsed.append(address)
    if networks:
        for network in networks:
            for address in parsed:
                if address.version == network.version and address in network:
                    return str(address)
        return None
    for address in parsed:
        if address.version == 4:
            return str(address)
    return None


def interfaces(data):
    """pve_interfaces: a raw answer -> [{name, mac, ipv4: ["10.0.0.5/24", ...], ipv6: [...]}], in the guest's order.

    qemu agent rows: name, hardware-address, ip-addresses [{ip-address, prefix}]; container rows: name, hwaddr
    (hardware-address from PVE 8.4), ip-addresses, or only inet/inet6 ("10.0.0.5/24") on PVE 8.1-8.3. The
    family comes from the address itself, not from ip-address-type; an address without a valid prefix is
    given without one; anything that is no address is left out. Raises ValueError as addresses() does.
    """
    found = []
    for interface in _interfaces(data):
        name = interface.get("name")
        mac = interface.get("hardware-address") or interface.get("hwaddr")
        entry = {"name": name if isinstance(name, str) else None, "mac": mac if isinstance(mac, str) else None,
                 "ipv4": [], "ipv6": []}
        for text in _interface_cidrs(interface):
            if text not in entry["ipv%d" % _version(text)]:
                entry["ipv%d" % _version(text)].append(text)
        found.append(entry)
    return found


def _version(text):
    return ipaddress.ip_interface(text).version


def _interface_cidrs(interface):
    """An interface's addresses as "address/prefix" (or "address" when the prefix is missing or invalid)."""
    texts = []
    for entry in interface.get("ip-addresses") or []:
        if isinstance(entry, dict):
            texts.append(_cidr(entry.get("ip-address"), entry.get("prefix")))
    if not any(texts):
        for key in ("inet", "inet6"):
            value = interface.get(key)
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, str):
                    address, _slash, prefix = item.partition("/")
                    texts.append(_cidr(address, prefix or None))
    return [text for text in texts if text]


def _cidr(address, prefix):
    if not isinstance(address, str):
        return None
    address = address.split("%", 1)[0].strip()
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return None
    if isinstance(prefix, str) and prefix.strip().isdigit():
        prefix = int(prefix.strip())
    if isinstance(prefix, int) and not isinstance(prefix, bool) and 0 <= prefix <= parsed.max_prefixlen:
        return "%s/%d" % (parsed, prefix)
    return str(parsed)
