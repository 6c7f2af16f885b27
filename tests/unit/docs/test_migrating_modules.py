# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""docs/migrating-modules-from-community-proxmox.md: its pve.cluster tasks, as printed, in one play run by
ansible-playbook against the simulator's demo cluster (connection from the PVE_* variables), and what they
register is what the page says they stand for."""

from __future__ import annotations

import json
import re

import yaml

from pvesim import Simulator

from ansible_collections.pve.cluster.tests.unit.playbooks._playbook import COLLECTION, ansible_playbook, user_env

PAGE = COLLECTION / "docs" / "migrating-modules-from-community-proxmox.md"
REGISTERED = ("guests", "proxmox_vms", "qemu_on_pve1", "vm_100", "named_web01", "failed_on_pve1", "one_task", "nodes",
              "bridges", "status")


def page_tasks():
    blocks = re.findall(r"```yaml\n(.*?)```", PAGE.read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) == 3
    tasks = [task for block in blocks for task in yaml.safe_load(block)]
    assert all(isinstance(task, dict) and "name" in task for task in tasks)
    return tasks


def test_the_page_tasks_run_and_stand_for_the_old_modules(tmp_path):
    dump = tmp_path / "registered.json"
    play = [{"name": "The migration page's tasks", "hosts": "localhost", "connection": "local", "gather_facts": False,
             "vars": {"ansible_python_interpreter": "{{ ansible_playbook_python }}"},
             "tasks": page_tasks() + [{"name": "Keep what the tasks registered", "ansible.builtin.copy": {
                 "dest": str(dump), "mode": "0600",
                 "content": "{{ {%s} | to_json }}" % ", ".join("'%s': %s" % (name, name) for name in REGISTERED)}}]}]
    (tmp_path / "play.yml").write_text(yaml.safe_dump(play, sort_keys=False))
    with Simulator(scenario="demo") as sim:
        ansible_playbook(tmp_path, tmp_path / "play.yml", env=user_env(tmp_path, sim))
        scenario = sim.scenario
    got = json.loads(dump.read_text())

    # proxmox_vm_info: every guest (templates too), and the narrowing of node/type, vmid, name
    assert sorted(g["vmid"] for g in got["proxmox_vms"]) == sorted(g.vmid for g in scenario.guests)
    assert got["qemu_on_pve1"] and all(g["node"] == "pve1" and g["type"] == "qemu" for g in got["qemu_on_pve1"])
    assert [g["vmid"] for g in got["vm_100"]] == [100]
    assert [g["name"] for g in got["named_web01"]] == ["web01"]
    assert all(isinstance(g["tags"], list) for g in got["proxmox_vms"] if "tags" in g)

    # proxmox_tasks_info: one node's failed tasks, then one task by UPID with its log
    failed = got["failed_on_pve1"]["tasks"]
    assert failed and all(t["node"] == "pve1" and t["outcome"] == "error" for t in failed)
    assert got["one_task"]["tasks"][0]["upid"] == failed[0]["upid"]
    assert isinstance(got["one_task"]["tasks"][0]["log"], list)

    # proxmox_node_info / proxmox_node_network_info / proxmox_cluster_status_info
    nodes = got["nodes"]["nodes"]
    assert sorted(n["node"] for n in nodes) == sorted(n.name for n in scenario.nodes)
    for node in nodes:
        assert ("pveversion" in node.get("node_status", {}) and "network" in node) == node["online"], node
    [pve1] = got["bridges"]["nodes"]
    assert pve1["network"] and all(iface["type"] == "bridge" for iface in pve1["network"])
    assert got["status"]["cluster"]["name"] == "demo"
    assert len(got["status"]["cluster_nodes"]) == len(scenario.nodes)
