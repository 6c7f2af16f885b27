"""PVE authentication: API tokens, password tickets (with a CSRF token, not checked: every ticket request is a GET), privileges."""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import time
import urllib.parse

from .permissions import ALL_PRIVS, Acl
from .routes import ApiError

TICKET_LIFETIME = 7200

DEFAULT_USER = "root@pam"
DEFAULT_PASSWORD = "sim-password"
DEFAULT_TOKEN_ID = "root@pam!ansible"
DEFAULT_TOKEN_SECRET = "00000000-sim0-token-0000-000000000000"
AUDITOR_TOKEN_ID = "auditor@pve!ro"
AUDITOR_TOKEN_SECRET = "00000000-sim0-audit-000-000000000000"

READONLY_PRIVS = ("VM.Audit", "Datastore.Audit", "Pool.Audit")

# Privilege-separated tokens with PVEAuditor on one ACL path each, and one with no privilege at all.
# Secrets: "00000000-sim0-<4 chars>-0000-000000000000".
SCOPED_TOKENS = {
    "root": ("auditor-root@pve!ro", ["/"]),
    "pool": ("tenant-a@pve!ro", ["/pool/dev"]),
    "vms": ("vm100@pve!ro", ["/vms/100"]),
    "none": ("nobody@pve!ro", []),
    "realm": ("jane@corp.example@ad!ansible", ["/pool/dev"]),
}


# domains.cfg: realm -> type. An OpenID realm has no password login (pve-access-control
# src/PVE/Auth/OpenId.pm authenticate_user: "OpenID realm does not allow password verification.").
REALMS = {"pam": "pam", "pve": "pve", "ad": "ad", "ldap": "ldap", "azure": "openid"}
# Directory and OpenID principals with '@' in the user part (Auth/Plugin.pm user_regex [^\s:/]+), PVEAuditor
# on / for the user and its token (kind: (userid, password or None for OpenID, token name)); the "tfa" user
# has a second factor configured: its password login answers NeedTFA and a half ticket only.
REALM_USERS = {
    "ad": ("jane@corp.example@ad", "jane-ad-password", "ci"),
    "ldap": ("ops.bot@corp.example@ldap", "ops-ldap-password", "ci"),
    "openid": ("svc.ansible@corp.example@azure", None, "ci"),
    "tfa": ("tom@corp.example@ad", "tom-ad-password", None),
}
_USERID = re.compile(r"^[^\s:/]+@[A-Za-z][A-Za-z0-9.\-_]+$")


def realm_secret(kind):
    """The secret of REALM_USERS[kind]'s token."""
    return "00000000-sim0-r%s-0000-000000000000" % kind[:3].ljust(3, "0")


def scoped_secret(kind):
    """The secret of SCOPED_TOKENS[kind]."""
    return "00000000-sim0-%s-0000-000000000000" % kind[:4].ljust(4, "0")


def _unauthorized(reason):
    """pveproxy's 401: the reason phrase only, an empty body."""
    return ApiError(401, reason, empty=True)


class Identity:
    """Who made a request."""

    def __init__(self, kind, user, tokenid=None, acl=None):
        self.kind = kind            # token | ticket | none
        self.user = user
        self.tokenid = tokenid      # the token name (after '!') for token requests
        self.acl = acl if acl is not None else Acl.everywhere(ALL_PRIVS)

    @property
    def full_id(self):
        return self.user + ("!" + self.tokenid if self.tokenid else "")

    def privs(self, path, pool_of=None):
        return self.acl.privs(path, pool_of)

    def has(self, path, priv, pool_of=None):
        return priv in self.acl.privs(path, pool_of)


def _fresh(stamp):
    """A ticket's hex time stamp (signed: ours) is no older than TICKET_LIFETIME (and at most 5 minutes ahead)."""
    return -300 <= time.time() - int(stamp, 16) <= TICKET_LIFETIME


