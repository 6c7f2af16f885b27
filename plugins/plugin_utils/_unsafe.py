# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Mark API data as unsafe (never templated), cheaply, on every supported ansible-core.

ansible-core 2.17/2.18: a string must be wrapped (AnsibleUnsafeText) or Jinja would render it.
ansible-core 2.19+ (data tagging): a string is only templated when it carries the
TrustedAsTemplate tag; a plain `str` never does, so plain strings are left as they are (no
copy), and only a tagged `str` subclass goes through wrap_var, which removes the trust.
"""

from __future__ import annotations

from ansible.utils.unsafe_proxy import wrap_var

# With data tagging, wrap_var returns a plain str; before it, a str subclass (AnsibleUnsafeText).
DATA_TAGGING = type(wrap_var(u"probe")) is str  # pylint: disable=unidiomatic-typecheck


def unsafe_text(value):
    """One string from the API -> a string Ansible will never template."""
    if DATA_TAGGING and type(value) is str:  # pylint: disable=unidiomatic-typecheck
        return value
    return wrap_var(value)
