"""Protocol: error shape, unknown actions, malformed bodies, schema validation, DryRun."""

from __future__ import annotations

import uuid

import pytest
import requests

from simulator import errors
from simulator.spec import gateway_errors

from .conftest import NET_A1, NET_A2, NET_B1, A, B, api_error, error_code


def _assert_error_shape(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"Errors", "ResponseContext"}
    (error,) = body["Errors"]
    assert set(error) == {"Code", "Type", "Details"}
    assert error["Code"] == code
    uuid.UUID(body["ResponseContext"]["RequestId"])
    return body


def test_success_carries_a_request_id(gw_a):
    response = gw_a.ReadNetPeerings()
    uuid.UUID(response["ResponseContext"]["RequestId"])


def test_request_ids_are_unique(gw_a):
    ids = {gw_a.ReadNets()["ResponseContext"]["RequestId"] for _round in range(5)}
    assert len(ids) == 5


def test_unknown_action(raw):
    body = _assert_error_shape(raw.post("CreateVolcano", {}), 400, "5011")
    assert body["Errors"][0]["Type"] == "InvalidResource"


def test_action_of_the_document_the_simulator_does_not_serve(raw):
    _assert_error_shape(raw.post("ReadVms", {}), 400, "5011")


def test_unknown_action_still_needs_a_signature(raw):
    _assert_error_shape(raw.post("CreateVolcano", {}, secret_key="wrong"), 401, "1")


@pytest.mark.parametrize("body", ["{", "not json", '{"Filters": }', "\xff"])
def test_malformed_json(raw, body):
    _assert_error_shape(raw.post("ReadNetPeerings", raw_body=body), 400, "4095")


def test_json_that_is_not_an_object(raw):
    _assert_error_shape(raw.post("ReadNetPeerings", raw_body="[]"), 400, "4108")


def test_empty_body_means_no_parameter(raw):
    assert raw.post("ReadNetPeerings", raw_body="").status_code == 200


def test_get_is_not_allowed(sim):
    response = requests.get(f"{sim.url}/ReadNets", timeout=10)
    _assert_error_shape(response, 405, "2")


def test_unexpected_parameter(raw):
    body = _assert_error_shape(raw.post("ReadNetPeerings", {"Bogus": 1}), 400, "3001")
    assert "Bogus" in body["Errors"][0]["Details"]


def test_unexpected_filter(raw):
    _assert_error_shape(raw.post("ReadNetPeerings", {"Filters": {"NetIds": ["x"]}}), 400, "3001")


def test_missing_parameter(raw):
    body = _assert_error_shape(raw.post("CreateNetPeering", {"SourceNetId": NET_A1}), 400, "7000")
    assert "AccepterNetId" in body["Errors"][0]["Details"]


@pytest.mark.parametrize(
    "payload",
    [
        {"NetPeeringId": 12345678},
        {"NetPeeringId": "pcx-12345678", "DryRun": "yes"},
    ],
)
def test_wrong_type(raw, payload):
    _assert_error_shape(raw.post("AcceptNetPeering", payload), 400, "4108")


def test_wrong_type_deep_in_filters(raw):
    _assert_error_shape(raw.post("ReadNetPeerings", {"Filters": {"StateNames": ["active", 3]}}), 400, "4108")


def test_bad_format(raw):
    _assert_error_shape(raw.post("ReadNetPeerings", {"Filters": {"ExpirationDates": ["tomorrow"]}}), 400, "4047")


def test_tag_without_value_is_refused_by_the_schema(raw):
    payload = {"ResourceIds": [NET_A1], "Tags": [{"Key": "k"}]}
    _assert_error_shape(raw.post("DeleteTags", payload), 400, "7000")


@pytest.mark.parametrize(
    "action,payload,code",
    [
        ("AcceptNetPeering", {"NetPeeringId": "vpc-12345678"}, "4104"),
        ("RejectNetPeering", {"NetPeeringId": "pcx12345678"}, "4104"),
        ("DeleteNetPeering", {"NetPeeringId": ""}, "4104"),
        ("DeleteNetPeering", {"NetPeeringId": "pcx-1234"}, "4105"),
        ("DeleteNetPeering", {"NetPeeringId": "pcx-ABCDEF12"}, "4105"),
        ("CreateNetPeering", {"SourceNetId": "net-12345678", "AccepterNetId": NET_B1}, "4104"),
        ("CreateNetPeering", {"SourceNetId": NET_A1, "AccepterNetId": "subnet-12345678"}, "4104"),
        ("CreateTags", {"ResourceIds": ["i-12345678"], "Tags": [{"Key": "k", "Value": "v"}]}, "4104"),
        ("DeleteNet", {"NetId": "pcx-12345678"}, "4104"),
    ],
)
def test_id_prefixes(raw, action, payload, code):
    _assert_error_shape(raw.post(action, payload), 400, code)


