# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""cluster_report.yml in detail (every guest, the task window, escaping, a standalone node), run by real
ansible-playbook against pvesim. The playbooks as users run them: tests/integration/targets/playbooks;
the roles: tests/integration/targets/role_*."""

from __future__ import annotations

import re

import pytest

from pve_e2e import ROOT, run_playbook, sim_env
from pvesim import Simulator, load_scenario

PLAYBOOKS = ROOT / "playbooks"


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
def standalone_sim():
    with Simulator(scenario=scenario(online=(True,), cluster=None), tls=True) as server:
        yield server


# ---------------------------------------------------------------------------------------------
# cluster_report.yml


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


@pytest.fixture(scope="module", params=["pve7", "pve8", "pve9"])
def down_sim(request):
    """The demo cluster as PVE 7.4 / 8.4 / 9.1 answer it (pvesim profiles), pve3 down for 10 minutes: past
    pmxcfs' 5-minute RRD window, so /cluster/resources has no name, template flag or figures for its guests."""
    scen = load_scenario("demo")
    for node in scen.nodes:
        if not node.online:
            node.down_for = 600
    with Simulator(scenario=scen, profile=request.param, tls=True) as server:
        yield server


def test_playbooks_and_roles_on_each_pve_version_with_a_node_down(down_sim, tmp_path):
    """gather_facts and cluster_report (role cluster_facts) on every profile; the report says "unknown" for what
    PVE did not send instead of "- / 0 MiB"."""
    version = down_sim.profile["version"]["version"]
    env = sim_env(down_sim, tmp_path=tmp_path)
    facts = run_playbook(PLAYBOOKS / "gather_facts.yml", env, tmp_path)
    assert facts.returncode == 0, output(facts)
    for line in ("Cluster demo, quorate", "PVE %s" % version, "pve1: online", "pve3: offline"):
        assert '"%s"' % line in facts.stdout, output(facts)

    html, markdown = rendered_report(down_sim, tmp_path)
    assert version in html and "offline: pve3" in html
    down = [g for g in down_sim.scenario.guests if g.node == "pve3"]
    rows = dict((int(line.split("|")[1]), line) for line in markdown.splitlines() if re.match(r"\| \d+ \| ", line))
    for guest in down:
        assert rows[guest.vmid].startswith("| %d | (unknown) | %s | unknown | – | – / unknown |"
                                           % (guest.vmid, guest.type)), rows[guest.vmid]
        assert "MiB" not in rows[guest.vmid] and guest.name not in rows[guest.vmid]
    up = [g for g in down_sim.scenario.guests if g.node == "pve1" and g.status == "running"][0]
    assert re.search(r"\| %d \| %s \| .* \d+ (MiB|GiB) / \d+\.?\d* (MiB|GiB) \|" % (up.vmid, up.name), rows[up.vmid])
    assert html.count('<span class="sub">(unknown)</span>') == len(down)
    assert html.count("/ unknown</span>") == len(down)
    for text in (html, markdown):
        assert text.count("PVE no longer knows the name, template flag or figures") == 1
