# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Server-sourced text made safe to show: secrets hidden, control characters escaped.

* `Scrubber(secrets)`: every occurrence of a secret (token secret, password, ticket, CSRF token),
  whatever its length, becomes `<hidden>`; applied to error texts and to every string (keys too) of
  an answer that contains a secret.
* `terminal_safe(text)`: control characters (C0, DEL, C1: ANSI escapes start with ESC) become
  visible escapes (`\\x1b`), so API text cannot move the cursor or recolour a terminal.
* `Scrubber.data(value, raw_text)` also turns lone UTF-16 surrogates (a JSON `\\ud800` escape) into
  U+FFFD; they cannot be encoded as UTF-8 and would crash whatever prints them.
"""

from __future__ import annotations

import re

HIDDEN = "<hidden>"
_CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f]")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z")


def _hide(text, secrets):
    """`text` with every occurrence of each secret, in the order given (Scrubber.current: longest first), as HIDDEN."""
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, HIDDEN)
    return text


def _escape(match):
    return "\\x%02x" % ord(match.group(0))


def terminal_safe(text):
    """`text` with every control character (also newline and tab) written as a \\xNN escape."""
    text = "" if text is None else (text if isinstance(text, str) else str(text))
    return _CONTROL_RE.sub(_escape, text)


SHORT_SECRET = 16


def looks_like_token_secret(secret):
    """PVE's token secrets are UUIDs. One that is no UUID and shorter than SHORT_SECRET characters is probably
    a mistake, and a bad no_log value: Ansible masks every occurrence of it, in ordinary words too."""
    return bool(secret) and (_UUID_RE.match(secret) is not None or len(secret) >= SHORT_SECRET)


class Scrubber:
    """Hides the secrets returned by `secrets()` (a callable: the ticket changes after a login)."""

    def __init__(self, secrets):
        self._secrets = secrets

    def current(self):
        # longest first, so a secret that contains another one is hidden whole
        return sorted((s for s in self._secrets() if s), key=len, reverse=True)

    def text(self, text, secrets=None):
        """`text` (any value: non-strings are described, not str()-ed blindly) without secrets, trimmed, terminal-safe."""
        if text is None:
            return ""
        if not isinstance(text, str):
            text = str(text) if isinstance(text, (int, float, bool)) else "<%s>" % type(text).__name__
        text = _hide(text, self.current() if secrets is None else secrets)
        return terminal_safe(text.strip())  # PVE ends its messages with a newline

    def data(self, value, raw_text):
        """A decoded 200 answer with every secret hidden (in keys and values) and lone surrogates replaced.

        `raw_text` is the JSON text the answer was decoded from: the walk runs only when it contains a
        secret or a \\u escape (a secret can be written as escapes), so a normal answer costs one scan.
        Returns (value, fixes): fixes counts the strings that had lone surrogates.
        """
        secrets = self.current()
        if "\\u" not in raw_text and not any(secret in raw_text for secret in secrets):
            return value, 0
        fixes = [0]

        def clean(item):
            if isinstance(item, str):
                item = _hide(item, secrets)
                if _SURROGATE_RE.search(item):
                    fixes[0] += 1
                    item = _SURROGATE_RE.sub("\ufffd", item)
                return item
            if isinstance(item, list):
                return [clean(element) for element in item]
            if isinstance(item, dict):
                return dict((clean(key), clean(element)) for key, element in item.items())
            return item

        return clean(value), fixes[0]
