# -*- coding: utf-8 -*-
# Copyright (c) pve.cluster contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""pve.cluster.pve with ansible_host: guest_agent, fed from the real guest-agent samples."""

from __future__ import annotations

import _thread
import signal
import threading

import pytest
import responses

from ansible_collections.pve.cluster.tests.unit.plugins._in_flight import InFlight
from ansible_collections.pve.cluster.tests.unit.plugins.inventory._helpers import (
    BASE, STATUS_STANDALONE, add_agent, add_base, group_hosts, guest, host_vars, load_inventory, parse_direct, sample_data,
    write_source,
)

AGENT = "qemu-agent-network-get-interfaces/"
VM101 = AGENT + "pve6.2_community-proxmox_vm101_lo-eth0-docker0.json"
VM102 = AGENT + "pve6.2_community-proxmox_vm102_guest-unsupported.json"
VM103 = AGENT + "pve6.2_community-proxmox_vm103_multi-nic-weave.json"
BRIDGE = AGENT + "rust-client_bridge-in-guest_cloudflarewarp.json"


def test_guest_agent_addresses_and_errors(tmp_path, mock_api, warnings):
    """Real agent answers and failures; a container's answer on every PVE version: versions::test_container_addresses."""
    rows = [guest(101, "vm101"), guest(102, "win102"), guest(103, "vm103"), guest(105, "vm105"), guest(106, "vm106"),
            guest(107, "stopped107", status="stopped"), guest(108, "vm108"), guest(109, "ct109", kind="lxc"),
            guest(110, "vm110")]
    add_base(mock_api, [dict(row, node="pve") for row in rows], sample_data(STATUS_STANDALONE))
    add_agent(mock_api, 101, json={"data": sample_data(VM101)})
    add_agent(mock_api, 102, json={"data": sample_data(VM102)})
    add_agent(mock_api, 103, json={"data": sample_data(VM103)})
    add_agent(mock_api, 105, status=595, body="")  # node unreachable (pveproxy, empty body)
    add_agent(mock_api, 106, body="<html>proxy error</html>", content_type="text/html")
    add_agent(mock_api, 108, json={"data": sample_data(BRIDGE)})
    add_agent(mock_api, 109, "lxc", json={"data": None})  # container stopped meanwhile
    add_agent(mock_api, 110, status=500, json={"data": None, "message": "QEMU guest agent is not running\n"})
    inventory = load_inventory(write_source(tmp_path, "ansible_host: guest_agent\n"))

    paths = sorted(call.request.path_url for call in mock_api.calls)
    assert len(paths) == 2 + 8  # resources, status, and the eight running guests (not stopped107)
    assert not [p for p in paths if "/107/" in p]

    addresses = {"vm101": "10.1.2.3", "vm103": "172.16.0.143", "vm108": "10.2.16.69", "ct109": None}
    assert {h: host_vars(inventory, h).get("ansible_host") for h in addresses} == addresses  # vm101: eth0, not lo
    assert host_vars(inventory, "vm101")["pve_ip_addresses"] == [
        "127.0.0.1", "::1", "10.1.2.3", "fd8c:4687:e88d:1be3:5b70:7b88:c79c:293", "10.10.2.3"]
    assert host_vars(inventory, "ct109")["pve_ip_addresses"] == []
    assert "pve_ip_addresses" not in host_vars(inventory, "stopped107")
    assert "pve_agent_error" not in host_vars(inventory, "vm101")

    warning = [w for w in warnings if "no address from the guest agent for 4 running guest(s)" in w]
    assert len(warning) == 1 and "Traceback" not in warning[0]
    errors = {"win102": "Unsupported", "vm105": "HTTP 595", "vm106": "instead of PVE's JSON",
              "vm110": "QEMU guest agent is not running"}
    for name, error in errors.items():
        assert error in host_vars(inventory, name)["pve_agent_error"]
        assert not {"ansible_host", "pve_ip_addresses"} & set(host_vars(inventory, name))
        assert "%s (qemu/%s)" % (name, name[-3:]) in warning[0]
    assert group_hosts(inventory, "pve_running")  # the run completed


def test_max_workers_bounds_concurrency(tmp_path, mock_api):
    add_base(mock_api, [guest(200 + i, "g%d" % i, node="pve") for i in range(24)], sample_data(STATUS_STANDALONE))
    answer = InFlight(lambda _request: (200, {}, '{"data": {"result": []}}'), delay=0.03, wait_for=3, timeout=5)
    for i in range(24):
        mock_api.add_callback(responses.GET, BASE + "/nodes/pve/qemu/%d/agent/network-get-interfaces" % (200 + i),
                              callback=answer)
    inventory = load_inventory(write_source(tmp_path, "ansible_host: guest_agent\nmax_workers: 3\n"))
    assert len(inventory.hosts) == 25
    assert answer.peak == 3  # concurrent, and bounded by max_workers


def test_ctrl_c_cancels_pending_requests(tmp_path, mock_api):
    add_base(mock_api, [guest(300 + i, "g%d" % i, node="pve") for i in range(200)], sample_data(STATUS_STANDALONE))
    started = []
    interrupted = threading.Event()

    def answer(request):
        started.append(request.path_url)
        if len(started) == 3:
            _thread.interrupt_main()  # what Ctrl-C does: KeyboardInterrupt in the main thread
        elif len(started) > 3:  # held until the caller has seen the interrupt, however busy the machine
            interrupted.wait(timeout=60)
        return 200, {}, '{"data": {"result": []}}'

    for i in range(200):
        mock_api.add_callback(responses.GET, BASE + "/nodes/pve/qemu/%d/agent/network-get-interfaces" % (300 + i),
                              callback=answer)
    # interrupt_main() does nothing while SIGINT is ignored, as it is in a job a non-interactive shell
    # started in the background (CI): Python's own handler, as in `ansible-inventory` at a terminal
    previous_handler = signal.signal(signal.SIGINT, signal.default_int_handler)
    threads_before = set(threading.enumerate())
    try:
        with pytest.raises(KeyboardInterrupt):
            parse_direct(write_source(tmp_path, "ansible_host: guest_agent\nmax_workers: 2\n"))
    finally:
        interrupted.set()
        if previous_handler is not None:  # None: a handler not set from Python, nothing to put back
            signal.signal(signal.SIGINT, previous_handler)
    # the pool's workers end once nothing is left for them; without cancellation they would send all 200 first (the
    # client's deadline watcher, a daemon thread, stays). Each of the 2 workers can start one held request after the 3rd.
    for worker in set(threading.enumerate()) - threads_before:
        if not worker.daemon:
            worker.join(timeout=60)
    assert len(started) <= 5  # the pending ones were cancelled, not sent
