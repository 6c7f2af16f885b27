# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Roles cluster_facts / vmid_allocate and the playbooks, run by real ansible-playbook against pvesim."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from pve_e2e import ROOT, ansible_bin, run_playbook, sim_env
from pvesim import Simulator

PLAYBOOKS = ROOT / "playbooks"

# A play that runs one role and writes a fact as JSON, so the test reads the real fact, not output text.
ROLE_PLAY = """
- name: Run a role and dump a fact
  hosts: localhost
  gather_facts: false
  roles:
    - role: pve.cluster.{role}
  tasks:
    - name: Dump the fact
      ansible.builtin.copy:
        content: "{{{{ {fact} | to_json }}}}"
        dest: "{out}"
        mode: "0600"
"""


def run_role(sim, tmp_path, role, fact, *args):
    out = tmp_path / "fact.json"
    play = ROLE_PLAY.format(role=role, fact=fact, out=out)
    result = run_playbook(play, sim_env(sim, tmp_path=tmp_path), tmp_path, *args)
    data = json.loads(out.read_text()) if out.exists() else None
    return result, data


def output(result):
    return result.stdout + result.stderr


def scenario(version="9.1.2", pveversion=None, online=(True, True, True), cluster="lab", guests=None, tasks=None):
    """A small cluster for cases the demo scenario does not cover."""
    pveversion = pveversion or "pve-manager/%s/9d436f37a0ac4172" % version
    nodes = [{"name": "node%d" % (i + 1), "ip": "10.9.0.%d" % (i + 1), "online": up, "pveversion": pveversion,
              "maxcpu": 8, "maxmem": 34359738368, "maxdisk": 68719476736} for i, up in enumerate(online)]
    return {"cluster": cluster, "version": {"release": version.rsplit(".", 1)[0].split("-")[0], "version": version,
                                            "repoid": "9d436f37a0ac4172"},
            "nodes": nodes, "guests": guests or [], "tasks": tasks or []}


@pytest.fixture(scope="module")
def old_sim():
    """PVE 7 style versions (7.2-3) on every node."""
    with Simulator(scenario=scenario(version="7.2-3"), tls=True) as server:
        yield server


@pytest.fixture(scope="module")
def no_quorum_sim():
    """Three nodes, two of them offline: the cluster has lost quorum."""
    with Simulator(scenario=scenario(online=(True, False, False)), tls=True) as server:
        yield server


@pytest.fixture(scope="module")
def standalone_sim():
    with Simulator(scenario=scenario(online=(True,), cluster=None), tls=True) as server:
        yield server


def free_ids(sim, count, lower=100):
    used = {g.vmid for g in sim.scenario.guests}
    found, vmid = [], lower
    while len(found) < count:
        if vmid not in used:
            found.append(vmid)
        vmid += 1
    return found


# ---------------------------------------------------------------------------------------------
# cluster_facts


def test_cluster_facts_sets_pve_cluster(clean_sim, tmp_path):
    result, fact = run_role(clean_sim, tmp_path, "cluster_facts", "pve_cluster")
    assert result.returncode == 0, output(result)
    scen = clean_sim.scenario
    assert fact["version"]["version"] == scen.version["version"]
    assert fact["cluster"]["name"] == scen.cluster
    assert fact["cluster"]["quorate"] is True
    assert [n["node"] for n in fact["nodes"]] == sorted(n.name for n in scen.nodes)
    offline = sorted(n.name for n in scen.nodes if not n.online)
    assert offline == ["pve3"]
    assert fact["offline_nodes"] == offline
    assert sorted(n["name"] for n in fact["cluster_nodes"]) == sorted(n.name for n in scen.nodes)
    by_name = dict((n["node"], n) for n in fact["nodes"])
    assert by_name["pve1"]["online"] is True and "node_status" in by_name["pve1"]
    assert by_name["pve3"]["online"] is False and "node_status" not in by_name["pve3"]
    # the role reads only what it documents: /version, /cluster/status, /nodes, /nodes/{node}/status
    paths = set(e["path"] for e in clean_sim.requests)
    assert not [p for p in paths if "/cluster/resources" in p or "/tasks" in p], paths


def test_cluster_facts_assert_all_online_names_the_offline_node(clean_sim, tmp_path):
    result, fact = run_role(clean_sim, tmp_path, "cluster_facts", "pve_cluster",
                            "-e", "cluster_facts_assert_all_online=true")
    assert result.returncode != 0
    assert fact is None
    assert "PVE node offline: pve3 (2 of 3 nodes online)" in output(result)


