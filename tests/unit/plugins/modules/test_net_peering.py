"""outscale.cloud.net_peering: argument checks, then main() against the simulator over a real socket."""

import copy
import dataclasses
import json

import pytest
from simulator.errors import INTERNAL_ERROR, ApiError

from ansible_collections.outscale.cloud.plugins.modules import net_peering
from ansible_collections.outscale.cloud.tests.unit.plugins.modules.module_runs import run_main, warnings

A1, A2, B1 = "vpc-a1a1a1a1", "vpc-a2a2a2a2", "vpc-b1b1b1b1"
ACCOUNT_A, ACCOUNT_B = "111111111111", "222222222222"
KEYS_A = {"access_key": "AKSIMDEMOACCOUNTA001", "secret_key": "SKsimDemoSecretA0000000000000000000000001"}
KEYS_B = {"access_key": "AKSIMDEMOACCOUNTB001", "secret_key": "SKsimDemoSecretB0000000000000000000000001"}


def run(args, capsys, check_mode=False, diff=False):
    """Run main() once; return its JSON result (with 'failed' on failure)."""
    return run_main(net_peering, args, capsys, check_mode, diff)


class Sim:
    """The simulator plus the module arguments that reach it."""

    def __init__(self, simulator, capsys, monkeypatch):
        self.simulator = simulator
        self.capsys = capsys
        self.monkeypatch = monkeypatch
        self.connection = dict(endpoint=simulator.url, region=simulator.region, max_retries=3, retry_max_time=5)
        self.tampered = set()

    def tamper(self, action, change):
        """Answer ``action`` with change(the simulator's real answer, body): data the simulator would never send.

        The call is still made over the socket and still applied (unless ``change`` skips
        ``real``); only the response body changes.
        """
        real = getattr(self.simulator.api, "_" + action)
        self.monkeypatch.setattr(
            self.simulator.api,
            "_" + action,
            lambda caller, body, dry_run: change(lambda: real(caller, body, dry_run), body),
        )
        self.tampered.add(action)

    def forget_tampered_problems(self):
        """Tampered answers break outscale.yaml on purpose: keep the simulator's check for the others."""
        problems = self.simulator.response_problems
        problems[:] = [p for p in problems if p.split(" ", 1)[0].rstrip(":") not in self.tampered]

    def run(self, keys=None, check_mode=False, diff=False, **args):
        full = dict(self.connection, **(keys or KEYS_A))
        full.update(args)
        self.simulator.clear_log()
        return run(full, self.capsys, check_mode, diff)

    def calls(self, with_accounts=False):
        log = self.simulator.log()
        if with_accounts:
            return [(entry["action"], entry["account_id"]) for entry in log]
        return [entry["action"] for entry in log]

    def live(self):
        return [
            p
            for p in self.simulator.store.peerings.values()
            if p.state in ("pending-acceptance", "provisioning", "active")
        ]


@pytest.fixture
def sim(osc_simulator, capsys, monkeypatch):  # noqa: F811  pylint: disable=redefined-outer-name
    helper = Sim(osc_simulator, capsys, monkeypatch)
    yield helper
    helper.forget_tampered_problems()


# -- argument checks (no API call: the endpoint does not exist) --------------------

BAD_ARGS = [
    ({}, "give net_peering_id, or source_net_id and accepter_net_id"),
    ({"source_net_id": A1}, "source_net_id is set but accepter_net_id is not"),
    ({"net_peering_id": "pcx-12345678", "source_net_id": A1, "accepter_net_id": A2}, "mutually exclusive"),
    ({"net_peering_id": "pcx-12345678", "accepter_owner_id": ACCOUNT_B}, "mutually exclusive"),
    ({"net_peering_id": "pcx-1234"}, "net_peering_id 'pcx-1234' is not a Net peering ID: use pcx- followed by 8"),
    ({"net_peering_id": "vpc-12345678"}, "net_peering_id 'vpc-12345678' is not a Net peering ID"),
    ({"source_net_id": "vpc-XYZ", "accepter_net_id": A2}, "source_net_id 'vpc-XYZ' is not a Net ID: use vpc-"),
    ({"source_net_id": A1, "accepter_net_id": "subnet-12345678"}, "accepter_net_id 'subnet-12345678' is not a Net ID"),
    ({"source_net_id": A1, "accepter_net_id": A1}, "both vpc-a1a1a1a1: a peering links two different Nets"),
    (
        {"source_net_id": A1, "accepter_net_id": B1, "accepter_owner_id": "2222222222222"},
        "accepter_owner_id '2222222222222' is not an account ID",
    ),
    (
        {"source_net_id": A1, "accepter_net_id": B1, "accepter_owner_id": "22222222222x"},
        "accepter_owner_id '22222222222x' is not an account ID",
    ),
    ({"source_net_id": A1, "accepter_net_id": A2, "wait_timeout": 0}, "wait_timeout must be greater than 0"),
    ({"source_net_id": A1, "accepter_net_id": A2, "wait_timeout": -5}, "wait_timeout must be greater than 0"),
    ({"source_net_id": A1, "accepter_net_id": A2, "state": "enabled"}, "value of state must be one of"),
    ({"source_net_id": A1, "accepter_net_id": A2, "tags": {"": "x"}}, "tags: key '' must be 1 to 255"),
    (
        {"source_net_id": A1, "accepter_net_id": A2, "tags": {"k": "v" * 256}},
        "tags: the value of 'k' is longer than 255",
    ),
    (
        {"source_net_id": A1, "accepter_net_id": A2, "tags": {"k": {"nested": "x"}}},
        "tags: the value of 'k' is a dict; a tag value is a string",
    ),
    ({"source_net_id": A1, "accepter_net_id": A2, "tags": {"k": [1, 2]}}, "tags: the value of 'k' is a list"),
    (
        {
            "source_net_id": A1,
            "accepter_net_id": A2,
            "state": "accepted",
            "accepter_credentials": {"region": "eu-west-2"},
        },
        "accepter_credentials: set access_key and secret_key, or profile",
    ),
    (
        {"source_net_id": A1, "accepter_net_id": A2, "state": "rejected", "accepter_credentials": {"access_key": "AK"}},
        "accepter_credentials: access_key is set in the options but secret_key is not",
    ),
    (
        {
            "source_net_id": A1,
            "accepter_net_id": A2,
            "state": "accepted",
            "accepter_credentials": {"profile": "partner"},
        },
        "accepter_credentials: config_file",
    ),
    ({"source_net_id": A1, "accepter_net_id": A2, "accepter_credentials": {"bogus": 1, "profile": "p"}}, "bogus"),
    ({"source_net_id": A1, "accepter_net_id": A2, "request_timeout": 0}, "request_timeout must be at least 1"),
    # Issue 19, defect 6: a final newline passed the checks ("$" accepts it) and reached the API.
    ({"net_peering_id": "pcx-12345678\n"}, "net_peering_id 'pcx-12345678\\n' is not a Net peering ID"),
    ({"source_net_id": A1 + "\n", "accepter_net_id": A2}, "source_net_id 'vpc-a1a1a1a1\\n' is not a Net ID"),
    ({"source_net_id": A1, "accepter_net_id": A2 + "\r\n"}, "accepter_net_id 'vpc-a2a2a2a2\\r\\n' is not a Net ID"),
    (
        {"source_net_id": A1, "accepter_net_id": B1, "accepter_owner_id": ACCOUNT_B + "\n"},
        "accepter_owner_id '222222222222\\n' is not an account ID",
    ),
    ({"source_net_id": A1, "accepter_net_id": A2, "region": "eu-west-2\n"}, "is not a valid Outscale region"),
    ({"source_net_id": A1, "accepter_net_id": A2, "access_key": "AKSIMDEMOACCOUNTA001\r\n"}, "control characters"),
    # Issue 19, defect 10: more tags than a resource holds are refused before anything is created.
    (
        {"source_net_id": A1, "accepter_net_id": A2, "tags": {f"k{i}": "v" for i in range(51)}},
        "tags: 51 tags, but a resource holds at most 50",
    ),
]


