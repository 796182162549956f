"""Route layouts from seeds and the control API; route calls under faults, throttling, the log and save/load."""

from __future__ import annotations

import copy
import json

import pytest
import requests

from simulator import Simulator, load_seed

from .conftest import NET_A1, NET_B1, A, B, api_error, error_code, gateway

RTB_A1, RTB_B1 = "rtb-a1a1a1a1", "rtb-b1b1b1b1"


def _control(sim, method: str, path: str, payload: dict | None = None, **params):
    response = requests.request(method, f"{sim.base_url}/_sim/{path}", json=payload, params=params, timeout=10)
    return response.status_code, response.json()


@pytest.fixture
def layout_seed(demo_seed) -> dict:
    seed = copy.deepcopy(demo_seed)
    seed["accounts"][0]["nets"][0]["route_tables"] = [
        {
            "main": True,
            "tags": {"role": "main"},
            "routes": [{"destination_ip_range": "0.0.0.0/0", "gateway_id": "igw-a1a1a1a1"}],
        },
        {
            "route_table_id": "rtb-a1a1a1b1",
            "subnet_ids": ["subnet-a1a1a1b1"],
            "tags": {"tier": "app"},
            "routes": [
                {"destination_ip_range": "0.0.0.0/0", "nat_service_id": "nat-a1a1a1a1"},
                {"destination_ip_range": "10.9.0.0/16", "net_peering_id": "pcx-0000dead"},
            ],
        },
    ]
    # A Net without ip_range gets a free /16 of 172.16.0.0/12.
    seed["accounts"][1]["nets"].append({"net_id": "vpc-b2b2b2b2"})
    return seed


@pytest.fixture
def layout_sim(layout_seed):
    simulator = Simulator(seed=layout_seed, validate_responses=True)
    with simulator:
        yield simulator
    assert simulator.response_problems == [] and simulator.internal_errors == []


def test_seeded_layout(layout_sim):
    gw_a = gateway(layout_sim, A)
    main, app = gw_a.ReadRouteTables(Filters={"NetIds": [NET_A1]})["RouteTables"]
    assert main["RouteTableId"] == RTB_A1 and main["Tags"] == [{"Key": "role", "Value": "main"}]
    assert [(r["DestinationIpRange"], r.get("GatewayId"), r["State"]) for r in main["Routes"]] == [
        ("10.1.0.0/16", "local", "active"),
        ("0.0.0.0/0", "igw-a1a1a1a1", "active"),
    ]
    assert app["RouteTableId"] == "rtb-a1a1a1b1"
    (link,) = app["LinkRouteTables"]
    assert (link["Main"], link["SubnetId"], link["RouteTableId"]) == (False, "subnet-a1a1a1b1", "rtb-a1a1a1b1")
    assert "NetId" not in link  # spec: only for the main link
    assert app["Tags"] == [{"Key": "tier", "Value": "app"}]
    assert app["Routes"] == [
        {
            "CreationMethod": "CreateRouteTable",
            "DestinationIpRange": "10.1.0.0/16",
            "GatewayId": "local",
            "State": "active",
        },
        {
            "CreationMethod": "CreateRoute",
            "DestinationIpRange": "0.0.0.0/0",
            "NatServiceId": "nat-a1a1a1a1",
            "State": "active",
        },
        # A route to a peering that does not exist: stale, a blackhole.
        {
            "CreationMethod": "CreateRoute",
            "DestinationIpRange": "10.9.0.0/16",
            "NetPeeringId": "pcx-0000dead",
            "State": "blackhole",
        },
    ]
    assert [t["RouteTableId"] for t in gw_a.ReadRouteTables(Filters={"RouteStates": ["blackhole"]})["RouteTables"]] == [
        "rtb-a1a1a1b1"
    ]


def test_default_ip_range_and_its_main_table(layout_sim):
    gw_b = gateway(layout_sim, B)
    nets = {n["NetId"]: n["IpRange"] for n in gw_b.ReadNets()["Nets"]}
    assert nets == {NET_B1: "10.3.0.0/16", "vpc-b2b2b2b2": "172.16.0.0/16"}
    table = gw_b.ReadRouteTables(Filters={"NetIds": ["vpc-b2b2b2b2"]})["RouteTables"][0]
    assert table["RouteTableId"] == "rtb-b2b2b2b2"
    assert table["Routes"][0]["DestinationIpRange"] == "172.16.0.0/16"


