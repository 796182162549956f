"""`make sim` as docs/testing-offline.md shows it: the simulator in the foreground,
printing the export line a user pastes into another shell; Ctrl-C stops it."""

import os
import re
import shlex
import signal
import socket
import subprocess

import pytest
from test_docs_blocks import scratch_checkout

from ansible_collections.outscale.cloud.plugins.module_utils._client import OscClient
from ansible_collections.outscale.cloud.plugins.module_utils._credentials import resolve_settings
from ansible_collections.outscale.cloud.tests.unit.plugins.module_utils.client_fakes import paginate


def read_until_export(process):
    lines = []
    for line in process.stdout:
        lines.append(line)
        if line.startswith("export "):
            return line, "".join(lines)
    pytest.fail("make sim ended without an export line:\n" + "".join(lines))


def parse_exports(line):
    words = shlex.split(line)
    assert words[0] == "export"
    return dict(word.split("=", 1) for word in words[1:])


def test_make_sim_prints_working_exports_and_stops_on_ctrl_c(tmp_path):
    # In a scratch copy whose .venv is up to date (in a fresh clone, make sim creates .venv first).
    work = scratch_checkout(tmp_path)
    process = subprocess.Popen(
        ["make", "--no-print-directory", "sim"],
        cwd=work,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        universal_newlines=True,
        start_new_session=True,
    )
    try:
        export, shown = read_until_export(process)
        exports = parse_exports(export)
        assert sorted(exports) == ["OSC_ACCESS_KEY", "OSC_ENDPOINT_API", "OSC_REGION", "OSC_SECRET_KEY"]
        assert re.match(r"^http://127\.0\.0\.1:\d+/api/v1$", exports["OSC_ENDPOINT_API"])
        assert "vpc-a1a1a1a1" in shown and "222222222222" in shown  # the demo seed's Nets and accounts
        # the exports work: a signed call as the first account lists its (no) peerings
        client = OscClient(resolve_settings({}, environ=exports, home="/nonexistent"))
        assert paginate(client, "ReadNetPeerings", {}, "NetPeerings") == []
    finally:
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
        try:
            code = process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            raise
    # make itself reports the interrupt (as in a terminal); what matters is that the simulator stopped
    assert code in (0, -signal.SIGINT, 130), code
    port = int(exports["OSC_ENDPOINT_API"].split(":")[2].split("/")[0])
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
