"""Compact per-node task index: running tasks first, then finished ones by completion (newest first),
as pve-manager PVE/API2/Tasks.pm reads the active list and then the index files backwards; dicts are
built only for the returned page."""
from __future__ import annotations

import re

UPID_RE = re.compile(r"^UPID:([a-zA-Z0-9](?:[a-zA-Z0-9\-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):"
                     r"([0-9A-Fa-f]{8}):([^:\s/]+):([^:\s/]*):([^:\s/]+):$")

# row layout
START, END, TYPE, ID, USER, TOKEN, STATUS, PID, PSTART, LOG = range(10)


def status_class(status):
    """pve-common PVE/UPID.pm normalize_status_type: ok | warning | error | unknown.

    An empty status (a running task) and "unexpected status" are unknown.
    """
    if not status:
        return "unknown"
    if status == "OK":
        return "ok"
    if re.match(r"^WARNINGS: \d+$", status):
        return "warning"
    if status == "unexpected status":
        return "unknown"
    return "error"


def make_upid(node, row):
    user = row[USER] + ("!" + row[TOKEN] if row[TOKEN] else "")
    return "UPID:%s:%08X:%08X:%08X:%s:%s:%s:" % (node, row[PID], row[PSTART], row[START], row[TYPE], row[ID], user)


def row_dict(node, row, listing=False):
    """One /nodes/{node}/tasks row, fields as PVE sends them.

    listing=True (GET /nodes/{node}/tasks): a running task comes from the active list, with
    status RUNNING, a `saved` key and the token still inside `user`; archived rows have the token
    split off into `tokenid` (Tasks.pm convert_token_task).
    """
    out = {"upid": make_upid(node, row), "node": node, "pid": row[PID], "pstart": row[PSTART],
           "starttime": row[START], "type": row[TYPE], "id": row[ID], "user": row[USER]}
    if row[STATUS] is not None:
        out["status"] = row[STATUS]
        out["endtime"] = row[END]
        if row[TOKEN]:
            out["tokenid"] = row[TOKEN]
    elif listing:
        out["status"] = "RUNNING"
        out["saved"] = "0"
        if row[TOKEN]:
            out["user"] = row[USER] + "!" + row[TOKEN]
    elif row[TOKEN]:
        out["tokenid"] = row[TOKEN]
    return out


class TaskStore:
    """The tasks of one node."""

    def __init__(self, node, rows):
        self.node = node
        active = sorted((r for r in rows if r[STATUS] is None), key=lambda r: (r[START], r[PID]), reverse=True)
        archive = sorted((r for r in rows if r[STATUS] is not None), key=lambda r: (r[END], r[START], r[PID]),
                         reverse=True)
        self.rows = active + archive
        self._by_key = None
        self.by_source = {"all": self.rows, "archive": archive, "active": active}

    def query(self, params, owner=None):
        """Return (page rows as dicts, total) for the /nodes/{node}/tasks parameters; owner(user, token):
        only the tasks it owns (a caller without Sys.Audit on the node)."""
        start = params.get("start", 0)
        limit = params.get("limit", 50)
        source = params.get("source", "archive")
        errors = params.get("errors", 0)
        since = params.get("since")
        until = params.get("until")
        typefilter = params.get("typefilter")
        userfilter = (params.get("userfilter") or "").lower()
        vmid = params.get("vmid")
        vmid = str(vmid) if vmid else None
        statusfilter = None
        if params.get("statusfilter"):
            statusfilter = {s for s in re.split(r"[,;\s]+", params["statusfilter"]) if s}
        rows = self.by_source[source]
        if owner is not None:
            rows = [r for r in rows if owner(r[USER], r[TOKEN])]
        if not (errors or since or until or typefilter or userfilter or vmid or statusfilter):
            return [row_dict(self.node, r, True) for r in rows[start:start + limit]], len(rows)
        if errors:
            statusfilter = {"warning", "error", "unknown"}  # errors=1: statusfilter ignored, only "ok" left out

        def wanted(row):
            # archived rows are matched after the token is split off (user@realm only), running ones before
            running_token = "!" + row[TOKEN] if row[TOKEN] and row[STATUS] is None else ""
            return ((since is None or row[START] >= since) and (until is None or row[START] <= until)
                    and (not typefilter or row[TYPE] == typefilter) and (not vmid or row[ID] == vmid)
                    and (not userfilter or userfilter in (row[USER] + running_token).lower())
                    and (statusfilter is None or status_class(row[STATUS]) in statusfilter))
        matched = [row for row in rows if wanted(row)]
        return [row_dict(self.node, r, True) for r in matched[start:start + limit]], len(matched)

    def find(self, upid):
        """The row of a UPID on this node, or None."""
        match = UPID_RE.match(upid)
        if not match or match.group(1) != self.node:
            return None
        if self._by_key is None:
            self._by_key = {(r[PID], r[START]): r for r in self.rows}
        row = self._by_key.get((int(match.group(2), 16), int(match.group(4), 16)))
        if row is not None and make_upid(self.node, row) != upid:
            return None
        return row


def task_log(row):
    """The log lines of a task (synthetic unless the scenario gave them)."""
    if row[LOG] is not None:
        lines = list(row[LOG])
    else:
        lines = ["starting %s for %s" % (row[TYPE], row[ID])] if row[ID] else ["starting %s" % row[TYPE]]
    status = row[STATUS]
    if status is None:
        return lines
    if status == "OK":
        lines.append("TASK OK")
    elif status.startswith("WARNINGS"):
        lines.append("TASK " + status)
    else:
        lines.append("TASK ERROR: " + status)
    return lines
