"""The planner, as tables: every state, direction and account case the modules handle.

plan(wanted, observed, actors) is pure, so each row is (what the task wants, what
a ReadNetPeerings returned, whom the task holds credentials for) -> the steps,
their actors, or the refusal, and the predicted peering.
"""

import pytest

from ansible_collections.outscale.cloud.plugins.module_utils import _peering_plan as pp

A, B = "111111111111", "222222222222"  # accounts
N1, N2, NB = "vpc-aaaaaaa1", "vpc-aaaaaaa2", "vpc-bbbbbbb1"  # N1, N2 in A; NB in B


def peering(pid, src, acc, state, src_acct=A, acc_acct=A, tags=None):
    return {
        "NetPeeringId": pid,
        "State": {"Name": state, "Message": state},
        "SourceNet": {"AccountId": src_acct, "IpRange": "10.1.0.0/16", "NetId": src},
        "AccepterNet": {"AccountId": acc_acct, "IpRange": "10.2.0.0/16", "NetId": acc},
        "ExpirationDate": "2026-12-04T10:00:00.000Z",
        "Tags": [{"Key": k, "Value": v} for k, v in (tags or {}).items()],
    }


# Observed worlds, by name.
WORLDS = {
    "nothing": [],
    "pending": [peering("pcx-00000001", N1, N2, "pending-acceptance")],
    "active": [peering("pcx-00000001", N1, N2, "active")],
    "reverse-pending": [peering("pcx-00000002", N2, N1, "pending-acceptance")],
    "reverse-active": [peering("pcx-00000002", N2, N1, "active")],
    "rejected": [peering("pcx-00000003", N1, N2, "rejected")],
    "two-rejected": [peering("pcx-00000003", N1, N2, "rejected"), peering("pcx-00000004", N1, N2, "rejected")],
    "failed": [peering("pcx-00000003", N1, N2, "failed")],
    "expired": [peering("pcx-00000003", N1, N2, "expired")],
    "deleted": [peering("pcx-00000003", N1, N2, "deleted")],
    "ended-and-pending": [
        peering("pcx-00000003", N1, N2, "deleted"),
        peering("pcx-00000001", N1, N2, "pending-acceptance"),
    ],
    "both-pending": [
        peering("pcx-00000001", N1, N2, "pending-acceptance"),
        peering("pcx-00000002", N2, N1, "pending-acceptance"),
    ],
    "two-same-direction": [
        peering("pcx-00000001", N1, N2, "pending-acceptance"),
        peering("pcx-00000009", N1, N2, "pending-acceptance"),
    ],
    "active-and-pending": [
        peering("pcx-00000001", N1, N2, "active"),
        peering("pcx-00000002", N2, N1, "pending-acceptance"),
    ],
}

PAIR = dict(source_net_id=N1, accepter_net_id=N2)
REVERSE = dict(source_net_id=N2, accepter_net_id=N1)
BY_ID = dict(net_peering_id="pcx-00000001")
BY_ID_3 = dict(net_peering_id="pcx-00000003")
T = pp.TASK

