"""Route tables: the main table of each Net, ReadRouteTables, CreateRoute and DeleteRoute."""

from __future__ import annotations

import pytest
from osc_sdk_python.credentials import Endpoint

from .conftest import NET_A1, NET_A2, NET_B1, A, B, CachedGateway, api_error, error_code, gateway

RTB_A1, RTB_A2, RTB_B1 = "rtb-a1a1a1a1", "rtb-a2a2a2a2", "rtb-b1b1b1b1"  # seeded Nets' main tables


def _peering(gw_a, gw_b, accept: bool = True) -> str:
    pcx = gw_a.CreateNetPeering(SourceNetId=NET_A1, AccepterNetId=NET_B1, AccepterOwnerId=B)["NetPeering"][
        "NetPeeringId"
    ]
    if accept:
        gw_b.AcceptNetPeering(NetPeeringId=pcx)
    return pcx


def _table(gw, route_table_id: str) -> dict:
    (table,) = gw.ReadRouteTables(Filters={"RouteTableIds": [route_table_id]})["RouteTables"]
    return table


def _routes(table: dict) -> dict:
    """{destination: route without DestinationIpRange}."""
    return {
        route["DestinationIpRange"]: {k: v for k, v in route.items() if k != "DestinationIpRange"}
        for route in table["Routes"]
    }


# ----- main tables and ReadNets -------------------------------------------------------------


def test_every_seeded_net_has_a_main_table_with_its_local_route(gw_a, gw_b):
    tables = gw_a.ReadRouteTables()["RouteTables"]
    assert [t["RouteTableId"] for t in tables] == [RTB_A1, RTB_A2]
    assert tables[0] == {
        "LinkRouteTables": [
            {"LinkRouteTableId": "rtbassoc-a1a1a1a1", "Main": True, "NetId": NET_A1, "RouteTableId": RTB_A1}
        ],
        "NetId": NET_A1,
        "RoutePropagatingVirtualGateways": [],
        "RouteTableId": RTB_A1,
        "Routes": [
            {
                "CreationMethod": "CreateRouteTable",
                "DestinationIpRange": "10.1.0.0/16",
                "GatewayId": "local",
                "State": "active",
            }
        ],
        "Tags": [],
    }
    assert [t["NetId"] for t in gw_b.ReadRouteTables()["RouteTables"]] == [NET_B1]


def test_create_net_creates_its_main_table_and_delete_net_removes_it(sim, gw_a):
    net = gw_a.CreateNet(IpRange="10.20.0.0/16")["Net"]
    (table,) = gw_a.ReadRouteTables(Filters={"NetIds": [net["NetId"]]})["RouteTables"]
    assert table["RouteTableId"].startswith("rtb-") and len(table["RouteTableId"]) == 12
    (link,) = table["LinkRouteTables"]
    assert link["Main"] is True and link["NetId"] == net["NetId"] and link["RouteTableId"] == table["RouteTableId"]
    assert link["LinkRouteTableId"].startswith("rtbassoc-")
    assert table["Routes"] == [
        {
            "CreationMethod": "CreateRouteTable",
            "DestinationIpRange": "10.20.0.0/16",
            "GatewayId": "local",
            "State": "active",
        }
    ]
    gw_a.DeleteNet(NetId=net["NetId"])
    assert gw_a.ReadRouteTables(Filters={"NetIds": [net["NetId"]]})["RouteTables"] == []
    status, body = api_error(gw_a.DeleteRoute, RouteTableId=table["RouteTableId"], DestinationIpRange="10.9.0.0/16")
    assert (status, error_code(body)) == (400, "5046")


def test_read_nets_returns_the_ip_range(gw_a, gw_b):
    assert {n["NetId"]: n["IpRange"] for n in gw_a.ReadNets()["Nets"]} == {
        NET_A1: "10.1.0.0/16",
        NET_A2: "10.2.0.0/16",
    }
    assert [n["IpRange"] for n in gw_b.ReadNets()["Nets"]] == ["10.3.0.0/16"]


