"""The executor's pure parts: waiting (polls, jitter, throttling, timeouts) and merging reads."""

import pytest

from ansible_collections.outscale.cloud.plugins.module_utils import _peering_apply as ex
from ansible_collections.outscale.cloud.plugins.module_utils import _peering_plan as pp
from ansible_collections.outscale.cloud.plugins.module_utils._api_errors import OscApiError
from ansible_collections.outscale.cloud.plugins.module_utils._errors import OscError
from ansible_collections.outscale.cloud.plugins.module_utils._outcome import Outcome
from ansible_collections.outscale.cloud.tests.unit.plugins.module_utils.peering_fixtures import (
    A,
    B,
    FakeClient,
    peering,
)


def executor(client, clock, timeout):
    return ex.Executor({"task": client}, wait_timeout=timeout, sleep=clock.sleep, clock=clock.clock, jitter=lambda: 0.5)


def test_merge_response_keeps_known_tags():
    known = peering("pcx-00000001", "vpc-aaaaaaaa", "vpc-bbbbbbbb", "pending-acceptance", A, B, tags={"mine": "1"})
    other_view = peering("pcx-00000001", "vpc-aaaaaaaa", "vpc-bbbbbbbb", "active", A, B, tags={})
    merged = ex.Executor._merge_read(known, other_view)
    assert merged["State"]["Name"] == "active" and merged["Tags"] == [{"Key": "mine", "Value": "1"}]


# -- waiting ----------------------------------------------------------------------


class FakeClock:
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
    result = executor(client, clock, 300).wait_for_state("pcx-00000001", "active")
    assert result["State"]["Name"] == "active"
    assert clock.sleeps == [1, 2, 3, 4, 5, 5, 5]  # jitter 0.5: the middle of the +-25% band
    assert len(client.calls) == 7
    assert client.calls[0][1] == {"Filters": {"NetPeeringIds": ["pcx-00000001"]}, "ResultsPerPage": 1000}


@pytest.mark.parametrize("bad", ["rejected", "failed", "expired", "deleted"])
def test_wait_fails_fast(bad):
    client = FakeClient(
        [
            [peering("pcx-00000001", "vpc-aaaaaaaa", "vpc-bbbbbbbb", "pending-acceptance")],
            [peering("pcx-00000001", "vpc-aaaaaaaa", "vpc-bbbbbbbb", bad)],
        ]
    )
    clock = FakeClock()
    with pytest.raises(OscError) as info:
        executor(client, clock, 300).wait_for_state("pcx-00000001", "active")
    assert bad in str(info.value)
    assert info.value.result["peering"]["State"]["Name"] == bad
    assert len(client.calls) == 2


def test_wait_times_out():
    client = FakeClient([[peering("pcx-00000001", "vpc-aaaaaaaa", "vpc-bbbbbbbb", "pending-acceptance")]] * 100)
    clock = FakeClock()
    with pytest.raises(OscError) as info:
        executor(client, clock, 12).wait_for_state("pcx-00000001", "active")
    assert "Timed out after 12 s" in str(info.value) and "wait_timeout" in str(info.value)
    assert sum(clock.sleeps) == 12  # never sleeps past the deadline
    assert len(client.calls) == 5  # 1+2+3+4+2 s


def test_wait_peering_vanishes():
    client = FakeClient([[]])
    clock = FakeClock()
    with pytest.raises(OscError) as info:
        executor(client, clock, 30).wait_for_state("pcx-00000001", "active")
    assert "disappeared" in str(info.value)


def test_wait_jitter_spreads_polls():
    client = FakeClient(
        [[peering("pcx-00000001", "vpc-aaaaaaaa", "vpc-bbbbbbbb", s)] for s in ["pending-acceptance", "active"]]
    )
    clock = FakeClock()
    wait = ex.Executor({"task": client}, wait_timeout=300, sleep=clock.sleep, clock=clock.clock, jitter=lambda: 0.0)
    wait.wait_for_state("pcx-00000001", "active")
    assert clock.sleeps == [0.75, 1.5]


def test_wait_rides_out_throttling():
    throttled = OscApiError("ReadNetPeerings", "throttled; gave up after 7 attempts", status=429, code="24")
    answers = [
        [peering("pcx-00000001", "vpc-aaaaaaaa", "vpc-bbbbbbbb", "pending-acceptance")],
        throttled,
        throttled,
        [peering("pcx-00000001", "vpc-aaaaaaaa", "vpc-bbbbbbbb", "active")],
    ]
    client = FakeClient(answers)
    clock = FakeClock()
    assert executor(client, clock, 300).wait_for_state("pcx-00000001", "active")["State"]["Name"] == "active"
    assert len(client.calls) == 4


def test_wait_does_not_hide_other_errors():
    client = FakeClient([OscApiError("ReadNetPeerings", "refused", status=401, code="1")])
    with pytest.raises(OscApiError):
        executor(client, FakeClock(), 300).wait_for_state("pcx-00000001", "active")


@pytest.mark.parametrize("check_mode", [False, True])
@pytest.mark.parametrize(
    "wanted, observed, tags",
    [
        (pp.Wanted("accepted", source_net_id="vpc-a1", accepter_net_id="vpc-a2"), "active", {"k": "v"}),
        (
            pp.Wanted("accepted", source_net_id="vpc-a1", accepter_net_id="vpc-a2", tags={"k": "v"}),
            "active",
            {"k": "v"},
        ),
        (pp.Wanted("present", source_net_id="vpc-a1", accepter_net_id="vpc-a2", tags={}), "active", {}),
        (pp.Wanted("present", source_net_id="vpc-a1", accepter_net_id="vpc-a2"), "pending-acceptance", None),
        (pp.Wanted("absent", source_net_id="vpc-a1", accepter_net_id="vpc-a2"), None, None),
        (pp.Wanted("rejected", source_net_id="vpc-a1", accepter_net_id="vpc-a2"), "rejected", None),
    ],
)
def test_nothing_to_do_is_what_the_executor_reports(wanted, observed, tags, check_mode):
    # net_peerings skips the executor for plans without steps: the outcome must be the same as applying them.
    world = [peering("pcx-00000001", "vpc-a1", "vpc-a2", observed, tags=tags)] if observed else []
    the_plan = pp.plan(wanted, world, pp.Actors(region="eu-west-2"))
    assert the_plan.steps == [] and the_plan.refusal is None
    client = FakeClient([])
    applied = ex.Executor({"task": client}).apply(the_plan, check_mode=check_mode)
    skipped = Outcome.of_nothing_to_do(the_plan, check_mode)
    assert (skipped.peering, skipped.changed, skipped.actions) == (applied.peering, applied.changed, applied.actions)
    assert client.calls == []
