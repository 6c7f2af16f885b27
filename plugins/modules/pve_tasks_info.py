#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pve_tasks_info
short_description: List Proxmox VE tasks, or read one task and its log
version_added: 0.1.0
description:
  - Lists the tasks of one node (C(GET /nodes/{node}/tasks)) or of every online node, merged newest first;
    the nodes are asked concurrently (at most 8 at a time).
  - With O(upid), reads one task (C(GET /nodes/{node}/tasks/{upid}/status)) and, with O(log), its log.
  - Every filter is sent to PVE, which applies it; nothing is filtered after download, so RV(total) is
    PVE's own count of the matching tasks.
author:
  - pve.cluster maintainers (@pve-cluster)
extends_documentation_fragment:
  - pve.cluster.connection
  - pve.cluster.attributes
options:
  node:
    description:
      - The node whose tasks are listed.
      - If not set, every node that C(GET /nodes) reports online is asked and the lists are merged newest first
        by start time (ties broken by UPID); O(start) and O(limit) then apply to the merged list.
      - With O(node) set, the tasks come in PVE's own order, running tasks first (O(source=active) or V(all)), then
        finished tasks by the time they finished, the latest first.
        Nodes that are offline, or that turn out unreachable (HTTP 595/596, or no answer within O(api_timeout), which
        is then not retried), are skipped with a warning naming them.
      - With O(upid), must be the node in the UPID (or left unset).
      - "A node (given here or in O(upid)) that PVE does not know, or that is offline, fails the module with the nodes of
        the cluster (C(node: nope is not in this cluster; nodes: pve1, pve2)) or the word offline
        (C(node: pve3 is offline (as PVE reports in GET /nodes))), in the words of M(pve.cluster.pve_node_info)."
    type: str
  upid:
    description:
      - Read this one task (its node is taken from the UPID). RV(tasks) then holds exactly one task.
      - Cannot be combined with the list filters O(since), O(until), O(statusfilter), O(typefilter),
        O(userfilter), O(vmid) and O(errors); O(source), O(limit) and O(start) are ignored.
    type: str
  log:
    description:
      - With O(upid), also read the task log (C(GET /nodes/{node}/tasks/{upid}/log), at most O(max_log_lines) lines) into
        RV(tasks[].log).
      - The log is asked for with C(limit=max_log_lines+1), which every PVE version honours (C(limit=0), "the whole
        log", only works from pve-common 7.3-1), so one request reads it on every version.
      - Requires O(upid).
    type: bool
    default: false
  source:
    description:
      - Which tasks PVE lists. V(archive) is the finished tasks, V(active) the running ones, V(all) both.
    type: str
    choices: [archive, active, all]
    default: archive
  limit:
    description:
      - The maximum number of tasks returned.
      - V(0) returns every matching task PVE still keeps; the module then pages through the API in pages of 5000
        tasks, and tasks that start while it is paging neither show up twice nor push others out of the result.
      - PVE keeps only its current and previous task index files (rotated at about 50 KB, some 1,000 tasks each), so
        "every task" means roughly the last 2,000 tasks per node, not the node's whole history.
    type: int
    default: 50
  max_rows:
    description:
      - The most tasks read from one node (before O(start) and O(limit) are applied to the merged list); a node that
        lists more fails the module with a message naming this option. Also bounds the pages asked for (at most
        twice the pages these rows fill, plus one), so a server that keeps sending new tasks cannot page for ever.
      - Raise it for a node with a very long task history and O(limit=0).
    type: int
    default: 100000
  max_log_lines:
    description:
      - With O(log), the most log lines read; a longer log fails the module with a message naming this option.
    type: int
    default: 100000
  start:
    description:
      - Skip this many of the first matching tasks (in the order described under O(node)).
    type: int
    default: 0
  since:
    description:
      - Only tasks that started at or after this time.
      - Epoch seconds (V(1735689600)) or an ISO 8601 date or date-time (V(2025-01-01), V(2025-01-01T08:00:00+02:00));
        a time without a zone is UTC.
    type: raw
  until:
    description:
      - Only tasks that started at or before this time. Same formats as O(since).
    type: raw
  statusfilter:
    description:
      - Only tasks whose status is one of these. Sent to PVE comma-joined.
      - "PVE sorts a status as V(ok) (C(OK)), V(warning) (C(WARNINGS: <n>)), V(unknown) (an empty status,
        C(unexpected status), and running tasks) or V(error) (any other text); RV(tasks[].outcome) uses the same words."
      - Cannot be combined with O(errors=true), because PVE then ignores it.
    type: list
    elements: str
    choices: [ok, warning, error, unknown]
  typefilter:
    description:
      - Only tasks of this type, for example V(vzdump), V(qmstart) or V(srvreload).
    type: str
  userfilter:
    description:
      - Only tasks of users whose name contains this text, case-insensitive. For finished tasks PVE matches
        C(user@realm) only, so a token name (C(!name)) matches only running tasks.
    type: str
  vmid:
    description:
      - Only tasks of this guest (PVE compares it with the task id).
      - A backup job of several guests (a scheduled vzdump job, or C(vzdump 100 101)) runs as one task with an
        empty id, so it does not match; list O(typefilter=vzdump) without O(vmid) to include those jobs.
    type: int
  errors:
    description:
      - V(true) lists only tasks that did not end OK (warnings, errors and unknown outcomes, running tasks
        included with O(source=active) or V(all)). Sent to PVE as given when set.
    type: bool
