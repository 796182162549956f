"""The route planner, as tables: (peering plan, Nets with their tables, routes option, mode) -> route steps or refusal.

plan_routes is pure: each row builds the peering plan with the real peering planner,
the Nets as the reads would give them, and checks the steps merged into the plan,
their order around the peering steps, and the refusals' words.
"""

import pytest

from ansible_collections.outscale.cloud.plugins.module_utils import _peering_plan as pp
from ansible_collections.outscale.cloud.plugins.module_utils import _route_plan as rp
from ansible_collections.outscale.cloud.plugins.module_utils import _route_tables as rt
from ansible_collections.outscale.cloud.plugins.module_utils import _routes as routes
from ansible_collections.outscale.cloud.plugins.module_utils._route_tables import ROUTE_KINDS
from ansible_collections.outscale.cloud.tests.unit.plugins.module_utils.peering_fixtures import A, B, peering

N1, N2, N3, NB = "vpc-aaaaaaa1", "vpc-aaaaaaa2", "vpc-aaaaaaa3", "vpc-bbbbbbb1"
RANGES = {N1: "10.1.0.0/16", N2: "10.2.0.0/16", N3: "10.3.0.0/16", NB: "10.9.0.0/16"}


def route(dest, **target):
    return dict({"DestinationIpRange": dest, "State": "active"}, **target)


def table(tid, net, main=False, routes=(), tags=None):
    return {
        "RouteTableId": tid,
        "NetId": net,
        "LinkRouteTables": [{"Main": main, "RouteTableId": tid, "NetId": net}] if main else [],
        "Routes": [route(RANGES[net], GatewayId="local")] + list(routes),
        "Tags": [{"Key": k, "Value": v} for k, v in (tags or {}).items()],
    }


def net(net_id, tables, actor=pp.TASK, account=A, ranges=None, task_owned=True):
    return rt.NetInfo(
        net_id, (ranges or RANGES)[net_id], account, tables, actor, task_owned=task_owned and actor == pp.TASK
    )


def two_tables(net_id, routes_main=(), routes_sub=()):
    """A main table and a Subnet's table tagged tier=app."""
    suffix = net_id[-2:]
    return [
        table(f"rtb-0000m{suffix}", net_id, main=True, routes=routes_main),
        table(f"rtb-0000s{suffix}", net_id, routes=routes_sub, tags={"tier": "app"}),
    ]


def active(pid="pcx-00000001", src=N1, acc=N2, **kw):
    p = peering(pid, src, acc, "active", **kw)
    p["SourceNet"]["IpRange"], p["AccepterNet"]["IpRange"] = RANGES[src], RANGES[acc]
    return p


def routes_steps(item):
    return [
        (s.kind, s.actor, s.route_table_id, s.destination_ip_range, s.peering_id)
        for s in item.steps
        if s.kind in ROUTE_KINDS
    ]


ALL = rt.RouteOption()
NOBODY_ELSE = pp.Actors()


def run(wanted, observed, nets, option=ALL, mode="merged", actors=NOBODY_ELSE):
    item = pp.plan(wanted, observed, actors)
    decisions, stale = rp.plan_routes([item], {n.net_id: n for n in nets}, observed, option, mode)
    routes.merge_routes([item], decisions, option is not None)
    return item, stale


ACCEPT_PAIR = pp.Wanted("accepted", source_net_id=N1, accepter_net_id=N2)
PCX = "pcx-00000001"
TO_N2 = route("10.2.0.0/16", NetPeeringId=PCX)
TO_N1 = route("10.1.0.0/16", NetPeeringId=PCX)

