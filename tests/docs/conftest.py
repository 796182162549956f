"""Report how many documentation blocks ran and how many were skipped by their marker."""

DOCS_BLOCKS = {"run": 0, "failed": 0, "skipped": 0}


def pytest_runtest_logreport(report):
    if "test_docs_block[" not in report.nodeid:
        return
    if report.skipped:
        DOCS_BLOCKS["skipped"] += 1
    elif report.when == "call":
        DOCS_BLOCKS["run" if report.passed else "failed"] += 1
    elif report.failed and report.when == "setup":
        DOCS_BLOCKS["failed"] += 1


def pytest_terminal_summary(terminalreporter):
    if any(DOCS_BLOCKS.values()):
        terminalreporter.write_line(
            "docs blocks: {run} run, {failed} failed, {skipped} skipped (marked)".format(**DOCS_BLOCKS)
        )
