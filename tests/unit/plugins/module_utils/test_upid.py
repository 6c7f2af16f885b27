# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""UPID parsing, with the docs example and every UPID in the real task samples."""

from __future__ import annotations

import pytest

from ansible_collections.pve.cluster.plugins.module_utils._errors import PveOptionError
from ansible_collections.pve.cluster.plugins.module_utils._upid import parse_upid
from ansible_collections.pve.cluster.tests.unit.plugins.module_utils._samples import load_samples


def test_docs_example():
    upid = "UPID:pve1:00010D94:001CA6EA:6124E1B9:vzdump:100:root@pam:"
    assert parse_upid(upid) == {"upid": upid, "node": "pve1", "pid": 0x10D94, "pstart": 0x1CA6EA,
                                "starttime": 0x6124E1B9, "type": "vzdump", "id": "100", "user": "root@pam"}


def test_token_user_and_empty_id_and_9_digit_pstart():
    task = parse_upid("UPID:node-2:0000FFFF:1ABCDEF01:6124E1B9:srvreload::ansible@pve!audit:")
    assert (task["node"], task["pstart"], task["id"], task["user"], task["tokenid"]) == (
        "node-2", 0x1ABCDEF01, "", "ansible@pve", "audit")


@pytest.mark.parametrize("name, sample", load_samples("node-tasks"))
def test_sample_task_upids_match_their_fields(name, sample):
    rows = sample["body"]["data"]
    assert rows
    for row in rows:
        task = parse_upid(row["upid"])
        for key in ("node", "pid", "pstart", "starttime", "type", "id", "user"):
            assert task[key] == row[key], (name, key)


@pytest.mark.parametrize("value", [
    None, 5, "", "UPID", "upid:pve1:00010D94:001CA6EA:6124E1B9:vzdump:100:root@pam:",
    "UPID:pve1:00010D94:001CA6EA:6124E1B9:vzdump:100:root@pam",          # no trailing colon
    "UPID:pve1:00010D94:001CA6EA:6124E1B9:vzdump:100:root@pam:\n",       # trailing newline
    "UPID:pve_1:00010D94:001CA6EA:6124E1B9:vzdump:100:root@pam:",
    "UPID:pve1:0010D94:001CA6EA:6124E1B9:vzdump:100:root@pam:",           # 7-digit pid
    "UPID:pve1:00010D94:001CA6E:6124E1B9:vzdump:100:root@pam:",
    "UPID:pve1:00010D94:001CA6EA:6124E1B:vzdump:100:root@pam:",
    "UPID:pve1:00010D94:001CA6EA:6124E1B9::100:root@pam:",                # empty type
    "UPID:pve1:00010D94:001CA6EA:6124E1B9:vzdump:1 0:root@pam:",
    "UPID:pve1:00010D94:001CA6EA:6124E1B9:vzdump:100::",                  # empty user
    "UPID:../x:00010D94:001CA6EA:6124E1B9:vzdump:100:root@pam:",
    "UPID:pve1:00010D94:001CA6EA:6124E1B9:vz/dump:100:root@pam:",
])
def test_garbage_is_an_option_error(value):
    with pytest.raises(PveOptionError) as excinfo:
        parse_upid(value, "upid")
    assert excinfo.value.option == "upid"
    assert "UPID:<node>" in str(excinfo.value)
