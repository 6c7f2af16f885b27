# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""pve.cluster.pve_escape, and the role failure messages that use it (issue 29 point 12): names from a hostile server
(guest, node and cluster names, versions with ANSI escapes) reach the vmid_allocate and cluster_facts failure
messages with their control characters written as \\xNN. The roles run in ansible-playbook against a server on
127.0.0.1."""

from __future__ import annotations

import json
import sys

import pytest
import yaml

from ansible_collections.pve.cluster.plugins.filter.pve_escape import DOCUMENTATION, EXAMPLES, FilterModule, pve_escape
from ansible_collections.pve.cluster.tests.unit.playbooks._playbook import ansible_playbook
from ansible_collections.pve.cluster.tests.unit.plugins._hostile_server import Hostile, envelope

ESC = "\x1b"
EVIL_GUEST = "web" + ESC + "[2J" + ESC + "]0;pwned\x07"
EVIL_CLUSTER = "lab" + ESC + "[31m"
EVIL_NODE = "pve2" + ESC + "[1A"
EVIL_VERSION = "7.0" + ESC + "[8m"


def test_control_characters_become_visible_escapes():
    assert pve_escape(EVIL_GUEST) == "web\\x1b[2J\\x1b]0;pwned\\x07"
    assert pve_escape(["a\nb", "c\x9bd"]) == "a\\x0ab, c\\x9bd"
    assert pve_escape(None) == "" and pve_escape(42) == "42"
    assert FilterModule().filters() == {"pve_escape": pve_escape}
    assert yaml.safe_load(DOCUMENTATION)["name"] == "pve_escape"


# Just enough PVE for the two roles, with escapes in every name a failure message shows.
ANSWERS = {
    "/version": {"version": EVIL_VERSION, "release": "7.0", "repoid": "abc"},
    "/cluster/resources": [{"id": "qemu/100", "type": "qemu", "vmid": 100, "name": EVIL_GUEST, "node": EVIL_NODE,
                            "status": "running"}],
    "/cluster/status": [{"type": "cluster", "id": "cluster", "name": EVIL_CLUSTER, "quorate": 0, "nodes": 2, "version": 2},
                        {"type": "node", "id": "node/pve1", "name": "pve1", "nodeid": 1, "online": 1, "local": 1,
                         "ip": "10.0.0.1"},
                        {"type": "node", "id": "node/x", "name": EVIL_NODE, "nodeid": 2, "online": 0, "local": 0,
                         "ip": "10.0.0.2"}],
    "/nodes": [{"node": "pve1", "status": "online", "type": "node", "id": "node/pve1", "maxcpu": 4, "uptime": 5},
               {"node": EVIL_NODE, "status": "offline", "type": "node", "id": "node/x"}],
    "/nodes/pve1/status": {"uptime": 5, "pveversion": "pve-manager/7.0-11/63d82f4e", "cpu": 0.1},
    "/cluster/nextid": envelope({"data": None, "errors": {"vmid": "VM 100 already exists"}}, status=400),
}


def role_messages(tmp_path):
    """The failure messages of vmid_allocate and of cluster_facts' three assertions against ANSWERS, in one
    play (each role call in a block whose rescue keeps the message); cluster_facts reads the API once, its
    assertions then run from that fact. The play also runs pve_escape's EXAMPLES as printed."""
    role_calls = [("vmid_allocate", "main", {"vmid_allocate_requested": 100}),
                  ("cluster_facts", "main", {"cluster_facts_assert_quorate": True}),
                  ("cluster_facts", "assertions", {"cluster_facts_assert_all_online": True}),
                  ("cluster_facts", "assertions", {"cluster_facts_min_version": "8.2"})]
    out = tmp_path / "messages.json"
    tasks = [{"block": [{"ansible.builtin.include_role": {"name": "pve.cluster." + role, "tasks_from": tasks_from},
                         "vars": role_vars}],
              "rescue": [{"ansible.builtin.set_fact": {"messages": "{{ messages + [ansible_failed_result.msg] }}"}}]}
             for role, tasks_from, role_vars in role_calls]
    tasks += [{"ansible.builtin.copy": {"content": "{{ messages | to_json }}", "dest": str(out)}}]
    tasks += yaml.safe_load(EXAMPLES) + [{"ansible.builtin.copy": {
        "content": "{{ guest_name | pve.cluster.pve_escape }}", "dest": str(tmp_path / "out.txt")},
        "vars": {"guest_name": "web\x1b[2J01"}}]
    with Hostile() as server:
        for path, answer in ANSWERS.items():
            server.route(path, answer)
        play = [{"hosts": "localhost", "gather_facts": False, "connection": "local",
                 "vars": {"ansible_python_interpreter": sys.executable, "messages": []},
                 "module_defaults": {"group/pve.cluster.pve": server.params()}, "tasks": tasks}]
        (tmp_path / "play.yml").write_text(yaml.safe_dump(play))
        proc = ansible_playbook(tmp_path, tmp_path / "play.yml")
    assert ESC not in proc.stdout + proc.stderr  # the raw escape reaches no terminal
    assert "guest web\\\\x1b[2J01" in proc.stdout, proc.stdout[-2000:]     # the filter's example, as printed
    assert (tmp_path / "out.txt").read_text() == "web\\x1b[2J01"
    return json.loads(out.read_text())


@pytest.mark.reliability(
    theme="hostile round two", case='12 escapes in role failure messages',
    expected='vmid_allocate (guest and node names) and cluster_facts (cluster name, offline nodes, versions) '
             'fail with \\xNN, no raw escape in the ansible-playbook output.')
def test_role_failure_messages_write_escapes_as_xnn(tmp_path):
    messages = role_messages(tmp_path)
    vmid, quorate, online, version = messages
    assert "VMID 100 (vmid_allocate_requested) is already in use by qemu 'web\\x1b[2J\\x1b]0;pwned\\x07' on node " \
           "pve2\\x1b[1A" in vmid, vmid
    assert "PVE cluster 'lab\\x1b[31m' is not quorate" in quorate and "offline: pve2\\x1b[1A" in quorate, quorate
    assert "PVE node offline:" in online and "pve2\\x1b[1A" in online, online
    assert "API (GET /version) 7.0\\x1b[8m" in version, version
    for message in messages:
        assert ESC not in message and "\x07" not in message, message
