"""A state write (accept, reject, delete) whose outcome is unknown twice in a row.

The first attempt's outcome is unknown, the read shows it not done, the second attempt's outcome is
unknown too: either attempt may have taken effect, so the task must not report ``changed: false``.
"""

import pytest

from ansible_collections.outscale.cloud.plugins.module_utils import _peering_apply as ex
from ansible_collections.outscale.cloud.plugins.module_utils import _peering_plan as pp
from ansible_collections.outscale.cloud.plugins.module_utils._api_errors import OscAmbiguousWriteError, OscApiError
from ansible_collections.outscale.cloud.plugins.module_utils._errors import OscError
from ansible_collections.outscale.cloud.tests.unit.plugins.module_utils.peering_fixtures import FakeClient, peering

PCX, SRC, ACC = "pcx-00000001", "vpc-aaaaaaaa", "vpc-bbbbbbbb"


def lost(action):
    return OscAmbiguousWriteError(
        action, "connection lost before a response; the write may or may not have been applied"
    )


CASES = [
    # (name, wanted state, state before, the write, the last read: a state, or an exception)
    ("accept, then read active", "accepted", "pending-acceptance", "AcceptNetPeering", "active"),
    ("delete, then read deleted", "absent", "active", "DeleteNetPeering", "deleted"),
    ("accept, then the read fails", "accepted", "pending-acceptance", "AcceptNetPeering", "read fails"),
    ("delete, then the read fails", "absent", "active", "DeleteNetPeering", "read fails"),
]


@pytest.mark.parametrize("name, state, before, action, last", CASES, ids=[case[0] for case in CASES])
def test_a_write_lost_twice_is_read_back_and_may_have_changed(name, state, before, action, last):
    observed = [peering(PCX, SRC, ACC, before)]
    plan = pp.plan(pp.Wanted(state, net_peering_id=PCX), observed, pp.Actors())
    assert [step.kind for step in plan.steps] == [pp.ACCEPT if state == "accepted" else pp.DELETE]
    final = (
        OscApiError("ReadNetPeerings", "server error", status=500)
        if last == "read fails"
        else [peering(PCX, SRC, ACC, last)]
    )
    client = FakeClient([lost(action), [peering(PCX, SRC, ACC, before)], lost(action), final])
    executor = ex.Executor({pp.TASK: client}, wait=False)
    if last == "read fails":
        with pytest.raises(OscError) as caught:
            executor.apply(plan)
        assert caught.value.changed and "may have succeeded" in caught.value.full_message()
    else:
        outcome = executor.apply(plan)
        assert outcome.changed and outcome.peering["State"]["Name"] == last
    assert [call[0] for call in client.calls] == [action, "ReadNetPeerings", action, "ReadNetPeerings"]
