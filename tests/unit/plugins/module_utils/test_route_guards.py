"""The route guards beside the planner (pure): a second peer of one range, stale routes under overridden,
pairs that end pending; with test_route_plan's builders."""

import pytest

from ansible_collections.outscale.cloud.plugins.module_utils import _peering_plan as pp
from ansible_collections.outscale.cloud.plugins.module_utils import _route_guard as guard
from ansible_collections.outscale.cloud.plugins.module_utils import _route_plan as rp
from ansible_collections.outscale.cloud.plugins.module_utils import _route_tables as rt
from ansible_collections.outscale.cloud.plugins.module_utils import _routes as routes
from ansible_collections.outscale.cloud.tests.unit.plugins.module_utils.peering_fixtures import peering
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


N3 = "vpc-aaaaaaa3"  # peered with N1 through pcx-00000009


def _twin_plan(other_route, task_owned, observed_other=()):
    """N1 peered with N2 (active); N1's tagged table will route N2's range; N1's main table holds ``other_route``."""
    item = pp.plan(pp.Wanted("accepted", source_net_id=N1, accepter_net_id=N2), [active()], pp.Actors())
    main = table("rtb-0000000m", N1, True, [other_route])
    tagged = table("rtb-0000000t", N1, False)
    tagged["Tags"] = [{"Key": "tier", "Value": "app"}]
    nets = {
        N1: rt.NetInfo(N1, RANGES[N1], None, [main, tagged], pp.TASK, task_owned=task_owned),
        N2: rt.NetInfo(N2, RANGES[N2], None, [table("rtb-00000002", N2, True)], pp.TASK, task_owned=task_owned),
    }
    observed = [active(), *observed_other]
    decisions, _stale = rp.plan_routes([item], nets, observed, rt.RouteOption("all", {"tier": "app"}))
    routes.merge_routes([item], decisions, True)
    return item, nets, observed


@pytest.mark.parametrize(
    "via_state, task_owned, refused",
    [
        ("active", True, True),  # another live peering carries the range in another table
        (None, False, True),  # a peering not read, of a Net whose peerings were not all read: may be live
        (None, True, False),  # not read although every peering of the account was: stale, not a peer
        ("deleted", False, False),  # read as ended: stale
    ],
)
def test_a_second_peer_of_one_range_in_a_table_not_selected(via_state, task_owned, refused):
    other = route(RANGES[N2], NetPeeringId="pcx-00000009")
    extra = [dict(active("pcx-00000009", N1, N3), State={"Name": via_state, "Message": ""})] if via_state else []
    item, nets, observed = _twin_plan(other, task_owned, extra)
    assert any(step.kind == rp.CREATE_ROUTE for step in item.steps)
    guard.refuse_second_peer_of_one_range([item], nets, observed)
    assert bool(item.refusal) == refused, item.refusal
    if refused:
        assert "pcx-00000009" in item.refusal and "rtb-0000000m" in item.refusal and not item.steps


def test_routes_of_a_peering_accepted_with_wait_false_are_deferred_with_a_warning():
    item = pp.plan(
        pp.Wanted("accepted", source_net_id=N1, accepter_net_id=N2),
        [peering("pcx-00000001", N1, N2, "pending-acceptance")],
        pp.Actors(),
    )
    item.steps.append(
        pp.Step(rp.CREATE_ROUTE, pp.TASK, "test", net_id=N1, route_table_id="rtb-1", destination_ip_range="10.2.0.0/16")
    )
    guard.defer_routes([item])
    assert [step.kind for step in item.steps] == [pp.ACCEPT] and "wait=false" in item.warnings[-1]
