"""net_peering with routes: wait=false, a side without credentials, throttled and lost route writes; against the simulator over a real socket (the demo seed of
test_net_peering_routes: vpc-a1a1a1a1 10.1.0.0/16 and vpc-a2a2a2a2 10.2.0.0/16 in account A)."""

import pytest

from ansible_collections.outscale.cloud.tests.unit.plugins.modules.module_runs import warnings
from ansible_collections.outscale.cloud.tests.unit.plugins.modules.test_net_peering_routes import (
    A1,
    A2,
    ACCOUNT_B,
    B1,
    Sim,
)


@pytest.fixture
def sim(osc_simulator, capsys):
    return Sim(osc_simulator, capsys)


# Found by review: check mode planned the routes of a peering accepted with wait=false, and the real run failed
# after the accept, the peering still pending (the platform takes a while to make an accepted peering active).
def test_wait_false_check_mode_and_real_run_agree_on_routes(sim):
    sim.simulator.set_accept_delay(60)  # an accepted peering stays pending-acceptance for a while
    args = dict(state="accepted", routes={}, source_net_id=A1, accepter_net_id=A2, wait=False)
    planned = sim.run(check_mode=True, **args)
    result = sim.run(**args)
    assert not planned.get("failed") and not result.get("failed"), result.get("msg")
    assert planned["route_actions"] == result["route_actions"] == []
    assert any("wait=false" in w for w in warnings(result)), warnings(result)
    assert not any(action == "CreateRoute" for action, _unused in sim.calls())
    # Once active, a run writes them.
    sim.simulator.advance_clock(61)
    later = sim.run(**args)
    assert [a["outcome"] for a in later["route_actions"]] == ["done", "done"], later.get("msg")


# Found by review: the peering was created pending, with no route and no warning; once the partner accepted,
# every re-run failed, so the requester could never route its side with this option.
def test_routes_to_another_account_without_its_credentials_fail_before_the_create(sim):
    result = sim.run(state="present", routes={}, source_net_id=A1, accepter_net_id=B1, accepter_owner_id=ACCOUNT_B)
    assert result.get("failed") and ACCOUNT_B in result["msg"], result
    assert not any(action == "CreateNetPeering" for action, _unused in sim.calls())


@pytest.mark.parametrize("kind", ["throttle_429", "throttle_503"])
def test_a_throttled_route_write_is_not_done_and_is_sent_again(sim, kind):
    # The platform's throttling answers mean "not done": resent after a pause, no read-back needed.
    sim.run(state="accepted", source_net_id=A1, accepter_net_id=A2)
    sim.simulator.add_fault(action="CreateRoute", kind=kind, count=1)
    result = sim.run(state="accepted", routes={}, source_net_id=A1, accepter_net_id=A2)
    assert result["changed"] and not result.get("failed"), result.get("msg")
    assert [e["action"] for e in sim.simulator.log() if e["action"] != "ReadNetPeerings"] == [
        "ReadRouteTables",
        "CreateRoute",
        "CreateRoute",
        "CreateRoute",
    ]
    assert len(sim.peering_routes(A1)) == 1 and len(sim.peering_routes(A2)) == 1


def test_a_503_that_is_not_the_platform_s_throttling_on_a_route_write_is_read_back(sim):
    # Issue 19 (2): only 503 Code 6 and 429 Codes 24/25 mean "not done"; another 503 is settled by a read.
    sim.run(state="accepted", source_net_id=A1, accepter_net_id=A2)
    sim.simulator.add_fault(action="CreateRoute", kind="throttle_503", code="999", count=1)
    result = sim.run(state="accepted", routes={}, source_net_id=A1, accepter_net_id=A2)
    assert result["changed"] and not result.get("failed"), result.get("msg")
    assert [e["action"] for e in sim.simulator.log() if e["action"] != "ReadNetPeerings"] == [
        "ReadRouteTables",
        "CreateRoute",
        "ReadRouteTables",
        "CreateRoute",
        "CreateRoute",
    ]
    assert len(sim.peering_routes(A1)) == 1 and len(sim.peering_routes(A2)) == 1
