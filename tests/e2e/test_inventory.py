# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""pve.cluster.pve end to end: ansible-inventory / ansible-playbook against the pvesim simulator.

Groups, --graph, password auth, compose/groups/keyed_groups, filters, the cache and bad files are
the integration target tests/integration/targets/inventory_pve; here: the exact output, fault and
templating injection, duplicate names, failures.

Golden output: tests/e2e/golden/inventory_demo.json (demo scenario, default options). After an
intended change, regenerate it with PVE_UPDATE_GOLDEN=1 and review the diff.
"""

from __future__ import annotations

import json
import os
import pathlib
import time

from pve_e2e import plain, run_inventory, run_playbook, sim_env
from pvesim import Simulator

GOLDEN = pathlib.Path(__file__).parent / "golden" / "inventory_demo.json"
EVIL = "{{ lookup('pipe', 'id') }}"
EVIL_TAG = "{{7*7}}"


def inventory_file(tmp_path, body="", name="demo.pve.yml"):
    path = tmp_path / name
    path.write_text("plugin: pve.cluster.pve\n" + body)
    return path


def listing(path, env, *args):
    """ansible-inventory --list as plain data.

    ansible-inventory writes strings marked unsafe as {"__ansible_unsafe": "..."}; they are unwrapped here
    (the marking itself is checked in test_api_strings_are_never_templated).
    """
    result = run_inventory(path, env, "--list", *args)
    assert result.returncode == 0, result.stderr
    assert "Failed to parse" not in result.stderr, result.stderr
    return plain(json.loads(result.stdout)), result.stderr


def normalise(data):
    """Drop per-run values (paths of the temporary inventory file); the simulator's stats are deterministic."""
    data.get("_meta", {}).pop("profile", None)  # ansible-core >= 2.19 names its output profile
    for variables in data.get("_meta", {}).get("hostvars", {}).values():
        variables.pop("inventory_file", None)
        variables.pop("inventory_dir", None)
    return data


def requests_made(sim):
    """The requests of a run: a login (if any) first, then the two reads, which are asked at the same
    time and so arrive in either order (sorted here)."""
    made = ["%s %s" % (entry["method"], entry["path"]) for entry in sim.requests]
    logins = [entry for entry in made if entry.startswith("POST ")]
    return logins + sorted(entry for entry in made if not entry.startswith("POST "))


