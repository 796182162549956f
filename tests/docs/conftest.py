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
            f"docs blocks: {DOCS_BLOCKS['run']} run, {DOCS_BLOCKS['failed']} failed, "
            f"{DOCS_BLOCKS['skipped']} skipped (marked)"
        )