# (name, state, how the task names it, world, expected steps [(kind, actor, id)], or "refuse:<fragment>", predicted state)
SAME_ACCOUNT = [
    ("create", "present", PAIR, "nothing", [("create", T, None)], "pending-acceptance"),
    ("keep pending", "present", PAIR, "pending", [], "pending-acceptance"),
    ("keep active", "present", PAIR, "active", [], "active"),
    ("keep reverse", "present", PAIR, "reverse-pending", [], "pending-acceptance"),
    ("keep by reverse name", "present", REVERSE, "active", [], "active"),
    ("ended peerings do not count", "present", PAIR, "rejected", [("create", T, None)], "pending-acceptance"),
    ("expired: create a new one", "present", PAIR, "expired", [("create", T, None)], "pending-acceptance"),
    ("by id, live", "present", BY_ID, "pending", [], "pending-acceptance"),
    (
        "by id, not found",
        "present",
        BY_ID,
        "nothing",
        "refuse:was not found with these credentials in region eu-west-2",
        None,
    ),
    ("by id, ended", "present", BY_ID_3, "rejected", "refuse:cannot become live again", None),
    ("accept pending", "accepted", PAIR, "pending", [("accept", T, "pcx-00000001")], "active"),
    ("accept reverse pending", "accepted", PAIR, "reverse-pending", [("accept", T, "pcx-00000002")], "active"),
    ("keep active", "accepted", PAIR, "active", [], "active"),
    ("create and accept", "accepted", PAIR, "nothing", [("create", T, None), ("accept", T, None)], "active"),
    (
        "create and accept after ended",
        "accepted",
        PAIR,
        "deleted",
        [("create", T, None), ("accept", T, None)],
        "active",
    ),
    ("by id, pending", "accepted", BY_ID, "pending", [("accept", T, "pcx-00000001")], "active"),
    ("by id, not found", "accepted", BY_ID, "nothing", "refuse:was not found", None),
    (
        "by id, rejected",
        "accepted",
        BY_ID_3,
        "rejected",
        "refuse:is rejected (rejected), so it cannot be accepted",
        None,
    ),
    ("by id, failed", "accepted", BY_ID_3, "failed", "refuse:is failed (failed), so it cannot be accepted", None),
    ("by id, expired", "accepted", BY_ID_3, "expired", "refuse:cannot be accepted", None),
    ("reject pending", "rejected", PAIR, "pending", [("reject", T, "pcx-00000001")], "rejected"),
    ("reject by id", "rejected", BY_ID, "pending", [("reject", T, "pcx-00000001")], "rejected"),
    (
        "active cannot be rejected",
        "rejected",
        PAIR,
        "active",
        "refuse:only a pending-acceptance peering can be rejected",
        None,
    ),
    ("already rejected: report it", "rejected", PAIR, "rejected", [], "rejected"),
    ("two rejected: none is the one", "rejected", PAIR, "two-rejected", [], None),
    ("nothing to reject", "rejected", PAIR, "nothing", [], None),
    ("by id, expired: keep", "rejected", BY_ID_3, "expired", [], "expired"),
    ("delete active", "absent", PAIR, "active", [("delete", T, "pcx-00000001")], "deleted"),
    ("delete pending", "absent", PAIR, "pending", [("delete", T, "pcx-00000001")], "deleted"),
    ("delete by reverse name", "absent", REVERSE, "active", [("delete", T, "pcx-00000001")], "deleted"),
    ("delete live, ignore ended", "absent", PAIR, "ended-and-pending", [("delete", T, "pcx-00000001")], "deleted"),
    ("nothing to delete", "absent", PAIR, "nothing", [], None),
    ("only ended", "absent", PAIR, "deleted", [], None),
    ("by id, ended: report it", "absent", BY_ID_3, "rejected", [], "rejected"),
    ("by id, not found", "absent", BY_ID, "nothing", [], None),
]

# Both directions pending at once (the platform allows it).
BOTH_PENDING = [
    (
        "present keeps one of two pending (the earliest, then the lowest ID) and removes the other",
        "present",
        PAIR,
        "both-pending",
        [("delete", T, "pcx-00000002")],
        "pending-acceptance",
    ),
    ("accept the requested direction", "accepted", PAIR, "both-pending", [("accept", T, "pcx-00000001")], "active"),
    (
        "named the other way round, accept that direction",
        "accepted",
        REVERSE,
        "both-pending",
        [("accept", T, "pcx-00000002")],
        "active",
    ),
    (
        "reject both",
        "rejected",
        PAIR,
        "both-pending",
        [("reject", T, "pcx-00000001"), ("reject", T, "pcx-00000002")],
        "rejected",
    ),
    (
        "delete both",
        "absent",
        PAIR,
        "both-pending",
        [("delete", T, "pcx-00000001"), ("delete", T, "pcx-00000002")],
        "deleted",
    ),
]

# Anything else with more than one live peering is refused, listing them, before any write.
SEVERAL_LIVE = [
    (f"{world}, {state}", state, PAIR, world, "refuse:More than one live Net peering links", None)
    for world in ("two-same-direction", "active-and-pending")
    for state in ("present", "accepted", "rejected", "absent")
]


