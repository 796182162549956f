"""The two answers to "do the two accounts of a peering share its tags?" (a guess either way)."""

from __future__ import annotations

import pytest
import requests

from simulator import Simulator, load_seed
from simulator.server import DEMO_SEED

from .conftest import NET_A1, NET_A2, NET_B1, A, B, gateway


def _tags(gw, pcx: str) -> dict:
    (peering,) = gw.ReadNetPeerings(Filters={"NetPeeringIds": [pcx]})["NetPeerings"]
    return {tag["Key"]: tag["Value"] for tag in peering["Tags"]}


def _cross_peering(sim) -> tuple:
    gw_a, gw_b = gateway(sim, A), gateway(sim, B)
    pcx = gw_a.CreateNetPeering(SourceNetId=NET_A1, AccepterNetId=NET_B1, AccepterOwnerId=B)["NetPeering"][
        "NetPeeringId"
    ]
    return gw_a, gw_b, pcx


def test_default_each_account_sees_its_own_tags(sim):
    gw_a, gw_b, pcx = _cross_peering(sim)
    gw_a.CreateTags(ResourceIds=[pcx], Tags=[{"Key": "side", "Value": "a"}])
    gw_b.CreateTags(ResourceIds=[pcx], Tags=[{"Key": "team", "Value": "b"}])
    assert _tags(gw_a, pcx) == {"side": "a"}
    assert _tags(gw_b, pcx) == {"team": "b"}
    gw_b.DeleteTags(ResourceIds=[pcx], Tags=[{"Key": "side", "Value": ""}])
    assert _tags(gw_a, pcx) == {"side": "a"}
    assert requests.get(f"{sim.base_url}/_sim/health", timeout=10).json()["tags_shared_across_accounts"] is False


def test_shared_both_accounts_read_and_write_one_set():
    with Simulator(tags_shared_across_accounts=True) as sim:
        gw_a, gw_b, pcx = _cross_peering(sim)
        gw_a.CreateTags(ResourceIds=[pcx], Tags=[{"Key": "side", "Value": "a"}])
        gw_b.CreateTags(ResourceIds=[pcx], Tags=[{"Key": "team", "Value": "b"}])
        assert _tags(gw_a, pcx) == _tags(gw_b, pcx) == {"side": "a", "team": "b"}
        # One account overwrites and deletes the other's tags.
        gw_b.CreateTags(ResourceIds=[pcx], Tags=[{"Key": "side", "Value": "b"}])
        assert _tags(gw_a, pcx)["side"] == "b"
        gw_b.DeleteTags(ResourceIds=[pcx], Tags=[{"Key": "side", "Value": ""}])
        assert _tags(gw_a, pcx) == {"team": "b"}
        # The AcceptNetPeering answer still has no Tags; a read has the shared ones.
        accepted = gw_b.AcceptNetPeering(NetPeeringId=pcx)["NetPeering"]
        assert "Tags" not in accepted
        assert _tags(gw_b, pcx) == {"team": "b"}
        assert requests.get(f"{sim.base_url}/_sim/health", timeout=10).json()["tags_shared_across_accounts"] is True


def test_shared_counts_the_tag_limit_on_the_shared_set():
    with Simulator(tags_shared_across_accounts=True) as sim:
        gw_a, gw_b, pcx = _cross_peering(sim)
        gw_a.CreateTags(ResourceIds=[pcx], Tags=[{"Key": f"a{i}", "Value": ""} for i in range(30)])
        with pytest.raises(requests.HTTPError) as caught:
            gw_b.CreateTags(ResourceIds=[pcx], Tags=[{"Key": f"b{i}", "Value": ""} for i in range(21)])
        assert caught.value.response.json()["Errors"][0]["Code"] == "10041"


def test_shared_leaves_net_tags_and_same_account_peerings_alone():
    with Simulator(tags_shared_across_accounts=True) as sim:
        gw_a = gateway(sim, A)
        gw_a.CreateTags(ResourceIds=[NET_A1], Tags=[{"Key": "net", "Value": "a1"}])
        (net,) = gw_a.ReadNets(Filters={"NetIds": [NET_A1]})["Nets"]
        assert net["Tags"] == [{"Key": "net", "Value": "a1"}]
        pcx = gw_a.CreateNetPeering(SourceNetId=NET_A1, AccepterNetId=NET_A2)["NetPeering"]["NetPeeringId"]
        gw_a.CreateTags(ResourceIds=[pcx], Tags=[{"Key": "k", "Value": "v"}])
        assert _tags(gw_a, pcx) == {"k": "v"}


def test_shared_from_the_seed_survives_reset_and_the_constructor_wins():
    seed = dict(load_seed(DEMO_SEED), tags_shared_across_accounts=True)
    with Simulator(seed=seed) as sim:
        assert sim.store.tags_shared_across_accounts is True
        sim.reset()
        gw_a, gw_b, pcx = _cross_peering(sim)
        gw_a.CreateTags(ResourceIds=[pcx], Tags=[{"Key": "side", "Value": "a"}])
        assert _tags(gw_b, pcx) == {"side": "a"}
    assert Simulator(seed=seed, tags_shared_across_accounts=False).store.tags_shared_across_accounts is False


def test_seed_value_must_be_a_boolean():
    seed = dict(load_seed(DEMO_SEED), tags_shared_across_accounts="yes")
    with pytest.raises(ValueError, match="tags_shared_across_accounts must be true or false"):
        Simulator(seed=seed)
