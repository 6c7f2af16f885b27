# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The inventory cache is the cluster's and holds only data.

* The key includes the connection (scheme, host, port, user, token id): the same inventory file
  pointed at another cluster (by environment) never serves the first cluster's hosts.
* A file-based cache plugin's file (jsonfile, yaml, pickle: BaseFileCacheModule) is created 0600 and
  never chmod-ed: written in a private directory made inside the cache directory (mkdtemp, 0700) with
  O_CREAT|O_EXCL|O_NOFOLLOW, then renamed over the cache file's name (a rename replaces a symlink of
  that name, it never follows it). Ansible's own set() writes it 0644 and chmods it after the rename:
  another user could read it for a moment, and a chmod follows a link another user planted.
* Dicts with any key starting with `__ansible_` (what Ansible's JSON decoders revive as objects:
  `__ansible_vault`, `__ansible_unsafe`, ansible-core 2.19's `__ansible_type` and tags; on 2.17/2.18
  the jsonfile cache turns a vault dict back into a vault object that str() decrypts) are invalid API
  data: replaced by null before they are used or cached, and counted for a warning. Read back from a
  cache, anything that is not plain JSON data (str, number, bool, null, list, dict) is replaced the
  same way, so nothing is ever turned into text by str().
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import tempfile

from ansible.plugins.cache import BaseFileCacheModule
from ansible.utils.display import Display

MAGIC_PREFIX = "__ansible_"
CONNECTION_OPTIONS = ("api_host", "api_port", "api_user", "api_token_id")
_PLAIN = (str, int, float, bool, type(None))
_PLAIN_TYPES = frozenset(_PLAIN)


def connection_key(base_key, get_option):
    """`base_key` + a hash of the connection options (host, port, user, token id) as given."""
    identity = "|".join(str(get_option(name) or "") for name in CONNECTION_OPTIONS)
    return "%s_c%s" % (base_key, hashlib.sha256(identity.encode("utf-8")).hexdigest()[:12])


def write_private(cache, _key=None):
    """Let the cache plugin write (update_cache_if_changed) with umask 077 (a cache directory it creates is 0700);
    a file-based plugin writes through _private_set (created 0600, no chmod, no link followed)."""
    plugin = getattr(cache, "_plugin", None)
    # ansible-core >= 2.19 proxies the plugin (PluginInterposer adds a schema prefix and a payload wrapper, then
    # calls the plugin's set): the plugin itself is patched, under the proxy
    plugin = getattr(plugin, "__wrapped__", plugin)
    private = isinstance(plugin, BaseFileCacheModule) and all(
        hasattr(plugin, name) for name in ("_cache", "_dump", "_get_cache_file_name"))
    old = os.umask(0o077)
    if private:
        plugin.set = functools.partial(_private_set, plugin)  # this instance only, for this write
    try:
        cache.update_cache_if_changed()
    finally:
        os.umask(old)
        if private:
            del plugin.set


def _private_set(plugin, key, value):
    """BaseFileCacheModule.set without its 0644 and chmod: the file is created 0600 in a private directory and
    renamed over the cache file's name. A failure is a warning, as in Ansible's set()."""
    # pylint: disable=protected-access
    plugin._cache[key] = value
    cachefile = plugin._get_cache_file_name(key)
    try:
        staging = tempfile.mkdtemp(prefix=".pve-cluster-", dir=os.path.dirname(cachefile) or ".")
    except OSError as exc:
        Display().warning("pve.cluster.pve: cannot write the inventory cache next to %s: %s" % (cachefile, exc))
        return
    try:
        staged = os.path.join(staging, "entry")
        os.close(os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600))
        plugin._dump(value, staged)
        os.rename(staged, cachefile)
    except OSError as exc:
        Display().warning("pve.cluster.pve: cannot write the inventory cache %s: %s" % (cachefile, exc))
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _plain_already(value):
    """True when `value` holds nothing data_only would replace: exactly JSON's types, no magic keys (one walk, no copy)."""
    stack = [value]
    keys = set()  # keys already checked: the rows of an answer share a few dozen
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind in _PLAIN_TYPES:
            continue
        if kind is dict:
            if not keys.issuperset(item):
                for key in item:
                    if isinstance(key, str) and key.startswith(MAGIC_PREFIX):
                        return False
                    keys.add(key)
            stack.extend(element for element in item.values() if type(element) not in _PLAIN_TYPES)
        elif kind is list:
            stack.extend(element for element in item if type(element) not in _PLAIN_TYPES)
        else:
            return False  # a subclass or another object: the careful walk below decides
    return True


def data_only(value):
    """(value without any dict carrying Ansible's magic keys or non-JSON object, how many were replaced by None).

    Plain data (every fresh API answer, in practice) comes back as it is, not copied: a 10,000-guest answer
    is not held twice.
    """
    if _plain_already(value):
        return value, 0
    found = [0]

    def clean(item):
        if isinstance(item, _PLAIN) and "Encrypted" not in type(item).__name__:  # vault strings are no data
            return item
        if isinstance(item, dict):
            if any(isinstance(key, str) and key.startswith(MAGIC_PREFIX) for key in item):
                found[0] += 1
                return None
            return dict((key, clean(element)) for key, element in item.items())
        if isinstance(item, list):
            return [clean(element) for element in item]
        found[0] += 1  # a vault or other object revived by a cache plugin's decoder: never str() it
        return None

    return clean(value), found[0]