def run(state, names, world, actors=None, tags=None, purge=True):
    wanted = pp.Wanted(state, tags=tags, purge_tags=purge, **names)
    return pp.plan(wanted, WORLDS[world], actors or pp.Actors(region="eu-west-2"))


def check(result, expected, predicted):
    if isinstance(expected, str):
        assert result.refusal and expected[len("refuse:") :] in result.refusal, result.refusal
        assert result.steps == []
        return
    assert result.refusal is None, result.refusal
    assert [(s.kind, s.actor, s.peering_id) for s in result.steps] == expected
    assert all(step.reason for step in result.steps)
    assert (result.after or {}).get("State", {}).get("Name") == predicted
    assert result.changes == bool(expected)


@pytest.mark.parametrize(
    "name, state, names, world, expected, predicted",
    SAME_ACCOUNT + BOTH_PENDING + SEVERAL_LIVE,
    ids=lambda value: value if isinstance(value, str) and " " in value else None,
)
def test_same_account_table(name, state, names, world, expected, predicted):
    check(run(state, names, world), expected, predicted)


def test_both_pending_present_keeps_the_same_one_whichever_direction_is_named():
    # Issue 19, defect 4: two runs listing the pair in opposite directions must agree on the one to keep.
    for named in (PAIR, REVERSE):
        result = run("present", named, "both-pending")
        assert result.after["NetPeeringId"] == "pcx-00000001"
        assert [(s.kind, s.peering_id) for s in result.steps] == [("delete", "pcx-00000002")]
        assert any("More than one live Net peering" in w and "pcx-00000001 is kept" in w for w in result.warnings)


# -- two accounts ------------------------------------------------------------------------

CROSS = dict(source_net_id=N1, accepter_net_id=NB, accepter_owner_id=B)
CROSS_NO_OWNER = dict(source_net_id=N1, accepter_net_id=NB)
ACCEPTER_SIDE = dict(source_net_id=NB, accepter_net_id=N1)  # B's playbook naming the pair from its side
CROSS_WORLDS = {
    "nothing": [],
    "pending": [peering("pcx-0000000c", N1, NB, "pending-acceptance", A, B)],
    "active": [peering("pcx-0000000c", N1, NB, "active", A, B)],
    "earlier same-account": [peering("pcx-0000000e", N1, NB, "deleted", B, B)],
    "both-pending": [
        peering("pcx-0000000c", N1, NB, "pending-acceptance", A, B),
        peering("pcx-0000000d", NB, N1, "pending-acceptance", B, A),
    ],
}
WITH_ACCEPTER = pp.Actors(any_accepter=True, region="eu-west-2")
WITH_B = pp.Actors(accounts=frozenset([B]), region="eu-west-2")
NOBODY = pp.Actors(region="eu-west-2")
ACC = pp.ACCEPTER

