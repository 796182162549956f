"""The route writes, over a scripted client: an unknown outcome is settled by reading the table back.

Each row: the step, the peering, the scripted answers (a dict, or an exception to raise) ->
the calls made, in order, and whether the executor counts a write or the step fails.
"""

import pytest

from ansible_collections.outscale.cloud.plugins.module_utils import _peering_plan as pp
from ansible_collections.outscale.cloud.plugins.module_utils import _route_apply as ra
from ansible_collections.outscale.cloud.plugins.module_utils import _route_plan as rp
from ansible_collections.outscale.cloud.plugins.module_utils._client import OscAmbiguousWriteError, OscApiError
from ansible_collections.outscale.cloud.plugins.module_utils._errors import OscError
from ansible_collections.outscale.cloud.tests.unit.plugins.module_utils.peering_fixtures import FakeClient, peering

PCX, TABLE, DEST = "pcx-00000001", "rtb-00000001", "10.2.0.0/16"


def tables(*routes):
    table = {"RouteTableId": TABLE, "NetId": "vpc-aaaaaaa1", "LinkRouteTables": [], "Routes": list(routes)}
    return {"RouteTables": [table]}


def lost(action):
    return OscAmbiguousWriteError(action, "connection lost after the request was sent")


class Runner:
    def __init__(self, answers):
        self.clients = {pp.TASK: FakeClient(answers)}
        self.wrote = False
        self.warnings = []


def step(kind, peering_id=None):
    return pp.Step(
        kind, pp.TASK, "test", peering_id, net_id="vpc-aaaaaaa1", route_table_id=TABLE, destination_ip_range=DEST
    )


ACTIVE = peering(PCX, "vpc-aaaaaaa1", "vpc-aaaaaaa2", "active")
OURS = {"DestinationIpRange": DEST, "NetPeeringId": PCX}
THEIRS = {"DestinationIpRange": DEST, "GatewayId": "igw-00000001"}

# (name, kind, answers, calls, wrote, error words or None)
CASES = [
    ("create", rp.CREATE_ROUTE, [{}], ["CreateRoute"], True, None),
    (
        "create lost, read shows it: not sent again",
        rp.CREATE_ROUTE,
        [lost("CreateRoute"), tables(OURS)],
        ["CreateRoute", "ReadRouteTables"],
        True,
        None,
    ),
    (
        "create lost, read shows nothing: sent once more",
        rp.CREATE_ROUTE,
        [lost("CreateRoute"), tables(), {}],
        ["CreateRoute", "ReadRouteTables", "CreateRoute"],
        True,
        None,
    ),
    (
        "create lost twice: fails after two reads",
        rp.CREATE_ROUTE,
        [lost("CreateRoute"), tables(), lost("CreateRoute"), tables()],
        ["CreateRoute", "ReadRouteTables", "CreateRoute", "ReadRouteTables"],
        False,
        ["still has no route"],
    ),
    (
        "create lost, read shows another target: kept, fails naming it",
        rp.CREATE_ROUTE,
        [lost("CreateRoute"), tables(THEIRS)],
        ["CreateRoute", "ReadRouteTables"],
        False,
        ["igw-00000001", "left as is", TABLE],
    ),
    (
        "create refused as existing, ours: nothing to do",
        rp.CREATE_ROUTE,
        [OscApiError("CreateRoute", "exists", status=409), tables(OURS)],
        ["CreateRoute", "ReadRouteTables"],
        False,
        None,
    ),
    (
        "create refused as existing, another target",
        rp.CREATE_ROUTE,
        [OscApiError("CreateRoute", "exists", status=409), tables(THEIRS)],
        ["CreateRoute", "ReadRouteTables"],
        False,
        ["igw-00000001"],
    ),
    ("delete", rp.DELETE_ROUTE, [{}], ["DeleteRoute"], True, None),
    (
        "delete lost, still there: sent once more",
        rp.DELETE_ROUTE,
        [lost("DeleteRoute"), tables(OURS), {}],
        ["DeleteRoute", "ReadRouteTables", "DeleteRoute"],
        True,
        None,
    ),
    (
        "delete lost, gone: done",
        rp.DELETE_ROUTE,
        [lost("DeleteRoute"), tables()],
        ["DeleteRoute", "ReadRouteTables"],
        True,
        None,
    ),
    (
        "delete lost, now another target: never deleted again",
        rp.DELETE_ROUTE,
        [lost("DeleteRoute"), tables(THEIRS)],
        ["DeleteRoute", "ReadRouteTables"],
        False,
        ["igw-00000001"],
    ),
]


@pytest.mark.parametrize("name, kind, answers, calls, wrote, error", CASES, ids=[c[0] for c in CASES])
def test_route_writes(name, kind, answers, calls, wrote, error):
    runner = Runner(answers)
    the_step = step(kind, PCX if kind == rp.DELETE_ROUTE else None)
    if error:
        with pytest.raises(OscError) as caught:
            ra.write_route(runner, the_step, ACTIVE)
        for word in error:
            assert word in caught.value.full_message()
    else:
        ra.write_route(runner, the_step, ACTIVE)
    client = runner.clients[pp.TASK]
    assert [c[0] for c in client.calls] == calls
    assert runner.wrote == wrote
    if "ReadRouteTables" in calls:
        assert client.calls[1][1]["Filters"] == {"RouteTableIds": [TABLE]}
    if calls[0] == "CreateRoute":
        assert client.calls[0][1] == {"RouteTableId": TABLE, "DestinationIpRange": DEST, "NetPeeringId": PCX}


