# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
name: pve_versions_below
short_description: The PVE versions of a cluster that are below a minimum
version_added: 0.1.0
description:
  - Takes the C(pve_cluster) fact of the P(pve.cluster.cluster_facts#role) role and returns, for the API
    (C(GET /version)) and for every node that reports C(node_status.pveversion), a label with the version when
    that version is below O(minimum).
  - Versions are compared as dotted numbers, as ansible-core's C(version) test with C(version_type=loose) does
    after a C(-) becomes a C(.) and anything after the numbers is dropped. C(7.2-3) counts as C(7.2.3) and
    C(8.0~beta1) as C(8.0), so C(8.10) is above C(8.9) and C(7.2-3) below C(7.2-10).
  - A node's C(pveversion) such as C(pve-manager/8.2.4/faa83925c9641325) counts with its second part, C(8.2.4).
author:
  - pve.cluster maintainers (@pve-cluster)
positional: minimum
options:
  _input:
    description: The C(pve_cluster) fact (keys C(version) and C(nodes)).
    type: dict
    required: true
  minimum:
    description: The lowest accepted version, such as C(8.2), C(8.2.4) or C(7.2-3).
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Fail when any part of the cluster runs a PVE older than 8.2
  ansible.builtin.assert:
    that:
      - pve_cluster | pve.cluster.pve_versions_below('8.2') | length == 0
    fail_msg: "Too old: {{ pve_cluster | pve.cluster.pve_versions_below('8.2') | join(', ') }}"
"""

RETURN = r"""
_value:
  description:
    - One label per version below O(minimum), the API first and then the nodes in the order of C(nodes).
    - C(API (GET /version\) 7.4-3) for the API, C(node pve2 7.4-16) for a node. Empty when nothing is below.
  type: list
  elements: str
"""

import re

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.text.converters import to_text
from ansible.module_utils.compat.version import LooseVersion

from ansible_collections.pve.cluster.plugins.plugin_utils._unsafe import unsafe_text


def _numeric(version):
    """'7.2-3' -> '7.2.3', '8.0~beta1' -> '8.0', '9.' -> '9': the leading dotted number of a PVE version."""
    text = re.sub(r"[^0-9.].*$", "", to_text(version).replace("-", "."))
    return re.sub(r"[.]+$", "", text)


def _below(version, minimum):
    numeric = _numeric(version)
    if not numeric:
        raise AnsibleFilterError("pve_versions_below: %r is not a PVE version (it does not start with a number)"
                                 % to_text(version))
    return LooseVersion(numeric) < LooseVersion(minimum)


def pve_versions_below(pve_cluster, minimum):
    """The labels of the API version and of each node version in pve_cluster that are below minimum."""
    if not isinstance(pve_cluster, dict):
        raise AnsibleFilterError("pve_versions_below: the input must be the pve_cluster fact (a dict), got %s"
                                 % type(pve_cluster).__name__)
    if not isinstance(minimum, str) and not isinstance(minimum, (int, float)):
        raise AnsibleFilterError("pve_versions_below: minimum must be a version such as 8.2, got %r" % (minimum,))
    wanted = _numeric(minimum)
    if not wanted:
        raise AnsibleFilterError("pve_versions_below: minimum must be a version such as 8.2, got %r" % (minimum,))
    found = []
    api = to_text((pve_cluster.get("version") or {}).get("version"))
    if _below(api, wanted):
        found.append("API (GET /version) " + api)
    for node in pve_cluster.get("nodes") or []:
        status = node.get("node_status") or {}
        if status.get("pveversion") is None:
            continue
        parts = to_text(status["pveversion"]).split("/")
        actual = parts[1] if len(parts) > 1 else parts[0]
        if _below(actual, wanted):
            found.append("node %s %s" % (to_text(node.get("node")), actual))
    return [unsafe_text(label) for label in found]


class FilterModule:
    """pve.cluster.pve_versions_below"""

    def filters(self):
        return {"pve_versions_below": pve_versions_below}
