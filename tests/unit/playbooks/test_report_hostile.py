# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""playbooks/cluster_report.yml against a hostile server (tests/unit/plugins/_hostile_server.py), in one run at
-vvvv: an echoed secret reaches neither report file nor the output; task times out of range do not break the
report."""

from __future__ import annotations

import time

from ansible_collections.pve.cluster.tests.unit.playbooks._playbook import cluster_report
from ansible_collections.pve.cluster.tests.unit.plugins._hostile_server import GUEST, NODE, Hostile, envelope

SECRET = "5ec7e700-0bad-4bad-8bad-0123456789ab"
UPID = "UPID:pve1:00001234:00005678:%08X:qmstart:100:root@pam:"


def test_echoed_secrets_and_task_times_out_of_range_in_the_cluster_report(tmp_path):
    """The server echoes the Authorization header into a guest's name, a failed task's status and the cluster
    name: the secret is in neither report file nor the -vvvv output. A failed task with a start time of 10**20
    (past any time_t) and a negative end time: pve_tasks_info treats them as missing with one warning, and both
    report files are written (the start shown as '–')."""
    def echo(build):
        return lambda request: envelope({"data": build(request.headers.get("Authorization") or "")})(request)

    now = int(time.time())
    task = {"node": "pve1", "type": "qmstart", "id": "100", "user": "root@pam"}
    with Hostile() as hostile:
        hostile.route("/cluster/resources", echo(lambda auth: [NODE, dict(GUEST, name="vm " + auth)]))
        hostile.route("/cluster/status", echo(lambda auth: [
            {"type": "cluster", "name": "c " + auth, "nodes": 1, "quorate": 1, "id": "cluster"},
            {"type": "node", "name": "pve1", "ip": "127.0.0.1", "online": 1, "id": "node/pve1"}]))
        hostile.route("/nodes/pve1/tasks", echo(lambda auth: [
            dict(task, upid=UPID % now, starttime=now - 60, endtime=now - 59, status="failed: " + auth),
            dict(task, upid=UPID % (now - 1), starttime=10 ** 20, endtime=-5, status="failed: far future")]))
        proc, markdown, html = cluster_report(tmp_path, "-vvvv", env={
            "PVE_API_HOST": hostile.url, "PVE_API_ALLOW_HTTP": "true", "PVE_API_TOKEN_ID": "root@pam!hostile",
            "PVE_API_TOKEN_SECRET": SECRET})
    markdown, html = markdown.read_text(encoding="utf-8"), html.read_text(encoding="utf-8")
    assert not any(SECRET in text for text in (proc.stdout, proc.stderr, markdown, html))
    assert "vm PVEAPIToken=root@pam!hostile=&lt;hidden&gt;" in markdown, markdown
    assert "1 task(s) had a starttime or endtime that is not a Unix time" in proc.stdout + proc.stderr
    assert "| – | pve1 | qmstart 100 |" in markdown, markdown
    assert "failed: far future" in markdown and "failed: far future" in html
