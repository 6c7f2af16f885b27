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
    RV(available=false) and does not fail.
  - With O(count) above 1, or O(lower) / O(upper), reads the guest list once (C(GET /cluster/resources?type=vm)),
    picks the lowest free ids in the range and confirms each with C(GET /cluster/nextid?vmid=N), skipping any id
    PVE reports as taken (for example a guest the user may not see). This search does B(not) use the
    C(datacenter.cfg) C(next-id) range; O(lower) and O(upper) default to C(100) and C(999999999).
  - Nothing is reserved. Another client can take an id between this check and the creation of the guest;
    create the guest soon after, and let the create call fail on a conflict.
author:
  - pve.cluster maintainers (@pve-cluster)
extends_documentation_fragment:
  - pve.cluster.connection
  - pve.cluster.attributes
options:
  vmid:
    description:
      - Check whether this id is free. Between C(100) and C(999999999).
      - Cannot be combined with O(lower), O(upper) or a O(count) other than V(1).
    type: int
  count:
    description:
      - How many distinct free ids to return, lowest first. At least V(1), at most V(1000).
    type: int
    default: 1
  lower:
    description:
      - The lowest id to consider (inclusive). Between C(100) and C(999999999); defaults to C(100) when O(upper) or
        O(count) is set.
    type: int
  upper:
    description:
      - The highest id to consider (inclusive). Between C(100) and C(999999999), not below O(lower);
        defaults to C(999999999) when O(lower) or O(count) is set.
      - If the range is smaller than O(count), the module fails before any request; if it holds fewer than O(count)
        free ids, the module fails, naming the range and how many were free.
    type: int
notes:
  - "Privileges: C(GET /cluster/nextid) is open to every user and token (pve-manager C(PVE/API2/Cluster.pm)), and PVE
    checks the ids of every guest, seen or not. The guest list of a search (C(GET /cluster/resources)) holds only
    the guests the caller may see (C(VM.Audit)); the ids it misses are found taken by PVE (see below)."
  - Each id returned by a O(count) or O(lower)/O(upper) search costs one C(GET /cluster/nextid?vmid=N) request.
  - "Bounded: a search confirms at most O(count) + 100 ids with PVE. Ids missing from the guest list that PVE reports as
    taken (guests this user cannot see) count against that; after 100 of them the module fails saying the range is
    crowded (choose another O(lower)/O(upper), or give the user VM.Audit on all guests)."
  - An id from C(GET /cluster/nextid) that is not an integer in 100..999999999 fails the module (a broken or hostile
    server), it is never returned."
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
  returned: success
  type: int
  sample: 106
vmids:
  description:
    - The free ids found, lowest first; O(count) of them. With O(vmid), V([vmid]) when it is free, else empty.
  returned: success
  type: list
  elements: int
  sample: [106, 107, 108]
available:
  description: Whether the id given in O(vmid) is free.
  returned: when O(vmid) is given
  type: bool
  sample: true
"""

from ansible_collections.pve.cluster.plugins.module_utils._errors import (
    PveBadRequestError, PveInvalidResponseError, PveOptionError)
from ansible_collections.pve.cluster.plugins.module_utils._module import PveModule
from ansible_collections.pve.cluster.plugins.module_utils._shape import describe, expect
from ansible_collections.pve.cluster.plugins.module_utils._options import VMID_MAX, VMID_MIN, validate_vmid

NEXTID = "/cluster/nextid"
MAX_COUNT = 1000  # ids one search returns
MAX_TAKEN = 100  # ids PVE reports taken although the guest list lacks them, before a search gives up

ARGUMENT_SPEC = {
    "vmid": {"type": "int"},
    "count": {"type": "int", "default": 1},
    "lower": {"type": "int"},
    "upper": {"type": "int"},
}


def check_options(params):
    """Validate before any request; returns (lower, upper) of a range search, or None."""
    if params["vmid"] is not None:
        validate_vmid(params["vmid"], "vmid")
        for option in ("lower", "upper"):
            if params[option] is not None:
                raise PveOptionError(option, "cannot be combined with vmid (vmid checks one id)")
        if params["count"] != 1:
            raise PveOptionError("count", "cannot be combined with vmid (vmid checks one id)")
    if not 1 <= params["count"] <= MAX_COUNT:
        raise PveOptionError("count", "must be between 1 and %d, got %d" % (MAX_COUNT, params["count"]))
    lower, upper = params["lower"], params["upper"]
    if lower is not None:
        validate_vmid(lower, "lower")
    if upper is not None:
        validate_vmid(upper, "upper")
    if lower is not None and upper is not None and lower > upper:
        raise PveOptionError("lower", "must not be above upper (lower=%d, upper=%d)" % (lower, upper))
    if lower is None and upper is None and params["count"] == 1:
        return None
    lower, upper = (VMID_MIN if lower is None else lower, VMID_MAX if upper is None else upper)
    if upper - lower + 1 < params["count"]:
        raise PveOptionError("count", "%d ids do not fit in the range %d..%d (lower..upper)" % (params["count"], lower, upper))
    return lower, upper


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


def search(module, lower, upper, count):
    """The lowest `count` free ids in [lower, upper], each confirmed by PVE."""
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
    free = (upper - lower + 1) - in_range
    found, rejected = [], 0

    def exhausted():
        left = free - rejected
        module.fail_json(msg="Not enough free VMIDs: count=%d asked, but the range %d..%d (lower..upper) has only %d "
                             "free id%s (%d in use%s)"
                         % (count, lower, upper, left, "" if left == 1 else "s", in_range + rejected,
                            ", %d of them not visible to this user" % rejected if rejected else ""))

    if free < count:
        exhausted()
    candidate = lower
    while len(found) < count:
        while candidate <= upper and candidate in used:
            candidate += 1
        if candidate > upper:
            exhausted()
        with module.errors("Checking VMID %d" % candidate):
            if is_free(client, candidate):
                found.append(candidate)
            else:
                rejected += 1
                if free - rejected < count:
                    exhausted()
                if rejected >= MAX_TAKEN:
                    module.fail_json(msg="The range %d..%d (lower..upper) is crowded: PVE reported %d ids as taken that the "
                                         "guest list does not show (guests this user cannot see); stopped after %d with "
                                         "%d of count=%d found. Choose another lower/upper, or give the user VM.Audit "
                                         "on all guests" % (lower, upper, rejected, MAX_TAKEN, len(found), count))
        candidate += 1
    return found


def main():
    module = PveModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    params = module.params
    with module.errors():
        span = check_options(params)
    vmid = params["vmid"]
    if vmid is not None:
        with module.errors("Checking VMID %d" % vmid):
            available = is_free(module.client, vmid)
        module.exit_json(changed=False, vmid=vmid, vmids=[vmid] if available else [], available=available)
    if span is None:
        with module.errors("Asking for the next free VMID"):
            vmid = to_vmid(module.client.get(NEXTID), "GET /cluster/nextid")
        module.exit_json(changed=False, vmid=vmid, vmids=[vmid])
    vmids = search(module, span[0], span[1], params["count"])
    module.exit_json(changed=False, vmid=vmids[0], vmids=vmids)


if __name__ == "__main__":
    main()
