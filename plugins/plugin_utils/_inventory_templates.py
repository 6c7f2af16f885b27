# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Connection options of an inventory file as users write them: Jinja2 templates, !vault, environment.

* Templates (`"{{ lookup('env', 'PVE_API_TOKEN_SECRET') }}"`, hashi_vault, file, pipe, extra vars) are
  rendered once per build, before ansible-core checks the option's type and before validation; a
  template that fails names the option and the template error (never the rendered value).
* `!vault` values are decrypted to text (ansible-core 2.17/2.18 hand over an AnsibleVaultEncryptedUnicode,
  2.19+ an EncryptedString).
* Environment variables: the first one of an option's list that is set wins, as in the modules
  (ansible-core itself takes the last `env:` entry of an option).
"""

from __future__ import annotations

import os

from ansible.errors import AnsibleError
from ansible.module_utils.common.text.converters import to_native, to_text

from ansible_collections.pve.cluster.plugins.module_utils._options import CONNECTION_OPTIONS, ENV_VARS


def connection_names(definitions):
    """{name or alias in a file: connection option} for the plugin's option definitions."""
    names = {}
    for option in CONNECTION_OPTIONS:
        names[option] = option
        for alias in ((definitions or {}).get(option) or {}).get("aliases") or ():
            names[alias] = option
    return names


def _is_vault(value):
    return type(value).__name__ in ("AnsibleVaultEncryptedUnicode", "EncryptedString")


def render(direct, names, templar, variables):
    """A copy of the file's options `direct` with every connection option rendered: templates
    (over `variables`, the extra vars) and !vault values become plain text; the rest is unchanged."""
    rendered = dict(direct)
    for key, value in direct.items():
        option = names.get(key) if isinstance(key, str) else None
        if option is None or value is None:
            continue
        if _is_vault(value):
            try:
                value = to_text(value, errors="surrogate_or_strict")
            except Exception as err:  # pylint: disable=broad-except
                raise AnsibleError("%s: the !vault value could not be decrypted: %s" % (key, _first_line(err))) from None
        if isinstance(value, str) and templar.is_template(value):
            templar.available_variables = variables or {}
            try:
                value = templar.template(value)
            except Exception as err:  # pylint: disable=broad-except
                raise AnsibleError("%s: the template %s failed to render: %s"
                                   % (key, _quoted(value), _first_line(err))) from None
        if isinstance(value, str):
            value = str(value)  # plain text: no template or trust marker travels on
        rendered[key] = value
    return rendered


def first_env_wins(direct, names, environ=None):
    """`direct` plus, for each connection option the file does not set, the first of its environment
    variables that is set (so ansible-core's last-entry rule never decides); returns the added options."""
    environ = os.environ if environ is None else environ
    given = set(names[key] for key in direct if isinstance(key, str) and key in names)
    added = {}
    for option in CONNECTION_OPTIONS:
        if option in given:
            continue
        for variable in ENV_VARS.get(option, ()):
            if variable in environ:
                added[option] = environ[variable]
                break
    return added


def _quoted(template):
    return repr(to_text(template))


def _first_line(err):
    """The template error without the extra lines ansible-core 2.19+ appends (origin, source excerpt)."""
    text = to_native(err).strip()
    return text.splitlines()[0] if text else type(err).__name__
