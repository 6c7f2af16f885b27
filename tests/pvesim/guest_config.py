"""GET /nodes/{node}/qemu/{vmid}/config and /nodes/{node}/lxc/{vmid}/config, as PVE answers them.

Read from qemu-server `src/PVE/API2/Qemu.pm` (vm_config; master e6352be6 = 9.2.6, stable-bookworm 5ccd363e =
8.4.10, stable-7 a103a327 = 7.4-7: the same handler in all three), pve-container `src/PVE/API2/LXC/Config.pm`
(vm_config; master 94f55852, stable-bookworm, stable-7: the same) and pve-guest-common `AbstractConfig.pm`
load_current_config:
- without `current` the pending changes are applied (each pending key replaces the current one, and the keys
  of the pending `delete` list are removed); `current=1` gives the configuration as it runs; `snapshots` and
  `pending` are never in the answer; the `snapshot` parameter is not simulated (no test reads a snapshot);
- `digest` is the SHA-1 of the config file (pending section included);
- qemu: cloud-init keys (`ipconfigN`, `ciuser`, the cloudinit drive; `cipassword`, which PVE masks, is not simulated)
  only when set; `memory` is a property string (a JSON string) from qemu-server 8.0.8 (7f8c8087, "add memory
  parser"), an integer before (PVE 7);
- property strings as PVE prints them (pve-common print_property_string): the default key first (qemu
  `net0: virtio=<MAC>`, lxc `net0: name=eth0`), then the other keys sorted; `ipconfigN` is stored as written
  (the GUI writes `ip=...,gw=...`).

Scenario keys of a guest: `config` (raw keys added to, or replacing, the generated ones)
and `pending` (raw pending keys, `delete: "key1,key2"`).
"""
from __future__ import annotations

import hashlib
import ipaddress

GIB = 1024 ** 3
MIB = 1024 ** 2


def _uuid(seed):
    digest = hashlib.md5(str(seed).encode()).hexdigest()  # nosec - not security relevant
    return "%s-%s-%s-%s-%s" % (digest[:8], digest[8:12], digest[12:16], digest[16:20], digest[20:32])


def _addresses(guest):
    v4 = next((ipaddress.ip_interface(a) for a in guest.ips if ipaddress.ip_interface(a).version == 4), None)
    v6 = next((ipaddress.ip_interface(a) for a in guest.ips if ipaddress.ip_interface(a).version == 6), None)
    return v4, v6


def _gateway(interface):
    return str(next(interface.network.hosts()))


def _qemu(guest, profile, mac):
    size_gib = max(1, guest.maxdisk // GIB) if guest.maxdisk else 32
    memory = guest.maxmem // MIB if guest.maxmem else 2048
    conf = {"boot": "order=scsi0;net0", "cores": guest.maxcpu or 2,
            "memory": str(memory) if profile["qemu_memory_string"] else memory,
            "meta": "creation-qemu=%s,ctime=1735689600" % profile["qemu_version"],
            "name": guest.name, "net0": "virtio=%s,bridge=vmbr0,firewall=1" % mac.upper(),
            "numa": 0, "ostype": "l26", "scsi0": "local-lvm:vm-%d-disk-0,iothread=1,size=%dG" % (guest.vmid, size_gib),
            "scsihw": "virtio-scsi-single", "smbios1": "uuid=%s" % _uuid(guest.vmid), "sockets": 1,
            "vmgenid": _uuid(guest.vmid + 1)}
    if profile["qemu_default_cpu"]:
        conf["cpu"] = profile["qemu_default_cpu"]
    if guest.agent:
        conf["agent"] = "1"
    v4, v6 = _addresses(guest)
    if v4 or v6:  # a cloud-init guest: its drive and ipconfig0, as the GUI writes them
        parts = []
        if v4:
            parts += ["ip=%s" % v4, "gw=%s" % _gateway(v4)]
        if v6:
            parts.append("ip6=%s" % v6)
        conf["ipconfig0"] = ",".join(parts)
        conf["ide2"] = "local-lvm:vm-%d-cloudinit,media=cdrom" % guest.vmid
    return conf


def _lxc(guest, mac):
    size_gib = max(1, guest.maxdisk // GIB) if guest.maxdisk else 8
    v4, v6 = _addresses(guest)
    net = {"bridge": "vmbr0", "firewall": "1", "hwaddr": mac.upper(), "ip": str(v4) if v4 else "dhcp", "type": "veth"}
    if v4:
        net["gw"] = _gateway(v4)
    if v6:
        net["ip6"] = str(v6)
    return {"arch": "amd64", "cores": guest.maxcpu or 1, "hostname": guest.name,
            "memory": guest.maxmem // MIB if guest.maxmem else 512,
            "net0": "name=eth0," + ",".join("%s=%s" % (k, net[k]) for k in sorted(net)),
            "ostype": "debian", "rootfs": "local-lvm:subvol-%d-disk-0,size=%dG" % (guest.vmid, size_gib),
            "swap": 512, "unprivileged": 1}


def stored(guest, profile, mac):
    """(current config, pending section) of a guest, as its config file holds them."""
    conf = _qemu(guest, profile, mac) if guest.type == "qemu" else _lxc(guest, mac)
    if guest.tags:
        conf["tags"] = ";".join(guest.tags)
    if guest.template:
        conf["template"] = 1
    if guest.lock:
        conf["lock"] = guest.lock
    conf.update(guest.config or {})
    return conf, dict(guest.pending or {})


def _file_text(conf, pending):
    lines = ["%s: %s" % (key, conf[key]) for key in sorted(conf)]
    if pending:
        lines.append("[PENDING]")
        lines += ["%s: %s" % (key, pending[key]) for key in sorted(pending)]
    return "\n".join(lines) + "\n"


def answer(guest, profile, mac, current=0):
    """The `data` of GET .../config."""
    conf, pending = stored(guest, profile, mac)
    digest = hashlib.sha1(_file_text(conf, pending).encode()).hexdigest()  # nosec - PVE's digest is SHA-1
    if not current:
        for key, value in pending.items():
            if key != "delete":
                conf[key] = value
        for key in str(pending.get("delete") or "").split(","):
            key = key.strip().lstrip("!")  # "!key": a forced delete
            if key:
                conf.pop(key, None)
    conf["digest"] = digest
    return conf
