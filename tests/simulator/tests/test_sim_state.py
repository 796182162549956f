"""Save/load, reset, the control API over HTTP, and the Python API."""

from __future__ import annotations

import json

import pytest
import requests

from simulator import Clock, Simulator, load_seed

from .conftest import NET_A1, NET_B1, A, B, gateway


def _control(sim, method: str, path: str, payload: dict | None = None, **params):
    response = requests.request(method, f"{sim.base_url}/_sim/{path}", json=payload, params=params, timeout=10)
    return response.status_code, response.json()


def test_save_and_load_roundtrip(sim, gw_a, gw_b, tmp_path):
    pcx = gw_a.CreateNetPeering(SourceNetId=NET_A1, AccepterNetId=NET_B1, AccepterOwnerId=B)["NetPeering"][
        "NetPeeringId"
    ]
    gw_b.CreateTags(ResourceIds=[pcx], Tags=[{"Key": "side", "Value": "b"}])
    sim.set_quota(A, 7)
    sim.set_accept_delay(30)
    sim.advance_clock(100)
    path = tmp_path / "state.json"
    sim.save(str(path))
    before = gw_b.ReadNetPeerings()["NetPeerings"]

    sim.reset()
    assert gw_b.ReadNetPeerings()["NetPeerings"] == []

    sim.load(str(path))
    assert gw_b.ReadNetPeerings()["NetPeerings"] == before
    assert sim.store.accounts[A].max_live_peerings == 7
    assert sim.store.accept_delay == 30
    assert sim.clock.offset >= 100
    # New resources after a load come after the loaded ones.
    net = gw_a.CreateNet(IpRange="10.50.0.0/16")["Net"]["NetId"]
    assert net not in [n["net_id"] for n in json.loads(path.read_text())["nets"]]
    assert [n["NetId"] for n in gw_a.ReadNets()["Nets"]][-1] == net


def test_load_into_another_simulator(sim, gw_a, tmp_path):
    pcx = gw_a.CreateNetPeering(SourceNetId=NET_A1, AccepterNetId=NET_B1, AccepterOwnerId=B)["NetPeering"][
        "NetPeeringId"
    ]
    path = tmp_path / "state.json"
    status, _body = _control(sim, "POST", "save", {"path": str(path)})
    assert status == 200
    with Simulator() as other:
        status, _body = _control(other, "POST", "load", {"path": str(path)})
        assert status == 200
        assert [p["NetPeeringId"] for p in gateway(other, B).ReadNetPeerings()["NetPeerings"]] == [pcx]


def test_load_rejects_other_files(sim, tmp_path):
    path = tmp_path / "seed.json"
    path.write_text(json.dumps({"accounts": []}))
    with pytest.raises(ValueError):
        sim.load(str(path))
    status, body = _control(sim, "POST", "load", {"path": str(path)})
    assert status == 400 and "error" in body
    status, body = _control(sim, "POST", "load", {"path": str(tmp_path / "missing.json")})
    assert status == 400


def test_reset_restores_the_seed(sim, gw_a):
    gw_a.CreateNet(IpRange="10.60.0.0/16")
    sim.bulk_peerings(A, 3)
    sim.add_fault(action="*", kind="error_500", ratio=1.0)
    sim.advance_clock(3600)
    status, _body = _control(sim, "POST", "reset", {})
    assert status == 200
    assert len(gw_a.ReadNets()["Nets"]) == 2
    assert gw_a.ReadNetPeerings()["NetPeerings"] == []
    assert sim.clock.offset == 0
    assert [e["action"] for e in sim.log()] == ["ReadNets", "ReadNetPeerings"]


def test_clock_controls(sim):
    status, clock = _control(sim, "GET", "clock")
    assert status == 200 and clock["offset_seconds"] == 0
    status, clock = _control(sim, "POST", "clock/advance", {"seconds": 86400})
    assert status == 200 and clock["offset_seconds"] == 86400
    status, clock = _control(sim, "POST", "clock/skew", {"seconds": -30})
    assert clock["signing_skew_seconds"] == -30
    status, body = _control(sim, "POST", "clock/advance", {"seconds": -1})
    assert status == 400 and "error" in body
    status, body = _control(sim, "POST", "clock/advance", {})
    assert status == 400


