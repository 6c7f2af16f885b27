# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reliability: Jinja in API data (guest names, tags, pools, locks, the cluster name) is never rendered.

Each payload, if it were templated, would leave a trace the test can see: a canary environment
variable's value in the output, a marker file created by lookup('pipe', 'touch ...'), inj1337 from
{{'inj'~7*191}} (not a bare number: the -vvvv output holds random temp-file numbers), or uid= from
`id`. The literal payloads must arrive unchanged in hostvars and in module results, and a debug task
must print them with their braces.
"""

from __future__ import annotations

import json

import pytest

from reliability_support import env_for, make_sim, run_inventory, run_playbook

pytestmark = pytest.mark.usefixtures("reliability_session")


CANARY = "canary-rendered-5e1f"
# what a rendered SUM payload prints; a bare 1337 once turned up inside a random ansible-tmp number
SUM, SUM_RENDERED = "{{'inj'~7*191}}", "inj1337"


def payloads(marker):
    touch = "{{ lookup('pipe', 'touch %s') }}" % marker
    return {
        "cluster": "c{{ lookup('env', 'REL_CANARY') }}",
        "name": "web{{ lookup('pipe', 'id') }}",
        "name2": "{% for x in [1] %}" + touch + "{% endfor %}",
        "tag": "{%if(1)%}" + SUM + "{%endif%}",  # PVE tags hold no ',', ';' or space
        "tag2": SUM,
        "pool": touch,
        "lock": SUM + "{{ lookup('env', 'REL_CANARY') }}",
    }


@pytest.fixture(scope="module")
def injected(tmp_path_factory):
    marker = tmp_path_factory.mktemp("injection") / "rendered-marker"
    values = payloads(marker)
    scenario = {
        "cluster": values["cluster"],
        "nodes": [{"name": "pve1", "ip": "192.168.1.11", "online": True}],
        "pools": [{"poolid": values["pool"]}],
        "guests": [
            {"vmid": 100, "name": values["name"], "node": "pve1", "type": "qemu", "status": "running",
             "tags": [values["tag"], values["tag2"]], "pool": values["pool"], "lock": values["lock"],
             "agent": True, "ips": ["10.0.0.5/24"]},
            {"vmid": 101, "name": values["name2"], "node": "pve1", "type": "lxc", "status": "stopped",
             "tags": [values["tag2"]], "lock": values["lock"]},
        ],
    }
    with make_sim(scenario) as sim:
        yield sim, values, marker


def assert_not_rendered(run, marker):
    assert not marker.exists(), "a payload was rendered: %s exists" % marker
    assert CANARY not in run.output
    assert "uid=" not in run.output
    assert SUM_RENDERED not in run.output


def test_inventory_hostvars_unrendered(injected, rcase, tmp_path):
    """ansible-inventory --list: names, tags, pool, lock and cluster name arrive literally, marked
    unsafe; the hostname template, compose and keyed_groups over them do not render them either."""
    sim, values, marker = injected
    config = {"plugin": "pve.cluster.pve", "ansible_host": "guest_agent", "hostname": "{{ pve_name }}-x",
              "compose": {"rel_label": "pve_name ~ '/' ~ (pve_lock | default(''))"},
              "keyed_groups": [{"key": "pve_tags", "prefix": "t"}]}
    run = run_inventory(rcase, config, env_for(sim, tmp_path, REL_CANARY=CANARY), tmp_path)
    assert run.proc.returncode == 0, run.output[-2000:]
    hostvars = run.inventory["_meta"]["hostvars"]
    web = hostvars[values["name"] + "-x"]
    assert web["pve_name"] == values["name"]
    assert web["pve_tags"] == [values["tag"], values["tag2"]]
    assert web["pve_pool"] == values["pool"] and web["pve_lock"] == values["lock"]
    assert web["pve_cluster"] == values["cluster"]
    assert web["rel_label"] == values["name"] + "/" + values["lock"]
    # name2 holds a path ('touch /tmp/...'): its host gets another name (INTERFACE: path-like host names)
    assert next(v for v in hostvars.values() if v.get("pve_vmid") == 101)["pve_name"] == values["name2"]
    # the raw JSON carries ansible's unsafe marker on API strings
    raw_web = run.raw_inventory["_meta"]["hostvars"][values["name"] + "-x"]
    assert raw_web["pve_name"] == {"__ansible_unsafe": values["name"]}, raw_web["pve_name"]
    assert_not_rendered(run, marker)
    rcase.fig(hosts=len(hostvars), groups=len([g for g in run.inventory if g not in ("_meta", "all")]))


def test_playbook_debug_prints_literals(injected, rcase, tmp_path):
    """A play over the inventory: debug of the hostvars prints the literal braces, never the result."""
    sim, values, marker = injected
    source = tmp_path / "inj.pve.yml"
    source.write_text("plugin: pve.cluster.pve\n")
    tasks = [
        {"name": "show", "ansible.builtin.debug": {
            "msg": "{{ [pve_name, pve_tags, pve_pool | default(''), pve_lock | default(''), pve_cluster] }}"}},
        {"name": "save", "ansible.builtin.copy": {
            "content": "{{ {'name': pve_name, 'tags': pve_tags, 'lock': pve_lock | default(''), "
                       "'cluster': pve_cluster} | to_json }}",
            "dest": str(tmp_path / "{{ pve_vmid }}.json")}, "delegate_to": "localhost"},
    ]
    play = [{"hosts": "pve_qemu:pve_lxc", "gather_facts": False, "connection": "local", "tasks": tasks}]
    run = run_playbook(rcase, None, env_for(sim, tmp_path, REL_CANARY=CANARY), tmp_path, plays=play,
                       inventory=str(source))
    assert run.proc.returncode == 0, run.output[-3000:]
    saved = json.loads((tmp_path / "100.json").read_text())
    assert saved == {"name": values["name"], "tags": [values["tag"], values["tag2"]], "lock": values["lock"],
                     "cluster": values["cluster"]}
    assert json.loads((tmp_path / "101.json").read_text())["name"] == values["name2"]
    assert "lookup('pipe', 'id')" in run.output and SUM in run.output
    assert_not_rendered(run, marker)
    rcase.fig(hosts=2)


def test_module_results_unrendered(injected, rcase, tmp_path):
    """pve_cluster_info: resources (names, tags, pools, locks) and the cluster name come back literally,
    and a debug task over them prints the braces."""
    sim, values, marker = injected
    tasks = [
        {"name": "info", "pve.cluster.pve_cluster_info": {}, "register": "info"},
        {"name": "show", "ansible.builtin.debug": {
            "msg": "{{ [info.cluster.name] + (info.resources | selectattr('vmid', 'defined') | map(attribute='name') | list)"
                   " + (info.resources | selectattr('vmid', 'defined') | map(attribute='lock') | list) }}"}},
    ]
    run = run_playbook(rcase, tasks, env_for(sim, tmp_path, REL_CANARY=CANARY), tmp_path, register=("info",))
    assert run.proc.returncode == 0, run.output[-3000:]
    info = run.results["info"]
    assert info["cluster"]["name"] == values["cluster"]
    guests = dict((r["vmid"], r) for r in info["resources"] if r.get("vmid"))
    assert guests[100]["name"] == values["name"] and guests[101]["name"] == values["name2"]
    assert guests[100]["tags"] == [values["tag"], values["tag2"]]
    assert guests[100]["pool"] == values["pool"] and guests[100]["lock"] == values["lock"]
    assert values["cluster"] in run.output and values["lock"] in run.output.replace('\\"', '"')
    assert_not_rendered(run, marker)
    rcase.fig(resources=len(info["resources"]))