def test_demo_list_matches_golden_with_two_requests(clean_sim, tmp_path):
    data, _stderr = listing(inventory_file(tmp_path), sim_env(clean_sim, "token", tmp_path))
    assert requests_made(clean_sim) == ["GET /cluster/resources", "GET /cluster/status"]
    data = normalise(data)
    if os.environ.get("PVE_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    assert data == json.loads(GOLDEN.read_text())


def test_cache_second_run_makes_no_request(clean_sim, tmp_path):
    env = sim_env(clean_sim, "password", tmp_path)
    path = inventory_file(tmp_path, "cache: true\ncache_plugin: ansible.builtin.jsonfile\ncache_connection: %s\n"
                                    "ansible_host: guest_agent\n" % (tmp_path / "cache"))
    first, _stderr = listing(path, env)
    assert clean_sim.request_count() > 3
    clean_sim.clear_requests()
    second, _stderr = listing(path, env)
    assert clean_sim.requests == []
    assert second == first
    # --flush-cache: ansible-inventory has it only since ansible-core 2.18, ansible-playbook everywhere
    play = "- hosts: pve_nodes\n  gather_facts: false\n  tasks: []\n"
    refresh = run_playbook(play, env, tmp_path, "-i", str(path), "--flush-cache")
    assert refresh.returncode == 0, refresh.stdout + refresh.stderr
    assert clean_sim.request_count(r"^/cluster/resources$") == 1
    assert clean_sim.request_count(r"^/access/ticket$") == 1
    clean_sim.clear_requests()
    third, _stderr = listing(path, env)
    assert clean_sim.requests == []
    assert third == first


def test_guest_agent_with_networks(clean_sim, tmp_path):
    clean_sim.add_fault(path=r"^/nodes/pve1/qemu/101/agent/", status=595)
    env = sim_env(clean_sim, "token", tmp_path)
    path = inventory_file(tmp_path, "ansible_host: guest_agent\nansible_host_networks: [192.168.10.0/24]\nmax_workers: 4\n")
    data, stderr = listing(path, env)
    hostvars = data["_meta"]["hostvars"]
    assert hostvars["monitor01"]["ansible_host"] == "192.168.10.20"   # inside the preferred network
    assert hostvars["monitor01"]["pve_ip_addresses"] == ["127.0.0.1", "::1", "10.0.5.20", "192.168.10.20"]
    assert hostvars["dns01"]["ansible_host"] == "192.168.10.2"        # lxc interfaces
    assert "ansible_host" not in hostvars["web01"]                    # nothing inside the networks: no address
    assert "HTTP 595" in hostvars["web02"]["pve_agent_error"] and "ansible_host" not in hostvars["web02"]
    assert "QEMU guest agent is not running" in hostvars["win-ad01"]["pve_agent_error"]
    assert "Unsupported" in hostvars["unsupported-agent"]["pve_agent_error"]
    assert "No QEMU guest agent configured" in hostvars["noagent01"]["pve_agent_error"]
    assert "no address from the guest agent for 4 running guest(s)" in " ".join(stderr.split())
    assert "Traceback" not in stderr
    # only running guests on reachable nodes were asked: none on offline pve3, none stopped
    agent_paths = [p for p in (e["path"] for e in clean_sim.requests) if p.startswith("/nodes/")]
    running = data["pve_running"]["hosts"]
    assert len(agent_paths) == len(running) == 23
    assert not [p for p in agent_paths if p.startswith("/nodes/pve3/")]


def test_api_strings_are_never_templated(tmp_path):
    scenario = {"cluster": "evil", "nodes": [{"name": "pve1", "ip": "127.0.0.1"}],
                "pools": [{"poolid": EVIL}],
                "guests": [{"vmid": 100, "name": EVIL, "node": "pve1", "type": "qemu", "status": "running",
                            "tags": [EVIL_TAG], "pool": EVIL, "lock": EVIL}]}
    with Simulator(scenario=scenario, tls=True) as sim:
        env = sim_env(sim, "token", tmp_path)
        path = inventory_file(tmp_path, "compose:\n  copied: pve_name\n")
        raw = run_inventory(path, env, "--list")
        assert raw.returncode == 0, raw.stderr
        marked = json.loads(raw.stdout)["_meta"]["hostvars"][EVIL]
        if isinstance(marked["pve_name"], dict):  # ansible-core marks unsafe strings in its JSON output
            assert marked["pve_name"] == marked["pve_pool"] == marked["pve_lock"] == {"__ansible_unsafe": EVIL}
            assert marked["pve_tags"] == [{"__ansible_unsafe": EVIL_TAG}]
        data, _stderr = listing(path, env)
        variables = data["_meta"]["hostvars"][EVIL]
        assert (variables["pve_name"], variables["pve_pool"], variables["pve_lock"], variables["pve_tags"],
                variables["copied"]) == (EVIL, EVIL, EVIL, [EVIL_TAG], EVIL)
        playbook = """
- hosts: pve_qemu
  gather_facts: false
  connection: local
  tasks:
    - ansible.builtin.debug:
        msg: "NAME={{ pve_name }} POOL={{ pve_pool }} LOCK={{ pve_lock }} TAG={{ pve_tags[0] }} HOST={{ inventory_hostname }}"
"""
        result = run_playbook(playbook, env, tmp_path, "-i", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    expected = "NAME=%s POOL=%s LOCK=%s TAG=%s HOST=%s" % (EVIL, EVIL, EVIL, EVIL_TAG, EVIL)
    assert expected in result.stdout
    assert "uid=" not in result.stdout and "TAG=49" not in result.stdout


def test_duplicate_and_missing_names(tmp_path):
    scenario = {"cluster": None, "nodes": [{"name": "pve1", "ip": "127.0.0.1"}],
                "guests": [{"vmid": 301, "name": "twin", "node": "pve1", "type": "lxc", "status": "stopped"},
                           {"vmid": 300, "name": "twin", "node": "pve1", "type": "qemu", "status": "running"},
                           {"vmid": 302, "name": "", "node": "pve1", "type": "qemu", "status": "stopped"},
                           {"vmid": 303, "name": "pve1", "node": "pve1", "type": "qemu", "status": "stopped"}]}
    with Simulator(scenario=scenario, tls=True) as sim:
        data, stderr = listing(inventory_file(tmp_path), sim_env(sim, "token", tmp_path))
    hostvars = data["_meta"]["hostvars"]
    assert sorted(hostvars) == ["pve1", "pve1-303", "qemu-302", "twin", "twin-301"]
    assert hostvars["twin"]["pve_vmid"] == 300 and hostvars["twin-301"]["pve_vmid"] == 301
    assert hostvars["pve1"]["pve_type"] == "node" and hostvars["pve1"]["pve_cluster"] is None
    assert "twin -> twin-301 (lxc/301)" in " ".join(stderr.split())
    assert "pve1 -> pve1-303 (qemu/303)" in " ".join(stderr.split())


def failing_env(sim, tmp_path, auth="token"):
    env = sim_env(sim, auth, tmp_path)
    env["ANSIBLE_INVENTORY_UNPARSED_FAILED"] = "1"
    env["PVE_API_RETRIES"] = "0"
    return env


def test_tls_failure_is_a_clear_error(clean_sim, tmp_path):
    env = failing_env(clean_sim, tmp_path)
    del env["PVE_CA_PATH"]
    result = run_inventory(inventory_file(tmp_path), env, "--list")
    assert result.returncode != 0
    text = " ".join(result.stderr.split())
    assert "TLS certificate verification failed" in text and "ca_path" in text
    assert "Traceback" not in result.stderr


def test_bad_credentials_are_a_clear_error(clean_sim, tmp_path):
    env = failing_env(clean_sim, tmp_path)
    env["PVE_API_TOKEN_SECRET"] = "00000000-0000-0000-0000-000000000000"
    result = run_inventory(inventory_file(tmp_path), env, "--list")
    assert result.returncode != 0
    text = " ".join(result.stderr.split())
    assert "GET /cluster/resources failed: HTTP 401" in text and "Authentication failed" in text
    assert "00000000-0000-0000-0000-000000000000" not in result.stdout + result.stderr


def test_unresponsive_api_fails_within_the_timeout(clean_sim, tmp_path):
    clean_sim.add_fault(path=r"^/cluster/resources$", kind="latency", latency=20)
    env = failing_env(clean_sim, tmp_path)
    env["PVE_API_TIMEOUT"] = "2"
    began = time.monotonic()
    result = run_inventory(inventory_file(tmp_path), env, "--list")
    assert time.monotonic() - began < 15
    assert result.returncode != 0
    assert "did not answer within api_timeout=2s" in " ".join(result.stderr.split())
