"""PVE version profiles: what differs between the PVE releases the collection supports, as one table.

A profile is a dict of differences; the routes and answers read it instead of having one copy per
version. The sources of every entry are listed in tests/pvesim/README.md ("Version profiles").
"""
from __future__ import annotations

# GET /nodes/{node}/network?type=: the values each release accepts (pve-manager PVE/API2/Network.pm)
_TYPES_7 = ("bridge", "bond", "eth", "alias", "vlan", "OVSBridge", "OVSBond", "OVSPort", "OVSIntPort", "any_bridge")
_TYPES_8 = _TYPES_7 + ("any_local_bridge", "vnet")
_TYPES_9 = _TYPES_8 + ("fabric", "include_sdn")

_BASE = {
    # GET /version and the node's pveversion
    "version": {"release": "9.1", "version": "9.1.2", "repoid": "9d436f37a0ac4172"},
    "pveversion": "pve-manager/9.1.2/9d436f37a0ac4172",
    "kernel": "6.17.4-1-pve",
    "kernel_build": "#1 SMP PREEMPT_DYNAMIC PMX 6.17.4-1 (2025-12-03T15:42Z)",
    # /nodes/{node}/status keys this release does not send ("memory.available" = a nested key)
    "node_status_absent": (),
    # /cluster/resources: qemu rows carry memhost (pve-vm-9.0 RRD format only)
    "memhost": True,
    # SDN rows: "sdn" (sdn/<node>/<zone>) or "network" (network/<node>/zone/<zone>, pve-manager >= 9.0.12)
    "sdn_rows": "network",
    # GET /nodes/{node}/lxc/{vmid}/interfaces: None (501, no such endpoint), "inet" ({name, hwaddr, inet, inet6}),
    # "both" (inet/inet6 plus hardware-address and ip-addresses, pve-container >= 5.2.6)
    "lxc_interfaces": "both",
    # /nodes/{node}/lxc rows: vmid as a string before pve-container 81aa4bd (PVE 8.2)
    "lxc_list_vmid_str": False,
    "network_types": _TYPES_9,
    # error bodies carry "message" only from pve-http-server 5.2.0 (9a2112e)
    "error_message": True,
    # task log limit=0: the whole log from pve-common 7.3-1 (f0c1b0c); before it an empty list
    "log_limit0_whole": True,
    # guest config (qemu-server): memory a property string (JSON string) from 8.0.8 (7f8c8087), an integer before;
    # the QEMU version in meta: creation-qemu=; the GUI's default CPU type, written to the config (none on PVE 7)
    "qemu_memory_string": True,
    "qemu_version": "10.1.2",
    "qemu_default_cpu": "x86-64-v2-AES",
    # pveproxy waits this long for a node it cannot reach before it answers 595 (AnyEvent.pm proxy_request)
    "proxy_timeout": 30,
}

PROFILES = {
    "pve9": dict(_BASE),
    "pve8": dict(_BASE, version={"release": "8.4", "version": "8.4.14", "repoid": "b502d23c55afcba1"},
                 pveversion="pve-manager/8.4.14/b502d23c55afcba1", kernel="6.8.12-15-pve",
                 kernel_build="#1 SMP PREEMPT_DYNAMIC PMX 6.8.12-15 (2025-09-12T11:02Z)",
                 node_status_absent=("memory.available",), memhost=False, sdn_rows="sdn",
                 network_types=_TYPES_8, qemu_version="9.2.0"),
    # PVE 8.1-8.3: the first form of the container interfaces endpoint, no vnet type before 8.3.2,
    # error text only in the reason phrase (pve-http-server 5.1.x)
    "pve8.1": dict(_BASE, version={"release": "8.1", "version": "8.1.4", "repoid": "ec5affc9e41f1d79"},
                   pveversion="pve-manager/8.1.4/ec5affc9e41f1d79", kernel="6.5.11-8-pve",
                   kernel_build="#1 SMP PREEMPT_DYNAMIC PMX 6.5.11-8 (2024-01-30T12:27Z)",
                   node_status_absent=("memory.available",), memhost=False, sdn_rows="sdn", lxc_interfaces="inet",
                   lxc_list_vmid_str=True, network_types=_TYPES_7 + ("any_local_bridge",), error_message=False,
                   qemu_version="8.1.5"),
    "pve7": dict(_BASE, version={"release": "7.4", "version": "7.4-16", "repoid": "0f39f621"},
                 pveversion="pve-manager/7.4-16/0f39f621", kernel="5.15.108-1-pve",
                 kernel_build="#1 SMP PVE 5.15.108-1 (2023-06-17T09:41Z)",
                 node_status_absent=("memory.available", "current-kernel", "boot-info"), memhost=False,
                 sdn_rows="sdn", lxc_interfaces=None, lxc_list_vmid_str=True, network_types=_TYPES_7,
                 error_message=False, qemu_memory_string=False, qemu_version="7.2.0", qemu_default_cpu=None),
}
DEFAULT = "pve9"
# pmxcfs drops RRD entries older than this (pve-cluster src/pmxcfs/status.c, rrd_entry_is_old)
RRD_WINDOW = 300


def get_profile(name, overrides=None):
    """The profile table for `name` (pve7, pve8, pve8.1, pve9), with optional per-scenario overrides."""
    name = name or DEFAULT
    if name not in PROFILES:
        raise ValueError("unknown PVE profile %r (one of %s)" % (name, ", ".join(sorted(PROFILES))))
    profile = dict(PROFILES[name], name=name)
    for key, value in (overrides or {}).items():
        if key not in profile:
            raise ValueError("unknown profile key %r" % key)
        profile[key] = value
    return profile
