"""Modules run here in the test process, which may also have imported controller code
(the filter plugins' tests import ansible.errors). ansible-core then treats the
process as the controller and sends module warnings to the display instead of the
result; a module always runs apart from the controller, so say so."""

import os

import pytest

from ansible_collections.outscale.cloud.plugins.module_utils import _peering_wait

try:
    from ansible.module_utils import _internal
except ImportError:  # ansible-core before 2.19 has no such switch
    _internal = None


@pytest.fixture(autouse=True)
def module_side(monkeypatch):
    if _internal is not None:
        monkeypatch.setattr(_internal, "is_controller", False, raising=False)


@pytest.fixture(autouse=True)
def isolated_from_the_machine(monkeypatch, tmp_path):
    """No OSC_* variable nor ~/.osc/config.json of the tester's reaches a module; waits poll fast."""
    for name in list(os.environ):
        if name.startswith("OSC_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setattr(_peering_wait, "POLL_INTERVALS", (0.05,))
