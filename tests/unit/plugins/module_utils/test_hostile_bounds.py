# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Hostile round two (issue 29 points 6, 7 and 9), against a server on 127.0.0.1: every answer bounded in depth
and size on every urllib3 the collection accepts (1.26.x and 2.x: the client decompresses itself, under the cap),
numbers out of range treated as missing. Work that could allocate without bound runs in a child process under an
address-space cap (_capped.run_capped)."""

from __future__ import annotations

import gzip
import json
import zlib

import pytest

from ansible_collections.pve.cluster.plugins.module_utils import _errors
from ansible_collections.pve.cluster.plugins.module_utils._client import MAX_DEPTH, PveClient
from ansible_collections.pve.cluster.plugins.module_utils._normalize import take_out_of_range, to_number
from ansible_collections.pve.cluster.plugins.module_utils._options import ConnectionConfig
from ansible_collections.pve.cluster.tests.unit.plugins._capped import run_capped
from ansible_collections.pve.cluster.tests.unit.plugins.module_utils._local_server import LocalServer

JSON = {"Content-Type": "application/json;charset=UTF-8"}
MIB = 1024 * 1024


def one_gib_of_gzip_members():
    """1 GiB of zeros as 1,024 gzip members of 1 MiB each (valid gzip: members may follow one another), ~1 MB."""
    return gzip.compress(b"\0" * MIB, 9) * 1024


def bomb(encodings):
    """An answer body for `Content-Encoding: <encodings>`: 1 GiB after every layer is undone."""
    body = one_gib_of_gzip_members()
    for name in encodings.split(",")[1:]:
        name = name.strip()
        body = gzip.compress(body, 9) if name == "gzip" else zlib.compress(body, 9)
    return body


CHILD_GET = """
from ansible_collections.pve.cluster.plugins.module_utils._client import PveClient
from ansible_collections.pve.cluster.plugins.module_utils._options import ConnectionConfig
client = PveClient(ConnectionConfig.from_params(%r))
try:
    client.get("/version")
    RESULT({"error": None})
except Exception as err:
    RESULT({"error": type(err).__name__, "message": str(err)})