# (name, wanted, observed, nets, option, expected kinds in order, expected route steps)
CONVERGE_CASES = [
    (
        "new pair, all tables: every table of both sides, after create and accept, peering ID from the create",
        ACCEPT_PAIR,
        [],
        [net(N1, two_tables(N1)), net(N2, two_tables(N2))],
        rt.RouteOption(),
        ["create", "accept", "create_route", "create_route", "create_route", "create_route"],
        [
            ("create_route", pp.TASK, "rtb-0000ma1", "10.2.0.0/16", None),
            ("create_route", pp.TASK, "rtb-0000sa1", "10.2.0.0/16", None),
            ("create_route", pp.TASK, "rtb-0000ma2", "10.1.0.0/16", None),
            ("create_route", pp.TASK, "rtb-0000sa2", "10.1.0.0/16", None),
        ],
    ),
    (
        "main only",
        ACCEPT_PAIR,
        [],
        [net(N1, two_tables(N1)), net(N2, two_tables(N2))],
        rt.RouteOption("main"),
        ["create", "accept", "create_route", "create_route"],
        [
            ("create_route", pp.TASK, "rtb-0000ma1", "10.2.0.0/16", None),
            ("create_route", pp.TASK, "rtb-0000ma2", "10.1.0.0/16", None),
        ],
    ),
    (
        "tagged tables only",
        ACCEPT_PAIR,
        [],
        [net(N1, two_tables(N1)), net(N2, two_tables(N2))],
        rt.RouteOption("all", {"tier": "app"}),
        ["create", "accept", "create_route", "create_route"],
        [
            ("create_route", pp.TASK, "rtb-0000sa1", "10.2.0.0/16", None),
            ("create_route", pp.TASK, "rtb-0000sa2", "10.1.0.0/16", None),
        ],
    ),
    (
        "active, every route in place: nothing",
        ACCEPT_PAIR,
        [active()],
        [net(N1, two_tables(N1, [TO_N2], [TO_N2])), net(N2, two_tables(N2, [TO_N1], [TO_N1]))],
        rt.RouteOption(),
        [],
        [],
    ),
    (
        "active, one route missing on the accepter side: only that one, with the peering's ID",
        ACCEPT_PAIR,
        [active()],
        [net(N1, two_tables(N1, [TO_N2], [TO_N2])), net(N2, two_tables(N2, [TO_N1]))],
        rt.RouteOption(),
        ["create_route"],
        [("create_route", pp.TASK, "rtb-0000sa2", "10.1.0.0/16", PCX)],
    ),
    (
        "cross account: the accepter side is written with its account's credentials",
        pp.Wanted("accepted", source_net_id=N1, accepter_net_id=NB, accepter_owner_id=B),
        [active(acc=NB, acc_acct=B)],
        [net(N1, two_tables(N1)[:1]), net(NB, two_tables(NB)[:1], actor=B, account=B)],
        rt.RouteOption(),
        ["create_route", "create_route"],
        [
            ("create_route", pp.TASK, "rtb-0000ma1", "10.9.0.0/16", PCX),
            ("create_route", B, "rtb-0000mb1", "10.1.0.0/16", PCX),
        ],
    ),
    (
        "present and pending: no route before the peering is active",
        pp.Wanted("present", source_net_id=N1, accepter_net_id=N2),
        [],
        [net(N1, two_tables(N1)), net(N2, two_tables(N2))],
        rt.RouteOption(),
        ["create"],
        [],
    ),
    (
        "absent: the routes to it in the selected tables go first, other routes stay",
        pp.Wanted("absent", source_net_id=N1, accepter_net_id=N2),
        [active()],
        [
            net(N1, two_tables(N1, [TO_N2, route("0.0.0.0/0", GatewayId="igw-00000001")], [TO_N2])),
            net(N2, two_tables(N2, [TO_N1])),
        ],
        rt.RouteOption("main"),
        ["delete_route", "delete_route", "delete"],
        [
            ("delete_route", pp.TASK, "rtb-0000ma1", "10.2.0.0/16", PCX),
            ("delete_route", pp.TASK, "rtb-0000ma2", "10.1.0.0/16", PCX),
        ],
    ),
    (
        "absent without routes: no route step",
        pp.Wanted("absent", source_net_id=N1, accepter_net_id=N2),
        [active()],
        [net(N1, two_tables(N1, [TO_N2])), net(N2, two_tables(N2, [TO_N1]))],
        None,
        ["delete"],
        [],
    ),
]


