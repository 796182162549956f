"""The 13 filters of FiltersNetPeering (AND across filters, OR inside one) and FiltersNet."""

from __future__ import annotations

import pytest

from .conftest import NET_A1, NET_A2, NET_B1, A, B, api_error, error_code


@pytest.fixture
def world(sim, gw_a, gw_b):
    """Four peerings seen by A in distinct states, with tags, plus one A cannot see."""
    net_a3 = gw_a.CreateNet(IpRange="10.4.0.0/16")["Net"]["NetId"]
    net_a4 = gw_a.CreateNet(IpRange="10.1.2.0/24")["Net"]["NetId"]  # inside vpc-a1a1a1a1
    active = gw_a.CreateNetPeering(SourceNetId=NET_A1, AccepterNetId=NET_B1, AccepterOwnerId=B)["NetPeering"]
    gw_b.AcceptNetPeering(NetPeeringId=active["NetPeeringId"])
    pending = gw_a.CreateNetPeering(SourceNetId=NET_A2, AccepterNetId=net_a3)["NetPeering"]
    failed = gw_a.CreateNetPeering(SourceNetId=NET_A1, AccepterNetId=net_a4)["NetPeering"]
    incoming = gw_b.CreateNetPeering(SourceNetId=NET_B1, AccepterNetId=NET_A2, AccepterOwnerId=A)["NetPeering"]
    gw_a.RejectNetPeering(NetPeeringId=incoming["NetPeeringId"])
    sim.bulk_peerings(B, 1, state="active")  # B's own, invisible to A
    gw_a.CreateTags(
        ResourceIds=[active["NetPeeringId"]], Tags=[{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "net"}]
    )
    gw_a.CreateTags(ResourceIds=[pending["NetPeeringId"]], Tags=[{"Key": "env", "Value": "dev"}])
    gw_a.CreateTags(ResourceIds=[failed["NetPeeringId"]], Tags=[{"Key": "team", "Value": "prod"}])
    # B's tags on the shared peering must not match A's filters.
    gw_b.CreateTags(ResourceIds=[active["NetPeeringId"]], Tags=[{"Key": "owner", "Value": "b"}])
    return {
        "active": active["NetPeeringId"],
        "pending": pending["NetPeeringId"],
        "failed": failed["NetPeeringId"],
        "rejected": incoming["NetPeeringId"],
        "net_a3": net_a3,
        "net_a4": net_a4,
        "pending_expiration": pending["ExpirationDate"],
    }


def _ids(gw, **filters) -> set:
    return {p["NetPeeringId"] for p in gw.ReadNetPeerings(Filters=filters)["NetPeerings"]}


def test_no_filter_shows_every_visible_peering(gw_a, world):
    assert _ids(gw_a) == {world["active"], world["pending"], world["failed"], world["rejected"]}


def test_accepter_net_account_ids(gw_a, world):
    assert _ids(gw_a, AccepterNetAccountIds=[B]) == {world["active"]}
    assert _ids(gw_a, AccepterNetAccountIds=[A]) == {world["pending"], world["failed"], world["rejected"]}
    assert _ids(gw_a, AccepterNetAccountIds=[A, B]) == _ids(gw_a)


def test_accepter_net_ip_ranges(gw_a, world):
    assert _ids(gw_a, AccepterNetIpRanges=["10.3.0.0/16"]) == {world["active"]}
    assert _ids(gw_a, AccepterNetIpRanges=["10.4.0.0/16", "10.1.2.0/24"]) == {world["pending"], world["failed"]}


def test_accepter_net_net_ids(gw_a, world):
    assert _ids(gw_a, AccepterNetNetIds=[NET_A2]) == {world["rejected"]}
    assert _ids(gw_a, AccepterNetNetIds=[world["net_a3"], NET_B1]) == {world["pending"], world["active"]}


def test_expiration_dates(gw_a, world):
    expiration = world["pending_expiration"]
    assert _ids(gw_a, ExpirationDates=[expiration]) == {world["pending"]}
    # The same instant written another way still matches.
    other_form = expiration.replace("Z", "+00:00")
    assert _ids(gw_a, ExpirationDates=[other_form]) == {world["pending"]}
    assert _ids(gw_a, ExpirationDates=["2001-01-01T00:00:00.000Z"]) == set()


def test_net_peering_ids(gw_a, world):
    assert _ids(gw_a, NetPeeringIds=[world["active"], world["failed"], "pcx-0badf00d"]) == {
        world["active"],
        world["failed"],
    }


def test_source_net_account_ids(gw_a, world):
    assert _ids(gw_a, SourceNetAccountIds=[B]) == {world["rejected"]}
    assert _ids(gw_a, SourceNetAccountIds=[A]) == {world["active"], world["pending"], world["failed"]}