def test_cluster_facts_assertions_pass_on_healthy_answers(clean_sim, tmp_path):
    result, fact = run_role(clean_sim, tmp_path, "cluster_facts", "pve_cluster",
                            "-e", "cluster_facts_assert_quorate=true", "-e", "cluster_facts_min_version=9.1")
    assert result.returncode == 0, output(result)
    assert "PVE cluster demo is quorate" in output(result)
    assert "PVE 9.1.2 meets the minimum 9.1" in output(result)
    assert fact["cluster"]["name"] == "demo"


def test_cluster_facts_assert_quorate_fails_with_the_quorum_state(no_quorum_sim, tmp_path):
    result, _fact = run_role(no_quorum_sim, tmp_path, "cluster_facts", "pve_cluster",
                             "-e", "cluster_facts_assert_quorate=true")
    assert result.returncode != 0
    assert "PVE cluster 'lab' is not quorate: 1 of 3 nodes online, offline: node2, node3" in output(result)


def test_cluster_facts_assert_quorate_passes_on_a_standalone_node(standalone_sim, tmp_path):
    result, fact = run_role(standalone_sim, tmp_path, "cluster_facts", "pve_cluster",
                            "-e", "cluster_facts_assert_quorate=true", "-e", "cluster_facts_assert_all_online=true")
    assert result.returncode == 0, output(result)
    assert fact["cluster"] is None
    assert "Standalone node: no quorum to check" in output(result)


def test_cluster_facts_min_version_names_the_versions(clean_sim, tmp_path):
    result, _fact = run_role(clean_sim, tmp_path, "cluster_facts", "pve_cluster",
                             "-e", "cluster_facts_min_version=9.1.3")
    assert result.returncode != 0
    assert ("PVE version below the minimum 9.1.3 (cluster_facts_min_version): "
            "API (GET /version) 9.1.2, node pve1 9.1.2, node pve2 9.1.2") in output(result)


# One play runs the role once per minimum (block/rescue records each outcome): one ansible-playbook run.
VERSION_CASE = """
    - name: Minimum {minimum}
      block:
        - name: Run the role
          ansible.builtin.include_role:
            name: pve.cluster.cluster_facts
          vars:
            cluster_facts_min_version: "{minimum}"
        - name: Record the success
          ansible.builtin.set_fact:
            outcomes: "{{{{ outcomes | combine({{'{minimum}': 'ok'}}) }}}}"
      rescue:
        - name: Record the failure
          ansible.builtin.set_fact:
            outcomes: "{{{{ outcomes | combine({{'{minimum}': ansible_failed_result.msg}}) }}}}"
"""


def test_cluster_facts_min_version_compares_pve7_style_versions(old_sim, tmp_path):
    cases = {
        "7.2-3": True, "7.2-2": True, "7.2": True, "7.1.9": True, "6.4-8": True, "7": True,
        # numeric, not text, comparison: as strings "7.2-3" >= "7.2-10" and "7.2" >= "7.10"
        "7.2-10": False, "7.10": False, "7.2-4": False, "7.2.4": False, "8.0": False, "10": False,
    }
    out = tmp_path / "outcomes.json"
    play = ("- name: Compare versions\n  hosts: localhost\n  gather_facts: false\n  vars:\n    outcomes: {}\n"
            "  tasks:\n" + "".join(VERSION_CASE.format(minimum=m) for m in cases)
            + "    - name: Dump\n      ansible.builtin.copy:\n        content: \"{{ outcomes | to_json }}\"\n"
            "        dest: %s\n        mode: '0600'\n" % out)
    result = run_playbook(play, sim_env(old_sim, tmp_path=tmp_path), tmp_path)
    assert result.returncode == 0, output(result)
    outcomes = json.loads(out.read_text())
    for minimum, passes in cases.items():
        if passes:
            assert outcomes[minimum] == "ok", (minimum, outcomes[minimum])
        else:
            assert outcomes[minimum] == (
                "PVE version below the minimum %s (cluster_facts_min_version): API (GET /version) 7.2-3, "
                "node node1 7.2-3, node node2 7.2-3, node node3 7.2-3" % minimum), minimum


