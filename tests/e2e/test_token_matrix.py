# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The token matrix: the inventory, every module, both roles and the report playbook, at -vvvv, with each
least-privilege identity of the simulator (tests/pvesim/README.md): PVEAuditor on / ("root"), on /pool/dev
("pool"), on /vms/100 ("vms"), no privilege ("none"), an AD realm user's token on /pool/dev ("realm"), and an
LDAP realm user's password with PVEAuditor on / ("password").

One simulator for the file and two ansible runs per identity: ansible-inventory with a cache, and one
ansible-playbook run of a play with every module and both roles followed by the report playbook
(import_playbook of playbooks/cluster_report.yml, as written). Every file those runs write (caches,
results, report, ansible's temp) is scanned for secrets, together with stdout and stderr."""

from __future__ import annotations

import json

import pytest

from pve_e2e import ROOT, base_env, plain, run_inventory, run_playbook
from pvesim import Simulator
from pvesim.auth import REALM_USERS, SCOPED_TOKENS, realm_secret, scoped_secret

KINDS = sorted(SCOPED_TOKENS) + ["password"]
MODULES = {
    "pve_cluster_info": {},
    "pve_node_info": {"gather": ["status", "network"]},
    "pve_tasks_info": {"source": "all", "limit": 0},
    "pve_nextid": {},
    "pve_version_info": {},
}
ROLES = ("cluster_facts", "vmid_allocate")
# every secret the simulator knows: none may show up, whoever's run it is
SECRETS = [scoped_secret(kind) for kind in SCOPED_TOKENS] + [realm_secret(kind) for kind in REALM_USERS] + \
    [password for _user, password, _token in REALM_USERS.values() if password]
REFUSED_ROOT = "Permission check failed (/, Sys.Audit)"


def _playbook(results_path):
    """The modules-and-roles play, then playbooks/cluster_report.yml."""
    tasks = []
    for name, args in MODULES.items():
        tasks.append({"name": name, "pve.cluster.%s" % name: args or None, "register": "r_" + name,
                      "ignore_errors": True})
    for role in ROLES:
        tasks.append({"name": role, "block": [
            {"ansible.builtin.include_role": {"name": "pve.cluster." + role}},
            {"ansible.builtin.set_fact": {"role_" + role: {"failed": False}}}],
            "rescue": [{"ansible.builtin.set_fact": {"role_" + role: {
                "failed": True, "msg": "{{ ansible_failed_result.msg }}"}}}]})
    outcome = dict((name, "{{ r_%s }}" % name) for name in MODULES)
    outcome.update(dict((role, "{{ role_%s }}" % role) for role in ROLES))
    tasks.append({"name": "results", "ansible.builtin.copy": {
        "dest": str(results_path), "mode": "0600", "content": "{{ outcome | to_json }}"}, "vars": {"outcome": outcome}})
    return json.dumps([{"hosts": "localhost", "gather_facts": False,
                        "vars": {"ansible_python_interpreter": "{{ ansible_playbook_python }}"}, "tasks": tasks},
                       {"import_playbook": str(ROOT / "playbooks" / "cluster_report.yml")}])


@pytest.fixture(scope="module", name="matrix_sim")
def fixture_matrix_sim():
    with Simulator(scenario="demo", tls=True) as server:
        yield server


@pytest.fixture(scope="module", name="run", params=KINDS)
def fixture_run(request, matrix_sim, tmp_path_factory):
    """The two runs of one identity: {kind, inventory, playbooks (CompletedProcess), results, files}."""
    kind = request.param
    work = tmp_path_factory.mktemp("matrix-" + kind)
    env = base_env(work)
    env.update({"PVE_API_HOST": matrix_sim.url, "PVE_CA_PATH": matrix_sim.ca_path,
                "ANSIBLE_CACHE_PLUGIN": "ansible.builtin.jsonfile",
                "ANSIBLE_CACHE_PLUGIN_CONNECTION": str(work / "fact-cache")})
    if kind == "password":
        user, password, _token = REALM_USERS["ldap"]
        env.update({"PVE_API_USER": user, "PVE_API_PASSWORD": password})
    else:
        env.update({"PVE_API_TOKEN_ID": SCOPED_TOKENS[kind][0], "PVE_API_TOKEN_SECRET": scoped_secret(kind)})
    inventory_file = work / "matrix.pve.yml"
    inventory_file.write_text("plugin: pve.cluster.pve\ncache: true\ncache_plugin: ansible.builtin.jsonfile\n"
                              "cache_connection: %s\n" % (work / "inventory-cache"))
    matrix_sim.clear_requests()
    inventory = run_inventory(inventory_file, dict(env, ANSIBLE_INVENTORY_UNPARSED_FAILED="1"), "--list", "-vvvv")
    inventory_requests = matrix_sim.requests
    results_path = work / "results.json"
    playbook = work / "modules.yml"
    playbook.write_text(_playbook(results_path))
    playbooks = run_playbook(playbook, env, work, "-vvvv", "-e", "cluster_report_dir=%s" % (work / "report"))
    results = json.loads(results_path.read_text()) if results_path.exists() else None
    files = sorted(p for p in work.rglob("*") if p.is_file())
    return {"kind": kind, "inventory": inventory, "inventory_requests": inventory_requests, "playbooks": playbooks,
            "results": results, "files": files}


def _outputs(run):
    for name in ("inventory", "playbooks"):
        yield name + " stdout", run[name].stdout
        yield name + " stderr", run[name].stderr


def test_no_secret_in_any_output_or_file(run):
    """No token secret or password in stdout/stderr at -vvvv, in hostvars, the report or any cache file."""
    names = [p.name for p in run["files"]]
    assert "results.json" in names
    # the files that matter were written, so the scan below reads them
    assert run["kind"] == "none" or any("inventory-cache" in str(p) for p in run["files"]), names
    assert run["playbooks"].returncode != 0 or "pve-cluster-report.html" in names, names
    texts = list(_outputs(run)) + [(str(p), p.read_bytes().decode("utf-8", "replace")) for p in run["files"]]
    found = [(where, secret) for where, text in texts for secret in SECRETS if secret in text]
    assert not found, found


def test_no_traceback(run):
    found = [where for where, text in _outputs(run) if "Traceback (most recent call last)" in text]
    assert not found, found


def _pool_guests(sim, pool):
    return sorted(g.vmid for g in sim.router.cluster.guests.values() if g.pool == pool and not g.template)


def test_inventory(run, matrix_sim):
    """What each identity may see, one warning for the refused /cluster/status, one error for no privilege."""
    kind, result = run["kind"], run["inventory"]
    stderr = " ".join(result.stderr.split())
    if kind == "none":
        assert result.returncode != 0
        assert "may see nothing" in stderr and "PVEAuditor" in stderr
        return
    assert result.returncode == 0, stderr
    # at -vvvv the JSON follows ansible's own lines: it is the last line "{" to the end
    listed = result.stdout[result.stdout.rindex("\n{\n") + 1:] if not result.stdout.startswith("{") else result.stdout
    hostvars = plain(json.loads(listed))["_meta"]["hostvars"]
    guests = sorted(v["pve_vmid"] for v in hostvars.values() if v.get("pve_type") in ("qemu", "lxc"))
    asked = sorted((r["method"], r["path"], r["status"]) for r in run["inventory_requests"])
    if kind in ("root", "password"):
        assert len(hostvars) == 38 and hostvars["pve1"]["pve_ip"] == "192.168.1.11"
        assert REFUSED_ROOT not in stderr
        return
    expected = {"pool": _pool_guests(matrix_sim, "dev"), "realm": _pool_guests(matrix_sim, "dev"), "vms": [100]}
    assert guests == expected[kind]
    assert asked == [("GET", "/cluster/resources", 200), ("GET", "/cluster/status", 403)]
    assert stderr.count(REFUSED_ROOT) == 1, stderr


def test_modules_roles_and_report(run):
    """Each identity gets what it may see: refused parts left out with warnings (and listed in `unavailable`, in
    pve_cluster.unavailable and in the report), one clear error for the token without privilege."""
    kind, results = run["kind"], run["results"]
    assert results is not None, run["playbooks"].stdout[-3000:]
    report_out = " ".join((run["playbooks"].stdout + run["playbooks"].stderr).split())
    if kind == "none":
        for name in ("pve_cluster_info", "pve_tasks_info"):
            assert results[name]["failed"] and "may see nothing in the cluster" in results[name]["msg"], results[name]
        for name in ("pve_version_info", "pve_nextid"):  # open to every user and token in PVE
            assert not results[name].get("failed"), results[name]
        # PVE lists every node and its non-bridge interfaces to anyone: that much is shown, the statuses are not
        assert [u["path"] for u in results["pve_node_info"]["unavailable"]] == ["/nodes/pve1/status", "/nodes/pve2/status"]
        assert results["cluster_facts"]["failed"] and "may see nothing" in results["cluster_facts"]["msg"]
        # the report play fails (its cluster_facts role); the modules play before it reported the same
        assert run["playbooks"].returncode != 0 and "PLAY [Write a Proxmox VE cluster report]" in report_out
        assert report_out.rindex("may see nothing in the cluster") > report_out.index("PLAY [Write a Proxmox VE cluster report]")
        return
    failed = dict((name, result) for name, result in results.items() if result.get("failed"))
    assert not failed, failed
    assert run["playbooks"].returncode == 0, report_out[-3000:]
    report = [p for p in run["files"] if p.name == "pve-cluster-report.md"][0].read_text(encoding="utf-8")
    if kind in ("root", "password"):
        assert results["pve_cluster_info"]["unavailable"] == [] and results["pve_node_info"]["unavailable"] == []
        assert "Not visible to this token" not in report
        return
    assert [u["path"] for u in results["pve_cluster_info"]["unavailable"]] == ["/cluster/status"]
    assert [u["path"] for u in results["pve_node_info"]["unavailable"]] == ["/nodes/pve1/status", "/nodes/pve2/status"]
    assert "## Not visible to this token" in report and REFUSED_ROOT in report
    assert "| unknown (not visible to this token) |" in report
    html = [p for p in run["files"] if p.name == "pve-cluster-report.html"][0].read_text(encoding="utf-8")
    for node in ("pve1", "pve2"):  # online, and PVE sends their rows without figures (no Sys.Audit on them)
        assert "| %s | online | not visible to this token | – | – | – |" % node in report
        assert "No figures: not visible to this token (needs Sys.Audit on /nodes/%s)" % node in html
