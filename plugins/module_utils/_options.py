# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Connection options (declared once) and the validators every module and plugin shares.

Everything here runs before any request: a bad value raises PveOptionError naming the option
and what is allowed.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import re

from ansible.module_utils.common.parameters import env_fallback

from ansible_collections.pve.cluster.plugins.module_utils._errors import PveOptionError
from ansible_collections.pve.cluster.plugins.module_utils._scrub import HIDDEN, secret_pattern

DEFAULT_PORT = 8006
DEFAULT_TIMEOUT = 30  # pveproxy's own timeout for another node (pve-http-server AnyEvent.pm proxy_request)
DEFAULT_RETRIES = 3
DEFAULT_TOTAL_TIMEOUT = 600  # seconds for everything one module run or inventory build asks
DEFAULT_MAX_ANSWER_MB = 64  # one answer, after decompression (10,000 guests in /cluster/resources: about 4 MiB)
VMID_MIN = 100
VMID_MAX = 999999999

# The connection options, declared once (docs/INTERFACE.md section 1): the modules' argument spec and its
# environment fallbacks are built from this table, the inventory plugin reads `env` (first wins) and
# ConnectionConfig the defaults. The doc fragment (plugins/doc_fragments/connection.py, both blocks) stays the
# literal YAML that ansible-doc and validate-modules read; tests/unit/plugins/doc_fragments/test_connection.py
# holds it and INTERFACE.md's table equal to this one. `inventory_alias`: the community.proxmox name an
# inventory file may use instead.
CONNECTION = {
    "api_host": {"type": "str", "required": True, "env": ("PVE_API_HOST", "PROXMOX_HOST", "PROXMOX_URL"),
                 "inventory_alias": "url"},
    "api_port": {"type": "int", "default": DEFAULT_PORT, "env": ("PVE_API_PORT", "PROXMOX_PORT")},
    "api_user": {"type": "str", "env": ("PVE_API_USER", "PROXMOX_USER"), "inventory_alias": "user"},
    "api_password": {"type": "str", "no_log": True, "env": ("PVE_API_PASSWORD", "PROXMOX_PASSWORD"),
                     "inventory_alias": "password"},
    # no_log False: not a secret, although its name says "token" (validate-modules asks)
    "api_token_id": {"type": "str", "no_log": False, "env": ("PVE_API_TOKEN_ID", "PROXMOX_TOKEN_ID"),
                     "inventory_alias": "token_id"},
    "api_token_secret": {"type": "str", "no_log": True, "env": ("PVE_API_TOKEN_SECRET", "PROXMOX_TOKEN_SECRET"),
                         "inventory_alias": "token_secret"},
    "validate_certs": {"type": "bool", "default": True, "env": ("PVE_VALIDATE_CERTS", "PROXMOX_VALIDATE_CERTS")},
    "ca_path": {"type": "path", "env": ("PVE_CA_PATH", "PROXMOX_CA_PATH")},
    "api_timeout": {"type": "int", "default": DEFAULT_TIMEOUT, "env": ("PVE_API_TIMEOUT",)},
    "api_retries": {"type": "int", "default": DEFAULT_RETRIES, "env": ("PVE_API_RETRIES",)},
    "api_total_timeout": {"type": "int", "default": DEFAULT_TOTAL_TIMEOUT, "env": ("PVE_API_TOTAL_TIMEOUT",)},
    "api_max_answer_mb": {"type": "int", "default": DEFAULT_MAX_ANSWER_MB, "env": ("PVE_API_MAX_ANSWER_MB",)},
    "api_allow_http": {"type": "bool", "default": False, "env": ("PVE_API_ALLOW_HTTP",)},
}
CONNECTION_OPTIONS = tuple(CONNECTION)
ENV_VARS = dict((name, list(spec["env"])) for name, spec in CONNECTION.items())
CONNECTION_ARGSPEC = dict(
    (name, dict([(key, spec[key]) for key in ("type", "required", "default", "no_log") if key in spec],
                fallback=(env_fallback, ENV_VARS[name])))
    for name, spec in CONNECTION.items())

