# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Throttling storm: 30% of API calls answered 429 or 503 at random.

Provision peerings across 2 accounts at forks 8, one inventory host per
peering (same-account pairs in A and in B, and A -> B pairs accepted in the
same task through accepter_credentials). Every task must succeed, the final
state must equal the declared one, and no pair may have a second peering.
"""

from __future__ import annotations

import itertools

from bench import harness as h
from rel_common import (
    ACCOUNT_A,
    ACCOUNT_B,
    FULL,
    REGION,
    creds,
    item_results,
    nets,
    note,
    record_duplicates,
    sim_clean,
    two_accounts,
)

# 6 + 6 Nets: 15 + 15 same-account pairs, plus 20 cross-account ones = 50 (fast: 3 + 3 + 6 = 12).
PER_ACCOUNT, CROSS = (6, 20) if FULL else (3, 6)
THROTTLE_RATIO = 0.30
# The client's default of 6 retries gives up on a call after 7 throttled answers in a row:
# 0.3**7 = 2e-4 per call, a few percent over a 200-call storm. The storm is there to show
# that throttling is absorbed, so the playbook raises max_retries as a user facing such a
# platform would (0.3**11 = 2e-6 per call).
MAX_RETRIES = 10


def declared_peerings(nets_a, nets_b):
    peerings = []
    for account, account_nets in ((ACCOUNT_A, nets_a), (ACCOUNT_B, nets_b)):
        for src, dst in itertools.combinations([net[0] for net in account_nets], 2):
            peerings.append({"src": src, "dst": dst, "account": account, "owner": None})
    cross = list(itertools.product(nets_a, nets_b))[:CROSS]
    for src, dst in cross:
        peerings.append({"src": src[0], "dst": dst[0], "account": ACCOUNT_A, "owner": ACCOUNT_B})
    return peerings


def inventory(peerings):
    hosts = {}
    for index, peering in enumerate(peerings):
        keys = creds(peering["account"])
        host = {
            "ansible_connection": "local",
            "src": peering["src"],
            "dst": peering["dst"],
            "osc_access_key": keys["access_key"],
            "osc_secret_key": keys["secret_key"],
        }
        if peering["owner"]:
            host["owner"] = peering["owner"]
            host["accepter"] = creds(peering["owner"])
        hosts[f"p{index:03d}"] = host
    return {"all": {"children": {"peerings": {"hosts": hosts}}}}


def playbook(sim):
    task = {
        "name": "peering",
        "outscale.cloud.net_peering": {
            "source_net_id": "{{ src }}",
            "accepter_net_id": "{{ dst }}",
            "accepter_owner_id": "{{ owner | default(omit) }}",
            "accepter_credentials": "{{ accepter | default(omit) }}",
            "state": "accepted",
            "endpoint": sim.url,
            "region": REGION,
            "access_key": "{{ osc_access_key }}",
            "secret_key": "{{ osc_secret_key }}",
            "max_retries": MAX_RETRIES,
        },
    }
    return [h.play([task], hosts="peerings")]


def test_throttling_storm_converges_without_duplicates(suite):
    nets_a, nets_b = nets("a", PER_ACCOUNT, 10), nets("b", PER_ACCOUNT, 30)
    declared = declared_peerings(nets_a, nets_b)
    with h.Sim(two_accounts(nets_a, nets_b), validate_responses=True) as sim:
        # Rules are tried in order: 15% get a 429, then 15/85 of the rest a 503: 30% in all.
        sim.add_fault(action="*", kind="throttle_429", ratio=THROTTLE_RATIO / 2, seed=7)
        sim.add_fault(action="*", kind="throttle_503", ratio=(THROTTLE_RATIO / 2) / (1 - THROTTLE_RATIO / 2))
        run = suite.run(playbook(sim), inventory(declared), forks=8)
        log = sim.log()
        sim.clear_faults()
        peerings = sim.peerings()

        throttled = sum(1 for call in log if call["fault"] in ("throttle_429", "throttle_503"))
        note(
            f"storm: {len(declared)} peerings, {len(log)} API calls, {throttled} throttled ({100.0 * throttled / max(1, len(log)):.0f}%), rc {run.rc}"
        )
        assert not run.secrets, run.secrets
        assert not run.tracebacks(), run.tail()
        # About 30%: within 4 standard deviations of a binomial proportion over this many calls.
        spread = 4 * (THROTTLE_RATIO * (1 - THROTTLE_RATIO) / len(log)) ** 0.5
        assert abs(throttled / float(len(log)) - THROTTLE_RATIO) < spread, f"{throttled} of {len(log)} calls throttled"
        failed = [(host, result.get("msg")) for host, _item, status, result in item_results(run) if status != "ok"]
        assert not failed, failed
        assert run.rc == 0, run.tail()
        assert len(run.records) == len(declared)

        dups = record_duplicates(h.duplicates(peerings, live_only=False))
        assert not dups, dups
        by_pair = {frozenset((p["source_net_id"], p["accepter_net_id"])): p for p in peerings}
        assert len(by_pair) == len(declared) == len(peerings)
        reported = {r["host"]: (r["result"].get("net_peering") or {}).get("net_peering_id") for r in run.records}
        inv = inventory(declared)["all"]["children"]["peerings"]["hosts"]
        for host, peering_id in reported.items():
            actual = by_pair[frozenset((inv[host]["src"], inv[host]["dst"]))]
            assert actual["state"] == "active", actual
            assert (actual["source_net_id"], actual["accepter_net_id"]) == (inv[host]["src"], inv[host]["dst"])
            assert peering_id == actual["peering_id"], (host, peering_id, actual["peering_id"])
        assert not sim_clean(sim)
