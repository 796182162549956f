"""outscale.cloud.net_peerings: main() against the simulator over a real socket.

A topology of 6 Nets in account A and 2 in account B: a full mesh of A's Nets
(15 pairs) plus A1 peered with each of B's Nets (2 cross-account pairs).
"""

import json
import os
import subprocess
import sys

import pytest

from ansible_collections.outscale.cloud.plugins.modules import net_peerings
from ansible_collections.outscale.cloud.tests.unit.plugins.modules.module_runs import run_main

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
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
        self.simulator.clear_log()
        return run_main(net_peerings, full, self.capsys, check_mode, diff)

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
    # One read, then one ReadNets per account for the Nets no peering shows (their ranges); B's also
    # proves its accepter_credentials, so the accepter check reads nothing more.
    assert calls[:3] == [("ReadNetPeerings", A), ("ReadNets", A), ("ReadNets", B)]
    assert calls.count(("ReadNets", B)) == 1 and calls.count(("ReadNets", A)) == 1
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
    # One line of counts, in the future tense, and one diff line per pair instead of whole objects.
    assert result["msg"] == "17 to create, 17 to accept, 0 unchanged, 0 failed"
    lines = result["diff"]["prepared"].splitlines()
    assert lines[0] == result["msg"] and len(lines) == 1 + 17
    assert f"+ {NETS_A[0]} -> {NETS_B[0]}: create, accept (absent -> active) accepter account {B}" in lines
    assert f"+ {NETS_A[0]} -> {NETS_A[1]}: create, accept (absent -> active)" in lines


def test_msg_says_what_was_done_in_one_line_of_counts(topo):
    done = topo.run(topology(), scope_tags={"topology": "unit"}, diff=True)
    assert done["msg"] == "17 created, 17 accepted, 17 retagged, 0 unchanged, 0 failed"
    peering_id = done["net_peerings"][0]["net_peering_id"]
    # One pair changes (a tag); the diff shows that pair alone, by its ID, with the tag change.
    items = topology()
    items[0]["tags"] = {"Name": "first"}
    again = topo.run(items, scope_tags={"topology": "unit"}, diff=True)
    assert again["msg"] == "1 retagged, 16 unchanged, 0 failed"
    assert again["diff"]["prepared"].splitlines()[1:] == [
        f"~ {NETS_A[0]} -> {NETS_A[1]} {peering_id}: tag (active -> active) tags +Name=first"
    ]


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
    # The reason the module gives is the one docs/topology.md gives.
    reason = "a missing or empty scope would make every peering of the account look like the task's"
    assert reason in result["msg"]
    with open(os.path.join(ROOT, "docs", "topology.md"), encoding="utf-8") as handle:
        assert reason in " ".join(handle.read().split())


def test_a_state_outside_the_choices_in_peerings_names_the_item_and_the_word(topo):
    items = topology(cross=False)[:3]
    items[1]["state"] = "active"
    result = topo.run(items)
    assert result["failed"] and topo.calls() == []
    assert result["msg"] == (
        "peerings[1].state is 'active'; it must be one of accepted, present. "
        "For a peering that is active, the word is 'accepted'."
    )


def test_ansible_doc_renders_the_net_peerings_return_value_in_plain_words():
    """The return value net_peerings once read 'in the shape of the `net_peering' (of module ...) result of ...'."""
    collections = os.path.dirname(
        os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(net_peerings.__file__))))
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_")}
    env.update(ANSIBLE_COLLECTIONS_PATH=collections, ANSIBLE_NOCOLOR="1", PAGER="cat")
    doc = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "ansible-doc"), "outscale.cloud.net_peerings"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stdout
    text = " ".join(doc.replace("[", "").replace("]", "").split())  # M(x) shows as [x] when not on a terminal
    assert "each in the shape of the `net_peering' that outscale.cloud.net_peering returns." in text
    assert "(of module outscale.cloud.net_peering) result of" not in text


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
        # Issue 19, defects 6 and 10: a final newline, and too many tags with the scope's.
        (
            [{"source_net_id": NETS_A[0] + "\n", "accepter_net_id": NETS_A[1]}],
            "peerings[0].source_net_id 'vpc-a0000000\\n' is not a Net ID",
        ),
        (
            [{"source_net_id": NETS_A[0], "accepter_net_id": NETS_B[0], "accepter_owner_id": B + "\n"}],
            "is not a 12-digit account ID",
        ),
        (
            [{"source_net_id": NETS_A[0], "accepter_net_id": NETS_A[1], "tags": {f"k{i}": "v" for i in range(51)}}],
            "peerings[0].tags: 51 tags, but a resource holds at most 50",
        ),
    ],
)
def test_invalid_lists_fail_before_any_call(topo, items, fragment):
    result = topo.run(items)
    assert result["failed"] and fragment in result["msg"] and topo.calls() == []