def test_bulk_nets_have_main_tables(sim, gw_a):
    sim.bulk_peerings(A, 3)
    nets = {n["NetId"]: n["IpRange"] for n in gw_a.ReadNets(ResultsPerPage=1000)["Nets"]}
    tables = gw_a.ReadRouteTables(ResultsPerPage=1000)["RouteTables"]
    assert {t["NetId"]: t["Routes"][0]["DestinationIpRange"] for t in tables} == nets


# ----- ReadRouteTables: visibility and the first filters -----------------------------------------


def test_only_the_owner_of_the_net_sees_its_tables(gw_a, gw_b):
    pcx = _peering(gw_a, gw_b)
    gw_a.CreateRoute(RouteTableId=RTB_A1, DestinationIpRange="10.3.0.0/16", NetPeeringId=pcx)
    # B is the other side of the peering, yet A's table stays A's.
    assert gw_b.ReadRouteTables(Filters={"RouteTableIds": [RTB_A1]})["RouteTables"] == []
    assert gw_b.ReadRouteTables(Filters={"NetIds": [NET_A1]})["RouteTables"] == []
    assert gw_b.ReadRouteTables(Filters={"RouteNetPeeringIds": [pcx]})["RouteTables"] == []


def test_filters_net_ids_route_table_ids_main(sim, gw_a):
    extra = sim.add_route_table(NET_A1, subnet_ids=["subnet-0000a1a1"])["RouteTableId"]

    def ids(**filters):
        return [t["RouteTableId"] for t in gw_a.ReadRouteTables(Filters=filters)["RouteTables"]]

    assert ids(NetIds=[NET_A1]) == [RTB_A1, extra]
    assert ids(NetIds=[NET_A1, NET_A2]) == [RTB_A1, RTB_A2, extra]
    assert ids(RouteTableIds=[RTB_A2, extra, "rtb-0badf00d"]) == [RTB_A2, extra]
    assert ids(LinkRouteTableMain=True) == [RTB_A1, RTB_A2]
    assert ids(LinkRouteTableMain=False) == [extra]
    assert ids(NetIds=[NET_A1], LinkRouteTableMain=True) == [RTB_A1]
    assert ids(NetIds=[]) == ids()  # an empty list is ignored, as on the other reads


@pytest.mark.parametrize(
    "name,value,code",
    [
        ("RouteTableIds", "vpc-a1a1a1a1", "4104"),
        ("RouteTableIds", "rtb-XYZ", "4105"),
        ("NetIds", "rtb-a1a1a1a1", "4104"),
    ],
)
def test_malformed_ids_in_filters(gw_a, name, value, code):
    status, body = api_error(gw_a.ReadRouteTables, Filters={name: [value]})
    assert (status, error_code(body)) == (400, code)


# ----- CreateRoute ---------------------------------------------------------------------------------


def test_create_route_through_a_peering_on_both_sides(gw_a, gw_b):
    pcx = _peering(gw_a, gw_b)
    answer = gw_a.CreateRoute(RouteTableId=RTB_A1, DestinationIpRange="10.3.0.0/16", NetPeeringId=pcx)["RouteTable"]
    assert answer == _table(gw_a, RTB_A1)  # the whole table after the change
    assert _routes(answer)["10.3.0.0/16"] == {"CreationMethod": "CreateRoute", "NetPeeringId": pcx, "State": "active"}
    gw_b.CreateRoute(RouteTableId=RTB_B1, DestinationIpRange="10.1.0.0/16", NetPeeringId=pcx)
    assert _routes(_table(gw_b, RTB_B1))["10.1.0.0/16"]["NetPeeringId"] == pcx


