#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pve_cluster_info
short_description: Read Proxmox VE cluster status and resources
version_added: 0.1.0
description:
  - Reads the cluster status (C(GET /cluster/status)) and the cluster-wide resource list (C(GET /cluster/resources)),
    which holds the guests, nodes, storages, pools and SDN zones, with one call each.
  - Only the parts named in O(gather) are requested, one request per part.
author:
  - pve.cluster maintainers (@pve-cluster)
extends_documentation_fragment:
  - pve.cluster.connection
  - pve.cluster.attributes
options:
  resource_type:
    description:
      - Only list resources of this type (PVE's C(type) filter of C(GET /cluster/resources)).
      - V(vm) lists qemu VMs and lxc containers. Default is every type, including pools.
      - V(sdn) lists the SDN state on every PVE version. Up to pve-manager 9.0.11 PVE reports it as C(type=sdn) rows
        (C(sdn/<node>/<zone>)); from 9.0.12 (PVE 9.1) nodes report C(type=network) rows instead
        (C(network/<node>/zone/<zone>), and C(network/<node>/fabric/<fabric>) for fabrics), which PVE's C(type) filter
        does not know. So for V(sdn) the module asks C(GET /cluster/resources) without the filter and keeps the rows of
        type C(sdn) and C(network) (one request either way; a cluster in the middle of an upgrade may send both).
      - Only valid together with O(gather=resources).
    type: str
    choices: [vm, storage, node, sdn]
  gather:
    description:
      - Which parts to read. V(status) returns RV(cluster) and RV(cluster_nodes), V(resources) returns RV(resources).
      - The keys of a part that is not gathered are left out of the result.
    type: list
    elements: str
    choices: [status, resources]
    default: [status, resources]
notes:
  - "Privileges: V(status) (C(GET /cluster/status)) needs C(Sys.Audit) on C(/) (role C(PVEAuditor) on C(/);
    pve-manager C(PVE/API2/Cluster.pm)). V(resources) (C(GET /cluster/resources)) is open to every user and token
    but lists only what it may see: guests with C(VM.Audit) on C(/vms/<vmid>) (a pool's ACL counts for its
    members), pools with C(Pool.Audit), storage with C(Datastore.Audit), SDN with C(SDN.Audit), and every node,
    its figures only with C(Sys.Audit) on C(/nodes/<node>)."
  - "A token or user without C(Sys.Audit) on C(/) (such as C(PVEAuditor) on a pool only): when V(resources) is
    gathered too, the refused V(status) leaves RV(cluster) and RV(cluster_nodes) out, with one warning quoting
    PVE's text and an entry in RV(unavailable); with O(gather=[status]) alone the module fails with PVE's text (and
    the same entry in RV(unavailable)).
    A token or user that may see nothing at all (no guest, pool or storage row and no node figures) fails with one
    error naming the roles to grant."
"""

EXAMPLES = r"""
- name: Cluster status and every resource
  pve.cluster.pve_cluster_info:
    api_host: pve1.example.com
    api_token_id: ansible@pve!audit
    api_token_secret: "{{ vault_pve_token_secret }}"
  register: pve

- name: Say whether the cluster is quorate
  ansible.builtin.debug:
    msg: >-
      {{ 'standalone node' if pve.cluster is none else
         pve.cluster.name ~ ' quorate: ' ~ pve.cluster.quorate }}

- name: Names of the running guests
  ansible.builtin.debug:
    msg: "{{ pve.resources | selectattr('type', 'in', ['qemu', 'lxc']) | selectattr('status', 'eq', 'running') | map(attribute='name') | list }}"

- name: Only the guests, nothing else
  pve.cluster.pve_cluster_info:
    api_host: pve1.example.com
    api_token_id: ansible@pve!audit
    api_token_secret: "{{ vault_pve_token_secret }}"
    gather: [resources]
    resource_type: vm
  register: pve_guests

- name: SDN zones on any PVE version (type sdn up to 9.0, type network from 9.1)
  pve.cluster.pve_cluster_info:
    api_host: pve1.example.com
    api_token_id: ansible@pve!audit
    api_token_secret: "{{ vault_pve_token_secret }}"
    gather: [resources]
    resource_type: sdn
  register: pve_sdn