notes:
  - "Privileges (pve-manager C(PVE/API2/Tasks.pm)): listing is open to every user and token, but without
    C(Sys.Audit) on C(/nodes/<node>) PVE lists only the caller's own tasks there; the module then warns once, naming
    those nodes (C(GET /nodes) shows no figures for them). When that is so on every node and nothing is listed, one
    C(GET /cluster/resources) tells whether the token or user may see anything at all; if not, the module fails
    naming the roles to grant. Reading one task (O(upid)) or its log needs C(Sys.Audit) on the node, or the task
    must be the caller's own: PVE's 403 fails the module with its text."
  - PVE's task status endpoint reports no end time, so with O(upid) a finished task has no RV(tasks[].endtime)
    and its RV(tasks[].duration) is null.
seealso:
  - name: PVE API viewer, /nodes/{node}/tasks
    description: The parameters this module passes on.
    link: https://pve.proxmox.com/pve-docs/api-viewer/#/nodes/{node}/tasks
"""

EXAMPLES = r"""
- name: Read the connection from the environment (PVE_API_HOST, PVE_API_TOKEN_ID, ...) and list the 50 newest tasks of the cluster
  pve.cluster.pve_tasks_info:
  register: recent

- name: Every failed task of the last 24 hours, on all online nodes
  pve.cluster.pve_tasks_info:
    statusfilter: [error]
    since: "{{ now(utc=true).timestamp() | int - 86400 }}"
    limit: 0
  register: failed

- name: Show them
  ansible.builtin.debug:
    msg: "{{ item.node }} {{ item.type }} {{ item.id }}: {{ item.status }}"
  loop: "{{ failed.tasks }}"
  loop_control:
    label: "{{ item.upid }}"

- name: Backup tasks of one node (a job of several guests, such as a scheduled backup job, has an empty id)
  pve.cluster.pve_tasks_info:
    node: pve1
    typefilter: vzdump
    limit: 100
  register: backups

- name: Those that may have backed up guest 100 (its own backups, and the jobs of several guests)
  ansible.builtin.debug:
    msg: "{{ backups.tasks | selectattr('id', 'in', ['100', '']) | map(attribute='upid') | list }}"

- name: Running tasks since 1 January 2025
  pve.cluster.pve_tasks_info:
    source: active
    since: "2025-01-01"

- name: Read one task and its log
  pve.cluster.pve_tasks_info:
    upid: "{{ recent.tasks[0].upid }}"
    log: true
  register: one
  when: recent.tasks | length > 0

- name: Print the log
  ansible.builtin.debug:
    var: one.tasks[0].log
  when: recent.tasks | length > 0

- name: Set the connection once for every pve.cluster module
  module_defaults:
    group/pve.cluster.pve:
      api_host: pve1.example.com
      api_token_id: ansible@pve!audit
      api_token_secret: "{{ vault_pve_token_secret }}"
  block:
    - name: List warnings and errors
      pve.cluster.pve_tasks_info:
        statusfilter: [warning, error]
