"""The response checker used on every response, checked in turn."""

from __future__ import annotations

from simulator.errors import ApiError
from simulator.spec import response_problems, validate_request

GOOD_PEERING = {
    "AccepterNet": {"AccountId": "222222222222", "IpRange": "10.3.0.0/16", "NetId": "vpc-b1b1b1b1"},
    "ExpirationDate": None,
    "NetPeeringId": "pcx-12345678",
    "SourceNet": {"AccountId": "111111111111", "IpRange": "10.1.0.0/16", "NetId": "vpc-a1a1a1a1"},
    "State": {"Message": "Active", "Name": "active"},
    "Tags": [],
}
CONTEXT = {"RequestId": "0475ca1e-d0c5-441d-712a-da55a4175157"}


def test_good_documents_pass():
    assert response_problems("AcceptNetPeering", 200, {"NetPeering": GOOD_PEERING, "ResponseContext": CONTEXT}) == []
    error = {"Errors": [{"Code": "6003", "Type": "InvalidState", "Details": "x"}], "ResponseContext": CONTEXT}
    assert response_problems("AcceptNetPeering", 409, error) == []


def test_bad_documents_are_caught():
    extra = dict(GOOD_PEERING, Extra=1)
    assert response_problems("AcceptNetPeering", 200, {"NetPeering": extra, "ResponseContext": CONTEXT})
    bad_date = dict(GOOD_PEERING, ExpirationDate="soon")
    assert response_problems("ReadNetPeerings", 200, {"NetPeerings": [bad_date], "ResponseContext": CONTEXT})
    error = {"Errors": [{"Code": 6003}], "ResponseContext": CONTEXT}
    assert response_problems("AcceptNetPeering", 409, error)


def test_undeclared_status_is_caught():
    error = {"Errors": [{"Code": "9067", "Type": "ResourceConflict", "Details": "x"}], "ResponseContext": CONTEXT}
    assert response_problems("CreateNetPeering", 409, error)
    assert response_problems("CreateNetPeering", 409, error, declared_only=False) == []


def test_fixture_checks_every_response(sim, gw_a):
    assert sim.validate_responses
    gw_a.ReadNets()
    assert sim.response_problems == []


def test_request_validation_maps_to_api_errors():
    for body, code in (({"Bogus": 1}, "3001"), ({}, "7000"), ({"NetPeeringId": 1}, "4108")):
        try:
            validate_request("AcceptNetPeering", body)
        except ApiError as error:
            assert error.kind.code == code
        else:
            raise AssertionError(f"{body} passed")
    validate_request("AcceptNetPeering", {"NetPeeringId": "pcx-12345678", "DryRun": False})


GOOD_ROUTE_TABLE = {
    "LinkRouteTables": [
        {"LinkRouteTableId": "rtbassoc-a1a1a1a1", "Main": True, "NetId": "vpc-a1a1a1a1", "RouteTableId": "rtb-a1a1a1a1"}
    ],
    "NetId": "vpc-a1a1a1a1",
    "RoutePropagatingVirtualGateways": [],
    "RouteTableId": "rtb-a1a1a1a1",
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


def test_route_table_documents():
    for action in ("CreateRoute", "DeleteRoute"):
        assert response_problems(action, 200, {"RouteTable": GOOD_ROUTE_TABLE, "ResponseContext": CONTEXT}) == []
    read = {"RouteTables": [GOOD_ROUTE_TABLE], "NextPageToken": "eyJ9", "ResponseContext": CONTEXT}
    assert response_problems("ReadRouteTables", 200, read) == []
    bad_route = dict(GOOD_ROUTE_TABLE, Routes=[{"DestinationIpRange": "10.1.0.0/16", "Target": "local"}])
    assert response_problems("ReadRouteTables", 200, {"RouteTables": [bad_route], "ResponseContext": CONTEXT})
    validate_request("CreateRoute", {"RouteTableId": "rtb-a1a1a1a1", "DestinationIpRange": "0.0.0.0/0", "DryRun": True})
    try:
        validate_request("DeleteRoute", {"RouteTableId": "rtb-a1a1a1a1"})
    except ApiError as error:
        assert error.kind.code == "7000"
    else:
        raise AssertionError("DeleteRoute without DestinationIpRange passed")
