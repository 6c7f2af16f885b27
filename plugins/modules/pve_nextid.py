#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: pve_nextid
short_description: Find free Proxmox VE guest ids (VMIDs), or check that one is free
version_added: 0.1.0
description:
  - Without options, asks PVE for the next free VMID with one C(GET /cluster/nextid). PVE then applies its own rule,
    which honours the C(next-id) range of C(datacenter.cfg) (by default C(100) up to, not including, C(1000000)).
  - With O(vmid), checks whether that id is free (C(GET /cluster/nextid?vmid=N)); a taken id returns
    RV(available=false) and does not fail. PVE does not apply the C(next-id) range to this check.
  - With O(count) other than V(1), O(lower), O(upper), O(exclude), O(keep) or O(strategy=random), searches. It reads
    the guest list once (C(GET /cluster/resources?type=vm)), picks free ids in the range (the lowest, or at random)
    and confirms each with C(GET /cluster/nextid?vmid=N), skipping any id PVE reports as taken (for example a guest
    the user may not see).
  - A search's range is O(lower)..O(upper). An end not given comes from C(datacenter.cfg) C(next-id) when PVE reports
    it (C(GET /cluster/options), which shows it only to users with C(Sys.Audit) on C(/)), else from PVE's own range
    C(100)..C(999999).
  - Nothing is reserved, PVE cannot hold an id. Another client can take an id between this check and the creation of
    the guest; PVE then refuses the create (C(VM N already exists)). Create the guest soon after, and retry with the
    refused id in O(exclude) (see EXAMPLES and docs/vmid-allocation.md).
author:
  - pve.cluster maintainers (@pve-cluster)
extends_documentation_fragment:
  - pve.cluster.connection
  - pve.cluster.attributes
options:
  vmid:
    description:
      - Check whether this id is free. Between C(100) and C(999999999).
      - Cannot be combined with O(lower), O(upper), O(exclude), O(keep), O(strategy=random) or a O(count) other
        than V(1).
    type: int
  count:
    description:
      - How many distinct free ids to return. At least V(1) (V(0) with O(keep), to check the kept ids only), at most
        V(1000).
    type: int
    default: 1
  strategy:
    description:
      - V(lowest) returns the lowest free ids of the range, in order; dense and predictable, but two callers that
        search at the same moment get the same ids.
      - V(random) returns free ids drawn at random from the range (os.urandom-seeded, so concurrent processes draw
        independently). In a wide range two concurrent callers rarely pick the same id; in a narrow range they
        still can (docs/vmid-allocation.md has the arithmetic). Each id is confirmed with PVE like V(lowest).
    type: str
    choices: [lowest, random]
    default: lowest
  lower:
    description:
      - The lowest id to consider (inclusive). Between C(100) and C(999999999). Default see the description.
    type: int
  upper:
    description:
      - The highest id to consider (inclusive). Between C(100) and C(999999999), not below O(lower). Default see the
        description.
      - If the range is smaller than O(count), the module fails (before any request when both ends are given); if it
        holds fewer than O(count) free ids, the module fails, naming the range and how many were free.
    type: int
  exclude:
    description:
      - Ids never to return, for example one PVE just refused to create (C(VM 105 already exists)) because another
        client took it. Each between C(100) and C(999999999), at most 100000.
    type: list
    elements: int
    default: []
  keep:
    description:
      - Ids the caller already chose (for example hosts with a preset VMID). Each is confirmed free with
        C(GET /cluster/nextid?vmid=N) and never returned among the new ids; if any is taken the module fails naming
        them (result key C(taken)). No id twice, none also in O(exclude); at most 1000.
    type: list
    elements: int
    default: []