@pytest.mark.parametrize(
    "name, wanted, observed, nets, option, kinds, steps", CONVERGE_CASES, ids=[c[0] for c in CONVERGE_CASES]
)
def test_converge(name, wanted, observed, nets, option, kinds, steps):
    item, _unused = run(wanted, observed, nets, option, actors=pp.Actors(accounts=frozenset({B})))
    assert item.refusal is None
    assert item.kinds() == kinds
    assert routes_steps(item) == steps


N3_NEAR_N2 = {N1: "10.1.0.0/16", N2: "10.2.0.0/16", N3: "10.2.128.0/17", NB: "10.9.0.0/16"}
OVERLAP_N2 = {N1: "10.1.0.0/16", N2: "10.1.128.0/17", N3: "10.3.0.0/16", NB: "10.9.0.0/16"}

# (name, wanted, observed, nets, option, words the refusal must hold)
REFUSAL_CASES = [
    (
        "a route to the peer's range through an internet service: names table, destination and target",
        ACCEPT_PAIR,
        [active()],
        [net(N1, two_tables(N1, [route("10.2.0.0/16", GatewayId="igw-00000001")])), net(N2, two_tables(N2))],
        rt.RouteOption(),
        ["rtb-0000ma1", "10.2.0.0/16", "igw-00000001", "left as is"],
    ),
    (
        "the two Nets overlap, with routes",
        ACCEPT_PAIR,
        [],
        [net(N1, two_tables(N1), ranges=OVERLAP_N2), net(N2, two_tables(N2), ranges=OVERLAP_N2)],
        rt.RouteOption(),
        [N1, N2, "10.1.0.0/16", "10.1.128.0/17", "overlapping"],
    ),
    (
        "the two Nets overlap, without routes",
        ACCEPT_PAIR,
        [],
        [rt.NetInfo(N1, "10.1.0.0/16"), rt.NetInfo(N2, "10.1.128.0/17")],
        None,
        [N1, N2, "10.1.0.0/16", "10.1.128.0/17", "state failed"],
    ),
    (
        "the new peer overlaps another peer of the same Net",
        pp.Wanted("accepted", source_net_id=N1, accepter_net_id=N3),
        [active()],
        [
            net(N1, two_tables(N1, [TO_N2]), ranges=N3_NEAR_N2),
            net(N2, two_tables(N2), ranges=N3_NEAR_N2),
            net(N3, two_tables(N3), ranges=N3_NEAR_N2),
        ],
        rt.RouteOption(),
        [N1, N2, N3, "10.2.0.0/16", "10.2.128.0/17"],
    ),
    (
        "no credentials for the accepter's account: names the account",
        pp.Wanted("present", source_net_id=N1, accepter_net_id=NB, accepter_owner_id=B),
        [active(acc=NB, acc_acct=B)],
        [net(N1, two_tables(N1)), rt.NetInfo(NB, "10.9.0.0/16", B)],
        rt.RouteOption(),
        [NB, B, "accepter_credentials", "Nothing was done"],
    ),
    (
        "a stale route in the way, merged: says overridden removes it",
        ACCEPT_PAIR,
        [active()],
        [net(N1, two_tables(N1, [route("10.2.0.0/16", NetPeeringId="pcx-0000dead")])), net(N2, two_tables(N2))],
        rt.RouteOption(),
        ["pcx-0000dead", "no longer live", "overridden"],
    ),
]


@pytest.mark.parametrize(
    "name, wanted, observed, nets, option, words", REFUSAL_CASES, ids=[c[0] for c in REFUSAL_CASES]
)
def test_refusals_come_before_any_write(name, wanted, observed, nets, option, words):
    item, _unused = run(wanted, observed, nets, option)
    assert item.refusal is not None
    assert item.steps == []
    for word in words:
        assert word in item.refusal


STALE = route("10.7.0.0/16", NetPeeringId="pcx-0000dead")
ENDED = route("10.8.0.0/16", NetPeeringId="pcx-00000003")