def test_create_route_to_other_targets(gw_a):
    gw_a.CreateRoute(RouteTableId=RTB_A1, DestinationIpRange="0.0.0.0/0", GatewayId="igw-0000a1a1")
    gw_a.CreateRoute(RouteTableId=RTB_A1, DestinationIpRange="192.168.0.0/24", NatServiceId="nat-0000a1a1")
    gw_a.CreateRoute(RouteTableId=RTB_A1, DestinationIpRange="192.168.1.0/24", NicId="eni-0000a1a1")
    gw_a.CreateRoute(RouteTableId=RTB_A1, DestinationIpRange="192.168.2.0/24", VmId="i-0000a1a1")
    gw_a.CreateRoute(RouteTableId=RTB_A1, DestinationIpRange="192.168.3.0/24", GatewayId="vgw-0000a1a1")
    routes = _routes(_table(gw_a, RTB_A1))
    assert routes["0.0.0.0/0"] == {"CreationMethod": "CreateRoute", "GatewayId": "igw-0000a1a1", "State": "active"}
    assert routes["192.168.0.0/24"]["NatServiceId"] == "nat-0000a1a1"
    assert routes["192.168.1.0/24"]["NicId"] == "eni-0000a1a1"
    assert routes["192.168.2.0/24"]["VmId"] == "i-0000a1a1"
    assert routes["192.168.3.0/24"]["GatewayId"] == "vgw-0000a1a1"


@pytest.mark.parametrize(
    "targets,code",
    [
        ({}, "7000"),
        ({"GatewayId": "igw-0000a1a1", "NatServiceId": "nat-0000a1a1"}, "4046"),
        ({"GatewayId": "local"}, "4104"),
        ({"GatewayId": "nat-0000a1a1"}, "4104"),
        ({"NetPeeringId": "pcx-nothex00"}, "4105"),
    ],
)
def test_create_route_needs_exactly_one_well_formed_target(sim, gw_a, targets, code):
    status, body = api_error(gw_a.CreateRoute, RouteTableId=RTB_A1, DestinationIpRange="10.9.0.0/16", **targets)
    assert (status, error_code(body)) == (400, code)
    assert len(_table(gw_a, RTB_A1)["Routes"]) == 1


@pytest.mark.parametrize("destination", ["10.9.0.0", "10.9.0.1/16", "10.9.0.0/33", "nope", "", "fd00::/8"])
def test_create_route_needs_a_cidr_destination(gw_a, destination):
    status, body = api_error(
        gw_a.CreateRoute, RouteTableId=RTB_A1, DestinationIpRange=destination, GatewayId="igw-0000a1a1"
    )
    assert (status, error_code(body)) == (400, "4047")


def test_one_route_per_table_and_destination(gw_a, gw_b):
    pcx = _peering(gw_a, gw_b)
    gw_a.CreateRoute(RouteTableId=RTB_A1, DestinationIpRange="10.3.0.0/16", GatewayId="igw-0000a1a1")
    # Same destination, another target: refused; the first route stays as it was.
    status, body = api_error(gw_a.CreateRoute, RouteTableId=RTB_A1, DestinationIpRange="10.3.0.0/16", NetPeeringId=pcx)
    assert (status, error_code(body), body["Errors"][0]["Type"]) == (409, "9052", "ResourceConflict")
    assert _routes(_table(gw_a, RTB_A1))["10.3.0.0/16"]["GatewayId"] == "igw-0000a1a1"
    # Same destination, same target: refused too (no silent success).
    status, body = api_error(
        gw_a.CreateRoute, RouteTableId=RTB_A1, DestinationIpRange="10.3.0.0/16", GatewayId="igw-0000a1a1"
    )
    assert (status, error_code(body)) == (409, "9052")
    # The local route holds the Net's own range.
    status, body = api_error(
        gw_a.CreateRoute, RouteTableId=RTB_A1, DestinationIpRange="10.1.0.0/16", GatewayId="igw-0000a1a1"
    )
    assert (status, error_code(body)) == (409, "9052")
    # Another table of the same account may hold the same destination.
    gw_a.CreateRoute(RouteTableId=RTB_A2, DestinationIpRange="10.3.0.0/16", GatewayId="igw-0000a1a1")


def test_peering_target_must_link_the_tables_net(gw_a, gw_b):
    pcx = _peering(gw_a, gw_b)  # links vpc-a1a1a1a1 and vpc-b1b1b1b1
    status, body = api_error(gw_a.CreateRoute, RouteTableId=RTB_A2, DestinationIpRange="10.3.0.0/16", NetPeeringId=pcx)
    assert (status, error_code(body)) == (400, "4047")
    assert "vpc-a2a2a2a2" in body["Errors"][0]["Details"]


