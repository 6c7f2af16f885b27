# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reliability: bad input is refused with an error naming the option, before any request, without a traceback.

The module cases run as one playbook per environment (one module task per case, timestamped by the
controller before and after), so each case's requests are the pvesim requests that arrived between
its two timestamps: there must be none.
"""

from __future__ import annotations

import concurrent.futures
import re

import pytest

from reliability_support import (
    PASSWORD, TRACEBACK, env_for, make_sim, requests_between, run_inventory, run_playbook)

pytestmark = pytest.mark.usefixtures("reliability_session")


# (id, module, args, option the message must name, another text the message must hold)
WITH_TOKEN = [
    ("nextid-vmid-99", "pve_nextid", {"vmid": 99}, "vmid", "100 and 999999999"),
    ("nextid-vmid-1e9", "pve_nextid", {"vmid": 1000000000}, "vmid", "100 and 999999999"),
    ("nextid-vmid-type", "pve_nextid", {"vmid": "one hundred"}, "vmid", "int"),
    ("nextid-lower-gt-upper", "pve_nextid", {"lower": 500, "upper": 200}, "lower", "upper"),
    ("nextid-count-0", "pve_nextid", {"count": 0}, "count", "1"),
    ("node-dotdot", "pve_node_info", {"node": ["../x"]}, "node", "../x"),
    ("node-gather-everything", "pve_node_info", {"gather": ["everything"]}, "gather", "status, network"),
    ("node-network-type", "pve_node_info", {"network_type": "wifi"}, "network_type", "bridge"),
    ("tasks-upid-garbage", "pve_tasks_info", {"upid": "UPID:garbage"}, "upid", "UPID"),
    ("tasks-since-yesterday", "pve_tasks_info", {"since": "yesterday"}, "since", "ISO 8601"),
    ("tasks-until-type", "pve_tasks_info", {"until": [1, 2]}, "until", "ISO 8601"),
    ("tasks-limit-negative", "pve_tasks_info", {"limit": -1}, "limit", "0"),
    ("tasks-node-dotdot", "pve_tasks_info", {"node": "../x"}, "node", "../x"),
    ("tasks-vmid-99", "pve_tasks_info", {"vmid": 99}, "vmid", "100 and 999999999"),
    ("tasks-statusfilter", "pve_tasks_info", {"statusfilter": ["failed"]}, "statusfilter", "ok, warning, error"),
    ("tasks-source", "pve_tasks_info", {"source": "history"}, "source", "archive, active, all"),
    ("cluster-resource-type", "pve_cluster_info", {"resource_type": "vms"}, "resource_type", "vm, storage, node"),
    ("cluster-gather-everything", "pve_cluster_info", {"gather": ["everything"]}, "gather", "status, resources"),
    ("api-host-scheme-only", "pve_version_info", {"api_host": "http://"}, "api_host", "host"),
    ("api-host-userinfo", "pve_version_info", {"api_host": "https://root:{{ rel_password }}@pve1:8006"}, "api_host", "user"),
    ("api-port-range", "pve_version_info", {"api_port": 70000}, "api_port", "65535"),
    ("api-port-type", "pve_version_info", {"api_port": "https"}, "api_port", "int"),
    ("ca-path-missing", "pve_version_info", {"ca_path": "/nonexistent/pve-root-ca.pem"}, "ca_path", "does not exist"),
    ("validate-certs-type", "pve_version_info", {"validate_certs": "maybe"}, "validate_certs", "bool"),
    ("api-timeout-0", "pve_version_info", {"api_timeout": 0}, "api_timeout", ">= 1"),
    ("api-retries-negative", "pve_version_info", {"api_retries": -1}, "api_retries", ">= 0"),
    ("password-and-token", "pve_version_info", {"api_user": "root@pam", "api_password": "{{ rel_password }}"},
     "api_password", "mutually exclusive"),
    ("token-id-format", "pve_cluster_info", {"api_token_id": "root@pam!bad name"}, "api_token_id", "user@realm!name"),
]
# The environment has no credentials for these.
WITHOUT_CREDENTIALS = [
    ("no-credentials-version", "pve_version_info", {}, "api_token_id", "No credentials"),
    ("no-credentials-tasks", "pve_tasks_info", {}, "api_token_id", "No credentials"),
    ("no-credentials-nextid", "pve_nextid", {}, "api_token_id", "No credentials"),
    ("password-without-user", "pve_version_info", {"api_password": "{{ rel_password }}"}, "api_user", "required"),
    ("user-without-realm", "pve_version_info", {"api_user": "root", "api_password": "{{ rel_password }}"}, "api_user", "user@realm"),
    ("secret-without-id", "pve_version_info", {"api_token_secret": "x" * 12}, "api_token_id", "required"),
]
ALL_CASES = dict((case[0], case + (batch,)) for batch, cases in (("token", WITH_TOKEN), ("none", WITHOUT_CREDENTIALS))
                 for case in cases)


def batch_tasks(cases):
    tasks = []
    for index, (_case_id, module, args, _option, _text) in enumerate(cases):
        tasks += [
            {"name": "t0 %d" % index, "ansible.builtin.set_fact": {"rel_t0_%d" % index: "{{ now().timestamp() }}"}},
            {"name": "case %d" % index, "pve.cluster." + module: args, "register": "rel_case_%d" % index,
             "ignore_errors": True},
            {"name": "t1 %d" % index, "ansible.builtin.set_fact": {"rel_t1_%d" % index: "{{ now().timestamp() }}"}},
        ]
    return tasks


def run_batch(sim, batch, cases, tmp_path):
    """One playbook holding `cases`; returns (Run, {case_id: (result, requests during it, seconds)}, all requests)."""
    sim.clear_requests()
    env = env_for(sim, tmp_path)
    if batch == "none":
        for name in ("PVE_API_TOKEN_ID", "PVE_API_TOKEN_SECRET"):
            env.pop(name, None)
    names = []
    for index in range(len(cases)):
        names += ["rel_case_%d" % index, "rel_t0_%d" % index, "rel_t1_%d" % index]
    run = run_playbook(None, batch_tasks(cases), env, tmp_path, register=names, label="bad input batch " + batch,
                       extra_vars={"rel_password": PASSWORD})
    per_case = {}
    for index, case in enumerate(cases):
        t0, t1 = run.results["rel_t0_%d" % index], run.results["rel_t1_%d" % index]
        if t0 is None or t1 is None:
            per_case[case[0]] = (run.results["rel_case_%d" % index], None, None)
            continue
        per_case[case[0]] = (run.results["rel_case_%d" % index], requests_between(sim, float(t0), float(t1)),
                             float(t1) - float(t0))
    return run, per_case, list(sim.requests)


@pytest.fixture(scope="module")
def batches(rel_sim_server, tmp_path_factory):
    """Both playbooks, run once and side by side, each against its own simulator (so a request is
    attributed to the case whose time window it arrived in): {"token"|"none": run_batch(...)}."""
    with make_sim("demo") as other:
        sims = {"token": rel_sim_server, "none": other}
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            futures = dict((batch, pool.submit(run_batch, sims[batch], batch, cases,
                                               tmp_path_factory.mktemp("bad-input-%s" % batch)))
                           for batch, cases in (("token", WITH_TOKEN), ("none", WITHOUT_CREDENTIALS)))
            return dict((batch, future.result()) for batch, future in futures.items())


@pytest.mark.parametrize("case_id", list(ALL_CASES))
def test_module_option(batches, rcase, case_id):
    """Refused with a message naming the option (and what is allowed), no request sent, no traceback."""
    _cid, module, args, option, text, batch = ALL_CASES[case_id]
    shown = ", ".join("%s=%s" % (k, str(v).replace("{{ rel_password }}", "<password>")) for k, v in args.items())
    rcase(case="%s %s" % (module, shown or "(no credentials)"),
          expected="fails naming `%s`; no request; no traceback" % option)
    run, per_case, _all = batches[batch]
    result, sent, seconds = per_case[case_id]
    assert result is not None, run.output[-3000:]
    assert result.get("failed") is True, result
    msg = result.get("msg", "")
    assert re.search(r"(?<![A-Za-z_])%s(?![A-Za-z_])" % re.escape(option), msg), msg
    assert text in msg, msg
    # ansible-core >= 2.19 adds exception: "(traceback unavailable)" to failed results itself at -vvv
    assert TRACEBACK not in str(result), result
    assert TRACEBACK not in run.output
    assert sent == [], sent
    rcase.fig(requests=len(sent), time_to_fail_s=round(seconds, 2), msg=msg[:200])


def test_batches_sent_nothing_at_all(batches, rcase):
    """Across every bad-input module run: zero requests reached the simulator, zero tracebacks."""
    total = sum(len(requests) for _run, _cases, requests in batches.values())
    assert total == 0, [r for _run, _cases, reqs in batches.values() for r in reqs]
    for run, _cases, _reqs in batches.values():
        assert TRACEBACK not in run.output
        assert "ignored=%d" % (len(_cases)) in run.proc.stdout, run.proc.stdout[-800:]
    rcase.fig(module_runs=sum(len(c) for _r, c, _q in batches.values()), requests=total)


INVENTORY_CASES = [
    ("max_workers", {"max_workers": 0}, ">= 1"),
    ("ansible_host_networks", {"ansible_host": "guest_agent", "ansible_host_networks": ["10.0.0.0/33"]}, "CIDR"),
    ("ansible_host", {"ansible_host": "dns"}, "guest_agent"),
    ("api_host", {"api_host": "http://"}, "host"),
    ("api_password", {"api_user": "root@pam", "api_password": PASSWORD}, "mutually exclusive"),
]


@pytest.mark.parametrize("option, config, text", INVENTORY_CASES, ids=[c[0] for c in INVENTORY_CASES])
def test_inventory_option(rel_sim_server, rcase, tmp_path, option, config, text):
    """ansible-inventory refuses the source with a message naming the option; no request; no traceback."""
    shown = ", ".join("%s=%s" % (k, v if k != "api_password" else "<password>") for k, v in config.items())
    rcase(case="inventory %s" % shown,
          expected="fails naming `%s`; no request; no traceback" % option)
    rel_sim_server.clear_requests()
    source = dict({"plugin": "pve.cluster.pve"}, **config)
    env = env_for(rel_sim_server, tmp_path, ANSIBLE_INVENTORY_ANY_UNPARSED_IS_FAILED="true")
    run = run_inventory(rcase, source, env, tmp_path)
    assert run.proc.returncode != 0, run.output[-2000:]
    assert re.search(r"(?<![A-Za-z_])%s(?![A-Za-z_])" % re.escape(option), run.output), run.output[-2000:]
    assert text in run.output, run.output[-2000:]
    assert TRACEBACK not in run.output
    assert rel_sim_server.requests == []
    lines = [ln.strip() for ln in run.output.splitlines() if "Failed to parse" in ln and option in ln]
    rcase.fig(requests=0, msg=lines[0][:200] if lines else "")