@pytest.mark.parametrize("args, message", BAD_ARGS)
def test_bad_arguments_fail_clearly(args, message, capsys):
    full = dict(endpoint="http://127.0.0.1:9/api/v1", **KEYS_A)
    full.update(args)
    result = run(full, capsys)
    assert result["failed"] is True
    assert message in result["msg"]
    assert KEYS_A["secret_key"] not in json.dumps(result)
    assert "OSC4-HMAC-SHA256" not in json.dumps(result)  # no signed header, ever


def test_accepter_credentials_ignore_the_environment(monkeypatch, capsys):
    monkeypatch.setenv("OSC_ACCESS_KEY", KEYS_B["access_key"])
    monkeypatch.setenv("OSC_SECRET_KEY", KEYS_B["secret_key"])
    result = run(
        dict(
            endpoint="http://127.0.0.1:9/api/v1",
            source_net_id=A1,
            accepter_net_id=B1,
            state="accepted",
            accepter_credentials={"region": "eu-west-2"},
            **KEYS_A,
        ),
        capsys,
    )
    assert result["failed"] and "never used for it" in result["msg"]


# -- same account ---------------------------------------------------------------------


def test_same_account_lifecycle(sim):
    pair = dict(source_net_id=A1, accepter_net_id=A2)

    result = sim.run(check_mode=True, diff=True, **pair)
    assert result["changed"] and result["net_peering"]["net_peering_id"] is None
    assert result["diff"] == {
        "before": {},
        "after": {
            "net_peering_id": None,
            "state": "pending-acceptance",
            "tags": {},
            "source_net_id": A1,
            "source_account_id": None,
            "accepter_net_id": A2,
            "accepter_account_id": None,
        },
    }
    assert sim.calls() == ["ReadNetPeerings", "ReadNets"] and not sim.live()

    created = sim.run(**pair)
    assert created["changed"] and created["net_peering"]["state"]["name"] == "pending-acceptance"
    assert created["net_peering"]["source_net"] == {"account_id": ACCOUNT_A, "ip_range": "10.1.0.0/16", "net_id": A1}
    assert sim.calls() == ["ReadNetPeerings", "ReadNets", "CreateNetPeering"]
    peering_id = created["net_peering"]["net_peering_id"]

    for args in (pair, dict(source_net_id=A2, accepter_net_id=A1), dict(net_peering_id=peering_id)):
        result = sim.run(**args)
        assert not result["changed"] and result["net_peering"]["net_peering_id"] == peering_id
        assert sim.calls() == ["ReadNetPeerings"]

    result = sim.run(state="accepted", check_mode=True, diff=True, **pair)
    assert result["changed"] and result["diff"]["after"]["state"] == "active"
    assert sim.calls() == ["ReadNetPeerings"]

    result = sim.run(state="accepted", **pair)
    assert result["changed"] and result["net_peering"]["state"] == {"name": "active", "message": "Active"}
    assert sim.calls() == ["ReadNetPeerings", "AcceptNetPeering"]

    result = sim.run(state="accepted", **pair)
    assert not result["changed"] and sim.calls() == ["ReadNetPeerings"]

    result = sim.run(state="rejected", **pair)
    assert result["failed"] and "state=absent" in result["msg"] and sim.calls() == ["ReadNetPeerings"]

    result = sim.run(state="absent", check_mode=True, diff=True, **pair)
    assert result["changed"] and result["diff"]["after"]["state"] == "deleted" and len(sim.live()) == 1

    result = sim.run(state="absent", **pair)
    assert result["changed"] and result["net_peering"]["state"]["name"] == "deleted"
    assert sim.calls() == ["ReadNetPeerings", "DeleteNetPeering"] and not sim.live()

    result = sim.run(state="absent", **pair)
    assert not result["changed"] and result["net_peering"] is None and sim.calls() == ["ReadNetPeerings"]