@pytest.mark.parametrize("args, message", [
    (["-e", "cluster_facts_assert_quorate=maybe"],
     "argument 'cluster_facts_assert_quorate' is of type str and we were unable to convert to bool"),
    (["-e", "cluster_facts_assert_all_online=sometimes"],
     "argument 'cluster_facts_assert_all_online' is of type str and we were unable to convert to bool"),
    (["-e", "cluster_facts_min_version=latest"],
     "cluster_facts_min_version must be a PVE version such as 8.2, 8.2.4 or 7.2-3, got 'latest'"),
    (["-e", "cluster_facts_min_version=8..2"],
     "cluster_facts_min_version must be a PVE version such as 8.2, 8.2.4 or 7.2-3, got '8..2'"),
])
def test_cluster_facts_refuses_bad_input_before_any_request(clean_sim, tmp_path, args, message):
    result, _fact = run_role(clean_sim, tmp_path, "cluster_facts", "pve_cluster", *args)
    assert result.returncode != 0
    for part in (message,) if isinstance(message, str) else message:  # core 2.17/2.18: "of type <class 'str'>"
        assert part in output(result)
    assert clean_sim.requests == []


# ---------------------------------------------------------------------------------------------
# The playbooks, as shipped


def test_gather_facts_playbook(clean_sim, tmp_path):
    result = run_playbook(PLAYBOOKS / "gather_facts.yml", sim_env(clean_sim, tmp_path=tmp_path), tmp_path)
    assert result.returncode == 0, output(result)
    for line in ("Cluster demo, quorate", "PVE 9.1.2", "pve1: online", "pve2: online", "pve3: offline"):
        assert '"%s"' % line in result.stdout