def test_default_ranges_avoid_seeded_ones(demo_seed):
    seed = copy.deepcopy(demo_seed)
    seed["accounts"][0]["nets"] = [
        {"net_id": "vpc-00000001"},
        {"net_id": "vpc-00000002", "ip_range": "172.17.4.0/24"},
        {"net_id": "vpc-00000003"},
    ]
    assert load_seed(seed) == seed  # the document is checked, not changed
    ranges = {n["net_id"]: n["ip_range"] for n in Simulator(seed=seed).accounts[0]["nets"]}
    assert ranges == {"vpc-00000001": "172.16.0.0/16", "vpc-00000002": "172.17.4.0/24", "vpc-00000003": "172.18.0.0/16"}


def test_reset_restores_the_seeded_layout(layout_sim):
    gw_a = gateway(layout_sim, A)
    before = gw_a.ReadRouteTables()["RouteTables"]
    gw_a.DeleteRoute(RouteTableId=RTB_A1, DestinationIpRange="0.0.0.0/0")
    layout_sim.add_route_table("vpc-a2a2a2a2", subnet_ids=["subnet-a2a2a2b2"])
    layout_sim.reset()
    assert gw_a.ReadRouteTables()["RouteTables"] == before


def _bad(net_extra: dict) -> dict:
    return {
        "accounts": [
            {
                "account_id": "111111111111",
                "access_key": "a",
                "secret_key": "s",
                "nets": [{"net_id": "vpc-12345678", "ip_range": "10.0.0.0/16", **net_extra}],
            }
        ]
    }


@pytest.mark.parametrize(
    "net_extra",
    [
        {"route_tables": {}},
        {"route_tables": [{"main": True}, {"main": True}]},
        {"route_tables": [{"route_table_id": "rtb-xyz"}]},
        {"route_tables": [{"route_table_id": "rtb-12345678"}]},  # the main table's derived ID
        {"route_tables": [{"subnet_ids": ["subnet-1"]}]},
        {"route_tables": [{"subnet_ids": ["subnet-00000001"]}, {"subnet_ids": ["subnet-00000001"]}]},
        {"route_tables": [{"tags": {"": "empty key"}}]},
        {"route_tables": [{"colour": "blue"}]},
        {"route_tables": [{"routes": [{"destination_ip_range": "10.9.0.0/16"}]}]},
        {"route_tables": [{"routes": [{"destination_ip_range": "10.9.0.0/16", "gateway_id": "local"}]}]},
        {
            "route_tables": [
                {
                    "routes": [
                        {"destination_ip_range": "10.9.0.0/16", "gateway_id": "igw-00000001", "vm_id": "i-00000001"}
                    ]
                }
            ]
        },
        {"route_tables": [{"routes": [{"destination_ip_range": "10.9.0.1/16", "gateway_id": "igw-00000001"}]}]},
        {"route_tables": [{"routes": [{"destination_ip_range": "10.9.0.1", "gateway_id": "igw-00000001"}]}]},
        {"route_tables": [{"routes": [{"destination_ip_range": "10.0.0.0/16", "gateway_id": "igw-00000001"}]}]},
        {
            "route_tables": [
                {
                    "routes": [
                        {"destination_ip_range": "10.9.0.0/16", "gateway_id": "igw-00000001"},
                        {"destination_ip_range": "10.9.0.0/16", "nat_service_id": "nat-00000001"},
                    ]
                }
            ]
        },
    ],
)
def test_bad_route_tables_in_seeds(net_extra):
    with pytest.raises(ValueError):
        Simulator(seed=_bad(net_extra))


# ----- the control API ----------------------------------------------------------------------------