"""

RETURN = r"""
tasks:
  description:
    - The tasks, newest first. With O(upid), one task.
  returned: success
  type: list
  elements: dict
  contains:
    upid:
      description: The task id.
      returned: always
      type: str
      sample: "UPID:pve1:00000DD3:1C419D88:6119FB65:srvreload:networking:root@pam:"
    node:
      description: The node the task ran on.
      returned: always
      type: str
      sample: pve1
    type:
      description: The task type.
      returned: always
      type: str
      sample: vzdump
    id:
      description: The object the task worked on (often a VMID); may be empty.
      returned: always
      type: str
      sample: "100"
    user:
      description: The user who started the task, C(user@realm).
      returned: always
      type: str
      sample: root@pam
    tokenid:
      description: The API token name, for tasks started with a token.
      returned: when the task was started with an API token
      type: str
      sample: ansible
    status:
      description: "C(OK), C(WARNINGS: <n>), or the error message (empty or C(unexpected status) when PVE does not know)."
      returned: when the task has finished
      type: str
      sample: OK
    starttime:
      description: Start time, epoch seconds (V(null), with a warning, when PVE sent no Unix time in 0..4294967295).
      returned: always
      type: int
      sample: 1629092709
    endtime:
      description: End time, epoch seconds (V(null), with a warning, when PVE sent no Unix time in 0..4294967295).
      returned: when the task has finished (not with O(upid))
      type: int
      sample: 1629092710
    pid:
      description: Process id of the task worker.
      returned: always
      type: int
      sample: 3539
    pstart:
      description: Process start time of the worker (in clock ticks since boot).
      returned: always
      type: int
      sample: 474062216
    outcome:
      description:
        - The status in one word, as PVE's O(statusfilter) sorts it; V(unknown) for a finished task with an empty status
          or C(unexpected status) (for example after a crash or reboot during the task).
      returned: always
      type: str
      choices: [running, ok, warning, error, unknown]
      sample: ok
    duration:
      description: Seconds the task ran; null while it runs or when the end time is unknown.
      returned: always
      type: int
      sample: 1
    log:
      description: The task log, one string per line.
      returned: with O(upid) and O(log=true)
      type: list
      elements: str
      sample: ["starting apt-get update", "TASK OK"]
total:
  description:
    - The number of tasks PVE reports as matching the filters (summed over the nodes when several are merged);
      may exceed the length of RV(tasks) because of O(limit) and O(start). V(1) with O(upid).
  returned: success
  type: int
  sample: 3