def test_tags_converge(sim):
    pair = dict(source_net_id=A1, accepter_net_id=A2)
    result = sim.run(tags={"a": "1", "b": "2"}, **pair)
    assert result["net_peering"]["tags"] == {"a": "1", "b": "2"}
    assert sim.calls() == ["ReadNetPeerings", "ReadNets", "CreateNetPeering", "CreateTags"]

    result = sim.run(tags={"a": "1", "b": "2"}, **pair)
    assert not result["changed"] and sim.calls() == ["ReadNetPeerings"]

    result = sim.run(tags={"a": "10"}, purge_tags=False, diff=True, **pair)
    assert result["net_peering"]["tags"] == {"a": "10", "b": "2"}
    assert result["diff"]["before"]["tags"] == {"a": "1", "b": "2"}
    assert sim.calls() == ["ReadNetPeerings", "CreateTags"]

    result = sim.run(tags={"c": 3}, **pair)
    assert result["net_peering"]["tags"] == {"c": "3"}
    assert sim.calls() == ["ReadNetPeerings", "DeleteTags", "CreateTags"]

    result = sim.run(tags={"c": "3"}, check_mode=True, **pair)
    assert not result["changed"]

    result = sim.run(tags={}, **pair)
    assert result["net_peering"]["tags"] == {} and sim.calls() == ["ReadNetPeerings", "DeleteTags"]
    result = sim.run(**pair)
    assert result["net_peering"]["tags"] == {}


def test_create_and_accept_in_one_task_waits_for_active(sim):
    sim.simulator.set_accept_delay(0.3)
    result = sim.run(source_net_id=A1, accepter_net_id=A2, state="accepted")
    assert result["changed"] and result["net_peering"]["state"]["name"] == "active"
    calls = sim.calls()
    assert calls[:4] == ["ReadNetPeerings", "ReadNets", "CreateNetPeering", "AcceptNetPeering"]
    assert set(calls[4:]) == {"ReadNetPeerings"}


def test_wait_false_returns_after_the_accept(sim):
    sim.simulator.set_accept_delay(60)
    result = sim.run(source_net_id=A1, accepter_net_id=A2, state="accepted", wait=False)
    assert result["changed"] and result["net_peering"]["state"]["name"] == "pending-acceptance"
    assert sim.calls() == ["ReadNetPeerings", "ReadNets", "CreateNetPeering", "AcceptNetPeering"]


def test_wait_timeout(sim):
    sim.simulator.set_accept_delay(60)
    result = sim.run(source_net_id=A1, accepter_net_id=A2, state="accepted", wait_timeout=1)
    assert result["failed"] and result["changed"] and "Timed out after 1 s" in result["msg"]


def test_several_live_peerings_fail_listing_them(sim):
    first = sim.run(source_net_id=A1, accepter_net_id=A2)["net_peering"]["net_peering_id"]
    # The API keeps one live peering per pair, so the second one is planted in the store.
    store = sim.simulator.store
    with store.lock:
        original = store.peerings[first]
        # Same direction: the platform refuses that (both directions pending at once is allowed).
        twin = dataclasses.replace(copy.deepcopy(original), peering_id="pcx-0000beef", seq=original.seq + 1000)
        store.peerings[twin.peering_id] = twin
    for state in ("present", "accepted", "rejected", "absent"):
        result = sim.run(source_net_id=A1, accepter_net_id=A2, state=state)
        assert result["failed"] and not result["changed"]
        assert first in result["msg"] and "pcx-0000beef" in result["msg"]
        assert sim.calls() == ["ReadNetPeerings"]


def test_terminal_peerings_are_ignored_and_expiry_creates_a_new_one(sim):
    first = sim.run(source_net_id=A1, accepter_net_id=A2)["net_peering"]["net_peering_id"]
    sim.simulator.advance_clock(7 * 86400 + 1)
    result = sim.run(source_net_id=A1, accepter_net_id=A2)
    assert result["changed"] and result["net_peering"]["net_peering_id"] != first
    assert sim.calls() == ["ReadNetPeerings", "CreateNetPeering"]
    result = sim.run(net_peering_id=first, state="accepted")
    assert result["failed"] and "is expired (Expired)" in result["msg"]


def test_unknown_id(sim):
    assert not sim.run(net_peering_id="pcx-0000dead", state="absent")["changed"]
    assert not sim.run(net_peering_id="pcx-0000dead", state="rejected")["changed"]
    result = sim.run(net_peering_id="pcx-0000dead")
    assert result["failed"] and "pcx-0000dead was not found" in result["msg"]


def test_reject_then_present_creates_again(sim):
    first = sim.run(source_net_id=A1, accepter_net_id=A2)["net_peering"]["net_peering_id"]
    result = sim.run(source_net_id=A1, accepter_net_id=A2, state="rejected")
    assert result["changed"] and sim.calls() == ["ReadNetPeerings", "RejectNetPeering"]
    result = sim.run(source_net_id=A1, accepter_net_id=A2, state="rejected")
    assert not result["changed"] and result["net_peering"]["net_peering_id"] == first
    assert result["net_peering"]["state"]["name"] == "rejected"
    result = sim.run(source_net_id=A1, accepter_net_id=A2)
    assert result["changed"] and result["net_peering"]["net_peering_id"] != first


# -- faults -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, expected",
    [
        ("drop_after", ["ReadNetPeerings", "ReadNets", "CreateNetPeering", "ReadNetPeerings"]),
        ("drop_before", ["ReadNetPeerings", "ReadNets", "CreateNetPeering", "ReadNetPeerings", "CreateNetPeering"]),
        ("error_500", ["ReadNetPeerings", "ReadNets", "CreateNetPeering", "ReadNetPeerings", "CreateNetPeering"]),
    ],
)
def test_ambiguous_create_never_duplicates(sim, kind, expected):
    sim.simulator.add_fault(action="CreateNetPeering", kind=kind, count=1)
    result = sim.run(source_net_id=A1, accepter_net_id=A2)
    assert result["changed"] and result["net_peering"]["state"]["name"] == "pending-acceptance"
    assert sim.calls() == expected
    assert [p.peering_id for p in sim.live()] == [result["net_peering"]["net_peering_id"]]


def test_ambiguous_create_twice_fails_and_says_nothing_was_created(sim):
    sim.simulator.add_fault(action="CreateNetPeering", kind="drop_before", count=2)
    result = sim.run(source_net_id=A1, accepter_net_id=A2)
    assert result["failed"] and not result["changed"]
    assert "none was created; run the task again" in result["msg"]
    assert result["api_error"]["action"] == "CreateNetPeering"
    assert not sim.live()


