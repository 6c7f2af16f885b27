#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pve_version_info
short_description: Read the Proxmox VE API version
version_added: 0.1.0
description:
  - Reads C(GET /version) from a Proxmox VE node or cluster and returns its version, release and repository id.
  - A cheap way to check that the connection and credentials work.
author:
  - pve.cluster maintainers (@pve-cluster)
extends_documentation_fragment:
  - pve.cluster.connection
  - pve.cluster.attributes
options: {}
notes:
  - "Privileges: none. C(GET /version) is open to every user and token (pve-manager C(PVE/API2.pm))."
"""

EXAMPLES = r"""
- name: Read the PVE version with an API token
  pve.cluster.pve_version_info:
    api_host: pve1.example.com
    api_token_id: ansible@pve!audit
    api_token_secret: "{{ vault_pve_token_secret }}"
    ca_path: /etc/ssl/pve-root-ca.pem
  register: pve

- name: Show it
  ansible.builtin.debug:
    msg: "PVE {{ pve.version.version }} (release {{ pve.version.release }})"

- name: Set the connection once for every pve.cluster module
  module_defaults:
    group/pve.cluster.pve:
      api_host: pve1.example.com
      api_token_id: ansible@pve!audit
      api_token_secret: "{{ vault_pve_token_secret }}"
  block:
    - name: Read the version
      pve.cluster.pve_version_info:
      register: pve
"""

RETURN = r"""
version:
  description: The API version details from C(GET /version).
  returned: success
  type: dict
  contains:
    version:
      description: The PVE version (C(9.1.2); older releases use C(7.2-3)).
      returned: always
      type: str
      sample: 9.1.2
    release:
      description: The release (major.minor).
      returned: always
      type: str
      sample: "9.1"
    repoid:
      description: The pve-manager repository id (8 to 64 hex digits).
      returned: always
      type: str
      sample: 9d436f37a0ac4172
    console:
      description: The default console of the datacenter configuration, when set.
      returned: when configured
      type: str
      sample: html5
"""

from ansible_collections.pve.cluster.plugins.module_utils._module import PveModule
from ansible_collections.pve.cluster.plugins.module_utils._shape import expect
from ansible_collections.pve.cluster.plugins.module_utils._normalize import normalize_version


ARGUMENT_SPEC = {}  # the connection options only (PveModule adds them)


def main():
    module = PveModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    with module.errors("Reading the PVE version"):
        data = expect(module.client.get("/version"), dict, "GET /version")
    module.exit_json(changed=False, version=normalize_version(data))


if __name__ == "__main__":
    main()
