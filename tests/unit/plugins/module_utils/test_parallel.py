# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""run_bounded: concurrency is bounded, order kept, PVE errors collected, anything else raised."""

from __future__ import annotations

import threading

import pytest

from ansible_collections.pve.cluster.plugins.module_utils._errors import PveNodeUnreachableError
from ansible_collections.pve.cluster.plugins.module_utils._parallel import run_bounded
from ansible_collections.pve.cluster.tests.unit.plugins._in_flight import InFlight


def answer(job):
    if job == "down":
        raise PveNodeUnreachableError(595, "GET", "/nodes/down/status", "No route to host")
    return job.upper()


@pytest.mark.parametrize("jobs, workers, peak", [(["a", "b", "c"], 8, 3), (["n%02d" % i for i in range(20)], 8, 8),
                                                 (["a", "b", "c", "d"], 1, 1)])
def test_concurrency_is_bounded_and_used(jobs, workers, peak):
    counter = InFlight(answer, wait_for=peak)
    outcomes = run_bounded(counter, jobs, max_workers=workers)
    assert [job for job, _result, _error in outcomes] == jobs
    assert [result for _job, result, _error in outcomes] == [job.upper() for job in jobs]
    assert counter.peak == peak


def test_pve_errors_are_collected_per_job():
    outcomes = run_bounded(InFlight(answer), ["up", "down", "up2"])
    assert [(job, result) for job, result, _error in outcomes] == [("up", "UP"), ("down", None), ("up2", "UP2")]
    error = outcomes[1][2]
    assert isinstance(error, PveNodeUnreachableError) and error.status == 595
    assert outcomes[0][2] is None and outcomes[2][2] is None


def test_other_exceptions_are_not_swallowed():
    def broken(job):
        raise ValueError("bug in %s" % job)

    with pytest.raises(ValueError, match="bug in a"):
        run_bounded(broken, ["a", "b"])


def test_no_jobs_no_threads():
    assert run_bounded(InFlight(answer), []) == []


def test_an_unexpected_error_cancels_the_jobs_not_started():
    started = []
    release = threading.Event()

    def first_breaks(job):
        started.append(job)
        if job == 0:
            raise ValueError("bug")
        release.wait(10)  # job 1 holds the only worker until the caller has seen the error
        return job

    try:
        with pytest.raises(ValueError, match="bug"):
            run_bounded(first_breaks, range(50), max_workers=1)
    finally:
        release.set()
    assert started in ([0], [0, 1])  # job 1 may have been taken before the error was seen