def test_ambiguous_create_of_a_failed_peering_is_reported(sim):
    # Another account's Net, without credentials for it: its range cannot be read, so the
    # overlap is found by the platform (a failed peering), not before the create.
    net = sim.simulator.store.create_net(ACCOUNT_B, "10.1.0.0/24", "default")["NetId"]
    sim.simulator.add_fault(action="CreateNetPeering", kind="drop_after", count=1)
    result = sim.run(source_net_id=A1, accepter_net_id=net, accepter_owner_id=ACCOUNT_B)
    assert result["failed"] and result["changed"] and result["net_peering"]["state"]["name"] == "failed"
    assert sim.calls() == ["ReadNetPeerings", "ReadNets", "CreateNetPeering", "ReadNetPeerings"]


@pytest.mark.parametrize(
    "state, action, final",
    [
        ("accepted", "AcceptNetPeering", "active"),
        ("absent", "DeleteNetPeering", "deleted"),
        ("rejected", "RejectNetPeering", "rejected"),
    ],
)
def test_ambiguous_state_writes_are_read_back(sim, state, action, final):
    sim.run(source_net_id=A1, accepter_net_id=A2)
    sim.simulator.add_fault(action=action, kind="drop_after", count=1)
    result = sim.run(source_net_id=A1, accepter_net_id=A2, state=state)
    assert result["changed"] and result["net_peering"]["state"]["name"] == final
    assert sim.calls() == ["ReadNetPeerings", action, "ReadNetPeerings"]


@pytest.mark.parametrize("state, action", [("accepted", "AcceptNetPeering"), ("absent", "DeleteNetPeering")])
def test_lost_state_writes_are_sent_again(sim, state, action):
    sim.run(source_net_id=A1, accepter_net_id=A2)
    sim.simulator.add_fault(action=action, kind="drop_before", count=1)
    result = sim.run(source_net_id=A1, accepter_net_id=A2, state=state)
    assert result["changed"]
    assert sim.calls() == ["ReadNetPeerings", action, "ReadNetPeerings", action]


@pytest.mark.parametrize("kind", ["drop_after", "drop_before"])
@pytest.mark.parametrize("action, tags", [("CreateTags", {"a": "1", "b": "2"}), ("DeleteTags", {})])
def test_tag_writes_of_unknown_outcome_are_sent_once_more(sim, kind, action, tags):
    """A tag write is idempotent: one whose answer was lost is sent again, not read back."""
    pair = dict(source_net_id=A1, accepter_net_id=A2)
    sim.run(tags={"a": "1"}, **pair)
    sim.simulator.add_fault(action=action, kind=kind, count=1)
    result = sim.run(tags=tags, **pair)
    assert result["changed"] and result["net_peering"]["tags"] == tags
    assert sim.calls() == ["ReadNetPeerings", action, action]
    assert not sim.run(tags=tags, **pair)["changed"]


@pytest.mark.parametrize("action, tags", [("CreateTags", {"a": "1", "b": "2"}), ("DeleteTags", {})])
def test_tag_writes_are_sent_twice_at_most(sim, action, tags):
    """Two lost answers in a row: the task fails after two sends, and says it may have changed something."""
    pair = dict(source_net_id=A1, accepter_net_id=A2)
    sim.run(tags={"a": "1"}, **pair)
    sim.simulator.add_fault(action=action, kind="drop_after", count=2)
    result = sim.run(tags=tags, **pair)
    assert result["failed"] and result["changed"]
    assert result["api_error"]["action"] == action
    assert sim.calls() == ["ReadNetPeerings", action, action]


def test_throttling_is_survived(sim):
    for action in ("ReadNetPeerings", "CreateNetPeering"):
        sim.simulator.add_fault(action=action, kind="throttle_429", count=3)
    sim.connection.update(max_retries=6, retry_max_time=60)
    result = sim.run(source_net_id=A1, accepter_net_id=A2)
    assert result["changed"]
    ok = [e["action"] for e in sim.simulator.log() if e["status"] == 200]
    assert ok == ["ReadNetPeerings", "ReadNets", "CreateNetPeering"] and len(sim.calls()) == 9


def test_api_error_fields_in_the_result(sim):
    # A Net of another account, without credentials for it, cannot be checked: the platform answers.
    result = sim.run(source_net_id=A1, accepter_net_id="vpc-0000dead", accepter_owner_id=ACCOUNT_B)
    assert result["failed"] and not result["changed"]
    assert sim.calls(with_accounts=True) == [
        ("ReadNetPeerings", ACCOUNT_A),
        ("ReadNets", ACCOUNT_A),  # the source Net only: no ReadNets of account B's Net with account A's keys
        ("CreateNetPeering", ACCOUNT_A),
    ]
    assert result["api_error"]["action"] == "CreateNetPeering"
    assert result["api_error"]["code"] == "5065" and result["api_error"]["status_code"] == 400
    assert result["api_error"]["request_id"] and result["api_error"]["type"] == "InvalidResource"
    assert "accepter_owner_id" in result["msg"]


# -- the Nets, before any write (issue 20 item 5, issue 18) -------------------------------------


@pytest.mark.parametrize("check_mode", [True, False])
@pytest.mark.parametrize("side", ["source_net_id", "accepter_net_id"])
def test_a_missing_net_fails_the_task_before_any_write(sim, check_mode, side):
    pair = dict(dict(source_net_id=A1, accepter_net_id=A2), **{side: "vpc-0000dead"})
    result = sim.run(check_mode=check_mode, **pair)
    assert result["failed"] and not result["changed"]
    assert "Net vpc-0000dead cannot be seen with this task's credentials in region" in result["msg"]
    assert sim.simulator.region in result["msg"] and "check the Net ID" in result["msg"]
    assert sim.calls() == ["ReadNetPeerings", "ReadNets"] and not sim.live()


@pytest.mark.parametrize("state", ["absent", "rejected"])
def test_a_missing_net_with_nothing_to_create_is_not_read(sim, state):
    # Nothing would be created: a cleanup after its Net was deleted must not fail.
    result = sim.run(source_net_id=A1, accepter_net_id="vpc-0000dead", state=state)
    assert not result.get("failed") and not result["changed"] and sim.calls() == ["ReadNetPeerings"]


