# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Plugin-side adapter: plugin options -> ConnectionConfig -> PveClient; PveError -> AnsibleError."""

from __future__ import annotations

import contextlib

from ansible.errors import AnsibleError

from ansible_collections.pve.cluster.plugins.module_utils import _client
from ansible_collections.pve.cluster.plugins.module_utils._errors import PveError
from ansible_collections.pve.cluster.plugins.module_utils._options import CONNECTION_OPTIONS, ConnectionConfig


@contextlib.contextmanager
def ansible_errors(context=None):
    """Re-raise a PveError as AnsibleError with the same (secret-free) message, no traceback chain."""
    try:
        yield
    except PveError as err:
        message = str(err) if not context else "%s: %s" % (context, err)
        raise AnsibleError(message) from None


def connection_config(plugin):
    """Read the connection options through the plugin's get_option (config, env, aliases)."""
    params = dict((name, plugin.get_option(name)) for name in CONNECTION_OPTIONS)
    with ansible_errors():
        return ConnectionConfig.from_params(params)


def client_for(plugin, warn=None, log=None, pool_size=10):
    if not _client.HAS_REQUESTS:
        raise AnsibleError("The %s plugin requires the Python library 'requests' on the controller "
                           "(pip install requests)" % getattr(plugin, "NAME", "pve.cluster"))
    return _client.PveClient(connection_config(plugin), warn=warn, log=log, pool_size=pool_size)
