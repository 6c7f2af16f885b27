# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Server-sourced text made safe to show: secrets hidden, control characters escaped.

* `Scrubber(secrets)`: every occurrence of a secret (token secret, password, ticket, CSRF token),
  whatever its length, becomes `<hidden>`; applied to error texts and to every string (keys too) of
  an answer that contains a secret. A secret is found however a server wrote it: as it is, with any
  of its characters as a JSON escape (`\\/`, `\\"`, `\\u002f`) or percent-encoded (`%2F`, `+` for a
  space: an echoed form-encoded login body), in any mixture.
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


_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "/": "\\/", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r",
                  "\t": "\\t"}


def _hex(number, digits):
    """A regex for `number` in hex with `digits` digits, either case."""
    return "".join("[%s%s]" % (d, d.upper()) if d.isalpha() else d for d in "%0*x" % (digits, number))


def _char_forms(char):
    """A regex for one character of a secret: itself, a JSON escape of it, or its UTF-8 bytes percent-encoded."""
    code = ord(char)
    forms = [re.escape(char)]
    if code < 0x10000:
        forms.append(r"\\u" + _hex(code, 4))
    else:  # JSON writes it as a surrogate pair
        code -= 0x10000
        forms.append(r"\\u%s\\u%s" % (_hex(0xD800 + (code >> 10), 4), _hex(0xDC00 + (code & 0x3FF), 4)))
    if char in _SHORT_ESCAPES:
        forms.append(re.escape(_SHORT_ESCAPES[char]))
    forms.append("".join("%" + _hex(byte, 2) for byte in char.encode("utf-8", "surrogatepass")))
    if char == " ":
        forms.append(r"\+")
    return "(?:%s)" % "|".join(forms)


def secret_pattern(secrets):
    """One regex matching any of `secrets` (longest first) written plainly, JSON-escaped or percent-encoded."""
    secrets = [s for s in secrets if s]
    if not secrets:
        return None
    return re.compile("|".join("".join(_char_forms(char) for char in secret) for secret in secrets))


def _hide(text, pattern):
    """`text` with every occurrence of a secret of `pattern` (secret_pattern) as HIDDEN."""
    return text if pattern is None else pattern.sub(HIDDEN, text)


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
        self._compiled = ((), None)

    def current(self):
        # longest first, so a secret that contains another one is hidden whole
        return sorted((s for s in self._secrets() if s), key=len, reverse=True)

    def pattern(self):
        """The secret_pattern of the current secrets (compiled again only when they change: after a login)."""
        secrets = tuple(self.current())
        known, pattern = self._compiled
        if secrets != known:
            pattern = secret_pattern(secrets)
            self._compiled = (secrets, pattern)
        return pattern

    def _may_hold(self, raw_text, pattern):
        """For a `raw_text` without a backslash (then every decoded string is a piece of it): False when no
        decoded string can hold a secret in any form. Without a '%' a secret can be in it only as it is (or with
        '+' for its spaces): plain `in` scans, so a large normal answer costs no regex search."""
        if "%" in raw_text:
            return pattern.search(raw_text) is not None
        return any(form in raw_text for secret in self.current() for form in (secret, secret.replace(" ", "+")))

    def text(self, text):
        """`text` (any value: non-strings are described, not str()-ed blindly) without secrets, trimmed, terminal-safe."""
        if text is None:
            return ""
        if not isinstance(text, str):
            text = str(text) if isinstance(text, (int, float, bool)) else "<%s>" % type(text).__name__
        text = _hide(text, self.pattern())
        return terminal_safe(text.strip())  # PVE ends its messages with a newline

    def excerpt(self, text, limit):
        """The first `limit` characters of text(`text`): only the start is scrubbed, enough of it that a secret
        beginning inside the excerpt is hidden whole (an escaped character takes at most 12 characters)."""
        longest = max([len(secret) for secret in self.current()] or [0])
        return self.text(text[:limit + 12 * longest + 1])[:limit]

    def data(self, value, raw_text):
        """A decoded 200 answer with every secret hidden (in keys and values) and lone surrogates replaced.

        `raw_text` is the JSON text the answer was decoded from: the walk runs only when it contains a
        secret or any escape (a backslash: a secret can be written with escapes, `\\/` in a base64 ticket;
        without one every decoded string is a piece of the text), so a normal answer costs two scans.
        The answer's depth is bounded before (the client refuses answers nested deeper than MAX_DEPTH).
        Returns (value, fixes): fixes counts the strings that had lone surrogates.
        """
        pattern = self.pattern()
        if "\\" not in raw_text and (pattern is None or not self._may_hold(raw_text, pattern)):
            return value, 0
        fixes = [0]

        def clean(item):
            if isinstance(item, str):
                item = _hide(item, pattern)
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
