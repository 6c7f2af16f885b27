# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Bounded concurrency for per-node API calls (one shared client; its session is safe for GETs)."""

from __future__ import annotations

import concurrent.futures

from ansible_collections.pve.cluster.plugins.module_utils._errors import PveError

MAX_WORKERS = 8


def run_bounded(function, jobs, max_workers=MAX_WORKERS):
    """Call function(job) for every job, at most `max_workers` at a time.

    Returns [(job, result, error)] in the order of `jobs`: `error` is the PveError a call raised
    (then `result` is None). Nothing is swallowed: any other exception propagates to the caller.
    """
    jobs = list(jobs)
    if not jobs:
        return []
    outcomes = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, min(max_workers, len(jobs)))) as pool:
        futures = [(job, pool.submit(function, job)) for job in jobs]
        for job, future in futures:
            try:
                outcomes.append((job, future.result(), None))
            except PveError as err:
                outcomes.append((job, None, err))
    return outcomes
