# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A hostile server (tests/unit/plugins/_hostile_server.py, plain HTTP on 127.0.0.1) against the modules, run
in-process: secrets echoed back, slow drips, huge answers, wrong-typed data, odd text (endless pages and ids:
the tests of each module).

Every result (and the module's whole output) is checked for the secrets; every server loop is bounded."""

from __future__ import annotations

import pytest

from ansible_collections.pve.cluster.plugins.modules import (
    pve_cluster_info, pve_nextid, pve_node_info, pve_tasks_info, pve_version_info)
from ansible_collections.pve.cluster.tests.unit.plugins.module_utils import _local_server
from ansible_collections.pve.cluster.tests.unit.plugins._hostile_server import (
    MIB, Hostile, echo_auth, envelope, huge, raw_json, slow_drip)
from ansible_collections.pve.cluster.tests.unit.plugins.modules._module_runner import (
    run_module_output, warnings_of)

SECRET = _local_server.SECRET
MODULES = {m.__name__.rsplit(".", 1)[-1]: m for m in (pve_cluster_info, pve_nextid, pve_node_info, pve_tasks_info,
                                                      pve_version_info)}


@pytest.fixture
def hostile():
    with Hostile() as server:
        yield server


def run(capsys, server, module, args=None, secret=SECRET, **connection):
    """The module against the server; returns (result, output). No secret may be in the output."""
    options = {k: v for k, v in server.params(api_token_secret=secret, **connection).items() if v is not None}
    result, _code, out = run_module_output(MODULES[module], capsys, dict(options, **(args or {})))
    for value in (secret, connection.get("api_password")):
        assert not value or value not in out, out
    assert "Traceback" not in out, out
    return result, out


def failed_msg(result):
    assert result.get("failed") is True, result
    return result["msg"]


# -- one clear failure: secrets, odd text, deadlines, sizes ------------------------------------------
PASSWORD_LOGIN = {"secret": None, "api_token_id": None, "api_user": "root@pam"}
DRIP = {"api_timeout": 1}  # one byte every 0.25 s: each read alone is within api_timeout, the whole request is not
# name: (routes, connection, pve_version_info's args, what the message and warnings say,
#        (fewest, most) GET /version or None)
FAILURES = {
    # a 3-character token secret echoed in an error: hidden all the same, with a warning that it is no PVE token secret
    "short token secret": ({"/version": echo_auth}, {"secret": "Zq7"}, {},
                           ["PVEAPIToken=root@pam!hostile=<hidden>", "does not look like a PVE token secret"], None),
    # a 2-character password echoed by the login's 401: hidden (secrets of any length are scrubbed)
    "short password echoed": ({"/access/ticket": envelope({"data": None, "message": "authentication failure for password Q~"},
                                                          status=401)}, dict(PASSWORD_LOGIN, api_password="Q~"), {},
                              ["password <hidden>"], None),
    # an ANSI escape and a carriage return: shown as \x1b and \x0d, never raw
    "ansi escape": ({"/version": envelope({"data": None, "message": "bad \x1b[2J\x1b[31mred\rover"}, status=500)}, {}, {},
                    ["bad \\x1b[2J\\x1b[31mred\\x0dover"], None),
    "slow drip of the body": ({"/version": slow_drip(interval=0.25)}, {}, DRIP,
                              ["did not answer within api_timeout=1s (a deadline for the whole request"], (1, 1)),
    "slow drip of the headers": ({"/version": slow_drip(interval=0.25, header_drip=True)}, {}, DRIP,
                                 ["did not answer within api_timeout=1s (a deadline for the whole request"], (1, 1)),
    # the retries stop when the total deadline runs out: 2 or 3 requests, not 6
    "total deadline": ({"/version": slow_drip(interval=0.25)}, {}, dict(DRIP, api_retries=5, api_total_timeout=2),
                       ["api_total_timeout=2s ran out"], (2, 3)),
    # 1 GiB: the default cap named (gzip bombs: test_client_server.py; the peak memory: `make bench`)
    "1 GiB answer": ({"/version": huge(1024 * MIB)}, {}, {},
                     ["larger than api_max_answer_mb=64 MiB (after decompression)", "raise api_max_answer_mb"], None),
}


@pytest.mark.parametrize("case", sorted(FAILURES))
def test_a_hostile_answer_is_one_clear_failure(hostile, capsys, case):
    routes, connection, args, texts, asked = FAILURES[case]
    for path, answer in routes.items():
        hostile.route(path, answer)
    result, out = run(capsys, hostile, "pve_version_info", args, **connection)
    said = "\n".join([failed_msg(result)] + warnings_of(result))
    assert all(text in said for text in texts), result
    assert "\x1b" not in out
    if asked:
        assert asked[0] <= hostile.count("/version") <= asked[1]


# -- wrong-typed data, odd text --------------------------------------------------------------------
@pytest.mark.parametrize("module, path, data, said", [
    ("pve_version_info", "/version", ["9.1"], "a list"),
    ("pve_cluster_info", "/cluster/resources", {"vmid": 100}, "an object"),
    ("pve_cluster_info", "/cluster/status", {"name": "c"}, "an object"),
    ("pve_node_info", "/nodes", None, "null"),
    ("pve_tasks_info", "/nodes", None, "null"),
    ("pve_nextid", "/cluster/resources", "none", "a string"),
])
def test_wrong_typed_data(hostile, capsys, module, path, data, said):
    """The answer's data has the wrong type: the module fails naming the path and what came back (never an
    empty success such as version {} or 0 nodes)."""
    hostile.route(path, data)
    result, _out = run(capsys, hostile, module, {"count": 2} if module == "pve_nextid" else {})
    assert "GET %s: PVE answered with %s where" % (path, said) in failed_msg(result), result


def test_lone_surrogate(hostile, capsys):
    """A guest name holding a lone UTF-16 surrogate (\\ud800): replaced by U+FFFD with a warning, no crash."""
    hostile.route("/cluster/resources", raw_json(
        '{"data": [{"id": "qemu/100", "vmid": 100, "type": "qemu", "node": "pve1", "name": "bad\\ud800name"}]}'))
    result, _out = run(capsys, hostile, "pve_cluster_info", {"gather": ["resources"]})
    assert result["resources"][0]["name"] == "bad\ufffdname", result
    assert any("invalid Unicode" in w for w in warnings_of(result)), result