# (name, mode, N1 task-owned, observed extra, stale reported (destinations), stale deleted)
STALE_CASES = [
    ("merged: reported, kept", "merged", True, [], ["10.7.0.0/16", "10.8.0.0/16"], []),
    (
        "overridden: reported and removed",
        "overridden",
        True,
        [],
        ["10.7.0.0/16", "10.8.0.0/16"],
        ["10.7.0.0/16", "10.8.0.0/16"],
    ),
    ("another account's Net: a peering it cannot read is not stale", "overridden", False, [], [], []),
    (
        "another account's Net: a peering read as ended is stale",
        "overridden",
        False,
        [peering("pcx-00000003", N1, N3, "deleted")],
        ["10.8.0.0/16"],
        ["10.8.0.0/16"],
    ),
]


@pytest.mark.parametrize("name, mode, owned, extra, reported, deleted", STALE_CASES, ids=[c[0] for c in STALE_CASES])
def test_stale_routes(name, mode, owned, extra, reported, deleted):
    observed = [active()] + extra
    nets = [
        rt.NetInfo(N1, RANGES[N1], A, two_tables(N1, [TO_N2, STALE, ENDED]), pp.TASK, task_owned=owned),
        net(N2, two_tables(N2, [TO_N1], [TO_N1])),
    ]
    nets[0].tables[1]["Routes"].append(TO_N2)
    item = pp.plan(ACCEPT_PAIR, observed, pp.Actors())
    decisions, stale = rp.plan_routes([item], {n.net_id: n for n in nets}, observed, rt.RouteOption(), mode)
    routes.merge_routes([item], decisions, True)
    assert [s["destination_ip_range"] for s in stale] == reported
    assert [s.destination_ip_range for s in item.steps if s.kind == rp.DELETE_ROUTE] == deleted


def test_stale_route_in_the_way_is_replaced_under_overridden():
    stale = route("10.2.0.0/16", NetPeeringId="pcx-0000dead")
    item, _unused = run(
        ACCEPT_PAIR, [active()], [net(N1, [table("rtb-00000001", N1, True, [stale])]), net(N2, [])], mode="overridden"
    )
    assert routes_steps(item) == [
        ("delete_route", pp.TASK, "rtb-00000001", "10.2.0.0/16", "pcx-0000dead"),
        ("create_route", pp.TASK, "rtb-00000001", "10.2.0.0/16", PCX),
    ]


def test_routes_reported_before_and_after():
    nets = [net(N1, two_tables(N1, [TO_N2])), net(N2, two_tables(N2))]
    item, _unused = run(ACCEPT_PAIR, [active()], nets, rt.RouteOption("main"))
    assert item.routes_before == [
        {"net_id": N1, "route_table_id": "rtb-0000ma1", "destination_ip_range": "10.2.0.0/16"}
    ]
    assert item.routes_after == item.routes_before + [
        {"net_id": N2, "route_table_id": "rtb-0000ma2", "destination_ip_range": "10.1.0.0/16"}
    ]
    assert item.steps[0].as_dict()["route_table_id"] == "rtb-0000ma2"


def test_cleanup_without_credentials_warns_and_deletes_the_other_side():
    wanted = pp.Wanted("absent", net_peering_id=PCX)
    observed = [active(acc=NB, acc_acct=B)]
    nets = [net(N1, two_tables(N1, [route("10.9.0.0/16", NetPeeringId=PCX)])), rt.NetInfo(NB, "10.9.0.0/16", B)]
    item, _unused = run(wanted, observed, nets)
    assert routes_steps(item) == [("delete_route", pp.TASK, "rtb-0000ma1", "10.9.0.0/16", PCX)]
    assert any(NB in w and B in w for w in item.warnings)


@pytest.mark.parametrize(
    "option, main, tags, chosen",
    [
        (rt.RouteOption(), False, {}, True),
        (rt.RouteOption("main"), False, {}, False),
        (rt.RouteOption("main"), True, {}, True),
        (rt.RouteOption("all", {"tier": "app"}), False, {"tier": "app", "x": "y"}, True),
        (rt.RouteOption("all", {"tier": "app"}), False, {"tier": "db"}, False),
        (rt.RouteOption("main", {"tier": "app"}), True, {}, False),
    ],
)
def test_selected_tables(option, main, tags, chosen):
    assert bool(rt.selected_tables([table("rtb-00000001", N1, main, tags=tags)], option)) == chosen