def test_an_accepter_net_its_owner_cannot_see_fails_before_any_write(sim):
    args = dict(
        source_net_id=A1,
        accepter_net_id=A2,  # account A's, not B's
        accepter_owner_id=ACCOUNT_B,
        state="accepted",
        accepter_credentials=dict(KEYS_B),
    )
    for check_mode in (True, False):
        result = sim.run(check_mode=check_mode, **args)
        assert result["failed"] and not result["changed"]
        assert f"Net {A2} cannot be seen with the accepter_credentials (accepter_owner_id {ACCOUNT_B})" in result["msg"]
        assert "accepter_owner_id and that accepter_credentials are that account's" in result["msg"]
        assert sim.calls(with_accounts=True) == [
            ("ReadNetPeerings", ACCOUNT_A),
            ("ReadNets", ACCOUNT_A),
            ("ReadNets", ACCOUNT_B),
        ]
    assert not sim.live()


def test_overlapping_nets_are_refused_without_routes_before_any_write(sim):
    net = sim.simulator.store.create_net(ACCOUNT_A, "10.1.0.0/24", "default")["NetId"]
    for check_mode in (True, False):
        result = sim.run(check_mode=check_mode, source_net_id=A1, accepter_net_id=net)
        assert result["failed"] and not result["changed"]
        assert f"Net {A1} (10.1.0.0/16) and Net {net} (10.1.0.0/24) have overlapping IP ranges" in result["msg"]
        assert sim.calls() == ["ReadNetPeerings", "ReadNets"]
    assert not sim.simulator.store.peerings


def test_a_rerun_makes_no_read_nets(sim):
    pair = dict(source_net_id=A1, accepter_net_id=A2, state="accepted")
    assert sim.run(**pair)["changed"]
    for check_mode in (True, False):
        result = sim.run(check_mode=check_mode, **pair)
        assert not result["changed"] and sim.calls() == ["ReadNetPeerings"]  # the ranges come from the peering


# -- cross-account ---------------------------------------------------------------------


def test_cross_account_in_one_task(sim):
    args = dict(
        source_net_id=A1,
        accepter_net_id=B1,
        accepter_owner_id=ACCOUNT_B,
        state="accepted",
        accepter_credentials=dict(KEYS_B),
        tags={"Name": "a-b"},
    )
    result = sim.run(**args)
    assert result["changed"] and result["net_peering"]["state"]["name"] == "active"
    assert result["net_peering"]["accepter_net"]["account_id"] == ACCOUNT_B
    assert result["net_peering"]["tags"] == {"Name": "a-b"}
    # Each Net is seen by its owner (one ReadNets per account: their ranges, and the accepter's keys
    # proven) before anything is created.
    assert sim.calls(with_accounts=True) == [
        ("ReadNetPeerings", ACCOUNT_A),
        ("ReadNets", ACCOUNT_A),
        ("ReadNets", ACCOUNT_B),
        ("CreateNetPeering", ACCOUNT_A),
        ("AcceptNetPeering", ACCOUNT_B),
        ("CreateTags", ACCOUNT_A),
    ]
    assert KEYS_B["secret_key"] not in json.dumps(result)
    result = sim.run(**args)
    assert not result["changed"] and sim.calls() == ["ReadNetPeerings"]


def test_cross_account_without_accepter_credentials_fails_before_creating(sim):
    result = sim.run(source_net_id=A1, accepter_net_id=B1, accepter_owner_id=ACCOUNT_B, state="accepted")
    assert result["failed"] and not result["changed"]
    assert (
        "Nothing was created" in result["msg"]
        and "accepter_credentials" in result["msg"]
        and ACCOUNT_B in result["msg"]
    )
    assert sim.calls() == ["ReadNetPeerings"] and not sim.live()


def test_cross_account_accepter_side(sim):
    requested = sim.run(source_net_id=A1, accepter_net_id=B1, accepter_owner_id=ACCOUNT_B)["net_peering"]
    # The accepter's own playbook names the pair without accepter_owner_id. The requester's could read
    # the same, so the module does not guess: it asks the API and explains the refusal.
    result = sim.run(keys=KEYS_B, source_net_id=A1, accepter_net_id=B1, state="absent")
    assert result["failed"] and not result["changed"] and "state=rejected" in result["msg"]
    assert "only the requester can delete it" in result["msg"] and result["api_error"]["status_code"] == 401
    assert sim.calls() == ["ReadNetPeerings", "DeleteNetPeering"]
    result = sim.run(keys=KEYS_B, net_peering_id=requested["net_peering_id"], state="absent")
    assert result["failed"] and "state=rejected" in result["msg"] and result["api_error"]["code"] == "5"
    result = sim.run(keys=KEYS_B, source_net_id=A1, accepter_net_id=B1, state="accepted")
    assert result["changed"] and sim.calls(with_accounts=True) == [
        ("ReadNetPeerings", ACCOUNT_B),
        ("AcceptNetPeering", ACCOUNT_B),
    ]
    # Requester, by pair, from its side: unchanged.
    result = sim.run(source_net_id=B1, accepter_net_id=A1, accepter_owner_id=ACCOUNT_A, keys=KEYS_B, state="accepted")
    assert not result["changed"]


def test_cross_account_requester_cannot_reject_without_credentials(sim):
    sim.run(source_net_id=A1, accepter_net_id=B1, accepter_owner_id=ACCOUNT_B)
    result = sim.run(source_net_id=A1, accepter_net_id=B1, accepter_owner_id=ACCOUNT_B, state="rejected")
    assert result["failed"] and "state=absent withdraws the request" in result["msg"]
    assert sim.calls() == ["ReadNetPeerings"]
    result = sim.run(
        source_net_id=A1,
        accepter_net_id=B1,
        accepter_owner_id=ACCOUNT_B,
        state="rejected",
        accepter_credentials=dict(KEYS_B),
    )
    assert result["changed"] and sim.calls(with_accounts=True) == [
        ("ReadNetPeerings", ACCOUNT_A),
        ("RejectNetPeering", ACCOUNT_B),
    ]