def test_source_net_ip_ranges(gw_a, world):
    assert _ids(gw_a, SourceNetIpRanges=["10.1.0.0/16"]) == {world["active"], world["failed"]}
    assert _ids(gw_a, SourceNetIpRanges=["10.2.0.0/16", "10.3.0.0/16"]) == {world["pending"], world["rejected"]}


def test_source_net_net_ids(gw_a, world):
    assert _ids(gw_a, SourceNetNetIds=[NET_B1]) == {world["rejected"]}
    assert _ids(gw_a, SourceNetNetIds=[NET_A2]) == {world["pending"]}


def test_state_messages(gw_a, world):
    assert _ids(gw_a, StateMessages=["Active"]) == {world["active"]}
    assert _ids(gw_a, StateMessages=[f"Pending acceptance by {A}", f"Rejected by {A}"]) == {
        world["pending"],
        world["rejected"],
    }


def test_state_names(gw_a, world):
    assert _ids(gw_a, StateNames=["active"]) == {world["active"]}
    assert _ids(gw_a, StateNames=["failed", "rejected"]) == {world["failed"], world["rejected"]}
    assert _ids(gw_a, StateNames=["deleted", "expired"]) == set()


def test_tag_keys(gw_a, gw_b, world):
    assert _ids(gw_a, TagKeys=["env"]) == {world["active"], world["pending"]}
    assert _ids(gw_a, TagKeys=["team", "nothing"]) == {world["active"], world["failed"]}
    assert _ids(gw_a, TagKeys=["owner"]) == set()  # B's tag
    assert {p["NetPeeringId"] for p in gw_b.ReadNetPeerings(Filters={"TagKeys": ["owner"]})["NetPeerings"]} == {
        world["active"]
    }


def test_tag_values(gw_a, world):
    assert _ids(gw_a, TagValues=["prod"]) == {world["active"], world["failed"]}
    assert _ids(gw_a, TagValues=["dev", "net"]) == {world["active"], world["pending"]}


def test_tags_key_equals_value(gw_a, world):
    assert _ids(gw_a, Tags=["env=prod"]) == {world["active"]}
    assert _ids(gw_a, Tags=["team=prod"]) == {world["failed"]}
    assert _ids(gw_a, Tags=["env=dev", "team=prod"]) == {world["pending"], world["failed"]}
    assert _ids(gw_a, Tags=["env=prod=x"]) == set()


def test_tags_filter_needs_key_equals_value(gw_a, world):
    status, body = api_error(gw_a.ReadNetPeerings, Filters={"Tags": ["env"]})
    assert (status, error_code(body)) == (400, "4023")


def test_filters_are_anded(gw_a, world):
    assert _ids(gw_a, SourceNetNetIds=[NET_A1], StateNames=["active"]) == {world["active"]}
    assert _ids(gw_a, SourceNetNetIds=[NET_A1], StateNames=["pending-acceptance"]) == set()
    assert _ids(gw_a, TagKeys=["env"], TagValues=["dev"], AccepterNetAccountIds=[A]) == {world["pending"]}


def test_empty_value_list_is_ignored(gw_a, world):
    assert _ids(gw_a, StateNames=[]) == _ids(gw_a)


def test_every_peering_filter_is_covered():
    from simulator.spec import document  # pylint: disable=import-outside-toplevel

    declared = set(document()["components"]["schemas"]["FiltersNetPeering"]["properties"])
    tested = {name[len("test_") :] for name in globals() if name.startswith("test_")}
    snake = {"".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_") for name in declared}
    assert len(declared) == 13
    assert snake - {"tags"} <= tested and "tags_key_equals_value" in tested


def test_net_filters(gw_a):
    net = gw_a.CreateNet(IpRange="172.16.0.0/16")["Net"]["NetId"]
    gw_a.CreateTags(ResourceIds=[net], Tags=[{"Key": "Name", "Value": "third"}])

    def ids(**filters):
        return {n["NetId"] for n in gw_a.ReadNets(Filters=filters)["Nets"]}

    assert ids(NetIds=[net, NET_A2]) == {net, NET_A2}
    assert ids(IpRanges=["10.1.0.0/16"]) == {NET_A1}
    assert ids(States=["available"]) == {NET_A1, NET_A2, net}
    assert ids(TagKeys=["Name"]) == ids(TagValues=["third"]) == ids(Tags=["Name=third"]) == {net}
    assert ids(IsDefault=True) == set()
    assert ids(DhcpOptionsSetIds=["default"], IpRanges=["172.16.0.0/16"]) == {net}