class Auth:
    """Users, tokens and the ticket signing key."""

    def __init__(self, user=DEFAULT_USER, password=DEFAULT_PASSWORD, token_id=DEFAULT_TOKEN_ID,
                 token_secret=DEFAULT_TOKEN_SECRET, extra=None):
        self.users = {user: {"password": password, "acl": Acl.everywhere(ALL_PRIVS)}}
        self.tokens = {token_id: {"secret": token_secret, "acl": Acl.everywhere(ALL_PRIVS)},
                       AUDITOR_TOKEN_ID: {"secret": AUDITOR_TOKEN_SECRET, "acl": Acl.everywhere(READONLY_PRIVS)}}
        for kind, (tokenid, paths) in SCOPED_TOKENS.items():
            self.tokens[tokenid] = {"secret": scoped_secret(kind), "acl": Acl.auditor_on(paths)}
        auditor = Acl.auditor_on(["/"])
        for kind, (userid, password, token) in REALM_USERS.items():
            self.users[userid] = {"password": password, "acl": auditor, "tfa": kind == "tfa"}
            if token:
                self.tokens["%s!%s" % (userid, token)] = {"secret": realm_secret(kind), "acl": auditor}
        for entry in (extra or {}).get("tokens", []):   # a scenario's tokens: privs (the same everywhere)
            self.tokens[entry["tokenid"]] = {"secret": entry["secret"], "acl": Acl.everywhere(entry.get("privs", ALL_PRIVS))}
        self._key = os.urandom(32)

    def _sign(self, text):
        return base64.b64encode(hmac.new(self._key, text.encode(), hashlib.sha256).digest()).decode()

    def login(self, username, password):
        """POST /access/ticket: return data dict or None on failure.

        API2/AccessControl.pm create_ticket: the user id must match Auth/Plugin.pm verify_username (split at the
        last '@') and name an existing realm whose type allows a password; a user with a second factor gets
        NeedTFA and a ticket that opens nothing. (The `realm` parameter is not simulated: the collection sends
        the whole user id.)
        """
        entry = self.users.get(username)
        if not _USERID.match(username) or REALMS.get(username.rpartition("@")[2], "openid") == "openid":
            entry = None
        ok = entry is not None and entry["password"] is not None and \
            hmac.compare_digest(str(entry["password"]), str(password))
        if not ok:
            return None
        stamp = "%08X" % int(time.time())
        plain = "PVE:%s:%s" % ("!tfa!" + self._sign(username)[:16] if entry.get("tfa") else username, stamp)
        ticket = "%s::%s" % (plain, self._sign(plain))
        csrf = "%s:%s" % (stamp, self._sign("%s:%s" % (stamp, username))[:43])
        if entry.get("tfa"):
            return {"ticket": ticket, "CSRFPreventionToken": csrf, "username": username, "NeedTFA": 1}
        privs = entry["acl"].privs("/")
        cap = {"vms": {p: 1 for p in privs if p.startswith("VM.")},
               "storage": {p: 1 for p in privs if p.startswith("Datastore.")},
               "access": {}, "nodes": {p: 1 for p in privs if p.startswith("Sys.")},
               "dc": {}, "sdn": {}, "mapping": {}}
        return {"ticket": ticket, "CSRFPreventionToken": csrf, "username": username, "cap": cap}

    def _ticket_user(self, ticket):
        """The user of a ticket this simulator signed and that has not expired, else None."""
        plain, _sep, sig = ticket.partition("::")
        fields = plain.split(":")
        if len(fields) != 3 or fields[0] != "PVE" or not hmac.compare_digest(self._sign(plain), sig) \
                or not _fresh(fields[2]):
            return None
        return fields[1]

    def identify(self, headers):
        """Identity for request headers; raises a 401 ApiError like pveproxy."""
        authz = headers.get("Authorization") or ""
        if authz.startswith("PVEAPIToken"):
            tokenid, _sep, secret = authz[len("PVEAPIToken="):].rpartition("=")
            entry = self.tokens.get(tokenid)
            if entry is None or not hmac.compare_digest(str(entry["secret"]), secret):
                raise _unauthorized("Authentication failed!")
            user, _bang, name = tokenid.rpartition("!")
            return Identity("token", user, name, entry["acl"])
        ticket = None
        cookies = headers.get("Cookie") or ""
        for part in cookies.split(";"):
            name, _eq, value = part.strip().partition("=")
            if name == "PVEAuthCookie":
                ticket = urllib.parse.unquote(value)
        if ticket is None:
            raise _unauthorized("No ticket")
        user = self._ticket_user(ticket)
        if user is None or user not in self.users:
            raise _unauthorized("Authentication failed!")
        return Identity("ticket", user, None, self.users[user]["acl"])
