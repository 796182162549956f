"""Natural throttling: token buckets, the identical-request limit, the log and the stats.

Buckets refill on the simulator's clock: tests use tiny rates and advance_clock, so no
test sleeps and the wall time spent between calls (milliseconds) changes nothing.
"""

from __future__ import annotations

import pytest
import requests

from simulator import Simulator
from simulator.__main__ import parse_args, throttling_settings
from simulator.throttling import DEFAULT_SETTINGS, Throttler

from .conftest import NET_A1, A, B, RawClient, api_error, error_code, gateway

SLOW = 0.001  # tokens per second: no refill worth counting during a test
WIDE = {"rate": 1000.0, "burst": 1000.0}


def _only(sim, **buckets) -> None:
    """Every limit wide open except the given ones."""
    settings = {
        "enabled": True,
        "platform": WIDE,
        "account": WIDE,
        "action": WIDE,
        "identical": {"max": 1000, "window_seconds": 1.0},
    }
    settings.update(buckets)
    sim.configure_throttling(settings)


def test_per_account_bucket(sim, gw_a, gw_b):
    _only(sim, account={"rate": SLOW, "burst": 3})
    gw_a.ReadNets()
    gw_a.ReadNetPeerings()
    gw_a.ReadNets(Filters={"NetIds": [NET_A1]})
    status, body = api_error(gw_a.ReadNetPeerings)
    assert (status, error_code(body), body["Errors"][0]["Type"]) == (429, "24", "AccessDenied")
    assert gw_b.ReadNets()["Nets"]  # another account has its own bucket
    entry = [e for e in sim.log() if e["status"] == 429][0]
    assert (entry["account_id"], entry["code"], entry["fault"], entry["throttled"]) == (A, "24", None, "account")
    sim.advance_clock(1 / SLOW)  # one token back
    assert gw_a.ReadNets()["Nets"]
    assert api_error(gw_a.ReadNets)[0] == 429


def test_per_account_and_action_bucket(sim, gw_a):
    _only(sim, action={"rate": SLOW, "burst": 2})
    gw_a.ReadNets()
    gw_a.ReadNets(Filters={"NetIds": [NET_A1]})
    status, body = api_error(gw_a.ReadNets)
    assert (status, error_code(body)) == (429, "25")
    assert gw_a.ReadNetPeerings()["NetPeerings"] == []  # another action: its own bucket
    assert sim.log()[2]["throttled"] == "action"


def test_platform_bucket(sim, gw_a, gw_b):
    _only(sim, platform={"rate": SLOW, "burst": 2})
    gw_a.ReadNets()
    gw_b.ReadNets()
    status, body = api_error(gw_a.ReadNetPeerings)
    assert (status, error_code(body)) == (503, "6")
    assert api_error(gw_b.ReadNetPeerings)[0] == 503
    assert [e["throttled"] for e in sim.log()] == [None, None, "platform", "platform"]


def test_identical_requests(sim, gw_a):
    _only(sim, identical={"max": 3, "window_seconds": 10})
    for _round in range(3):
        gw_a.ReadNetPeerings(Filters={"NetPeeringIds": ["pcx-12345678"]})
    status, body = api_error(gw_a.ReadNetPeerings, Filters={"NetPeeringIds": ["pcx-12345678"]})
    assert (status, error_code(body)) == (429, "25")  # a guess: the answer is undocumented
    assert sim.log()[-1]["throttled"] == "identical"
    # Another body, another action or another account is not identical.
    gw_a.ReadNetPeerings(Filters={"NetPeeringIds": ["pcx-87654321"]})
    gw_a.ReadNets(Filters={"NetIds": [NET_A1]})
    gateway(sim, B).ReadNetPeerings(Filters={"NetPeeringIds": ["pcx-12345678"]})
    sim.advance_clock(10)  # the window slid past the first three
    gw_a.ReadNetPeerings(Filters={"NetPeeringIds": ["pcx-12345678"]})


def test_throttled_calls_change_nothing_and_take_no_fault(sim, gw_a):
    _only(sim, account={"rate": SLOW, "burst": 1})
    gw_a.ReadNets()
    sim.add_fault(action="CreateNetPeering", kind="error_500", count=1)
    assert api_error(gw_a.CreateNetPeering, SourceNetId=NET_A1, AccepterNetId="vpc-a2a2a2a2")[0] == 429
    assert sim.store.peerings == {} and len(sim.faults.active()) == 1


