"""A route found made meanwhile by another writer (outcome already_done) in what the modules report.

The route exists through the pair's peering (another task made it), so the pair's ``routes`` must list it;
nothing was written by this task, so the pair counts as unchanged, as on a re-run that finds it.
"""

from ansible_collections.outscale.cloud.plugins.module_utils import _peering_plan as pp
from ansible_collections.outscale.cloud.plugins.module_utils import _route_plan as rp
from ansible_collections.outscale.cloud.plugins.module_utils._client import OscApiError
from ansible_collections.outscale.cloud.plugins.module_utils._peering_apply import Executor
from ansible_collections.outscale.cloud.plugins.module_utils._peering_topology import report
from ansible_collections.outscale.cloud.tests.unit.plugins.module_utils.peering_fixtures import FakeClient, peering

PCX, TABLE, DEST, SOURCE, ACCEPTER = "pcx-00000001", "rtb-00000001", "10.2.0.0/16", "vpc-aaaaaaa1", "vpc-aaaaaaa2"
ACTIVE = peering(PCX, SOURCE, ACCEPTER, "active")
MADE_MEANWHILE = [
    OscApiError("CreateRoute", "exists", status=409),
    {
        "RouteTables": [
            {"RouteTableId": TABLE, "NetId": SOURCE, "Routes": [{"DestinationIpRange": DEST, "NetPeeringId": PCX}]}
        ]
    },
]


def applied_pair():
    wanted = pp.Wanted("accepted", source_net_id=SOURCE, accepter_net_id=ACCEPTER)
    create = pp.Step(
        rp.CREATE_ROUTE, pp.TASK, "test", PCX, net_id=SOURCE, route_table_id=TABLE, destination_ip_range=DEST
    )
    the_plan = pp.Plan(wanted, ACTIVE, ACTIVE, [create])
    outcome = Executor({pp.TASK: FakeClient(list(MADE_MEANWHILE))}).apply(the_plan)
    assert [action["outcome"] for action in outcome.actions] == ["already_done"] and not outcome.changed
    return the_plan, outcome


def test_a_route_made_meanwhile_is_in_the_pairs_routes():
    the_plan, outcome = applied_pair()
    result = report([{"plan": the_plan, "outcome": outcome}], listed_count=1, with_routes=True)
    assert result["net_peerings"][0]["routes"] == [
        {"net_id": SOURCE, "route_table_id": TABLE, "destination_ip_range": DEST}
    ]


def test_a_pair_whose_only_step_was_already_done_counts_as_unchanged():
    the_plan, outcome = applied_pair()
    result = report([{"plan": the_plan, "outcome": outcome}], listed_count=1, with_routes=True)
    assert result["summary"]["routes_created"] == 0
    assert result["summary"]["unchanged"] == 1, result["summary"]


def test_the_diff_shows_only_the_routes_this_task_made():
    other = "rtb-00000002"
    wanted = pp.Wanted("accepted", source_net_id=SOURCE, accepter_net_id=ACCEPTER)
    creates = [
        pp.Step(rp.CREATE_ROUTE, pp.TASK, "test", PCX, net_id=SOURCE, route_table_id=table, destination_ip_range=DEST)
        for table in (other, TABLE)
    ]
    the_plan = pp.Plan(wanted, ACTIVE, ACTIVE, creates)
    outcome = Executor({pp.TASK: FakeClient([{}] + list(MADE_MEANWHILE))}).apply(the_plan)
    assert [action["outcome"] for action in outcome.actions] == ["done", "already_done"]
    result = report([{"plan": the_plan, "outcome": outcome}], listed_count=1, with_routes=True)
    assert f"+ route {DEST} in {other} of {SOURCE}" in result["diff"]["prepared"]
    assert f"+ route {DEST} in {TABLE} of {SOURCE}" not in result["diff"]["prepared"]
    assert result["summary"]["routes_created"] == 1 and result["summary"]["unchanged"] == 0
