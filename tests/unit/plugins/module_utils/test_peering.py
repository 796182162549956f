"""The Net peering domain: reading and checking API data, matching a pair, who the caller is."""

import copy

import pytest

from ansible_collections.outscale.cloud.plugins.module_utils import _peering as np
from ansible_collections.outscale.cloud.plugins.module_utils._api_errors import OscApiError
from ansible_collections.outscale.cloud.plugins.module_utils._errors import OscError, UnexpectedResponse
from ansible_collections.outscale.cloud.tests.unit.plugins.module_utils.peering_fixtures import (
    A,
    B,
    FakeClient,
    peering,
)

# -- lookup -------------------------------------------------------------------


def test_pair_filters_cover_both_directions():
    filters = np.pair_filters("vpc-bbbbbbbb", "vpc-aaaaaaaa")
    assert filters == {
        "SourceNetNetIds": ["vpc-aaaaaaaa", "vpc-bbbbbbbb"],
        "AccepterNetNetIds": ["vpc-aaaaaaaa", "vpc-bbbbbbbb"],
    }


def test_pair_live_ignores_terminal_and_unrelated():
    peerings = [
        peering("pcx-00000001", "vpc-aaaaaaaa", "vpc-bbbbbbbb", "deleted"),
        peering("pcx-00000002", "vpc-aaaaaaaa", "vpc-bbbbbbbb", "rejected"),
        peering("pcx-00000003", "vpc-aaaaaaaa", "vpc-cccccccc", "active"),  # another pair
        peering("pcx-00000004", "vpc-bbbbbbbb", "vpc-aaaaaaaa", "pending-acceptance"),  # reverse direction
        peering("pcx-00000005", "vpc-aaaaaaaa", "vpc-bbbbbbbb", "expired"),
    ]
    live, ended = np.pair_live(peerings, "vpc-aaaaaaaa", "vpc-bbbbbbbb")
    assert [p["NetPeeringId"] for p in live] == ["pcx-00000004"]
    assert sorted(p["NetPeeringId"] for p in ended) == ["pcx-00000001", "pcx-00000002", "pcx-00000005"]


def test_pair_live_only_terminal_gives_none():
    peerings = [
        peering("pcx-00000001", "vpc-aaaaaaaa", "vpc-bbbbbbbb", "deleted"),
        peering("pcx-00000002", "vpc-aaaaaaaa", "vpc-bbbbbbbb", "failed"),
    ]
    live, ended = np.pair_live(peerings, "vpc-aaaaaaaa", "vpc-bbbbbbbb")
    assert live == [] and len(ended) == 2


def test_select_id_checks_the_id_again():
    assert np.select_id([peering("pcx-00000001", "vpc-aaaaaaaa", "vpc-bbbbbbbb", "active")], "pcx-00000002") is None
    assert np.select_id([], "pcx-00000002") is None


def test_read_pair_is_one_call_and_drops_self_pairs():
    client = FakeClient(
        [
            [
                peering("pcx-00000001", "vpc-aaaaaaaa", "vpc-bbbbbbbb", "active"),
                peering("pcx-00000002", "vpc-aaaaaaaa", "vpc-aaaaaaaa", "active"),
            ]
        ]
    )
    found = np.read_pair(client, "vpc-aaaaaaaa", "vpc-bbbbbbbb")
    assert [p["NetPeeringId"] for p in found] == ["pcx-00000001"]
    assert len(client.calls) == 1 and client.calls[0][0] == "ReadNetPeerings"