def test_stats_counts_and_control_api(sim, gw_a):
    base = sim.base_url + "/_sim"
    settings = {"account": {"rate": SLOW, "burst": 1}, "platform": WIDE, "action": WIDE}
    answer = requests.post(f"{base}/throttling", json=settings, timeout=10).json()
    assert answer["settings"]["account"] == {"rate": SLOW, "burst": 1.0}
    gw_a.ReadNets()
    for _round in range(3):
        assert api_error(gw_a.ReadNets)[0] == 429
    stats = requests.get(f"{base}/throttling", timeout=10).json()
    assert stats["throttled"] == {"total": 3, "platform": 0, "account": 3, "action": 0, "identical": 0}
    assert stats["by_account"] == {A: {"account": 3}}
    # Counts: every attempt by default; ?throttled=false leaves the refused ones out.
    assert requests.get(f"{base}/counts", params={"action": "ReadNets"}, timeout=10).json() == {"counts": 4}
    assert requests.get(f"{base}/counts", params={"action": "ReadNets", "throttled": "false"}, timeout=10).json() == {
        "counts": 1
    }
    assert sim.call_counts("ReadNets", include_throttled=False) == 1
    # Off switch, then a bad setting.
    assert (
        requests.post(f"{base}/throttling", json={"enabled": False}, timeout=10).json()["settings"]["enabled"] is False
    )
    assert gw_a.ReadNets()["Nets"]
    bad = requests.post(f"{base}/throttling", json={"account": {"rate": 0}}, timeout=10)
    assert bad.status_code == 400 and "error" in bad.json()
    # reset(): back to the start settings, zero counts.
    sim.reset()
    assert sim.throttling_stats()["settings"] == DEFAULT_SETTINGS
    assert sim.throttling_stats()["throttled"]["total"] == 0


def test_sdk_retries_natural_throttling(sim):
    # osc-sdk-python retries 429 (evidence table); the log tells the retries apart.
    _only(sim, action={"rate": 10.0, "burst": 1})
    client = gateway(sim, A, max_retries=5, retry_backoff_factor=0.05, retry_backoff_jitter=0.0)
    client.ReadNets()
    assert client.ReadNets()["Nets"]
    throttled = [e for e in sim.log() if e["throttled"]]
    assert throttled and all(e["status"] == 429 and e["code"] == "25" for e in throttled)
    assert sim.call_counts("ReadNets", include_throttled=False) == 2


def test_seed_and_constructor_settings(demo_seed):
    seed = dict(demo_seed, throttling={"account": {"rate": SLOW, "burst": 1}})
    with Simulator(seed=seed) as simulator:
        assert simulator.throttling_stats()["settings"]["account"] == {"rate": SLOW, "burst": 1.0}
        raw = RawClient(simulator)
        assert [raw.post("ReadNets", {}).status_code for _attempt in range(2)] == [200, 429]
    with Simulator(seed=seed, throttling=False) as simulator:
        raw = RawClient(simulator)
        assert [raw.post("ReadNets", {}).status_code for _attempt in range(3)] == [200, 200, 200]
    with pytest.raises(ValueError):
        Simulator(seed=dict(demo_seed, throttling={"accounts": {}}))


def test_command_line_settings():
    args = parse_args(["--throttle-account", "2,4", "--throttle-identical", "5,60", "--no-throttling"])
    assert throttling_settings(args) == {
        "account": {"rate": 2.0, "burst": 4.0},
        "identical": {"max": 5, "window_seconds": 60.0},
        "enabled": False,
    }
    assert throttling_settings(parse_args([])) is None
    with pytest.raises(SystemExit):
        parse_args(["--throttle-platform", "fast"])


# ----- the defaults against the traffic they are meant for (pure logic, simulated time) ------


def _run(throttler: Throttler, calls: list[tuple[float, str, str, bytes]]) -> int:
    refused = 0
    for moment, account, action, body in calls:
        try:
            throttler.check(account, action, body, moment)
        except Exception:  # pylint: disable=broad-exception-caught
            refused += 1
    return refused


def test_defaults_throttle_forks_8_now_and_then_but_never_a_sequential_playbook():
    # forks 8, 3 calls each (read, create, read) within 0.2 s, on one account.
    burst = []
    for fork in range(8):
        for step, action in enumerate(("ReadNetPeerings", "CreateNetPeering", "ReadNetPeerings")):
            burst.append((fork * 0.02 + step * 0.003, A, action, f'{{"fork": {fork}, "step": {step}}}'.encode()))
    burst.sort()
    assert _run(Throttler(), burst) > 0
    # forks 8, one call each: not throttled.
    assert _run(Throttler(), [(fork * 0.02, A, "ReadNetPeerings", str(fork).encode()) for fork in range(8)]) == 0
    # Sequential: 3 calls per second for ten minutes.
    sequential = [
        (index / 3, A, ("ReadNetPeerings", "CreateTags", "AcceptNetPeering")[index % 3], str(index).encode())
        for index in range(1800)
    ]
    assert _run(Throttler(), sequential) == 0
    # A wait loop polling the same peering every second for ten minutes.
    polls = [
        (float(second), A, "ReadNetPeerings", b'{"Filters": {"NetPeeringIds": ["pcx-12345678"]}}')
        for second in range(600)
    ]
    assert _run(Throttler(), polls) == 0
    # osc-sdk-python's own limit, 5 calls per second of one action, is never throttled.
    assert _run(Throttler(), [(index / 5, A, "ReadNets", str(index).encode()) for index in range(3000)]) == 0


def test_identical_limit_hits_a_tight_retry_loop():
    loop = [(index * 0.1, A, "ReadNetPeerings", b"{}") for index in range(100)]  # 10/s, identical
    assert _run(Throttler({"account": WIDE, "action": WIDE}), loop) > 0
