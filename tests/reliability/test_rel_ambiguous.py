# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ambiguous writes: every CreateNetPeering is applied, then its connection is dropped.

The simulator's drop_after fault runs the call to completion and closes the
connection without answering, which is what a lost response looks like. The
module must read the pair again and adopt what was created: 0 duplicates, and
each task reports the peering of its own pair.
"""

from __future__ import annotations

import itertools

from bench import harness as h
from rel_common import FULL, defaults_for, item_results, nets, note, record_duplicates, sim_clean, two_accounts

CREATES = 100 if FULL else 10
NETS = 15 if FULL else 5  # C(15, 2) = 105 pairs, C(5, 2) = 10


def test_lost_create_responses_make_no_duplicate(suite):
    nets_a = nets("c", NETS, 50)
    pairs = list(itertools.combinations([net[0] for net in nets_a], 2))[:CREATES]
    assert len(pairs) == CREATES
    hosts = {f"c{i:03d}": {"ansible_connection": "local", "src": src, "dst": dst} for i, (src, dst) in enumerate(pairs)}
    inventory = {"all": {"children": {"pairs": {"hosts": hosts}}}}
    with h.Sim(two_accounts(nets_a, []), validate_responses=True) as sim:
        task = {
            "name": "create",
            "outscale.cloud.net_peering": {
                "source_net_id": "{{ src }}",
                "accepter_net_id": "{{ dst }}",
                "state": "present",
            },
        }
        sim.add_fault(action="CreateNetPeering", kind="drop_after", count=CREATES)
        run = suite.run([h.play([task], hosts="pairs", defaults=defaults_for(sim))], inventory, forks=8)
        log = sim.log()
        peerings = sim.peerings()

        dropped = [call for call in log if call["action"] == "CreateNetPeering" and call["fault"] == "drop_after"]
        creates = [call for call in log if call["action"] == "CreateNetPeering"]
        # A throttled create (429 Code 24/25, 503 Code 6) was refused before it ran: retrying it is
        # no resend. Every other create reached the API and must be the only one of its pair.
        applied = [call for call in creates if not call["throttled"]]
        note(
            f"ambiguous writes: {len(applied)} creates applied ({len(creates) - len(applied)} throttled), "
            f"{len(dropped)} responses dropped after the write, {len(peerings)} peerings exist, rc {run.rc}"
        )
        assert not run.secrets, run.secrets
        assert not run.tracebacks(), run.tail()
        assert len(dropped) == CREATES, "every create must have lost its response"
        failed = [(host, result.get("msg")) for host, _item, status, result in item_results(run) if status != "ok"]
        assert not failed, failed
        assert run.rc == 0

        dups = record_duplicates(h.duplicates(peerings, live_only=False))
        assert not dups, dups
        assert len(peerings) == CREATES
        assert len(applied) == CREATES, [
            ("a create was sent again", call["time"], call["status"], call["code"], call["fault"]) for call in applied
        ]
        by_pair = {(p["source_net_id"], p["accepter_net_id"]): p["peering_id"] for p in peerings}
        for record in run.records:
            host = hosts[record["host"]]
            reported = record["result"]["net_peering"]
            assert record["result"]["changed"] is True
            assert reported["net_peering_id"] == by_pair[(host["src"], host["dst"])], record
            assert (reported["source_net"]["net_id"], reported["accepter_net"]["net_id"]) == (host["src"], host["dst"])
            assert reported["state"]["name"] == "pending-acceptance"
        assert not sim_clean(sim)