def test_control_api_builds_a_layout(sim, gw_a, gw_b):
    status, body = _control(
        sim,
        "POST",
        "route_tables",
        {
            "net_id": NET_A1,
            "route_table_id": "rtb-a1a1a1c1",
            "subnet_ids": ["subnet-a1a1a1c1"],
            "tags": {"tier": "web"},
            "routes": [{"destination_ip_range": "0.0.0.0/0", "gateway_id": "igw-a1a1a1a1"}],
        },
    )
    assert status == 200
    assert body["route_table"] == gw_a.ReadRouteTables(Filters={"Tags": ["tier=web"]})["RouteTables"][0]
    # A route the module must not replace, and a stale one to a gone peering.
    status, body = _control(
        sim,
        "POST",
        "routes",
        {"route_table_id": RTB_A1, "destination_ip_range": "10.3.0.0/16", "gateway_id": "vgw-a1a1a1a1"},
    )
    assert status == 200 and body["route_table"]["Routes"][-1]["GatewayId"] == "vgw-a1a1a1a1"
    status, body = _control(
        sim,
        "POST",
        "routes",
        {"route_table_id": RTB_B1, "destination_ip_range": "10.1.0.0/16", "net_peering_id": "pcx-0000dead"},
    )
    assert body["route_table"]["Routes"][-1]["State"] == "blackhole"
    assert gw_b.ReadRouteTables()["RouteTables"][0] == body["route_table"]
    # Reading through the control API: not in the log, every account's tables.
    sim.clear_log()
    status, body = _control(sim, "GET", "route_tables")
    assert [t["RouteTableId"] for t in body["route_tables"]] == [RTB_A1, "rtb-a2a2a2a2", RTB_B1, "rtb-a1a1a1c1"]
    assert [t["RouteTableId"] for t in _control(sim, "GET", "route_tables", net_id=NET_A1)[1]["route_tables"]] == [
        RTB_A1,
        "rtb-a1a1a1c1",
    ]
    assert [t["NetId"] for t in _control(sim, "GET", "route_tables", account_id=B)[1]["route_tables"]] == [NET_B1]
    assert sim.log() == []


@pytest.mark.parametrize(
    "path,payload",
    [
        ("route_tables", {"net_id": "vpc-0badf00d"}),
        ("route_tables", {"net_id": NET_A1, "main": True}),
        ("route_tables", {"net_id": NET_A1, "route_table_id": RTB_B1}),
        (
            "route_tables",
            {"net_id": NET_A1, "routes": [{"destination_ip_range": "nope", "gateway_id": "igw-00000001"}]},
        ),
        ("route_tables", {}),
        (
            "routes",
            {"route_table_id": "rtb-0badf00d", "destination_ip_range": "10.9.0.0/16", "gateway_id": "igw-00000001"},
        ),
        ("routes", {"route_table_id": RTB_A1, "destination_ip_range": "10.1.0.0/16", "gateway_id": "igw-00000001"}),
        ("routes", {"route_table_id": RTB_A1, "destination_ip_range": "10.9.0.0/16"}),
    ],
)
def test_control_api_refusals(sim, path, payload):
    before = sim.route_tables()
    status, body = _control(sim, "POST", path, payload)
    assert status == 400 and body["error"]
    assert sim.route_tables() == before


# ----- faults, throttling, the log, save and load ------------------------------------------------


@pytest.mark.parametrize("action", ["ReadRouteTables", "CreateRoute", "DeleteRoute"])
def test_faults_cover_the_route_calls(sim, gw_a, action):
    gw_a.CreateRoute(RouteTableId=RTB_A1, DestinationIpRange="0.0.0.0/0", GatewayId="igw-a1a1a1a1")
    calls = {
        "ReadRouteTables": gw_a.ReadRouteTables,
        "CreateRoute": lambda: gw_a.CreateRoute(
            RouteTableId=RTB_A1, DestinationIpRange="10.9.0.0/16", GatewayId="igw-a1a1a1a1"
        ),
        "DeleteRoute": lambda: gw_a.DeleteRoute(RouteTableId=RTB_A1, DestinationIpRange="0.0.0.0/0"),
    }
    before = sim.route_tables(net_id=NET_A1)
    sim.add_fault(action=action, kind="throttle_503", count=1)
    status, body = api_error(calls[action])
    assert (status, error_code(body)) == (503, "6")
    assert sim.route_tables(net_id=NET_A1) == before  # nothing applied
    entry = sim.log()[-1]
    assert (entry["action"], entry["status"], entry["fault"], entry["account_id"]) == (action, 503, "throttle_503", A)
    assert calls[action]()["ResponseContext"]["RequestId"]  # count=1: the next one goes through
    assert sim.call_counts(action) == (2 if action != "CreateRoute" else 3)