def test_peering_target_must_be_visible_to_the_caller(sim, gw_a, gw_b):
    (foreign,) = sim.bulk_peerings(B, 1)  # B's own peering, between two Nets of B
    status, body = api_error(
        gw_a.CreateRoute, RouteTableId=RTB_A1, DestinationIpRange="100.64.0.0/28", NetPeeringId=foreign
    )
    assert (status, error_code(body)) == (400, "5035")
    status, body = api_error(
        gw_a.CreateRoute, RouteTableId=RTB_A1, DestinationIpRange="10.3.0.0/16", NetPeeringId="pcx-0badf00d"
    )
    assert (status, error_code(body)) == (400, "5035")


def test_another_accounts_table_answers_as_an_unknown_one(gw_a, gw_b):
    pcx = _peering(gw_a, gw_b)
    foreign = api_error(gw_b.CreateRoute, RouteTableId=RTB_A1, DestinationIpRange="10.3.0.0/16", NetPeeringId=pcx)
    unknown = api_error(
        gw_b.CreateRoute, RouteTableId="rtb-0badf00d", DestinationIpRange="10.3.0.0/16", NetPeeringId=pcx
    )
    assert (foreign[0], error_code(foreign[1])) == (unknown[0], error_code(unknown[1])) == (400, "5046")
    status, body = api_error(gw_b.DeleteRoute, RouteTableId=RTB_A1, DestinationIpRange="10.1.0.0/16")
    assert (status, error_code(body)) == (400, "5046")
    assert len(_table(gw_a, RTB_A1)["Routes"]) == 1


def test_route_to_a_pending_peering_is_a_blackhole_until_accepted(gw_a, gw_b):
    pcx = _peering(gw_a, gw_b, accept=False)
    answer = gw_a.CreateRoute(RouteTableId=RTB_A1, DestinationIpRange="10.3.0.0/16", NetPeeringId=pcx)
    assert _routes(answer["RouteTable"])["10.3.0.0/16"]["State"] == "blackhole"
    gw_b.AcceptNetPeering(NetPeeringId=pcx)
    assert _routes(_table(gw_a, RTB_A1))["10.3.0.0/16"]["State"] == "active"


def test_route_to_an_ended_peering_is_refused(gw_a, gw_b):
    pcx = _peering(gw_a, gw_b, accept=False)
    gw_b.RejectNetPeering(NetPeeringId=pcx)
    status, body = api_error(gw_a.CreateRoute, RouteTableId=RTB_A1, DestinationIpRange="10.3.0.0/16", NetPeeringId=pcx)
    assert (status, error_code(body)) == (409, "6003")


def test_routes_stay_as_blackholes_when_the_peering_goes(sim, gw_a, gw_b):
    pcx = _peering(gw_a, gw_b)
    gw_a.CreateRoute(RouteTableId=RTB_A1, DestinationIpRange="10.3.0.0/16", NetPeeringId=pcx)
    gw_b.CreateRoute(RouteTableId=RTB_B1, DestinationIpRange="10.1.0.0/16", NetPeeringId=pcx)
    gw_a.DeleteNetPeering(NetPeeringId=pcx)
    for gw, table in ((gw_a, RTB_A1), (gw_b, RTB_B1)):
        (route,) = [r for r in _table(gw, table)["Routes"] if r.get("NetPeeringId") == pcx]
        assert route["State"] == "blackhole"
    sim.advance_clock(2 * 3600)  # the peering is gone from reads; its routes are not
    assert gw_a.ReadNetPeerings(Filters={"NetPeeringIds": [pcx]})["NetPeerings"] == []
    tables = gw_a.ReadRouteTables(Filters={"RouteNetPeeringIds": [pcx]})["RouteTables"]
    assert [t["RouteTableId"] for t in tables] == [RTB_A1]
    assert gw_a.ReadRouteTables(Filters={"RouteStates": ["blackhole"]})["RouteTables"] == tables


