"""outscale.cloud.net_peerings: main() against the simulator over a real socket.

A topology of 6 Nets in account A and 2 in account B: a full mesh of A's Nets
(15 pairs) plus A1 peered with each of B's Nets (2 cross-account pairs).
"""

import json

import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.outscale.cloud.plugins.modules import net_peerings

A, B = "111111111111", "222222222222"
KEYS_A = {"access_key": "AKTOPOLOGYACCOUNTA01", "secret_key": "SKtopologySecretA00000000000000000000001"}
KEYS_B = {"access_key": "AKTOPOLOGYACCOUNTB01", "secret_key": "SKtopologySecretB00000000000000000000001"}
NETS_A = [f"vpc-a000000{i}" for i in range(6)]
NETS_B = [f"vpc-b000000{i}" for i in range(2)]
MESH = [(NETS_A[i], NETS_A[j]) for i in range(6) for j in range(i + 1, 6)]


@pytest.fixture
def demo_seed():
    """Overrides the plugin's seed: more Nets, disjoint ranges."""

    def nets(ids, base):
        return [{"net_id": net_id, "ip_range": f"10.{base + i}.0.0/16"} for i, net_id in enumerate(ids)]

    return {
        "region": "eu-west-2",
        "accounts": [
            dict(account_id=A, nets=nets(NETS_A, 10), **KEYS_A),
            dict(account_id=B, nets=nets(NETS_B, 50), **KEYS_B),
        ],
    }


def topology(cross=True, tags=None):
    items = [{"source_net_id": s, "accepter_net_id": a} for s, a in MESH]
    if cross:
        items += [{"source_net_id": NETS_A[0], "accepter_net_id": b, "accepter_owner_id": B} for b in NETS_B]
    if tags:
        for item in items:
            item["tags"] = dict(tags)
    return items


class Topo:
    def __init__(self, simulator, capsys):
        self.simulator = simulator
        self.capsys = capsys

    def run(self, peerings, check_mode=False, diff=False, **args):
        full = dict(
            endpoint=self.simulator.url,
            region="eu-west-2",
            max_retries=8,
            retry_max_time=30,
            peerings=peerings,
            accepter_credentials=[dict(account_id=B, **KEYS_B)],
            **KEYS_A,
        )
        full.update(args)
        if check_mode:
            full["_ansible_check_mode"] = True
        if diff:
            full["_ansible_diff"] = True
        self.simulator.clear_log()
        with patch_module_args(full):
            with pytest.raises(SystemExit):
                net_peerings.main()
        return json.loads(self.capsys.readouterr().out)

    def calls(self, with_accounts=False):
        entries = [e for e in self.simulator.log() if not e.get("throttled")]
        return [(e["action"], e["account_id"]) if with_accounts else e["action"] for e in entries]

    def live(self):
        return [p for p in self.simulator.store.peerings.values() if p.state in ("pending-acceptance", "active")]


@pytest.fixture
def topo(osc_simulator, capsys):
    return Topo(osc_simulator, capsys)


def test_converge_then_nothing_to_change_in_one_read(topo):
    result = topo.run(topology(tags={"env": "test"}), scope_tags={"topology": "unit"})
    assert result["changed"] and not result.get("failed"), result.get("msg")
    assert result["summary"] == {
        "created": 17,
        "accepted": 17,
        "rejected": 0,
        "deleted": 0,
        "retagged": 17,
        "unchanged": 0,
        "failed": 0,
    }
    assert all(p["state"]["name"] == "active" for p in result["net_peerings"]) and len(result["net_peerings"]) == 17
    assert result["net_peerings"][0]["tags"] == {"env": "test", "topology": "unit"}
    calls = topo.calls(with_accounts=True)
    assert calls[0] == ("ReadNetPeerings", A) and calls[1] == ("ReadNets", B)  # one read, then the accepter proven
    assert sum(1 for c in calls if c == ("AcceptNetPeering", B)) == 2 and len(topo.live()) == 17
    # Nothing to change: one ReadNetPeerings, whatever the number of peerings.
    again = topo.run(topology(tags={"env": "test"}), scope_tags={"topology": "unit"})
    assert not again["changed"] and again["summary"]["unchanged"] == 17
    assert topo.calls() == ["ReadNetPeerings"]