def test_other_controls_over_http(sim, gw_a, gw_b):
    assert _control(sim, "POST", "quota", {"account_id": A, "max_live_peerings": 0})[0] == 200
    with pytest.raises(requests.HTTPError):
        gw_a.CreateNetPeering(SourceNetId=NET_A1, AccepterNetId=NET_B1, AccepterOwnerId=B)
    assert _control(sim, "POST", "quota", {"account_id": A, "max_live_peerings": None})[0] == 200
    assert _control(sim, "POST", "quota", {"account_id": "999999999999", "max_live_peerings": 1})[0] == 400

    assert _control(sim, "POST", "accept_delay", {"seconds": 3600}) == (200, {"seconds": 3600})
    pcx = gw_a.CreateNetPeering(SourceNetId=NET_A1, AccepterNetId=NET_B1, AccepterOwnerId=B)["NetPeering"][
        "NetPeeringId"
    ]
    assert gw_b.AcceptNetPeering(NetPeeringId=pcx)["NetPeering"]["State"]["Name"] == "pending-acceptance"

    status, body = _control(sim, "POST", "bulk_peerings", {"account_id": B, "count": 4, "state": "rejected"})
    assert status == 200 and body["count"] == 4 and len(body["net_peering_ids"]) == 4
    assert _control(sim, "POST", "bulk_peerings", {"account_id": B, "count": 1, "state": "bogus"})[0] == 400

    status, body = _control(sim, "GET", "log")
    assert status == 200 and [c["action"] for c in body["calls"]] == [
        "CreateNetPeering",
        "CreateNetPeering",
        "AcceptNetPeering",
    ]
    assert _control(sim, "GET", "counts")[1] == {"counts": {"CreateNetPeering": 2, "AcceptNetPeering": 1}}
    assert _control(sim, "GET", "counts", action="CreateNetPeering", account_id=A)[1] == {"counts": 2}
    assert _control(sim, "POST", "log/clear", {})[0] == 200
    assert _control(sim, "GET", "log")[1] == {"calls": []}

    status, body = _control(sim, "GET", "accounts")
    assert [a["account_id"] for a in body["accounts"]] == [A, B]
    assert _control(sim, "GET", "health")[1]["url"] == sim.url
    assert _control(sim, "GET", "nowhere")[0] == 404
    response = requests.post(f"{sim.base_url}/_sim/reset", data=b"[1]", timeout=10)
    assert response.status_code == 400


def test_python_api_shape(demo_seed):
    assert load_seed(demo_seed) == demo_seed
    with Simulator(seed=demo_seed, clock=Clock(start=1_700_000_000)) as simulator:
        assert simulator.url == f"http://127.0.0.1:{simulator.port}/api/v1"
        assert simulator.base_url == f"http://127.0.0.1:{simulator.port}"
        assert simulator.accounts == demo_seed["accounts"]
        assert simulator.clock.now().year == 2023
        assert simulator.advance_clock(60).startswith("2023-11-14T22:")
        assert simulator.call_counts() == {} and simulator.call_counts("ReadNets") == 0
    with pytest.raises(RuntimeError):
        assert simulator.url


def test_demo_seed_file_shape(demo_seed):
    assert demo_seed == {
        "region": "eu-west-2",
        "accounts": [
            {
                "account_id": "111111111111",
                "access_key": "AKSIMDEMOACCOUNTA001",
                "secret_key": "SKsimDemoSecretA0000000000000000000000001",
                "nets": [
                    {"net_id": "vpc-a1a1a1a1", "ip_range": "10.1.0.0/16"},
                    {"net_id": "vpc-a2a2a2a2", "ip_range": "10.2.0.0/16"},
                ],
                # An EIM user of account A allowed to read only: the 403 Code 4 advice is tested with it.
                "eim_users": [
                    {
                        "name": "reader",
                        "access_key": "AKSIMDEMOREADERA0001",
                        "secret_key": "SKsimDemoReaderA000000000000000000000001",
                        "allowed_actions": ["ReadNetPeerings", "ReadNets"],
                    }
                ],
            },
            {
                "account_id": "222222222222",
                "access_key": "AKSIMDEMOACCOUNTB001",
                "secret_key": "SKsimDemoSecretB0000000000000000000000001",
                "nets": [{"net_id": "vpc-b1b1b1b1", "ip_range": "10.3.0.0/16"}],
            },
        ],
    }


@pytest.mark.parametrize(
    "bad",
    [
        {"accounts": []},
        {"accounts": [{"account_id": "1", "access_key": "a", "secret_key": "s"}]},
        {
            "accounts": [
                {
                    "account_id": "111111111111",
                    "access_key": "a",
                    "secret_key": "s",
                    "nets": [{"net_id": "net-1", "ip_range": "10.0.0.0/16"}],
                }
            ]
        },
        {
            "accounts": [
                {
                    "account_id": "111111111111",
                    "access_key": "a",
                    "secret_key": "s",
                    "nets": [{"net_id": "vpc-12345678", "ip_range": "nope"}],
                }
            ]
        },
    ],
)
def test_bad_seeds(bad):
    with pytest.raises(ValueError):
        Simulator(seed=bad)


def test_custom_seed_and_region():
    seed = {
        "region": "us-east-2",
        "accounts": [
            {
                "account_id": "333333333333",
                "access_key": "AKCUSTOM",
                "secret_key": "SKCUSTOM",
                "nets": [{"net_id": "vpc-0000000c", "ip_range": "192.168.0.0/16"}],
            }
        ],
    }
    with Simulator(seed=seed) as simulator:
        assert simulator.region == "us-east-2"
        assert gateway(simulator, "333333333333").ReadNets()["Nets"][0]["NetId"] == "vpc-0000000c"
    with Simulator(seed=seed, region="cloudgouv-eu-west-1") as simulator:
        assert simulator.region == "cloudgouv-eu-west-1"
        assert gateway(simulator, "333333333333").ReadNets()["Nets"]


def test_stop_is_idempotent_and_quick_with_open_connections(sim, gw_a):
    import socket
    import time
    from urllib.parse import urlsplit

    gw_a.ReadNets()  # leaves a keep-alive connection open
    address = urlsplit(sim.url)
    started = time.monotonic()
    sim.stop()
    sim.stop()
    assert time.monotonic() - started < 2
    with socket.socket() as probe:
        assert probe.connect_ex((address.hostname, address.port)) != 0  # nothing listens any more
