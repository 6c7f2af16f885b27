# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Count the calls that run at the same time: the concurrency tests' one measuring tool."""

from __future__ import annotations

import threading
import time


class InFlight:
    """Wraps `answer` (a responses callback, or any function of one argument): every call waits
    `delay` seconds while counted, so `peak` is the most calls that were running at once.

    With `wait_for=N` a call first waits (up to `timeout` seconds) until N calls have been in flight at
    once, so that on a busy machine slow thread start-up cannot keep the peak below N; calls beyond a
    broken bound still overlap the held ones and raise the peak above N."""

    def __init__(self, answer, delay=0.05, wait_for=0, timeout=10.0):
        self.answer = answer
        self.delay = delay
        self.wait_for = wait_for
        self.timeout = timeout
        self.peak = 0
        self._now = 0
        self._lock = threading.Condition()

    def __call__(self, argument):
        with self._lock:
            self._now += 1
            self.peak = max(self.peak, self._now)
            self._lock.notify_all()
            self._lock.wait_for(lambda: self.peak >= self.wait_for, timeout=self.timeout)
        time.sleep(self.delay)
        with self._lock:
            self._now -= 1
        return self.answer(argument)
