# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""pve.cluster.pve with least-privilege tokens (the simulator's permissions): the warning, the variables left out,
include_nodes: false. What each token lists through ansible-inventory: integration token_matrix."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleError
from pvesim import Simulator
from pvesim.auth import SCOPED_TOKENS, scoped_secret

from ansible_collections.pve.cluster.tests.unit.plugins.inventory._helpers import host_vars, parse_direct, sim_source
from ansible_collections.pve.cluster.tests.unit.plugins.modules._module_runner import demo_scenario

REFUSED = "Permission check failed (/, Sys.Audit)"


@pytest.fixture(scope="module", name="lp_sim")
def fixture_lp_sim(tmp_path_factory):
    with Simulator(scenario=demo_scenario(down_for=None), tls=False, auth_delay=0,
                   state_dir=str(tmp_path_factory.mktemp("pvesim"))) as sim:
        yield sim


def source(tmp_path, sim, kind, body=""):
    return sim_source(tmp_path, sim, body, (SCOPED_TOKENS[kind][0], scoped_secret(kind)), "%s.pve.yml" % kind)


def guests(inventory):
    return sorted(host_vars(inventory, h)["pve_vmid"] for h in inventory.hosts
                  if host_vars(inventory, h).get("pve_type") in ("qemu", "lxc"))


def pool_vmids(sim, pool):
    return sorted(g.vmid for g in sim.router.cluster.guests.values() if g.pool == pool and not g.template)


def test_pool_token_warns_once_and_lists_what_it_may_see(tmp_path, warnings, lp_sim):
    inventory = parse_direct(source(tmp_path, lp_sim, "pool", "include_metrics: true\n"))
    ours = [w for w in warnings if "/cluster/status" in w]
    assert len(ours) == 1, warnings
    assert REFUSED in ours[0] and "pve_cluster" in ours[0] and "pve_ip" in ours[0] and "include_nodes: false" in ours[0]
    some = host_vars(inventory, "dev-web01")
    assert "pve_cluster" not in some and some["pve_pool"] == "dev"
    node = host_vars(inventory, "pve1")
    assert "ansible_host" not in node and "pve_ip" not in node and "pve_maxmem" not in node
    assert [w for w in warnings if "pve3" in w and "offline" in w], warnings  # from /cluster/resources alone


def test_include_nodes_false_does_not_ask_cluster_status(tmp_path, warnings, lp_sim):
    lp_sim.clear_requests()
    inventory = parse_direct(source(tmp_path, lp_sim, "pool", "include_nodes: false\n"))
    assert [r["path"] for r in lp_sim.requests] == ["/cluster/resources"]
    assert guests(inventory) == pool_vmids(lp_sim, "dev")
    assert not [w for w in warnings if "/cluster/status" in w]
    inventory = parse_direct(source(tmp_path, lp_sim, "vms", "include_nodes: false\n"))
    assert guests(inventory) == [100]
    assert "pve_pool" not in host_vars(inventory, "web01")  # no Pool.Audit on /pool/prod/web


def test_no_privilege_without_cluster_status_is_one_clear_error(tmp_path, lp_sim):
    with pytest.raises(AnsibleError) as err:
        parse_direct(source(tmp_path, lp_sim, "none", "include_nodes: false\n"))
    text = str(err.value)
    assert "may see nothing" in text and "PVEAuditor" in text and "Traceback" not in text and REFUSED not in text
    assert scoped_secret("none") not in text