# PVE's pve-node format (a host name label) and the UPID node part.
# \Z, not $: '$' also matches before a trailing newline ("pve1\n" is no node name)
NODE_RE = re.compile(r"^[a-zA-Z0-9](?:[a-zA-Z0-9\-]*[a-zA-Z0-9])?\Z")
_HOST_LABEL_RE = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_\-]*[A-Za-z0-9_])?\Z")
# PVE's own rules (pve-access-control PVE/Auth/Plugin.pm, PVE/AccessControl.pm): the user part is
# [^\s:/]+ (so `jane@corp.example@ad` is user `jane@corp.example` in realm `ad`: the realm holds no '@'),
# realm and token name at least 2 characters; a token id splits at its last '!'.
_USER_RE = re.compile(r"^[^\s:/]+@[A-Za-z][A-Za-z0-9.\-_]+\Z")
_TOKEN_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9.\-_]+\Z")
USER_EXAMPLES = "user@realm, e.g. root@pam or jane@corp.example@ad"
USERINFO_REFUSED = ("must not contain user information (user:password@); set api_user/api_password or an API token "
                    "instead")


def unique(items):
    """A list option without its repeats, in the user's order (None -> [])."""
    seen = []
    for item in items or []:
        if item not in seen:
            seen.append(item)
    return seen


def validate_node(value, option="node"):
    """Return `value` if it is a valid PVE node name (pve-node), else raise PveOptionError."""
    if not isinstance(value, str) or not NODE_RE.match(value):
        raise PveOptionError(option, "%r is not a valid PVE node name (letters, digits and '-', "
                                     "not starting or ending with '-')" % (value,))
    return value


def validate_vmid(value, option="vmid"):
    """Return `value` as int if it is inside PVE's VMID range 100..999999999."""
    if isinstance(value, bool):
        raise PveOptionError(option, "must be an integer between %d and %d, got %r" % (VMID_MIN, VMID_MAX, value))
    try:
        vmid = int(value)
    except (TypeError, ValueError):
        raise PveOptionError(option, "must be an integer between %d and %d, got %r" % (VMID_MIN, VMID_MAX, value))
    if not VMID_MIN <= vmid <= VMID_MAX:
        raise PveOptionError(option, "must be between %d and %d (PVE's VMID range), got %d" % (VMID_MIN, VMID_MAX, vmid))
    return vmid


