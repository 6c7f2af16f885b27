# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Module-side adapter: AnsibleModule + the connection options + PveClient + error -> fail_json."""

from __future__ import annotations

import contextlib
import platform
import sys

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.pve.cluster.plugins.module_utils import _client, _nodes, _normalize
from ansible_collections.pve.cluster.plugins.module_utils._errors import PveError
from ansible_collections.pve.cluster.plugins.module_utils._options import (
    CONNECTION_ARGSPEC, ConnectionConfig, api_host_secrets, token_id_secrets)
from ansible_collections.pve.cluster.plugins.module_utils._scrub import terminal_safe


# The line a play needs so that its modules run with the Python that runs ansible-playbook (README, ansible-doc)
INTERPRETER_LINE = 'ansible_python_interpreter: "{{ ansible_playbook_python }}"'


def requests_missing():
    """The error of a module whose Python lacks requests: where, and the two ways out (the exact lines)."""
    python = sys.executable or "python3"
    return ("Failed to import the required Python library (requests) on %s's Python %s. Install it there "
            "(%s -m pip install requests), or run the module with the Python that runs ansible-playbook: give the "
            "play or task the variable  %s" % (platform.node(), python, python, INTERPRETER_LINE))


class PveModule(AnsibleModule):
    """AnsibleModule with pve.cluster's connection options and a lazily created client."""

    def __init__(self, argument_spec=None, **kwargs):
        spec = dict(CONNECTION_ARGSPEC)
        spec.update(argument_spec or {})
        kwargs.setdefault("supports_check_mode", True)
        super().__init__(argument_spec=spec, **kwargs)
        # a password written into api_host (user:password@host) is refused below; hide it in the echo too
        self.no_log_values.update(api_host_secrets(self.params.get("api_host")))
        # so is a token secret pasted into api_token_id (user@realm!name=SECRET)
        self.no_log_values.update(token_id_secrets(self.params.get("api_token_id")))
        if not _client.HAS_REQUESTS:
            self.fail_json(msg=requests_missing(), exception=_client.REQUESTS_IMPORT_ERROR)
        self._client = None
        with self.errors():
            self.connection = ConnectionConfig.from_params(self.params)

    @property
    def client(self):
        if self._client is None:
            self._client = _client.PveClient(self.connection, warn=self.warn, log=self.debug)
        return self._client

    @contextlib.contextmanager
    def errors(self, context=None):
        """Turn a PveError into fail_json with a message in the user's terms (no traceback).

        The one way to report a bad option: raise PveOptionError(option, message) inside `with module.errors():`.
        """
        try:
            yield
        except PveError as err:
            message = str(err) if not context else "%s: %s" % (context, err)
            self.fail_json(msg=message, **err.to_result())

    def exit_json(self, **kwargs):
        """Numbers PVE sent as out-of-range text (normalised to None) are said once, in one warning."""
        warning = _normalize.out_of_range_warning(_normalize.take_out_of_range())
        if warning:
            self.warn(warning)
        super().exit_json(**kwargs)

    def warn(self, warning):
        """Warnings often name what the API sent (node names, task ids): control characters escaped."""
        super().warn(terminal_safe(warning))

    def fail_json(self, msg, **kwargs):  # pylint: disable=arguments-differ
        """Failure messages often name what the API sent (node names, error texts): control characters escaped."""
        super().fail_json(msg=terminal_safe(msg), **kwargs)

    @contextlib.contextmanager
    def node_errors(self, node, context, option="node"):
        """errors(context) for a call about one node. When it fails as for a node PVE does not know (HTTP 500
        'hostname lookup') or cannot reach (595/596/..., no answer), one GET /nodes says which:
        '<option>: nope is not in this cluster; nodes: ...' or '<option>: pve3 is offline ...'."""
        with self.errors(context):
            try:
                yield
            except _nodes.NODE_ERRORS as err:
                with self.errors("Listing the nodes"):
                    reason = _nodes.explain(node, _nodes.node_states(self.client.get(_nodes.NODES_PATH)))
                if reason is None:
                    raise
                self.fail_json(msg="%s: %s" % (option, reason), **dict(err.to_result(), failed_option=option,
                                                                       failed_reason=reason))
