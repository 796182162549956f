"""One writer per route: DeleteRoute names a route by its table and destination only.

Found by review: under state=overridden, a listed peering to a Net that took over the range
of a removed peer (a Net rebuilt with the same range) and the removal of the old peering
both planned to delete the old route; the second delete removed the new peering's route,
and the task reported success. Against the simulator, through the module's main().
"""

import pytest

from ansible_collections.outscale.cloud.tests.unit.plugins.modules.test_net_peerings_routes import Run, main_tables_seed

OLD_PEER, SOURCE, NEW_PEER = "vpc-a0000001", "vpc-a0000000", "vpc-a0000004"
RANGES = {SOURCE: "10.10.0.0/16", OLD_PEER: "10.11.0.0/16", NEW_PEER: "10.11.0.0/16"}  # NEW_PEER replaces OLD_PEER


@pytest.fixture
def demo_seed():
    return main_tables_seed(RANGES)


@pytest.fixture
def run(osc_simulator, capsys):
    return Run(osc_simulator, capsys)


@pytest.mark.parametrize("writes", [1, 4], ids=["one-write-at-a-time", "parallel-writes"])
def test_a_new_peer_of_the_same_range_keeps_its_route_when_the_old_peering_goes(run, writes):
    routes, scope = {"route_tables": "main"}, {"topology": "owner"}
    first = run([{"source_net_id": SOURCE, "accepter_net_id": OLD_PEER}], routes=routes, scope_tags=scope)
    assert not first.get("failed"), first.get("msg")

    second = run(
        [{"source_net_id": SOURCE, "accepter_net_id": NEW_PEER}],
        routes=routes,
        scope_tags=scope,
        state="overridden",
        max_concurrent_writes=writes,
    )

    assert not second.get("failed"), second.get("msg")
    new_id = second["net_peerings"][0]["net_peering_id"]
    deletes = [
        (action["route_table_id"], action["destination_ip_range"])
        for action in second["actions"]
        if action["step"] == "delete_route"
    ]
    assert len(deletes) == len(set(deletes)), deletes  # each route deleted once
    # The source Net sends the range to the new peering, and the report says what was done.
    assert list(run.routes_to_peerings(SOURCE).values()) == [new_id]
    assert second["summary"]["routes_deleted"] == len(deletes)