def test_accepter_credentials_from_a_profile(sim, tmp_path):
    config = tmp_path / "partner.json"
    config.write_text(json.dumps({"partner": KEYS_B}))
    result = sim.run(
        source_net_id=A1,
        accepter_net_id=B1,
        accepter_owner_id=ACCOUNT_B,
        state="accepted",
        accepter_credentials={"profile": "partner", "config_file": str(config)},
    )
    assert result["changed"] and result["net_peering"]["state"]["name"] == "active"
    assert ("AcceptNetPeering", ACCOUNT_B) in sim.calls(with_accounts=True)


# -- regressions: ownership not guessed on a two-account pair without accepter_owner_id -------------


@pytest.mark.parametrize("source, accepter", [(A1, B1), (B1, A1)])
def test_requester_deletes_its_pending_peering_by_pair_without_accepter_owner_id(sim, source, accepter):
    sim.run(source_net_id=A1, accepter_net_id=B1, accepter_owner_id=ACCOUNT_B)
    result = sim.run(source_net_id=source, accepter_net_id=accepter, state="absent")
    assert not result.get("failed"), result["msg"]
    assert result["changed"] and result["net_peering"]["state"]["name"] == "deleted"
    assert sim.calls(with_accounts=True) == [("ReadNetPeerings", ACCOUNT_A), ("DeleteNetPeering", ACCOUNT_A)]
    assert not sim.live()


@pytest.mark.parametrize(
    "state, action, final", [("accepted", "AcceptNetPeering", "active"), ("rejected", "RejectNetPeering", "rejected")]
)
def test_requester_by_pair_without_accepter_owner_id_acts_through_accepter_credentials(sim, state, action, final):
    sim.run(source_net_id=A1, accepter_net_id=B1, accepter_owner_id=ACCOUNT_B)
    result = sim.run(source_net_id=A1, accepter_net_id=B1, state=state, accepter_credentials=dict(KEYS_B))
    assert not result.get("failed"), result["msg"]
    assert result["changed"] and result["net_peering"]["state"]["name"] == final
    assert sim.calls(with_accounts=True) == [("ReadNetPeerings", ACCOUNT_A), (action, ACCOUNT_B)]


def test_accepter_by_pair_without_accepter_owner_id_still_acts_as_itself(sim):
    sim.run(source_net_id=A1, accepter_net_id=B1, accepter_owner_id=ACCOUNT_B)
    result = sim.run(keys=KEYS_B, source_net_id=A1, accepter_net_id=B1, state="rejected")
    assert result["changed"] and sim.calls(with_accounts=True) == [
        ("ReadNetPeerings", ACCOUNT_B),
        ("RejectNetPeering", ACCOUNT_B),
    ]


# -- regressions: accepter_owner_id set to the task's own account -----------------------------------


def test_accepted_with_own_account_as_accepter_owner_id_unknowable_fails_before_creating_saying_omit_it(sim):
    result = sim.run(source_net_id=A1, accepter_net_id=A2, accepter_owner_id=ACCOUNT_A, state="accepted")
    assert result["failed"] and not result["changed"] and "Nothing was created" in result["msg"]
    assert "If accepter_owner_id (111111111111) is this task's own account, omit it." in result["msg"]
    assert sim.calls() == ["ReadNetPeerings"] and not sim.live()


def test_accepted_with_own_account_as_accepter_owner_id_known_from_an_earlier_peering(sim):
    first = sim.run(source_net_id=A1, accepter_net_id=A2)["net_peering"]["net_peering_id"]
    sim.run(net_peering_id=first, state="rejected")  # stays visible, and shows both Nets are account A's
    result = sim.run(source_net_id=A1, accepter_net_id=A2, accepter_owner_id=ACCOUNT_A, state="accepted")
    assert not result.get("failed"), result["msg"]
    assert result["changed"] and result["net_peering"]["state"]["name"] == "active"
    assert result["net_peering"]["net_peering_id"] != first
    assert sim.calls() == ["ReadNetPeerings", "CreateNetPeering", "AcceptNetPeering"]


# -- regressions: a CreateNetPeering that succeeds without returning the peering is never resent -----


def without_peering(real, body):
    real()  # created
    return {}


def test_create_answered_without_a_peering_is_adopted_not_sent_again(sim):
    sim.tamper("CreateNetPeering", without_peering)
    result = sim.run(source_net_id=A1, accepter_net_id=A2, tags={"Name": "x"})
    assert not result.get("failed"), result["msg"]
    assert result["changed"] and result["net_peering"]["state"]["name"] == "pending-acceptance"
    assert sim.calls() == ["ReadNetPeerings", "ReadNets", "CreateNetPeering", "ReadNetPeerings", "CreateTags"]
    assert [p.peering_id for p in sim.live()] == [result["net_peering"]["net_peering_id"]]
    assert any("CreateNetPeering returned no usable peering" in w for w in warnings(result))


def test_create_answered_with_a_malformed_peering_is_adopted_not_sent_again(sim):
    sim.tamper("CreateNetPeering", lambda real, body: dict(real(), NetPeering="weird"))
    result = sim.run(source_net_id=A1, accepter_net_id=A2, state="accepted")
    assert result["changed"] and result["net_peering"]["state"]["name"] == "active"
    assert sim.calls() == ["ReadNetPeerings", "ReadNets", "CreateNetPeering", "ReadNetPeerings", "AcceptNetPeering"]
    assert len(sim.live()) == 1


def test_create_answered_without_a_peering_and_none_found_fails_changed_without_resending(sim):
    sim.tamper("CreateNetPeering", lambda real, body: {})  # a 200 that made nothing visible
    result = sim.run(source_net_id=A1, accepter_net_id=A2)
    assert result["failed"] and result["changed"]
    assert "It was not sent again" in result["msg"] and "no NetPeering in the response" in result["msg"]
    assert sim.calls() == ["ReadNetPeerings", "ReadNets", "CreateNetPeering", "ReadNetPeerings"] and not sim.live()