def test_new_peering_after_ambiguous_create():
    old = peering("pcx-00000001", "vpc-aaaaaaaa", "vpc-bbbbbbbb", "rejected")
    new = peering("pcx-00000002", "vpc-aaaaaaaa", "vpc-bbbbbbbb", "pending-acceptance")
    assert np.new_peering([old, new], "vpc-aaaaaaaa", "vpc-bbbbbbbb", {"pcx-00000001"}) is new
    assert np.new_peering([old], "vpc-aaaaaaaa", "vpc-bbbbbbbb", {"pcx-00000001"}) is None
    failed = peering("pcx-00000003", "vpc-aaaaaaaa", "vpc-bbbbbbbb", "failed")
    assert np.new_peering([old, failed], "vpc-aaaaaaaa", "vpc-bbbbbbbb", {"pcx-00000001"}) is failed
    reverse = peering("pcx-00000005", "vpc-bbbbbbbb", "vpc-aaaaaaaa", "pending-acceptance")
    assert (
        np.new_peering([old, reverse], "vpc-aaaaaaaa", "vpc-bbbbbbbb", {"pcx-00000001"}) is None
    )  # not this direction
    with pytest.raises(OscError):
        np.new_peering(
            [failed, peering("pcx-00000004", "vpc-aaaaaaaa", "vpc-bbbbbbbb", "failed")],
            "vpc-aaaaaaaa",
            "vpc-bbbbbbbb",
            set(),
        )


# -- malformed API data: a clear error naming the action and the field, never a traceback --------


GOOD = peering("pcx-00000001", "vpc-aaaaaaaa", "vpc-bbbbbbbb", "pending-acceptance", A, B, tags={"k": "v"})


def spoilt(**fields):
    bad = copy.deepcopy(GOOD)
    bad.update(fields)
    return bad


@pytest.mark.parametrize(
    "answer, problem",
    [
        ({"NetPeerings": [None]}, "NetPeerings[0] is null, not an object"),
        ({"NetPeerings": {"NetPeeringId": "pcx-00000001"}}, "NetPeerings is an object, not a list"),
        ({"NetPeerings": "pcx-00000001"}, "NetPeerings is the string 'pcx-00000001', not a list"),
        ({"NetPeerings": 5}, "NetPeerings is a number, not a list"),
        ({"NetPeerings": [spoilt(State="active")]}, "NetPeerings[0].State is the string 'active', not an object"),
        ({"NetPeerings": [spoilt(State={"Message": "x"})]}, "NetPeerings[0].State.Name is null, not a state name"),
        ({"NetPeerings": [spoilt(Tags=[None])]}, "NetPeerings[0].Tags[0] is null, not an object"),
        ({"NetPeerings": [spoilt(Tags={"k": "v"})]}, "NetPeerings[0].Tags is an object, not a list"),
        (
            {"NetPeerings": [spoilt(Tags=[{"Key": "k", "Value": 3}])]},
            "NetPeerings[0].Tags[0].Value is a number, not a string",
        ),
        (
            {"NetPeerings": [spoilt(SourceNet="vpc-aaaaaaaa")]},
            "NetPeerings[0].SourceNet is the string 'vpc-aaaaaaaa', not an object",
        ),
        (
            {"NetPeerings": [spoilt(AccepterNet={"AccountId": B})]},
            "NetPeerings[0].AccepterNet.NetId is null, not a Net ID",
        ),
        ({"NetPeerings": [spoilt(NetPeeringId=None)]}, "NetPeerings[0].NetPeeringId is null, not a peering ID"),
        ({"NetPeerings": [GOOD, 7]}, "NetPeerings[1] is a number, not an object"),
    ],
)
def test_reads_refuse_malformed_data(answer, problem):
    answer = dict(answer, ResponseContext={"RequestId": "req-1"})
    for read in (lambda c: np.read_pair(c, "vpc-aaaaaaaa", "vpc-bbbbbbbb"), lambda c: np.read_by_id(c, "pcx-00000001")):
        with pytest.raises(UnexpectedResponse) as info:
            read(FakeClient([answer]))
        assert isinstance(info.value, OscError)
        assert str(info.value).startswith(f"The API returned an unexpected ReadNetPeerings response: {problem}.")
        assert "RequestId req-1" in str(info.value)