CROSS_ACCOUNT = [
    ("request only", "present", CROSS, "nothing", NOBODY, [("create", T, None)], "pending-acceptance"),
    (
        "create, prove and accept with accepter_credentials",
        "accepted",
        CROSS,
        "nothing",
        WITH_ACCEPTER,
        [("check_accepter", ACC, None), ("create", T, None), ("accept", ACC, None)],
        "active",
    ),
    (
        "same with credentials keyed by account",
        "accepted",
        CROSS,
        "nothing",
        WITH_B,
        [("check_accepter", B, None), ("create", T, None), ("accept", B, None)],
        "active",
    ),
    (
        "no accepter credentials: refused before creating",
        "accepted",
        CROSS,
        "nothing",
        NOBODY,
        "refuse:Nothing was created",
        None,
    ),
    (
        "accepter_owner_id is the caller's own, shown by an earlier peering",
        "accepted",
        dict(source_net_id=N1, accepter_net_id=NB, accepter_owner_id=B),
        "earlier same-account",
        NOBODY,
        [("create", T, None), ("accept", T, None)],
        "active",
    ),
    (
        "accept pending through accepter_credentials",
        "accepted",
        CROSS,
        "pending",
        WITH_ACCEPTER,
        [("accept", ACC, "pcx-0000000c")],
        "active",
    ),
    (
        "requester cannot accept without credentials",
        "accepted",
        CROSS,
        "pending",
        NOBODY,
        "refuse:Only account 222222222222, which owns the accepter Net",
        None,
    ),
    (
        "requester cannot reject without credentials",
        "rejected",
        CROSS,
        "pending",
        NOBODY,
        "refuse:as the requester, state=absent withdraws the request",
        None,
    ),
    (
        "reject through accepter_credentials",
        "rejected",
        CROSS,
        "pending",
        WITH_ACCEPTER,
        [("reject", ACC, "pcx-0000000c")],
        "rejected",
    ),
    (
        "requester deletes its pending request",
        "absent",
        CROSS,
        "pending",
        NOBODY,
        [("delete", T, "pcx-0000000c")],
        "deleted",
    ),
    (
        "either side deletes an active one",
        "absent",
        CROSS,
        "active",
        NOBODY,
        [("delete", T, "pcx-0000000c")],
        "deleted",
    ),
    # Without accepter_owner_id the caller could be either side: it tries as itself, and a refusal is explained.
    (
        "unknown side accepts as itself",
        "accepted",
        CROSS_NO_OWNER,
        "pending",
        NOBODY,
        [("accept", T, "pcx-0000000c")],
        "active",
    ),
    (
        "unknown side, accepter_credentials used",
        "accepted",
        CROSS_NO_OWNER,
        "pending",
        WITH_ACCEPTER,
        [("accept", ACC, "pcx-0000000c")],
        "active",
    ),
    (
        "accepter's playbook rejects as itself",
        "rejected",
        ACCEPTER_SIDE,
        "pending",
        NOBODY,
        [("reject", T, "pcx-0000000c")],
        "rejected",
    ),
    (
        "unknown side deletes as itself",
        "absent",
        CROSS_NO_OWNER,
        "pending",
        NOBODY,
        [("delete", T, "pcx-0000000c")],
        "deleted",
    ),
    (
        "by id: accept as itself",
        "accepted",
        dict(net_peering_id="pcx-0000000c"),
        "pending",
        NOBODY,
        [("accept", T, "pcx-0000000c")],
        "active",
    ),
    # Both directions pending across accounts.
    (
        "both pending: present keeps one and turns down the other, sent to it",
        "present",
        CROSS,
        "both-pending",
        NOBODY,
        [("reject", T, "pcx-0000000d")],
        "pending-acceptance",
    ),
    (
        "both pending: the requester accepts the one it can (B->A, where it is the accepter)",
        "accepted",
        CROSS,
        "both-pending",
        NOBODY,
        [("accept", T, "pcx-0000000d")],
        "active",
    ),
    (
        "both pending: with accepter credentials, the requested direction",
        "accepted",
        CROSS,
        "both-pending",
        WITH_ACCEPTER,
        [("accept", ACC, "pcx-0000000c")],
        "active",
    ),
    (
        "both pending: reject the one it may (B->A)",
        "rejected",
        CROSS,
        "both-pending",
        NOBODY,
        [("reject", T, "pcx-0000000d")],
        "rejected",
    ),
    (
        "both pending: delete its own request, the other remains",
        "absent",
        CROSS,
        "both-pending",
        NOBODY,
        [("delete", T, "pcx-0000000c")],
        "deleted",
    ),
]


@pytest.mark.parametrize(
    "name, state, names, world, actors, expected, predicted", CROSS_ACCOUNT, ids=[row[0] for row in CROSS_ACCOUNT]
)
def test_cross_account_table(name, state, names, world, actors, expected, predicted):
    wanted = pp.Wanted(state, **names)
    check(pp.plan(wanted, CROSS_WORLDS[world], actors), expected, predicted)


@pytest.mark.parametrize("actors, actor", [(WITH_ACCEPTER, ACC), (WITH_B, B)])
def test_the_accepter_check_is_left_out_when_the_caller_proves_the_credentials_itself(actors, actor):
    wanted = pp.Wanted("accepted", **CROSS)
    checked = pp.plan(wanted, CROSS_WORLDS["nothing"], actors)
    unchecked = pp.plan(wanted, CROSS_WORLDS["nothing"], actors, check_accepter=False)
    assert checked.kinds() == [pp.CHECK_ACCEPTER, pp.CREATE, pp.ACCEPT]
    assert unchecked.kinds() == [pp.CREATE, pp.ACCEPT] and unchecked.steps[1].actor == actor
    assert (unchecked.after, unchecked.changes) == (checked.after, checked.changes)


