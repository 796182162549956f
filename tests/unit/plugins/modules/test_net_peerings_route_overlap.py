"""net_peerings with routes refuses a new peer overlapping a peer of the same Net, listed or not, routed in any
table; against the simulator over a real socket (found by review)."""

import pytest

from ansible_collections.outscale.cloud.tests.unit.plugins.modules.test_net_peerings_routes import Run, main_tables_seed

SOURCE, PEER, INSIDE, TWIN = "vpc-a0000000", "vpc-a0000001", "vpc-a0000004", "vpc-a0000005"
# INSIDE overlaps PEER; TWIN has PEER's very range
RANGES = {SOURCE: "10.10.0.0/16", PEER: "10.11.0.0/16", INSIDE: "10.11.0.0/17", TWIN: "10.11.0.0/16"}


@pytest.fixture
def demo_seed():
    return main_tables_seed(RANGES)


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


def test_a_new_peer_of_the_range_of_a_peer_routed_in_another_table_is_refused(run, osc_simulator):
    # The same with the very range, the old peer routed in the main table, the new one in a tagged table only.
    osc_simulator.add_route_table(
        SOURCE, route_table_id="rtb-5a000000", subnet_ids=["subnet-5a000000"], tags={"t": "1"}
    )
    first = run([{"source_net_id": SOURCE, "accepter_net_id": PEER}], routes={"route_tables": "main"})
    assert not first.get("failed"), first.get("msg")
    result = run([{"source_net_id": SOURCE, "accepter_net_id": TWIN}], routes={"route_table_tags": {"t": "1"}})
    assert result.get("failed"), result["summary"]
    assert PEER in result["failures"][0]["msg"] and TWIN in result["failures"][0]["msg"]
    assert not any(action in ("CreateNetPeering", "CreateRoute") for action, _unused in run.calls())