def test_reads_tidy_tags_and_accept_missing_optional_fields():
    odd = spoilt(Tags=[{"Key": "k", "Value": None}], ExpirationDate=None)
    odd["State"] = {"Name": "active"}
    del odd["AccepterNet"]["IpRange"]
    (found,) = np.read_pair(FakeClient([[odd]]), "vpc-aaaaaaaa", "vpc-bbbbbbbb")
    assert found["Tags"] == [{"Key": "k", "Value": ""}]
    no_tags = spoilt()
    del no_tags["Tags"]
    assert np.read_by_id(FakeClient([[no_tags]]), "pcx-00000001")["Tags"] == []
    assert np.read_by_id(FakeClient([{"ResponseContext": {}}]), "pcx-00000001") is None  # no NetPeerings: none


def test_reads_follow_pages_and_fail_on_a_repeated_token():
    client = FakeClient([{"NetPeerings": [GOOD], "NextPageToken": "t1"}, {"NetPeerings": [], "NextPageToken": "t1"}])
    with pytest.raises(UnexpectedResponse) as info:
        np.read_pair(client, "vpc-aaaaaaaa", "vpc-bbbbbbbb")
    assert [call[1].get("NextPageToken") for call in client.calls] == [None, "t1"]
    assert "repeats a NextPageToken" in str(info.value)


def test_reads_refuse_a_token_that_is_not_a_string():
    with pytest.raises(UnexpectedResponse) as info:  # one type for every malformed answer
        np.read_pair(FakeClient([{"NetPeerings": [GOOD], "NextPageToken": 12}]), "vpc-aaaaaaaa", "vpc-bbbbbbbb")
    assert "unexpected ReadNetPeerings response: NextPageToken is not a string (a int)" in str(info.value)


def test_checked_peering_names_the_action():
    with pytest.raises(UnexpectedResponse) as info:
        np.checked_peering("weird", "AcceptNetPeering", response={"NetPeering": "weird"})
    assert str(info.value).startswith(
        "The API returned an unexpected AcceptNetPeering response: NetPeering is the string 'weird'"
    )


def test_normalize_peering_tolerates_odd_shapes():
    result = np.normalize_peering(
        spoilt(State="active", SourceNet="vpc-aaaaaaaa", Tags=[None, {"Key": "k", "Value": None}])
    )
    assert result["state"] == {"name": None, "message": None}
    assert result["source_net"] == {"account_id": None, "ip_range": None, "net_id": None}
    assert result["tags"] == {"k": ""}
    assert np.normalize_peering(None)["net_peering_id"] is None


# -- who the caller is ------------------------------------------------------------


def test_caller_account_same_account():
    p = peering("pcx-00000001", "vpc-aaaaaaaa", "vpc-bbbbbbbb", "pending-acceptance", A, A)
    assert np.caller_account(p) == A


def test_caller_account_unknown_by_id_cross_account():
    p = peering("pcx-00000001", "vpc-aaaaaaaa", "vpc-bbbbbbbb", "pending-acceptance", A, B)
    assert np.caller_account(p) is None
    assert np.caller_account(None, "vpc-aaaaaaaa", "vpc-bbbbbbbb") is None


def test_caller_account_from_the_pair():
    forward = peering("pcx-00000001", "vpc-aaaaaaaa", "vpc-bbbbbbbb", "pending-acceptance", A, B)
    reverse = peering("pcx-00000002", "vpc-bbbbbbbb", "vpc-aaaaaaaa", "pending-acceptance", B, A)
    # With accepter_owner_id, the task's source Net is the caller's.
    assert np.caller_account(forward, "vpc-aaaaaaaa", "vpc-bbbbbbbb", B) == A
    assert np.caller_account(reverse, "vpc-aaaaaaaa", "vpc-bbbbbbbb", B) == A
    # Without it, the caller may be either side: the accepter's own playbook, or the requester
    # naming the pair without accepter_owner_id. Unknown, never guessed.
    assert np.caller_account(forward, "vpc-aaaaaaaa", "vpc-bbbbbbbb") is None
    assert np.caller_account(reverse, "vpc-aaaaaaaa", "vpc-bbbbbbbb") is None
    assert np.caller_account(reverse, "vpc-bbbbbbbb", "vpc-aaaaaaaa") is None