- name: Zone names, whichever form PVE sent
  ansible.builtin.debug:
    msg: >-
      {{ (pve_sdn.resources | selectattr('type', 'eq', 'sdn') | map(attribute='sdn') | list)
         + (pve_sdn.resources | selectattr('type', 'eq', 'network') | selectattr('network_type', 'eq', 'zone')
            | map(attribute='network') | list) | unique }}

- name: Fail unless the cluster has quorum
  ansible.builtin.assert:
    that: pve.cluster is none or pve.cluster.quorate
    fail_msg: "cluster {{ pve.cluster.name }} has no quorum"

- name: Names of the cluster nodes that are offline
  ansible.builtin.debug:
    msg: "{{ pve.cluster_nodes | rejectattr('online') | map(attribute='name') | list }}"
"""

RETURN = r"""
unavailable:
  description:
    - The parts PVE refused for lack of a privilege (HTTP 403), left out of the result; empty when nothing was refused.
  returned: always
  type: list
  elements: dict
  sample: [{"part": "status", "path": "/cluster/status", "message": "Permission check failed (/, Sys.Audit)"}]
  contains:
    part:
      description: The part of O(gather) that was refused.
      type: str
    path:
      description: The API path PVE refused.
      type: str
    message:
      description: PVE's text, which names the ACL path and the privilege it checked.
      type: str
cluster:
  description:
    - The cluster entry of C(GET /cluster/status).
    - V(null) on a standalone node (one that is not part of a cluster).
  returned: when O(gather) includes V(status) and PVE did not refuse it (see RV(unavailable))
  type: dict
  contains:
    name:
      description: The cluster name.
      returned: always
      type: str
      sample: devcluster
    quorate:
      description: Whether the cluster has quorum.
      returned: always
      type: bool
      sample: true
    nodes:
      description: Number of nodes in the cluster configuration.
      returned: always
      type: int
      sample: 3
    version:
      description: Version of the cluster configuration (C(corosync.conf) config_version).
      returned: always
      type: int
      sample: 3
cluster_nodes:
  description:
    - The node entries of C(GET /cluster/status), sorted by name. A standalone node lists itself, with C(nodeid) 0.
  returned: when O(gather) includes V(status) and PVE did not refuse it (see RV(unavailable))
  type: list
  elements: dict
  contains:
    name:
      description: The node name.
      returned: always
      type: str
      sample: pve1
    nodeid:
      description: The corosync node id (0 on a standalone node).
      returned: always
      type: int
      sample: 1
    ip:
      description: The node's cluster address (null when PVE does not send it).
      returned: always
      type: str
      sample: 192.168.1.21
    online:
      description: Whether the node is online.
      returned: always
      type: bool
      sample: true
    local:
      description: Whether this is the node that answered the API call.
      returned: always
      type: bool
      sample: false
    level:
      description: Subscription level (empty without a subscription).
      returned: always
      type: str
      sample: ""
