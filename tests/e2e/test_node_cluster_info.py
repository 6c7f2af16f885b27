# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""pve_node_info and pve_cluster_info run by ansible-playbook against a pvesim server."""

from __future__ import annotations

import json

import pytest
import yaml

from pve_e2e import base_env, run_playbook, sim_env
from pvesim import Simulator


# -- helpers ---------------------------------------------------------------------------------------
def play(tasks):
    return yaml.safe_dump([{"name": "e2e", "hosts": "localhost", "gather_facts": False, "tasks": tasks}],
                          sort_keys=False)


def run_module(env, tmp_path, module, args=None, *playbook_args):
    """Run one module task (failures kept), write its registered result to JSON; return (proc, result)."""
    out = tmp_path / "result.json"
    tasks = [
        {"name": "run", "pve.cluster." + module: args or {}, "register": "result", "ignore_errors": True},
        {"name": "save", "ansible.builtin.copy": {"content": "{{ result | to_json }}", "dest": str(out)},
         "check_mode": False},
    ]
    proc = run_playbook(play(tasks), env, tmp_path, *playbook_args)
    assert out.exists(), proc.stdout + proc.stderr
    return proc, json.loads(out.read_text())


def node_calls(sim, node, part=None):
    return [e for e in sim.requests if e["path"].startswith("/nodes/%s/" % node)
            and (part is None or e["path"] == "/nodes/%s/%s" % (node, part))]


def peak_concurrency(starts, window):
    """Most request starts inside any `window` seconds (requests each take at least `window`)."""
    starts = sorted(starts)
    return max(sum(1 for t in starts[i:] if t < start + window) for i, start in enumerate(starts))


# -- pve_node_info ---------------------------------------------------------------------------------
def test_demo_offline_node_is_listed_with_warning(clean_sim, tmp_path):
    proc, result = run_module(sim_env(clean_sim, "token", tmp_path), tmp_path, "pve_node_info",
                              {"gather": ["status", "network"]})
    assert result.get("failed") is not True, result
    assert result["changed"] is False
    nodes = dict((n["node"], n) for n in result["nodes"])
    assert [n["node"] for n in result["nodes"]] == ["pve1", "pve2", "pve3"]
    assert nodes["pve3"]["online"] is False and nodes["pve3"]["status"] == "offline"
    assert "node_status" not in nodes["pve3"] and "network" not in nodes["pve3"]
    for name in ("pve1", "pve2"):
        assert nodes[name]["online"] is True
        assert nodes[name]["node_status"]["pveversion"].startswith("pve-manager/")
        assert isinstance(nodes[name]["node_status"]["loadavg"][0], float)
        assert "vmbr0" in [i["iface"] for i in nodes[name]["network"]]
    assert "[WARNING]: node pve3 is offline" in proc.stdout + proc.stderr
    # one GET /nodes, one GET per online node and gathered part, nothing for the offline node
    assert clean_sim.request_count(r"^/nodes$") == 1
    for name in ("pve1", "pve2"):
        assert len(node_calls(clean_sim, name, "status")) == 1
        assert len(node_calls(clean_sim, name, "network")) == 1
    assert node_calls(clean_sim, "pve3") == []
    assert len(clean_sim.requests) == 5


@pytest.mark.parametrize("status", [595, 596])
def test_unreachable_node_is_online_false_not_a_failure(clean_sim, tmp_path, status):
    clean_sim.add_fault(path=r"^/nodes/pve2/network$", status=status)
    proc, result = run_module(sim_env(clean_sim, "token", tmp_path), tmp_path, "pve_node_info",
                              {"gather": ["status", "network"]})
    assert result.get("failed") is not True, result
    nodes = dict((n["node"], n) for n in result["nodes"])
    assert nodes["pve2"]["online"] is False
    assert "node_status" not in nodes["pve2"] and "network" not in nodes["pve2"]
    assert nodes["pve1"]["online"] is True and "node_status" in nodes["pve1"]
    text = proc.stdout + proc.stderr
    assert "node pve2 did not answer" in text and "HTTP %d" % status in text
    assert "node pve3 is offline" in text


