"""Deterministic generator of large clusters (same arguments -> same Scenario bytes)."""
from __future__ import annotations

import random

from .scenario import Guest, Node, Scenario

TAGS = ("prod", "dev", "test", "web", "db", "cache", "backup-daily", "linux", "windows", "k8s")
POOLS = ("prod", "prod/web", "prod/db", "dev", "test")
GUEST_TASKS = ("vzdump", "qmstart", "qmstop", "qmshutdown", "qmsnapshot", "qmigrate", "vzstart", "vzstop", "qmclone")
NODE_TASKS = ("aptupdate", "srvreload", "startall", "stopall")
ERRORS = ("unexpected status", "command 'ifreload -a' failed: exit code 1", "job errors",
          "VM 100 qmp command 'query-proxmox-support' failed - got timeout",
          "can't lock file '/var/lock/qemu-server/lock-100.conf' - got timeout")


def generate(nodes=50, guests=10000, tasks=100000, seed=1, running_ratio=0.7,  # pylint: disable=too-many-locals
             lxc_ratio=0.3, cluster="gen", now=None, running_tasks=5):
    """Build a Scenario. Task times are relative to the server's start (or to `now` if given)."""
    rng = random.Random(seed)
    width = max(2, len(str(nodes)))
    node_list = []
    for index in range(nodes):
        name = "pve%0*d" % (width, index + 1)
        node_list.append(Node(name=name, ip="10.%d.%d.%d" % (100 + index // 62500, (index // 250) % 250, 11 + index % 240),
                              online=True, nodeid=index + 1 if cluster else 0,
                              maxcpu=rng.choice((16, 32, 64, 128)), maxmem=rng.choice((128, 256, 512)) * 1024 ** 3,
                              maxdisk=rng.choice((100, 200, 500)) * 1024 ** 3))
    guest_list = []
    for index in range(guests):
        vmid = 100 + index
        gtype = "lxc" if rng.random() < lxc_ratio else "qemu"
        template = gtype == "qemu" and rng.random() < 0.02
        status = "running" if not template and rng.random() < running_ratio else "stopped"
        ntags = rng.choice((0, 0, 1, 1, 2, 3))
        tags = sorted(set(rng.choice(TAGS) for _pick in range(ntags)))
        pool = rng.choice(POOLS) if rng.random() < 0.3 else None
        agent = gtype == "qemu" and rng.random() < 0.8
        ips = ["10.%d.%d.%d/16" % (1 + (index >> 16) % 250, (index >> 8) & 255, 1 + (index & 255) % 254)]
        if rng.random() < 0.2:
            ips.append("192.168.%d.%d/24" % ((index >> 8) & 255, 1 + index % 254))
        guest_list.append(Guest(
            vmid=vmid, name="%s-%05d" % ("ct" if gtype == "lxc" else "vm", vmid), node=node_list[index % nodes].name,
            type=gtype, status=status, tags=tags, pool=pool, template=template,
            hastate="started" if status == "running" and rng.random() < 0.1 else None,
            lock="backup" if rng.random() < 0.01 else None, agent=agent, ips=ips))
    online = [n.name for n in node_list]
    task_list = []
    for index in range(tasks):
        age = index * 30 + rng.randint(0, 29)
        node = online[rng.randrange(len(online))]
        if guests and rng.random() < 0.8:
            ttype, tid = rng.choice(GUEST_TASKS), str(100 + rng.randrange(guests))
        else:
            ttype, tid = rng.choice(NODE_TASKS), ""
        roll = rng.random()
        if index < running_tasks:
            status, duration = None, None
        else:
            duration = rng.randint(1, 900)
            status = "OK" if roll < 0.9 else ("WARNINGS: %d" % rng.randint(1, 5) if roll < 0.94 else rng.choice(ERRORS))
        token = "ansible" if rng.random() < 0.2 else None
        task_list.append((node, age, duration, ttype, tid, "root@pam", token, status, 1000 + rng.randrange(4000000),
                          1000000 + rng.randrange(90000000), None))
    return Scenario(name="generated", cluster=cluster, config_version=nodes, now=now, nodes=node_list,
                    guests=guest_list, pools=[{"poolid": p} for p in POOLS], tasks=task_list)