notes:
  - "Privileges: C(GET /cluster/nextid) is open to every user and token (pve-manager C(PVE/API2/Cluster.pm)), and PVE
    checks the ids of every guest, seen or not. The guest list of a search (C(GET /cluster/resources)) holds only
    the guests the caller may see (C(VM.Audit)); the ids it misses are found taken by PVE (see below).
    C(GET /cluster/options) is open to all, but shows C(next-id) only with C(Sys.Audit) on C(/)."
  - Each id returned by a search, and each id of O(keep), costs one C(GET /cluster/nextid?vmid=N) request; a search
    with an end of the range not given reads C(GET /cluster/options) once.
  - "Bounded: a search confirms at most O(count) + 100 ids with PVE. Ids missing from the guest list that PVE reports as
    taken (guests this user cannot see) count against that; after 100 of them the module fails saying the range is
    crowded (choose another O(lower)/O(upper), or give the user VM.Audit on all guests)."
  - An id from C(GET /cluster/nextid) that is not an integer in 100..999999999 fails the module (a broken or hostile
    server), it is never returned; so does a C(next-id) in C(GET /cluster/options) that is not a VMID range.
  - To give every host of a play its own id in one search, use the role P(pve.cluster.vmid_allocate#role) with
    C(vmid_allocate_hosts).
"""

EXAMPLES = r"""
- name: Ask PVE for the next free VMID (honours datacenter.cfg next-id; connection from the PVE_API_* environment)
  pve.cluster.pve_nextid:
  register: next

- name: Show it
  ansible.builtin.debug:
    msg: "The next free VMID is {{ next.vmid }}"

- name: Is VMID 4242 free?
  pve.cluster.pve_nextid:
    vmid: 4242
  register: check

- name: Stop when it is taken
  ansible.builtin.assert:
    that: check.available
    fail_msg: "VMID 4242 is already in use"

- name: Three free ids between 5000 and 5999
  pve.cluster.pve_nextid:
    count: 3
    lower: 5000
    upper: 5999
  register: ids

- name: Use them
  ansible.builtin.debug:
    msg: "Allocating {{ ids.vmids | join(', ') }}"

- name: Two ids at random in a wide range (concurrent pipelines rarely collide), never 10005 or 10006
  pve.cluster.pve_nextid:
    strategy: random
    count: 2
    lower: 10000
    upper: 899999
    exclude: [10005, 10006]
  register: spread

- name: Set the connection once for every pve.cluster module
  module_defaults:
    group/pve.cluster.pve:
      api_host: pve1.example.com
      api_token_id: ansible@pve!audit
      api_token_secret: "{{ vault_pve_token_secret }}"
  block:
    - name: The lowest free id from 200 up
      pve.cluster.pve_nextid:
        lower: 200
"""

RETURN = r"""
vmid:
  description:
    - The first free id found; with O(vmid), the id that was checked (whether or not it is free).
  returned: success, except a search with O(count=0)
  type: int
  sample: 106
vmids:
  description:
    - The free ids found, O(count) of them, lowest first with O(strategy=lowest), in the order drawn with
      O(strategy=random). With O(vmid), V([vmid]) when it is free, else empty.
  returned: success
  type: list
  elements: int
  sample: [106, 107, 108]
available:
  description: Whether the id given in O(vmid) is free.
  returned: when O(vmid) is given
  type: bool
  sample: true
strategy:
  description: The strategy used (V(lowest) for the plain call).
  returned: without O(vmid)
  type: str
  sample: random
range:
  description:
    - The inclusive range a search covered, and where it came from (C(lower/upper), C(datacenter.cfg next-id) or
      C(PVE's default range)).
  returned: for a search
  type: dict
  sample: {"lower": 100, "upper": 999999, "source": "datacenter.cfg next-id"}
kept:
  description: The ids of O(keep), all confirmed free.
  returned: when O(keep) is given and the module succeeds
  type: list
  elements: int
  sample: [4242]
taken:
  description: The ids of O(keep) that PVE reports as taken (the module fails).
  returned: when an id of O(keep) is taken
  type: list
  elements: int
  sample: [105]
"""

from ansible_collections.pve.cluster.plugins.module_utils._errors import (
    PveBadRequestError, PveInvalidResponseError, PveOptionError, PvePermissionError)
from ansible_collections.pve.cluster.plugins.module_utils._module import PveModule
from ansible_collections.pve.cluster.plugins.module_utils._shape import describe, expect
from ansible_collections.pve.cluster.plugins.module_utils._options import VMID_MAX, VMID_MIN, validate_vmid
from ansible_collections.pve.cluster.plugins.module_utils import _vmid_pick

NEXTID = "/cluster/nextid"
MAX_COUNT = 1000  # ids one search returns
MAX_EXCLUDE = 100000  # ids one call may exclude
MAX_TAKEN = 100  # ids PVE reports taken although the guest list lacks them, before a search gives up

ARGUMENT_SPEC = {
    "vmid": {"type": "int"},
    "count": {"type": "int", "default": 1},
    "lower": {"type": "int"},
    "upper": {"type": "int"},
    "strategy": {"type": "str", "default": "lowest", "choices": list(_vmid_pick.STRATEGIES)},
    "exclude": {"type": "list", "elements": "int", "default": []},
    "keep": {"type": "list", "elements": "int", "default": []},
}


def _id_list(params, option, most):
    ids = [validate_vmid(vmid, option) for vmid in params[option] or []]
    if len(ids) > most:
        raise PveOptionError(option, "at most %d ids, got %d" % (most, len(ids)))
    return ids


def check_options(params):
    """Validate before any request. Returns the mode: "check" (vmid), "plain" (one GET /cluster/nextid) or
    "search"; sets params["exclude"] and params["keep"] to lists of int."""
    exclude = params["exclude"] = _id_list(params, "exclude", MAX_EXCLUDE)
    keep = params["keep"] = _id_list(params, "keep", MAX_COUNT)
    twice = sorted(set(vmid for vmid in keep if keep.count(vmid) > 1))
    if twice:
        raise PveOptionError("keep", "lists %s more than once (each kept id belongs to one guest)" % _ids(twice))
    both = sorted(set(keep) & set(exclude))
    if both:
        raise PveOptionError("keep", "%s also in exclude: an id cannot be both kept and excluded" % _ids(both))
    if params["vmid"] is not None:
        validate_vmid(params["vmid"], "vmid")
        for option in ("lower", "upper"):
            if params[option] is not None:
                raise PveOptionError(option, "cannot be combined with vmid (vmid checks one id)")
        for option, unset in (("count", params["count"] == 1), ("strategy", params["strategy"] == "lowest"),
                              ("exclude", not exclude), ("keep", not keep)):
            if not unset:
                raise PveOptionError(option, "cannot be combined with vmid (vmid checks one id)")
        return "check"
    if not (0 if keep else 1) <= params["count"] <= MAX_COUNT:
        raise PveOptionError("count", "must be between %d and %d, got %d" % (0 if keep else 1, MAX_COUNT, params["count"]))
    lower, upper = params["lower"], params["upper"]
    if lower is not None:
        validate_vmid(lower, "lower")
    if upper is not None:
        validate_vmid(upper, "upper")
    if lower is not None and upper is not None and lower > upper:
        raise PveOptionError("lower", "must not be above upper (lower=%d, upper=%d)" % (lower, upper))
    if lower is not None or upper is not None:  # the widest range the missing end allows
        check_fits(params["count"], VMID_MIN if lower is None else lower, VMID_MAX if upper is None else upper)
    if (lower, upper) == (None, None) and params["count"] == 1 and params["strategy"] == "lowest" and not exclude and not keep:
        return "plain"
    return "search"


def check_fits(count, lower, upper):
    if upper - lower + 1 < count:
        raise PveOptionError("count", "%d ids do not fit in the range %d..%d (lower..upper)" % (count, lower, upper))


def _ids(ids):
    return ", ".join(str(vmid) for vmid in ids[:10]) + (", ..." if len(ids) > 10 else "")


def to_vmid(value, call):
    """PVE sends the id as a JSON string ("106"); anything but an integer in 100..999999999 is an error."""
    try:
        if isinstance(value, bool) or not isinstance(value, (str, int)) or len(str(value)) > 12:
            raise ValueError(value)
        vmid = int(str(value).strip())
    except (TypeError, ValueError):
        vmid = None
    if vmid is None or not VMID_MIN <= vmid <= VMID_MAX:
        raise PveInvalidResponseError("%s: PVE returned %s instead of a VMID (an integer in %d..%d)"
                                      % (call, _shown(value), VMID_MIN, VMID_MAX))
    return vmid


def _shown(value):
    """A short description of a value from the server, for a message."""
    text = repr(value) if isinstance(value, (str, int, float)) else describe(value)
    return text if len(text) <= 40 else text[:37] + "..."


def is_free(client, vmid):
    """GET /cluster/nextid?vmid=N: True if free, False on PVE's 400 'already exists'; other errors raise."""
    try:
        client.get(NEXTID, params={"vmid": vmid})
    except PveBadRequestError as err:
        if "already exists" in (err.errors.get("vmid") or ""):
            return False
        raise
    return True


def reported_range(module):
    """datacenter.cfg next-id as GET /cluster/options reports it (only with Sys.Audit on /), or None."""
    with module.errors("Reading the datacenter options"):
        try:
            options = module.client.get("/cluster/options")
        except PvePermissionError:
            return None
        return _vmid_pick.next_id_range(expect(options, dict, "GET /cluster/options"))


def check_kept(module, keep):
    """Each id of keep confirmed free; fails naming the taken ones (result key taken)."""
    taken = []
    for vmid in keep:
        with module.errors("Checking VMID %d (keep)" % vmid):
            if not is_free(module.client, vmid):
                taken.append(vmid)
    if taken:
        module.fail_json(msg="keep: VMID%s %s already in use: choose other ids, or leave them out of keep to get free "
                             "ones" % ("s" if len(taken) > 1 else "", _ids(taken)), taken=taken)


def search(module, span, count, skip):
    """`count` free ids in [lower, upper], lowest first or in a random order, each confirmed by PVE."""
    lower, upper = span
    client = module.client
    with module.errors("Listing the guests"):
        rows = expect(client.get("/cluster/resources", params={"type": "vm"}), list, "GET /cluster/resources")
    used = set()
    for row in rows:
        try:
            used.add(int(row.get("vmid")))
        except (AttributeError, TypeError, ValueError):
            continue
    in_range = sum(1 for vmid in used if lower <= vmid <= upper)
    skipped = sum(1 for vmid in skip - used if lower <= vmid <= upper)
    free = (upper - lower + 1) - in_range - skipped
    found, rejected = [], 0

    def exhausted():
        left = free - rejected
        module.fail_json(msg="Not enough free VMIDs: count=%d asked, but the range %d..%d (lower..upper) has only %d "
                             "free id%s (%d in use%s%s)"
                         % (count, lower, upper, left, "" if left == 1 else "s", in_range + rejected,
                            ", %d of them not visible to this user" % rejected if rejected else "",
                            ", %d excluded or kept" % skipped if skipped else ""))

    if free < count:
        exhausted()
    order = _vmid_pick.random_order if module.params["strategy"] == "random" else _vmid_pick.lowest_first
    candidates = order(lower, upper, used | skip)
    while len(found) < count:
        candidate = next(candidates, None)
        if candidate is None:
            exhausted()
        with module.errors("Checking VMID %d" % candidate):
            if is_free(client, candidate):
                found.append(candidate)
                continue
        rejected += 1
        if free - rejected < count:
            exhausted()
        if rejected >= MAX_TAKEN:
            module.fail_json(msg="The range %d..%d (lower..upper) is crowded: PVE reported %d ids as taken that the "
                                 "guest list does not show (guests this user cannot see); stopped after %d with "
                                 "%d of count=%d found. Choose another lower/upper, or give the user VM.Audit "
                                 "on all guests" % (lower, upper, rejected, MAX_TAKEN, len(found), count))
    return found


def main():
    module = PveModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    params = module.params
    with module.errors():
        mode = check_options(params)
    vmid = params["vmid"]
    if mode == "check":
        with module.errors("Checking VMID %d" % vmid):
            available = is_free(module.client, vmid)
        module.exit_json(changed=False, vmid=vmid, vmids=[vmid] if available else [], available=available)
    if mode == "plain":
        with module.errors("Asking for the next free VMID"):
            vmid = to_vmid(module.client.get(NEXTID), "GET /cluster/nextid")
        module.exit_json(changed=False, vmid=vmid, vmids=[vmid], strategy="lowest")
    lower, upper = params["lower"], params["upper"]
    reported = reported_range(module) if lower is None or upper is None else None
    lower, upper, source = _vmid_pick.search_range(lower, upper, reported)
    with module.errors():
        check_fits(params["count"], lower, upper)
    check_kept(module, params["keep"])
    vmids = search(module, (lower, upper), params["count"], set(params["exclude"]) | set(params["keep"]))
    result = {"vmids": vmids, "strategy": params["strategy"], "range": {"lower": lower, "upper": upper, "source": source}}
    if vmids:
        result["vmid"] = vmids[0]
    if params["keep"]:
        result["kept"] = params["keep"]
    module.exit_json(changed=False, **result)


if __name__ == "__main__":
    main()