def test_node_subset_network_type_and_password_auth(clean_sim, tmp_path):
    _proc, result = run_module(sim_env(clean_sim, "password", tmp_path), tmp_path, "pve_node_info",
                               {"name": ["pve2"], "gather": ["network"], "network_type": "bridge"})
    assert result.get("failed") is not True, result
    assert [n["node"] for n in result["nodes"]] == ["pve2"]
    assert [i["type"] for i in result["nodes"][0]["network"]] == ["bridge"]
    calls = node_calls(clean_sim, "pve2", "network")
    assert len(calls) == 1 and calls[0]["query"] == {"type": "bridge"}
    assert node_calls(clean_sim, "pve1") == []
    assert clean_sim.request_count(r"^/access/ticket$", method="POST") == 1


def test_unknown_node_fails_naming_existing_nodes(clean_sim, tmp_path):
    _proc, result = run_module(sim_env(clean_sim, "token", tmp_path), tmp_path, "pve_node_info", {"node": ["pve9"]})
    assert result["failed"] is True
    assert result["msg"] == "node: pve9 is not in this cluster; nodes: pve1, pve2, pve3"
    assert [e["path"] for e in clean_sim.requests] == ["/nodes"]


def test_bad_options_fail_before_any_request(clean_sim, tmp_path):
    env = sim_env(clean_sim, "token", tmp_path)
    _proc, result = run_module(env, tmp_path, "pve_node_info", {"node": ["pve1/../x"]})
    assert result["failed"] is True and result["msg"].startswith("node: ")
    _proc, result = run_module(env, tmp_path, "pve_node_info", {"gather": ["network"], "network_type": "wifi"})
    assert result["failed"] is True and "network_type" in result["msg"] and "any_bridge" in result["msg"]
    _proc, result = run_module(env, tmp_path, "pve_cluster_info", {"resource_type": "qemu"})
    assert result["failed"] is True and "resource_type" in result["msg"] and "sdn" in result["msg"]
    assert clean_sim.requests == []


def test_server_error_on_a_node_fails_naming_it(clean_sim, tmp_path):
    clean_sim.add_fault(path=r"^/nodes/pve1/status$", status=500, message="disk read error")
    _proc, result = run_module(sim_env(clean_sim, "token", tmp_path), tmp_path, "pve_node_info")
    assert result["failed"] is True
    assert result["msg"].startswith("node pve1: GET /nodes/pve1/status failed: HTTP 500")
    assert result["status"] == 500


def test_check_mode_and_no_secret_in_verbose_output(clean_sim, tmp_path):
    proc, result = run_module(sim_env(clean_sim, "token", tmp_path), tmp_path, "pve_node_info", {}, "--check", "-vvvv")
    assert result.get("failed") is not True, result
    assert result["changed"] is False
    assert [n["online"] for n in result["nodes"]] == [True, True, False]
    assert clean_sim.token_secret not in proc.stdout + proc.stderr


def test_per_node_calls_are_concurrent_and_bounded(tmp_path):
    latency = 0.4
    with Simulator(scenario="generate:nodes=20,guests=0,tasks=0,seed=1", tls=True) as sim:
        sim.add_fault(path=r"^/nodes/[^/]+/status$", latency=latency)
        _proc, result = run_module(sim_env(sim, "token", tmp_path), tmp_path, "pve_node_info")
        assert result.get("failed") is not True, result
        assert len(result["nodes"]) == 20 and all("node_status" in n for n in result["nodes"])
        starts = [e["time"] for e in sim.requests if e["path"].endswith("/status")]
    assert len(starts) == 20
    # 8 workers: 8 calls in flight at once, never more; 20 calls take ~3 rounds, not 20
    assert 4 <= peak_concurrency(starts, latency * 0.9) <= 8
    assert max(starts) - min(starts) < 20 * latency / 3


