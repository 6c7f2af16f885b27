"""Fault injection: rules matched per request (a path regex), applied by the server."""
from __future__ import annotations

import re
import threading

KINDS = ("status", "truncate", "malformed", "html", "hang", "take")

# PVE-like reason phrases of the statuses the tests inject (others: "Error"); 401 and 595 have an empty body like pveproxy.
REASONS = {
    400: "Parameter verification failed.",
    401: "Authentication failed!",
    403: "Permission check failed",
    500: "Internal Server Error",
    503: "Service Unavailable",
    595: "Errors during connection establishment, proxy handshake: No route to host",
}
EMPTY_BODY_STATUSES = (401, 595)


class Fault:
    """One rule. times=None: forever; otherwise it fires that many times and then stops matching."""

    def __init__(self, path=".*", kind="status", status=None, times=None, message=None, body=None):
        # from a playbook on ansible-core < 2.19 (no native Jinja types) numbers arrive as strings
        status, times = (None if v is None else int(v) for v in (status, times))
        if kind not in KINDS:
            raise ValueError("unknown fault kind %r (one of %s)" % (kind, ", ".join(KINDS)))
        if kind == "status" and status is None:
            raise ValueError("a status fault needs a status")
        self.regex = re.compile(path)
        self.kind = kind
        self.status = status
        self.times = times
        self.message = message
        self.body = body
        self.hits = 0


class FaultSet:
    """Thread-safe list of faults; first matching rule wins."""

    def __init__(self):
        self._faults = []
        self._lock = threading.Lock()

    def add(self, **kwargs):
        fault = Fault(**kwargs)
        with self._lock:
            self._faults.append(fault)

    def clear(self):
        with self._lock:
            self._faults = []

    def take(self, path):
        """The fault to apply to this request (consuming one of its `times`), or None."""
        with self._lock:
            for fault in self._faults:
                if fault.times is not None and fault.hits >= fault.times:
                    continue
                if fault.regex.search(path):
                    fault.hits += 1
                    return fault
        return None
