# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Connection failures sorted by exception type (_failures.py), against real local servers:
scheme mismatches in both directions, an unknown host name, a refused port. Each says what is
wrong, is retried only when another attempt can help, and names method and path once."""

from __future__ import annotations

import socket

import pytest

from ansible_collections.pve.cluster.plugins.module_utils import _errors
from ansible_collections.pve.cluster.tests.unit.plugins.module_utils._local_server import LocalServer, free_port
# record and fast_backoff are pytest fixtures (fast_backoff autouse): imported to be active here
from ansible_collections.pve.cluster.tests.unit.plugins.module_utils import test_client
from ansible_collections.pve.cluster.tests.unit.plugins.module_utils.test_client import (
    _local_params, _ok, make_client, token_params)

fast_backoff = test_client.fast_backoff
record = test_client.record


def _redirect_to_https(request):
    """What pveproxy answers to plain HTTP on its HTTPS port since 2023 (pve-http-server
    src/PVE/APIServer/AnyEvent.pm, ensure_tls_connection): 301 to the https:// URL."""
    location = "https://%s%s" % (request["headers"].get("Host"), request["path"])
    return 301, "Moved Permanently", {"Location": location}, b"Moved Permanently"


def _failure(record, params, expected_type):
    client = make_client(record, **params)
    with pytest.raises(expected_type) as excinfo:
        client.get("/version")
    return record.error(excinfo)


def test_https_against_a_plain_http_port_names_the_scheme_mismatch(record):
    with LocalServer(_ok) as server:
        text = _failure(record, _local_params(server, scheme="https", api_retries=3), _errors.PveTLSError)
    assert "scheme mismatch" in text and "https://" in text and "does not speak TLS" in text
    assert "127.0.0.1:%d" % server.port in text
    assert text.count("GET /version") == 1
    assert record.warnings == []            # no retry: another attempt cannot help


def test_http_against_pveproxy_redirect_names_the_scheme_mismatch(record):
    with LocalServer(_redirect_to_https) as server:
        text = _failure(record, _local_params(server, scheme="http", api_retries=3), _errors.PveConnectionError)
        assert len(server.requests) == 1
    assert "scheme mismatch" in text and "speaks HTTPS" in text and "use https://" in text
    assert text.count("GET /version") == 1


def test_http_against_a_tls_port_that_drops_the_connection_names_the_scheme(record, tmp_path):
    # pveproxy before 2023 closed a plain-HTTP connection on its TLS port without an answer
    with LocalServer(_ok, tls=True, tmp_path=tmp_path) as server:
        text = _failure(record, _local_params(server, scheme="http"), _errors.PveConnectionError)
    assert "without an HTTP answer" in text and "scheme mismatch" in text and "use https://" in text


def test_other_redirects_are_invalid_answers(record):
    def elsewhere(request):
        return 302, "Found", {"Location": "/login"}, b""
    with LocalServer(elsewhere) as server:
        text = _failure(record, _local_params(server, scheme="http"), _errors.PveInvalidResponseError)
    assert "HTTP 302, a redirect to '/login'" in text and "scheme" not in text


def test_unknown_host_name_fails_at_once_without_retries(record, monkeypatch):
    lookups = []
    real_getaddrinfo = socket.getaddrinfo

    def getaddrinfo(host, *args, **kwargs):
        lookups.append(host)
        if host == "pve-does-not-exist.invalid":
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real_getaddrinfo(host, *args, **kwargs)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    text = _failure(record, token_params(api_host="pve-does-not-exist.invalid", api_retries=3),
                    _errors.PveConnectionError)
    assert "cannot resolve the host name pve-does-not-exist.invalid" in text and "Name or service not known" in text
    assert "check api_host" in text and "after" not in text
    assert lookups == ["pve-does-not-exist.invalid"] and record.warnings == []


def test_refused_port_is_retried_and_says_refused(record):
    port = free_port()
    text = _failure(record, token_params(api_host="127.0.0.1:%d" % port, api_retries=1), _errors.PveConnectionError)
    assert "connection refused" in text and "after 2 attempts" in text and text.count("GET /version") == 1
    assert len(record.warnings) == 1 and "connection refused, retry 1 of 1" in record.warnings[0]


def test_failures_are_not_sorted_by_their_text(record, monkeypatch):
    """A refused connection whose text says "timed out" and "IncompleteRead" is still a refused connection."""
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError(111, "timed out IncompleteRead Connection broken")
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr("urllib3.util.connection.create_connection", refuse)
    text = _failure(record, token_params(api_host="127.0.0.1:%d" % free_port(), api_retries=0),
                    _errors.PveConnectionError)
    assert "connection refused" in text and "cut off" not in text and "api_timeout=1s" in text