def test_create_answered_without_a_peering_then_a_failed_read_is_still_changed(sim):
    def created_then_reads_fail(real, body):
        sim.simulator.add_fault(action="ReadNetPeerings", kind="error_500", count=1)
        return without_peering(real, body)

    sim.tamper("CreateNetPeering", created_then_reads_fail)
    sim.connection.update(max_retries=0)
    result = sim.run(source_net_id=A1, accepter_net_id=A2)
    assert result["failed"] and result["changed"] and result["api_error"]["action"] == "ReadNetPeerings"
    assert (
        sim.calls() == ["ReadNetPeerings", "ReadNets", "CreateNetPeering", "ReadNetPeerings"] and len(sim.live()) == 1
    )


def test_lost_create_then_a_create_without_a_peering_is_adopted(sim):
    # drop_before loses the first create (re-read finds nothing, so it is sent again); the
    # second succeeds without a peering: adopted, no third create.
    sim.simulator.add_fault(action="CreateNetPeering", kind="drop_before", count=1)
    sim.tamper("CreateNetPeering", without_peering)
    result = sim.run(source_net_id=A1, accepter_net_id=A2)
    assert result["changed"] and not result.get("failed")
    assert sim.calls() == [
        "ReadNetPeerings",
        "ReadNets",
        "CreateNetPeering",
        "ReadNetPeerings",
        "CreateNetPeering",
        "ReadNetPeerings",
    ]
    assert len(sim.live()) == 1


# -- regressions: malformed API data fails clearly, never with a traceback --------------------------


def first_peering(change):
    def tampered(real, body):
        answer = real()
        if answer.get("NetPeerings"):
            change(answer, answer["NetPeerings"][0])
        return answer

    return tampered


@pytest.mark.parametrize(
    "change, problem",
    [
        (lambda answer, p: answer.update(NetPeerings=[None]), "NetPeerings[0] is null, not an object"),
        (lambda answer, p: answer.update(NetPeerings=p), "NetPeerings is an object, not a list"),
        (lambda answer, p: p.update(State="active"), "NetPeerings[0].State is the string 'active', not an object"),
        (lambda answer, p: p.update(Tags=[None]), "NetPeerings[0].Tags[0] is null, not an object"),
        (
            lambda answer, p: p.update(SourceNet=A1),
            "NetPeerings[0].SourceNet is the string 'vpc-a1a1a1a1', not an object",
        ),
    ],
)
@pytest.mark.parametrize("args", [dict(source_net_id=A1, accepter_net_id=A2), dict(state="absent")])
def test_malformed_read_fails_clearly(sim, change, problem, args):
    peering_id = sim.run(source_net_id=A1, accepter_net_id=A2)["net_peering"]["net_peering_id"]
    if "source_net_id" not in args:
        args = dict(args, net_peering_id=peering_id)
    sim.tamper("ReadNetPeerings", first_peering(change))
    result = sim.run(**args)
    assert result["failed"] and not result["changed"] and "exception" not in result
    assert result["msg"].startswith(f"The API returned an unexpected ReadNetPeerings response: {problem}.")
    assert "RequestId" in result["msg"] and sim.calls() == ["ReadNetPeerings"] and len(sim.live()) == 1


def test_malformed_accept_answer_fails_clearly_and_changed(sim):
    sim.run(source_net_id=A1, accepter_net_id=A2)
    sim.tamper("AcceptNetPeering", lambda real, body: dict(real(), NetPeering="weird"))
    result = sim.run(source_net_id=A1, accepter_net_id=A2, state="accepted", wait=False)
    assert result["failed"] and result["changed"] and "exception" not in result, result
    assert result["msg"].startswith(
        "The API returned an unexpected AcceptNetPeering response: NetPeering is the string 'weird'"
    )


def test_null_tag_value_reads_as_empty_string(sim):
    sim.run(source_net_id=A1, accepter_net_id=A2, tags={"k": ""})

    def null_values(answer, p):
        for tag in p["Tags"]:
            tag["Value"] = None

    sim.tamper("ReadNetPeerings", first_peering(null_values))
    result = sim.run(source_net_id=A1, accepter_net_id=A2, tags={"k": ""})
    assert not result["changed"] and result["net_peering"]["tags"] == {"k": ""}
    assert sim.calls() == ["ReadNetPeerings"]


# -- options a state does not use ---------------------------------------------------------------------


@pytest.mark.parametrize("state", ["present", "absent"])
def test_accepter_credentials_are_not_resolved_when_the_state_does_not_use_them(sim, state):
    result = sim.run(
        source_net_id=A1,
        accepter_net_id=A2,
        state=state,
        accepter_credentials={"profile": "nowhere", "config_file": "/nonexistent/config.json"},
    )
    assert not result.get("failed"), result["msg"]
    assert any(
        "accepter_credentials are only used with state=accepted or state=rejected" in w for w in warnings(result)
    )


def test_purge_keeps_tags_of_a_cross_account_peering_and_remove_tags_deletes_them(sim):
    pair = dict(source_net_id=A1, accepter_net_id=B1, accepter_owner_id=ACCOUNT_B)
    sim.run(tags={"Name": "x", "scope": "s"}, **pair)
    result = sim.run(tags={"k": "v"}, **pair)
    assert result["changed"] and result["net_peering"]["tags"] == {"Name": "x", "scope": "s", "k": "v"}
    assert sim.calls() == ["ReadNetPeerings", "CreateTags"]
    assert any("purge_tags kept 'Name', 'scope'" in w for w in warnings(result)), result.get("warnings")

    result = sim.run(tags={"k": "v"}, remove_tags=["scope"], **pair)
    assert result["changed"] and result["net_peering"]["tags"] == {"Name": "x", "k": "v"}
    assert sim.calls() == ["ReadNetPeerings", "DeleteTags"]


def test_remove_tags_and_tags_cannot_name_one_key(sim):
    result = sim.run(source_net_id=A1, accepter_net_id=A2, tags={"k": "v"}, remove_tags=["k"])
    assert result["failed"] and "remove_tags and tags both name 'k'" in result["msg"] and sim.calls() == []


