"""Samples mode: serve the captured responses of tests/unit/fixtures/pve-api-samples as they are."""
from __future__ import annotations

import glob
import json
import os
import re

from .cluster import encode
from .routes import ApiError


def default_samples_dir():
    """tests/unit/fixtures/pve-api-samples (real PVE answers; provenance in its INDEX.md)."""
    tests = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    return os.path.join(tests, "unit", "fixtures", "pve-api-samples")


class SampleRouter:
    """Answers (method, path, query) from sample files; paths with {placeholders} match any segment."""

    def __init__(self, directory=None):
        self.directory = directory or default_samples_dir()
        self.entries = []
        for path in sorted(glob.glob(os.path.join(self.directory, "*", "*.json"))):
            with open(path, encoding="utf-8") as handle:
                sample = json.load(handle)
            req = sample["request"]
            regex = re.compile("^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(req["path"])) + "$")
            exact = "{" not in req["path"]
            self.entries.append((req.get("method", "GET"), regex, exact, dict(req.get("query") or {}),
                                 int(sample["status"]), encode(sample["body"]), os.path.relpath(path, self.directory)))
        # exact paths before placeholder paths
        self.entries.sort(key=lambda e: not e[2])

    def dispatch(self, method, path, query, _ident):
        candidates = [e for e in self.entries if e[0] == method and e[1].match(path)]
        if not candidates:
            raise ApiError(501, "Method '%s %s' not implemented" % (method, path))
        for entry in candidates:
            if entry[3] == query:
                return self._answer(entry)
        for entry in candidates:
            if not entry[3]:
                return self._answer(entry)
        return self._answer(candidates[0])

    @staticmethod
    def _answer(entry):
        status, body = entry[4], entry[5]
        if status != 200:
            message = json.loads(body).get("message") or "Parameter verification failed.\n"
            raise RawAnswer(status, message.strip(), body)
        return body


class RawAnswer(ApiError):
    """A captured non-200 answer, served with its own body."""

    def __init__(self, status, message, raw):
        super().__init__(status, message)
        self.raw = raw

    def body(self, with_message=True):  # pylint: disable=unused-argument
        """The captured body, as it is."""
        return self.raw
