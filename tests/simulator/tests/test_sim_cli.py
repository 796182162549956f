"""``python -m simulator`` as a subprocess."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

from simulator import DEMO_SEED, Simulator

from .conftest import NET_A1, NET_B1, TESTS_DIR, A, B, gateway


class _Endpoint:
    """Just enough of a Simulator for conftest.gateway(): url, region, accounts."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.region = "eu-west-2"
        self.accounts = Simulator(seed=DEMO_SEED).accounts


def _start(*args: str) -> tuple[subprocess.Popen, str]:
    env = dict(os.environ, PYTHONPATH=TESTS_DIR)
    process = subprocess.Popen(
        [sys.executable, "-m", "simulator", "--port", "0", "--seed", DEMO_SEED, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    url = process.stdout.readline().strip()
    return process, url


def _stop(process: subprocess.Popen, signum=signal.SIGTERM) -> int:
    process.send_signal(signum)
    try:
        return process.wait(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
        process.stdout.close()
        process.stderr.close()


def test_cli_serves_until_sigterm(tmp_path):
    state_file = tmp_path / "state.json"
    process, url = _start("--state-file", str(state_file))
    try:
        assert url.startswith("http://127.0.0.1:") and url.endswith("/api/v1"), url
        endpoint = _Endpoint(url)
        peering = gateway(endpoint, A).CreateNetPeering(SourceNetId=NET_A1, AccepterNetId=NET_B1, AccepterOwnerId=B)
        pcx = peering["NetPeering"]["NetPeeringId"]
    finally:
        code = _stop(process)
    assert code == 0
    saved = json.loads(state_file.read_text())
    assert [p["peering_id"] for p in saved["peerings"]] == [pcx]

    # A new process resumes from the state file.
    process, url = _start("--state-file", str(state_file))
    try:
        found = gateway(_Endpoint(url), B).ReadNetPeerings()["NetPeerings"]
        assert [p["NetPeeringId"] for p in found] == [pcx]
    finally:
        assert _stop(process, signal.SIGINT) == 0


def test_cli_over_tls(osc_simulator_certificates, monkeypatch):
    certs = osc_simulator_certificates
    process, url = _start("--tls-cert", certs["cert"], "--tls-key", certs["key"], "--region", "eu-west-2")
    try:
        assert url.startswith("https://127.0.0.1:")
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", certs["ca"])
        assert gateway(_Endpoint(url), A).ReadNets()["Nets"]
    finally:
        assert _stop(process) == 0


def test_cli_rejects_half_tls_options():
    result = subprocess.run(
        [sys.executable, "-m", "simulator", "--tls-cert", "x.pem"],
        capture_output=True,
        text=True,
        env=dict(os.environ, PYTHONPATH=TESTS_DIR),
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert "--tls-key" in result.stderr


def test_cli_prints_only_the_url_on_stdout():
    process, url = _start()
    process.send_signal(signal.SIGTERM)
    rest, _stderr = process.communicate(timeout=15)
    assert url.startswith("http://127.0.0.1:")
    assert rest == ""
    assert process.returncode == 0


def test_log_take_returns_and_empties_the_log(sim, gw_a):
    import urllib.request

    gw_a.ReadNetPeerings()
    gw_a.ReadNets()
    base = sim.url[: -len("/api/v1")] + "/_sim"
    with urllib.request.urlopen(base + "/log/take") as response:
        taken = json.loads(response.read())["calls"]
    assert [call["action"] for call in taken] == ["ReadNetPeerings", "ReadNets"]
    assert sim.log() == []
    gw_a.ReadNets()
    assert [call["action"] for call in sim.take_log()] == ["ReadNets"] and sim.log() == []


def test_cli_tags_shared_across_accounts():
    process, url = _start("--tags-shared-across-accounts")
    try:
        endpoint = _Endpoint(url)
        gw_a, gw_b = gateway(endpoint, A), gateway(endpoint, B)
        pcx = gw_a.CreateNetPeering(SourceNetId=NET_A1, AccepterNetId=NET_B1, AccepterOwnerId=B)["NetPeering"][
            "NetPeeringId"
        ]
        gw_a.CreateTags(ResourceIds=[pcx], Tags=[{"Key": "side", "Value": "a"}])
        (seen_by_b,) = gw_b.ReadNetPeerings(Filters={"NetPeeringIds": [pcx]})["NetPeerings"]
    finally:
        assert _stop(process) == 0
    assert seen_by_b["Tags"] == [{"Key": "side", "Value": "a"}]
