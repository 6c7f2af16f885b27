# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""pve.cluster.pve with least-privilege tokens against the simulator's permission model (PVEAuditor on
/, on /pool/dev, on /vms/100, an AD realm user's token, and a token without any privilege)."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleError
from pvesim import Simulator
from pvesim.auth import SCOPED_TOKENS, scoped_secret

from ansible_collections.pve.cluster.tests.unit.plugins.inventory._helpers import host_vars, parse_direct
from ansible_collections.pve.cluster.tests.unit.plugins.modules._module_runner import demo_scenario

REFUSED = "Permission check failed (/, Sys.Audit)"


@pytest.fixture(scope="module", name="lp_sim")
def fixture_lp_sim(tmp_path_factory):
    with Simulator(scenario=demo_scenario(down_for=None), tls=False, auth_delay=0,
                   state_dir=str(tmp_path_factory.mktemp("pvesim"))) as sim:
        yield sim


def source(tmp_path, sim, kind, body=""):
    path = tmp_path / ("%s.pve.yml" % kind)
    path.write_text("plugin: pve.cluster.pve\napi_host: %s\napi_token_id: '%s'\napi_token_secret: %s\n"
                    "api_retries: 0\napi_allow_http: true\n%s"
                    % (sim.url, SCOPED_TOKENS[kind][0], scoped_secret(kind), body))
    return path


def guests(inventory):
    return sorted(host_vars(inventory, h)["pve_vmid"] for h in inventory.hosts
                  if host_vars(inventory, h).get("pve_type") in ("qemu", "lxc"))


def pool_vmids(sim, pool):
    return sorted(g.vmid for g in sim.router.cluster.guests.values() if g.pool == pool and not g.template)


@pytest.mark.parametrize("kind", ["pool", "realm"])
def test_pool_token_lists_exactly_the_pool_and_warns_once(tmp_path, warnings, lp_sim, kind):
    lp_sim.clear_requests()
    inventory = parse_direct(source(tmp_path, lp_sim, kind, "include_metrics: true\n"))
    assert guests(inventory) == pool_vmids(lp_sim, "dev")
    asked = [(r["path"], r["status"]) for r in lp_sim.requests]
    assert sorted(asked) == [("/cluster/resources", 200), ("/cluster/status", 403)]
    ours = [w for w in warnings if "/cluster/status" in w]
    assert len(ours) == 1, warnings
    assert REFUSED in ours[0] and "pve_cluster" in ours[0] and "pve_ip" in ours[0] and "include_nodes: false" in ours[0]
    some = host_vars(inventory, inventory.get_host("dev-web01").name)
    assert "pve_cluster" not in some and some["pve_pool"] == "dev"
    node = host_vars(inventory, "pve1")
    assert "ansible_host" not in node and "pve_ip" not in node and "pve_maxmem" not in node


def test_pool_token_offline_node_from_resources(tmp_path, warnings, lp_sim):
    parse_direct(source(tmp_path, lp_sim, "pool"))
    assert [w for w in warnings if "pve3" in w and "offline" in w], warnings


def test_include_nodes_false_does_not_ask_cluster_status(tmp_path, warnings, lp_sim):
    lp_sim.clear_requests()
    inventory = parse_direct(source(tmp_path, lp_sim, "pool", "include_nodes: false\n"))
    assert [r["path"] for r in lp_sim.requests] == ["/cluster/resources"]
    assert guests(inventory) == pool_vmids(lp_sim, "dev")
    assert not [w for w in warnings if "/cluster/status" in w]


def test_vm_token_lists_one_guest(tmp_path, warnings, lp_sim):
    inventory = parse_direct(source(tmp_path, lp_sim, "vms", "include_nodes: false\n"))
    assert guests(inventory) == [100]
    assert "pve_pool" not in host_vars(inventory, "web01")  # no Pool.Audit on /pool/prod/web


def test_root_auditor_sees_everything_without_warning(tmp_path, warnings, lp_sim):
    inventory = parse_direct(source(tmp_path, lp_sim, "root"))
    assert host_vars(inventory, "pve1")["pve_ip"] == "192.168.1.11"
    assert host_vars(inventory, "web01")["pve_cluster"] == "demo"
    assert not [w for w in warnings if "/cluster/status" in w]


@pytest.mark.parametrize("body", ["", "include_nodes: false\n"])
def test_no_privilege_is_one_clear_error(tmp_path, warnings, lp_sim, body):
    with pytest.raises(AnsibleError) as err:
        parse_direct(source(tmp_path, lp_sim, "none", body))
    text = str(err.value)
    assert "may see nothing" in text and "PVEAuditor" in text and "Traceback" not in text
    assert (REFUSED in text) == (body == "")
    assert scoped_secret("none") not in text