def test_check_mode_predicts_with_reads_only(topo):
    result = topo.run(topology(), check_mode=True, diff=True)
    assert result["changed"] and result["summary"]["created"] == 17 and result["summary"]["accepted"] == 17
    assert set(topo.calls()) == {"ReadNetPeerings", "ReadNets"} and not topo.live()
    assert all(action["outcome"] == "planned" for action in result["actions"])
    after = result["diff"]["after"]
    assert len(after) == 17
    cross = after[f"{NETS_A[0]} -> {NETS_B[0]}"]
    assert cross["accepter_account_id"] == B and cross["state"] == "active" and cross["net_peering_id"] is None


def test_overridden_removes_only_scoped_unlisted_peerings(topo):
    topo.run(topology(cross=False), scope_tags={"topology": "unit"})
    # An unscoped peering made by hand between two listed-then-unlisted Nets' neighbours.
    unscoped = topo.run(
        [{"source_net_id": NETS_A[0], "accepter_net_id": NETS_B[0], "accepter_owner_id": B, "state": "present"}]
    )
    assert unscoped["changed"]
    keep = topology(cross=False)[:-3]  # drop 3 pairs from the list
    result = topo.run(keep, state="overridden", scope_tags={"topology": "unit"})
    assert result["summary"]["deleted"] == 3 and result["summary"]["unchanged"] == 12, result["summary"]
    live_pairs = {frozenset((p.source_net_id, p.accepter_net_id)) for p in topo.live()}
    assert frozenset((NETS_A[0], NETS_B[0])) in live_pairs  # no scope tags: never touched
    assert len(live_pairs) == 13


def test_overridden_needs_scope_tags(topo):
    result = topo.run(topology(), state="overridden")
    assert result["failed"] and "needs scope_tags" in result["msg"] and topo.calls() == []


def test_deleted_removes_the_listed_pairs_in_either_direction(topo):
    topo.run(topology(cross=False))
    reverse = [{"source_net_id": a, "accepter_net_id": s} for s, a in MESH[:4]]
    result = topo.run(reverse, state="deleted")
    assert result["summary"]["deleted"] == 4 and len(topo.live()) == 11
    assert topo.run(reverse, state="deleted")["changed"] is False


@pytest.mark.parametrize(
    "items, fragment",
    [
        (
            [
                {"source_net_id": NETS_A[0], "accepter_net_id": NETS_A[1]},
                {"source_net_id": NETS_A[1], "accepter_net_id": NETS_A[0]},
            ],
            "peerings[0] and peerings[1] name the same pair",
        ),
        ([{"source_net_id": NETS_A[0], "accepter_net_id": NETS_A[1]}] * 2, "name the same pair"),
        ([{"source_net_id": NETS_A[0], "accepter_net_id": NETS_A[0]}], "peerings[0] links vpc-a0000000 to itself"),
        (
            [{"source_net_id": "vpc-nope", "accepter_net_id": NETS_A[0]}],
            "peerings[0].source_net_id 'vpc-nope' is not a Net ID",
        ),
        (
            [{"source_net_id": NETS_A[0], "accepter_net_id": NETS_B[0], "accepter_owner_id": "22"}],
            "is not a 12-digit account ID",
        ),
    ],
)
def test_invalid_lists_fail_before_any_call(topo, items, fragment):
    result = topo.run(items)
    assert result["failed"] and fragment in result["msg"] and topo.calls() == []