def test_pair_account_only_from_a_same_account_peering():
    same = peering("pcx-00000001", "vpc-aaaaaaaa", "vpc-bbbbbbbb", "rejected", A, A)
    cross = peering("pcx-00000002", "vpc-aaaaaaaa", "vpc-bbbbbbbb", "expired", A, B)
    assert np.pair_account([cross, same]) == A
    assert np.pair_account([cross]) is None
    assert np.pair_account([]) is None


# -- normalisation and merge ------------------------------------------------------


def test_normalize_peering_snake_case():
    p = peering("pcx-00000001", "vpc-aaaaaaaa", "vpc-bbbbbbbb", "active", A, B, tags={"Name": "x"}, message="Active")
    assert np.normalize_peering(p) == {
        "net_peering_id": "pcx-00000001",
        "state": {"name": "active", "message": "Active"},
        "source_net": {"account_id": A, "ip_range": "10.1.0.0/16", "net_id": "vpc-aaaaaaaa"},
        "accepter_net": {"account_id": B, "ip_range": "10.2.0.0/16", "net_id": "vpc-bbbbbbbb"},
        "expiration_date": None,
        "tags": {"Name": "x"},
    }


@pytest.mark.parametrize(
    "given, expected, warns",
    [
        ("123456789012", "123456789012", False),
        (12345678901, "012345678901", True),  # an unquoted YAML number that lost its leading zero
        ("12345678901", "012345678901", True),
        (None, None, False),
        ("abc", "abc", False),  # left for validation to refuse
        ("22", "22", False),
        (1234567890, "001234567890", True),
    ],
)
def test_normalize_account_id(given, expected, warns):
    value, warning = np.normalize_account_id(given)
    assert value == expected and bool(warning) is warns
    if warns:
        assert "write account IDs in quotes" in warning


def test_a_quoted_11_digit_account_id_is_not_said_to_be_an_unquoted_number():
    """ "22222222222" (quoted, a digit missing) gets a warning true for it, not only for a bare YAML number."""
    value, warning = np.normalize_account_id("22222222222")
    assert value == "022222222222"
    assert warning.startswith("accepter_owner_id 22222222222 has 11 digits, not 12: it was read as 022222222222")
    assert "If you quoted it, a digit is missing: check the account ID." in warning
    assert "An unquoted YAML number loses" not in warning


# -- advice on refused reads ----------------------------------------------------


@pytest.mark.parametrize(
    "code, hint",
    [
        ("5035", "No such Net peering is visible to these credentials"),
        ("4104", "An ID has the wrong prefix"),
        ("9999", None),  # a Code we have no advice for
        (None, None),  # no Code at all (an HTML page, say)
    ],
)
def test_refused_reads_carry_the_advice_of_their_code(code, hint):
    """Every module's reads go through read_peerings, so each gets the same advice (net_peerings had none)."""
    refusal = OscApiError("ReadNetPeerings", "refused", status=400, code=code)
    with pytest.raises(OscApiError) as info:
        np.read_peerings(FakeClient([refusal]), {})
    assert info.value is refusal
    assert info.value.hint == hint or (hint and hint in info.value.hint)


def test_advice_is_not_repeated_when_the_executor_adds_the_same():
    refusal = OscApiError("ReadNetPeerings", "refused", status=400, code="5035")
    with pytest.raises(OscApiError):
        np.read_peerings(FakeClient([refusal]), {})
    refusal.with_hint(np.code_hint(refusal))
    assert refusal.hint == np.CODE_HINTS["5035"]
