# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""PveClient: the one HTTP client of pve.cluster, used by every module and the inventory plugin.

One keep-alive requests.Session per client; `verify` passed on every request (so an
environment's REQUESTS_CA_BUNDLE cannot undo validate_certs=false); api_timeout on every
request; GET retried on connection errors, timeouts and 502/503/504 with exponential backoff
(failures sorted by exception type in _failures.py);
API token header or one ticket login (one re-login per client when PVE refuses the ticket: a server that
refuses every call costs two logins, not one per call).
The session may be shared by worker threads (GET only); login is serialised by a lock.
"""

from __future__ import annotations

import json
import math
import threading
import time
import traceback
from urllib.parse import quote, urlencode

try:
    import requests
    import requests.auth
    import requests.adapters
    import urllib3
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

from ansible_collections.pve.cluster.plugins.module_utils import _errors, _failures, _limits
from ansible_collections.pve.cluster.plugins.module_utils._scrub import Scrubber, looks_like_token_secret
from ansible_collections.pve.cluster.plugins.module_utils._shape import expect
from ansible_collections.pve.cluster.plugins.module_utils._options import printable_ascii, validate_node, validate_vmid

USER_AGENT = "pve.cluster/0.1 (Ansible)"
RETRY_STATUSES = frozenset((502, 503, 504))
BACKOFF_FACTOR = 0.5
BACKOFF_MAX = 8.0
MAX_DEPTH = 32  # levels of lists/objects in an answer's data: PVE's nest a few (a guest agent's interfaces: 5)
NUMBER_LIMIT = 2 ** 64  # PVE's numbers are 64-bit counters at most; beyond +-2**64 a number is treated as missing
MAX_RELOGINS = 1  # logins after the first one, per client (one run)

_PATH_VALIDATORS = {"node": validate_node, "vmid": validate_vmid}


def build_path(template, path_args):
    """Fill `{name}` placeholders: node/vmid validated first, every segment percent-escaped."""
    values = {}
    for name, value in path_args.items():
        check = _PATH_VALIDATORS.get(name)
        if check is not None:
            value = check(value, name)
        text = str(value)
        if text in ("", ".", ".."):
            # an empty or dot segment would change the path itself (URL normalisation removes '..')
            raise _errors.PveOptionError(name, "%r is not a valid value for a path segment" % (text,))
        values[name] = quote(text, safe="")
    try:
        return template.format(**values)
    except (KeyError, IndexError) as exc:
        raise _errors.PveOptionError(str(exc).strip("'"), "is required by the API path %s" % template)


def shown_path(path, params):
    """The path with its query, as messages show a request (never holds a secret: GET parameters only)."""
    query = encode_params(params)
    return "%s?%s" % (path, urlencode(query, safe=",:")) if query else path


def encode_params(params):
    """PVE wants 0/1 for booleans; None means 'not sent'."""
    if not params:
        return None
    encoded = {}
    for key, value in params.items():
        if value is None:
            continue
        encoded[key] = int(value) if isinstance(value, bool) else value
    return encoded


if HAS_REQUESTS:
    class _PveAuth(requests.auth.AuthBase):
        """Adds the token header or ticket cookie (reads need no CSRF token). repr() hides secrets."""

        def __init__(self):
            self.header = None
            self.ticket = None
            self.csrf = None  # kept only to be hidden wherever a server echoes it

        def __call__(self, request):
            if self.header:
                request.headers["Authorization"] = self.header
            elif self.ticket:
                request.headers["Cookie"] = "PVEAuthCookie=%s" % self.ticket
            return request

        def __repr__(self):
            return "<PVE auth: secret hidden>"


class PveResponse:
    __slots__ = ("data", "total")

    def __init__(self, data, total=None):
        self.data = data
        self.total = total


class PveClient:
    """Talks to https://HOST:PORT/api2/json. See CONTRIBUTING.md for the calling conventions."""

    def __init__(self, config, warn=None, log=None, pool_size=10):
        if not HAS_REQUESTS:
            raise _errors.PveError("The Python library 'requests' is required on the host running this code")
        self.config = config
        self._warn = warn or (lambda msg: None)
        self._log = log or (lambda msg: None)
        self._auth = _PveAuth()
        self._login_lock = threading.Lock()
        self._ticket_version = 0
        self._relogins = 0
        self.request_count = 0
        session = requests.Session()
        session.auth = self._auth  # also keeps requests from consulting ~/.netrc
        # never a redirect target: requests would read a redirect's whole body (decoded, past the answer cap)
        # before handing it over, even with allow_redirects=False; _redirect_error reads Location itself
        session.get_redirect_target = _no_redirect_target
        # only what _limits.read_body decodes itself, under the answer cap (never br or zstd)
        session.headers.update({"Accept": "application/json", "User-Agent": USER_AGENT,
                                "Accept-Encoding": _limits.ACCEPT_ENCODING})
        # urllib3 itself never retries (its default): _send's loop does, by the type of the failure
        adapter = _limits.BoundedAdapter(pool_connections=1, pool_maxsize=max(1, pool_size))
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        self._session = session
        self._deadlines = _limits.Deadlines(config.timeout, config.total_timeout)
        self._scrubber = Scrubber(lambda: (config.token_secret, config.password, self._auth.ticket, self._auth.csrf))
        if config.token_secret and not looks_like_token_secret(config.token_secret):
            self._warn("api_token_secret does not look like a PVE token secret (a UUID such as "
                       "01234567-89ab-cdef-0123-456789abcdef, 36 characters); check it. Ansible hides a secret by replacing every "
                       "occurrence of its value in the output, so a secret that is an ordinary word also masks that word "
                       "in results and messages")
        if config.verify is False:
            # The user chose this; say it once instead of urllib3's warning on every request.
            urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
        if config.scheme == "http":
            self._warn("api_host uses http:// (api_allow_http: true): the %s travels in clear text to %s"
                       % ("API token" if config.token_secret else "password and ticket", config.endpoint))
        if config.token_secret:
            self._auth.header = "PVEAPIToken=%s=%s" % (config.token_id, config.token_secret)

    def __repr__(self):
        return "PveClient(%r)" % (self.config,)

    def _scrub(self, text):
        """Every secret this client knows replaced by '<hidden>', control characters escaped (texts from outside)."""
        return self._scrubber.text(text)

    def close(self):
        self._session.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- public calls ---------------------------------------------------------------------------
    def get(self, path, params=None, retry_timeouts=True, **path_args):
        """GET and return the unwrapped `data`. retry_timeouts=False: a timeout is not retried (per-node reads)."""
        return self._get(path, params, retry_timeouts, path_args).data

    def get_with_total(self, path, params=None, retry_timeouts=True, **path_args):
        """GET and return (data, total); total is None when PVE sends none (PVE omits it when 0)."""
        response = self._get(path, params, retry_timeouts, path_args)
        return response.data, response.total

    def _get(self, path, params, retry_timeouts, path_args):
        """The one kind of call the collection makes (read-only); the login is the only POST."""
        full_path = build_path(path, path_args)
        if self.config.auth_kind == "ticket" and self._auth.ticket is None:
            self.login()
        version = self._ticket_version
        response = self._send("GET", full_path, params, None, retry_timeouts=retry_timeouts)
        if response.status_code == 401 and self.config.auth_kind == "ticket":
            if self.login(stale_version=version):
                response = self._send("GET", full_path, params, None, retry_timeouts=retry_timeouts)
            else:
                self._log("GET %s: ticket refused again; not logging in again (one re-login per run)" % full_path)
        return self._decode("GET", shown_path(full_path, params), response)

    def login(self, stale_version=None):
        """POST /access/ticket once. With stale_version (the ticket PVE refused): True when another thread renewed
        it meanwhile or this call did, False when the one re-login of this client is spent (no request then)."""
        with self._login_lock:
            if stale_version is not None and self._auth.ticket is not None:
                if stale_version != self._ticket_version:
                    return True
                if self._relogins >= MAX_RELOGINS:
                    return False
                self._relogins += 1
                self._log("ticket refused, logging in again")
            elif self._auth.ticket is not None:
                return True
            self._auth.ticket = None
            response = self._send("POST", "/access/ticket", None,
                                  {"username": self.config.user, "password": self.config.password})
            data = self._decode("POST", "/access/ticket", response).data
            data = expect(data, dict, "POST /access/ticket")
            if data.get("NeedTFA"):
                raise _errors.PveAuthError(401, "POST", "/access/ticket", "api_user %s has two-factor authentication "
                                           "enabled; use an API token instead" % self.config.user)
            if not _header_safe(data.get("ticket")) or not (data.get("CSRFPreventionToken") is None
                                                            or _header_safe(data.get("CSRFPreventionToken"))):
                raise _errors.PveInvalidResponseError("POST /access/ticket: PVE returned no usable ticket")
            self._auth.ticket = data["ticket"]
            self._auth.csrf = data.get("CSRFPreventionToken")
            self._ticket_version += 1
            return True

    # -- transport ------------------------------------------------------------------------------
    def _send(self, method, path, params, data, retry_timeouts=True):
        """One request, repeated while the failure is one another attempt can cure (GET only: never the login)."""
        config = self.config
        shown = shown_path(path, params)
        attempts = (config.retries + 1) if method == "GET" else 1
        for attempt in range(1, attempts + 1):
            self._deadlines.check_total(method, shown, config.endpoint)
            started = time.monotonic()
            self.request_count += 1
            watch = self._deadlines.watch()
            try:
                with watch:
                    response = self._exchange(method, path, params, data, watch, shown)
                if watch.expired:  # the socket was shut down, and the read took that for the end of the answer
                    raise _limits.Expired()
            except (requests.exceptions.RequestException, _limits.Expired) as exc:
                if watch.expired:
                    failure = self._deadlines.failure(watch, method, shown, config.endpoint)
                else:
                    failure = _failures.classify(exc, config, method, shown)
                if not failure.retry or attempt == attempts or (failure.kind == "timeout" and not retry_timeouts):
                    raise failure.error(attempt) from None
                why = failure.kind
            else:
                self._log("%s %s -> HTTP %s in %.3fs" % (method, shown, response.status_code, time.monotonic() - started))
                if response.status_code not in RETRY_STATUSES or attempt == attempts:
                    return response
                why = "HTTP %s" % response.status_code
            delay = min(BACKOFF_MAX, BACKOFF_FACTOR * (2 ** (attempt - 1)))
            self._warn("%s %s: %s, retry %d of %d in %.1fs (api_retries)" % (method, shown, why, attempt, attempts - 1, delay))
            time.sleep(max(0.0, min(delay, self._deadlines.total_left())))
        raise AssertionError("unreachable")  # pragma: no cover

    def _exchange(self, method, path, params, data, watch, shown):
        """Send, then read the body in chunks up to api_max_answer_mb, all within `watch`'s deadline."""
        config = self.config
        response = self._session.request(method, config.base_url + path, params=encode_params(params), data=data,
                                         timeout=max(0.05, min(config.timeout, watch.seconds)), verify=config.verify,
                                         allow_redirects=False, stream=True)
        try:
            # pylint: disable-next=protected-access
            response._content = _limits.read_body(response, config.max_answer_mb * _limits.MIB, method, shown,
                                                  config.endpoint, watch)
        finally:
            response.close()  # the body was read whole: the connection goes back to the pool
        return response

    def _decode(self, method, path, response):
        status = response.status_code
        body = None
        text = response.text if response.content else ""
        odd_numbers = []
        too_deep = False
        if text:
            try:
                body = json.loads(text, parse_constant=odd_numbers.append, parse_float=_finite_float(odd_numbers),
                                  parse_int=_bounded_int(odd_numbers))
            except ValueError:
                body = None
            except RecursionError:  # deeper than Python's own recursion limit
                body, too_deep = None, True
        if too_deep or nested_deeper(body, MAX_DEPTH + 1):  # + 1: PVE's {"data": ...} envelope
            if 200 <= status < 300:
                raise _errors.PveInvalidResponseError(
                    "%s %s: the answer from %s is nested deeper than %d levels (PVE's answers nest a few); not read"
                    % (method, path, self.config.endpoint, MAX_DEPTH), status=status, method=method, path=path)
            body = None  # an error's message and errors map are read from the top level only
        if 300 <= status < 400:
            raise self._redirect_error(method, path, response)
        if status >= 400 or status < 200:
            if isinstance(body, dict):
                # keep only what the error needs, without any secret a misbehaving server echoed
                body = {"message": self._scrub(body.get("message")) if body.get("message") else None,
                        "errors": dict((self._scrub(k), self._scrub(v)) for k, v in body["errors"].items())
                        if isinstance(body.get("errors"), dict) else None}
            raise _errors.error_from_response(status, method, path, self._scrub(response.reason or ""), body)
        if not isinstance(body, dict) or "data" not in body:
            content_type = response.headers.get("Content-Type", "?")
            raise _errors.PveInvalidResponseError(
                "%s %s: %s answered HTTP %s with %s instead of PVE's JSON (content-type %s): %r"
                % (method, path, self.config.endpoint, status, "invalid JSON" if body is None else "JSON without 'data'",
                   content_type, self._scrubber.excerpt(text, 120)), status=status, method=method, path=path)
        total = body.get("total")
        if total is not None:
            try:
                total = int(total)
            except (TypeError, ValueError):
                total = None
        if odd_numbers:
            self._warn("%s %s: %d number(s) in the answer were not finite or out of range (NaN, Infinity, beyond "
                       "+-2**64); treated as missing" % (method, path, len(odd_numbers)))
        data, fixed = self._scrubber.data(body["data"], text)
        if fixed:
            self._warn("%s %s: %d string(s) in the answer held invalid Unicode (lone surrogates), replaced by U+FFFD"
                       % (method, path, fixed))
        return PveResponse(data, total)

    def _redirect_error(self, method, path, response):
        """PVE never redirects an API call, except plain HTTP on its HTTPS port (pve-http-server
        `ensure_tls_connection`, since 2023: 301/308 to https://): say which."""
        location = self._scrub(response.headers.get("Location") or "")
        if self.config.scheme == "http" and location.lower().startswith("https://"):
            return _errors.PveConnectionError(
                "%s %s: scheme mismatch: api_host says http://, but %s speaks HTTPS (it redirects to https://); "
                "PVE serves its API over HTTPS only: use https://" % (method, path, self.config.endpoint))
        return _errors.PveInvalidResponseError(
            "%s %s: %s answered HTTP %s, a redirect%s, instead of PVE's JSON: api_host must name a PVE node"
            % (method, path, self.config.endpoint, response.status_code,
               " to %r" % location[:120] if location else ""), status=response.status_code, method=method, path=path)


def _no_redirect_target(_response):
    return None


def _finite_float(odd):
    """json parse_float: a number too large for a float (1e999 -> inf) or beyond +-NUMBER_LIMIT is noted in `odd`
    and becomes None."""
    def parse(text):
        value = float(text)
        if math.isfinite(value) and -NUMBER_LIMIT < value < NUMBER_LIMIT:
            return value
        odd.append(text)
        return None
    return parse


def _bounded_int(odd):
    """json parse_int: an integer beyond +-NUMBER_LIMIT (a 400- or 5,000-digit number: Python refuses more than
    4,300 digits) is noted in `odd` and becomes None, without converting a long text."""
    def parse(text):
        if len(text) <= 20:
            value = int(text)
            if -NUMBER_LIMIT < value < NUMBER_LIMIT:
                return value
        odd.append(text[:24])
        return None
    return parse


_CONTAINERS = frozenset((dict, list))  # what json.loads makes (exactly these types)


def nested_deeper(value, limit):
    """True if `value` (decoded JSON) nests lists/objects deeper than `limit` levels; no recursion."""
    if type(value) not in _CONTAINERS:  # pylint: disable=unidiomatic-typecheck
        return False
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        children = item.values() if type(item) is dict else item  # pylint: disable=unidiomatic-typecheck
        if _CONTAINERS.isdisjoint(map(type, children)):  # a flat row (most are): no Python loop over its values
            continue
        stack.extend((child, depth + 1) for child in children if type(child) in _CONTAINERS)  # pylint: disable=unidiomatic-typecheck
    return False


def _header_safe(value):
    """True if `value` is a non-empty string that can go in an HTTP header as it is."""
    return isinstance(value, str) and bool(value) and printable_ascii(value)
