# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Bounded concurrency for API calls (one shared client; its session is safe for GETs).

The one thread-pool helper of the collection: the modules' per-node calls, the inventory's two base
reads and its per-guest agent lookups all go through run_bounded().
"""

from __future__ import annotations

import concurrent.futures

from ansible_collections.pve.cluster.plugins.module_utils._errors import PveError

MAX_WORKERS = 8
WAIT_SLICE = 0.2  # seconds between checks, so Ctrl-C in the calling thread is seen while workers run


def run_bounded(function, jobs, max_workers=MAX_WORKERS):
    """Call function(job) for every job, at most `max_workers` at a time.

    Returns [(job, result, error)] in the order of `jobs`: `error` is the PveError a call raised
    (then `result` is None). Nothing is swallowed: any other exception propagates to the caller.
    On any exception in the calling thread (Ctrl-C) or from a job, the jobs not started yet are
    cancelled, not sent, and the exception propagates without waiting for the running ones.
    """
    jobs = list(jobs)
    if not jobs:
        return []
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=max(1, min(max_workers, len(jobs))))
    futures = []
    try:
        futures = [pool.submit(function, job) for job in jobs]
        pending = set(futures)
        while pending:
            done, pending = concurrent.futures.wait(pending, timeout=WAIT_SLICE,
                                                    return_when=concurrent.futures.FIRST_EXCEPTION)
            for future in done:
                error = future.exception()
                if error is not None and not isinstance(error, PveError):
                    raise error
    except BaseException:
        for future in futures:
            future.cancel()
        pool.shutdown(wait=False)
        raise
    pool.shutdown(wait=True)
    outcomes = []
    for job, future in zip(jobs, futures):
        error = future.exception()
        outcomes.append((job, None if error else future.result(), error))
    return outcomes
