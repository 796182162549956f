"""Net peering lifecycle rules, one test (or a few) per rule of the facts sheet."""

from __future__ import annotations

import datetime
import time

import pytest

from .conftest import NET_A1, NET_A2, NET_B1, A, B, api_error, error_code

DAY = 86400


def _create(gw, source=NET_A1, accepter=NET_B1, owner=B) -> dict:
    params = {"SourceNetId": source, "AccepterNetId": accepter}
    if owner:
        params["AccepterOwnerId"] = owner
    return gw.CreateNetPeering(**params)["NetPeering"]


def _read(gw, pcx: str) -> dict | None:
    found = gw.ReadNetPeerings(Filters={"NetPeeringIds": [pcx]})["NetPeerings"]
    return found[0] if found else None


def _state(gw, pcx: str) -> tuple[str, str] | None:
    peering = _read(gw, pcx)
    return None if peering is None else (peering["State"]["Name"], peering["State"]["Message"])


def _refused(call, status: int, code: str, **params) -> dict:
    got_status, body = api_error(call, **params)
    assert (got_status, error_code(body)) == (status, code), body
    return body


def _parse(date: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(date)


# ----- create ------------------------------------------------------------------------------


def test_create_cross_account_is_pending(gw_a, gw_b):
    peering = _create(gw_a)
    assert peering["NetPeeringId"].startswith("pcx-") and len(peering["NetPeeringId"]) == 12
    assert peering["State"] == {"Name": "pending-acceptance", "Message": f"Pending acceptance by {B}"}
    assert peering["SourceNet"] == {"AccountId": A, "IpRange": "10.1.0.0/16", "NetId": NET_A1}
    assert peering["AccepterNet"] == {"AccountId": B, "IpRange": "10.3.0.0/16", "NetId": NET_B1}
    assert peering["Tags"] == []
    created = _parse(peering["ExpirationDate"]) - datetime.timedelta(days=7)
    assert abs((datetime.datetime.now(datetime.timezone.utc) - created).total_seconds()) < 60
    # Both sides see it.
    assert _read(gw_b, peering["NetPeeringId"])["State"]["Name"] == "pending-acceptance"


def test_create_within_one_account_needs_no_owner(gw_a):
    peering = _create(gw_a, NET_A1, NET_A2, owner=None)
    assert peering["State"]["Message"] == f"Pending acceptance by {A}"


def test_create_with_own_account_as_owner(gw_a):
    assert _create(gw_a, NET_A1, NET_A2, owner=A)["State"]["Name"] == "pending-acceptance"


def test_accepter_owner_required_for_another_accounts_net(gw_a):
    _refused(gw_a.CreateNetPeering, 400, "5065", SourceNetId=NET_A1, AccepterNetId=NET_B1)


def test_accepter_owner_must_match(gw_a):
    _refused(gw_a.CreateNetPeering, 400, "5065", SourceNetId=NET_A1, AccepterNetId=NET_B1, AccepterOwnerId=A)
    _refused(
        gw_a.CreateNetPeering, 400, "5065", SourceNetId=NET_A1, AccepterNetId=NET_B1, AccepterOwnerId="333333333333"
    )
    _refused(gw_a.CreateNetPeering, 400, "4047", SourceNetId=NET_A1, AccepterNetId=NET_B1, AccepterOwnerId="22")


def test_same_net_on_both_sides(gw_a):
    _refused(gw_a.CreateNetPeering, 400, "4199", SourceNetId=NET_A1, AccepterNetId=NET_A1)


def test_unknown_nets(gw_a):
    _refused(gw_a.CreateNetPeering, 400, "5065", SourceNetId="vpc-0000beef", AccepterNetId=NET_B1, AccepterOwnerId=B)
    _refused(gw_a.CreateNetPeering, 400, "5065", SourceNetId=NET_A1, AccepterNetId="vpc-0000beef", AccepterOwnerId=B)


def test_source_net_must_be_the_callers(gw_b):
    _refused(gw_b.CreateNetPeering, 400, "5065", SourceNetId=NET_A1, AccepterNetId=NET_B1)


@pytest.mark.parametrize("accepter_range", ["10.1.0.0/16", "10.1.4.0/24", "10.0.0.0/8"])
def test_overlapping_ranges_create_a_failed_peering(gw_a, accepter_range):
    net = gw_a.CreateNet(IpRange=accepter_range)["Net"] if accepter_range != "10.0.0.0/8" else None
    if net is None:  # /8 is not a valid Net size: use a Net that contains the source instead
        net = gw_a.CreateNet(IpRange="10.1.0.0/17")["Net"]
        peering = _create(gw_a, net["NetId"], NET_A1, owner=None)  # source inside accepter (reverse containment)
    else:
        peering = _create(gw_a, NET_A1, net["NetId"], owner=None)
    assert peering["State"]["Name"] == "failed"
    assert "overlap" in peering["State"]["Message"]
    assert peering["ExpirationDate"] is None


def test_failed_peerings_do_not_block_the_pair(gw_a):
    net = gw_a.CreateNet(IpRange="10.1.128.0/17")["Net"]
    first = _create(gw_a, NET_A1, net["NetId"], owner=None)
    second = _create(gw_a, NET_A1, net["NetId"], owner=None)
    assert first["State"]["Name"] == second["State"]["Name"] == "failed"


def test_one_live_peering_per_direction(gw_a, gw_b):
    # Documented: no second live peering in the same direction; the code is a guess (409/9067).
    first = _create(gw_a)
    body = _refused(gw_a.CreateNetPeering, 409, "9067", SourceNetId=NET_A1, AccepterNetId=NET_B1, AccepterOwnerId=B)
    assert first["NetPeeringId"] in body["Errors"][0]["Details"]
    gw_b.AcceptNetPeering(NetPeeringId=first["NetPeeringId"])
    _refused(gw_a.CreateNetPeering, 409, "9067", SourceNetId=NET_A1, AccepterNetId=NET_B1, AccepterOwnerId=B)
    # Once the live one ends, the direction is free again.
    gw_a.DeleteNetPeering(NetPeeringId=first["NetPeeringId"])
    assert _create(gw_a)["State"]["Name"] == "pending-acceptance"


def test_reverse_while_pending_is_pending_too(gw_a, gw_b):
    # Documented (AcceptNetPeering "rejects any pending B-to-A"), modelled by ricochet.
    forward = _create(gw_a)
    reverse = _create(gw_b, NET_B1, NET_A1, owner=A)
    assert reverse["State"] == {"Name": "pending-acceptance", "Message": f"Pending acceptance by {A}"}
    assert _state(gw_a, forward["NetPeeringId"])[0] == _state(gw_b, reverse["NetPeeringId"])[0] == "pending-acceptance"
    # The reverse direction has its own one-live-peering rule.
    _refused(gw_b.CreateNetPeering, 409, "9067", SourceNetId=NET_B1, AccepterNetId=NET_A1, AccepterOwnerId=A)


def test_reverse_while_active_is_created_rejected(gw_a, gw_b):
    # Documented (CreateNetPeering) and modelled: created (HTTP 200) and rejected at once.
    forward = _create(gw_a)["NetPeeringId"]
    gw_b.AcceptNetPeering(NetPeeringId=forward)
    reverse = _create(gw_b, NET_B1, NET_A1, owner=A)
    assert reverse["State"]["Name"] == "rejected"
    assert forward in reverse["State"]["Message"]
    assert _state(gw_a, reverse["NetPeeringId"])[0] == "rejected"
    assert _state(gw_a, forward) == ("active", "Active")
    # Again: another rejected one, never a refusal.
    assert _create(gw_b, NET_B1, NET_A1, owner=A)["State"]["Name"] == "rejected"


def test_quota_on_live_peerings(sim, gw_a, gw_b):
    sim.set_quota(A, 1)
    first = _create(gw_a)
    _refused(gw_a.CreateNetPeering, 400, "10035", SourceNetId=NET_A1, AccepterNetId=NET_A2)
    # Accepted peerings still count; ended ones do not.
    gw_b.AcceptNetPeering(NetPeeringId=first["NetPeeringId"])
    _refused(gw_a.CreateNetPeering, 400, "10035", SourceNetId=NET_A1, AccepterNetId=NET_A2)
    gw_b.DeleteNetPeering(NetPeeringId=first["NetPeeringId"])
    assert _create(gw_a, NET_A1, NET_A2, owner=None)["State"]["Name"] == "pending-acceptance"
    sim.set_quota(A, None)
    assert _create(gw_a, NET_A2, NET_B1)["State"]["Name"] == "pending-acceptance"


def test_quota_error_type(sim, gw_a):
    sim.set_quota(A, 0)
    body = _refused(gw_a.CreateNetPeering, 400, "10035", SourceNetId=NET_A1, AccepterNetId=NET_A2)
    assert body["Errors"][0]["Type"].startswith("TooManyResources")


# ----- accept / reject ---------------------------------------------------------------------


def test_accept_by_accepter_owner(gw_a, gw_b):
    pcx = _create(gw_a)["NetPeeringId"]
    created = _read(gw_a, pcx)
    accepted = gw_b.AcceptNetPeering(NetPeeringId=pcx)["NetPeering"]
    assert accepted["State"] == {"Name": "active", "Message": "Active"}
    # Documented (the spec's Accept example shows a date): ExpirationDate stays set.
    assert created["ExpirationDate"] is not None
    assert accepted["ExpirationDate"] == created["ExpirationDate"]
    assert _state(gw_a, pcx) == ("active", "Active")
    assert _read(gw_a, pcx)["ExpirationDate"] == created["ExpirationDate"]


def test_accept_answer_differs_from_a_read(gw_a, gw_b):
    # terraform-provider-outscale reads again after accepting; the simulator's answer
    # leaves out Tags (a guess at what differs).
    pcx = _create(gw_a)["NetPeeringId"]
    gw_b.CreateTags(ResourceIds=[pcx], Tags=[{"Key": "Name", "Value": "b"}])
    accepted = gw_b.AcceptNetPeering(NetPeeringId=pcx)["NetPeering"]
    read = _read(gw_b, pcx)
    assert "Tags" not in accepted and read["Tags"] == [{"Key": "Name", "Value": "b"}]
    assert {k: v for k, v in read.items() if k != "Tags"} == accepted


def test_only_the_accepter_owner_accepts_or_rejects(gw_a, gw_b):
    pcx = _create(gw_a)["NetPeeringId"]
    _refused(gw_a.AcceptNetPeering, 401, "5", NetPeeringId=pcx)
    _refused(gw_a.RejectNetPeering, 401, "5", NetPeeringId=pcx)
    assert _state(gw_b, pcx)[0] == "pending-acceptance"


def test_same_account_peering_is_accepted_by_that_account(gw_a):
    pcx = _create(gw_a, NET_A1, NET_A2, owner=None)["NetPeeringId"]
    assert gw_a.AcceptNetPeering(NetPeeringId=pcx)["NetPeering"]["State"]["Name"] == "active"


def test_unknown_peering(gw_a, gw_b):
    for call in (gw_b.AcceptNetPeering, gw_b.RejectNetPeering, gw_a.DeleteNetPeering):
        _refused(call, 400, "5035", NetPeeringId="pcx-0badf00d")


def test_peering_of_other_accounts_is_invisible(sim, gw_a):
    (pcx,) = sim.bulk_peerings(B, 1, state="pending-acceptance")
    assert _read(gw_a, pcx) is None
    _refused(gw_a.DeleteNetPeering, 400, "5035", NetPeeringId=pcx)
    _refused(gw_a.CreateTags, 400, "5035", ResourceIds=[pcx], Tags=[{"Key": "k", "Value": "v"}])


def test_reject(gw_a, gw_b):
    pcx = _create(gw_a)["NetPeeringId"]
    assert set(gw_b.RejectNetPeering(NetPeeringId=pcx)) == {"ResponseContext"}
    assert _state(gw_a, pcx) == ("rejected", f"Rejected by {B}")


@pytest.mark.parametrize("end", ["accept", "reject", "delete"])
def test_accept_or_reject_when_not_pending(gw_a, gw_b, end):
    pcx = _create(gw_a)["NetPeeringId"]
    if end == "accept":
        gw_b.AcceptNetPeering(NetPeeringId=pcx)
    elif end == "reject":
        gw_b.RejectNetPeering(NetPeeringId=pcx)
    else:
        gw_a.DeleteNetPeering(NetPeeringId=pcx)
    for call in (gw_b.AcceptNetPeering, gw_b.RejectNetPeering):
        body = _refused(call, 409, "6003", NetPeeringId=pcx)
        assert body["Errors"][0]["Type"] == "InvalidState"


def test_accept_or_reject_a_failed_peering(gw_a):
    net = gw_a.CreateNet(IpRange="10.2.0.0/24")["Net"]
    pcx = _create(gw_a, NET_A2, net["NetId"], owner=None)["NetPeeringId"]
    _refused(gw_a.AcceptNetPeering, 409, "6003", NetPeeringId=pcx)
    _refused(gw_a.RejectNetPeering, 409, "6003", NetPeeringId=pcx)


def test_accepting_rejects_the_pending_reverse_peering(gw_a, gw_b):
    # Documented (AcceptNetPeering) and modelled: accepting A->B rejects a pending B->A.
    forward = _create(gw_a)["NetPeeringId"]
    reverse = _create(gw_b, NET_B1, NET_A1, owner=A)["NetPeeringId"]
    gw_b.AcceptNetPeering(NetPeeringId=forward)
    name, message = _state(gw_a, reverse)
    assert name == "rejected" and message.startswith("Rejected by") and forward in message
    assert _state(gw_a, forward)[0] == "active"


# ----- delete ------------------------------------------------------------------------------


def test_delete_active_by_either_owner(gw_a, gw_b):
    first = _create(gw_a)["NetPeeringId"]
    gw_b.AcceptNetPeering(NetPeeringId=first)
    assert set(gw_b.DeleteNetPeering(NetPeeringId=first)) == {"ResponseContext"}
    assert _state(gw_a, first) == ("deleted", f"Deleted by {B}")
    second = _create(gw_a)["NetPeeringId"]
    gw_b.AcceptNetPeering(NetPeeringId=second)
    gw_a.DeleteNetPeering(NetPeeringId=second)
    assert _state(gw_b, second) == ("deleted", f"Deleted by {A}")


def test_delete_pending_only_by_requester(gw_a, gw_b):
    pcx = _create(gw_a)["NetPeeringId"]
    _refused(gw_b.DeleteNetPeering, 401, "5", NetPeeringId=pcx)
    gw_a.DeleteNetPeering(NetPeeringId=pcx)
    assert _state(gw_b, pcx) == ("deleted", f"Deleted by {A}")


@pytest.mark.parametrize("end,name", [("reject", "rejected"), ("delete", "deleted"), ("expire", "expired")])
def test_ended_peerings_cannot_be_deleted(sim, gw_a, gw_b, end, name):
    pcx = _create(gw_a)["NetPeeringId"]
    if end == "reject":
        gw_b.RejectNetPeering(NetPeeringId=pcx)
    elif end == "delete":
        gw_a.DeleteNetPeering(NetPeeringId=pcx)
    else:
        sim.advance_clock(7 * DAY + 1)
    body = _refused(gw_a.DeleteNetPeering, 409, "9029", NetPeeringId=pcx)
    assert f"is {name} and cannot be deleted" in body["Errors"][0]["Details"]


def test_failed_peering_cannot_be_deleted(gw_a):
    net = gw_a.CreateNet(IpRange="10.1.0.0/20")["Net"]
    pcx = _create(gw_a, NET_A2, net["NetId"], owner=None)["NetPeeringId"]
    pcx = _create(gw_a, NET_A1, net["NetId"], owner=None)["NetPeeringId"]
    _refused(gw_a.DeleteNetPeering, 409, "9029", NetPeeringId=pcx)


# ----- time ----------------------------------------------------------------------------------


def test_pending_expires_after_seven_days(sim, gw_a, gw_b):
    peering = _create(gw_a)
    pcx = peering["NetPeeringId"]
    sim.advance_clock(7 * DAY - 5)
    assert _state(gw_a, pcx)[0] == "pending-acceptance"
    sim.advance_clock(10)
    assert _state(gw_a, pcx) == ("expired", "Expired")
    assert _read(gw_b, pcx)["ExpirationDate"] == peering["ExpirationDate"]
    _refused(gw_b.AcceptNetPeering, 409, "6003", NetPeeringId=pcx)


def test_accepted_peering_does_not_expire(sim, gw_a, gw_b):
    pcx = _create(gw_a)["NetPeeringId"]
    gw_b.AcceptNetPeering(NetPeeringId=pcx)
    sim.advance_clock(30 * DAY)
    assert _state(gw_a, pcx) == ("active", "Active")


@pytest.mark.parametrize("end", ["reject", "delete", "expire", "fail"])
def test_ended_peerings_disappear_after_an_hour(sim, gw_a, gw_b, end):
    if end == "fail":
        net = gw_a.CreateNet(IpRange="10.1.0.0/24")["Net"]
        pcx = _create(gw_a, NET_A1, net["NetId"], owner=None)["NetPeeringId"]
    else:
        pcx = _create(gw_a)["NetPeeringId"]
    gw_a.CreateTags(ResourceIds=[pcx], Tags=[{"Key": "k", "Value": "v"}])
    if end == "reject":
        gw_b.RejectNetPeering(NetPeeringId=pcx)
    elif end == "delete":
        gw_a.DeleteNetPeering(NetPeeringId=pcx)
    elif end == "expire":
        sim.advance_clock(7 * DAY)
    sim.advance_clock(3600 - 5)
    assert _read(gw_a, pcx) is not None
    sim.advance_clock(10)
    assert _read(gw_a, pcx) is None
    assert pcx not in sim.store.tags
    _refused(gw_a.DeleteNetPeering, 400, "5035", NetPeeringId=pcx)


def test_expired_long_ago_is_gone_at_once(sim, gw_a):
    pcx = _create(gw_a)["NetPeeringId"]
    sim.advance_clock(8 * DAY)
    assert _read(gw_a, pcx) is None


def test_accept_delay_on_the_simulated_clock(sim, gw_a, gw_b):
    sim.set_accept_delay(120)
    pcx = _create(gw_a)["NetPeeringId"]
    accepted = gw_b.AcceptNetPeering(NetPeeringId=pcx)["NetPeering"]
    assert accepted["State"]["Name"] == "pending-acceptance"
    assert _state(gw_a, pcx)[0] == "pending-acceptance"
    # Accepting again while provisioning succeeds; rejecting does not.
    assert gw_b.AcceptNetPeering(NetPeeringId=pcx)["NetPeering"]["State"]["Name"] == "pending-acceptance"
    _refused(gw_b.RejectNetPeering, 409, "6003", NetPeeringId=pcx)
    sim.advance_clock(119)
    assert _state(gw_a, pcx)[0] == "pending-acceptance"
    sim.advance_clock(2)
    assert _state(gw_a, pcx) == ("active", "Active")


def test_accept_delay_passes_with_wall_clock_time(sim, gw_a, gw_b):
    sim.set_accept_delay(0.3)
    pcx = _create(gw_a)["NetPeeringId"]
    gw_b.AcceptNetPeering(NetPeeringId=pcx)
    assert _state(gw_a, pcx)[0] == "pending-acceptance"
    deadline = time.monotonic() + 5
    while _state(gw_a, pcx)[0] != "active":
        assert time.monotonic() < deadline, "never turned active"
        time.sleep(0.05)


def test_accept_delay_peering_does_not_expire(sim, gw_a, gw_b):
    sim.set_accept_delay(30 * DAY)
    pcx = _create(gw_a)["NetPeeringId"]
    gw_b.AcceptNetPeering(NetPeeringId=pcx)
    sim.advance_clock(8 * DAY)
    assert _state(gw_a, pcx)[0] == "pending-acceptance"
    # Either owner may delete an accepted peering, even while it provisions.
    gw_b.DeleteNetPeering(NetPeeringId=pcx)
    assert _state(gw_a, pcx)[0] == "deleted"


# ----- tags -----------------------------------------------------------------------------------


def test_tags_are_per_account(gw_a, gw_b):
    pcx = _create(gw_a)["NetPeeringId"]
    gw_a.CreateTags(ResourceIds=[pcx], Tags=[{"Key": "Name", "Value": "from-a"}])
    gw_b.CreateTags(ResourceIds=[pcx], Tags=[{"Key": "Name", "Value": "from-b"}, {"Key": "env", "Value": "prod"}])
    assert _read(gw_a, pcx)["Tags"] == [{"Key": "Name", "Value": "from-a"}]
    assert _read(gw_b, pcx)["Tags"] == [{"Key": "Name", "Value": "from-b"}, {"Key": "env", "Value": "prod"}]
    gw_b.AcceptNetPeering(NetPeeringId=pcx)
    assert _read(gw_a, pcx)["Tags"] == [{"Key": "Name", "Value": "from-a"}]


def test_create_tags_overwrites_a_value(gw_a):
    pcx = _create(gw_a)["NetPeeringId"]
    gw_a.CreateTags(ResourceIds=[pcx], Tags=[{"Key": "Name", "Value": "one"}])
    gw_a.CreateTags(ResourceIds=[pcx], Tags=[{"Key": "Name", "Value": "two"}])
    assert _read(gw_a, pcx)["Tags"] == [{"Key": "Name", "Value": "two"}]


def test_delete_tags_value_must_match(gw_a):
    pcx = _create(gw_a)["NetPeeringId"]
    gw_a.CreateTags(
        ResourceIds=[pcx], Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}, {"Key": "c", "Value": ""}]
    )
    gw_a.DeleteTags(ResourceIds=[pcx], Tags=[{"Key": "a", "Value": "other"}])
    assert [t["Key"] for t in _read(gw_a, pcx)["Tags"]] == ["a", "b", "c"]
    gw_a.DeleteTags(ResourceIds=[pcx], Tags=[{"Key": "a", "Value": "1"}])
    assert [t["Key"] for t in _read(gw_a, pcx)["Tags"]] == ["b", "c"]
    # An empty Value deletes the key whatever its value.
    gw_a.DeleteTags(
        ResourceIds=[pcx], Tags=[{"Key": "b", "Value": ""}, {"Key": "c", "Value": ""}, {"Key": "zz", "Value": ""}]
    )
    assert _read(gw_a, pcx)["Tags"] == []


