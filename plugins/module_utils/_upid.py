# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""PVE task ids (UPIDs): UPID:<node>:<pid>:<pstart>:<starttime>:<type>:<id>:<user>: (hex numbers)."""

from __future__ import annotations

import re

from ansible_collections.pve.cluster.plugins.module_utils._errors import PveOptionError

UPID_RE = re.compile(
    r"^UPID:(?P<node>[a-zA-Z0-9](?:[a-zA-Z0-9\-]*[a-zA-Z0-9])?):(?P<pid>[0-9A-Fa-f]{8}):(?P<pstart>[0-9A-Fa-f]{8,9}):"
    r"(?P<starttime>[0-9A-Fa-f]{8}):(?P<type>[^:\s/]+):(?P<id>[^:\s/]*):(?P<user>[^:\s/]+):\Z")


def parse_upid(upid, option="upid"):
    """Decode a UPID into node, pid, pstart, starttime (ints), type, id, user (and tokenid)."""
    match = UPID_RE.match(upid) if isinstance(upid, str) else None
    if not match:
        raise PveOptionError(option, "%r is not a PVE task id (expected UPID:<node>:<pid>:<pstart>:<starttime>:"
                                     "<type>:<id>:<user>:, e.g. UPID:pve1:00010D94:001CA6EA:6124E1B9:vzdump:100:root@pam:)"
                             % (upid,))
    parts = match.groupdict()
    task = {
        "upid": upid,
        "node": parts["node"],
        "pid": int(parts["pid"], 16),
        "pstart": int(parts["pstart"], 16),
        "starttime": int(parts["starttime"], 16),
        "type": parts["type"],
        "id": parts["id"],
        "user": parts["user"],
    }
    if "!" in parts["user"]:
        task["user"], task["tokenid"] = parts["user"].split("!", 1)
    return task
