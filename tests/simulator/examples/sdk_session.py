"""A short session: osc-sdk-python (not our code) against the simulator, across two accounts.

Run from the repository root: .venv/bin/python tests/simulator/examples/sdk_session.py
"""

import os
import sys

from osc_sdk_python.credentials import Endpoint
from osc_sdk_python.outscale_gateway import OutscaleGateway
from requests import HTTPError

TESTS_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, TESTS_DIR)
from simulator import Simulator  # noqa: E402  pylint: disable=wrong-import-position

with Simulator(seed=os.path.join(TESTS_DIR, "simulator", "seeds", "demo.json")) as sim:
    print("simulator:", sim.url)
    a, b = sim.accounts[:2]

    def gw(acc):
        return OutscaleGateway(
            access_key=acc["access_key"],
            secret_key=acc["secret_key"],
            region="eu-west-2",
            endpoints=Endpoint(api=sim.url),
            max_retries=0,
        )

    ga, gb = gw(a), gw(b)
    p = ga.CreateNetPeering(SourceNetId="vpc-a1a1a1a1", AccepterNetId="vpc-b1b1b1b1", AccepterOwnerId=b["account_id"])[
        "NetPeering"
    ]
    print("A CreateNetPeering ->", p["NetPeeringId"], p["State"])
    print("B AcceptNetPeering ->", gb.AcceptNetPeering(NetPeeringId=p["NetPeeringId"])["NetPeering"]["State"])
    print(
        "A ReadNetPeerings ->", [(x["NetPeeringId"], x["State"]["Name"]) for x in ga.ReadNetPeerings()["NetPeerings"]]
    )
    r = gb.CreateNetPeering(SourceNetId="vpc-b1b1b1b1", AccepterNetId="vpc-a1a1a1a1", AccepterOwnerId=a["account_id"])[
        "NetPeering"
    ]
    print("B CreateNetPeering in reverse while A->B is active ->", r["NetPeeringId"], r["State"]["Name"])
    q = ga.CreateNetPeering(SourceNetId="vpc-a2a2a2a2", AccepterNetId="vpc-b1b1b1b1", AccepterOwnerId=b["account_id"])[
        "NetPeering"
    ]
    print("A CreateNetPeering ->", q["NetPeeringId"], q["State"])
    gb.RejectNetPeering(NetPeeringId=q["NetPeeringId"])
    seen_by_b = [(x["NetPeeringId"], x["State"]["Name"]) for x in gb.ReadNetPeerings()["NetPeerings"]]
    print("B RejectNetPeering -> ok; B reads", seen_by_b)
    ga.DeleteNetPeering(NetPeeringId=p["NetPeeringId"])
    after = ga.ReadNetPeerings(Filters={"NetPeeringIds": [p["NetPeeringId"]]})["NetPeerings"]
    print("A DeleteNetPeering ->", [(x["NetPeeringId"], x["State"]["Name"]) for x in after])
    try:
        ga.DeleteNetPeering(NetPeeringId=q["NetPeeringId"])
    except HTTPError as exc:  # how the SDK reports API errors
        print("A DeleteNetPeering on the rejected one ->", str(exc)[:160])
    bad = gw(dict(a, secret_key="WRONG" + a["secret_key"][5:]))
    try:
        bad.ReadNetPeerings()
    except HTTPError as exc:  # how the SDK reports API errors
        print("bad signature ->", str(exc)[:200])
    try:
        gw(dict(a, access_key="AKUNKNOWN00000000000")).ReadNetPeerings()
    except HTTPError as exc:
        print("unknown access key ->", str(exc)[:200])
    print("throttled calls:", sim.throttling_stats()["throttled"])