def test_dry_run_changes_nothing(sim, gw_a, gw_b):
    # The SDK's own parameter check drops DryRun, so these go through Gateway.raw().
    dry = gw_a.raw("CreateNetPeering", SourceNetId=NET_A1, AccepterNetId=NET_B1, AccepterOwnerId=B, DryRun=True)
    assert set(dry) == {"ResponseContext"}
    assert gw_a.ReadNetPeerings()["NetPeerings"] == []

    pcx = gw_a.CreateNetPeering(SourceNetId=NET_A1, AccepterNetId=NET_B1, AccepterOwnerId=B)["NetPeering"][
        "NetPeeringId"
    ]
    for action, account_gw in (("AcceptNetPeering", gw_b), ("RejectNetPeering", gw_b), ("DeleteNetPeering", gw_a)):
        assert set(account_gw.raw(action, NetPeeringId=pcx, DryRun=True)) == {"ResponseContext"}
        states = [p["State"]["Name"] for p in account_gw.ReadNetPeerings()["NetPeerings"]]
        assert states == ["pending-acceptance"]
    dry = gw_a.raw("CreateTags", ResourceIds=[pcx], Tags=[{"Key": "k", "Value": "v"}], DryRun=True)
    assert set(dry) == {"ResponseContext"}
    assert gw_a.ReadNetPeerings()["NetPeerings"][0]["Tags"] == []
    assert set(gw_a.raw("CreateNet", IpRange="10.9.0.0/16", DryRun=True)) == {"ResponseContext"}
    assert len(gw_a.ReadNets()["Nets"]) == 2
    assert set(gw_a.raw("DeleteNet", NetId=NET_A2, DryRun=True)) == {"ResponseContext"}
    assert set(gw_a.raw("ReadNetPeerings", DryRun=True)) == {"ResponseContext"}
    assert len(gw_a.ReadNets()["Nets"]) == 2


def test_dry_run_still_validates(gw_a, gw_b):
    status, body = api_error(
        gw_a.raw, "CreateNetPeering", SourceNetId=NET_A1, AccepterNetId="vpc-99999999", DryRun=True
    )
    assert (status, error_code(body)) == (400, "5065")
    status, body = api_error(gw_b.raw, "AcceptNetPeering", NetPeeringId="pcx-99999999", DryRun=True)
    assert (status, error_code(body)) == (400, "5035")


def test_control_calls_are_not_logged(sim, gw_a):
    gw_a.ReadNets()
    requests.get(f"{sim.base_url}/_sim/clock", timeout=10).raise_for_status()
    requests.post(f"{sim.base_url}/_sim/accept_delay", json={"seconds": 0}, timeout=10).raise_for_status()
    assert [entry["action"] for entry in sim.log()] == ["ReadNets"]
    assert sim.call_counts() == {"ReadNets": 1}
    assert sim.call_counts("ReadNets", account_id=A) == 1
    assert sim.call_counts("ReadNets", account_id=B) == 0


def test_log_entry_shape(sim, gw_a):
    gw_a.ReadNets()
    (entry,) = sim.log()
    assert {"seq", "time", "action", "account_id", "status", "code", "fault"} <= set(entry)
    assert (entry["action"], entry["account_id"], entry["status"], entry["code"], entry["fault"]) == (
        "ReadNets",
        A,
        200,
        None,
        None,
    )


def test_chosen_yaml_codes_have_the_names_we_claim():
    # Codes picked from gateway_errors.yaml must say what the simulator means by them.
    table = gateway_errors()
    for kind in vars(errors).values():
        if isinstance(kind, errors.ErrorKind) and kind.code in table:
            assert table[kind.code]["Name"].strip() == kind.name, kind
            assert table[kind.code]["Type"] == kind.type, kind
