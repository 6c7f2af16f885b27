"""GET /nodes/{node}/<qemu|lxc>/{vmid}/config as PVE answers it (tests/pvesim/guest_config.py has the sources)."""
from __future__ import annotations

import re


def test_pending_applied_unless_current(client):
    merged = client.data("/nodes/pve2/qemu/119/config")
    current = client.data("/nodes/pve2/qemu/119/config", params={"current": 1})
    assert merged["ipconfig0"] == "ip=10.0.9.20/24,gw=10.0.9.1" and "tags" not in merged  # pending delete applied
    assert current["ipconfig0"] == "ip=10.0.9.19/24,gw=10.0.9.1" and current["tags"] == "staging"
    for conf in (merged, current):
        assert "pending" not in conf and "snapshots" not in conf and "delete" not in conf
    assert re.match(r"^[0-9a-f]{40}$", merged["digest"]) and merged["digest"] == current["digest"]


def test_cloud_init_keys_only_when_set(client):
    template = client.data("/nodes/pve1/qemu/9000/config")
    assert not [k for k in template if k.startswith(("ipconfig", "ci")) or k == "ide2"]
    web01 = client.data("/nodes/pve1/qemu/100/config")
    assert web01["ipconfig0"] == "ip=10.0.1.10/24,gw=10.0.1.1,ip6=fd00:1::10/64"
    assert web01["ide2"] == "local-lvm:vm-100-cloudinit,media=cdrom"
    assert client.data("/nodes/pve1/qemu/109/config")["ipconfig0"] == "ip=dhcp"


def test_property_strings_as_pve_prints_them(client):
    """The default key first (virtio=<MAC> / name=eth0), the others sorted (pve-common print_property_string)."""
    assert re.match(r"^virtio=BC:24:11:[0-9A-F:]{8},bridge=vmbr0,firewall=1$", client.data("/nodes/pve1/qemu/100/config")["net0"])
    net0 = client.data("/nodes/pve1/lxc/112/config")["net0"]  # a stopped container keeps its static address
    keys = [part.split("=", 1)[0] for part in net0.split(",")]
    assert keys[0] == "name" and keys[1:] == sorted(keys[1:])
    assert "ip=10.0.1.5/24" in net0.split(",")
    assert "ip=dhcp" in client.data("/nodes/pve2/lxc/123/config")["net0"].split(",")


def test_the_default_cpu_type_from_pve_8(pclient):
    """The GUI's default CPU type from PVE 8.0 (memory's type per version: test_contract_schema's DIFFERENCES)."""
    conf = pclient.data("/nodes/pve1/qemu/100/config")
    assert ("cpu" in conf) == (pclient.sim.profile["name"] != "pve7")