def test_both_pending_the_plan_is_about_the_peering_it_acts_on():
    result = pp.plan(pp.Wanted("accepted", **CROSS), CROSS_WORLDS["both-pending"], NOBODY)
    assert result.before["NetPeeringId"] == result.after["NetPeeringId"] == "pcx-0000000d"


def test_both_pending_absent_says_what_remains_and_why():
    result = pp.plan(pp.Wanted("absent", **CROSS), CROSS_WORLDS["both-pending"], NOBODY)
    assert len(result.warnings) == 1
    assert "pcx-0000000d remains" in result.warnings[0] and "only the requester can delete it" in result.warnings[0]


def test_pending_delete_by_the_accepter_is_refused_with_advice():
    # With accepter_owner_id the task is the requester side; B->A pending was requested by B.
    world = [peering("pcx-0000000d", NB, N1, "pending-acceptance", B, A)]
    result = pp.plan(pp.Wanted("absent", **CROSS), world, NOBODY)
    assert result.refusal and "with state=rejected" in result.refusal


# -- tags ----------------------------------------------------------------------------------

TAGS = [
    ("add on create", "present", "nothing", {"k": "v"}, True, [("create", None), ("create_tags", {"k": "v"})]),
    ("none when unmanaged", "present", "pending", None, True, []),
    (
        "change and purge",
        "present",
        "tagged",
        {"k": "new"},
        True,
        [("delete_tags", {"old": "1"}), ("create_tags", {"k": "new"})],
    ),
    ("no purge", "present", "tagged", {"k": "new"}, False, [("create_tags", {"k": "new"})]),
    ("idempotent", "accepted", "tagged-active", {"k": "v", "old": "1"}, True, []),
    ("after accept", "accepted", "tagged", {"k": "v"}, True, [("accept", None), ("delete_tags", {"old": "1"})]),
    ("empty dict purges all", "present", "tagged", {}, True, [("delete_tags", {"k": "v", "old": "1"})]),
    ("ignored with absent", "absent", "tagged", {"k": "x"}, True, [("delete", None)]),
]
TAG_WORLDS = dict(
    WORLDS,
    tagged=[peering("pcx-00000001", N1, N2, "pending-acceptance", tags={"k": "v", "old": "1"})],
    **{"tagged-active": [peering("pcx-00000001", N1, N2, "active", tags={"k": "v", "old": "1"})]},
)


@pytest.mark.parametrize("name, state, world, tags, purge, expected", TAGS, ids=[row[0] for row in TAGS])
def test_tags_table(name, state, world, tags, purge, expected):
    wanted = pp.Wanted(state, tags=tags, purge_tags=purge, **PAIR)
    result = pp.plan(wanted, TAG_WORLDS[world], NOBODY)
    assert [(s.kind, s.tags or None) for s in result.steps] == expected


# A peering of two accounts: whether they share its tags is unknown. Under either answer,
# each task converges its own tags and deletes none it does not list (the other account's
# may be among them): no flip-flop between two tasks that purge.
SHARED_VIEW = {"Name": "from-a", "side": "b"}  # what either account reads if tags are shared


@pytest.mark.parametrize("reader, src, acc", [("A", A, B), ("B", B, A)])
def test_purge_on_a_peering_of_two_accounts_deletes_nothing_and_says_so(reader, src, acc):
    world = [peering("pcx-0000000e", N1 if src == A else NB, NB if src == A else N1, "active", src, acc, SHARED_VIEW)]
    names = CROSS if src == A else dict(source_net_id=NB, accepter_net_id=N1, accepter_owner_id=A)
    result = pp.plan(pp.Wanted("present", tags={"side": "b", "k": "v"}, purge_tags=True, **names), world, NOBODY)
    assert [(s.kind, s.tags) for s in result.steps] == [("create_tags", {"k": "v"})]
    assert pp.tags_to_dict(result.after["Tags"]) == {"Name": "from-a", "side": "b", "k": "v"}
    (warning,) = result.warnings
    assert "purge_tags kept 'Name' on pcx-0000000e" in warning and "two accounts" in warning