def test_option_from_params():
    assert rt.RouteOption.from_params(None) is None
    assert rt.RouteOption.from_params(
        {"route_tables": "main", "route_table_tags": {"a": None, "n": 1}}
    ) == rt.RouteOption("main", {"a": "", "n": "1"})


def test_a_side_without_selected_table_is_said():
    nets = [net(N1, two_tables(N1)[:1]), net(N2, two_tables(N2))]
    item, _unused = run(ACCEPT_PAIR, [active()], nets, rt.RouteOption("all", {"tier": "app"}))
    assert routes_steps(item) == [("create_route", pp.TASK, "rtb-0000sa2", "10.1.0.0/16", PCX)]
    assert any(N1 in w and "tier" in w for w in item.warnings)


# -- one writer per route (DeleteRoute names a route by table and destination only) ---------

OLD_NET, KEEP_NET, NEW_NET = "vpc-aaaaaaa2", "vpc-aaaaaaa1", "vpc-aaaaaaa3"
SAME_RANGE = {KEEP_NET: "10.1.0.0/16", OLD_NET: "10.2.0.0/16", NEW_NET: "10.2.0.0/16"}


def _main_table(table_id, net_id, routes=()):
    local = {"DestinationIpRange": SAME_RANGE[net_id], "GatewayId": "local"}
    return {"RouteTableId": table_id, "NetId": net_id, "LinkRouteTables": [{"Main": True}], "Routes": [local, *routes]}


@pytest.mark.parametrize(
    "listed",
    [
        [("accepted", KEEP_NET, NEW_NET)],
        [("absent", KEEP_NET, OLD_NET), ("accepted", KEEP_NET, NEW_NET)],
    ],
    ids=["old-pair-unlisted", "old-pair-listed-absent-first"],
)
def test_a_route_taken_over_by_a_new_peering_is_deleted_once_by_the_plan_that_recreates_it(listed):
    from ansible_collections.outscale.cloud.plugins.module_utils import _peering_topology as topo
    from ansible_collections.outscale.cloud.plugins.module_utils._route_tables import NetInfo, RouteOption

    old = peering("pcx-0000a1d1", KEEP_NET, OLD_NET, "active", tags={"topology": "x"})
    wanted = [pp.Wanted(state, source_net_id=source, accepter_net_id=accepter) for state, source, accepter in listed]
    plans, removals = topo.plan_topology(wanted, [old], pp.Actors(), "overridden", {"topology": "x"})
    through_old = [{"DestinationIpRange": "10.2.0.0/16", "NetPeeringId": "pcx-0000a1d1"}]
    nets = {
        KEEP_NET: NetInfo(
            KEEP_NET, "10.1.0.0/16", A, [_main_table("rtb-00000001", KEEP_NET, through_old)], pp.TASK, True
        ),
        OLD_NET: NetInfo(OLD_NET, "10.2.0.0/16", A, [_main_table("rtb-00000002", OLD_NET)], pp.TASK, True),
        NEW_NET: NetInfo(NEW_NET, "10.2.0.0/16", A, [_main_table("rtb-00000003", NEW_NET)], pp.TASK, True),
    }
    decisions, _stale = rp.plan_routes(plans + removals, nets, [old], RouteOption(), "overridden", len(plans))
    deleting = [
        index
        for index, decision in enumerate(decisions)
        for step in decision.before_steps
        if step.kind == rp.DELETE_ROUTE and step.route_table_id == "rtb-00000001"
    ]
    creating = [
        index
        for index, decision in enumerate(decisions)
        for step in decision.after_steps
        if step.kind == rp.CREATE_ROUTE and step.route_table_id == "rtb-00000001"
    ]
    assert len(creating) == 1 and deleting == creating  # one plan deletes the old route, then creates the new one
