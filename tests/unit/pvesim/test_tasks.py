"""/nodes/{node}/tasks paging, total, filters; task status and log."""
from __future__ import annotations

import time
import urllib.parse


def _page(client, **params):
    resp = client.get("/nodes/pve1/tasks", params=params)
    assert resp.status_code == 200, resp.text
    body = resp.json()
    return body["data"], body.get("total")


def test_latest_completion_first_and_archive_default(client):
    """Tasks.pm reads the index files backwards: the order is by completion, not by start."""
    rows, total = _page(client)
    assert [r["endtime"] for r in rows] == sorted((r["endtime"] for r in rows), reverse=True)
    assert all("status" in r and "endtime" in r for r in rows)
    assert total == len(rows) == 7


def test_active_and_all(client):
    rows, total = _page(client, source="active")
    # the active list: status RUNNING, a `saved` key, the token still inside `user` (no convert_token_task)
    assert total == 1 and rows[0]["status"] == "RUNNING" and rows[0]["saved"] == "0" and "endtime" not in rows[0]
    assert rows[0]["user"] == "root@pam!ansible" and "tokenid" not in rows[0]
    rows, total = _page(client, source="all")
    assert total == 8 and rows[0]["status"] == "RUNNING"  # running tasks first
    assert _page(client, source="all", statusfilter="unknown")[1] == 2  # the running one and "unexpected status"


def test_paging_total_across_pages(client):
    seen = []
    for start in range(0, 8, 3):
        rows, total = _page(client, source="all", start=start, limit=3)
        assert total == 8
        seen += [r["upid"] for r in rows]
    assert len(seen) == len(set(seen)) == 8


def test_total_omitted_when_zero(client):
    rows, total = _page(client, typefilter="nothing")
    assert rows == [] and total is None


def test_filters(client):
    rows, total = _page(client, errors=1)
    assert total == 4 and all(r["status"] != "OK" for r in rows)
    assert _page(client, statusfilter="warning")[1] == 1
    assert _page(client, statusfilter="error")[1] == 2
    assert _page(client, statusfilter="unknown")[1] == 1  # "unexpected status" (PVE/UPID.pm normalize_status_type)
    assert _page(client, errors=1, statusfilter="ok")[1] == 4  # errors=1: statusfilter ignored
    assert _page(client, statusfilter="ok,warning")[1] == 4
    rows, total = _page(client, statusfilter="ok", start=1, limit=2)   # a page of the filtered rows, their total
    assert len(rows) == 2 and total == 3
    assert [r["id"] for r in _page(client, vmid=105)[0]] == ["105"]
    assert {r["type"] for r in _page(client, typefilter="vzdump")[0]} == {"vzdump"}
    # archived rows are matched after the token is split off: user@realm only; running rows with it
    assert _page(client, userfilter="ansible")[1] is None and _page(client, userfilter="root@pam")[1] == 7
    assert _page(client, source="all", userfilter="ansible")[1] == 1
    now = int(time.time())
    rows, total = _page(client, since=now - 86400)
    assert total == 4 and all(r["starttime"] >= now - 86400 for r in rows)
    assert _page(client, until=now - 86400)[1] == 3


def test_status_and_log(client):
    rows, _total = _page(client, source="all")
    by_status = {r["status"]: r["upid"] for r in rows}
    quoted = urllib.parse.quote(by_status["job errors"], safe="")
    status = client.data("/nodes/pve1/tasks/%s/status" % quoted)
    assert status["status"] == "stopped" and status["exitstatus"] == "job errors"
    resp = client.get("/nodes/pve1/tasks/%s/log" % quoted)
    body = resp.json()
    assert body["data"][-1] == {"n": body["total"], "t": "TASK ERROR: job errors"}
    assert client.get("/nodes/pve1/tasks/%s/log" % quoted, params={"start": 1, "limit": 1}).json()["data"] == \
        [{"n": 2, "t": body["data"][1]["t"]}]
    assert len(client.data("/nodes/pve1/tasks/%s/log" % quoted, params={"limit": 0})) == body["total"]
    running = client.data("/nodes/pve1/tasks/%s/status" % urllib.parse.quote(by_status["RUNNING"], safe=""))
    assert running["status"] == "running" and "exitstatus" not in running
    warn = client.data("/nodes/pve1/tasks/%s/log" % by_status["WARNINGS: 2"])
    assert warn[-1]["t"] == "TASK WARNINGS: 2"


def test_bad_upid(client):
    assert client.get("/nodes/pve1/tasks/UPID:nope/status").status_code == 400
    assert client.get("/nodes/pve1/tasks/UPID:pve1:00000001:00000001:00000001:x::root@pam:/status").status_code == 400