def test_delete_tags_touches_only_the_callers_tags(gw_a, gw_b):
    pcx = _create(gw_a)["NetPeeringId"]
    gw_a.CreateTags(ResourceIds=[pcx], Tags=[{"Key": "k", "Value": "v"}])
    gw_b.CreateTags(ResourceIds=[pcx], Tags=[{"Key": "k", "Value": "v"}])
    gw_b.DeleteTags(ResourceIds=[pcx], Tags=[{"Key": "k", "Value": "v"}])
    assert _read(gw_a, pcx)["Tags"] == [{"Key": "k", "Value": "v"}]
    assert _read(gw_b, pcx)["Tags"] == []


def test_tag_limits_and_missing_resources(gw_a):
    pcx = _create(gw_a)["NetPeeringId"]
    _refused(gw_a.CreateTags, 400, "4069", ResourceIds=[pcx], Tags=[{"Key": "", "Value": "v"}])
    _refused(gw_a.CreateTags, 400, "4069", ResourceIds=[pcx], Tags=[{"Key": "k" * 256, "Value": "v"}])
    _refused(gw_a.CreateTags, 400, "4071", ResourceIds=[pcx], Tags=[{"Key": "k", "Value": "v" * 256}])
    gw_a.CreateTags(ResourceIds=[pcx], Tags=[{"Key": "k" * 255, "Value": "v" * 255}])
    _refused(gw_a.CreateTags, 400, "5035", ResourceIds=["pcx-0badf00d"], Tags=[{"Key": "k", "Value": "v"}])
    _refused(gw_a.CreateTags, 400, "5065", ResourceIds=[NET_B1], Tags=[{"Key": "k", "Value": "v"}])
    _refused(gw_a.CreateTags, 400, "7000", ResourceIds=[], Tags=[{"Key": "k", "Value": "v"}])
    many = [{"Key": f"k{i}", "Value": "v"} for i in range(50)]
    _refused(gw_a.CreateTags, 400, "10041", ResourceIds=[pcx], Tags=many)
    # All or nothing: a bad resource in the list leaves the good one untouched.
    _refused(gw_a.CreateTags, 400, "5035", ResourceIds=[NET_A1, "pcx-0badf00d"], Tags=[{"Key": "x", "Value": "y"}])
    assert gw_a.ReadNets(Filters={"NetIds": [NET_A1]})["Nets"][0]["Tags"] == []


