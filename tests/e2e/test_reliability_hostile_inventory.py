# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reliability: a hostile server (tests/e2e/hostile_server.py, plain HTTP on 127.0.0.1) against the inventory.

Guest names that are group names, secrets echoed into hostvars, the cache and the cluster report, the
cache's key and file mode, values Ansible would revive as vault objects, rows of the wrong shape,
control characters.
"""

from __future__ import annotations

import json
import stat
import subprocess
import time

import pytest

from hostile_server import GUEST, NODE, Hostile, envelope
from hostile_support import HOSTILE_SECRET, hostile, hostile_env  # noqa: F401  pylint: disable=unused-import
from pve_e2e import ROOT, ansible_bin
from reliability_support import TRACEBACK, _scan, run_inventory

pytestmark = pytest.mark.usefixtures("reliability_session")

SOURCE = {"plugin": "pve.cluster.pve"}
VAULT = {"__ansible_vault": "$ANSIBLE_VAULT;1.1;AES256\n6162636465666768696a6b6c6d6e6f70\n"}


def guest(vmid, name, **extra):
    row = dict(GUEST, id="qemu/%s" % vmid, vmid=vmid, name=name)
    row.update(extra)
    return row


def hostvars(run):
    return run.inventory["_meta"]["hostvars"]


def members(run, group):
    """(hosts, children) of `group` in an ansible-inventory --list answer."""
    entry = run.raw_inventory.get(group) or {}
    return set(entry.get("hosts") or []), set(entry.get("children") or [])


def no_secret(run, secret, *files):
    texts = [run.output, json.dumps(run.raw_inventory)] + [path.read_text() for path in files]
    assert not any(secret in text for text in texts), "the secret is in the output, the hostvars or a file"


# -- 1. names ----------------------------------------------------------------------------------
def test_guest_names_never_rewire_groups(hostile, rcase, tmp_path):
    """Guests named all, ungrouped, production (a group of another inventory source), pve_running (our own
    group), big (a `groups:` entry) and tag_web (a name `keyed_groups` makes later): the inventory builds, the
    first five get a <type>-<vmid> name with one warning, and no group is nested under another (db1 of the
    other source stays out of pve_running, pve_tag_web, big and tag_web; tag_web stays a host)."""
    names = {100: "all", 101: "ungrouped", 102: "production", 103: "pve_running", 104: "big", 105: "tag_web", 106: "web01"}
    hostile.route("/cluster/resources", [NODE] + [guest(vmid, name) for vmid, name in names.items()])
    other = tmp_path / "other.yml"
    other.write_text("all:\n  children:\n    production:\n      hosts:\n        db1:\n")
    config = dict(SOURCE, groups={"big": "pve_maxmem > 0"}, keyed_groups=[{"key": "pve_tags", "prefix": "tag"}])
    run = run_inventory(rcase, config, hostile_env(hostile, tmp_path), tmp_path, verbosity="", before=("-i", str(other)))
    assert run.proc.returncode == 0, run.output[-3000:]
    assert TRACEBACK not in run.output
    hosts = set(hostvars(run)).union(*(members(run, group)[0] for group in run.raw_inventory if group != "_meta"))
    assert {"qemu-100", "qemu-101", "qemu-102", "qemu-103", "qemu-104", "tag_web", "web01", "db1"} <= hosts, hosts
    assert not hosts & {"all", "ungrouped", "production", "pve_running", "big"}, hosts
    for group in ("pve_running", "pve_qemu", "pve_tag_web", "big", "tag_web", "pve_node_pve1"):
        group_hosts, children = members(run, group)
        assert "db1" not in group_hosts and not children, (group, group_hosts, children)
    assert members(run, "production") == ({"db1"}, set()), members(run, "production")
    assert "qemu-104" in members(run, "big")[0] and "web01" in members(run, "tag_web")[0]
    assert "5 host(s) renamed because their name is a group name" in " ".join(run.proc.stderr.split()), run.proc.stderr
    rcase.fig(renamed=5, hosts=len(hosts))


# -- 2./3. secrets, cache ----------------------------------------------------------------------
@pytest.mark.parametrize("secret", [HOSTILE_SECRET, "Zq7"], ids=["uuid secret", "3-character secret"])
def test_echoed_secret_in_hostvars_and_cache(hostile, rcase, tmp_path, secret):
    """The server puts the Authorization header (with the token secret) into a guest's name and tags and into
    the guest agent's error: the secret is in no output (-vvvv), hostvar (pve_agent_error too) or cache file;
    the cache file is 0600."""
    def resources(request):
        auth = request.headers.get("Authorization") or ""
        envelope({"data": [NODE, guest(100, "vm-" + auth, tags=auth.replace("=", "-"))]})(request)

    hostile.route("/cluster/resources", resources)
    hostile.route("/nodes/pve1/qemu/100/agent/network-get-interfaces", lambda request: envelope(
        {"data": None, "message": "agent says %s" % request.headers.get("Authorization")}, status=500)(request))
    config = dict(SOURCE, ansible_host="guest_agent", cache=True, cache_plugin="ansible.builtin.jsonfile",
                  cache_connection=str(tmp_path / "cache"), api_retries=0)
    run = run_inventory(rcase, config, hostile_env(hostile, tmp_path, secret=secret), tmp_path)
    assert run.proc.returncode == 0, run.output[-3000:]
    files = sorted((tmp_path / "cache").iterdir())
    assert len(files) == 1, files
    no_secret(run, secret, *files)
    mode = stat.S_IMODE(files[0].stat().st_mode)
    assert mode == 0o600, oct(mode)
    variables = next(v for v in hostvars(run).values() if v.get("pve_vmid") == 100)
    assert "<hidden>" in variables["pve_name"] and "<hidden>" in variables["pve_agent_error"], variables
    rcase.fig(cache_mode=oct(mode), name=variables["pve_name"][:60])


def test_cache_is_keyed_on_the_connection(rcase, tmp_path):
    """One inventory file with cache on, pointed (by PVE_API_HOST) at cluster A, then at cluster B, then at A
    again: B gets B's guests (not A's from the cache); the third run is served from the cache without a request."""
    config = dict(SOURCE, cache=True, cache_plugin="ansible.builtin.jsonfile", cache_connection=str(tmp_path / "cache"))
    with Hostile() as one, Hostile() as two:
        one.route("/cluster/resources", [NODE, guest(100, "alpha")])
        two.route("/cluster/resources", [NODE, guest(100, "beta")])
        first = run_inventory(rcase, config, hostile_env(one, tmp_path), tmp_path, verbosity="")
        second = run_inventory(rcase, config, hostile_env(two, tmp_path), tmp_path, verbosity="")
        third = run_inventory(rcase, config, hostile_env(one, tmp_path), tmp_path, verbosity="")
        asked = one.count("/cluster/resources")
    assert "alpha" in hostvars(first) and "beta" in hostvars(second) and "alpha" not in hostvars(second)
    assert "alpha" in hostvars(third) and asked == 1, asked
    rcase.fig(runs=3, requests_to_a=asked)


def test_vault_dict_is_never_revived(hostile, rcase, tmp_path):
    """A guest's lock is {"__ansible_vault": ...}: on the fresh run and on the cached run it is treated as missing,
    with a warning, and never decrypted or turned into text (no vault password is asked for)."""
    hostile.route("/cluster/resources", [NODE, guest(100, "web01", lock=VAULT, hastate=VAULT["__ansible_vault"])])
    config = dict(SOURCE, cache=True, cache_plugin="ansible.builtin.jsonfile", cache_connection=str(tmp_path / "cache"))
    runs = [run_inventory(rcase, config, hostile_env(hostile, tmp_path), tmp_path, verbosity="") for _run in range(2)]
    assert hostile.count("/cluster/resources") == 1
    for run in runs:
        assert run.proc.returncode == 0, run.output[-3000:]
        variables = hostvars(run)["web01"]
        assert "pve_lock" not in variables, variables
        assert "__ansible_vault" not in json.dumps(run.raw_inventory)
    assert "1 value(s) from the API were not plain data" in " ".join(runs[0].proc.stderr.split()), runs[0].proc.stderr
    cache_text = next((tmp_path / "cache").iterdir()).read_text()
    assert "__ansible_vault" not in cache_text
    rcase.fig(runs=2)


# -- 6./8./9. rows of the wrong shape, control characters, node addresses ----------------------
def test_bad_rows(hostile, rcase, tmp_path):
    """Rows with a vmid that is a word, below 100, above 999999999 or a float; a name with an ANSI escape and
    a lone surrogate; a node whose /cluster/status ip is a host name: bad rows left out with one warning naming
    them (an escape in an id shown as \\x1b), the host name escaped the same way and its surrogate replaced,
    no ansible_host from a host name."""
    hostile.route("/cluster/resources", [
        NODE, dict(NODE, node="pve2", id="node/pve2"),
        guest(100, "ok"), guest("abc", "word"), guest(5, "low"), guest(10 ** 12, "high"), guest(101.5, "float"),
        guest(102, "evil\x1b[31m\ud800"), guest("x", "bad id", id="qemu/\x1b[2Jx")])
    hostile.route("/cluster/status", [
        {"type": "cluster", "name": "hostile", "id": "cluster"},
        {"type": "node", "name": "pve1", "ip": "127.0.0.1", "id": "node/pve1"},
        {"type": "node", "name": "pve2", "ip": "attacker.example.com", "id": "node/pve2"}])
    run = run_inventory(rcase, dict(SOURCE, include_nodes=True), hostile_env(hostile, tmp_path), tmp_path, verbosity="")
    assert run.proc.returncode == 0, run.output[-3000:]
    stderr = " ".join(run.proc.stderr.split())
    assert "5 guest row(s) left out: vmid is not an integer in 100..999999999" in stderr, stderr
    assert "'qemu/\\x1b[2Jx'" in stderr, stderr
    assert "\x1b" not in run.output
    names = set(hostvars(run))
    assert "ok" in names and "evil\\x1b[31m\ufffd" in names and not names & {"word", "low", "high", "float"}, names
    assert hostvars(run)["pve1"]["ansible_host"] == "127.0.0.1"
    assert "ansible_host" not in hostvars(run)["pve2"], hostvars(run)["pve2"]
    rcase.fig(rows=7, left_out=5)


def test_echoed_secret_in_the_cluster_report(hostile, rcase, tmp_path):
    """The cluster_report playbook against a server that echoes the Authorization header into a guest's name, a
    failed task's status and the cluster name: the secret is in neither report file nor the -vvvv output."""
    def echo(build):
        return lambda request: envelope({"data": build(request.headers.get("Authorization") or "")})(request)

    hostile.route("/cluster/resources", echo(lambda auth: [NODE, guest(100, "vm " + auth)]))
    hostile.route("/cluster/status", echo(lambda auth: [
        {"type": "cluster", "name": "c " + auth, "nodes": 1, "quorate": 1, "id": "cluster"},
        {"type": "node", "name": "pve1", "ip": "127.0.0.1", "online": 1, "id": "node/pve1"}]))
    hostile.route("/nodes/pve1/tasks", echo(lambda auth: [
        {"upid": "UPID:pve1:00001234:00005678:%08X:qmstart:100:root@pam:" % int(time.time()), "node": "pve1",
         "type": "qmstart", "id": "100", "user": "root@pam", "starttime": int(time.time()) - 60,
         "endtime": int(time.time()) - 59, "status": "failed: " + auth}]))
    outdir = tmp_path / "out"
    command = [ansible_bin("ansible-playbook"), str(ROOT / "playbooks" / "cluster_report.yml"),
               "-e", "cluster_report_dir=%s" % outdir, "-vvvv"]
    proc = subprocess.run(command, env=hostile_env(hostile, tmp_path), capture_output=True, text=True, timeout=300,
                          check=False, start_new_session=True)
    _scan(rcase.nodeid, proc, rcase)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    reports = [outdir / "pve-cluster-report.html", outdir / "pve-cluster-report.md"]
    texts = [proc.stdout, proc.stderr] + [path.read_text(encoding="utf-8") for path in reports]
    assert not any(HOSTILE_SECRET in text for text in texts)
    markdown = texts[-1]
    assert "&lt;hidden&gt;" in markdown and "vm PVEAPIToken=root@pam!hostile=&lt;hidden&gt;" in markdown, markdown
    rcase.fig(files=2)