"""

from ansible_collections.pve.cluster.plugins.module_utils._access import fail_if_nothing_visible, node_audited
import threading

from ansible_collections.pve.cluster.plugins.module_utils._errors import (
    NODE_UNREACHABLE, PveInvalidResponseError, PveLimitError, PveNodeUnreachableError, PveOptionError)
from ansible_collections.pve.cluster.plugins.module_utils._module import PveModule
from ansible_collections.pve.cluster.plugins.module_utils._shape import describe, expect
from ansible_collections.pve.cluster.plugins.module_utils._normalize import normalize_task
from ansible_collections.pve.cluster.plugins.module_utils._options import parse_time, validate_node, validate_vmid
from ansible_collections.pve.cluster.plugins.module_utils._parallel import run_bounded
from ansible_collections.pve.cluster.plugins.module_utils._upid import parse_upid

PAGE_SIZE = 5000
TASKS_PATH = "/nodes/{node}/tasks"
LIST_FILTERS = ("since", "until", "statusfilter", "typefilter", "userfilter", "vmid", "errors")
ARGUMENT_SPEC = {
    "node": {"type": "str"},
    "upid": {"type": "str"},
    "log": {"type": "bool", "default": False},
    "source": {"type": "str", "choices": ["archive", "active", "all"], "default": "archive"},
    "limit": {"type": "int", "default": 50},
    "max_rows": {"type": "int", "default": 100000},
    "max_log_lines": {"type": "int", "default": 100000},
    "start": {"type": "int", "default": 0},
    "since": {"type": "raw"},
    "until": {"type": "raw"},
    "statusfilter": {"type": "list", "elements": "str", "choices": ["ok", "warning", "error", "unknown"]},
    "typefilter": {"type": "str"},
    "userfilter": {"type": "str"},
    "vmid": {"type": "int"},
    "errors": {"type": "bool"},
}
MUTUALLY_EXCLUSIVE = [("upid", name) for name in LIST_FILTERS]
TIME_MAX = 0xFFFFFFFF  # a UPID holds its start time as 8 hex digits
TASK_KEYS = ("upid", "node", "type", "id", "user", "tokenid", "status", "starttime", "endtime", "pid", "pstart")


def build_filters(params):
    """Validate the list options and return PVE's query parameters (without start/limit)."""
    for name in ("limit", "start"):
        if params[name] < 0:
            raise PveOptionError(name, "must be 0 or a positive integer, got %d" % params[name])
    for name in ("max_rows", "max_log_lines"):
        if params[name] < 1:
            raise PveOptionError(name, "must be a positive integer, got %d" % params[name])
    since = parse_time(params["since"], "since")
    until = parse_time(params["until"], "until")
    if since is not None and until is not None and since > until:
        raise PveOptionError("since", "must not be later than until (since=%d, until=%d epoch seconds)" % (since, until))
    if params["errors"] and params["statusfilter"]:
        # PVE ignores statusfilter when errors=1 (PVE/API2/Tasks.pm): say so instead of sending both
        raise PveOptionError("errors", "cannot be combined with statusfilter (PVE ignores statusfilter when errors is "
                                       "true); use statusfilter: [warning, error, unknown] instead")
    query = {"source": params["source"], "since": since, "until": until,
             "typefilter": params["typefilter"], "userfilter": params["userfilter"], "errors": params["errors"]}
    if params["vmid"] is not None:
        query["vmid"] = validate_vmid(params["vmid"], "vmid")
    if params["statusfilter"]:
        query["statusfilter"] = ",".join(params["statusfilter"])
    return dict((k, v) for k, v in query.items() if v is not None)


class KeptBytes:
    """The text the rows kept across pages and nodes hold, bounded by api_max_answer_mb like one answer."""

    def __init__(self, max_answer_mb):
        self.max_answer_mb = max_answer_mb
        self.left = max_answer_mb * 1024 * 1024
        self._lock = threading.Lock()

    def take(self, row, node):
        size = sum(len(value) if isinstance(value, str) else 8 for value in row.values()) + 8 * len(row)
        with self._lock:
            self.left -= size
            if self.left >= 0:
                return
        raise PveLimitError("GET /nodes/%s/tasks: the tasks read across pages hold more than api_max_answer_mb=%d MiB; "
                            "narrow the list with limit, since/until or typefilter, or raise api_max_answer_mb"
                            % (node, self.max_answer_mb))


def slim(row, node):
    """A row as kept across pages: TASK_KEYS only, a value that is no text, number or boolean as missing.
    None for a row without upid; a upid that is no text is a PveInvalidResponseError."""
    upid = row.get("upid") if isinstance(row, dict) else None
    if upid is None:
        return None
    if not isinstance(upid, str):
        raise PveInvalidResponseError("GET /nodes/%s/tasks: PVE answered a task whose upid is %s where a string was "
                                      "expected (a broken proxy or not a PVE API?)" % (node, describe(upid)), status=200)
    return dict((key, row[key] if isinstance(row[key], (str, int, float, bool)) else None)
                for key in TASK_KEYS if key in row)


