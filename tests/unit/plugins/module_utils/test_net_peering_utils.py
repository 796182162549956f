"""The Net peering domain logic: lookup selection, decisions, tag diff, waiting, accepter settings."""

import copy
import json

import pytest

from ansible_collections.outscale.cloud.plugins.module_utils import net_peering as np
from ansible_collections.outscale.cloud.plugins.module_utils.client import OscApiError, OscClient
from ansible_collections.outscale.cloud.plugins.module_utils.credentials import CredentialsError, resolve_settings

A, B = "111111111111", "222222222222"


def peering(pid, src, acc, state, src_acct=A, acc_acct=A, tags=None, message=None):
    return {
        "NetPeeringId": pid,
        "State": {"Name": state, "Message": message or state},
        "SourceNet": {"AccountId": src_acct, "IpRange": "10.1.0.0/16", "NetId": src},
        "AccepterNet": {"AccountId": acc_acct, "IpRange": "10.2.0.0/16", "NetId": acc},
        "ExpirationDate": None,
        "Tags": [{"Key": k, "Value": v} for k, v in (tags or {}).items()],
    }


class FakeClient(object):
    """Answers ReadNetPeerings from scripted answers (a list of peerings, or a whole response dict); records calls."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.calls = []
        self.warnings = []

    def call(self, action, body):
        self.calls.append((action, copy.deepcopy(body)))
        answer = self.answers.pop(0)
        return answer if isinstance(answer, dict) else {"NetPeerings": answer}

    pages = OscClient.pages  # the real page-following logic, over the scripted answers


# -- lookup -------------------------------------------------------------------


def test_pair_filters_cover_both_directions():
    filters = np.pair_filters("vpc-bbbbbbbb", "vpc-aaaaaaaa")
    assert filters == {"SourceNetNetIds": ["vpc-aaaaaaaa", "vpc-bbbbbbbb"],
                       "AccepterNetNetIds": ["vpc-aaaaaaaa", "vpc-bbbbbbbb"]}


def test_select_pair_ignores_terminal_and_unrelated():
    peerings = [
        peering("pcx-00000001", "vpc-aaaaaaaa", "vpc-bbbbbbbb", "deleted"),
        peering("pcx-00000002", "vpc-aaaaaaaa", "vpc-bbbbbbbb", "rejected"),
        peering("pcx-00000003", "vpc-aaaaaaaa", "vpc-cccccccc", "active"),   # another pair
        peering("pcx-00000004", "vpc-bbbbbbbb", "vpc-aaaaaaaa", "pending-acceptance"),  # reverse direction
        peering("pcx-00000005", "vpc-aaaaaaaa", "vpc-bbbbbbbb", "expired"),
    ]
    live, ended = np.select_pair(peerings, "vpc-aaaaaaaa", "vpc-bbbbbbbb")
    assert live["NetPeeringId"] == "pcx-00000004"
    assert sorted(p["NetPeeringId"] for p in ended) == ["pcx-00000001", "pcx-00000002", "pcx-00000005"]


def test_select_pair_only_terminal_gives_none():
    peerings = [peering("pcx-00000001", "vpc-aaaaaaaa", "vpc-bbbbbbbb", "deleted"),
                peering("pcx-00000002", "vpc-aaaaaaaa", "vpc-bbbbbbbb", "failed")]
    live, ended = np.select_pair(peerings, "vpc-aaaaaaaa", "vpc-bbbbbbbb")
    assert live is None and len(ended) == 2


def test_select_pair_several_live_fails_listing_all():
    peerings = [peering("pcx-00000001", "vpc-aaaaaaaa", "vpc-bbbbbbbb", "active"),
                peering("pcx-00000002", "vpc-bbbbbbbb", "vpc-aaaaaaaa", "pending-acceptance")]
    with pytest.raises(np.PeeringError) as info:
        np.select_pair(peerings, "vpc-aaaaaaaa", "vpc-bbbbbbbb")
    assert "pcx-00000001" in str(info.value) and "pcx-00000002" in str(info.value)


def test_select_id_checks_the_id_again():
    assert np.select_id([peering("pcx-00000001", "vpc-aaaaaaaa", "vpc-bbbbbbbb", "active")], "pcx-00000002") is None
    assert np.select_id([], "pcx-00000002") is None


def test_read_pair_is_one_call_and_drops_self_pairs():
    client = FakeClient([[peering("pcx-00000001", "vpc-aaaaaaaa", "vpc-bbbbbbbb", "active"),
                          peering("pcx-00000002", "vpc-aaaaaaaa", "vpc-aaaaaaaa", "active")]])
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
    with pytest.raises(np.PeeringError):
        np.new_peering([failed, peering("pcx-00000004", "vpc-aaaaaaaa", "vpc-bbbbbbbb", "failed")],
                       "vpc-aaaaaaaa", "vpc-bbbbbbbb", set())


# -- malformed API data: a clear error naming the action and the field, never a traceback --------


GOOD = peering("pcx-00000001", "vpc-aaaaaaaa", "vpc-bbbbbbbb", "pending-acceptance", A, B, tags={"k": "v"})


def spoilt(**fields):
    bad = copy.deepcopy(GOOD)
    bad.update(fields)
    return bad


@pytest.mark.parametrize("answer, problem", [
    ({"NetPeerings": [None]}, "NetPeerings[0] is null, not an object"),
    ({"NetPeerings": {"NetPeeringId": "pcx-00000001"}}, "NetPeerings is an object, not a list"),
    ({"NetPeerings": "pcx-00000001"}, "NetPeerings is the string 'pcx-00000001', not a list"),
    ({"NetPeerings": 5}, "NetPeerings is a number, not a list"),
    ({"NetPeerings": [spoilt(State="active")]}, "NetPeerings[0].State is the string 'active', not an object"),
    ({"NetPeerings": [spoilt(State={"Message": "x"})]}, "NetPeerings[0].State.Name is null, not a state name"),
    ({"NetPeerings": [spoilt(Tags=[None])]}, "NetPeerings[0].Tags[0] is null, not an object"),
    ({"NetPeerings": [spoilt(Tags={"k": "v"})]}, "NetPeerings[0].Tags is an object, not a list"),
    ({"NetPeerings": [spoilt(Tags=[{"Key": "k", "Value": 3}])]}, "NetPeerings[0].Tags[0].Value is a number, not a string"),
    ({"NetPeerings": [spoilt(SourceNet="vpc-aaaaaaaa")]}, "NetPeerings[0].SourceNet is the string 'vpc-aaaaaaaa', not an object"),
    ({"NetPeerings": [spoilt(AccepterNet={"AccountId": B})]}, "NetPeerings[0].AccepterNet.NetId is null, not a Net ID"),
    ({"NetPeerings": [spoilt(NetPeeringId=None)]}, "NetPeerings[0].NetPeeringId is null, not a peering ID"),
    ({"NetPeerings": [GOOD, 7]}, "NetPeerings[1] is a number, not an object"),
])
def test_reads_refuse_malformed_data(answer, problem):
    answer = dict(answer, ResponseContext={"RequestId": "req-1"})
    for read in (lambda c: np.read_pair(c, "vpc-aaaaaaaa", "vpc-bbbbbbbb"), lambda c: np.read_by_id(c, "pcx-00000001")):
        with pytest.raises(np.UnexpectedResponse) as info:
            read(FakeClient([answer]))
        assert isinstance(info.value, np.PeeringError)
        assert str(info.value).startswith("The API returned an unexpected ReadNetPeerings response: %s." % problem)
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


def test_reads_follow_pages_and_stop_on_a_repeated_token():
    client = FakeClient([{"NetPeerings": [GOOD], "NextPageToken": "t1"}, {"NetPeerings": [], "NextPageToken": "t1"}])
    assert len(np.read_pair(client, "vpc-aaaaaaaa", "vpc-bbbbbbbb")) == 1
    assert [call[1].get("NextPageToken") for call in client.calls] == [None, "t1"]
    assert client.warnings and "NextPageToken twice" in client.warnings[0]


def test_reads_refuse_a_token_that_is_not_a_string():
    with pytest.raises(OscApiError) as info:
        np.read_pair(FakeClient([{"NetPeerings": [GOOD], "NextPageToken": 12}]), "vpc-aaaaaaaa", "vpc-bbbbbbbb")
    assert "ReadNetPeerings failed: unexpected response: NextPageToken is not a string (12)" in str(info.value)


def test_checked_peering_names_the_action():
    with pytest.raises(np.UnexpectedResponse) as info:
        np.checked_peering("weird", "AcceptNetPeering", response={"NetPeering": "weird"})
    assert str(info.value).startswith("The API returned an unexpected AcceptNetPeering response: NetPeering is the string 'weird'")


def test_normalize_peering_tolerates_odd_shapes():
    result = np.normalize_peering(spoilt(State="active", SourceNet="vpc-aaaaaaaa", Tags=[None, {"Key": "k", "Value": None}]))
    assert result["state"] == {"name": None, "message": None}
    assert result["source_net"] == {"account_id": None, "ip_range": None, "net_id": None}
    assert result["tags"] == {"k": ""}
    assert np.normalize_peering(None)["net_peering_id"] is None


# -- decisions ------------------------------------------------------------------


@pytest.mark.parametrize("state, found, by_pair, expected", [
    ("present", None, True, "create"),
    ("present", None, False, "not_found"),
    ("present", "pending-acceptance", True, "keep"),
    ("present", "active", False, "keep"),
    ("present", "rejected", False, "fail:terminal"),
    ("accepted", None, True, "create_accept"),
    ("accepted", None, False, "not_found"),
    ("accepted", "pending-acceptance", True, "accept"),
    ("accepted", "active", True, "keep"),
    ("accepted", "rejected", False, "fail:terminal"),
    ("accepted", "failed", False, "fail:terminal"),
    ("accepted", "expired", False, "fail:terminal"),
    ("rejected", "pending-acceptance", False, "reject"),
    ("rejected", "rejected", True, "keep"),
    ("rejected", "active", False, "fail:active"),
    ("rejected", None, True, "keep"),
    ("rejected", None, False, "keep"),
    ("rejected", "expired", False, "keep"),
    ("absent", "active", True, "delete"),
    ("absent", "pending-acceptance", False, "delete"),
    ("absent", None, True, "keep"),
    ("absent", None, False, "keep"),
    ("absent", "rejected", False, "keep"),
    ("absent", "deleted", False, "keep"),
])
def test_decide(state, found, by_pair, expected):
    current = peering("pcx-00000001", "vpc-aaaaaaaa", "vpc-bbbbbbbb", found) if found else None
    assert np.decide(state, current, by_pair) == expected


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


# -- tags -------------------------------------------------------------------------


def test_tag_diff_add_change_purge():
    create, delete = np.tag_diff({"a": "1", "b": "2", "c": "3"}, {"a": "1", "b": "20", "d": "4"}, True)
    assert create == {"b": "20", "d": "4"}
    assert delete == {"c": "3"}


def test_tag_diff_without_purge_keeps_unlisted():
    create, delete = np.tag_diff({"a": "1", "c": "3"}, {"a": "2"}, False)
    assert create == {"a": "2"} and delete == {}


def test_tag_diff_none_means_unmanaged():
    assert np.tag_diff({"a": "1"}, None, True) == ({}, {})


def test_tag_diff_empty_dict_purges_all():
    assert np.tag_diff({"a": "1", "b": ""}, {}, True) == ({}, {"a": "1", "b": ""})


def test_tag_diff_values_are_strings():
    assert np.tag_diff({"n": "1"}, {"n": 1, "none": None}, True) == ({"none": ""}, {})


def test_tag_diff_idempotent():
    assert np.tag_diff({"a": "1"}, {"a": "1"}, True) == ({}, {})


def test_validate_tags():
    assert np.validate_tags({"ok": "x"}) is None
    assert "key" in np.validate_tags({"": "x"})
    assert "255" in np.validate_tags({"k": "x" * 256})
    assert "255" in np.validate_tags({"k" * 256: "x"})


@pytest.mark.parametrize("value, kind", [({"nested": "x"}, "dict"), ([1, 2], "list")])
def test_validate_tags_refuses_nested_values(value, kind):
    message = np.validate_tags({"ok": "1", "k": value})
    assert message.startswith("tags: the value of 'k' is a %s" % kind) and "string" in message


def test_tags_to_dict_null_value_is_empty_string():
    assert np.tags_to_dict([{"Key": "k", "Value": None}, {"Key": "n"}, {"Key": "v", "Value": "1"}]) == {"k": "", "n": "", "v": "1"}
    # With a null Value read as "", tags {k: ""} need no CreateTags.
    assert np.tag_diff(np.tags_to_dict([{"Key": "k", "Value": None}]), {"k": ""}, True) == ({}, {})


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


def test_merge_response_keeps_known_tags():
    known = peering("pcx-00000001", "vpc-aaaaaaaa", "vpc-bbbbbbbb", "pending-acceptance", A, B, tags={"mine": "1"})
    other_view = peering("pcx-00000001", "vpc-aaaaaaaa", "vpc-bbbbbbbb", "active", A, B, tags={})
    merged = np.merge_response(known, other_view)
    assert merged["State"]["Name"] == "active" and merged["Tags"] == [{"Key": "mine", "Value": "1"}]


# -- waiting ----------------------------------------------------------------------


class FakeClock(object):
    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def test_wait_until_active_with_growing_interval():
    states = ["pending-acceptance"] * 6 + ["active"]
    client = FakeClient([[peering("pcx-00000001", "vpc-aaaaaaaa", "vpc-bbbbbbbb", s)] for s in states])
    clock = FakeClock()
    result = np.wait_for_state(client, "pcx-00000001", "active", 300, clock.sleep, clock.clock)
    assert result["State"]["Name"] == "active"
    assert clock.sleeps == [1, 2, 3, 4, 5, 5, 5]
    assert len(client.calls) == 7
    assert client.calls[0][1] == {"Filters": {"NetPeeringIds": ["pcx-00000001"]}, "ResultsPerPage": 1000}


@pytest.mark.parametrize("bad", ["rejected", "failed", "expired", "deleted"])
def test_wait_fails_fast(bad):
    client = FakeClient([[peering("pcx-00000001", "vpc-aaaaaaaa", "vpc-bbbbbbbb", "pending-acceptance")],
                         [peering("pcx-00000001", "vpc-aaaaaaaa", "vpc-bbbbbbbb", bad)]])
    clock = FakeClock()
    with pytest.raises(np.PeeringError) as info:
        np.wait_for_state(client, "pcx-00000001", "active", 300, clock.sleep, clock.clock)
    assert bad in str(info.value)
    assert info.value.peering["State"]["Name"] == bad
    assert len(client.calls) == 2


def test_wait_times_out():
    client = FakeClient([[peering("pcx-00000001", "vpc-aaaaaaaa", "vpc-bbbbbbbb", "pending-acceptance")]] * 100)
    clock = FakeClock()
    with pytest.raises(np.PeeringError) as info:
        np.wait_for_state(client, "pcx-00000001", "active", 12, clock.sleep, clock.clock)
    assert "Timed out after 12 s" in str(info.value) and "wait_timeout" in str(info.value)
    assert sum(clock.sleeps) == 12  # never sleeps past the deadline
    assert len(client.calls) == 5   # 1+2+3+4+2 s


def test_wait_peering_vanishes():
    client = FakeClient([[]])
    clock = FakeClock()
    with pytest.raises(np.PeeringError) as info:
        np.wait_for_state(client, "pcx-00000001", "active", 30, clock.sleep, clock.clock, intervals=(0,))
    assert "disappeared" in str(info.value)


# -- accepter_credentials ---------------------------------------------------------


def main_settings(**extra):
    options = dict(access_key="AKMAIN", secret_key="SKMAIN", region="us-east-2", endpoint="http://127.0.0.1:9/api/v1",
                   validate_certs=False, request_timeout=7, max_retries=2, retry_max_time=9)
    options.update(extra)
    return resolve_settings(options, environ={})


def test_accepter_settings_inherit_connection(monkeypatch):
    monkeypatch.setenv("OSC_ACCESS_KEY", "AKFROMENV")
    monkeypatch.setenv("OSC_SECRET_KEY", "SKFROMENV")
    monkeypatch.setenv("OSC_REGION", "ap-northeast-1")
    settings = np.accepter_settings(main_settings(), {"access_key": "AKB", "secret_key": "SKB", "region": None})
    assert (settings.access_key, settings.secret_key) == ("AKB", "SKB")
    assert settings.region == "us-east-2"  # the main connection's, never OSC_REGION
    assert settings.endpoint == "http://127.0.0.1:9/api/v1"
    assert settings.validate_certs is False
    assert (settings.request_timeout, settings.max_retries, settings.retry_max_time) == (7, 2, 9)


def test_accepter_settings_need_keys_or_profile(monkeypatch):
    monkeypatch.setenv("OSC_ACCESS_KEY", "AKFROMENV")
    monkeypatch.setenv("OSC_SECRET_KEY", "SKFROMENV")
    with pytest.raises(CredentialsError) as info:
        np.accepter_settings(main_settings(), {"region": "us-east-2"})
    assert "access_key and secret_key, or profile" in str(info.value)
    with pytest.raises(CredentialsError) as info:
        np.accepter_settings(main_settings(), {"access_key": "AKB"})
    assert "secret_key" in str(info.value)


def test_accepter_settings_from_profile(tmp_path):
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"partner": {"access_key": "AKP", "secret_key": "SKP"}}))
    settings = np.accepter_settings(main_settings(), {"profile": "partner", "config_file": str(config)})
    assert settings.access_key == "AKP" and settings.endpoint == "http://127.0.0.1:9/api/v1"


def test_accepter_settings_own_endpoint_wins(tmp_path):
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"partner": {"access_key": "AKP", "secret_key": "SKP",
                                              "endpoints": {"api": "http://127.0.0.1:10/api/v1"}}}))
    settings = np.accepter_settings(main_settings(), {"profile": "partner", "config_file": str(config)})
    assert settings.endpoint == "http://127.0.0.1:10/api/v1"
    settings = np.accepter_settings(main_settings(), {"access_key": "AKB", "secret_key": "SKB",
                                                      "endpoint": "http://127.0.0.1:11/api/v1", "validate_certs": True})
    assert settings.endpoint == "http://127.0.0.1:11/api/v1" and settings.validate_certs is True
