"""Review findings on the route planner (pure), with test_route_plan's builders."""

from ansible_collections.outscale.cloud.plugins.module_utils import _peering_plan as pp
from ansible_collections.outscale.cloud.plugins.module_utils import _route_plan as rp
from ansible_collections.outscale.cloud.plugins.module_utils import _route_tables as rt
from ansible_collections.outscale.cloud.plugins.module_utils import _routes as routes
from ansible_collections.outscale.cloud.tests.unit.plugins.module_utils.test_route_plan import (
    N1,
    N2,
    RANGES,
    active,
    route,
    table,
)

N4 = "vpc-aaaaaaa4"  # its range overlaps N1's: a pair N1-N4 is refused
OVERLAPPING = dict(RANGES, **{N4: "10.1.128.0/17"})
DEAD = route("10.7.0.0/16", NetPeeringId="pcx-0000dead")  # through a peering no read shows: stale


# Found by review: _stale gave a Net's stale routes to its first listed plan, and skipped them when that one was
# refused, though a later listed plan of the same Net went ahead.
def test_a_stale_route_is_removed_under_overridden_even_if_the_first_pair_of_its_net_is_refused():
    refused = pp.plan(pp.Wanted("accepted", source_net_id=N1, accepter_net_id=N4), [], pp.Actors())
    kept = pp.plan(pp.Wanted("accepted", source_net_id=N1, accepter_net_id=N2), [active()], pp.Actors())
    nets = {
        N1: rt.NetInfo(N1, RANGES[N1], None, [table("rtb-00000001", N1, True, [DEAD])], pp.TASK, task_owned=True),
        N2: rt.NetInfo(N2, RANGES[N2], None, [table("rtb-00000002", N2, True)], pp.TASK, task_owned=True),
        N4: rt.NetInfo(N4, OVERLAPPING[N4], None, [], pp.TASK, task_owned=True),
    }
    plans = [refused, kept]
    decisions, stale = rp.plan_routes(plans, nets, [active()], rt.RouteOption(), "overridden")
    routes.merge_routes(plans, decisions, True)
    assert refused.refusal and "overlapping" in refused.refusal
    assert [s["destination_ip_range"] for s in stale] == ["10.7.0.0/16"]
    deletes = [s.destination_ip_range for item in plans for s in item.steps if s.kind == rp.DELETE_ROUTE]
    assert deletes == ["10.7.0.0/16"]
