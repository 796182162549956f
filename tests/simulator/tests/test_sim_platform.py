"""Rows of the platform evidence table not covered elsewhere: EIM permissions, the lockout
after repeated invalid access keys, malformed IDs in filters, AccepterOwnerId with a lost
leading zero, conflicts answered 409."""

from __future__ import annotations

import copy

import pytest
from osc_sdk_python.credentials import Endpoint

from simulator import Simulator

from .conftest import NET_A1, NET_B1, A, B, CachedGateway, RawClient, api_error, error_code, gateway

READER_KEY, READER_SECRET = "AKSIMDEMOREADER00001", "SKsimDemoSecretReader0000000000000000001"
NO_ACCEPT_KEY, NO_ACCEPT_SECRET = "AKSIMDEMONOACCEPT001", "SKsimDemoSecretNoAccept00000000000000001"
ZERO_ACCOUNT, NET_C1 = "012345678901", "vpc-c1c1c1c1"


@pytest.fixture
def platform_seed(demo_seed):
    seed = copy.deepcopy(demo_seed)
    # Account A: a read-only EIM user (allow-list). Account B: its own key may not accept,
    # and an EIM user denied nothing.
    seed["accounts"][0]["eim_users"] = [
        {
            "name": "reader",
            "access_key": READER_KEY,
            "secret_key": READER_SECRET,
            "allowed_actions": ["ReadNetPeerings", "ReadNets"],
        }
    ]
    seed["accounts"][1]["denied_actions"] = ["AcceptNetPeering"]
    seed["accounts"][1]["eim_users"] = [{"name": "admin", "access_key": NO_ACCEPT_KEY, "secret_key": NO_ACCEPT_SECRET}]
    seed["accounts"].append(
        {
            "account_id": ZERO_ACCOUNT,
            "access_key": "AKSIMDEMOACCOUNTC001",
            "secret_key": "SKsimDemoSecretC0000000000000000000000001",
            "nets": [{"net_id": NET_C1, "ip_range": "10.9.0.0/16"}],
        }
    )
    return seed


@pytest.fixture
def platform_sim(platform_seed):
    simulator = Simulator(seed=platform_seed, validate_responses=True)
    with simulator:
        yield simulator
    assert not simulator.response_problems + simulator.internal_errors


def _key_gateway(sim, access_key: str, secret_key: str) -> CachedGateway:
    return CachedGateway(
        access_key=access_key,
        secret_key=secret_key,
        region=sim.region,
        endpoints=Endpoint(api=sim.url),
        max_retries=0,
        limiter_max_requests=1_000_000,
    )


# ----- EIM permissions (recorded: stephrobert/pepin, 403/4) ------------------------------------


def test_eim_allow_list(platform_sim):
    reader = _key_gateway(platform_sim, READER_KEY, READER_SECRET)
    assert reader.ReadNets()["Nets"]  # acts as account A
    assert reader.ReadNetPeerings()["NetPeerings"] == []
    status, body = api_error(reader.CreateNetPeering, SourceNetId=NET_A1, AccepterNetId=NET_B1, AccepterOwnerId=B)
    assert (status, error_code(body), body["Errors"][0]["Details"]) == (
        403,
        "4",
        "You are not authorized to perform this action.",
    )
    assert platform_sim.store.peerings == {}
    entry = platform_sim.log()[-1]
    assert (entry["account_id"], entry["status"], entry["code"], entry["throttled"]) == (A, 403, "4", None)


def test_eim_deny_list_on_the_accounts_own_key(platform_sim):
    owner_a, owner_b = gateway(platform_sim, A), gateway(platform_sim, B)
    pcx = owner_a.CreateNetPeering(SourceNetId=NET_A1, AccepterNetId=NET_B1, AccepterOwnerId=B)["NetPeering"][
        "NetPeeringId"
    ]
    status, body = api_error(owner_b.AcceptNetPeering, NetPeeringId=pcx)
    assert (status, error_code(body)) == (403, "4")
    # The same account's other key is not restricted; the permission is per key.
    admin = _key_gateway(platform_sim, NO_ACCEPT_KEY, NO_ACCEPT_SECRET)
    assert admin.AcceptNetPeering(NetPeeringId=pcx)["NetPeering"]["State"]["Name"] == "active"


def test_eim_seed_is_checked(demo_seed):
    both = copy.deepcopy(demo_seed)
    both["accounts"][0].update(denied_actions=["ReadNets"], allowed_actions=["ReadNets"])
    with pytest.raises(ValueError, match="both"):
        Simulator(seed=both)
    reused = copy.deepcopy(demo_seed)
    reused["accounts"][0]["eim_users"] = [{"access_key": reused["accounts"][1]["access_key"], "secret_key": "x"}]
    with pytest.raises(ValueError, match="used twice"):
        Simulator(seed=reused)


# ----- lockout after four invalid access keys (documented: OpenAPI 1.42.0) ---------------------


def _unknown(raw, key="AKUNKNOWN00000000000", **signing):
    response = raw.post("ReadNets", {}, access_key=key, **signing)
    return response.status_code, response.json()["Errors"][0]["Code"]


def test_lockout_grows_one_minute_every_four_failures(sim, raw, gw_a):
    for _attempt in range(4):
        assert _unknown(raw) == (400, "4120")
    assert _unknown(raw) == (401, "1")  # blocked: the code is a guess
    assert sim.log()[-1]["throttled"] == "auth_lockout"
    assert gw_a.ReadNets()["Nets"]  # another key is not locked (scope: presented key)
    sim.advance_clock(59)
    assert _unknown(raw) == (401, "1")
    sim.advance_clock(2)
    for _attempt in range(4):
        assert _unknown(raw) == (400, "4120")
    sim.advance_clock(119)  # second block: 2 minutes
    assert _unknown(raw) == (401, "1")
    sim.advance_clock(2)
    assert _unknown(raw) == (400, "4120")
    assert sim.auth_lockout_stats()["blocked_attempts"] == 3


