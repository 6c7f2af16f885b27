# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The inventory cache is the cluster's and holds only data.

* The key includes the connection (scheme, host, port, user, token id): the same inventory file
  pointed at another cluster (by environment) never serves the first cluster's hosts.
* The cache file is chmod 0600 right after it is written: readable by its owner only.
* Dicts that Ansible's JSON decoders would revive as objects (`__ansible_vault`, `__ansible_unsafe`:
  on ansible-core 2.17/2.18 the jsonfile cache turns a vault dict back into a vault object that
  str() decrypts) are invalid API data: replaced by null before they are used or cached, and counted
  for a warning. Read back from a cache, anything that is not plain JSON data (str, number, bool,
  null, list, dict) is replaced the same way, so nothing is ever turned into text by str().
"""

from __future__ import annotations

import hashlib
import os

MAGIC_KEYS = ("__ansible_vault", "__ansible_unsafe")
CONNECTION_OPTIONS = ("api_host", "api_port", "api_user", "api_token_id")
_PLAIN = (str, int, float, bool, type(None))


def connection_key(base_key, get_option):
    """`base_key` + a hash of the connection options (host, port, user, token id) as given."""
    identity = "|".join(str(get_option(name) or "") for name in CONNECTION_OPTIONS)
    return "%s_c%s" % (base_key, hashlib.sha256(identity.encode("utf-8")).hexdigest()[:12])


def write_private(cache, key):
    """Let the cache plugin write (update_cache_if_changed) with umask 077 (a cache directory it creates is 0700),
    then chmod 0600 the files a file-based cache plugin (jsonfile, yaml, pickle) holds for `key`: Ansible chmods
    them 0644 itself, and ansible-core >= 2.19 adds a schema prefix to the file name, so they are found by suffix."""
    old = os.umask(0o077)
    try:
        cache.update_cache_if_changed()
    finally:
        os.umask(old)
    directory = getattr(getattr(cache, "_plugin", None), "_cache_dir", None)
    if not directory or not os.path.isdir(directory):
        return
    for name in os.listdir(directory):
        path = os.path.join(directory, name)
        if name.endswith(key) and os.path.isfile(path):
            os.chmod(path, 0o600)


def data_only(value):
    """(value without any dict carrying Ansible's magic keys or non-JSON object, how many were replaced by None)."""
    found = [0]

    def clean(item):
        if isinstance(item, _PLAIN) and "Encrypted" not in type(item).__name__:  # vault strings are no data
            return item
        if isinstance(item, dict):
            if any(key in item for key in MAGIC_KEYS):
                found[0] += 1
                return None
            return dict((key, clean(element)) for key, element in item.items())
        if isinstance(item, list):
            return [clean(element) for element in item]
        found[0] += 1  # a vault or other object revived by a cache plugin's decoder: never str() it
        return None

    return clean(value), found[0]