resources:
  description:
    - The entries of C(GET /cluster/resources) in PVE's order, normalised (keys with C(_), C(template) and C(shared)
      as booleans, C(tags) as a list).
    - Which fields an entry has depends on its RV(resources[].type); fields PVE leaves out are left out.
  returned: when O(gather) includes V(resources)
  type: list
  elements: dict
  contains:
    id:
      description:
        - Resource id (C(qemu/100), C(lxc/101), C(node/pve1), C(storage/pve1/local), C(/pool/prod),
          C(sdn/pve1/localnetwork) up to PVE 9.0, C(network/pve1/zone/localnetwork) from PVE 9.1).
      returned: always
      type: str
      sample: qemu/100
    type:
      description:
        - Resource type (C(qemu), C(lxc), C(node), C(storage), C(pool), C(sdn) up to PVE 9.0, C(network) from PVE 9.1).
        - A type this module does not know (a newer PVE's) is passed through as PVE sends it, keys normalised.
      returned: always
      type: str
      sample: qemu
    node:
      description: The node the resource is on.
      returned: for guests, nodes, storages and SDN zones
      type: str
      sample: pve1
    status:
      description:
        - Status (C(running), C(stopped) for guests; C(online), C(offline) for nodes; C(available) for storages; C(ok)
          for SDN).
        - C(unknown) for a guest of a node that has been offline for more than 5 minutes; PVE then sends only its
          RV(resources[].id), RV(resources[].vmid), RV(resources[].node), RV(resources[].type), RV(resources[].status)
          (and tags, lock, pool, hastate if set), no name, template flag or figures, and none are made up here.
      returned: when PVE sends it
      type: str
      sample: running
    vmid:
      description: The guest id.
      returned: for guests
      type: int
      sample: 100
    name:
      description: The guest name.
      returned: for guests, except those of a node offline for more than 5 minutes
      type: str
      sample: web1
    template:
      description: Whether the guest is a template.
      returned: for guests, except those of a node offline for more than 5 minutes
      type: bool
      sample: false
    tags:
      description: The guest's tags.
      returned: for guests with tags
      type: list
      elements: str
      sample: [prod, web]
    pool:
      description: The pool of a guest, or the name of a pool entry.
      returned: for guests in a pool, and for pools
      type: str
      sample: prod
    hastate:
      description: HA state of a guest or node.
      returned: when HA manages it
      type: str
      sample: started
    lock:
      description: The guest's lock (C(backup), C(migrate), ...).
      returned: when the guest is locked
      type: str
      sample: backup
    cpu:
      description: CPU use, 0 to 1 of RV(resources[].maxcpu).
      returned: for guests and online nodes
      type: float
      sample: 0.0249
    maxcpu:
      description: Number of CPUs.
      returned: for guests and online nodes
      type: float
      sample: 4
    mem:
      description: Memory used, in bytes.
      returned: for guests and online nodes
      type: int
      sample: 842551296
    memhost:
      description: Memory the VM uses on the host, in bytes.
      returned: for qemu VMs, on newer PVE
      type: int
      sample: 842551296
    maxmem:
      description: Memory size, in bytes.
      returned: for guests and online nodes
      type: int
      sample: 1073741824
    disk:
      description: Disk used, in bytes (always 0 for qemu VMs).
      returned: for guests, online nodes and storages
      type: int
      sample: 0
    maxdisk:
      description: Disk size, in bytes.
      returned: for guests, online nodes and storages
      type: int
      sample: 34359738368
    uptime:
      description: Uptime, in seconds (0 when stopped).
      returned: for guests and online nodes
      type: int
      sample: 874350
    netin:
      description: Network bytes received.
      returned: for guests
      type: int
      sample: 2456116121
    netout:
      description: Network bytes sent.
      returned: for guests
      type: int
      sample: 545248946
    diskread:
      description: Bytes read from disk.
      returned: for guests
      type: int
      sample: 4510777856
    diskwrite:
      description: Bytes written to disk.
      returned: for guests
      type: int
      sample: 6059209728
    level:
      description: Subscription level of a node.
      returned: for nodes
      type: str
      sample: ""
    cgroup_mode:
      description: The node's cgroup version.
      returned: for nodes
      type: int
      sample: 2
    storage:
      description: The storage id.
      returned: for storages
      type: str
      sample: local-lvm
    plugintype:
      description: The storage backend (C(dir), C(lvmthin), C(zfspool), C(nfs), C(rbd), ...).
      returned: for storages
      type: str
      sample: lvmthin
    content:
      description: Content types of a storage, comma separated.
      returned: for storages
      type: str
      sample: images,rootdir
    shared:
      description: Whether the storage is shared between nodes.
      returned: for storages
      type: bool
      sample: false
    sdn:
      description: The SDN zone name.
      returned: for rows of type C(sdn) (PVE up to 9.0)
      type: str
      sample: localnetwork
    network:
      description: The name of the zone or fabric.
      returned: for rows of type C(network) (PVE 9.1 and later)
      type: str
      sample: localnetwork
    network_type:
      description: What the C(network) row describes, C(zone) or C(fabric) (PVE's C(network-type)).
      returned: for rows of type C(network)
      type: str
      sample: zone
    zone_type:
      description: The type of an SDN zone (C(simple), C(vlan), C(evpn), ...; PVE's C(zone-type)).
      returned: for SDN zones when PVE sends it (not for the default zone C(localnetwork))
      type: str
      sample: simple
"""

from ansible_collections.pve.cluster.plugins.module_utils._access import (
    fail_nothing_visible,
    refusal,
    sees_nothing,
    unavailable_entry,
)
from ansible_collections.pve.cluster.plugins.module_utils._errors import PveOptionError, PvePermissionError
from ansible_collections.pve.cluster.plugins.module_utils._module import PveModule
from ansible_collections.pve.cluster.plugins.module_utils._shape import expect
from ansible_collections.pve.cluster.plugins.module_utils._normalize import (
    normalize_cluster_status,
    normalize_resource,
)
from ansible_collections.pve.cluster.plugins.module_utils._options import unique

GATHER_CHOICES = ["status", "resources"]
RESOURCE_TYPES = ["vm", "storage", "node", "sdn"]
SDN_ROW_TYPES = ("sdn", "network")  # "network": pve-manager >= 9.0.12 (PVE/API2/Cluster.pm)
CLUSTER_KEYS = ("name", "quorate", "nodes", "version")
CLUSTER_NODE_KEYS = ("name", "nodeid", "ip", "online", "local", "level")

ARGUMENT_SPEC = {
    "resource_type": {"type": "str", "choices": RESOURCE_TYPES},
    "gather": {"type": "list", "elements": "str", "choices": GATHER_CHOICES, "default": list(GATHER_CHOICES)},
}


def split_status(rows):
    """GET /cluster/status rows -> (cluster dict or None, sorted list of node dicts)."""
    cluster = None
    nodes = []
    for row in rows if isinstance(rows, list) else []:
        if not isinstance(row, dict):
            continue
        row = normalize_cluster_status(row)
        if row.get("type") == "cluster" and cluster is None:
            cluster = dict((key, row.get(key)) for key in CLUSTER_KEYS)
        elif row.get("type") == "node":
            nodes.append(dict((key, row.get(key)) for key in CLUSTER_NODE_KEYS))
    return cluster, sorted(nodes, key=lambda node: str(node.get("name") or ""))


def main():
    module = PveModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    gather = unique(module.params["gather"])
    resource_type = module.params["resource_type"]
    with module.errors():
        if resource_type and "resources" not in gather:
            raise PveOptionError("resource_type", "only applies when gather includes resources (gather: [%s])"
                                 % ", ".join(gather))

    result = {"changed": False, "unavailable": []}
    refused = None
    if "status" in gather:
        context = "Reading the cluster status"
        with module.errors(context):
            try:
                rows = expect(module.client.get("/cluster/status"), list, "GET /cluster/status")
            except PvePermissionError as err:
                if gather == ["status"]:  # the one thing asked for: fail, listing it in unavailable as well
                    module.fail_json(msg="%s: %s" % (context, err),
                                     unavailable=[unavailable_entry("status", err)], **err.to_result())
                refused = err
        if refused is None:
            result["cluster"], result["cluster_nodes"] = split_status(rows)
        else:
            result["unavailable"].append(unavailable_entry("status", refused))
    if "resources" in gather:
        # PVE's type filter has no "network" (the SDN rows of 9.1+): for sdn, ask for everything and keep both kinds
        query_type = resource_type if resource_type != "sdn" else None
        with module.errors("Listing the cluster resources"):
            rows = expect(module.client.get("/cluster/resources", params={"type": query_type} if query_type else None),
                          list, "GET /cluster/resources")
        rows = [row for row in rows if isinstance(row, dict)]
        # a no-privilege token still sees every node's row (without figures); an answer without rows is no such sign
        if query_type is None and rows and sees_nothing(rows):
            fail_nothing_visible(module, refused)
        if resource_type == "sdn":
            rows = [row for row in rows if row.get("type") in SDN_ROW_TYPES]
        result["resources"] = [normalize_resource(row) for row in rows]
    if refused is not None:
        module.warn("no cluster status: GET /cluster/status was refused (%s), so cluster and cluster_nodes are left "
                    "out (listed in unavailable). Grant Sys.Audit on / (role PVEAuditor on /) for them, or gather only resources"
                    % refusal(refused))
    module.exit_json(**result)


if __name__ == "__main__":
    main()