def test_tags_and_scope_tags_over_the_limit_together_fail_before_any_call(topo):
    items = [{"source_net_id": NETS_A[0], "accepter_net_id": NETS_A[1], "tags": {f"k{i}": "v" for i in range(50)}}]
    result = topo.run(items, scope_tags={"topology": "unit"})
    assert result["failed"] and "peerings[0].tags with scope_tags: 51 tags" in result["msg"]
    assert topo.calls() == [] and topo.live() == []


def test_one_failing_pair_never_stops_the_others_and_a_rerun_resumes(topo):
    items = topology(cross=False)
    items.insert(3, {"source_net_id": NETS_A[0], "accepter_net_id": "vpc-0000dead"})  # no such Net
    result = topo.run(items)
    assert result["failed"] and result["summary"]["failed"] == 1 and result["summary"]["created"] == 15
    (failure,) = result["failures"]
    # Found by the ReadNets before any write, not by a CreateNetPeering answering 5065.
    assert failure["accepter_net_id"] == "vpc-0000dead" and "api_error" not in failure
    assert "Net vpc-0000dead cannot be seen with this task's credentials" in failure["msg"]
    assert "1 of 16 peerings failed" in result["msg"] and "Net ID" in failure["msg"]
    assert not any(a["accepter_net_id"] == "vpc-0000dead" for a in result["actions"])
    assert result["changed"] and len(topo.live()) == 15
    rerun = topo.run(topology(cross=False))
    assert not rerun["changed"] and topo.calls() == ["ReadNetPeerings"]


def test_check_mode_fails_a_pair_whose_net_does_not_exist(topo):
    items = [{"source_net_id": NETS_A[0], "accepter_net_id": NETS_A[1]}]
    items.append({"source_net_id": NETS_A[0], "accepter_net_id": "vpc-0000dead"})
    result = topo.run(items, check_mode=True)
    assert result["failed"] and result["summary"]["failed"] == 1 and result["summary"]["created"] == 1
    (failure,) = result["failures"]
    assert "Net vpc-0000dead cannot be seen with this task's credentials in region eu-west-2" in failure["msg"]
    assert "check the Net ID" in failure["msg"]
    assert topo.calls(with_accounts=True) == [("ReadNetPeerings", A), ("ReadNets", A)]
    assert topo.live() == []


def test_overlapping_nets_are_refused_without_routes_before_any_write(topo):
    inside = topo.simulator.store.create_net(A, "10.10.1.0/24", "default")["NetId"]  # in NETS_A[0]'s 10.10.0.0/16
    items = [
        {"source_net_id": NETS_A[0], "accepter_net_id": inside},
        {"source_net_id": NETS_A[1], "accepter_net_id": inside},
    ]
    for check_mode in (True, False):
        result = topo.run(items, check_mode=check_mode)
        assert result["failed"] and result["summary"]["failed"] == 1
        failure = result["failures"][0]
        for word in (NETS_A[0], inside, "10.10.0.0/16", "10.10.1.0/24", "overlapping"):
            assert word in failure["msg"]
        assert not any(a["source_net_id"] == NETS_A[0] for a in result["actions"])
    assert [(p.source_net_id, p.accepter_net_id) for p in topo.live()] == [(NETS_A[1], inside)]


