# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Concurrency: forks 8 converging overlapping peering sets on the same Nets.

Each inventory host declares a set of peerings among the same few Nets, in
random directions, so several workers race for one pair (both directions,
create against create, accept against accept). No pair may end with two live
peerings, and every task must end ok or with a clear, retryable error (the
message tells the user to run the task again). Re-running (at most twice more)
must converge: every declared pair active, exactly once.
"""

from __future__ import annotations

import itertools
import random
import re

from bench import harness as h
from rel_common import (
    ACCOUNT_B,
    FULL,
    creds,
    defaults_for,
    item_results,
    nets,
    note,
    record_duplicates,
    sim_clean,
    two_accounts,
)

HOSTS = 16 if FULL else 8
PAIRS_PER_HOST = 6 if FULL else 5
RERUNS = 2
# What a retryable failure says (net_peering's hints for a peering that moved under it,
# the client's for throttling it could not absorb).
RETRYABLE = re.compile(r"run the task again|run it again|gave up after \d+ attempts", re.I)


def declared(nets_a, nets_b, seed):
    rng = random.Random(seed)
    same = list(itertools.combinations([net[0] for net in nets_a], 2))
    cross = [(a[0], b[0]) for a, b in itertools.product(nets_a[:3], nets_b)]
    hosts = {}
    for index in range(HOSTS):
        chosen = rng.sample(same, PAIRS_PER_HOST - 1) + [rng.choice(cross)]
        items = []
        for src, dst in chosen:
            if (src, dst) in cross:
                items.append({"src": src, "dst": dst, "owner": ACCOUNT_B})
            else:
                if rng.random() < 0.5:
                    src, dst = dst, src
                items.append({"src": src, "dst": dst})
        # The accepter's keys are a host variable, not part of the loop items: Ansible prints
        # each item (and returns it in the result) at any verbosity, secrets included.
        hosts[f"h{index:02d}"] = {"ansible_connection": "local", "peerings": items, "accepter_b": creds(ACCOUNT_B)}
    return hosts


def playbook(sim):
    task = {
        "name": "converge",
        "outscale.cloud.net_peering": {
            "source_net_id": "{{ item.src }}",
            "accepter_net_id": "{{ item.dst }}",
            "accepter_owner_id": "{{ item.owner | default(omit) }}",
            "accepter_credentials": "{{ accepter_b if item.owner is defined else omit }}",
            "state": "accepted",
        },
        "loop": "{{ peerings }}",
    }
    return [h.play([task], hosts="racers", defaults=defaults_for(sim))]


def test_forks_8_on_overlapping_sets_never_duplicate(suite):
    nets_a = nets("f", 6, 90)
    nets_b = [(h.net_id("fb", i), f"10.{110 + i}.0.0/16") for i in range(2)]
    hosts = declared(nets_a, nets_b, seed=2026)
    wanted = {frozenset((p["src"], p["dst"])) for host in hosts.values() for p in host["peerings"]}
    inventory = {"all": {"children": {"racers": {"hosts": hosts}}}}
    with h.Sim(two_accounts(nets_a, nets_b), validate_responses=True) as sim:
        outcomes, runs, live_dups = [], [], []
        for _attempt in range(1 + RERUNS):
            run = suite.run(playbook(sim), inventory, forks=8)
            runs.append(run)
            assert not run.secrets, run.secrets
            assert not run.tracebacks(), run.tail()
            results = item_results(run)
            failures = [(host, item, result.get("msg")) for host, item, status, result in results if status != "ok"]
            unclear = [f for f in failures if not RETRYABLE.search(f[2] or "")]
            assert not unclear, f"failures that are not clear, retryable errors: {unclear}"
            live_dups.extend(record_duplicates(h.duplicates(sim.peerings(), live_only=True)).items())
            assert not live_dups, live_dups
            outcomes.append((len(results), len(failures)))
            if not failures:
                break
        peerings = sim.peerings()
        note(
            f"concurrency: {HOSTS} hosts x {PAIRS_PER_HOST} peerings over {len(wanted)} pairs at forks 8; (items, retryable failures) per run: {outcomes}"
        )
        assert outcomes[-1][1] == 0, f"still failing after {RERUNS} re-runs"
        active = [p for p in peerings if p["state"] == "active"]
        live = [p for p in peerings if h.live(p)]
        assert len(live) == len(active) == len(wanted), (len(live), len(active), len(wanted))
        assert {frozenset((p["source_net_id"], p["accepter_net_id"])) for p in active} == wanted
        # Every item reported the live peering of its pair, in the last run.
        by_pair = {frozenset((p["source_net_id"], p["accepter_net_id"])): p["peering_id"] for p in active}
        for host, item, _status, result in item_results(runs[-1]):
            assert result["net_peering"]["net_peering_id"] == by_pair[frozenset((item["src"], item["dst"]))], (
                host,
                item,
            )
        assert not sim_clean(sim)
