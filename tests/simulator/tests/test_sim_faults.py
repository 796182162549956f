"""Injected faults: throttling, server errors, delays, dropped connections."""

from __future__ import annotations

import time

import pytest
import requests

from .conftest import NET_A1, NET_B1, A, B, api_error, error_code, gateway


def _create(gw):
    return gw.CreateNetPeering(SourceNetId=NET_A1, AccepterNetId=NET_B1, AccepterOwnerId=B)


def _peerings(sim) -> list[str]:
    return list(sim.store.peerings)


@pytest.mark.parametrize(
    "kind,status,code,code_override",
    [
        ("throttle_429", 429, "24", None),
        ("throttle_429", 429, "25", "25"),
        ("throttle_503", 503, "6", None),
        ("error_500", 500, "2000", None),
        ("error_500", 500, "42", 42),
    ],
)
def test_json_error_faults(sim, gw_a, kind, status, code, code_override):
    sim.add_fault(action="CreateNetPeering", kind=kind, count=1, code=code_override)
    got_status, body = api_error(_create, gw_a)
    assert (got_status, error_code(body)) == (status, code)
    assert body["ResponseContext"]["RequestId"]
    assert _peerings(sim) == []  # nothing applied
    (entry,) = sim.log()
    assert (entry["status"], entry["code"], entry["fault"]) == (status, code, kind)
    # count=1: the next call goes through.
    assert _create(gw_a)["NetPeering"]["State"]["Name"] == "pending-acceptance"


@pytest.mark.parametrize("kind,status", [("error_502", 502), ("error_504", 504)])
def test_proxy_faults_answer_html(sim, raw, kind, status):
    sim.add_fault(action="*", kind=kind)
    response = raw.post("ReadNets", {})
    assert response.status_code == status
    assert response.headers["Content-Type"] == "text/html"
    assert sim.log()[-1]["fault"] == kind and sim.log()[-1]["status"] == status


def test_delay(sim, gw_a):
    sim.add_fault(action="ReadNets", kind="delay", seconds=0.4)
    started = time.monotonic()
    assert gw_a.ReadNets()["Nets"]
    assert time.monotonic() - started >= 0.4
    assert sim.log()[-1]["fault"] == "delay" and sim.log()[-1]["status"] == 200


def test_delay_longer_than_the_client_timeout(sim, raw):
    sim.add_fault(action="ReadNets", kind="delay", seconds=2)
    with pytest.raises(requests.exceptions.ReadTimeout):
        raw.session.post(f"{sim.url}/ReadNets", data=b"{}", headers=raw.headers("ReadNets", "{}"), timeout=0.3)


def test_drop_before_applies_nothing(sim, gw_a):
    sim.add_fault(action="CreateNetPeering", kind="drop_before")
    with pytest.raises(requests.exceptions.ConnectionError):
        _create(gw_a)
    assert _peerings(sim) == []
    (entry,) = sim.log()
    assert (entry["status"], entry["fault"], entry["account_id"]) == (None, "drop_before", A)


def test_drop_after_applies_the_write(sim, gw_a):
    sim.add_fault(action="CreateNetPeering", kind="drop_after")
    with pytest.raises(requests.exceptions.ConnectionError):
        _create(gw_a)
    assert len(_peerings(sim)) == 1  # the ambiguous write happened
    # A blind retry now meets the duplicate rule; a re-read finds the peering.
    status, body = api_error(_create, gw_a)
    assert (status, error_code(body)) == (409, "9067")
    assert len(gw_a.ReadNetPeerings()["NetPeerings"]) == 1


def test_connection_is_usable_after_a_drop(sim, gw_a):
    sim.add_fault(action="ReadNets", kind="drop_before")
    with pytest.raises(requests.exceptions.ConnectionError):
        gw_a.ReadNets()
    assert gw_a.ReadNets()["Nets"]


def test_count_based(sim, gw_a):
    sim.add_fault(action="ReadNets", kind="throttle_503", count=3)
    for _round in range(3):
        assert api_error(gw_a.ReadNets)[0] == 503
    assert gw_a.ReadNets()["Nets"]
    assert sim.faults.active() == []


