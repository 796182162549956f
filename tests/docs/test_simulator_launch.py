"""`make sim` as docs/testing-offline.md shows it: the simulator in the foreground,
writing a profile file for both demo accounts and printing the one export line a
user pastes into another shell; Ctrl-C, or killing make's PID, stops it."""

import json
import os
import re
import shlex
import signal
import socket
import stat
import subprocess

import pytest
from test_docs_blocks import ROOT, scratch_checkout

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


def start_make_sim(work, new_session):
    return subprocess.Popen(
        ["make", "--no-print-directory", "sim"],
        cwd=work,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        universal_newlines=True,
        start_new_session=new_session,
    )


def port_of(profile_file):
    with open(profile_file) as handle:
        url = json.load(handle)["default"]["endpoints"]["api"]
    return int(url.split(":")[2].split("/")[0])


def assert_stopped(port, profile_file):
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    assert not os.path.exists(profile_file), "the profile file of a stopped simulator must go"


def test_make_sim_writes_profiles_prints_one_export_and_stops_on_ctrl_c(tmp_path):
    # In a scratch copy whose venv is up to date (in a fresh clone, make sim creates it first).
    work = scratch_checkout(tmp_path)
    process = start_make_sim(work, new_session=True)
    try:
        export, shown = read_until_export(process)
        exports = parse_exports(export)
        assert list(exports) == ["OSC_CONFIG_FILE"]
        profile_file = exports["OSC_CONFIG_FILE"]
        assert profile_file == os.path.join(work, ".osc-sim", "config.json")
        assert stat.S_IMODE(os.stat(profile_file).st_mode) == 0o600
        with open(profile_file) as handle:
            profiles = json.load(handle)
        assert sorted(profiles) == ["default", "partner"]
        assert "vpc-a1a1a1a1" in shown and "222222222222" in shown  # the demo seed's Nets and accounts
        assert re.match(r"^http://127\.0\.0\.1:\d+/api/v1$", profiles["default"]["endpoints"]["api"])
        # the export works: a signed call as each account lists its (no) peerings
        for profile in ("default", "partner"):
            environ = dict(exports, OSC_PROFILE=profile)
            client = OscClient(resolve_settings({}, environ=environ, home="/nonexistent"))
            assert paginate(client, "ReadNetPeerings", {}, "NetPeerings") == []
        port = port_of(profile_file)
    finally:
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in the terminal does
        try:
            code = process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            raise
    # make itself reports the interrupt (as in a terminal); what matters is that the simulator stopped
    assert code in (0, -signal.SIGINT, 130), code
    assert_stopped(port, profile_file)


def test_killing_make_sims_pid_stops_the_simulator(tmp_path):
    """`make sim &` then `kill %1` (SIGTERM to make's PID only): no simulator left behind."""
    work = scratch_checkout(tmp_path)
    process = start_make_sim(work, new_session=True)
    try:
        exports = parse_exports(read_until_export(process)[0])
        profile_file = exports["OSC_CONFIG_FILE"]
        port = port_of(profile_file)
        os.kill(process.pid, signal.SIGTERM)  # the PID of make, not its process group
        process.wait(timeout=30)
        assert_stopped(port, profile_file)
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)  # whatever is left, so a failure leaves nothing running
        except ProcessLookupError:
            pass


@pytest.mark.parametrize(
    "path", [".osc-sim/config.json", "first-peering.yml", "osc-config.json", "sim.env", "inventory-sim.json"]
)
def test_files_written_by_make_sim_and_the_guides_are_ignored_by_git(path):
    """What `make sim` writes and what pasting the guides leaves in the clone never shows in git status."""
    ignored = subprocess.run(["git", "check-ignore", "-q", "--no-index", path], cwd=ROOT, check=False)
    assert ignored.returncode == 0, f"{path} is not ignored by git; add it to .gitignore"
