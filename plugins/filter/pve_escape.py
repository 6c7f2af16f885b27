# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: pve_escape
short_description: API text with its control characters written as \xNN, as pve.cluster's messages write it
version_added: 0.1.0
description:
  - Returns the input as text with every control character (C0, DEL and C1, so also newline, tab and the ESC that
    starts an ANSI escape) written as a visible escape such as C(\x1b), so a guest, node or cluster name cannot move
    the cursor or recolour a terminal when a message shows it. pve.cluster's modules and inventory write API text in
    their messages and warnings the same way, and the roles pass names through this filter in their failure
    messages.
  - A list becomes the escaped texts of its items joined by C(, ). None becomes the empty string.
  - The result is never templated (API data is marked unsafe).
author:
  - pve.cluster maintainers (@pve-cluster)
options:
  _input:
    description: Text from the API (a name, a message), or a list of texts.
    type: raw
    required: true
"""

EXAMPLES = r"""
- name: Show a guest name with its control characters escaped
  ansible.builtin.debug:
    msg: "guest {{ guest_name | pve.cluster.pve_escape }}"
  vars:
    guest_name: "web\u001b[2J01"
"""

RETURN = r"""
_value:
  description: The text with each control character as C(\xNN), for example C(web\x1b[2J01).
  type: str
"""

from ansible.module_utils.common.text.converters import to_text

from ansible_collections.pve.cluster.plugins.module_utils._scrub import terminal_safe
from ansible_collections.pve.cluster.plugins.plugin_utils._unsafe import unsafe_text


def pve_escape(value):
    """`value` (text or a list of texts) with control characters as \\xNN."""
    if value is None:
        return unsafe_text("")
    if isinstance(value, (list, tuple)):
        return unsafe_text(", ".join(terminal_safe(to_text(item)) for item in value))
    return unsafe_text(terminal_safe(to_text(value)))


class FilterModule:
    """pve.cluster.pve_escape"""

    def filters(self):
        return {"pve_escape": pve_escape}
