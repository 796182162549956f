# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reliability suite: real ansible-playbook runs (always at -vvv) against the simulator.

    .venv/bin/python -m pytest -p no:cacheprovider -q tests/reliability                         # fast subset
    OSC_RELIABILITY_FULL=1 .venv/bin/python -m pytest -p no:cacheprovider -q tests/reliability   # everything

The fast subset keeps every scenario but scales it down (fewer peerings, fewer
bad-input cases); the full run uses the sizes of the issue: 50 peerings under
a 30% throttling storm, 100 ambiguous creates, every bad-input case, and the
integration suite at -vvv for the secret scan.

At the end a summary line gives the cases run and passed, the duplicate
peerings found and the secrets found in any output.
"""

from __future__ import annotations

import os

import pytest
from rel_common import TALLY, Suite


def pytest_runtest_logreport(report):
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        TALLY["cases"] += 1
        if hasattr(report, "wasxfail"):
            TALLY["xfailed"] += 1
        elif report.outcome == "passed":
            TALLY["passed"] += 1
        elif report.outcome == "skipped":
            TALLY["skipped"] += 1


def pytest_terminal_summary(terminalreporter):
    if not TALLY["cases"]:
        return
    full = os.environ.get("OSC_RELIABILITY_FULL") == "1"
    terminalreporter.write_sep("=", f"reliability summary ({'full' if full else 'fast'} run)")
    terminalreporter.write_line(
        f"cases run: {TALLY['cases']}, passed: {TALLY['passed']}, known defects (strict xfail): {TALLY['xfailed']}, "
        f"skipped: {TALLY['skipped']}, duplicates found: {TALLY['duplicates']}, secrets found: {TALLY['secrets']} "
        f"(in known-defect cases: {TALLY['secrets_known_defect']}), playbook runs scanned at -vvv: {TALLY['runs']}"
    )
    for line in TALLY["notes"]:
        terminalreporter.write_line("  " + line)


@pytest.fixture(scope="session")
def suite():
    """One workspace (HOME, collection link, ansible.cfg) for the whole session."""
    instance = Suite()
    yield instance
    instance.cleanup()
