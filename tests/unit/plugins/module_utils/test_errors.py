# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The error tree and error_from_response (HTTP status -> type, hints, odd bodies). The message from the body or the
reason phrase, as the client reads them: test_client_server.py::test_failures."""

from __future__ import annotations

import pytest

from ansible_collections.pve.cluster.plugins.module_utils import _errors


@pytest.mark.parametrize("status, error_type", [
    (400, _errors.PveBadRequestError),
    (401, _errors.PveAuthError),
    (403, _errors.PvePermissionError),
    (404, _errors.PveHttpError),
    (500, _errors.PveServerError),
    (501, _errors.PveServerError),
    (502, _errors.PveServerError),
    (595, _errors.PveNodeUnreachableError),
    (596, _errors.PveNodeUnreachableError),
    (597, _errors.PveNodeUnreachableError),
    (599, _errors.PveNodeUnreachableError),
])
def test_status_to_type(status, error_type):
    err = _errors.error_from_response(status, "GET", "/x", "Reason", None)
    assert err.__class__ is error_type
    assert isinstance(err, _errors.PveHttpError) and isinstance(err, _errors.PveError)
    assert (err.status, err.method, err.path) == (status, "GET", "/x")


def test_errors_sorted_and_stringified():
    err = _errors.error_from_response(400, "GET", "/p", "", {"errors": {"b": 2, "a": "x"}, "message": None})
    assert str(err) == "GET /p failed: HTTP 400 (a: x, b: 2)"
    assert err.to_result() == {"status": 400, "errors": {"a": "x", "b": "2"}}


def test_empty_everything():
    err = _errors.error_from_response(595, "GET", "/nodes/pve2/status", "", None)
    assert str(err) == ("GET /nodes/pve2/status failed: HTTP 595. "
                        "The node is offline or unreachable from the node you contacted")


def test_hints_and_punctuation():
    auth = _errors.error_from_response(401, "GET", "/version", "Authentication failed!", None)
    assert str(auth).startswith("GET /version failed: HTTP 401 Authentication failed! Check api_token_id")
    perm = _errors.error_from_response(403, "GET", "/nodes", "", {"message": "Permission check failed (/vms/100, VM.Audit)\n"})
    assert str(perm) == ("GET /nodes failed: HTTP 403 Permission check failed (/vms/100, VM.Audit). The user or token "
                         "lacks this privilege on PVE (for these read-only modules: role PVEAuditor on /)")
    dotted = _errors.error_from_response(401, "GET", "/version", "No ticket.", None)
    assert "No ticket. Check api_token_id" in str(dotted)


@pytest.mark.parametrize("body", [None, [], "text", 5, {"message": 5}, {"errors": "not a dict"}, {"message": ["a"]}])
def test_odd_bodies_never_break(body):
    err = _errors.error_from_response(500, "GET", "/x", "fallback", body)
    assert str(err).startswith("GET /x failed: HTTP 500")


def test_option_error():
    err = _errors.PveOptionError("vmid", "must be between 100 and 999999999")
    assert (err.option, str(err)) == ("vmid", "vmid: must be between 100 and 999999999")
    assert str(_errors.PveOptionError(None, "No credentials")) == "No credentials"
    assert err.to_result() == {"failed_option": "vmid", "failed_reason": "must be between 100 and 999999999"}
    assert _errors.PveOptionError(None, "No credentials").to_result() == {}


def test_transport_errors():
    for error_type in (_errors.PveTLSError, _errors.PveTimeoutError, _errors.PveConnectionError):
        assert issubclass(error_type, _errors.PveTransportError), error_type
    err = _errors.PveInvalidResponseError("bad", status=200, method="GET", path="/v")
    assert (str(err), err.to_result()) == ("bad", {"status": 200})
    assert _errors.PveInvalidResponseError("bad").to_result() == {}