def test_dry_run_changes_nothing(gw_a):
    # The SDK's own parameter check drops DryRun, so these go through Gateway.raw().
    answer = gw_a.raw(
        "CreateRoute", RouteTableId=RTB_A1, DestinationIpRange="0.0.0.0/0", GatewayId="igw-0000a1a1", DryRun=True
    )
    assert set(answer) == {"ResponseContext"}
    gw_a.CreateRoute(RouteTableId=RTB_A1, DestinationIpRange="0.0.0.0/0", GatewayId="igw-0000a1a1")
    assert set(gw_a.raw("DeleteRoute", RouteTableId=RTB_A1, DestinationIpRange="0.0.0.0/0", DryRun=True)) == {
        "ResponseContext"
    }
    assert len(_table(gw_a, RTB_A1)["Routes"]) == 2
    status, _body = api_error(
        gw_a.raw,
        "CreateRoute",
        RouteTableId=RTB_A1,
        DestinationIpRange="10.1.0.0/16",
        GatewayId="igw-0000a1a1",
        DryRun=True,
    )
    assert status == 409  # the checks still run


# ----- DeleteRoute -----------------------------------------------------------------------------------


def test_delete_route_by_table_and_exact_destination(gw_a, gw_b):
    pcx = _peering(gw_a, gw_b)
    gw_a.CreateRoute(RouteTableId=RTB_A1, DestinationIpRange="10.3.0.0/16", NetPeeringId=pcx)
    gw_a.CreateRoute(RouteTableId=RTB_A1, DestinationIpRange="0.0.0.0/0", GatewayId="igw-0000a1a1")
    # A range that contains, or is inside, the route's is not the route.
    for other in ("10.3.0.0/24", "10.0.0.0/8"):
        status, body = api_error(gw_a.DeleteRoute, RouteTableId=RTB_A1, DestinationIpRange=other)
        assert (status, error_code(body)) == (400, "5045")
    answer = gw_a.DeleteRoute(RouteTableId=RTB_A1, DestinationIpRange="10.3.0.0/16")["RouteTable"]
    assert answer == _table(gw_a, RTB_A1)
    assert sorted(_routes(answer)) == ["0.0.0.0/0", "10.1.0.0/16"]
    status, body = api_error(gw_a.DeleteRoute, RouteTableId=RTB_A1, DestinationIpRange="10.3.0.0/16")
    assert (status, error_code(body)) == (400, "5045")
    gw_a.CreateRoute(RouteTableId=RTB_A1, DestinationIpRange="10.3.0.0/16", NetPeeringId=pcx)  # free again


def test_delete_route_refusals(gw_a):
    status, body = api_error(gw_a.DeleteRoute, RouteTableId=RTB_A1, DestinationIpRange="10.1.0.0/16")
    assert (status, error_code(body)) == (400, "4047")  # the local route stays
    status, body = api_error(gw_a.DeleteRoute, RouteTableId="rtb-0badf00d", DestinationIpRange="10.1.0.0/16")
    assert (status, error_code(body)) == (400, "5046")
    status, body = api_error(gw_a.DeleteRoute, RouteTableId=RTB_A1, DestinationIpRange="10.1.0.0")
    assert (status, error_code(body)) == (400, "4047")
    status, body = api_error(gw_a.DeleteRoute, RouteTableId="vpc-a1a1a1a1", DestinationIpRange="10.1.0.0/16")
    assert (status, error_code(body)) == (400, "4104")
    status, body = api_error(gw_a.raw, "DeleteRoute", RouteTableId=RTB_A1)
    assert (status, error_code(body)) == (400, "7000")


def test_reader_without_the_permission_gets_403(sim):
    reader = CachedGateway(
        access_key="AKSIMDEMOREADERA0001",
        secret_key="SKsimDemoReaderA000000000000000000000001",
        endpoints=Endpoint(api=sim.url),
        region=sim.region,
        max_retries=0,
        limiter_max_requests=1_000_000,
    )
    status, body = api_error(reader.ReadRouteTables)
    assert (status, error_code(body)) == (403, "4")
    assert gateway(sim, A).ReadRouteTables()["RouteTables"]


# ----- the other filters and pages ---------------------------------------------------------------


