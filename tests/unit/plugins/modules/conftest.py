"""Modules run here in the test process, which may also have imported controller code
(the filter plugins' tests import ansible.errors). ansible-core then treats the
process as the controller and sends module warnings to the display instead of the
result; a module always runs apart from the controller, so say so."""

import pytest

try:
    from ansible.module_utils import _internal
except ImportError:  # ansible-core before 2.19 has no such switch
    _internal = None


@pytest.fixture(autouse=True)
def module_side(monkeypatch):
    if _internal is not None:
        monkeypatch.setattr(_internal, "is_controller", False, raising=False)