def test_lockout_is_capped_at_ten_minutes(sim, raw):
    for _block in range(12):
        for _attempt in range(4):
            assert _unknown(raw) == (400, "4120")
        sim.advance_clock(min(60 * (_block + 1), 600) - 1)
        assert _unknown(raw) == (401, "1")
        sim.advance_clock(2)


def test_wrong_region_locks_only_that_region(sim, raw, gw_a):
    for _attempt in range(4):
        assert _unknown(raw, key=raw.access_key, region="us-east-2") == (400, "4120")
    assert _unknown(raw, key=raw.access_key, region="us-east-2") == (401, "1")
    assert raw.post("ReadNets", {}).status_code == 200  # the same key, right region
    assert gw_a.ReadNets()["Nets"]


def test_wrong_signature_does_not_count(raw):
    for _attempt in range(6):
        assert raw.post("ReadNets", {}, secret_key="wrong").status_code == 401
    assert raw.post("ReadNets", {}).status_code == 200


def test_lockout_by_client_address_and_switch_off(sim, raw, gw_a):
    sim.configure_auth_lockout({"scope": "client"})
    for index in range(4):
        assert _unknown(raw, key=f"AKUNKNOWN0000000000{index}") == (400, "4120")
    status, body = api_error(gw_a.ReadNets)  # the whole address is blocked now
    assert (status, error_code(body)) == (401, "1")
    sim.configure_auth_lockout(False)
    assert gw_a.ReadNets()["Nets"]
    for _attempt in range(8):
        assert _unknown(raw) == (400, "4120")


def test_lockout_settings_from_seed_and_control(demo_seed):
    seed = dict(demo_seed, auth_lockout={"threshold": 2, "first_block_seconds": 5})
    with Simulator(seed=seed) as simulator:
        raw = RawClient(simulator)
        assert [_unknown(raw) for _attempt in range(3)] == [(400, "4120"), (400, "4120"), (401, "1")]
        simulator.reset()  # back to the seed's settings, no block
        assert _unknown(raw) == (400, "4120")
        import requests  # pylint: disable=import-outside-toplevel

        answer = requests.post(f"{simulator.base_url}/_sim/auth_lockout", json={"enabled": False}, timeout=10).json()
        assert answer["settings"]["enabled"] is False and answer["settings"]["threshold"] == 2
        bad = requests.post(f"{simulator.base_url}/_sim/auth_lockout", json={"scope": "planet"}, timeout=10)
        assert bad.status_code == 400


# ----- filters, AccepterOwnerId, conflicts ------------------------------------------------------


@pytest.mark.parametrize(
    "action,filters,code",
    [
        ("ReadNetPeerings", {"NetPeeringIds": ["bad"]}, "4104"),
        ("ReadNetPeerings", {"SourceNetNetIds": ["xyz"]}, "4104"),
        ("ReadNetPeerings", {"AccepterNetNetIds": ["pcx-12345678"]}, "4104"),
        ("ReadNetPeerings", {"NetPeeringIds": ["pcx-12345678", "vpc-12345678"]}, "4104"),
        ("ReadNetPeerings", {"NetPeeringIds": ["pcx-zz"]}, "4105"),
        ("ReadNets", {"NetIds": ["bad"]}, "4104"),
    ],
)
def test_malformed_ids_in_filters(gw_a, action, filters, code):
    # Recorded: a bad ID inside a filter is 400/4104 (ReadVms).
    status, body = api_error(getattr(gw_a, action), Filters=filters)
    assert (status, error_code(body)) == (400, code)
    assert "Filters." in body["Errors"][0]["Details"]


def test_well_formed_ids_in_filters_still_match(gw_a):
    assert (
        gw_a.ReadNetPeerings(Filters={"NetPeeringIds": ["pcx-12345678"], "SourceNetNetIds": [NET_A1]})["NetPeerings"]
        == []
    )
    assert [n["NetId"] for n in gw_a.ReadNets(Filters={"NetIds": [NET_A1]})["Nets"]] == [NET_A1]


def test_accepter_owner_id_with_a_lost_leading_zero(platform_sim):
    # terraform-provider-outscale issue #566: 11 digits accepted, answered with 12.
    client = gateway(platform_sim, A)
    peering = client.CreateNetPeering(SourceNetId=NET_A1, AccepterNetId=NET_C1, AccepterOwnerId=ZERO_ACCOUNT[1:])[
        "NetPeering"
    ]
    assert peering["AccepterNet"]["AccountId"] == ZERO_ACCOUNT
    assert peering["State"]["Message"] == f"Pending acceptance by {ZERO_ACCOUNT}"
    # Shorter still is not a lost zero: refused as before.
    status, body = api_error(
        client.CreateNetPeering, SourceNetId=NET_A1, AccepterNetId=NET_C1, AccepterOwnerId="2345678901"
    )
    assert (status, error_code(body)) == (400, "4047")


def test_conflicts_answer_409_even_where_the_spec_lists_none(sim, gw_a):
    # CreateNetPeering and DeleteNet declare no 409; the platform answers 409 anyway
    # (recorded for DeleteSecurityGroup). The fixture checks the body is ErrorResponse.
    gw_a.CreateNetPeering(SourceNetId=NET_A1, AccepterNetId=NET_B1, AccepterOwnerId=B)
    assert api_error(gw_a.CreateNetPeering, SourceNetId=NET_A1, AccepterNetId=NET_B1, AccepterOwnerId=B)[0] == 409
    assert api_error(gw_a.DeleteNet, NetId=NET_A1)[0] == 409
    assert sim.response_problems == []
