# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Baseline: python fetch_pages.py PAGES.json (a JSON list of [path, {query}]): those API pages with plain `requests`,
one process, one after another, connected by PVE_API_HOST (a URL), PVE_API_TOKEN_ID, PVE_API_TOKEN_SECRET, PVE_CA_PATH."""

from __future__ import annotations

import json
import os
import sys

import requests


def main(argv):
    with open(argv[1], encoding="utf-8") as handle:
        pages = json.load(handle)
    session = requests.Session()
    session.headers["Authorization"] = "PVEAPIToken=%s=%s" % (os.environ["PVE_API_TOKEN_ID"], os.environ["PVE_API_TOKEN_SECRET"])
    rows = 0
    for path, query in pages:
        response = session.get(os.environ["PVE_API_HOST"].rstrip("/") + "/api2/json" + path, params=query, timeout=60,
                               verify=os.environ.get("PVE_CA_PATH") or True)
        response.raise_for_status()
        data = response.json()["data"]
        rows += len(data) if isinstance(data, list) else 1
    print(json.dumps({"pages": len(pages), "rows": rows}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