def parse_time(value, option):
    """Epoch seconds (int or digits) or ISO 8601 (date or date-time; naive means UTC) -> int epoch."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise PveOptionError(option, "expected epoch seconds or an ISO 8601 date/time, got %r" % (value,))
    if isinstance(value, (int, float)):
        try:
            return int(value)
        except (OverflowError, ValueError):
            raise PveOptionError(option, "expected epoch seconds or an ISO 8601 date/time, got %r" % (value,))
    text = str(value).strip()
    if re.match(r"^-?[0-9]+\Z", text):
        return int(text)
    iso = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    try:
        if re.match(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z", iso):
            moment = datetime.datetime.strptime(iso, "%Y-%m-%d")
        else:
            moment = datetime.datetime.fromisoformat(iso.replace(" ", "T", 1))
    except ValueError:
        raise PveOptionError(option, "%r is neither epoch seconds nor an ISO 8601 date/time "
                                     "(e.g. 1735689600, 2025-01-01 or 2025-01-01T00:00:00Z)" % (value,))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    try:
        return int(moment.timestamp())
    except (OverflowError, ValueError):
        raise PveOptionError(option, "%r is outside the range of dates this host can handle" % (value,))


def parse_api_host(api_host, api_port=DEFAULT_PORT):
    """api_host (host, host:port, [v6]:port, bare IPv6, or URL) -> (scheme, host, port).

    `host` is returned ready for a URL (IPv6 in brackets). A port inside api_host wins over
    api_port.
    """
    text = (api_host or "").strip() if isinstance(api_host, str) or api_host is None else str(api_host).strip()
    if not text:
        raise PveOptionError("api_host", "must be set (or PVE_API_HOST in the environment): host, host:port or https://host:port")
    if "@" in text:
        # user:password@host: checked before anything that echoes api_host (a password may hold '/', ':' or '@');
        # no host, port or PVE path holds an '@'
        raise PveOptionError("api_host", USERINFO_REFUSED)
    scheme = "https"
    match = re.match(r"^([A-Za-z][A-Za-z0-9+.\-]*)://(.*)$", text, re.DOTALL)
    if match:
        scheme = match.group(1).lower()
        if scheme not in ("https", "http"):
            raise PveOptionError("api_host", "URL scheme must be https, got %r" % (scheme,))
        text = match.group(2)
        text, _sep, path = text.partition("/")
        if path.strip("/") not in ("", "api2/json"):
            raise PveOptionError("api_host", "must be a host or a base URL without a path other than /api2/json, got %r" % (api_host,))
    elif "/" in text:
        raise PveOptionError("api_host", "%r is not a host, host:port or URL" % (api_host,))
    port = _port(api_port, "api_port") if api_port is not None else DEFAULT_PORT
    if text.startswith("["):
        host, sep, rest = text[1:].partition("]")
        if not sep:
            raise PveOptionError("api_host", "%r lacks the closing ']' of the IPv6 address" % (api_host,))
        if rest:
            if not rest.startswith(":"):
                raise PveOptionError("api_host", "%r is not a valid [IPv6]:port" % (api_host,))
            port = _port(rest[1:], "api_host", api_host)
        host = "[%s]" % _ipv6(host, api_host)
    elif text.count(":") > 1:
        host = "[%s]" % _ipv6(text, api_host)
    else:
        host, sep, port_text = text.partition(":")
        if sep:
            port = _port(port_text, "api_host", api_host)
        if not host or not all(_HOST_LABEL_RE.match(label) for label in host.split(".")):
            raise PveOptionError("api_host", "%r does not name a host (expected e.g. pve1.example.com, "
                                             "pve1:8006 or https://pve1.example.com:8006)" % (api_host,))
    return scheme, host, port


def api_host_secrets(api_host):
    """The secret parts of a `user:password@` inside api_host (refused by parse_api_host, but the
    raw value must still be hidden wherever Ansible echoes module arguments): [] when there is none."""
    text = api_host.strip() if isinstance(api_host, str) else ""
    rest = re.sub(r"^[A-Za-z][A-Za-z0-9+.\-]*://", "", text)
    # up to the last '@' of the whole value, not of its first '/'-separated part: a password may hold '/'
    # (a realm user holds '@' itself; the host follows the last one)
    userinfo, sep, _host = rest.rpartition("@")
    if not sep:
        return []
    _user, sep, password = userinfo.partition(":")
    return [userinfo, password] if sep and password else []


def token_id_secrets(token_id):
    """What follows the first '=' of api_token_id (refused by ConnectionConfig: a pasted PVEAPIToken value), to
    be hidden wherever Ansible echoes module arguments: [] when there is none."""
    if not isinstance(token_id, str) or "=" not in token_id:
        return []
    secret = token_id.split("=", 1)[1].strip()
    return [secret] if secret else []


def _ipv6(text, api_host):
    """A literal IPv6 address (without brackets), validated; raises PveOptionError naming api_host."""
    if "%" in text:   # Python accepts any zone id ('fe80::1%eth0', '::%:'); URLs (RFC 6874) and requests do not
        raise PveOptionError("api_host", "%r: an IPv6 zone id (%%...) is not supported; use a routable address "
                                         "or the node's host name" % (api_host,))
    try:
        return str(ipaddress.IPv6Address(text))
    except ValueError:
        raise PveOptionError("api_host", "%r is not a valid IPv6 address (write [v6]:port for a port)" % (api_host,))


def _port(value, option, api_host=None):
    """A TCP port (int or digits) -> int in 1..65535, else PveOptionError naming `option`."""
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if not re.match(r"^[0-9]{1,5}$", text):
            raise PveOptionError(option, "port in %r must be a number" % (api_host,) if api_host is not None
                                 else "must be a number between 1 and 65535, got %r" % (value,))
        number = int(text)
    if not 1 <= number <= 65535:
        raise PveOptionError(option, "port must be between 1 and 65535, got %s" % (number,))
    return number


class ConnectionConfig:
    """Validated connection settings. Secrets are kept out of repr()."""

    __slots__ = ("scheme", "host", "port", "user", "password", "token_id", "token_secret",
                 "verify", "timeout", "retries", "total_timeout", "max_answer_mb")
    HTTP_REFUSED = ("http:// sends the API token or password in clear text, and PVE serves its API over HTTPS only "
                    "(port 8006): use https://. Only behind a TLS-terminating proxy on this host, set api_allow_http: true")

    def __init__(self, scheme, host, port, user=None, password=None, token_id=None, token_secret=None,
                 verify=True, timeout=DEFAULT_TIMEOUT, retries=DEFAULT_RETRIES, total_timeout=DEFAULT_TOTAL_TIMEOUT,
                 max_answer_mb=DEFAULT_MAX_ANSWER_MB):
        self.scheme = scheme
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.token_id = token_id
        self.token_secret = token_secret
        self.verify = verify
        self.timeout = timeout
        self.retries = retries
        self.total_timeout = total_timeout
        self.max_answer_mb = max_answer_mb

    def __repr__(self):
        return "ConnectionConfig(base_url=%r, user=%r, token_id=%r, auth=%r, verify=%r, timeout=%r, retries=%r)" % (
            self.base_url, self.user, self.token_id, self.auth_kind, self.verify, self.timeout, self.retries)

    @property
    def base_url(self):
        return "%s://%s:%d/api2/json" % (self.scheme, self.host, self.port)

    @property
    def endpoint(self):
        """host:port as users know it, for messages."""
        return "%s:%d" % (self.host, self.port)

    @property
    def auth_kind(self):
        return "token" if self.token_secret else "ticket"

    @classmethod
    def from_params(cls, params):
        """Validate a dict holding the connection option names (None for unset).

        An option error never holds the password or token secret, whatever option it names."""
        try:
            return cls._from_params(params)
        except PveOptionError as err:
            secrets = [_text_or_none(params.get(name)) for name in ("api_password", "api_token_secret")]
            secrets += api_host_secrets(params.get("api_host")) + token_id_secrets(params.get("api_token_id"))
            pattern = secret_pattern(sorted((s for s in secrets if s), key=len, reverse=True))
            if pattern is not None and pattern.search(str(err)):
                hidden = PveOptionError(None, pattern.sub(HIDDEN, str(err)))
                hidden.option = err.option
                raise hidden from None
            raise

    @classmethod
    def _from_params(cls, params):
        get = params.get
        scheme, host, port = parse_api_host(get("api_host"), get("api_port") or DEFAULT_PORT)
        if scheme == "http" and not _boolean(get("api_allow_http"), "api_allow_http", False):
            raise PveOptionError("api_host", cls.HTTP_REFUSED)
        user, password, token_id, token_secret = (_text_or_none(get(name)) for name in (
            "api_user", "api_password", "api_token_id", "api_token_secret"))
        if password and (token_id or token_secret):
            raise PveOptionError("api_password", "api_password and api_token_id/api_token_secret are mutually exclusive: "
                                                 "use either a password (ticket) or an API token; %s"
                                 % _origins(params, ("api_password", "api_token_id", "api_token_secret")))
        if token_id and "=" in token_id:
            # PVEAPIToken=user@realm!name=SECRET pasted whole: never echo what follows '='
            raise PveOptionError("api_token_id", "must be user@realm!name without '=': the part after '=' looks like "
                                                 "the token secret (the PVEAPIToken=user@realm!name=SECRET form); put it "
                                                 "in api_token_secret")
        if token_id or token_secret:
            if not token_secret:
                raise PveOptionError("api_token_secret", "is required with api_token_id")
            if not token_id:
                raise PveOptionError("api_token_id", "is required with api_token_secret (user@realm!name, or name with api_user)")
            token_id = cls._full_token_id(token_id, user)
            if not printable_ascii(token_id):
                raise PveOptionError("api_token_id", "must be printable ASCII without spaces, got %r" % (token_id,))
            if not printable_ascii(token_secret):
                # never echo the secret
                raise PveOptionError("api_token_secret", "must be printable ASCII without spaces or line breaks "
                                                         "(a PVE token secret is a UUID)")
        elif password:
            if not user:
                raise PveOptionError("api_user", "is required with api_password (e.g. root@pam)")
            if not _USER_RE.match(user):
                raise PveOptionError("api_user", "must be %s, got %r" % (USER_EXAMPLES, user))
        else:
            raise PveOptionError(None, "No credentials: set api_token_id and api_token_secret (recommended), or api_user "
                                       "and api_password (or the PVE_API_* environment variables)")
        timeout = _positive_int(get("api_timeout"), "api_timeout", DEFAULT_TIMEOUT, minimum=1)
        retries = _positive_int(get("api_retries"), "api_retries", DEFAULT_RETRIES, minimum=0)
        total_timeout = _positive_int(get("api_total_timeout"), "api_total_timeout", DEFAULT_TOTAL_TIMEOUT, minimum=1)
        max_answer_mb = _positive_int(get("api_max_answer_mb"), "api_max_answer_mb", DEFAULT_MAX_ANSWER_MB, minimum=1)
        return cls(scheme, host, port, user, password, token_id, token_secret,
                   _verify(get("validate_certs"), get("ca_path")), timeout, retries, total_timeout, max_answer_mb)

    @staticmethod
    def _full_token_id(token_id, user):
        if "!" in token_id:
            token_user, _sep, name = token_id.rpartition("!")
            if not _USER_RE.match(token_user) or not _TOKEN_NAME_RE.match(name):
                raise PveOptionError("api_token_id", "must be user@realm!name (e.g. root@pam!ansible or "
                                                     "jane@corp.example@ad!ansible; the name has 2 or more of letters, "
                                                     "digits, '.', '-', '_'), got %r" % (token_id,))
            return token_id
        if not _TOKEN_NAME_RE.match(token_id):
            raise PveOptionError("api_token_id", "must be user@realm!name or a token name (2 or more of letters, digits, "
                                                 "'.', '-', '_', starting with a letter), got %r" % (token_id,))
        if not user:
            raise PveOptionError("api_token_id", "%r has no user@realm! part: give the full id (user@realm!%s) "
                                                 "or set api_user" % (token_id, token_id))
        if not _USER_RE.match(user):
            raise PveOptionError("api_user", "must be %s, got %r" % (USER_EXAMPLES, user))
        return "%s!%s" % (user, token_id)


def _text_or_none(value):
    """Unset ('' or None) -> None; anything else as text (an inventory may hand over YAML numbers)."""
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else str(value)


def printable_ascii(text):
    """True if every character is visible ASCII (no space, no control character): safe in an HTTP header."""
    return all("\x21" <= char <= "\x7e" for char in str(text))


def _origins(params, names):
    """Where each set credential came from, for the 'two sources' error: an environment variable
    (named, with how to unset it) when the value equals that variable's, else the task or file."""
    where = []
    for name in names:
        if not params.get(name):
            continue
        variable = next((var for var in ENV_VARS[name] if os.environ.get(var)), None)
        if variable and os.environ[variable] == str(params[name]):
            where.append("%s from the environment variable %s (unset it: unset %s)" % (name, variable, variable))
        else:
            where.append("%s from the task, play or inventory file" % name)
    return "set here: " + "; ".join(where)


def _boolean(value, option, default):
    """A bool option that may arrive as text (environment, inventory file)."""
    if value is None:
        return default
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
            raise PveOptionError(option, "must be a boolean, got %r" % (value,))
        return lowered in ("1", "true", "yes", "on")
    return bool(value)


def _verify(validate_certs, ca_path):
    validate_certs = _boolean(validate_certs, "validate_certs", True)
    if not validate_certs:
        return False
    if ca_path:
        path = os.path.expanduser(str(ca_path))
        if not os.path.isfile(path):
            raise PveOptionError("ca_path", "file %r does not exist (point it at the cluster's CA, e.g. a copy of "
                                            "/etc/pve/pve-root-ca.pem)" % (path,))
        return path
    return True


def _positive_int(value, option, default, minimum):
    if value is None:
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise PveOptionError(option, "must be an integer, got %r" % (value,))
    if isinstance(value, bool) or number < minimum:
        raise PveOptionError(option, "must be an integer >= %d, got %r" % (minimum, value))
    return number