def test_two_accounts_sharing_tags_converge_without_flip_flop():
    """A wants {Name}, B wants {side}, both purge: with one shared set, after each has run
    once, neither plans any write (each converged its own, neither undid the other's)."""
    shared = {}
    wants = [(CROSS, {"Name": "a"}), (dict(source_net_id=NB, accepter_net_id=N1, accepter_owner_id=A), {"side": "b"})]
    for _round in range(2):
        for names, tags in wants:
            world = [peering("pcx-0000000f", N1, NB, "active", A, B, shared)]
            result = pp.plan(pp.Wanted("present", tags=tags, purge_tags=True, **names), world, NOBODY)
            for step in result.steps:
                assert step.kind == "create_tags"
                shared.update(step.tags)
            if _round == 1:
                assert result.steps == []
    assert shared == {"Name": "a", "side": "b"}


def test_purge_within_one_account_still_deletes():
    world = [peering("pcx-00000010", N1, N2, "active", A, A, {"k": "v", "old": "1"})]
    result = pp.plan(pp.Wanted("present", tags={"k": "v"}, purge_tags=True, **PAIR), world, NOBODY)
    assert [(s.kind, s.tags) for s in result.steps] == [("delete_tags", {"old": "1"})]
    assert result.warnings == []


def test_no_purge_on_two_accounts_warns_about_nothing():
    world = [peering("pcx-00000011", N1, NB, "active", A, B, {"Name": "x"})]
    result = pp.plan(pp.Wanted("present", tags={"k": "v"}, purge_tags=False, **CROSS), world, NOBODY)
    assert result.warnings == [] and [s.kind for s in result.steps] == ["create_tags"]


def test_remove_tags_deletes_named_tags_on_a_peering_of_two_accounts():
    world = [peering("pcx-00000012", N1, NB, "active", A, B, {"Name": "x", "scope": "s", "k": "v"})]
    wanted = pp.Wanted("present", tags={"k": "v"}, purge_tags=True, remove_tags=("scope", "absent-key"), **CROSS)
    result = pp.plan(wanted, world, NOBODY)
    assert [(s.kind, s.tags) for s in result.steps] == [("delete_tags", {"scope": "s"})]
    assert pp.tags_to_dict(result.after["Tags"]) == {"Name": "x", "k": "v"}
    (warning,) = result.warnings  # Name is kept and named; scope, removed by name, is not
    assert "kept 'Name'" in warning and "'scope'" not in warning


def test_remove_tags_without_tags_and_within_one_account():
    world = [peering("pcx-00000013", N1, N2, "active", A, A, {"k": "v", "old": "1"})]
    result = pp.plan(pp.Wanted("present", remove_tags=("old",), **PAIR), world, NOBODY)
    assert [(s.kind, s.tags) for s in result.steps] == [("delete_tags", {"old": "1"})]
    assert pp.plan(pp.Wanted("present", remove_tags=("gone",), **PAIR), world, NOBODY).steps == []


def test_predicted_peering_to_be_created_has_nets_accounts_and_tags():
    result = pp.plan(pp.Wanted("accepted", tags={"Name": "x"}, **CROSS), [], WITH_ACCEPTER)
    after = result.after
    assert after["NetPeeringId"] is None and after["State"]["Name"] == "active"
    assert (after["SourceNet"]["NetId"], after["AccepterNet"]["NetId"], after["AccepterNet"]["AccountId"]) == (
        N1,
        NB,
        B,
    )
    assert after["Tags"] == [{"Key": "Name", "Value": "x"}]


def test_plan_is_pure():
    world = [dict(p) for p in WORLDS["pending"]]
    snapshot = repr(world)
    pp.plan(pp.Wanted("accepted", tags={"a": "b"}, **PAIR), world, NOBODY)
    assert repr(world) == snapshot