@pytest.fixture
def layout(sim, gw_a, gw_b):
    """A's tables: two main ones, an app table on two Subnets, a tagged empty one; routes to
    a peering, an internet service, a NAT service, a VM."""
    sim.configure_throttling({"enabled": False})  # many reads in a row; throttling has its own tests
    pcx = _peering(gw_a, gw_b)
    app = sim.add_route_table(
        NET_A1,
        subnet_ids=["subnet-0000a1a1", "subnet-0000a1a2"],
        tags={"tier": "app", "env": "prod"},
        routes=[{"destination_ip_range": "0.0.0.0/0", "nat_service_id": "nat-0000a1a1"}],
    )
    spare = sim.add_route_table(NET_A2, subnet_ids=["subnet-0000a2a2"], tags={"tier": "db"})
    gw_a.CreateRoute(RouteTableId=RTB_A1, DestinationIpRange="10.3.0.0/16", NetPeeringId=pcx)
    gw_a.CreateRoute(RouteTableId=app["RouteTableId"], DestinationIpRange="10.3.0.0/16", NetPeeringId=pcx)
    gw_a.CreateRoute(RouteTableId=RTB_A2, DestinationIpRange="0.0.0.0/0", GatewayId="igw-0000a2a2")
    gw_a.CreateRoute(RouteTableId=RTB_A2, DestinationIpRange="192.168.0.0/16", VmId="i-0000a2a2")
    gw_a.CreateTags(ResourceIds=[RTB_A1], Tags=[{"Key": "env", "Value": "dev"}])
    # B's own table, routed through the same peering, is never A's.
    gw_b.CreateRoute(RouteTableId=RTB_B1, DestinationIpRange="10.1.0.0/16", NetPeeringId=pcx)
    gw_b.CreateTags(ResourceIds=[RTB_B1], Tags=[{"Key": "env", "Value": "prod"}])
    return {"pcx": pcx, "app": app, "spare": spare}


def _ids(gw, **filters) -> list[str]:
    return [t["RouteTableId"] for t in gw.ReadRouteTables(Filters=filters)["RouteTables"]]


def test_filters_on_links(gw_a, layout):
    app, spare = layout["app"]["RouteTableId"], layout["spare"]["RouteTableId"]
    assert _ids(gw_a, LinkSubnetIds=["subnet-0000a1a2"]) == [app]
    assert _ids(gw_a, LinkSubnetIds=["subnet-0000a1a1", "subnet-0000a2a2"]) == [app, spare]
    assert _ids(gw_a, LinkRouteTableIds=[spare, RTB_A1]) == [RTB_A1, spare]
    link = layout["app"]["LinkRouteTables"][1]["LinkRouteTableId"]
    assert _ids(gw_a, LinkRouteTableLinkRouteTableIds=[link, "rtbassoc-a2a2a2a2"]) == [RTB_A2, app]


def test_filters_on_routes(gw_a, layout):
    app = layout["app"]["RouteTableId"]
    assert _ids(gw_a, RouteNetPeeringIds=[layout["pcx"]]) == [RTB_A1, app]
    assert _ids(gw_a, RouteNetPeeringIds=["pcx-0badf00d"]) == []
    assert _ids(gw_a, RouteDestinationIpRanges=["10.3.0.0/16"]) == [RTB_A1, app]
    assert _ids(gw_a, RouteDestinationIpRanges=["0.0.0.0/0"]) == [RTB_A2, app]
    assert _ids(gw_a, RouteDestinationIpRanges=["10.1.0.0/16"]) == [RTB_A1, app]  # their local routes
    assert _ids(gw_a, RouteGatewayIds=["igw-0000a2a2"]) == [RTB_A2]
    assert len(_ids(gw_a, RouteGatewayIds=["local"])) == 4
    assert _ids(gw_a, RouteNatServiceIds=["nat-0000a1a1"]) == [app]
    assert _ids(gw_a, RouteVmIds=["i-0000a2a2"]) == [RTB_A2]
    assert _ids(gw_a, RouteCreationMethods=["CreateRoute"]) == [RTB_A1, RTB_A2, app]
    assert _ids(gw_a, RouteStates=["active"]) == _ids(gw_a)
    # ANDed across filters: a table with a route to 10.3.0.0/16 that is also the main one.
    assert _ids(gw_a, RouteDestinationIpRanges=["10.3.0.0/16"], LinkRouteTableMain=True) == [RTB_A1]


