"""HTTPS with a trustme CA."""

from __future__ import annotations

import pytest
import requests

from .conftest import NET_A1, NET_B1, A, B, RawClient, gateway


def test_url_is_https(osc_simulator_tls):
    assert osc_simulator_tls.url.startswith("https://127.0.0.1:")
    assert osc_simulator_tls.url.endswith("/api/v1")
    assert osc_simulator_tls.base_url.startswith("https://")


def test_sdk_over_tls_trusting_the_ca(osc_simulator_tls, monkeypatch):
    # The SDK always passes verify=True; requests then honours REQUESTS_CA_BUNDLE.
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", osc_simulator_tls.ca_file)
    client = gateway(osc_simulator_tls, A)
    peering = client.CreateNetPeering(SourceNetId=NET_A1, AccepterNetId=NET_B1, AccepterOwnerId=B)["NetPeering"]
    accepted = gateway(osc_simulator_tls, B).AcceptNetPeering(NetPeeringId=peering["NetPeeringId"])
    assert accepted["NetPeering"]["State"]["Name"] == "active"


def test_untrusted_certificate_is_refused(osc_simulator_tls):
    with pytest.raises(requests.exceptions.SSLError):
        RawClient(osc_simulator_tls).post("ReadNets", {})


def test_raw_client_with_ca_and_control_over_tls(osc_simulator_tls):
    client = RawClient(osc_simulator_tls, verify=osc_simulator_tls.ca_file)
    assert client.post("ReadNets", {}).status_code == 200
    assert client.post("ReadNets", {}, secret_key="wrong").status_code == 401
    clock = requests.get(f"{osc_simulator_tls.base_url}/_sim/clock", verify=osc_simulator_tls.ca_file, timeout=10)
    assert clock.status_code == 200 and "now" in clock.json()


def test_plain_http_to_the_tls_port_fails(osc_simulator_tls):
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.post(osc_simulator_tls.base_url.replace("https", "http") + "/api/v1/ReadNets", data=b"{}", timeout=5)
    # The server survives a client that fails the handshake.
    assert RawClient(osc_simulator_tls, verify=osc_simulator_tls.ca_file).post("ReadNets", {}).status_code == 200
