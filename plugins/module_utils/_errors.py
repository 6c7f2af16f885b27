# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The pve.cluster exception tree and the factory that maps an HTTP answer to it.

Every message is complete and user-facing; none of them ever holds a secret, because no
secret is ever passed in here (the client only hands over method, path, status and PVE's text).
"""

from __future__ import annotations


class PveError(Exception):
    """Root of every error raised by pve.cluster's client and helpers."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return self.message

    def to_result(self):
        """Extra keys a module adds to fail_json (never secrets)."""
        return {}


class PveOptionError(PveError):
    """An option value is wrong; raised before any request is made."""

    def __init__(self, option, message):
        self.option = option
        self.reason = message
        super().__init__("%s: %s" % (option, message) if option else message)

    def to_result(self):
        """failed_option and failed_reason: a role can name its own variable without parsing the message."""
        return {"failed_option": self.option, "failed_reason": self.reason} if self.option else {}


class PveTransportError(PveError):
    """The request did not produce an HTTP answer (or not a usable one)."""


class PveConnectionError(PveTransportError):
    pass


class PveTimeoutError(PveTransportError):
    pass


class PveTLSError(PveTransportError):
    pass


class PveInvalidResponseError(PveTransportError):
    """The server answered, but not with PVE's JSON envelope."""

    def __init__(self, message, status=None, method=None, path=None):
        super().__init__(message)
        self.status = status
        self.method = method
        self.path = path

    def to_result(self):
        return {"status": self.status} if self.status else {}


class PveLimitError(PveError):
    """An answer went past a documented cap (rows, pages, log lines); the message names the option that raises it."""


class PveHttpError(PveError):
    """PVE answered with an HTTP error status."""

    hint = ""

    def __init__(self, status, method, path, pve_message="", errors=None):
        self.status = status
        self.method = method
        self.path = path
        self.pve_message = pve_message
        self.errors = errors or {}
        text = "%s %s failed: HTTP %s" % (method, path, status)
        if pve_message:
            text += " %s" % pve_message
        if self.errors:
            text += " (%s)" % ", ".join("%s: %s" % (k, v) for k, v in sorted(self.errors.items()))
        if self.hint:
            text = text.rstrip(" .")
            text += (" " if text.endswith(("!", "?")) else ". ") + self.hint
        super().__init__(text)

    def to_result(self):
        result = {"status": self.status}
        if self.errors:
            result["errors"] = dict(self.errors)
        return result


class PveBadRequestError(PveHttpError):
    """400: a parameter failed PVE's validation; `errors` maps parameter to message."""


class PveAuthError(PveHttpError):
    hint = ("Check api_token_id (user@realm!name) and api_token_secret, or api_user and api_password: "
            "the token or ticket may be wrong, expired or disabled")


class PvePermissionError(PveHttpError):
    hint = "The user or token lacks this privilege on PVE (for these read-only modules: role PVEAuditor on /)"


class PveNodeUnreachableError(PveHttpError):
    """595/596/597/599: pveproxy could not reach the node named in the path."""

    hint = "The node is offline or unreachable from the node you contacted"


class PveServerError(PveHttpError):
    pass


# A per-node read that failed in one of these ways counts as "that node is unreachable": the node you
# contacted answered 595/596/... or did not answer within api_timeout (pveproxy waits 30 s itself).
NODE_UNREACHABLE = (PveNodeUnreachableError, PveTimeoutError)


def _status_class(status):
    if status == 400:
        return PveBadRequestError
    if status == 401:
        return PveAuthError
    if status == 403:
        return PvePermissionError
    if status in (595, 596, 597, 598, 599):
        return PveNodeUnreachableError
    if status >= 500:
        return PveServerError
    return PveHttpError


def error_from_response(status, method, path, reason="", body=None):
    """Build the right PveHttpError for an HTTP error answer.

    PVE puts its message in the JSON body's `message` (since 2025) and always in the reason
    phrase; a 400 also carries per-parameter `errors`.
    """
    message = ""
    errors = None
    if isinstance(body, dict):
        message = body.get("message") or ""
        if isinstance(body.get("errors"), dict):
            errors = dict((str(k), str(v)) for k, v in body["errors"].items())
    if not isinstance(message, str):
        message = str(message)
    message = message.strip() or (reason or "").strip()
    return _status_class(status)(status, method, path, message, errors)