def test_one_failing_pair_never_stops_the_others_and_a_rerun_resumes(topo):
    items = topology(cross=False)
    items.insert(3, {"source_net_id": NETS_A[0], "accepter_net_id": "vpc-0000dead"})  # no such Net
    result = topo.run(items)
    assert result["failed"] and result["summary"]["failed"] == 1 and result["summary"]["created"] == 15
    (failure,) = result["failures"]
    assert failure["accepter_net_id"] == "vpc-0000dead" and failure["api_error"]["code"] == "5065"
    assert "1 of 16 peerings failed" in result["msg"] and "Net ID" in failure["msg"]
    assert result["changed"] and len(topo.live()) == 15
    rerun = topo.run(topology(cross=False))
    assert not rerun["changed"] and topo.calls() == ["ReadNetPeerings"]


def test_cross_account_without_credentials_fails_that_pair_only(topo):
    result = topo.run(topology(), accepter_credentials=[])
    assert result["failed"] and result["summary"]["failed"] == 2 and result["summary"]["created"] == 15
    assert all("Nothing was created" in failure["msg"] for failure in result["failures"])


def test_wrong_accepter_keys_are_found_before_any_write(topo):
    result = topo.run(topology(), accepter_credentials=[dict(account_id=B, **KEYS_A)])  # A's keys claimed as B's
    assert result["failed"] and result["summary"]["failed"] == 2
    assert all("cannot see" in failure["msg"] for failure in result["failures"])
    assert not any(p.accepter_net_id in NETS_B for p in topo.live())  # no half-made cross-account peering


def test_ambiguous_creates_are_adopted_never_duplicated(topo):
    topo.simulator.add_fault(action="CreateNetPeering", kind="drop_after", count=5)
    result = topo.run(topology(cross=False))
    assert not result.get("failed"), result.get("msg")
    assert result["summary"]["created"] == 15 and len(topo.live()) == 15


def test_parallel_writes_survive_throttling(topo):
    topo.simulator.add_fault(action="*", kind="throttle_429", ratio=0.3)
    result = topo.run(topology(), max_concurrent_writes=8)
    assert not result.get("failed"), result.get("msg")
    assert len(topo.live()) == 17 and all(p.state == "active" for p in topo.live())


def cross_only():
    return [{"source_net_id": NETS_A[0], "accepter_net_id": b, "accepter_owner_id": B} for b in NETS_B]


def test_overridden_rejects_a_scoped_request_it_received_even_when_no_listed_net_is_peered_yet(topo):
    # B requests B0 -> A0; A scope-tags it (state present adopts the reverse direction); then A overrides
    # with a list of unpeered Nets: the read alone cannot tell A's side, one ReadNets does.
    topo.run(
        [{"source_net_id": NETS_B[0], "accepter_net_id": NETS_A[0], "accepter_owner_id": A, "state": "present"}],
        accepter_credentials=[],
        **KEYS_B,
    )
    topo.run(
        [{"source_net_id": NETS_A[0], "accepter_net_id": NETS_B[0], "accepter_owner_id": B, "state": "present"}],
        scope_tags={"topology": "unit"},
        accepter_credentials=[],
    )
    result = topo.run(
        [{"source_net_id": NETS_A[1], "accepter_net_id": NETS_A[2]}],
        state="overridden",
        scope_tags={"topology": "unit"},
        accepter_credentials=[],
    )
    assert not result.get("failed"), result.get("msg")
    assert result["summary"]["rejected"] == 1 and result["summary"]["created"] == 1
    assert ("ReadNets", A) in topo.calls(with_accounts=True)


def test_unknown_accepter_key_failure_names_accepter_credentials(topo):
    wrong = {"access_key": "AKUNKNOWNKEY00000001", "secret_key": "SKunknown000000000000000000000000000001"}
    result = topo.run(cross_only(), accepter_credentials=[dict(account_id=B, **wrong)])
    assert result["failures"] and all("accepter_credentials" in f["msg"] for f in result["failures"])


def test_refused_pair_still_reports_the_peering_that_exists(topo):
    items = cross_only()[:1]
    topo.run([dict(items[0], state="present")], accepter_credentials=[])
    result = topo.run(items, accepter_credentials=[])  # accepted, and nobody can accept
    assert result["failed"] and result["summary"]["failed"] == 1
    assert result["net_peerings"][0]["state"]["name"] == "pending-acceptance"