def test_a_rerun_makes_no_read_nets_and_a_net_of_an_account_without_credentials_is_not_read(topo):
    items = topology()
    result = topo.run(items, accepter_credentials=[])  # B's two Nets: no credentials, not checked
    assert result["failed"] and result["summary"]["failed"] == 2 and result["summary"]["created"] == 15
    assert ("ReadNets", B) not in topo.calls(with_accounts=True)
    assert topo.calls().count("ReadNets") == 1  # account A's Nets, with A's keys; B's Nets are not among them
    reads = [e for e in topo.simulator.log() if e["action"] == "ReadNets"]
    assert len(reads) == 1
    items = topology(cross=False)
    for check_mode in (True, False):
        result = topo.run(items, check_mode=check_mode)
        assert not result["changed"] and topo.calls() == ["ReadNetPeerings"]


def test_cross_account_without_credentials_fails_that_pair_only(topo):
    result = topo.run(topology(), accepter_credentials=[])
    assert result["failed"] and result["summary"]["failed"] == 2 and result["summary"]["created"] == 15
    assert all("Nothing was created" in failure["msg"] for failure in result["failures"])


def test_wrong_accepter_keys_are_found_before_any_write(topo):
    result = topo.run(topology(), accepter_credentials=[dict(account_id=B, **KEYS_A)])  # A's keys claimed as B's
    assert result["failed"] and result["summary"]["failed"] == 2
    expected = f"cannot be seen with the accepter_credentials of account {B}"
    assert all(expected in failure["msg"] for failure in result["failures"])
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


# -- issue 19, defect 4: two runs listing a pair in opposite directions -------------------------


def another_run_creates_first(topo, monkeypatch, pairs):
    """Before each of our creates of ``pairs``, "another run" creates the reverse peering (earlier)."""
    api, store, clock = topo.simulator.api, topo.simulator.store, topo.simulator.clock
    real = api._CreateNetPeering
    theirs = {}

    def create(caller, body, dry_run):
        pair = (body["SourceNetId"], body["AccepterNetId"])
        if pair in pairs and pair not in theirs:
            theirs[pair] = store.create_peering(caller, pair[1], pair[0], None)["NetPeeringId"]
            clock.advance(0.01)  # ours is made later: theirs is the one both runs keep
        return real(caller, body, dry_run)

    monkeypatch.setattr(api, "_CreateNetPeering", create)
    return theirs


def test_a_reverse_peering_created_meanwhile_wins_and_ours_is_removed(topo, monkeypatch):
    pairs = [(NETS_A[0], NETS_A[1]), (NETS_A[2], NETS_A[3])]
    theirs = another_run_creates_first(topo, monkeypatch, set(pairs))
    items = [
        {"source_net_id": s, "accepter_net_id": a, "state": "present"} for s, a in pairs + [(NETS_A[4], NETS_A[5])]
    ]
    result = topo.run(items)
    assert not result.get("failed"), result["msg"]
    assert sorted(p.peering_id for p in topo.live() if p.pair() != frozenset(NETS_A[4:6])) == sorted(theirs.values())
    assert len(topo.live()) == 3  # one per pair
    reported = [p["net_peering_id"] for p in result["net_peerings"]]
    assert reported[:2] == [theirs[pair] for pair in pairs]
    assert result["summary"]["created"] == 3 and result["summary"]["deleted"] == 2
    assert topo.calls().count("ReadNetPeerings") == 2  # one more read for the whole task, not one per pair
    assert sum("is kept (the earliest)" in json.dumps(w) for w in result.get("warnings", [])) == 2
    rerun = topo.run(items)
    assert not rerun["changed"] and topo.calls() == ["ReadNetPeerings"]


def test_a_rerun_finding_two_live_peerings_of_a_pair_keeps_one(topo):
    store, clock = topo.simulator.store, topo.simulator.clock
    first = store.create_peering(A, NETS_A[1], NETS_A[0], None)["NetPeeringId"]
    clock.advance(0.01)
    store.create_peering(A, NETS_A[0], NETS_A[1], None)
    assert len(topo.live()) == 2  # both directions pending: the platform allows it
    result = topo.run([{"source_net_id": NETS_A[0], "accepter_net_id": NETS_A[1], "state": "present"}])
    assert result["changed"] and result["summary"]["deleted"] == 1
    assert [p.peering_id for p in topo.live()] == [first] and result["net_peerings"][0]["net_peering_id"] == first
    assert any("More than one live Net peering" in json.dumps(w) for w in result.get("warnings", []))