def test_filters_on_tags(gw_a, gw_b, layout):
    app, spare = layout["app"]["RouteTableId"], layout["spare"]["RouteTableId"]
    assert _ids(gw_a, TagKeys=["tier"]) == [app, spare]
    assert _ids(gw_a, TagValues=["prod"]) == [app]  # B's env=prod on its own table is not A's
    assert _ids(gw_a, Tags=["env=dev"]) == [RTB_A1]
    assert _ids(gw_a, Tags=["env=dev", "tier=db"]) == [RTB_A1, spare]
    assert _ids(gw_a, Tags=["tier=app"], TagKeys=["env"]) == [app]
    assert _ids(gw_b, Tags=["env=prod"]) == [RTB_B1]
    status, body = api_error(gw_a.ReadRouteTables, Filters={"Tags": ["tier"]})
    assert (status, error_code(body)) == (400, "4023")


def test_tags_on_route_tables(gw_a, gw_b):
    gw_a.CreateTags(ResourceIds=[RTB_A1, RTB_A2], Tags=[{"Key": "peering", "Value": "yes"}])
    assert _table(gw_a, RTB_A2)["Tags"] == [{"Key": "peering", "Value": "yes"}]
    gw_a.DeleteTags(ResourceIds=[RTB_A2], Tags=[{"Key": "peering", "Value": ""}])
    assert _table(gw_a, RTB_A2)["Tags"] == []
    # Another account's table cannot be tagged: answered as unknown, nothing changes.
    status, body = api_error(gw_b.CreateTags, ResourceIds=[RTB_A1], Tags=[{"Key": "x", "Value": "y"}])
    assert (status, error_code(body)) == (400, "5046")
    assert _table(gw_a, RTB_A1)["Tags"] == [{"Key": "peering", "Value": "yes"}]


def _pages(gw, per_page: int, **params) -> list[list[str]]:
    pages, token = [], None
    while True:
        request = dict(params, ResultsPerPage=per_page)
        if token:
            request["NextPageToken"] = token
        response = gw.ReadRouteTables(**request)
        pages.append([t["RouteTableId"] for t in response["RouteTables"]])
        token = response.get("NextPageToken")
        if token is None:
            return pages
        assert len(pages) < 1000


def test_pages_in_creation_order(sim, gw_a):
    sim.bulk_peerings(A, 24)  # 25 more Nets, 25 more main tables
    pages = _pages(gw_a, 10)
    assert [len(page) for page in pages] == [10, 10, 7]
    everything = [t["RouteTableId"] for t in gw_a.ReadRouteTables(ResultsPerPage=1000)["RouteTables"]]
    assert [rtb for page in pages for rtb in page] == everything
    assert everything[:2] == [RTB_A1, RTB_A2]
    assert [len(page) for page in _pages(gw_a, 5, Filters={"LinkRouteTableMain": True})] == [5] * 5 + [2]


@pytest.mark.parametrize("size", [0, -1, 1001])
def test_results_per_page_out_of_range(gw_a, size):
    status, body = api_error(gw_a.ReadRouteTables, ResultsPerPage=size)
    assert (status, error_code(body)) == (400, "4047")


def test_page_token_is_bound_to_the_action_the_account_and_the_filters(sim, gw_a, gw_b):
    sim.bulk_peerings(A, 4)
    sim.bulk_peerings(B, 4)
    token = gw_a.ReadRouteTables(ResultsPerPage=2)["NextPageToken"]
    assert gw_a.ReadRouteTables(ResultsPerPage=2, NextPageToken=token)["RouteTables"]
    for call, params in (
        (gw_b.ReadRouteTables, {}),
        (gw_a.ReadRouteTables, {"Filters": {"LinkRouteTableMain": True}}),
        (gw_a.ReadNets, {}),
    ):
        status, body = api_error(call, ResultsPerPage=2, NextPageToken=token, **params)
        assert (status, error_code(body)) == (400, "4047")