def fetch_node(client, node, filters, offset, wanted, max_rows, kept=None):
    """Rows of one node from `offset`: `wanted` of them (None = all), paged, deduplicated by UPID.

    Bounded: more than `max_rows` rows, or more pages than they fill twice over, is a PveLimitError; so is more text
    in the kept rows than `kept` (KeptBytes) allows. Each page is cut to TASK_KEYS as it arrives (slim), so what a
    page holds besides them is freed with the page.

    New tasks are inserted at the head of PVE's list, which shifts later pages down: rows seen again
    are dropped and paging continues from the next offset until PVE's total or a short page is reached.
    Returns (rows, total): total is PVE's count in the first answer (PVE leaves it out when 0).
    """
    rows, seen, first_offset, answers = [], set(), offset, []
    kept = kept if kept is not None else KeptBytes(client.config.max_answer_mb)
    max_pages = 2 * (max_rows // PAGE_SIZE + 1) + 1
    while wanted is None or len(rows) < wanted:
        if len(rows) > max_rows or len(answers) >= max_pages:
            raise PveLimitError("GET /nodes/%s/tasks: the node listed more than max_rows=%d tasks (or kept sending new ones "
                                "for %d pages); raise max_rows, or narrow the list with since/until/typefilter"
                                % (node, max_rows, len(answers)))
        size = PAGE_SIZE if wanted is None else min(PAGE_SIZE, wanted - len(rows))
        query = dict(filters, start=offset, limit=size)
        page, total = client.get_with_total(TASKS_PATH, params=query, retry_timeouts=False, node=node)
        page = expect(page, list, "GET /nodes/%s/tasks" % node)
        answers.append(total)
        new = 0
        for row in page:
            task = slim(row, node)
            if task is None or task["upid"] in seen:
                continue
            kept.take(task, node)
            seen.add(task["upid"])
            rows.append(task)
            new += 1
        page_length = len(page)
        offset += page_length
        page = None  # freed before the next page is read
        if page_length < size or new == 0 or (total is not None and offset >= total):
            break
    if wanted is not None:
        rows = rows[:wanted]
    first_total = answers[0] if answers else None
    if first_total is None:  # PVE leaves `total` out when it is 0
        first_total = first_offset + len(rows) if rows else 0
    return rows, first_total


def shape(row):
    task = normalize_task(dict((k, row[k]) for k in TASK_KEYS if k in row))
    if task.get("outcome") == "running":
        task.pop("status", None)  # PVE lists running tasks with status RUNNING; RV(tasks[].status) is the end status
    user = task.get("user")
    if isinstance(user, str) and "!" in user and "tokenid" not in task:
        task["user"], task["tokenid"] = user.split("!", 1)
    return task


def drop_bad_times(tasks):
    """starttime/endtime that are no Unix time PVE can write (an integer in 0..TIME_MAX) become None, and then so
    does the duration; returns the UPIDs of the tasks that had one (for one warning)."""
    bad = []
    for task in tasks:
        for key in ("starttime", "endtime"):
            value = task.get(key)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= TIME_MAX):
                task[key] = task["duration"] = None
                if not bad or bad[-1] != task.get("upid"):
                    bad.append(str(task.get("upid", "?")))
    return bad


def warn_bad_times(module, tasks):
    bad = drop_bad_times(tasks)
    if bad:
        module.warn("%d task(s) had a starttime or endtime that is not a Unix time in 0..%d (PVE writes them as 8 hex "
                    "digits); treated as missing: %s%s" % (len(bad), TIME_MAX, ", ".join(bad[:5]),
                                                           ", ..." if len(bad) > 5 else ""))
    return tasks


def sort_key(task):
    start = task.get("starttime")
    return (start if isinstance(start, int) else 0, str(task.get("upid", "")))


def online_nodes(module):
    """The online nodes' names, and those of them this token or user has no Sys.Audit on (warned once)."""
    with module.errors("Listing the nodes"):
        data = expect(module.client.get("/nodes"), list, "GET /nodes")
    names, unaudited = [], []
    for row in data:
        name = row.get("node") if isinstance(row, dict) else None
        if not isinstance(name, str):
            continue
        if row.get("status") == "online":
            names.append(name)
            if not node_audited(row):
                unaudited.append(name)
        else:
            module.warn("node %s is %s (as PVE reports in GET /nodes): its tasks are not included"
                        % (name, row.get("status") or "not online"))
    if unaudited:
        # pve-manager PVE/API2/Tasks.pm node_tasks: without Sys.Audit on /nodes/<node>, only the caller's own tasks
        module.warn("no Sys.Audit on /nodes/%s (GET /nodes shows no figures for %s): PVE lists only this token's or "
                    "user's own tasks there. Grant Sys.Audit on /nodes/<node> (role PVEAuditor on / or on the node) for all"
                    % (", /nodes/".join(sorted(unaudited)), "them" if len(unaudited) > 1 else "it"))
    return sorted(names), unaudited


