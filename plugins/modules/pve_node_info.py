#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pve_node_info
short_description: Read Proxmox VE node details (status, network)
version_added: 0.1.0
description:
  - Lists the nodes of a Proxmox VE cluster (C(GET /nodes)) and, per node, reads its status
    (C(GET /nodes/{node}/status)) and/or its network interfaces (C(GET /nodes/{node}/network)).
  - The per-node calls run concurrently (at most 8 at a time), one request per node and gathered part.
  - An offline node, or one that PVE cannot reach (HTTP 595/596), stays in the result with RV(nodes[].online=false)
    and without details, and a warning names it; the module does not fail for it.
  - So does a node that PVE still reports online but that does not answer within O(api_timeout) (default 30 seconds,
    the time pveproxy itself waits for another node). Its reads are not retried, so such a node costs at most one
    O(api_timeout) (the reads of all nodes run at the same time).
author:
  - pve.cluster maintainers (@pve-cluster)
extends_documentation_fragment:
  - pve.cluster.connection
  - pve.cluster.attributes
options:
  node:
    description:
      - The nodes to report on. Default is every node of the cluster.
      - A name that is not a valid PVE node name fails before any request; a node that is not in the
        cluster fails with a message listing the nodes that are.
    type: list
    elements: str
    aliases: [name]
  gather:
    description:
      - What to read per node besides the C(GET /nodes) row.
      - V(status) adds RV(nodes[].node_status), V(network) adds RV(nodes[].network).
      - An empty list returns only the C(GET /nodes) rows (a single request).
    type: list
    elements: str
    choices: [status, network]
    default: [status]
  network_type:
    description:
      - Only list network interfaces of this type (PVE's C(type) filter of C(GET /nodes/{node}/network)).
      - Only valid together with O(gather=network).
      - PVE 7.4 knows V(bridge), V(bond), V(eth), V(alias), V(vlan), the four OVS types and V(any_bridge);
        V(any_local_bridge) needs PVE 8.0, V(vnet) 8.3.2, V(fabric) and V(include_sdn) 9.0 (pve-manager
        C(PVE/API2/Network.pm)). An older PVE refuses a newer value with HTTP 400; the module then fails
        with one message that names the PVE version the value needs and the nodes that refused it.
    type: str
    choices: [bridge, bond, eth, alias, vlan, fabric, OVSBridge, OVSBond, OVSPort, OVSIntPort, vnet,
              any_bridge, any_local_bridge, include_sdn]
notes:
  - "Privileges (pve-manager C(PVE/API2/Nodes.pm), C(PVE/API2/Network.pm)): the node list (C(GET /nodes)) is open to
    every user and token, with a node's figures only for C(Sys.Audit) on C(/nodes/<node>). V(status) needs
    C(Sys.Audit) on C(/nodes/<node>) (role C(PVEAuditor) on C(/) covers every node). V(network) is open to every
    user, but PVE lists a bridge only with C(SDN.Audit) or C(SDN.Use) on C(/sdn/zones/localnetwork/<bridge>)."
  - "A part PVE refuses for lack of a privilege (HTTP 403) is left out for that node, with one warning per part
    quoting PVE's text and entries in RV(unavailable); the module fails instead when one node and one part were asked
    for, and when nothing but refusals came back and the token or user may see nothing at all (then one extra
    C(GET /cluster/resources) tells)."
"""

EXAMPLES = r"""
- name: Status of every node
  pve.cluster.pve_node_info:
    api_host: pve1.example.com
    api_token_id: ansible@pve!audit
    api_token_secret: "{{ vault_pve_token_secret }}"
  register: pve_nodes

- name: Show memory use per node
  ansible.builtin.debug:
    msg: "{{ item.node }}: {{ item.mem | default(0) }} of {{ item.maxmem | default(0) }} bytes used"
  loop: "{{ pve_nodes.nodes }}"
  loop_control:
    label: "{{ item.node }}"

- name: Names of the nodes that are down
  ansible.builtin.debug:
    msg: "{{ pve_nodes.nodes | rejectattr('online') | map(attribute='node') | list }}"

- name: Bridges of two nodes, with their status
  pve.cluster.pve_node_info:
    api_host: pve1.example.com
    api_token_id: ansible@pve!audit
    api_token_secret: "{{ vault_pve_token_secret }}"
    node: [pve1, pve2]
    gather: [status, network]
    network_type: any_bridge
  register: pve_bridges

- name: Only the node list (one request, no per-node calls)
  pve.cluster.pve_node_info:
    api_host: pve1.example.com
    api_token_id: ansible@pve!audit
    api_token_secret: "{{ vault_pve_token_secret }}"
    gather: []
  register: pve_node_list
"""

RETURN = r"""
unavailable:
  description:
    - The parts PVE refused for lack of a privilege (HTTP 403), left out of the result; empty when nothing was refused.
  returned: always
  type: list
  elements: dict
  sample: [{"part": "status", "node": "pve1", "path": "/nodes/pve1/status",
            "message": "Permission check failed (/nodes/pve1, Sys.Audit)"}]
  contains:
    part:
      description: The part of O(gather) that was refused.
      type: str
    node:
      description: The node whose part was refused.
      type: str
    path:
      description: The API path PVE refused.
      type: str
    message:
      description: PVE's text, which names the ACL path and the privilege it checked.
      type: str
nodes:
  description:
    - One entry per selected node, sorted by node name.
    - The fields of C(GET /nodes) (normalised), plus RV(nodes[].online) and the gathered details.
    - Fields PVE leaves out (the usage figures of an offline node, or without C(Sys.Audit)) are left out.
  returned: success
  type: list
  elements: dict
  contains:
    node:
      description: The node name.
      returned: always
      type: str
      sample: pve1
    status:
      description: The node status as PVE reports it in C(GET /nodes).
      returned: always
      type: str
      sample: online
    online:
      description:
        - V(true) when PVE reports the node online and it answered every gathered call.
        - V(false) for an offline or unknown node, and for one that PVE could not reach (HTTP 595/596/597) or that did
          not answer within O(api_timeout).
      returned: always
      type: bool
      sample: true
    id:
      description: PVE's resource id, C(node/<name>).
      returned: when PVE sends it
      type: str
      sample: node/pve1
    type:
      description: Always C(node).
      returned: when PVE sends it
      type: str
      sample: node
    cpu:
      description: CPU use, 0 to 1 (fraction of RV(nodes[].maxcpu)).
      returned: when the node is online
      type: float
      sample: 0.0035
    maxcpu:
      description: Number of CPUs.
      returned: when the node is online
      type: int
      sample: 12
    mem:
      description: Memory used, in bytes.
      returned: when the node is online
      type: int
      sample: 11508809728
    maxmem:
      description: Memory size, in bytes.
      returned: when the node is online
      type: int
      sample: 33568288768
    disk:
      description: Root file system used, in bytes.
      returned: when the node is online
      type: int
      sample: 2310930432
    maxdisk:
      description: Root file system size, in bytes.
      returned: when the node is online
      type: int
      sample: 940743983104
    uptime:
      description: Node uptime, in seconds.
      returned: when the node is online
      type: int
      sample: 2236708
    level:
      description: Subscription level (empty without a subscription, C(c) community, C(b) basic, C(s) standard, C(p) premium).
      returned: when PVE sends it
      type: str
      sample: ""
    ssl_fingerprint:
      description: SHA-256 fingerprint of the node's API certificate.
      returned: when PVE sends it
      type: str
      sample: "80:D4:F2:DF:64:95:CD:8D:A0:82:82:AC:48:BA:C0:7A:1B:6B:87:8B:FE:B9:83:1C:95:4E:79:58:77:99:69:F5"
    node_status:
      description:
        - The node status from C(GET /nodes/{node}/status), normalised (keys with C(_), numbers as numbers, flags as booleans).
        - Fields differ between PVE versions (PVE 7.4 has no C(current_kernel) and C(boot_info); C(memory.available) is new in 9.1).
      returned: when O(gather) includes V(status) and the node answered
      type: dict
      contains:
        cpu:
          description: CPU use, 0 to 1.
          returned: always
          type: float
          sample: 0.4047
        wait:
          description: I/O wait, 0 to 1.
          returned: when PVE sends it
          type: float
          sample: 0.0054
        idle:
          description: Idle time as PVE reports it (usually 0).
          returned: when PVE sends it
          type: int
          sample: 0
        uptime:
          description: Node uptime, in seconds.
          returned: always
          type: int
          sample: 2501631
        loadavg:
          description: Load average over 1, 5 and 15 minutes.
          returned: always
          type: list
          elements: float
          sample: [1.74, 1.86, 1.5]
        pveversion:
          description: The pve-manager package version string.
          returned: always
          type: str
          sample: pve-manager/9.1.2/9d436f37a0ac4172
        kversion:
          description: The running kernel, as one string.
          returned: when PVE sends it
          type: str
          sample: "Linux 6.17.4-1-pve #1 SMP PREEMPT_DYNAMIC PMX 6.17.4-1 (2025-12-03T15:42Z)"
        current_kernel:
          description: The running kernel (PVE 8.0 and later).
          returned: when PVE sends it
          type: dict
          contains:
            sysname:
              description: Kernel name.
              returned: always
              type: str
              sample: Linux
            release:
              description: Kernel release.
              returned: always
              type: str
              sample: 6.17.4-1-pve
            version:
              description: Kernel build version.
              returned: always
              type: str
              sample: "#1 SMP PREEMPT_DYNAMIC PMX 6.17.4-1 (2025-12-03T15:42Z)"
            machine:
              description: Hardware architecture.
              returned: always
              type: str
              sample: x86_64
        boot_info:
          description: How the node booted (PVE 8.0 and later).
          returned: when PVE sends it
          type: dict
          contains:
            mode:
              description: C(efi) or C(legacy-bios).
              returned: always
              type: str
              sample: efi
            secureboot:
              description: Whether secure boot is on.
              returned: in EFI mode
              type: bool
              sample: false
        cpuinfo:
          description: CPU details.
          returned: always
          type: dict
          contains:
            model:
              description: CPU model name.
              returned: always
              type: str
              sample: Intel(R) Core(TM) i7-6700 CPU @ 3.40GHz
            sockets:
              description: CPU sockets.
              returned: always
              type: int
              sample: 1
            cores:
              description: CPU cores (all sockets).
              returned: always
              type: int
              sample: 4
            cpus:
              description: Logical CPUs (threads).
              returned: always
              type: int
              sample: 8
            mhz:
              description: Current clock, in MHz.
              returned: when PVE sends it
              type: float
              sample: 3400.0
            hvm:
              description: Whether hardware virtualisation is available.
              returned: when PVE sends it
              type: bool
              sample: true
            user_hz:
              description: Kernel clock ticks per second.
              returned: when PVE sends it
              type: int
              sample: 100
            flags:
              description: CPU flags, space separated.
              returned: when PVE sends it
              type: str
              sample: fpu vme de pse tsc msr pae mce cx8 apic sep
        memory:
          description: Memory, in bytes.
          returned: always
          type: dict
          contains:
            total:
              description: Total memory.
              returned: always
              type: int
              sample: 16540520448
            used:
              description: Used memory.
              returned: always
              type: int
              sample: 12671574016
            free:
              description: Free memory.
              returned: always
              type: int
              sample: 1277120512
            available:
              description: Memory available for new work (PVE 9.1 and later).
              returned: when PVE sends it
              type: int
              sample: 3868946432
        swap:
          description: Swap, in bytes.
          returned: when PVE sends it
          type: dict
          contains:
            total:
              description: Total swap.
              returned: always
              type: int
              sample: 8589930496
            used:
              description: Used swap.
              returned: always
              type: int
              sample: 6283759616
            free:
              description: Free swap.
              returned: always
              type: int
              sample: 2306170880
        rootfs:
          description: The root file system, in bytes.
          returned: always
          type: dict
          contains:
            total:
              description: Size.
              returned: always
              type: int
              sample: 100861726720
            used:
              description: Used space.
              returned: always
              type: int
              sample: 24372563968
            free:
              description: Free space.
              returned: always
              type: int
              sample: 76489162752
            avail:
              description: Space available to unprivileged users.
              returned: always
              type: int
              sample: 71318425600
        ksm:
          description: Kernel same-page merging.
          returned: when PVE sends it
          type: dict
          contains:
            shared:
              description: Memory shared by KSM, in bytes.
              returned: always
              type: int
              sample: 150302720
    network:
      description:
        - The node's network interfaces from C(GET /nodes/{node}/network), sorted by interface name, normalised
          (keys with C(_), flags as booleans, C(mtu), C(netmask6), C(vlan_id) and C(bridge_fd) as numbers).
        - Only the fields that apply to an interface are present; PVE may add fields not listed here.
      returned: when O(gather) includes V(network) and the node answered
      type: list
      elements: dict
      contains:
        iface:
          description: Interface name.
          returned: always
          type: str
          sample: vmbr0
        type:
          description: Interface type (C(eth), C(bridge), C(bond), C(vlan), C(OVSBridge), ...).
          returned: always
          type: str
          sample: bridge
        method:
          description: IPv4 configuration method (C(static), C(manual), C(dhcp), ...).
          returned: when PVE sends it
          type: str
          sample: static
        method6:
          description: IPv6 configuration method.
          returned: when PVE sends it
          type: str
          sample: manual
        families:
          description: Address families configured (C(inet), C(inet6)).
          returned: when PVE sends it
          type: list
          elements: str
          sample: [inet]
        priority:
          description: Position of the interface in C(/etc/network/interfaces).
          returned: when PVE sends it
          type: int
          sample: 4
        active:
          description: Whether the interface is active.
          returned: when PVE sends it
          type: bool
          sample: true
        autostart:
          description: Whether the interface is brought up at boot.
          returned: when PVE sends it
          type: bool
          sample: true
        exists:
          description: Whether the interface exists on the host (PVE sends null for some VLAN interfaces).
          returned: when PVE sends it
          type: bool
          sample: true
        address:
          description: IPv4 address.
          returned: when configured
          type: str
          sample: 192.168.5.1
        netmask:
          description: IPv4 netmask or prefix length, as PVE stores it.
          returned: when configured
          type: str
          sample: "24"
        cidr:
          description: IPv4 address with prefix length.
          returned: when configured
          type: str
          sample: 192.168.5.1/24
        gateway:
          description: IPv4 gateway.
          returned: when configured
          type: str
          sample: 192.168.1.1
        address6:
          description: IPv6 address.
          returned: when configured
          type: str
          sample: fd66:5ac3:eeaf::10
        netmask6:
          description: IPv6 prefix length.
          returned: when configured
          type: int
          sample: 64
        cidr6:
          description: IPv6 address with prefix length.
          returned: when configured
          type: str
          sample: fd66:5ac3:eeaf::10/64
        gateway6:
          description: IPv6 gateway.
          returned: when configured
          type: str
          sample: fd66:5ac3:eeaf::1
        mtu:
          description: MTU.
          returned: when configured
          type: int
          sample: 1500
        comments:
          description: Comment of the interface.
          returned: when configured
          type: str
          sample: uplink
        options:
          description: Extra C(/etc/network/interfaces) options.
          returned: when configured
          type: list
          elements: str
          sample: [metric 200]
        bridge_ports:
          description: Ports of a bridge, space separated.
          returned: for bridges
          type: str
          sample: enp0s31f6
        bridge_stp:
          description: Spanning tree setting of a bridge.
          returned: for bridges
          type: str
          sample: "off"
        bridge_fd:
          description: Forward delay of a bridge.
          returned: for bridges
          type: int
          sample: 0
        bridge_vlan_aware:
          description: Whether a bridge is VLAN aware.
          returned: for VLAN aware bridges
          type: bool
          sample: true
        bridge_vids:
          description: VLAN ids a VLAN aware bridge carries.
          returned: for VLAN aware bridges
          type: str
          sample: 2-4094
        vlan_id:
          description: VLAN tag of a VLAN interface.
          returned: for VLAN interfaces
          type: int
          sample: 2
        vlan_raw_device:
          description: Parent interface of a VLAN interface.
          returned: for VLAN interfaces
          type: str
          sample: vmbr0
        slaves:
          description: Members of a bond.
          returned: for bonds
          type: str
          sample: eno1 eno2
        bond_mode:
          description: Bonding mode.
          returned: for bonds
          type: str
          sample: 802.3ad
        ovs_type:
          description: Open vSwitch interface type.
          returned: for Open vSwitch interfaces
          type: str
          sample: OVSBridge
        ovs_bridge:
          description: The Open vSwitch bridge a port belongs to.
          returned: for Open vSwitch ports
          type: str
          sample: vmbr0
        ovs_ports:
          description: Ports of an Open vSwitch bridge.
          returned: for Open vSwitch bridges
          type: str
          sample: eth1
"""

from ansible_collections.pve.cluster.plugins.module_utils._access import fail_if_nothing_visible, refusal, unavailable_entry
from ansible_collections.pve.cluster.plugins.module_utils._errors import (
    NODE_UNREACHABLE,
    PveBadRequestError,
    PveOptionError,
    PvePermissionError,
)
from ansible_collections.pve.cluster.plugins.module_utils._module import PveModule
from ansible_collections.pve.cluster.plugins.module_utils._shape import expect
from ansible_collections.pve.cluster.plugins.module_utils._normalize import (
    normalize_network,
    normalize_node,
    normalize_node_status,
)
from ansible_collections.pve.cluster.plugins.module_utils._nodes import unknown_message
from ansible_collections.pve.cluster.plugins.module_utils._options import unique, validate_node
from ansible_collections.pve.cluster.plugins.module_utils._parallel import run_bounded

GATHER_CHOICES = ["status", "network"]
# PVE's enum of the `type` parameter of GET /nodes/{node}/network (schema of PVE 9.1).
NETWORK_TYPES = ["bridge", "bond", "eth", "alias", "vlan", "fabric", "OVSBridge", "OVSBond", "OVSPort",
                 "OVSIntPort", "vnet", "any_bridge", "any_local_bridge", "include_sdn"]
# The PVE release that first accepts each newer type (pve-manager PVE/API2/Network.pm: any_local_bridge
# d2894179, vnet 20fecb77, fabric and include_sdn 174e266e); PVE 7.4 knows the others.
NETWORK_TYPE_SINCE = {"any_local_bridge": "8.0", "vnet": "8.3.2", "fabric": "9.0", "include_sdn": "9.0"}

ARGUMENT_SPEC = {
    "node": {"type": "list", "elements": "str", "aliases": ["name"]},
    "gather": {"type": "list", "elements": "str", "choices": GATHER_CHOICES, "default": ["status"]},
    "network_type": {"type": "str", "choices": NETWORK_TYPES},
}

PART_PATHS = {"status": "/nodes/{node}/status", "network": "/nodes/{node}/network"}
PART_KEYS = {"status": "node_status", "network": "network"}


def fetch_part(client, node, part, network_type):
    """One per-node call, normalised."""
    if part == "status":
        return normalize_node_status(expect(client.get(PART_PATHS["status"], retry_timeouts=False, node=node), dict,
                                            "GET /nodes/%s/status" % node))
    params = {"type": network_type} if network_type else None
    rows = expect(client.get(PART_PATHS["network"], params=params, retry_timeouts=False, node=node), list,
                  "GET /nodes/%s/network" % node)
    interfaces = [normalize_network(row) for row in rows if isinstance(row, dict)]
    return sorted(interfaces, key=lambda row: str(row.get("iface", "")))


def gather_details(client, nodes, gather, network_type):
    """Run every (node, part) call on a bounded pool.

    Returns (details, unreachable, refused, failures): details[(node, part)] = data; unreachable[node] = the
    first error that means the node cannot be reached (HTTP 595/596/..., or no answer within api_timeout,
    which is not retried); refused[(node, part)] = the HTTP 403 (a missing privilege); failures[node] =
    [PveError, ...]. Nothing is swallowed.
    """
    details, unreachable, refused, failures = {}, {}, {}, {}
    jobs = [(node, part) for node in nodes for part in gather]
    for (node, part), data, error in run_bounded(lambda job: fetch_part(client, job[0], job[1], network_type), jobs):
        if error is None:
            details[(node, part)] = data
        elif isinstance(error, NODE_UNREACHABLE):
            unreachable.setdefault(node, error)
        elif isinstance(error, PvePermissionError):
            refused[(node, part)] = error
        else:
            failures.setdefault(node, []).append(error)
    return details, unreachable, refused, failures


def check_refused(module, refused, details, asked_one):
    """Fail when PVE refused the one thing asked for (one node, one part), or when nothing but refusals and empty
    lists came back and the token may see nothing at all (one GET /cluster/resources says); else (warnings,
    `unavailable` entries)."""
    if not refused:
        return [], []
    first_node, first_part = min(refused)
    first = refused[(first_node, first_part)]
    if asked_one:
        module.fail_json(msg="node %s: %s" % (first_node, first), **first.to_result())
    if not any(details.values()):
        fail_if_nothing_visible(module, first)
    warnings = []
    for part in GATHER_CHOICES:
        nodes = sorted(node for node, refused_part in refused if refused_part == part)
        if nodes:
            warnings.append("no %s for node%s %s: GET %s was refused (%s), so %s is left out for %s (listed in "
                            "unavailable). Grant Sys.Audit on /nodes/<node> (role PVEAuditor on / or on the node) to "
                            "have it" % (part, "s" if len(nodes) > 1 else "", ", ".join(nodes), PART_PATHS[part],
                                         refusal(refused[(nodes[0], part)]), PART_KEYS[part],
                                         "them" if len(nodes) > 1 else "it"))
    entries = [unavailable_entry(part, refused[(node, part)], node) for node, part in sorted(refused)]
    return warnings, entries


def network_type_refused(failures, network_type):
    """PveOptionError if nodes refused a network_type newer than their PVE (HTTP 400 on `type`), else None."""
    since = NETWORK_TYPE_SINCE.get(network_type)
    refused = dict((name, err) for name, errors in failures.items() for err in errors
                   if since and isinstance(err, PveBadRequestError) and "type" in err.errors)
    if not refused:
        return None
    first = refused[sorted(refused)[0]]
    many = len(refused) > 1
    return PveOptionError("network_type", "%s needs PVE %s or later; node%s %s run%s an older PVE that refused it "
                          "(HTTP 400, type: %s). Use a type it lists or leave network_type out"
                          % (network_type, since, "s" if many else "", ", ".join(sorted(refused)), "" if many else "s",
                             first.errors["type"]))


def select_nodes(rows, requested):
    """The /nodes rows the user asked for (all by default); PveOptionError naming the nodes that exist."""
    by_name = {}
    for row in rows if isinstance(rows, list) else []:
        if isinstance(row, dict) and isinstance(row.get("node"), str):
            by_name.setdefault(row["node"], row)
    if requested:
        missing = [name for name in requested if name not in by_name]
        if missing:
            raise PveOptionError("node", unknown_message(missing, by_name))
        names = requested
    else:
        names = list(by_name)
    return [normalize_node(by_name[name]) for name in sorted(names)]


def main():
    module = PveModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    gather = unique(module.params["gather"])
    requested = unique(module.params["node"])
    network_type = module.params["network_type"]
    with module.errors():
        for name in requested:
            validate_node(name, "node")
        if network_type and "network" not in gather:
            raise PveOptionError("network_type", "only applies when gather includes network (gather: [%s])"
                                 % ", ".join(gather))

    with module.errors("Listing the nodes"):
        rows = expect(module.client.get("/nodes"), list, "GET /nodes")
    with module.errors():
        nodes = select_nodes(rows, requested)

    warnings = []
    online = [row["node"] for row in nodes if row["online"]]
    for row in nodes:
        if not row["online"]:
            warnings.append("node %s is %s (as PVE reports in GET /nodes): listed with online: false%s"
                            % (row["node"], row.get("status") or "unknown", " and no details" if gather else ""))

    details, unreachable, refused, failures = gather_details(module.client, online, gather, network_type)
    too_new = network_type_refused(failures, network_type)
    if too_new is not None:
        module.fail_json(msg=str(too_new), failed_nodes=sorted(failures), status=400)
    if failures:
        errors = [(name, err) for name in sorted(failures) for err in failures[name]]
        module.fail_json(msg="; ".join("node %s: %s" % (name, err) for name, err in errors),
                         failed_nodes=sorted(failures), **errors[0][1].to_result())

    refused_warnings, unavailable = check_refused(module, refused, details,
                                                  len(requested) == 1 and len(gather) == 1)
    warnings.extend(refused_warnings)
    for row in nodes:
        name = row["node"]
        if name in unreachable:
            row["online"] = False
            warnings.append("node %s did not answer (%s): listed with online: false and no details"
                            % (name, unreachable[name]))
            continue
        if not row["online"]:
            continue
        for part in gather:
            if (name, part) in details:
                row[PART_KEYS[part]] = details[(name, part)]

    for warning in warnings:
        module.warn(warning)
    module.exit_json(changed=False, nodes=nodes, unavailable=unavailable)


if __name__ == "__main__":
    main()