def test_known_ids_list_every_peering_read():
    assert run("present", PAIR, "ended-and-pending").known_ids == ("pcx-00000003", "pcx-00000001")


@pytest.mark.parametrize("state", ["absent", "rejected"])
def test_explicit_id_not_found_is_ok_but_says_so(state):
    result = run(state, BY_ID, "nothing")
    assert result.steps == [] and result.refusal is None
    assert len(result.warnings) == 1 and "pcx-00000001 was not found" in result.warnings[0]
    assert run(state, PAIR, "nothing").warnings == []  # naming the pair: nothing found is no typo


def test_topology_plans_carry_no_accepter_check():
    # net_peerings proves accepter credentials once per account (TopologyRun.check_accepters), not per pair.
    from ansible_collections.outscale.cloud.plugins.module_utils._peering_topology import plan_topology

    plans, removals = plan_topology([pp.Wanted("accepted", **CROSS)], [], WITH_B, "merged", {})
    assert [item.kinds() for item in plans] == [[pp.CREATE, pp.ACCEPT]] and removals == []


@pytest.mark.parametrize("state", ["present", "accepted", "rejected", "absent"])
@pytest.mark.parametrize(
    "world",
    [
        [peering("pcx-0000000c", N1, NB, "active", A, B)],
        [peering("pcx-0000000d", NB, N1, "pending-acceptance", B, A)],  # the reverse direction shows it too
    ],
    ids=["requested-active", "reverse-pending"],
)
def test_a_wrong_accepter_owner_id_on_an_existing_peering_is_refused(state, world):
    """The live peering says who owns the accepter Net; a 12-digit ID that says otherwise is not ignored."""
    wrong = "333333333333"
    result = pp.plan(pp.Wanted(state, source_net_id=N1, accepter_net_id=NB, accepter_owner_id=wrong), world, NOBODY)
    assert not result.steps
    assert result.refusal.startswith(f"accepter_owner_id is {wrong}, but the existing Net peering ")
    assert f"{NB} belongs to account {B}" in result.refusal and f'set it to "{B}"' in result.refusal


def test_the_right_accepter_owner_id_on_an_existing_peering_is_accepted():
    world = [peering("pcx-0000000c", N1, NB, "active", A, B)]
    result = pp.plan(pp.Wanted("present", source_net_id=N1, accepter_net_id=NB, accepter_owner_id=B), world, NOBODY)
    assert result.refusal is None and result.steps == []


# -- review 17: the peering both racing runs keep -------------------------------------------------


def _dated(pid, date, state="pending-acceptance"):
    return dict(peering(pid, N1, N2, state), ExpirationDate=date)


@pytest.mark.parametrize(
    "earlier, later",
    [
        ("2026-12-04T10:00:00Z", "2026-12-04T10:00:00.500Z"),  # as text, "Z" sorts after "."
        ("2026-12-04T10:00:00.123456Z", "2026-12-04T10:00:00.124Z"),
        ("2026-12-04T11:00:00+02:00", "2026-12-04T10:00:00Z"),  # zones
        ("2026-12-04T10:00:00Z", None),  # a missing date counts as the latest
        ("2026-12-04T10:00:00Z", "soon"),  # and so does an unreadable one
    ],
)
def test_kept_of_keeps_the_earliest_made_whatever_the_date_precision(earlier, later):
    # The earlier one has the higher ID, so the ID alone would choose the other.
    live = [_dated("pcx-00000001", later), _dated("pcx-00000009", earlier)]
    assert pp.kept_of(live)["NetPeeringId"] == "pcx-00000009"
    assert pp.kept_of(list(reversed(live)))["NetPeeringId"] == "pcx-00000009"


def test_kept_of_breaks_equal_dates_by_the_lowest_id_and_prefers_active():
    same = [_dated("pcx-00000009", "2026-12-04T10:00:00Z"), _dated("pcx-00000002", "2026-12-04T10:00:00.000Z")]
    assert pp.kept_of(same)["NetPeeringId"] == "pcx-00000002"
    active = _dated("pcx-00000010", "2026-12-05T10:00:00Z", state="active")
    assert pp.kept_of([*same, active])["NetPeeringId"] == "pcx-00000010"
