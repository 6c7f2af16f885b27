# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Baseline: one raw `requests.get` of an API path (default /version) in a fresh Python process.

Connection from PVE_API_HOST (a URL), PVE_API_TOKEN_ID, PVE_API_TOKEN_SECRET, PVE_CA_PATH.
Prints the status and the in-process time of the import and of the GET.
"""

from __future__ import annotations

import json
import os
import sys
import time


def main(argv):
    path = argv[1] if len(argv) > 1 else "/version"
    started = time.perf_counter()
    import requests  # pylint: disable=import-outside-toplevel
    imported = time.perf_counter()
    response = requests.get(os.environ["PVE_API_HOST"].rstrip("/") + "/api2/json" + path, timeout=60,
                            verify=os.environ.get("PVE_CA_PATH") or True,
                            headers={"Authorization": "PVEAPIToken=%s=%s" % (os.environ["PVE_API_TOKEN_ID"],
                                                                             os.environ["PVE_API_TOKEN_SECRET"])})
    done = time.perf_counter()
    response.raise_for_status()
    print(json.dumps({"status": response.status_code, "import_s": imported - started, "get_s": done - imported}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