@pytest.mark.parametrize(
    "answers, outcome, wrote",
    [
        ([{}], "done", True),
        ([OscApiError("CreateRoute", "exists", status=409), tables(OURS)], ra.ALREADY_DONE, False),
        ([lost("CreateRoute"), tables(), OscApiError("CreateRoute", "exists", status=409), tables(OURS)], "done", True),
    ],
    ids=["written", "made meanwhile by another writer", "resend refused after an unknown outcome: ours"],
)
def test_a_route_another_writer_made_meanwhile_is_no_change_of_this_task(answers, outcome, wrote):
    # Reported truthfully: routes_created and `changed` count only the routes this task wrote.
    runner = Runner(answers)
    assert ra.write_route(runner, step(rp.CREATE_ROUTE), ACTIVE) == outcome
    assert runner.wrote == wrote


def test_no_route_to_a_peering_that_is_not_active():
    runner = Runner([])
    pending = peering(PCX, "vpc-aaaaaaa1", "vpc-aaaaaaa2", "pending-acceptance")
    with pytest.raises(OscError, match="not active"):
        ra.write_route(runner, step(rp.CREATE_ROUTE), pending)
    assert runner.clients[pp.TASK].calls == []


def failed_read():
    return OscApiError("ReadRouteTables", "server error", status=500)


@pytest.mark.parametrize(
    "kind, answers",
    [
        (rp.CREATE_ROUTE, [lost("CreateRoute"), failed_read()]),
        (rp.DELETE_ROUTE, [lost("DeleteRoute"), failed_read()]),
    ],
    ids=["create", "delete"],
)
def test_a_lost_route_write_whose_read_back_fails_may_have_changed(kind, answers):
    # Issue 19 (3): a write of unknown outcome whose read-back fails too may have taken effect:
    # the task reports changed and says the write was sent, not only that the read failed.
    runner = Runner(answers)
    with pytest.raises(OscError) as caught:
        ra.write_route(runner, step(kind, PCX if kind == rp.DELETE_ROUTE else None), ACTIVE)
    assert runner.wrote or caught.value.changed
    message = caught.value.full_message()
    assert ("CreateRoute" if kind == rp.CREATE_ROUTE else "DeleteRoute") in message and "may have" in message
    assert [w for w in runner.warnings if "may have changed something" in w]


def test_a_resent_create_refused_as_existing_through_this_peering_counts_as_this_task_s_change():
    # The first CreateRoute's outcome was unknown and the read showed no route (a read may lag);
    # the resend is refused as existing, and the route is through this peering: the first attempt
    # most likely made it, so the task changed something (as for CreateNetPeering, issue 19 (3)).
    runner = Runner([lost("CreateRoute"), tables(), OscApiError("CreateRoute", "exists", status=409), tables(OURS)])
    ra.write_route(runner, step(rp.CREATE_ROUTE), ACTIVE)
    assert runner.wrote


@pytest.mark.parametrize(
    "resend, last_read, wrote, error",
    [
        ("lost", tables(), True, None),
        ("lost", tables(OURS), False, ["still sends"]),
        ("refused", tables(), True, None),
    ],
    ids=["lost again, read gone: done", "lost again, read still there: fails", "refused, read gone: done"],
)
def test_a_delete_resent_after_an_unknown_outcome_is_read_back_too(resend, last_read, wrote, error):
    # The first DeleteRoute's outcome is unknown and the read shows the route still there; the resend's
    # outcome is unknown too (or it is refused: the first went through late). A read settles it.
    again = lost("DeleteRoute") if resend == "lost" else OscApiError("DeleteRoute", "no such route", status=400)
    runner = Runner([lost("DeleteRoute"), tables(OURS), again, last_read])
    if error:
        with pytest.raises(OscError) as caught:
            ra.write_route(runner, step(rp.DELETE_ROUTE, PCX), ACTIVE)
        assert all(word in caught.value.full_message() for word in error)
    else:
        ra.write_route(runner, step(rp.DELETE_ROUTE, PCX), ACTIVE)
    assert [c[0] for c in runner.clients[pp.TASK].calls] == [
        "DeleteRoute",
        "ReadRouteTables",
        "DeleteRoute",
        "ReadRouteTables",
    ]
    assert runner.wrote == wrote


@pytest.mark.parametrize(
    "answers, outcome, changed",
    [([{}], "done", True), ([OscApiError("CreateRoute", "exists", status=409), tables(OURS)], ra.ALREADY_DONE, False)],
    ids=["written", "made meanwhile by another writer"],
)
def test_the_executor_reports_a_route_made_by_another_writer_as_already_done(answers, outcome, changed):
    from ansible_collections.outscale.cloud.plugins.module_utils._peering_apply import Executor

    wanted = pp.Wanted("accepted", source_net_id="vpc-aaaaaaa1", accepter_net_id="vpc-aaaaaaa2")
    the_plan = pp.Plan(wanted, ACTIVE, ACTIVE, [step(rp.CREATE_ROUTE)])
    applied = Executor(Runner(answers).clients).apply(the_plan)
    assert [action["outcome"] for action in applied.actions] == [outcome]
    assert applied.changed is changed
