# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The one way the targets search ansible's output for a message: `out | pvesim_fold`.

ansible-core 2.17 and 2.18 wrap long warnings at the terminal's width, also after a hyphen ("two-" at the end of
a line, "factor" on the next). Folded, every run of whitespace is one space and such a hyphen joins its word again,
so a message reads the same on every core.
"""

from __future__ import annotations

import re

_WRAPPED_HYPHEN = re.compile(r"(?<=[A-Za-z0-9])- (?=[A-Za-z0-9])")


def pvesim_fold(text):
    return _WRAPPED_HYPHEN.sub("-", " ".join(str(text).split()))


class FilterModule:
    def filters(self):
        return {"pvesim_fold": pvesim_fold}