# -- pve_cluster_info ------------------------------------------------------------------------------
def test_cluster_info_demo(clean_sim, tmp_path):
    _proc, result = run_module(sim_env(clean_sim, "token", tmp_path), tmp_path, "pve_cluster_info")
    assert result.get("failed") is not True, result
    assert result["changed"] is False
    assert result["cluster"] == {"name": "demo", "quorate": True, "nodes": 3, "version": 7}
    assert result["cluster_nodes"][2] == {"name": "pve3", "nodeid": 3, "ip": "192.168.1.13", "online": False,
                                          "local": False, "level": "c"}
    assert [n["local"] for n in result["cluster_nodes"]] == [True, False, False]
    by_id = dict((r["id"], r) for r in result["resources"])
    assert by_id["qemu/100"]["tags"] == ["prod", "web"] and by_id["qemu/100"]["template"] is False
    assert by_id["qemu/9000"]["template"] is True
    assert by_id["storage/pve1/nfs-backup"]["shared"] is True
    assert by_id["node/pve3"]["status"] == "offline"
    assert {r["type"] for r in result["resources"]} == {"qemu", "lxc", "node", "storage", "pool", "sdn"}
    assert [e["path"] for e in clean_sim.requests] == ["/cluster/status", "/cluster/resources"]


def test_cluster_info_resource_type_and_gather(clean_sim, tmp_path):
    env = sim_env(clean_sim, "token", tmp_path)
    _proc, result = run_module(env, tmp_path, "pve_cluster_info", {"gather": ["resources"], "resource_type": "vm"})
    assert result.get("failed") is not True, result
    assert "cluster" not in result and "cluster_nodes" not in result
    assert {r["type"] for r in result["resources"]} == {"qemu", "lxc"}
    assert len(result["resources"]) == len(clean_sim.scenario.guests)
    assert [(e["path"], e["query"]) for e in clean_sim.requests] == [("/cluster/resources", {"type": "vm"})]


def test_cluster_info_standalone_node(tmp_path):
    with Simulator(scenario="standalone", tls=True) as sim:
        _proc, result = run_module(sim_env(sim, "token", tmp_path), tmp_path, "pve_cluster_info", {"gather": ["status"]})
    assert result.get("failed") is not True, result
    assert result["cluster"] is None
    assert len(result["cluster_nodes"]) == 1 and result["cluster_nodes"][0]["nodeid"] == 0
    assert result["cluster_nodes"][0]["local"] is True
    assert "resources" not in result


# -- both: module_defaults action group ------------------------------------------------------------
def test_module_defaults_group_sets_the_connection(clean_sim, tmp_path):
    env = base_env(tmp_path)  # no PVE_* variables: the connection must come from module_defaults
    out = tmp_path / "out.json"
    tasks = [{
        "module_defaults": {"group/pve.cluster.pve": {
            "api_host": clean_sim.url, "ca_path": clean_sim.ca_path,
            "api_token_id": clean_sim.token_id, "api_token_secret": clean_sim.token_secret}},
        "block": [
            {"pve.cluster.pve_node_info": {"gather": []}, "register": "nodes"},
            {"pve.cluster.pve_cluster_info": {"gather": ["status"]}, "register": "cluster"},
            {"ansible.builtin.copy": {"dest": str(out),
                                      "content": "{{ {'nodes': nodes.nodes, 'cluster': cluster.cluster} | to_json }}"}},
        ],
    }]
    proc = run_playbook(play(tasks), env, tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads(out.read_text())
    assert [n["node"] for n in data["nodes"]] == ["pve1", "pve2", "pve3"]
    assert data["cluster"]["name"] == "demo"
    assert {e["auth"] for e in clean_sim.requests} == {"token"}
