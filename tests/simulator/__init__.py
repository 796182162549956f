"""Local Outscale API simulator for Net peerings (test code; see README.md)."""

from .clock import Clock
from .server import DEMO_SEED, Simulator
from .store import load_seed

__all__ = ["Clock", "DEMO_SEED", "Simulator", "load_seed"]
