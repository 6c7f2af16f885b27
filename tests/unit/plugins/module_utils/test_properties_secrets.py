# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Property tests (hypothesis): a password written into api_host (user:password@host) is refused
without being echoed, and api_host_secrets() finds it so the module can hide it in its invocation."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from ansible_collections.pve.cluster.plugins.module_utils._errors import PveOptionError
from ansible_collections.pve.cluster.plugins.module_utils._options import api_host_secrets, parse_api_host

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# a distinctive start, so the password cannot be a word of the error message by chance
passwords = st.text(alphabet=st.characters(blacklist_characters="/@\n", blacklist_categories=("Cs",)), max_size=24).map(
    lambda text: "Zq9" + text)


@SETTINGS
@given(st.sampled_from(["", "https://", "http://"]), st.from_regex(r"\A[a-z][a-z0-9]{0,8}\Z"), passwords,
       st.sampled_from(["pve1", "pve1:8006", "10.0.0.1", "[fd00::1]:8006"]))
def test_userinfo_password_is_found_and_never_echoed(scheme, user, password, host):
    api_host = "%s%s:%s@%s" % (scheme, user, password, host)
    secrets = api_host_secrets(api_host)
    assert password in secrets and "%s:%s" % (user, password) in secrets
    try:
        parse_api_host(api_host)
    except PveOptionError as err:
        assert err.option == "api_host"
        assert password not in str(err)
    else:
        raise AssertionError("api_host with user information was accepted")


@SETTINGS
@given(st.text(max_size=40))
def test_no_userinfo_no_secrets(api_host):
    secrets = api_host_secrets(api_host)
    if "@" not in api_host or ":" not in api_host:
        assert secrets == []
    assert all(secret and secret in api_host for secret in secrets)
