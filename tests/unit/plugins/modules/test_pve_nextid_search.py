# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""pve_nextid's strategies, exclude, keep and default range, run in-process against a real pvesim server.

The demo cluster's guests are 100..134 and 9000; each test adds what it needs and the fixture drops it again.
"""

from __future__ import annotations

import random

import pytest

from ansible_collections.pve.cluster.plugins.module_utils import _vmid_pick
from ansible_collections.pve.cluster.plugins.module_utils._errors import PveInvalidResponseError
from ansible_collections.pve.cluster.plugins.modules import pve_nextid
from ansible_collections.pve.cluster.tests.unit.plugins.modules._module_runner import (
    STANDARD_KEYS, check_against_docs, demo_scenario, profile_sim, return_docs, run_against)

AUDIT_ONLY = {"tokenid": "vm-audit@pve!ro", "secret": "vm-audit-secret", "privs": ["VM.Audit"]}


@pytest.fixture(scope="module", name="shared_sim")
def fixture_shared_sim(tmp_path_factory):
    scenario = demo_scenario()
    scenario.next_id = {"lower": 5000, "upper": 5010}   # datacenter.cfg next-id: 5000..5009
    scenario.auth = {"tokens": [AUDIT_ONLY]}
    with profile_sim("pve9", scenario, str(tmp_path_factory.mktemp("pvesim"))) as sim:
        yield sim


@pytest.fixture(name="sim")
def fixture_sim(shared_sim):
    shared_sim.clear_requests()
    yield shared_sim
    shared_sim.router.cluster.drop_added_guests()


def paths(sim):
    return [(e["path"], e["query"].get("vmid")) for e in sim.requests]


def test_random_stays_in_its_range_confirms_each_id_and_skips_used_ones(capsys, sim):
    for vmid in (200, 202, 204):
        sim.router.cluster.add_guest(vmid, "pve1")
    result, code, _w = run_against(pve_nextid, capsys, sim, strategy="random", count=7, lower=200, upper=210)
    assert code == 0, result
    assert len(set(result["vmids"])) == 7 and set(result["vmids"]) <= {201, 203} | set(range(205, 211))
    assert result["strategy"] == "random" and result["range"] == {"lower": 200, "upper": 210, "source": "lower/upper"}
    assert paths(sim) == [("/cluster/resources", None)] + [("/cluster/nextid", str(v)) for v in result["vmids"]]


def test_random_draws_differ_between_runs_in_a_wide_range(capsys, sim):
    draws = [run_against(pve_nextid, capsys, sim, strategy="random", lower=1000, upper=999999)[0]["vmid"]
             for _run in range(3)]
    assert len(set(draws)) == 3, draws   # 3 equal draws out of 999,000 ids: about 1 in 10^12


@pytest.mark.parametrize("strategy", ["lowest", "random"])
def test_a_range_with_too_few_free_ids_fails_before_checking_ids(capsys, sim, strategy):
    sim.router.cluster.add_guest(301, "pve1")
    result, code, _w = run_against(pve_nextid, capsys, sim, strategy=strategy, count=3, lower=300, upper=302)
    assert code == 1
    assert result["msg"] == ("Not enough free VMIDs: count=3 asked, but the range 300..302 (lower..upper) has only 2 "
                             "free ids (1 in use)")
    assert paths(sim) == [("/cluster/resources", None)]


# args, what the result holds (a set: drawn at random; None: left out), the first requests (or None)
SEARCHES = {
    "exclude, lowest": ({"count": 2, "lower": 135, "upper": 140, "exclude": [135, 137]}, {"vmids": [136, 138]}, None),
    "exclude, random": ({"strategy": "random", "count": 2, "lower": 135, "upper": 138, "exclude": [135, 137]},
                        {"vmids": {136, 138}}, None),
    "exclude alone: a search in datacenter.cfg's next-id": (
        {"exclude": [5000]}, {"vmids": [5001], "range": {"lower": 5000, "upper": 5009, "source": "datacenter.cfg next-id"}},
        [("/cluster/options", None), ("/cluster/resources", None), ("/cluster/nextid", "5001")]),
    "keep: each confirmed, never handed out": ({"count": 2, "lower": 135, "upper": 200, "keep": [135, 150]},
                                               {"kept": [135, 150], "vmids": [136, 137]},
                                               [("/cluster/nextid", "135"), ("/cluster/nextid", "150")]),
    "keep alone, count 0: only checks": ({"count": 0, "lower": 135, "upper": 200, "keep": [140]},
                                         {"vmids": [], "vmid": None, "kept": [140]}, None),
}


@pytest.mark.parametrize("case", sorted(SEARCHES))
def test_exclude_and_keep(capsys, sim, case):
    args, expected, first = SEARCHES[case]
    result, code, _w = run_against(pve_nextid, capsys, sim, **args)
    assert code == 0, result
    assert dict((key, set(result[key]) if isinstance(value, set) else result.get(key))
                for key, value in expected.items()) == expected, result
    assert first is None or paths(sim)[:len(first)] == first, paths(sim)


def test_without_sys_audit_the_default_range_is_pves_own(capsys, sim):
    result, code, _w = run_against(pve_nextid, capsys, sim, api_token_id=AUDIT_ONLY["tokenid"],
                                   api_token_secret=AUDIT_ONLY["secret"], strategy="random")
    assert code == 0, result
    assert result["range"] == {"lower": 100, "upper": 999999, "source": "PVE's default range"}
    assert 135 <= result["vmid"] <= 999999 and result["vmid"] != 9000


def test_a_taken_kept_id_fails_naming_it(capsys, sim):
    result, code, _w = run_against(pve_nextid, capsys, sim, count=1, lower=135, upper=200, keep=[101, 140, 9000])
    assert code == 1
    assert result["taken"] == [101, 9000]
    assert result["msg"].startswith("keep: VMIDs 101, 9000 already in use")
    assert ("/cluster/resources", None) not in paths(sim)   # no search after a taken kept id


def test_returned_keys_are_documented(capsys, sim):
    docs = return_docs(pve_nextid)
    runs = [({}, {"vmid", "vmids", "strategy"}), ({"vmid": 300}, {"vmid", "vmids", "available"}),
            ({"vmid": 100}, {"vmid", "vmids", "available"}), ({"lower": 100, "upper": 200}, {"vmid", "vmids", "strategy", "range"}),
            ({"count": 1, "lower": 135, "upper": 200, "keep": [140]}, {"vmid", "vmids", "strategy", "range", "kept"}),
            ({"keep": [101]}, {"taken"})]
    for args, keys in runs:
        result, _code, _w = run_against(pve_nextid, capsys, sim, **args)
        assert set(result) - STANDARD_KEYS == keys and keys <= set(docs), result
        for key in keys:  # the documented type: ints (never bools), lists of ints, available a bool
            check_against_docs(result[key], docs[key], key, set())


# -- the pure helpers ------------------------------------------------------------------------------
@pytest.mark.parametrize("options, expected", [
    ({"allowed-tags": []}, None),
    ({"next-id": {"lower": 1000, "upper": 2000}}, (1000, 1999)),
    ({"next-id": {"lower": "1000"}}, (1000, 999999)),
    ({"next-id": {"upper": 500}}, (100, 499)),
    ({"next-id": "lower=3000,upper=4000"}, (3000, 3999)),
])
def test_next_id_range_reads_what_pve_reports(options, expected):
    assert _vmid_pick.next_id_range(options) == expected


@pytest.mark.parametrize("bad", [{"lower": "x"}, {"lower": 99}, {"lower": 600, "upper": 500}, ["1"], {"lower": True}])
def test_a_next_id_that_is_no_range_is_an_invalid_answer(bad):
    with pytest.raises(PveInvalidResponseError, match="next-id is not a VMID range"):
        _vmid_pick.next_id_range({"next-id": bad})


@pytest.mark.parametrize("lower, upper, reported, expected", [
    (None, None, None, (100, 999999, "PVE's default range")),
    (103, None, None, (103, 999999, "PVE's default range")),  # lower alone: upwards from it
    (None, None, (5000, 5009), (5000, 5009, "datacenter.cfg next-id")),
    (2000000, None, None, (2000000, 999999999, "PVE's default range")),
    (None, 150, (5000, 5009), (100, 150, "datacenter.cfg next-id")),
    (300, 400, (5000, 5009), (300, 400, "lower/upper")),
])
def test_search_range_fills_the_missing_ends(lower, upper, reported, expected):
    assert _vmid_pick.search_range(lower, upper, reported) == expected


@pytest.mark.parametrize("lower, upper, skip", [(100, 109, {101, 105}), (100, 999999, {100, 200}),
                                                (100, 119, set(range(100, 117)))])
def test_random_order_yields_each_free_id_of_the_range_once(lower, upper, skip):
    order = _vmid_pick.random_order(lower, upper, skip, random.Random(7))
    first = [next(order) for _i in range(3)]
    assert len(set(first)) == 3 and all(lower <= v <= upper and v not in skip for v in first)
    if upper - lower < 100:
        rest = list(order)
        assert sorted(first + rest) == [v for v in range(lower, upper + 1) if v not in skip]