# ----- Nets ------------------------------------------------------------------------------------


def test_create_read_delete_net(gw_a, gw_b):
    net = gw_a.CreateNet(IpRange="192.168.0.0/16", Tenancy="dedicated")["Net"]
    assert net["NetId"].startswith("vpc-") and len(net["NetId"]) == 12
    assert (net["IpRange"], net["State"], net["Tenancy"]) == ("192.168.0.0/16", "available", "dedicated")
    assert net["NetId"] in [n["NetId"] for n in gw_a.ReadNets()["Nets"]]
    assert net["NetId"] not in [n["NetId"] for n in gw_b.ReadNets()["Nets"]]
    _refused(gw_b.DeleteNet, 400, "5065", NetId=net["NetId"])
    gw_a.DeleteNet(NetId=net["NetId"])
    assert net["NetId"] not in [n["NetId"] for n in gw_a.ReadNets()["Nets"]]
    _refused(gw_a.DeleteNet, 400, "5065", NetId=net["NetId"])


def test_create_net_checks_the_range(gw_a):
    _refused(gw_a.CreateNet, 400, "4047", IpRange="10.0.0.300/16")
    _refused(gw_a.CreateNet, 400, "4047", IpRange="10.0.0.1/16")  # host bits set
    _refused(gw_a.CreateNet, 400, "4015", IpRange="10.0.0.0/8")
    _refused(gw_a.CreateNet, 400, "4015", IpRange="10.0.0.0/29")


