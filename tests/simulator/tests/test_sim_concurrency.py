"""8 threads x 200 create/read operations, then invariants."""

from __future__ import annotations

import collections
import random
import threading

import requests

from .conftest import A, B, gateway

THREADS = 8
OPERATIONS = 200


def test_concurrent_creates_and_reads(sim):
    # Six Nets per account with disjoint ranges: 66 possible pairs, so creates often collide.
    client_a, client_b = gateway(sim, A), gateway(sim, B)
    nets = {A: [], B: []}
    for index in range(6):
        nets[A].append(client_a.CreateNet(IpRange=f"172.{16 + index}.0.0/16")["Net"]["NetId"])
        nets[B].append(client_b.CreateNet(IpRange=f"172.{24 + index}.0.0/16")["Net"]["NetId"])
    owners = {net: account for account, owned in nets.items() for net in owned}
    sim.configure_throttling(False)  # this test is about atomicity, not about rates
    sim.clear_log()

    created, errors, outcomes = [], [], collections.Counter()
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        account = A if seed % 2 else B
        client = gateway(sim, account)
        start.wait()
        for _round in range(OPERATIONS):
            with lock:
                outcomes["calls"] += 1
            try:
                if rng.random() < 0.6:
                    source = rng.choice(nets[account])
                    accepter = rng.choice([n for n in owners if n != source])
                    response = client.CreateNetPeering(
                        SourceNetId=source, AccepterNetId=accepter, AccepterOwnerId=owners[accepter]
                    )
                    with lock:
                        created.append(response["NetPeering"]["NetPeeringId"])
                        outcomes["created"] += 1
                elif rng.random() < 0.7:
                    client.ReadNetPeerings(ResultsPerPage=50, Filters={"StateNames": ["pending-acceptance"]})
                    with lock:
                        outcomes["read"] += 1
                else:
                    pending = client.ReadNetPeerings(
                        Filters={"StateNames": ["pending-acceptance"], "SourceNetAccountIds": [account]}
                    )["NetPeerings"]
                    if pending:
                        with lock:
                            outcomes["calls"] += 1  # the delete below is a second call
                        client.DeleteNetPeering(NetPeeringId=rng.choice(pending)["NetPeeringId"])
                        with lock:
                            outcomes["delete"] += 1
            except requests.HTTPError as error:
                code = error.response.json()["Errors"][0]["Code"]
                with lock:
                    outcomes[code] += 1
            except Exception as error:  # pylint: disable=broad-exception-caught
                with lock:
                    errors.append(repr(error))

    threads = [threading.Thread(target=worker, args=(seed,)) for seed in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    # Only the expected refusals: duplicate pair (9067) or a peering deleted meanwhile (9029).
    assert set(outcomes) <= {"calls", "created", "read", "delete", "9067", "9029"}, outcomes
    assert outcomes["created"] > 0 and outcomes["9067"] > 0

    # No lost update: every successful create is in the store, each once.
    assert len(created) == len(set(created))
    assert set(created) <= set(sim.store.peerings)
    assert len(sim.store.peerings) == len(created)
    # No second live peering in the same direction between two Nets (B->A may be live
    # next to A->B: both pending at once is allowed).
    live = collections.Counter(
        (p.source_net_id, p.accepter_net_id)
        for p in sim.store.peerings.values()
        if p.state in ("pending-acceptance", "active")
    )
    assert all(count == 1 for count in live.values()), live.most_common(3)
    # Every call was logged exactly once, with unique sequence numbers.
    log = sim.log()
    assert len(log) == outcomes["calls"] >= THREADS * OPERATIONS
    assert len({entry["seq"] for entry in log}) == len(log)
