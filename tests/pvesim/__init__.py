"""pvesim: a Proxmox VE API simulator for the pve.cluster collection's tests and benchmarks."""
from __future__ import annotations

from .generator import generate
from .scenario import Guest, Node, Scenario, load_scenario
from .simulator import Simulator

__all__ = ["Guest", "Node", "Scenario", "Simulator", "generate", "load_scenario"]
