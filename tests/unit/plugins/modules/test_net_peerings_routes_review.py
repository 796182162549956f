"""Review findings on net_peerings' routes, against the simulator over a real socket."""

import pytest

from ansible_collections.outscale.cloud.tests.unit.plugins.modules.test_net_peerings_routes import (
    KEYS_A,
    KEYS_B,
    A,
    B,
    Run,
)

SOURCE, PEER, INSIDE = "vpc-a0000000", "vpc-a0000001", "vpc-a0000004"
RANGES = {SOURCE: "10.10.0.0/16", PEER: "10.11.0.0/16", INSIDE: "10.11.0.0/17"}  # INSIDE overlaps PEER


@pytest.fixture
def demo_seed():
    nets = [
        {"net_id": net_id, "ip_range": ip_range, "route_tables": [{"main": True, "routes": []}]}
        for net_id, ip_range in RANGES.items()
    ]
    return {
        "region": "eu-west-2",
        "accounts": [dict(account_id=A, nets=nets, **KEYS_A), dict(account_id=B, nets=[], **KEYS_B)],
    }


@pytest.fixture
def run(osc_simulator, capsys):
    return Run(osc_simulator, capsys)


def test_a_new_peer_overlapping_an_unlisted_peer_of_the_same_net_is_refused(run):
    # SOURCE is already peered with PEER (made without routes, not listed now). Issue 18: "with routes, a
    # pair is refused when the new peer's range overlaps the range of another peer of the same Net,
    # listed or already peered".
    first = run([{"source_net_id": SOURCE, "accepter_net_id": PEER}])
    assert not first.get("failed"), first.get("msg")
    result = run([{"source_net_id": SOURCE, "accepter_net_id": INSIDE}], routes={})
    assert result.get("failed"), result["summary"]
    for word in (PEER, INSIDE, RANGES[PEER], RANGES[INSIDE]):
        assert word in result["failures"][0]["msg"]
    assert not any(action == "CreateNetPeering" for action, _unused in run.calls())
