# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Shared helpers for the module unit tests: run a module's main() in-process (also against a pvesim server per
PVE version profile, tests/pvesim/profiles.py), read samples, check RETURN.

Import absolutely (works under plain pytest and under ansible-test units):
from ansible_collections.pve.cluster.tests.unit.plugins.modules._module_runner import run_module
"""

from __future__ import annotations

import contextlib
import copy
import json
import re
import urllib.parse

import pytest
import yaml
from pvesim import Simulator, load_scenario

from ansible_collections.pve.cluster.tests.unit.plugins.module_utils._samples import load_sample as sample

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19
    from ansible.module_utils import basic as _basic
    from ansible.module_utils.common.text.converters import to_bytes

    @contextlib.contextmanager
    def patch_module_args(args=None):
        saved = _basic._ANSIBLE_ARGS
        _basic._ANSIBLE_ARGS = to_bytes(json.dumps({"ANSIBLE_MODULE_ARGS": args or {}}))
        try:
            yield
        finally:
            _basic._ANSIBLE_ARGS = saved

# An API token connection to a made-up host: module args, and the base URL its requests go to.
BASE = "https://pve.example.com:8006/api2/json"
SECRET = "5f2c9d1e-0a7b-4c3d-9e8f-123456789abc"
CONNECTION = {"api_host": "pve.example.com", "api_token_id": "root@pam!ansible", "api_token_secret": SECRET,
              "api_retries": 0}

# What AnsibleModule itself may add to a result, beside the module's documented RETURN keys.
STANDARD_KEYS = {"changed", "failed", "warnings", "deprecations", "invocation", "msg"}


# -- samples ---------------------------------------------------------------------------------------
# sample(name): one sample file (relative to tests/unit/fixtures/pve-api-samples) as a dict, freshly read.
def body(name):
    """The recorded response body of one sample (freshly read: free to modify)."""
    return sample(name)["body"]


# -- running a module ------------------------------------------------------------------------------
def run_module_output(module, capsys, args):
    """Run module.main() in-process with `args`, as on a target host; return (result dict, exit code, stdout).
    (Check mode: the module targets, where ansible-playbook sets it.)"""
    with patch_module_args(dict(args)):
        with pytest.raises(SystemExit) as exc:
            module.main()
    out = capsys.readouterr().out
    return json.loads(out), exc.value.code, out


def run_module(module, capsys, args):
    """Run module.main() in-process with `args`; return (result dict, exit code)."""
    result, code, _out = run_module_output(module, capsys, args)
    return result, code


def module_runner(module, connection=None):
    """The runner of a module's test file: run = module_runner(pve_x, CONNECTION).

    run(capsys, args=None) runs module.main() with `connection` plus `args` and returns (result dict, exit code);
    every module test file uses this one signature. run.ok and run.fails take the same arguments, assert exit
    code 0 or 1 and return the result.
    """
    def run(capsys, args=None):
        return run_module(module, capsys, dict(connection or {}, **(args or {})))

    def expecting(exit_code):
        def run_expecting(capsys, args=None):
            result, code = run(capsys, args)
            assert code == exit_code, result
            return result
        return run_expecting
    run.ok, run.fails = expecting(0), expecting(1)  # the same, asserting the exit code; the result
    return run


def query(call):
    """The query of a recorded `responses` call, a request or a URL, as a dict."""
    url = getattr(getattr(call, "request", call), "url", call)
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query, keep_blank_values=True))


def warnings_of(result):
    """Warning texts: plain strings before ansible-core 2.19, WarningSummary dicts since."""
    texts = []
    for warning in result.get("warnings", []):
        if isinstance(warning, dict):
            warning = (warning.get("event") or {}).get("msg") or warning.get("msg") or ""
        texts.append(warning)
    return texts


# -- RETURN docs cannot drift from what the module returns -----------------------------------------
def return_docs(module):
    """The module's RETURN block, parsed."""
    return yaml.safe_load(module.RETURN)


TYPES = {"str": (str,), "int": (int,), "float": (float, int), "bool": (bool,), "list": (list,), "dict": (dict,)}


def check_against_docs(value, spec, path, seen):
    """Every key returned is documented with a matching type; every `returned: always` key is there.

    `seen` collects the documented paths really returned, list indexes folded to `[]` (e.g. `nodes[].network`).
    """
    doc_type = spec.get("type")
    if value is None:
        assert "null" in json.dumps(spec.get("description")), "%s is null but its docs do not say so" % path
        return
    if doc_type in TYPES:
        assert isinstance(value, TYPES[doc_type]) and not (doc_type != "bool" and isinstance(value, bool)), \
            "%s: %r is not %s" % (path, value, doc_type)
    contains = spec.get("contains")
    if doc_type == "list":
        if spec.get("elements") in TYPES:
            for index, item in enumerate(value):
                check_against_docs(item, {"type": spec["elements"], "description": spec.get("description"),
                                          "contains": contains}, "%s[%d]" % (path, index), seen)
        return
    if doc_type == "dict" and contains:
        undocumented = set(value) - set(contains)
        assert not undocumented, "%s: keys %s are not in RETURN" % (path, sorted(undocumented))
        for key, sub in contains.items():
            if key in value:
                seen.add("%s.%s" % (re.sub(r"\[\d+\]", "[]", path), key))
                check_against_docs(value[key], sub, "%s.%s" % (path, key), seen)
            else:
                assert sub.get("returned") != "always", "%s.%s is documented as always returned" % (path, key)


# -- modules against pvesim, per PVE version profile ----------------------------------------------
# ALL_PROFILES: for behaviour that differs between PVE versions; SMOKE_PROFILES: the rest (pve9 and pve8).
ALL_PROFILES = ("pve7", "pve8.1", "pve8", "pve9")
SMOKE_PROFILES = ("pve9", "pve8")


_DEMO = load_scenario("demo")  # parsed once, in the process ansible-test forks for each test (a copy takes 1 ms)


def demo_scenario(down_for=600, **overrides):
    """A fresh demo cluster, pve3 down for `down_for` seconds (> 300: past PVE's RRD window; None: as shipped)."""
    scenario = copy.deepcopy(_DEMO)
    for node in scenario.nodes:
        if not node.online and down_for is not None:
            node.down_for = down_for
    scenario.profile_overrides = dict(overrides)
    return scenario


@contextlib.contextmanager
def profile_sim(profile, scenario=None, state_dir=None):
    """A plain-HTTP simulator of `profile` (401 delay off: no test here waits for one). A module-scoped fixture
    gives a state_dir from tmp_path_factory: in ansible-test's per-test forks it is never torn down."""
    with Simulator(scenario=scenario or demo_scenario(), profile=profile, tls=False, auth_delay=0,
                   state_dir=state_dir) as sim:
        yield sim


def run_against(module, capsys, sim, **args):
    """(result, exit code, warnings) of one module run against `sim` (its token; `args` may replace it)."""
    result, code = run_module(module, capsys, dict({"api_host": sim.url, "api_token_id": sim.token_id,
                                                    "api_token_secret": sim.token_secret, "validate_certs": False,
                                                    "api_retries": 0, "api_allow_http": True}, **args))
    return result, code, warnings_of(result)