@pytest.mark.parametrize("state", ["rejected", "absent"])
def test_tags_with_a_state_that_ignores_them_warn(sim, state):
    sim.run(source_net_id=A1, accepter_net_id=A2)
    result = sim.run(source_net_id=A1, accepter_net_id=A2, state=state, tags={"k": "v"})
    assert result["changed"] and sim.calls() == [
        "ReadNetPeerings",
        "RejectNetPeering" if state == "rejected" else "DeleteNetPeering",
    ]
    assert any("tags are only applied with state=present or state=accepted" in w for w in warnings(result)), result.get(
        "warnings"
    )


def test_waiting_rides_out_throttled_polls(sim):
    """The polls of a wait are throttled beyond the client's retries (max_retries=0): the wait goes on."""
    sim.simulator.set_accept_delay(1)

    def accept_then_throttle(real, body):
        answer = real()
        sim.simulator.add_fault(action="ReadNetPeerings", kind="throttle_429", count=3)
        return answer

    sim.tamper("AcceptNetPeering", accept_then_throttle)
    result = sim.run(source_net_id=A1, accepter_net_id=A2, state="accepted", max_retries=0)
    assert result["changed"] and result["net_peering"]["state"]["name"] == "active", result.get("msg")
    statuses = [entry["status"] for entry in sim.simulator.log() if entry["action"] == "ReadNetPeerings"]
    assert statuses.count(429) >= 3 and statuses[-1] == 200


def test_absent_both_pending_without_accepter_owner_id_deletes_its_own_and_says_what_remains(sim):
    """The task cannot tell its side (no accepter_owner_id): it tries both; the platform refuses the other's."""
    store = sim.simulator.store
    mine = store.create_peering(ACCOUNT_A, A1, B1, ACCOUNT_B)
    theirs = store.create_peering(ACCOUNT_B, B1, A1, ACCOUNT_A)
    mine_id = getattr(mine, "peering_id", None) or mine["NetPeeringId"]
    theirs_id = getattr(theirs, "peering_id", None) or theirs["NetPeeringId"]
    result = sim.run(source_net_id=A1, accepter_net_id=B1, state="absent")
    assert not result.get("failed"), result.get("msg")
    assert result["changed"] and result["net_peering"]["net_peering_id"] == mine_id
    assert result["net_peering"]["state"]["name"] == "deleted"
    remains = [w for w in warnings(result) if theirs_id + " remains" in w]
    assert remains and "only the requester can delete it" in remains[0], warnings(result)
    assert [p.peering_id for p in sim.live()] == [theirs_id]


def test_accepter_key_refused_names_accepter_credentials(sim):
    wrong_b = {"access_key": "AKUNKNOWNKEY00000001", "secret_key": "SKunknown000000000000000000000000000001"}
    result = sim.run(
        source_net_id=A1,
        accepter_net_id=B1,
        accepter_owner_id=ACCOUNT_B,
        state="accepted",
        accepter_credentials=wrong_b,
    )
    assert result["failed"] and not sim.live()
    assert "accepter_credentials" in result["msg"] and "not known in region" in result["msg"], result["msg"]


# -- issue 19, defect 3: a create (accept, delete) whose outcome is settled late -------------------


def stale_reads(sim, count):
    """The next ``count`` ReadNetPeerings after the first answer an empty list, as a read lagging a slow write does."""
    seen = {"reads": 0}

    def change(real, body):
        seen["reads"] += 1
        if 1 < seen["reads"] <= 1 + count:
            return {"NetPeerings": [], "ResponseContext": {"RequestId": "stale-read"}}
        return real()

    sim.tamper("ReadNetPeerings", change)


def test_create_of_unknown_outcome_whose_resend_conflicts_is_adopted_and_changed(sim):
    # The create went through but its answer was lost; the read-back lags, so the create is sent
    # again and refused with 409/9067: the peering is the first attempt's.
    sim.simulator.add_fault(action="CreateNetPeering", kind="drop_after", count=1)
    stale_reads(sim, 1)
    result = sim.run(source_net_id=A1, accepter_net_id=A2)
    assert not result.get("failed"), result["msg"]
    assert result["changed"] and result["net_peering"]["state"]["name"] == "pending-acceptance"
    assert sim.calls() == [
        "ReadNetPeerings",
        "ReadNets",
        "CreateNetPeering",
        "ReadNetPeerings",
        "CreateNetPeering",
        "ReadNetPeerings",
    ]
    assert [p.peering_id for p in sim.live()] == [result["net_peering"]["net_peering_id"]]
    assert any("Code 9067" in w and "adopted" in w for w in warnings(result))


def failing_reads_after_the_first(sim):
    """Every ReadNetPeerings after the planning one fails with HTTP 500."""
    seen = {"reads": 0}

    def change(real, body):
        seen["reads"] += 1
        if seen["reads"] > 1:
            raise ApiError(INTERNAL_ERROR, "Internal error (read-back refused by the test).")
        return real()

    sim.tamper("ReadNetPeerings", change)


def test_create_of_unknown_outcome_whose_read_back_fails_says_it_may_have_succeeded(sim):
    sim.simulator.add_fault(action="CreateNetPeering", kind="drop_after", count=1)
    failing_reads_after_the_first(sim)
    result = sim.run(source_net_id=A1, accepter_net_id=A2, max_retries=0)
    assert result["failed"] and result["changed"] is True
    assert "CreateNetPeering was sent and may have succeeded" in result["msg"], result["msg"]
    assert "Run the task again" in result["msg"]
    assert any("may have changed something" in w for w in warnings(result))
    assert sim.calls() == ["ReadNetPeerings", "ReadNets", "CreateNetPeering", "ReadNetPeerings"]


@pytest.mark.parametrize("state, action", [("accepted", "AcceptNetPeering"), ("absent", "DeleteNetPeering")])
def test_state_write_of_unknown_outcome_whose_read_back_fails_says_it_may_have_succeeded(sim, state, action):
    sim.run(source_net_id=A1, accepter_net_id=A2)
    sim.simulator.add_fault(action=action, kind="drop_after", count=1)
    failing_reads_after_the_first(sim)
    result = sim.run(source_net_id=A1, accepter_net_id=A2, state=state, max_retries=0)
    assert result["failed"] and result["changed"] is True
    assert f"{action} was sent and may have succeeded" in result["msg"], result["msg"]
    assert any("may have changed something" in w for w in warnings(result))