def list_tasks(module, filters):
    params = module.params
    start, limit = params["start"], params["limit"]
    if params["node"]:
        with module.node_errors(params["node"], "Listing the tasks of node %s" % params["node"]):
            rows, total = fetch_node(module.client, params["node"], filters, start, limit or None, params["max_rows"])
        return warn_bad_times(module, [shape(row) for row in rows]), total
    merged, total = [], 0
    wanted = (start + limit) if limit else None
    names, unaudited = online_nodes(module)
    kept = KeptBytes(module.client.config.max_answer_mb)  # one budget for all nodes
    outcomes = run_bounded(lambda node: fetch_node(module.client, node, filters, 0, wanted, params["max_rows"], kept),
                           names)
    for node, fetched, error in outcomes:
        if isinstance(error, NODE_UNREACHABLE):
            why = "HTTP %s" % error.status if isinstance(error, PveNodeUnreachableError) else "no answer within api_timeout"
            module.warn("node %s is unreachable (%s): its tasks are not included" % (node, why))
            continue
        if error is not None:
            module.fail_json(msg="Listing the tasks of node %s: %s" % (node, error), **error.to_result())
        rows, node_total = fetched
        merged.extend(shape(row) for row in rows)
        total += node_total
    if not merged and names and len(unaudited) == len(names):
        fail_if_nothing_visible(module)
    warn_bad_times(module, merged)  # before sorting: a bogus far-future start would come first
    merged.sort(key=sort_key, reverse=True)
    return merged[start:start + limit] if limit else merged[start:], total


def read_task(module, upid, node):
    """One task by UPID, from `node` (the node named in the UPID)."""
    with module.node_errors(node, "Reading task %s" % upid, "upid"):
        data = dict(expect(module.client.get("/nodes/{node}/tasks/{upid}/status", node=node, upid=upid), dict,
                           "GET /nodes/%s/tasks/{upid}/status" % node))
    state = data.pop("status", None)
    exitstatus = data.pop("exitstatus", None)
    data.pop("endtime", None)
    if state != "running":
        data["status"] = exitstatus if exitstatus is not None else ""  # no exit status: outcome unknown
    data.setdefault("upid", upid)
    data.setdefault("node", node)
    task = shape(data)
    if state == "running":
        task["outcome"], task["duration"] = "running", None
    if module.params["log"]:
        task["log"] = read_log(module, upid, node, module.params["max_log_lines"])
    return task


def read_log(module, upid, node, max_lines):
    """The task's log lines, at most `max_lines` (asked for one more, to see a longer log; checked, not trusted)."""
    with module.errors("Reading the log of task %s" % upid):
        lines = expect(module.client.get("/nodes/{node}/tasks/{upid}/log", params={"limit": max_lines + 1}, node=node,
                                         upid=upid), list, "GET /nodes/%s/tasks/{upid}/log" % node)
        if len(lines) > max_lines:
            raise PveLimitError("GET /nodes/%s/tasks/{upid}/log: the log has more than max_log_lines=%d lines; raise "
                                "max_log_lines to read it" % (node, max_lines))
    lines = [line for line in lines if isinstance(line, dict)]
    lines.sort(key=lambda line: line.get("n") if isinstance(line.get("n"), int) else 0)
    return [line["t"] if isinstance(line.get("t"), str) else "" for line in lines]


def main():
    module = PveModule(argument_spec=ARGUMENT_SPEC, mutually_exclusive=MUTUALLY_EXCLUSIVE, supports_check_mode=True)
    params = module.params
    upid_node = None
    with module.errors():
        filters = build_filters(params)
        if params["node"] is not None:
            validate_node(params["node"], "node")
        if params["upid"] is not None:
            upid_node = parse_upid(params["upid"], "upid")["node"]
            if params["node"] is not None and params["node"] != upid_node:
                raise PveOptionError("node", "%r differs from the node in upid (%s); leave node unset with upid"
                                     % (params["node"], upid_node))
        elif params["log"]:
            raise PveOptionError("log", "requires upid (the log of one task)")
    if params["upid"] is not None:
        module.exit_json(changed=False, tasks=warn_bad_times(module, [read_task(module, params["upid"], upid_node)]),
                         total=1)
    tasks, total = list_tasks(module, filters)
    module.exit_json(changed=False, tasks=tasks, total=total)


if __name__ == "__main__":
    main()