def test_ratio_based_is_seeded(sim, gw_a):
    sim.configure_throttling(False)  # 40 quick calls: only the injected 429s count here

    def run() -> list[int]:
        sim.clear_faults()  # also re-seeds the random generator
        sim.add_fault(action="ReadNets", kind="throttle_429", ratio=0.5)
        outcome = []
        for _round in range(40):
            try:
                gw_a.ReadNets()
                outcome.append(200)
            except requests.HTTPError as error:
                outcome.append(error.response.status_code)
        return outcome

    first, second = run(), run()
    assert first == second
    assert 5 < first.count(429) < 35


def test_ratio_with_count_stops(sim, gw_a):
    sim.add_fault(action="ReadNets", kind="throttle_429", ratio=1.0, count=2)
    assert [api_error(gw_a.ReadNets)[0] for _round in range(2)] == [429, 429]
    assert gw_a.ReadNets()["Nets"]


def test_wildcard_and_other_actions(sim, gw_a):
    sim.add_fault(action="CreateNetPeering", kind="error_500")
    assert gw_a.ReadNets()["Nets"]  # another action: untouched
    sim.add_fault(action="*", kind="error_500", count=2)
    assert api_error(gw_a.ReadNetPeerings)[0] == 500
    assert api_error(gw_a.ReadNets)[0] == 500
    assert gw_a.ReadNets()["Nets"]


def test_per_account(sim, gw_a, gw_b):
    sim.add_fault(action="*", kind="throttle_429", ratio=1.0, account_id=B, code="24")
    assert gw_a.ReadNets()["Nets"]
    assert api_error(gw_b.ReadNets)[0] == 429


def test_faults_apply_only_to_authenticated_calls(sim, raw):
    sim.add_fault(action="*", kind="error_500")
    assert raw.post("ReadNets", {}, secret_key="wrong").status_code == 401
    assert raw.post("ReadNets", {}).status_code == 500


def test_sdk_retries_through_throttling(sim):
    client = gateway(sim, A, max_retries=3, retry_backoff_factor=0.01, retry_backoff_jitter=0.0)
    sim.add_fault(action="ReadNets", kind="throttle_429", count=2)
    assert client.ReadNets()["Nets"]
    assert [e["status"] for e in sim.log()] == [429, 429, 200]
    assert sim.call_counts("ReadNets") == 3


def test_clear_faults(sim, gw_a):
    sim.add_fault(action="*", kind="error_500", ratio=1.0)
    sim.clear_faults()
    assert gw_a.ReadNets()["Nets"]


@pytest.mark.parametrize(
    "bad",
    [
        {"kind": "explode"},
        {"kind": "delay"},
        {"kind": "error_500", "ratio": 1.5},
        {"kind": "error_500", "count": 0},
    ],
)
def test_bad_fault_definitions(sim, bad):
    with pytest.raises(ValueError):
        sim.add_fault(**bad)
    response = requests.post(f"{sim.base_url}/_sim/faults", json=bad, timeout=10)
    assert response.status_code == 400 and "error" in response.json()


def test_faults_over_http_control(sim, gw_a):
    response = requests.post(
        f"{sim.base_url}/_sim/faults",
        json={"action": "ReadNets", "kind": "throttle_429", "count": 1, "code": "25"},
        timeout=10,
    )
    assert response.status_code == 200 and response.json()["kind"] == "throttle_429"
    assert len(requests.get(f"{sim.base_url}/_sim/faults", timeout=10).json()["faults"]) == 1
    status, body = api_error(gw_a.ReadNets)
    assert (status, error_code(body)) == (429, "25")
    requests.post(f"{sim.base_url}/_sim/faults", json={"action": "*", "kind": "error_500", "ratio": 1}, timeout=10)
    requests.post(f"{sim.base_url}/_sim/faults/clear", json={}, timeout=10).raise_for_status()
    assert gw_a.ReadNets()["Nets"]
    log = requests.get(f"{sim.base_url}/_sim/log", timeout=10).json()["calls"]
    assert [(e["status"], e["fault"]) for e in log] == [(429, "throttle_429"), (200, None)]