"""


@pytest.mark.reliability(
    theme="hostile round two", case='7 decompression bomb',
    expected='1 GiB after decompression (Content-Encoding gzip, gzip; 1,024 gzip members; gzip, deflate; a '
             "301's body): fails naming api_max_answer_mb, in a child under a 900 MiB address-space cap, on "
             'urllib3 2.x and 1.26.18.')
@pytest.mark.parametrize("status, encodings", [
    (200, "gzip, gzip"),      # urllib3 1.26: 2 GiB RSS; 2.5: 500 s (issue 29 point 7)
    (200, "gzip"),            # 1,024 members in one layer: urllib3 1.26 expands every member of a read at once
    (200, "gzip, deflate"),
    (301, "gzip"),            # requests reads a redirect's whole body itself, decoded, even without following it
], ids=["gzip-gzip", "gzip-members", "gzip-deflate", "redirect-gzip"])
def test_decompression_bomb_is_refused_under_the_cap(status, encodings):
    payload = bomb(encodings)
    headers = dict(JSON, **{"Content-Encoding": encodings})
    if status == 301:
        headers["Location"] = "https://elsewhere.example/"

    def handler(_request):
        return status, "Moved" if status == 301 else "OK", headers, payload

    with LocalServer(handler) as server:
        outcome = run_capped(CHILD_GET % (server.params(api_max_answer_mb=8),), as_mib=900, timeout=120)
    assert not outcome["killed"] and outcome["rc"] == 0, outcome
    assert outcome["result"]["error"] == "PveInvalidResponseError", outcome
    assert "larger than api_max_answer_mb=8 MiB (after decompression)" in outcome["result"]["message"]


@pytest.mark.reliability(
    theme="hostile round two", case='7 stacked encodings within the cap',
    expected='deflate, gzip around a real answer: decoded and read.')
def test_a_stacked_gzip_answer_within_the_cap_is_read():
    data = {"data": {"version": "9.1", "release": "9.1", "repoid": "x" * 300000}}
    payload = gzip.compress(zlib.compress(json.dumps(data).encode()))

    def handler(_request):
        return 200, "OK", dict(JSON, **{"Content-Encoding": "deflate, gzip"}), payload

    with LocalServer(handler) as server:
        client = PveClient(ConnectionConfig.from_params(server.params()))
        assert client.get("/version") == data["data"]


@pytest.mark.reliability(
    theme="hostile round two", case='7 unknown or too many encodings',
    expected='br, or six stacked gzip layers: a clear error naming Content-Encoding and what the client asks '
             'for (gzip, deflate).')
@pytest.mark.parametrize("encodings", ["br", "gzip, gzip, gzip, gzip, gzip, gzip"])
def test_an_encoding_the_client_does_not_decode_is_refused(encodings):
    def handler(_request):
        return 200, "OK", dict(JSON, **{"Content-Encoding": encodings}), b"{}"

    with LocalServer(handler) as server:
        client = PveClient(ConnectionConfig.from_params(server.params()))
        with pytest.raises(_errors.PveInvalidResponseError) as excinfo:
            client.get("/version")
    assert "Content-Encoding" in str(excinfo.value) and "gzip, deflate" in str(excinfo.value)
    assert server.requests[0]["headers"]["Accept-Encoding"] == "gzip, deflate"


def nested(depth):
    """`depth` levels of lists and objects around one string."""
    value = "bottom"
    for level in range(depth):
        value = {"interfaces": value} if level % 2 else [value]
    return value


def nested_text(depth):
    """nested(depth) as JSON text, built without recursion (json.dumps itself stops near 1,000 levels)."""
    opening = "".join('{"interfaces": ' if level % 2 else "[" for level in reversed(range(depth)))
    closing = "".join("}" if level % 2 else "]" for level in range(depth))
    return opening + '"a\\/b"' + closing  # an escape: the scrubber would walk the answer


@pytest.mark.reliability(
    theme="hostile round two", case='6 answer nested too deep',
    expected='Data nested 33, 500 or 5,000 levels: a clear error (nested deeper than 32 levels), no '
             'RecursionError.')
@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 500, 5000])
def test_an_answer_nested_too_deep_is_refused(depth):
    text = '{"data": %s}' % nested_text(depth)

    def handler(_request):
        return 200, "OK", JSON, text.encode()

    with LocalServer(handler) as server:
        client = PveClient(ConnectionConfig.from_params(server.params()))
        with pytest.raises(_errors.PveInvalidResponseError) as excinfo:
            client.get("/nodes/{node}/qemu/{vmid}/agent/network-get-interfaces", node="pve1", vmid=100)
    assert "nested deeper than %d levels" % MAX_DEPTH in str(excinfo.value)


@pytest.mark.reliability(
    theme="hostile round two", case='6 answer as deep as the limit',
    expected='Data nested 32 levels: read.')
def test_an_answer_as_deep_as_the_limit_is_read():
    def handler(_request):
        return 200, "OK", JSON, json.dumps({"data": nested(MAX_DEPTH)}).encode()

    with LocalServer(handler) as server:
        client = PveClient(ConnectionConfig.from_params(server.params()))
        assert client.get("/version") == nested(MAX_DEPTH)


@pytest.mark.reliability(
    theme="hostile round two", case='9 JSON numbers out of range',
    expected='400- and 5,000-digit JSON numbers: None with one warning (not an invalid-JSON failure); 2**64-1 '
             'kept.')
def test_json_numbers_out_of_range_are_missing_with_a_warning():
    text = ('{"data": [{"vmid": 100, "maxmem": %s, "mem": %s, "disk": -%s, "cpu": 0.5, "netin": 18446744073709551615}]}'
            % ("9" * 400, "7" * 5000, "1" * 21))
    warnings = []

    def handler(_request):
        return 200, "OK", JSON, text.encode()

    with LocalServer(handler) as server:
        client = PveClient(ConnectionConfig.from_params(server.params()), warn=warnings.append)
        rows = client.get("/cluster/resources")
    assert rows == [{"vmid": 100, "maxmem": None, "mem": None, "disk": None, "cpu": 0.5, "netin": 2 ** 64 - 1}]
    assert [w for w in warnings if "out of range" in w] == [
        "GET /cluster/resources: 3 number(s) in the answer were not finite or out of range (NaN, Infinity, beyond "
        "+-2**64); treated as missing"]


@pytest.mark.reliability(
    theme="hostile round two", case='9 numeric text out of range',
    expected='1e999, 400, 5,000 and 4,000-digit numbers as text: None, noted once (a short excerpt).')
@pytest.mark.parametrize("text", ["1e999", "-1e999", "9" * 400, "7" * 5000, "1" * 4000 + ".5", "18446744073709551616"])
def test_numeric_strings_out_of_range_are_missing_and_noted(text):
    take_out_of_range()
    assert to_number(text) is None
    noted = take_out_of_range()
    assert len(noted) == 1 and len(noted[0]) < 40, noted
    assert take_out_of_range() == []


def test_numeric_strings_in_range_are_numbers():
    take_out_of_range()
    assert [to_number(text) for text in ("18446744073709551615", "-5", "2.5", "1e3", "abc")] == [
        2 ** 64 - 1, -5, 2.5, 1000.0, "abc"]
    assert take_out_of_range() == []