@pytest.mark.parametrize("accept", [False, True])
def test_delete_net_refused_while_it_has_peerings(gw_a, gw_b, accept):
    # Documented (DeleteNet): peerings must be deleted first. Guess: 409/9066.
    pcx = _create(gw_a)["NetPeeringId"]
    if accept:
        gw_b.AcceptNetPeering(NetPeeringId=pcx)
    body = _refused(gw_b.DeleteNet, 409, "9066", NetId=NET_B1)
    assert pcx in body["Errors"][0]["Details"]
    _refused(gw_a.DeleteNet, 409, "9066", NetId=NET_A1)
    _refused(lambda **params: gw_b.raw("DeleteNet", **params), 409, "9066", NetId=NET_B1, DryRun=True)
    assert _state(gw_a, pcx)[0] == ("active" if accept else "pending-acceptance")
    # Once the peering is deleted (ended peerings stay visible but do not block), it goes.
    gw_a.DeleteNetPeering(NetPeeringId=pcx)
    gw_b.DeleteNet(NetId=NET_B1)
    assert NET_B1 not in [n["NetId"] for n in gw_b.ReadNets()["Nets"]]
    # The ended peering keeps the ranges it was created with.
    assert _read(gw_a, pcx)["AccepterNet"]["IpRange"] == "10.3.0.0/16"