def test_gather_facts_playbook_by_fqcn_with_password_auth(clean_sim, tmp_path):
    """ansible-playbook pve.cluster.gather_facts: the collection's playbook, password (ticket) auth."""
    env = sim_env(clean_sim, auth="password", tmp_path=tmp_path)
    command = [ansible_bin("ansible-playbook"), "pve.cluster.gather_facts", "-e", "cluster_facts_assert_quorate=true"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, output(result)
    assert "PVE cluster demo is quorate" in result.stdout
    assert clean_sim.password not in output(result)


def test_allocate_vmid_playbook(clean_sim, tmp_path):
    env = sim_env(clean_sim, tmp_path=tmp_path)
    result = run_playbook(PLAYBOOKS / "allocate_vmid.yml", env, tmp_path, "-e", "vmid_allocate_count=2")
    assert result.returncode == 0, output(result)
    assert '"Free VMIDs: %d, %d"' % tuple(free_ids(clean_sim, 2)) in result.stdout


def test_allocate_vmid_playbook_requested_taken(clean_sim, tmp_path):
    env = sim_env(clean_sim, tmp_path=tmp_path)
    result = run_playbook(PLAYBOOKS / "allocate_vmid.yml", env, tmp_path, "-e", "vmid_allocate_requested=100")
    assert result.returncode != 0
    assert "VMID 100 (vmid_allocate_requested) is already in use by qemu 'web01' on node pve1" in output(result)


def rendered_report(sim, tmp_path):
    """Run cluster_report.yml against `sim` into tmp_path/out; return the (HTML, Markdown) it wrote."""
    outdir = tmp_path / "out"
    result = run_playbook(PLAYBOOKS / "cluster_report.yml", sim_env(sim, tmp_path=tmp_path), tmp_path,
                          "-e", "cluster_report_dir=%s" % outdir)
    assert result.returncode == 0, output(result)
    return ((outdir / "pve-cluster-report.html").read_text(encoding="utf-8"),
            (outdir / "pve-cluster-report.md").read_text(encoding="utf-8"))


def test_cluster_report_writes_html_and_markdown(clean_sim, tmp_path):
    html, markdown = rendered_report(clean_sim, tmp_path)

    # one self-contained file: no scripts, no external assets of any kind
    assert "<script" not in html.lower()
    assert not re.search(r"""(src|href)\s*=|url\(|@import""", html, re.I)
    assert "Content-Security-Policy" in html

    scen = clean_sim.scenario
    assert "<h1>demo</h1>" in html and "Quorate" in html and "9.1.2" in html
    # every node, the offline one highlighted
    assert '<tr class="offline">' in html and html.count('<tr class="offline">') == 1
    assert re.search(r'<tr class="offline">\s*<td><span class="node-name">pve3</span>', html)
    assert "2 / 3" in html and "offline: pve3" in html
    # CPU, memory and disk bars for the two online nodes
    assert html.count('<svg class="bar"') == 6
    # every guest, with its status
    for guest in scen.guests:
        assert ">%s</td>" % guest.name in html
        assert "| %d | %s |" % (guest.vmid, guest.name) in markdown
    # failed tasks of the last 24 hours: the error ones younger than a day on online nodes
    online = set(n.name for n in scen.nodes if n.online)
    expected = [t for t in scen.tasks if t[0] in online and t[1] < 86400 - 600 and t[7] not in (None, "OK")
                and not str(t[7]).startswith("WARNINGS")]
    older = [t for t in scen.tasks if t[1] > 86400 + 600 and t[7] not in (None, "OK")]
    assert expected and older
    for task in expected:
        text = str(task[7]).replace("'", "&#39;")
        assert text in html, task
    for task in older:
        assert str(task[7]).replace("'", "&#39;") not in html, task
    assert "WARNINGS" not in html
    # the Markdown twin has the same facts
    assert markdown.startswith("# Proxmox VE cluster report: demo")
    assert "2 / 3 (offline: **pve3**)" in markdown
    for task in expected:
        assert str(task[7]) in markdown


def test_cluster_report_dir_defaults_to_reports_in_the_working_directory(clean_sim, tmp_path):
    env = sim_env(clean_sim, tmp_path=tmp_path)
    workdir = tmp_path / "work"
    workdir.mkdir()
    env["PWD"] = str(workdir)
    command = [ansible_bin("ansible-playbook"), str(PLAYBOOKS / "cluster_report.yml")]
    result = subprocess.run(command, env=env, cwd=str(workdir), capture_output=True, text=True, timeout=300,
                            check=False)
    assert result.returncode == 0, output(result)
    assert (workdir / "reports" / "pve-cluster-report.html").is_file()
    assert (workdir / "reports" / "pve-cluster-report.md").is_file()
    assert not (PLAYBOOKS / "reports").exists()


HOSTILE = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def hostile_sim():
    """API strings that would be markup, Markdown or Jinja if they were not escaped."""
    guests = [
        {"vmid": 100, "name": HOSTILE, "node": "node1", "type": "qemu", "status": "running",
         "tags": ["<img/src=x/onerror=alert(2)>", "a|b"]},
        {"vmid": 101, "name": "{{ 7 * 7 }}", "node": "node1", "type": "lxc", "status": "stopped"},
        {"vmid": 102, "name": "[click](javascript:alert(3))", "node": "node2", "type": "qemu", "status": "running"},
        {"vmid": 103, "name": "esc\x1b[2Jbell\x07nul\x00", "node": "node2", "type": "qemu", "status": "running"},
    ]
    tasks = [{"node": "node1", "age": 600, "duration": 5, "status": "<b>boom</b> | `rm` & *x*", "type": "qmstart",
              "id": "100"}]
    with Simulator(scenario=scenario(guests=guests, tasks=tasks), tls=True) as server:
        yield server


def test_cluster_report_escapes_api_strings(hostile_sim, tmp_path):
    html, markdown = rendered_report(hostile_sim, tmp_path)

    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img/src=x/onerror=alert(2)&gt;" in html
    assert "&lt;b&gt;boom&lt;/b&gt; | `rm` &amp; *x*" in html
    assert "{{ 7 * 7 }}" in html and ">49<" not in html

    assert "<script" not in markdown and "<img" not in markdown and "<b>" not in markdown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markdown
    assert r"&lt;b&gt;boom&lt;/b&gt; \| \`rm\` &amp; \*x\*" in markdown
    assert r"\[click\](javascript:alert(3))" in markdown
    assert r"a\|b" in markdown
    assert "{{ 7 \\* 7 }}" in markdown
    assert "esc\\x1b\\[2Jbell\ufffdnul\ufffd" in markdown  # terminal-safe: no raw control character
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", markdown)
    # every table row still has the column count of its header (no cell was split by a '|')
    for block in re.findall(r"((?:^\|.*\|\n)+)", markdown, re.M):
        rows = block.strip("\n").split("\n")
        widths = set(len(re.split(r"(?<!\\)\|", row)) for row in rows)
        assert len(widths) == 1, rows


def test_cluster_report_on_a_healthy_standalone_node(standalone_sim, tmp_path):
    html, markdown = rendered_report(standalone_sim, tmp_path)
    assert "<h1>Standalone node node1</h1>" in html
    assert '<span class="health ok">Healthy</span>' in html
    assert "No failed tasks in the last 24 hours." in html
    assert '<tr class="offline">' not in html
    assert markdown.startswith("# Proxmox VE cluster report: standalone node node1")
    assert "| n/a (standalone) | 9.1.2 | 1 / 1 | 0 / 0 | 0 |" in markdown