def test_task_times_out_of_range_in_the_cluster_report(hostile, rcase, tmp_path):
    """The cluster_report playbook against a server whose failed task carries a start time of 10**20 (past any
    platform time_t) and a negative end time: pve_tasks_info treats them as missing with one warning, and both
    report files are written (the start shown as '–'), instead of strftime failing the report (OverflowError)."""
    rcase(case="task times out of range in the cluster report")
    now = int(time.time())
    hostile.route("/cluster/resources", envelope({"data": [NODE, guest(100, "vm1")]}))
    hostile.route("/cluster/status", envelope({"data": [
        {"type": "cluster", "name": "c1", "nodes": 1, "quorate": 1, "id": "cluster"},
        {"type": "node", "name": "pve1", "ip": "127.0.0.1", "online": 1, "id": "node/pve1"}]}))
    hostile.route("/nodes/pve1/tasks", envelope({"data": [
        {"upid": "UPID:pve1:00001234:00005678:%08X:qmstart:100:root@pam:" % now, "node": "pve1", "type": "qmstart",
         "id": "100", "user": "root@pam", "starttime": 10 ** 20, "endtime": -5, "status": "failed: far future"}]}))
    outdir = tmp_path / "out"
    command = [ansible_bin("ansible-playbook"), str(ROOT / "playbooks" / "cluster_report.yml"),
               "-e", "cluster_report_dir=%s" % outdir]
    proc = subprocess.run(command, env=hostile_env(hostile, tmp_path), capture_output=True, text=True, timeout=300,
                          check=False, start_new_session=True)
    _scan(rcase.nodeid, proc, rcase)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    assert "1 task(s) had a starttime or endtime that is not a Unix time" in proc.stdout + proc.stderr, proc.stderr
    markdown = (outdir / "pve-cluster-report.md").read_text(encoding="utf-8")
    html = (outdir / "pve-cluster-report.html").read_text(encoding="utf-8")
    assert "| – | pve1 | qmstart 100 |" in markdown, markdown
    assert "failed: far future" in markdown and "failed: far future" in html
    rcase.fig(files=2, warnings=1)