def test_drop_after_applies_create_route(sim, gw_a):
    sim.add_fault(action="CreateRoute", kind="drop_after")
    with pytest.raises(requests.exceptions.ConnectionError):
        gw_a.CreateRoute(RouteTableId=RTB_A1, DestinationIpRange="0.0.0.0/0", GatewayId="igw-a1a1a1a1")
    # The write happened: a blind resend meets the one-route-per-destination rule.
    status, body = api_error(
        gw_a.CreateRoute, RouteTableId=RTB_A1, DestinationIpRange="0.0.0.0/0", GatewayId="igw-a1a1a1a1"
    )
    assert (status, error_code(body)) == (409, "9052")


def test_natural_throttling_covers_the_route_calls(sim, gw_a):
    wide = {"rate": 1000.0, "burst": 1000.0}
    sim.configure_throttling(
        {"platform": wide, "account": wide, "action": {"rate": 0.001, "burst": 2}, "identical": {"max": 1000}}
    )
    gw_a.ReadRouteTables()
    gw_a.ReadRouteTables(Filters={"NetIds": [NET_A1]})
    status, body = api_error(gw_a.ReadRouteTables)
    assert (status, error_code(body)) == (429, "25")
    assert sim.log()[-1]["throttled"] == "action"
    gw_a.CreateRoute(RouteTableId=RTB_A1, DestinationIpRange="0.0.0.0/0", GatewayId="igw-a1a1a1a1")  # its own bucket
    gw_a.DeleteRoute(RouteTableId=RTB_A1, DestinationIpRange="0.0.0.0/0")
    assert sim.call_counts("ReadRouteTables", include_throttled=False) == 2
    assert sim.throttling_stats()["throttled"]["action"] == 1


def test_save_and_load_keep_route_tables(sim, gw_a, gw_b, tmp_path):
    pcx = gw_a.CreateNetPeering(SourceNetId=NET_A1, AccepterNetId=NET_B1, AccepterOwnerId=B)["NetPeering"][
        "NetPeeringId"
    ]
    gw_b.AcceptNetPeering(NetPeeringId=pcx)
    gw_a.CreateRoute(RouteTableId=RTB_A1, DestinationIpRange="10.3.0.0/16", NetPeeringId=pcx)
    sim.add_route_table(NET_A1, subnet_ids=["subnet-a1a1a1b1"], tags={"tier": "app"})
    net = gw_a.CreateNet(IpRange="10.40.0.0/16")["Net"]["NetId"]
    before = gw_a.ReadRouteTables()["RouteTables"]
    path = tmp_path / "state.json"
    sim.save(str(path))
    sim.reset()
    sim.load(str(path))
    assert gw_a.ReadRouteTables()["RouteTables"] == before
    # IDs stay unique after a load: a new Net's main table and link are new ones.
    other = gw_a.CreateNet(IpRange="10.41.0.0/16")["Net"]["NetId"]
    tables = gw_a.ReadRouteTables(Filters={"NetIds": [net, other]})["RouteTables"]
    assert len({t["RouteTableId"] for t in tables}) == 2


def test_state_files_from_before_route_tables_load_with_main_tables(sim, gw_a, tmp_path):
    net = gw_a.CreateNet(IpRange="10.40.0.0/16")["Net"]["NetId"]
    path = tmp_path / "state.json"
    sim.save(str(path))
    data = json.loads(path.read_text())
    del data["route_tables"]
    path.write_text(json.dumps(data))
    sim.load(str(path))
    tables = gw_a.ReadRouteTables()["RouteTables"]
    assert [t["NetId"] for t in tables] == [NET_A1, "vpc-a2a2a2a2", net]
    assert all(t["LinkRouteTables"][0]["Main"] and t["Routes"][0]["GatewayId"] == "local" for t in tables)
