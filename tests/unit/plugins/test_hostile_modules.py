# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Hostile round two (issue 29 points 8, 9 and 14) against the modules: pve_tasks_info `limit: 0` over pages of fat
rows keeps neither what it does not return nor more text than api_max_answer_mb, numbers sent as out-of-range text
treated as missing with a warning (and the cluster report's macros render them), a clear error for a task upid that
is a list. (The client's share of point 14: test_client.py.)"""

from __future__ import annotations

import gzip
import json
import pathlib
import threading
from urllib.parse import parse_qs, urlsplit

import jinja2
import pytest
from ansible.plugins.filter.core import FilterModule as CoreFilters

from ansible_collections.pve.cluster.plugins.modules import pve_cluster_info, pve_tasks_info
from ansible_collections.pve.cluster.tests.unit.plugins.module_utils._local_server import LocalServer
from ansible_collections.pve.cluster.tests.unit.plugins.modules._module_runner import (
    BASE, CONNECTION, module_runner, run_module, warnings_of)
# the module tests' fixtures (this file runs in ansible-test's controller context: it renders report macros too)
from ansible_collections.pve.cluster.tests.unit.plugins.modules.conftest import (  # noqa: F401 pylint: disable=unused-import
    _fresh_warnings, api, module_runs_on_target)

JSON = {"Content-Type": "application/json;charset=UTF-8"}
PAGE = 5000  # pve_tasks_info's page size
FAT = 500  # characters of padding per row: a page is about 3.7 MB of JSON, under api_max_answer_mb=4 (MiB)
ROWS = 3 * PAGE  # the rows as pve_tasks_info keeps them (about 160 bytes each) stay under 4 MiB
REPORT_COMMON = pathlib.Path(__file__).resolve().parents[3] / "playbooks" / "templates" / "pve-cluster-report-common.j2"


class FatTasks:
    """GET /nodes/pve1/tasks: ROWS tasks in pages of 5,000, each row padded with FAT characters (in an extra key, or
    in its status), gzip-compressed on the wire so the test moves little."""

    def __init__(self, where):
        self.where = where
        self.pages = 0
        self._lock = threading.Lock()

    def __call__(self, request):
        query = parse_qs(urlsplit(request["path"]).query)
        start, limit = int(query["start"][0]), int(query["limit"][0])
        with self._lock:
            self.pages += 1
        pad = "x" * FAT
        rows = []
        for index in range(start, min(start + limit, ROWS)):
            row = {"upid": "UPID:pve1:%08X:00000001:%08X:qmstart:100:root@pam:" % (index, 1700000000 + index),
                   "node": "pve1", "pid": index, "starttime": 1700000000 + index, "type": "qmstart", "user": "root@pam",
                   "status": "OK", "endtime": 1700000001 + index}
            if self.where == "status":
                row["status"] = pad
            else:
                row["padding"] = pad
            rows.append(row)
        payload = gzip.compress(json.dumps({"data": rows, "total": ROWS}).encode(), 1)
        return 200, "OK", dict(JSON, **{"Content-Encoding": "gzip"}), payload


@pytest.mark.reliability(
    theme="hostile round two", case='8 pve_tasks_info limit 0 over fat pages',
    expected='3 pages of 5,000 rows with 500 characters each (in an extra key, or in the status), '
             'api_max_answer_mb=4: the extra keys dropped with each page (15,000 tasks returned), kept text '
             'bounded by api_max_answer_mb across pages (fails naming it).')
@pytest.mark.parametrize("where", ["extra key", "status"])
def test_tasks_limit_0_over_fat_pages_stays_bounded(capsys, where):
    fat = FatTasks(where)
    with LocalServer(fat) as server:
        result, _code = run_module(pve_tasks_info, capsys, server.params(
            api_max_answer_mb=4, node="pve1", limit=0, max_rows=ROWS))
    if where == "extra key":  # what pve_tasks_info does not return is dropped with its page
        assert not result.get("failed"), result.get("msg")
        assert len(result["tasks"]) == ROWS and not any("padding" in task for task in result["tasks"])
        assert fat.pages == ROWS // PAGE
    else:  # text it keeps is counted across pages like one answer
        assert result["failed"] and "across pages hold more than api_max_answer_mb=4 MiB" in result["msg"], result
        assert fat.pages < ROWS // PAGE


run_tasks = module_runner(pve_tasks_info, CONNECTION)


@pytest.mark.reliability(
    theme="hostile round two", case='14 task upid is a list',
    expected="pve_tasks_info fails: 'upid is a list where a string was expected' (not 'unhashable type').")
def test_a_task_upid_that_is_a_list_is_a_clear_error(capsys, api):
    api.get(BASE + "/nodes/pve1/tasks", json={"data": [{"upid": ["UPID:pve1:x"], "node": "pve1"}], "total": 1})
    result, code = run_tasks(capsys, {"node": "pve1"})
    assert code == 1, result
    assert "upid is a list where a string was expected" in result["msg"], result
    assert "unhashable" not in result["msg"]


run_cluster = module_runner(pve_cluster_info, CONNECTION)
HOSTILE_NUMBERS = {"uptime": "1e999", "maxmem": "9" * 400, "mem": "7" * 5000, "maxdisk": "-1e999", "cpu": "0.25"}


@pytest.mark.reliability(
    theme="hostile round two", case='9 numbers as text in pve_cluster_info',
    expected="uptime 1e999, maxmem 400 digits, mem 5,000 digits: None with one warning; the cluster report's "
             'size/uptime/percent macros render them.')
def test_numbers_sent_as_text_out_of_range_are_missing_with_one_warning(capsys, api):
    row = dict({"id": "qemu/100", "type": "qemu", "vmid": 100, "node": "pve1", "name": "web", "status": "running"},
               **HOSTILE_NUMBERS)
    api.get(BASE + "/cluster/resources", json={"data": [row]})
    result, code = run_cluster(capsys, {"gather": ["resources"]})
    assert code == 0, result
    guest = result["resources"][0]
    assert [guest[key] for key in ("uptime", "maxmem", "mem", "maxdisk", "cpu")] == [None, None, None, None, 0.25]
    shown = [w for w in warnings_of(result) if "out of range" in w]
    assert len(shown) == 1 and shown[0].startswith("4 number(s) sent as text were out of range"), shown
    assert all(len(w) < 600 for w in warnings_of(result))
    # the cluster report's number macros (playbooks/templates) render what the module returned, instead of failing
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(str(REPORT_COMMON.parent)))
    environment.filters.update(CoreFilters().filters())
    macros = environment.from_string(
        "{% from 'pve-cluster-report-common.j2' import size, known_size, uptime, percent with context %}"
        "{{ uptime(g.uptime) }}|{{ known_size(g.maxmem) }}|{{ size(g.mem) }}|{{ percent(g.mem, g.maxmem) }}")
    context = {"pve_cluster": {"nodes": [], "cluster": None, "offline_nodes": [], "unavailable": []},
               "cluster_report_guests": {"resources": []}, "cluster_report_tasks": {"tasks": [], "total": 0}}
    assert macros.render(g=guest, **context) == "–|unknown|0 MiB|0"
