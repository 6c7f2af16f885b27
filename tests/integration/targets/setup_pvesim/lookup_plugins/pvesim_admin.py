# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Calls the /_sim admin API of a test simulator from the controller (setup_pvesim's requests, reset, fault).

A lookup instead of ansible.builtin.uri: the same HTTP calls without starting a module process for each
(about 0.3 CPU seconds apiece, and the integration targets make hundreds of them).
"""

from __future__ import annotations

DOCUMENTATION = r"""
name: pvesim_admin
short_description: Call the admin API of the test simulator (tests only)
description:
  - Each term is C(METHOD PATH) under the simulator's C(admin) URL, for example C(GET requests) or C(DELETE faults).
  - Returns the decoded JSON answer of each term.
options:
  _terms:
    description: The calls, C(METHOD PATH) each.
    required: true
  sim:
    description: The setup_pvesim fact of the simulator (its C(admin) URL and C(ca_path) are used).
    type: dict
    required: true
  body:
    description: A JSON body sent with every call of this lookup.
    type: raw
"""

import json

from ansible.errors import AnsibleLookupError
from ansible.module_utils.urls import open_url
from ansible.plugins.lookup import LookupBase


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        self.set_options(var_options=variables, direct=kwargs)
        sim = self.get_option("sim")
        body = self.get_option("body")
        answers = []
        for term in terms:
            method, _sep, path = str(term).partition(" ")
            url = "%s/%s" % (sim["admin"], path.lstrip("/"))
            try:
                response = open_url(url, method=method, ca_path=sim["ca_path"], timeout=30,
                                    data=None if body is None else json.dumps(body),
                                    headers={"Content-Type": "application/json"})
                text = response.read()
            except Exception as err:  # pylint: disable=broad-except
                raise AnsibleLookupError("pvesim_admin: %s %s failed: %s" % (method, url, err)) from err
            answers.append(json.loads(text) if text.strip() else None)
        return answers
