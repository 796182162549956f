"""Review: net_peering with routes and two peers of one range in one Net, against the simulator over a
real socket (vpc-a0000000 10.10.0.0/16 with a main table and a table tagged tier=app; vpc-a0000001 and
vpc-a0000004 both 10.11.0.0/16)."""

import pytest

from ansible_collections.outscale.cloud.tests.unit.plugins.modules.test_net_peering_routes import Sim

SOURCE, OLD, NEW = "vpc-a0000000", "vpc-a0000001", "vpc-a0000004"
RANGES = {SOURCE: "10.10.0.0/16", OLD: "10.11.0.0/16", NEW: "10.11.0.0/16"}
KEYS_A = {"access_key": "AKSIMDEMOACCOUNTA001", "secret_key": "SKsimDemoSecretA0000000000000000000000001"}


@pytest.fixture
def demo_seed():
    nets = []
    for net_id, ip_range in RANGES.items():
        tables = [{"main": True, "routes": []}]
        if net_id == SOURCE:
            tables.append(
                {"route_table_id": "rtb-5a000000", "subnet_ids": ["subnet-5a000000"], "tags": {"tier": "app"}}
            )
        nets.append({"net_id": net_id, "ip_range": ip_range, "route_tables": tables})
    return {"region": "eu-west-2", "accounts": [dict(account_id="111111111111", nets=nets, **KEYS_A)]}


@pytest.fixture
def sim(osc_simulator, capsys):
    return Sim(osc_simulator, capsys)


# Found by review: net_peering knows the Net's other peers only from their routes, and looked for a route of the
# same range in the selected tables only.
def test_a_second_peer_of_the_same_range_routed_in_another_table_is_refused(sim):
    # Issue 18: with routes, a pair is refused when the new peer's range overlaps the range of another peer
    # of the same Net, already peered. Here the other peer is routed in the Net's main table and the new
    # pair routes only the tagged table: two tables of one Net would send one range to two peers.
    # (net_peerings refuses it: it reads every peering of the account.)
    first = sim.run(state="accepted", routes={"route_tables": "main"}, source_net_id=SOURCE, accepter_net_id=OLD)
    assert not first.get("failed"), first.get("msg")
    result = sim.run(
        state="accepted", routes={"route_table_tags": {"tier": "app"}}, source_net_id=SOURCE, accepter_net_id=NEW
    )
    assert result.get("failed"), result.get("route_actions")
    assert not any(action in ("CreateNetPeering", "CreateRoute") for action, _unused in sim.calls())
