"""PVE's permission model for users and tokens: ACL paths, pool-inherited roles.

pve-access-control `src/PVE/AccessControl.pm` (`roles()`: the nearest ACL on the path wins; every ACL here
propagates, as every one the tests set does) and `src/PVE/RPCEnvironment.pm` (`permissions()`: a guest or
storage that is a pool member also gets the roles set on `/pool/<pool>`, never propagated further; `check_any`).
A privilege-separated token here carries its own ACL, already cut to what its user has.
"""
from __future__ import annotations

import re

ALL_PRIVS = ("Datastore.Allocate", "Datastore.AllocateSpace", "Datastore.Audit", "Mapping.Audit", "Pool.Allocate",
             "Pool.Audit", "SDN.Audit", "Sys.Audit", "Sys.Console", "Sys.Modify", "Sys.PowerMgmt", "VM.Allocate",
             "VM.Audit", "VM.Config.Options", "VM.GuestAgent.Audit", "VM.Monitor", "VM.PowerMgmt")
# AccessControl.pm PVEAuditor: the 'audit' privileges of every group (PVE 9: VM.GuestAgent.Audit, no VM.Monitor)
PVE_AUDITOR = ("Datastore.Audit", "Mapping.Audit", "Pool.Audit", "SDN.Audit", "Sys.Audit", "VM.Audit",
               "VM.GuestAgent.Audit")
_VMS = re.compile(r"^/vms/(\d+)$")


class PermissionDenied(Exception):
    """RPCEnvironment raise_perm_exc: HTTP 403 'Permission check failed (<path>, <privs>)'."""

    def __init__(self, path, privs):
        super().__init__("Permission check failed (%s, %s)" % (path, "|".join(privs)))


def _split(path):
    return [p for p in path.split("/") if p]


class Acl:
    """ACL entries [(path, privileges)] of one user or token."""

    def __init__(self, entries):
        self.entries = [(("/" + "/".join(_split(path))), frozenset(privs)) for path, privs in entries]

    @classmethod
    def everywhere(cls, privs):
        """The same privileges on every path (the simulator's plain users and tokens)."""
        return cls([("/", privs)])

    @classmethod
    def auditor_on(cls, paths):
        """PVEAuditor on each of paths."""
        return cls([(path, PVE_AUDITOR) for path in paths])

    def _direct(self, path):
        parts = _split(path)
        found = None
        for depth in range(len(parts) + 1):
            prefix = "/" + "/".join(parts[:depth])
            level = [privs for p, privs in self.entries if p == prefix]
            if level:
                found = frozenset().union(*level)
        return found

    def privs(self, path, pool_of=None):
        """The privileges on path; pool_of(vmid) names the pool of a guest (pool-inherited roles)."""
        found = self._direct(path)
        match = _VMS.match(path)
        if match and pool_of is not None:
            pool = pool_of(int(match.group(1)))
            if pool:
                pooled = self._direct("/pool/" + pool)
                if pooled:
                    found = (found or frozenset()) | pooled
        return found or frozenset()

    def unrestricted(self, privs):
        """True when privs are granted on '/' and nothing narrows them."""
        return all(p == "/" and set(privs) <= granted for p, granted in self.entries) and bool(self.entries)
