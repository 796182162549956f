# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmarks of outscale.cloud against ansible.builtin.ping: one run, one table.

    .venv/bin/python tests/bench/run.py            # what `make bench` runs (~12 min on 2 idle cores)
    .venv/bin/python tests/bench/run.py --quick    # smaller, for trying changes (forks 8 only)
    .venv/bin/python tests/bench/run.py --only mesh --json out.json

Every figure in the table comes from this one run: real ansible-playbook
against the simulator (in this process, 127.0.0.1 only), with ping measured in
the same playbook runs. Natural throttling is off for the timing rows and on
(the simulator's defaults) for the "default rate limits ON" rows. How each
figure is taken:

- per-task wall time: the osc_recorder callback (callback_plugins/) takes
  controller-side timestamps at v2_runner_on_start and at the task's result;
  each measured task follows a ping in the same round; the median of N rounds
  (after one warm-up round, which pays for building each AnsiballZ payload);
- API calls per task: the simulator's call counts, read by the callback after
  each task (forks 1, so calls belong to exactly one task);
- net_peering_info over 10,000 peerings: the module process runs under
  rusage.py (the interpreter is a wrapper), which reports the child's
  user+system CPU and peak RSS from getrusage(RUSAGE_CHILDREN);
- the mesh (20 Nets, 190 peerings), both ways, with no latency and with 50 ms
  added to every API call (a delay fault): net_peering as loop items of 20
  hosts at forks 1 and 8 (process wall time, against the same playbook with
  ping), and net_peerings in one task from the full_mesh filter; converge,
  re-run with nothing to change, 10 pairs removed; API calls from the
  simulator's log, throttled refusals apart;
- the mesh with routes (each Net's main table, both sides), at 0 and 50 ms: net_peerings
  in one task (converge, re-run) against a loop of net_peering with the same routes at
  forks 1 (full runs only); calls and routes from the simulator;
- import time: `python -X importtime`, module_utils imported after
  ansible.module_utils.basic (which ping imports too), median of 7.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import harness as h  # noqa: E402  pylint: disable=wrong-import-position

REGION = "eu-west-2"
A = h.account(
    "111111111111",
    "AKBENCHACCOUNTA00001",
    "SKbenchSecretA00000000000000000000000001",
    [(h.net_id("a", 1), "10.1.0.0/16"), (h.net_id("a", 2), "10.2.0.0/16")],
)
MESH_NETS = 20
# net_peerings reads the peerings once more after creating: a run listing a pair the other way
# round may have created it meanwhile (issue 19, defect 4). Part of the minimum of a converge.
SETTLE_READS = 1
# Before creating, a ReadNets of the Nets no peering read shows: a Net that does not exist or
# overlapping ranges are refused before any write (issues 18 and 20). Once per pair for the
# loop (each task reads its own pair), once per account for one net_peerings task.
# A converge from nothing: loop 4 a pair (read, ReadNets, create, accept); one task 3 a pair
# (create, accept, scope tag) + 1 read + 1 ReadNets + the settling read.
LOOP_CONVERGE_CALLS_PER_PAIR = 4
TOPOLOGY_CONVERGE_READS = 2 + SETTLE_READS
M = h.account(
    "333333333333",
    "AKBENCHACCOUNTM00001",
    "SKbenchSecretM00000000000000000000000001",
    [(h.net_id("e", i), f"10.{100 + i}.0.0/16") for i in range(1, MESH_NETS + 1)],
)

PEER = "outscale.cloud.net_peering"
INFO = "outscale.cloud.net_peering_info"
PAIR = {"source_net_id": h.net_id("a", 1), "accepter_net_id": h.net_id("a", 2)}

# name, module, args, minimum API calls, target ratio to ping (None: none), expected `changed`
TASKS = [
    ("net_peering present, no-op", PEER, dict(PAIR, state="present"), 1, 1.25, False),
    ("net_peering present, create", PEER, dict(PAIR, state="present"), 2, None, True),
    ("net_peering accepted, accept pending", PEER, dict(PAIR, state="accepted"), 2, None, True),
    ("net_peering accepted, no-op", PEER, dict(PAIR, state="accepted"), 1, 1.25, False),
    ("net_peering absent, delete", PEER, dict(PAIR, state="absent"), 2, None, True),
    ("net_peering absent, no-op", PEER, dict(PAIR, state="absent"), 1, 1.25, False),
    ("net_peering_info, one pair", INFO, {"filters": {"source_net_net_ids": [PAIR["source_net_id"]]}}, 1, None, False),
    ("floor: bare module, requests + 1 POST", "bench_bare_requests", None, None, None, False),
    ("floor: bare module, http.client + 1 POST", "bench_bare_httpclient", None, None, None, False),
]
# The order a round runs them in, so each starts from the state it needs.
ROUND_ORDER = [
    "net_peering present, create",
    "net_peering present, no-op",
    "net_peering accepted, accept pending",
    "net_peering accepted, no-op",
    "net_peering_info, one pair",
    "net_peering absent, delete",
    "net_peering absent, no-op",
    "floor: bare module, requests + 1 POST",
    "floor: bare module, http.client + 1 POST",
]


def fmt_s(value):
    return "-" if value is None else (f"{value:.3f} s" if value < 10 else f"{value:.1f} s")


def ratio(value, reference):
    return None if not value or not reference else value / reference


def calls_between(before, after):
    before, after = before or {}, after or {}
    return {k: after.get(k, 0) - before.get(k, 0) for k in after if after.get(k, 0) != before.get(k, 0)}


def with_calls(run):
    """Attach to each record the API calls made during it (forks 1 only)."""
    previous = run.record.get("initial_call_counts") or {}
    for record in run.records:
        counts = record.get("call_counts")
        record["calls"] = calls_between(previous, counts)
        record["ncalls"] = sum(record["calls"].values())
        previous = counts if counts is not None else previous
    return run.records


def check_ok(run, what):
    if run.rc != 0 or run.failed():
        raise SystemExit(f"{what} failed (rc {run.rc}):\n{run.tail(60)}")


# -- 1. per-task wall time and API calls ----------------------------------------


def bench_tasks(sim, ws, rounds):
    defaults = h.module_defaults(sim.url, A["access_key"], A["secret_key"], REGION)
    by_name = {t[0]: t for t in TASKS}
    tasks = []
    for n in range(rounds + 1):  # round 0 is the warm-up
        for name in ROUND_ORDER:
            tasks.append({"name": f"r{n} ping", "ansible.builtin.ping": {}})
            module, args = by_name[name][1], by_name[name][2]
            if module.startswith("bench_bare_"):
                args = {"url": sim.url + "/ReadNetPeerings"}
            tasks.append({"name": f"r{n} {name}", module: args})
    run = ws.run([h.play(tasks, defaults=defaults)], recorder_sim=sim.control_url, timeout=900)
    check_ok(run, "per-task playbook")
    with_calls(run)
    measured = [r for r in run.records if not r["task"].startswith("r0 ")]
    pings = [r["seconds"] for r in measured if r["task"].endswith(" ping")]
    rows = []
    for name, _module, _args, minimum, target, expected_changed in TASKS:
        records = [r for r in measured if r["task"].split(" ", 1)[1] == name]
        calls = sorted({r["ncalls"] for r in records})
        changed = sorted({bool(r["result"].get("changed")) for r in records})
        rows.append(
            {
                "name": name,
                "seconds": h.median([r["seconds"] for r in records]),
                "n": len(records),
                "calls": calls,
                "min_calls": minimum,
                "target": target,
                "changed_ok": changed == [expected_changed],
                "actions": records[0]["calls"] if records else {},
            }
        )
    return {"ping": h.median(pings), "ping_n": len(pings), "rows": rows, "wall": run.wall}


# -- 2. module processes: net_peering_info over 10,000 peerings, CPU and RSS -----------


def bench_processes(sim, ws, count, rounds):
    """Every module process runs under rusage.py; ping, the floors and a no-op beside info over ``count``."""
    sim.reset()
    sim.bulk_peerings(A["account_id"], count - 1, "active")  # + the pair the no-op task creates in round 0
    rusage_file = os.path.join(ws.path, "rusage.jsonl")
    wrapper = ws.write(
        "python-rusage.sh",
        f"#!/bin/sh\nexec '{h.PYTHON}' '{os.path.join(h.BENCH_DIR, 'rusage.py')}' '{h.PYTHON}' \"$@\"\n",
    )
    os.chmod(wrapper, 0o755)
    defaults = h.module_defaults(sim.url, A["access_key"], A["secret_key"], REGION)
    kinds = [
        ("ping", "ansible.builtin.ping", {}),
        ("noop", PEER, dict(PAIR, state="present")),
        ("floor-requests", "bench_bare_requests", {"url": sim.url + "/ReadNetPeerings"}),
        ("floor-httpclient", "bench_bare_httpclient", {"url": sim.url + "/ReadNetPeerings"}),
        ("info", INFO, {}),
    ]
    tasks = []
    for n in range(rounds + 1):  # round 0 warms up, and creates the pair the no-op finds
        for kind, module, args in kinds:
            task = {"name": f"r{n} {kind}", module: args}
            if kind == "info":
                task["register"] = "listing"
            tasks.append(task)
        tasks.append(
            {
                "name": f"r{n} check",
                "ansible.builtin.assert": {"that": [f"listing.net_peerings | length == {count}"], "quiet": True},
            }
        )
    run = ws.run(
        [h.play(tasks, defaults=defaults)],
        recorder_sim=sim.control_url,
        python=wrapper,
        env={"OSC_RUSAGE_FILE": rusage_file},
        timeout=900,
    )
    check_ok(run, "module process playbook")
    with_calls(run)
    with open(rusage_file) as handle:
        usage = [json.loads(line) for line in handle]
    # One rusage line per module process, in task order (assert runs in the controller).
    module_runs = [r for r in run.records if r["action"] != "ansible.builtin.assert"]
    if len(usage) != len(module_runs):
        raise SystemExit(f"rusage lines ({len(usage)}) do not match module tasks ({len(module_runs)})")
    for record, line in zip(module_runs, usage):
        record["rusage"] = line
    measured = [r for r in module_runs if not r["task"].startswith("r0 ")]
    result = {"count": count, "min_calls": max(1, int(math.ceil(count / 1000.0)))}
    for kind, _module, _args in kinds:
        records = [r for r in measured if r["task"].split(" ", 1)[1] == kind]
        result[kind] = {
            "n": len(records),
            "seconds": h.median([r["seconds"] for r in records]),
            "calls": sorted({r["ncalls"] for r in records}),
            "cpu": h.median([r["rusage"]["cpu"] for r in records]),
            "rss_mib": max(r["rusage"]["maxrss_kib"] for r in records) / 1024.0,
            "module_wall": h.median([r["rusage"]["wall"] for r in records]),
        }
    return result


# -- 3. the mesh: the per-pair loop and net_peerings, with and without latency ---------

TOPOLOGY = "outscale.cloud.net_peerings"
SCOPE_TAGS = {"bench": "mesh"}
LATENCY = 0.05  # seconds added to every API call for the "50 ms" rows (a `delay` fault on every call)
REMOVED = 10  # pairs taken off the list for the overridden run


def mesh_inventory(nets):
    """20 hosts, one per Net, each looping over its peers; plus localhost for net_peerings' one task.

    Each unordered pair once, spread evenly: host i peers with the next size//2 Nets (the
    opposite one only from the first half), so no host waits on another. Host i < REMOVED
    also carries ``removed``: its pair with the next Net, the pairs the overridden run drops.
    """
    ids = [net["net_id"] for net in nets]
    size = len(ids)
    hosts = {}
    for i, net in enumerate(ids):
        steps = list(range(1, (size - 1) // 2 + 1)) + ([size // 2] if size % 2 == 0 and i < size // 2 else [])
        hosts[f"net{i + 1:02d}"] = {
            "net_id": net,
            "peers": [ids[(i + k) % size] for k in steps],
            "removed": [ids[i + 1]] if i < REMOVED else [],
            "ansible_connection": "local",
        }
    return {"all": {"hosts": {"localhost": {"ansible_connection": "local"}}, "children": {"mesh": {"hosts": hosts}}}}


def removed_pairs(inventory):
    hosts = inventory["all"]["children"]["mesh"]["hosts"]
    return [
        {"source_net_id": host["net_id"], "accepter_net_id": peer}
        for host in hosts.values()
        for peer in host["removed"]
    ]


def loop_playbook(sim, kind):
    """The per-pair way: one net_peering (or ping) task per loop item, on each Net's host."""
    defaults = h.module_defaults(sim.url, M["access_key"], M["secret_key"], REGION)
    if kind == "converge":
        task = {
            "name": "mesh",
            PEER: {"source_net_id": "{{ net_id }}", "accepter_net_id": "{{ item }}", "state": "accepted"},
            "loop": "{{ peers }}",
        }
    elif kind == "absent":
        task = {
            "name": "mesh",
            PEER: {"source_net_id": "{{ net_id }}", "accepter_net_id": "{{ item }}", "state": "absent"},
            "loop": "{{ removed }}",
        }
    else:
        task = {"name": "mesh", "ansible.builtin.ping": {}, "loop": "{{ peers }}"}
    return [h.play([task], hosts="mesh", defaults=defaults)]


# The whole mesh, from inventory, in one task: the documented recipe of the full_mesh filter.
MESH_PEERINGS = "{{ groups['mesh'] | map('extract', hostvars) | list | outscale.cloud.full_mesh }}"


def topology_task(name, state="merged", peerings=MESH_PEERINGS, **extra):
    args = dict({"peerings": peerings, "state": state, "scope_tags": SCOPE_TAGS}, **extra)
    return {"name": name, TOPOLOGY: args}


def topology_playbook(sim, tasks, **play_vars):
    defaults = h.module_defaults(sim.url, M["access_key"], M["secret_key"], REGION)
    return [h.play(tasks, hosts="localhost", defaults=defaults, vars=play_vars)]


def log_calls(sim):
    """API calls in the simulator's log since it was cleared: (answered, throttled refusals, {action: n})."""
    log = sim.log()
    throttled = sum(1 for call in log if call.get("throttled"))
    actions = {}
    for call in log:
        if not call.get("throttled"):
            actions[call["action"]] = actions.get(call["action"], 0) + 1
    return len(log) - throttled, throttled, actions


def mesh_outcome(sim, run):
    """What a run left and did: live/active peerings, duplicates, failed tasks or items, API calls."""
    peerings = sim.peerings()
    answered, throttled, actions = log_calls(sim)
    failed_items = sum(1 for r in run.records for item in (r["items"] or []) if item.get("status") == "failed")
    failed_tasks = len(run.failed())
    summaries = [r["result"].get("summary") for r in run.records if r["result"].get("summary")]
    return {
        "wall": run.wall,
        "cpu": run.cpu,
        "rc": run.rc,
        "calls": answered,
        "throttled": throttled,
        "actions": actions,
        "active": sum(1 for p in peerings if p["state"] == "active"),
        "live": sum(1 for p in peerings if h.live(p)),
        "duplicates": len(h.duplicates(peerings)),
        "failed": failed_items if failed_items else failed_tasks,
        "failures": [r["result"].get("msg") for r in run.failed()][:3],
        "summary": summaries[-1] if summaries else None,
    }


def set_latency(sim, latency):
    sim.clear_faults()
    if latency:
        sim.add_fault(action="*", kind="delay", ratio=1.0, seconds=latency)


def bench_loop(sim, ws, inventory, forks, latency, repeats, with_ping):
    """net_peering in a loop: converge from nothing, re-run, 10 pairs absent; ping the same loop."""
    entry = {"forks": forks, "latency": latency}
    sim.reset()
    set_latency(sim, latency)
    sim.clear_log()
    run = ws.run(loop_playbook(sim, "converge"), inventory, forks=forks, timeout=1200)
    entry["converge"] = mesh_outcome(sim, run)
    check_ok(run, f"mesh loop converge (forks {forks}, latency {latency})")
    noop, ping = [], []
    for _repeat in range(repeats):  # alternate, so drift hits both alike
        sim.clear_log()
        run = ws.run(loop_playbook(sim, "converge"), inventory, forks=forks, timeout=1200)
        check_ok(run, f"mesh loop re-run (forks {forks})")
        outcome = mesh_outcome(sim, run)
        outcome["changed"] = sum(1 for r in run.records for item in (r["items"] or []) if item.get("changed"))
        noop.append(outcome)
        if with_ping:
            run = ws.run(loop_playbook(sim, "ping"), inventory, forks=forks, timeout=900)
            check_ok(run, f"mesh ping (forks {forks})")
            ping.append({"wall": run.wall, "cpu": run.cpu})
    entry["noop"] = {
        "wall": h.median([r["wall"] for r in noop]),
        "cpu": h.median([r["cpu"] for r in noop]),
        "calls": sorted({r["calls"] for r in noop}),
        "throttled": max(r["throttled"] for r in noop),
        "actions": noop[-1]["actions"],
        "changed": max(r["changed"] for r in noop),
        "n": len(noop),
    }
    if ping:
        entry["ping"] = {
            "wall": h.median([r["wall"] for r in ping]),
            "cpu": h.median([r["cpu"] for r in ping]),
            "n": len(ping),
        }
    sim.clear_log()
    run = ws.run(loop_playbook(sim, "absent"), inventory, forks=forks, timeout=900)
    check_ok(run, f"mesh loop absent (forks {forks})")
    entry["remove"] = mesh_outcome(sim, run)
    return entry


def bench_topology(sim, ws, inventory, latency, rounds, max_writes=None):
    """net_peerings in one task: converge from nothing, re-run (per task, beside ping), overridden minus 10 pairs."""
    entry = {"latency": latency, "max_writes": max_writes}
    extra = {} if max_writes is None else {"max_concurrent_writes": max_writes}
    sim.reset()
    set_latency(sim, latency)
    sim.clear_log()
    run = ws.run(topology_playbook(sim, [topology_task("converge", **extra)]), inventory, timeout=900)
    entry["converge"] = mesh_outcome(sim, run)
    check_ok(run, f"net_peerings converge (latency {latency})")
    if rounds is None:
        return entry
    # The re-run as a whole playbook (process wall time, comparable with the loop's) ...
    sim.clear_log()
    run = ws.run(topology_playbook(sim, [topology_task("re-run", **extra)]), inventory, timeout=900)
    check_ok(run, f"net_peerings re-run (latency {latency})")
    entry["noop_playbook"] = mesh_outcome(sim, run)
    # ... and per task, each after a ping in the same playbook (after one warm-up round).
    tasks = []
    for n in range(rounds + 1):
        tasks.append({"name": f"r{n} ping", "ansible.builtin.ping": {}})
        tasks.append(topology_task(f"r{n} re-run", **extra))
    run = ws.run(topology_playbook(sim, tasks), inventory, recorder_sim=sim.control_url, timeout=900)
    check_ok(run, f"net_peerings per-task re-run (latency {latency})")
    with_calls(run)
    measured = [r for r in run.records if not r["task"].startswith("r0 ")]
    noop = [r for r in measured if r["task"].endswith(" re-run")]
    entry["noop_task"] = {
        "seconds": h.median([r["seconds"] for r in noop]),
        "ping": h.median([r["seconds"] for r in measured if r["task"].endswith(" ping")]),
        "calls": sorted({r["ncalls"] for r in noop}),
        "actions": noop[0]["calls"],
        "n": len(noop),
        "changed": any(r["result"].get("changed") for r in noop),
    }
    sim.clear_log()
    overridden = topology_task(
        "overridden",
        state="overridden",
        peerings="{{ groups['mesh'] | map('extract', hostvars) | list | outscale.cloud.full_mesh"
        " | reject('in', removed_pairs) | list }}",
        **extra,
    )
    run = ws.run(topology_playbook(sim, [overridden], removed_pairs=removed_pairs(inventory)), inventory, timeout=900)
    entry["remove"] = mesh_outcome(sim, run)
    check_ok(run, f"net_peerings overridden (latency {latency})")
    return entry


def bench_mesh(ws, forks_list, latencies, repeats, rounds):
    """Timing rows: natural throttling off, so the figures are the collection's and the latency's alone."""
    results = {"pairs": MESH_NETS * (MESH_NETS - 1) // 2, "loop": [], "topology": [], "wide": []}
    with h.Sim(h.seed(M, region=REGION), throttling=False) as sim:
        inventory = mesh_inventory(M["nets"])
        declared = sum(len(host["peers"]) for host in inventory["all"]["children"]["mesh"]["hosts"].values())
        assert declared == results["pairs"], declared
        for latency in latencies:
            for forks in forks_list:
                print(f"[bench]   loop, forks {forks}, latency {latency * 1000} ms...", file=sys.stderr, flush=True)
                # ping makes no API call: its playbook is timed once per forks, without latency.
                results["loop"].append(bench_loop(sim, ws, inventory, forks, latency, repeats, with_ping=not latency))
            print(f"[bench]   net_peerings, latency {latency * 1000} ms...", file=sys.stderr, flush=True)
            results["topology"].append(bench_topology(sim, ws, inventory, latency, rounds))
            if latency:
                results["wide"].append(bench_topology(sim, ws, inventory, latency, None, max_writes=16))
    return results


# -- the mesh with its routes (issue 18): one route per peering and side, in each Net's main table

ROUTES = {"route_tables": "main"}


def routes_loop_playbook(sim):
    """The per-pair way with routes: one net_peering per loop item, accepted and routed both sides."""
    defaults = h.module_defaults(sim.url, M["access_key"], M["secret_key"], REGION)
    task = {
        "name": "mesh",
        PEER: {"source_net_id": "{{ net_id }}", "accepter_net_id": "{{ item }}", "state": "accepted", "routes": ROUTES},
        "loop": "{{ peers }}",
    }
    return [h.play([task], hosts="mesh", defaults=defaults)]


def routes_through_peerings(sim):
    """How many routes through a peering the simulator's tables hold (all accounts)."""
    return sum(1 for t in sim.route_tables() for r in t["Routes"] if r.get("NetPeeringId"))


def bench_routes(ws, latencies, with_loop):
    """net_peerings with routes in one task (converge, re-run) and, in full runs, the net_peering loop at forks 1."""
    results = {"pairs": MESH_NETS * (MESH_NETS - 1) // 2, "topology": [], "loop": []}
    with h.Sim(h.seed(M, region=REGION), throttling=False) as sim:
        inventory = mesh_inventory(M["nets"])
        for latency in latencies:
            print(f"[bench]   net_peerings with routes, latency {latency * 1000} ms...", file=sys.stderr, flush=True)
            entry = {"latency": latency}
            sim.reset()
            set_latency(sim, latency)
            sim.clear_log()
            run = ws.run(topology_playbook(sim, [topology_task("converge", routes=ROUTES)]), inventory, timeout=900)
            check_ok(run, f"net_peerings with routes, converge (latency {latency})")
            entry["converge"] = dict(mesh_outcome(sim, run), routes=routes_through_peerings(sim))
            sim.clear_log()
            run = ws.run(topology_playbook(sim, [topology_task("re-run", routes=ROUTES)]), inventory, timeout=900)
            check_ok(run, f"net_peerings with routes, re-run (latency {latency})")
            entry["noop"] = dict(mesh_outcome(sim, run), changed=any(r["result"].get("changed") for r in run.records))
            results["topology"].append(entry)
            if with_loop:
                print(
                    f"[bench]   net_peering loop with routes, forks 1, latency {latency * 1000} ms...",
                    file=sys.stderr,
                    flush=True,
                )
                sim.reset()
                set_latency(sim, latency)
                sim.clear_log()
                run = ws.run(routes_loop_playbook(sim), inventory, forks=1, timeout=3600)
                check_ok(run, f"net_peering loop with routes (latency {latency})")
                results["loop"].append(
                    dict(mesh_outcome(sim, run), latency=latency, routes=routes_through_peerings(sim))
                )
    return results


def bench_throttling(ws):
    """The mesh at forks 8 (loop) and in one task, with the simulator's default rate limits on."""
    results = []
    with h.Sim(h.seed(M, region=REGION)) as sim:  # defaults: natural throttling on
        settings = sim.throttling_stats()["settings"]
        assert settings["enabled"], settings
        inventory = mesh_inventory(M["nets"])
        for way in ("loop", "topology"):
            sim.reset()
            sim.clear_log()
            if way == "loop":
                run = ws.run(loop_playbook(sim, "converge"), inventory, forks=8, timeout=1200)
            else:
                run = ws.run(topology_playbook(sim, [topology_task("converge")]), inventory, timeout=1200)
            outcome = mesh_outcome(sim, run)
            outcome["way"] = way
            outcome["stats"] = sim.throttling_stats()["throttled"]
            results.append(outcome)
    return {"settings": settings, "runs": results}


# -- 4. import time -------------------------------------------------------------------

OUR_UTILS = [
    f"ansible_collections.outscale.cloud.plugins.module_utils.{name}"
    for name in (
        "_base",
        "_peering",
        "_nets",
        "_peering_plan",
        "_outcome",
        "_peering_apply",
        "_peering_wait",
        "_peering_topology",
        "_tags",
        "_ids",
        "_client",
        "_api_errors",
        "_http",
        "_credentials",
        "_signer",
    )
]


def bench_import(ws, repeats):
    code = "import ansible.module_utils.basic\n" + "".join(f"import {name}\n" for name in OUR_UTILS)
    env = dict(os.environ, PYTHONPATH=ws.collections, PYTHONDONTWRITEBYTECODE="")
    samples = []
    for _repeat in range(repeats):
        proc = subprocess.run(
            [h.PYTHON, "-X", "importtime", "-c", code], env=env, capture_output=True, text=True, timeout=120, check=True
        )
        cumulative = {}
        for line in proc.stderr.splitlines():
            match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
            if match:
                cumulative.setdefault(match.group(4), (int(match.group(2)), len(match.group(3))))
        ours = sum(cumulative[name][0] for name in OUR_UTILS if name in cumulative and cumulative[name][1] == 1)
        samples.append(
            {
                "ours_ms": ours / 1000.0,
                "basic_ms": cumulative["ansible.module_utils.basic"][0] / 1000.0,
                # The transport's library (requests: urllib3, ssl, http.client with it), which ping does not import.
                "http_ms": cumulative.get("requests", (0, 0))[0] / 1000.0,
            }
        )
    return {key: h.median([s[key] for s in samples]) for key in samples[0]}


# -- the table -------------------------------------------------------------------------


def verdict(ok):
    return "met" if ok else "MISSED"


def fmt_calls(outcome):
    """API calls answered, and the throttled refusals apart."""
    return f"{outcome['calls']}" + (f" +{outcome['throttled']} thr." if outcome.get("throttled") else "")


def fmt_latency(latency):
    return "50 ms/call" if latency else "no latency"


def task_rows(results, rows):
    tasks = results["tasks"]
    ping = tasks["ping"]
    rows.append(
        [
            f"ansible.builtin.ping, per task (median of {tasks['ping_n']})",
            fmt_s(ping),
            "-",
            "1.00x",
            "-",
            "-",
            "-",
            "-",
        ]
    )
    by_name = {}
    for row in tasks["rows"]:
        by_name[row["name"]] = row
        r = ratio(row["seconds"], ping)
        calls = "/".join(str(c) for c in row["calls"])
        if row["min_calls"] is None:  # a floor: no target of its own
            state = "-"
        elif not row["changed_ok"]:
            state = "WRONG changed"
        else:
            state = verdict(
                row["calls"] == [row["min_calls"]] and (row["target"] is None or (r is not None and r <= row["target"]))
            )
        rows.append(
            [
                f"{row['name']} (median of {row['n']})",
                fmt_s(row["seconds"]),
                f"ping {fmt_s(ping)}",
                f"{r:.2f}x",
                f"<= {row['target']:.2f}x" if row["target"] else "-",
                calls,
                "-" if row["min_calls"] is None else str(row["min_calls"]),
                state,
            ]
        )
    # Issues 10 and 17: the no-op task within 5% of the floor of the transport the modules use (requests), in
    # the same run; and beside the http.client floor, which shows what importing requests costs.
    noop = by_name["net_peering present, no-op"]
    for floor_label, target in (("requests", 1.05), ("http.client", None)):
        floor = by_name[f"floor: bare module, {floor_label} + 1 POST"]
        r = ratio(noop["seconds"], floor["seconds"])
        rows.append(
            [
                f"net_peering present, no-op, against the {floor_label} floor",
                fmt_s(noop["seconds"]),
                f"{floor_label} floor {fmt_s(floor['seconds'])}",
                f"{r:.2f}x",
                f"<= {target:.2f}x" if target else "-",
                "-",
                "-",
                verdict(r <= target) if target else "-",
            ]
        )


def process_rows(results, rows):
    info = results["info"]
    big, ping_p = info["info"], info["ping"]
    r = ratio(big["seconds"], ping_p["seconds"])
    rows.append(
        [
            f"net_peering_info over {info['count']} peerings, task (median of {big['n']})",
            fmt_s(big["seconds"]),
            f"ping {fmt_s(ping_p['seconds'])}",
            f"{r:.2f}x",
            "<= 11 calls",
            "/".join(str(c) for c in big["calls"]),
            str(info["min_calls"]),
            verdict(max(big["calls"]) <= 11),
        ]
    )
    labels = [
        ("info", f"net_peering_info over {info['count']} peerings", 1.0),
        ("noop", "net_peering present, no-op", None),
        ("floor-requests", "floor: bare module, requests + 1 POST", None),
        ("floor-httpclient", "floor: bare module, http.client + 1 POST", None),
    ]
    for kind, label, limit in labels:
        entry = info[kind]
        rows.append(
            [
                f"  module process CPU, user+sys: {label} (median of {entry['n']})",
                f"{entry['cpu']:.3f} s",
                f"ping module {ping_p['cpu']:.3f} s",
                f"{ratio(entry['cpu'], ping_p['cpu']):.2f}x",
                "<= 1 s" if limit else "-",
                "-",
                "-",
                verdict(entry["cpu"] <= limit) if limit else "-",
            ]
        )
    noop, floor = info["noop"], info["floor-requests"]
    rows.append(
        [
            "  module process CPU: net_peering no-op against the requests floor",
            f"{noop['cpu']:.3f} s",
            f"requests floor {floor['cpu']:.3f} s",
            f"{ratio(noop['cpu'], floor['cpu']):.2f}x",
            "-",
            "-",
            "-",
            "-",
        ]
    )
    rows.append(
        [
            f"  module process peak RSS: net_peering_info over {info['count']} peerings",
            f"{big['rss_mib']:.1f} MiB",
            f"ping module {ping_p['rss_mib']:.1f} MiB",
            f"{ratio(big['rss_mib'], ping_p['rss_mib']):.2f}x",
            "-",
            "-",
            "-",
            "-",
        ]
    )


def outcome_state(outcome, live):
    ok = outcome["live"] == live and outcome["duplicates"] == 0 and not outcome["failed"] and outcome["rc"] == 0
    return f"{'ok' if ok else 'WRONG'}: {outcome['live']} live, {outcome['duplicates']} dup, {outcome['failed']} failed"


def mesh_rows(results, rows):
    mesh = results["mesh"]
    pairs = mesh["pairs"]
    name = f"mesh {MESH_NETS} Nets/{pairs} peerings"
    pings = {e["forks"]: e["ping"] for e in mesh["loop"] if "ping" in e}
    for topo in mesh["topology"]:
        latency = topo["latency"]
        lat = fmt_latency(latency)
        loops = {e["forks"]: e for e in mesh["loop"] if e["latency"] == latency}

        def versus(key, value, loops=loops):
            """'loop f1 X / f8 Y' and the ratios of ``value`` to them."""
            refs = [(f, loops[f][key]["wall"]) for f in sorted(loops)]
            return (
                " / ".join(f"loop f{f} {fmt_s(w)}" for f, w in refs),
                " / ".join(f"{ratio(value, w):.2f}x" for _f, w in refs),
            )

        # converge from nothing
        for forks in sorted(loops):
            conv = loops[forks]["converge"]
            ping_pb = pings.get(forks)
            rows.append(
                [
                    f"{name}, {lat}: converge, net_peering loop, forks {forks}",
                    fmt_s(conv["wall"]),
                    f"ping playbook {fmt_s(ping_pb['wall'])}" if ping_pb else "-",
                    f"{ratio(conv['wall'], ping_pb['wall']):.2f}x" if ping_pb else "-",
                    "-",
                    fmt_calls(conv),
                    str(LOOP_CONVERGE_CALLS_PER_PAIR * pairs),
                    outcome_state(conv, pairs),
                ]
            )
        conv = topo["converge"]
        reference, ratios = versus("converge", conv["wall"])
        goal = latency and 1 in loops
        ok = conv["wall"] * 10 <= loops[1]["converge"]["wall"] if goal else None
        rows.append(
            [
                f"{name}, {lat}: converge, net_peerings one task",
                fmt_s(conv["wall"]),
                reference,
                ratios,
                "<= 0.10x f1" if goal else "-",
                fmt_calls(conv),
                str(3 * pairs + TOPOLOGY_CONVERGE_READS),
                outcome_state(conv, pairs) + ("; " + verdict(ok) if goal else ""),
            ]
        )
        for wide in [w for w in mesh["wide"] if w["latency"] == latency]:
            conv = wide["converge"]
            reference, ratios = versus("converge", conv["wall"])
            rows.append(
                [
                    f"  same, max_concurrent_writes {wide['max_writes']}",
                    fmt_s(conv["wall"]),
                    reference,
                    ratios,
                    "-",
                    fmt_calls(conv),
                    str(3 * pairs + TOPOLOGY_CONVERGE_READS),
                    outcome_state(conv, pairs),
                ]
            )
        # re-run with nothing to change
        for forks in sorted(loops):
            noop = loops[forks]["noop"]
            ping_pb = pings.get(forks)
            r = ratio(noop["wall"], ping_pb["wall"]) if ping_pb else None
            target = not latency and ping_pb
            ok = noop["calls"] == [pairs] and noop["changed"] == 0 and (not target or r <= 1.3)
            rows.append(
                [
                    f"{name}, {lat}: re-run, net_peering loop, forks {forks} (median of {noop['n']})",
                    fmt_s(noop["wall"]),
                    f"ping playbook {fmt_s(ping_pb['wall'])}" if ping_pb else "-",
                    f"{r:.2f}x" if r else "-",
                    "<= 1.30x" if target else "-",
                    "/".join(str(c) for c in noop["calls"]),
                    str(pairs),
                    verdict(ok),
                ]
            )
            if not latency and ping_pb:
                rows.append(
                    [
                        "  same, CPU of ansible-playbook and all it ran (median)",
                        fmt_s(noop["cpu"]),
                        f"ping playbook {fmt_s(ping_pb['cpu'])}",
                        f"{ratio(noop['cpu'], ping_pb['cpu']):.2f}x",
                        "-",
                        "-",
                        "-",
                        "-",
                    ]
                )
        task = topo["noop_task"]
        r = ratio(task["seconds"], task["ping"])
        reads_ok = task["calls"] == [1] and task["actions"] == {"ReadNetPeerings": 1} and not task["changed"]
        rows.append(
            [
                f"{name}, {lat}: re-run, net_peerings, per task (median of {task['n']})",
                fmt_s(task["seconds"]),
                f"ping task {fmt_s(task['ping'])}",
                f"{r:.2f}x",
                "<= 1.50x, 1 read",
                "/".join(str(c) for c in task["calls"]),
                "1 (1 account)",
                verdict(reads_ok and r <= 1.5),
            ]
        )
        whole = topo["noop_playbook"]
        reference, ratios = versus("noop", whole["wall"])
        rows.append(
            ["  same, whole playbook", fmt_s(whole["wall"]), reference, ratios, "-", fmt_calls(whole), "1", "-"]
        )
        # 10 pairs removed
        for forks in sorted(loops):
            rem = loops[forks]["remove"]
            rows.append(
                [
                    f"{name}, {lat}: remove {REMOVED} pairs, net_peering absent x {REMOVED}, forks {forks}",
                    fmt_s(rem["wall"]),
                    "-",
                    "-",
                    "-",
                    fmt_calls(rem),
                    str(2 * REMOVED),
                    outcome_state(rem, pairs - REMOVED),
                ]
            )
        rem = topo["remove"]
        reference, ratios = versus("remove", rem["wall"])
        rows.append(
            [
                f"{name}, {lat}: remove {REMOVED} pairs, net_peerings overridden",
                fmt_s(rem["wall"]),
                reference,
                ratios,
                "-",
                fmt_calls(rem),
                str(1 + REMOVED),
                outcome_state(rem, pairs - REMOVED),
            ]
        )


def routes_rows(results, rows):
    """Issue 18's goals: re-run 3 reads per account at most; converge at 50 ms 10x the loop at forks 1;
    the minimum of calls; no duplicate; every route in place."""
    routes = results["routes"]
    pairs = routes["pairs"]
    name = f"mesh {MESH_NETS} Nets/{pairs} peerings + routes (main tables)"
    # converge: per pair create, accept, scope tag, 2 CreateRoute; plus 1 ReadRouteTables and the
    # topology's reads (ReadNetPeerings, ReadNets, the settling read)
    minimum = 5 * pairs + 1 + TOPOLOGY_CONVERGE_READS
    for entry in routes["topology"]:
        lat = fmt_latency(entry["latency"])
        conv, noop = entry["converge"], entry["noop"]
        loop = next((e for e in routes["loop"] if e["latency"] == entry["latency"]), None)
        goal = bool(entry["latency"]) and loop is not None
        fast = goal and conv["wall"] * 10 <= loop["wall"]
        exact = conv["calls"] == minimum and conv["routes"] == 2 * pairs
        rows.append(
            [
                f"{name}, {lat}: converge, net_peerings one task",
                fmt_s(conv["wall"]),
                f"loop f1 {fmt_s(loop['wall'])}" if loop else "-",
                f"{ratio(conv['wall'], loop['wall']):.2f}x" if loop else "-",
                "<= 0.10x f1" if goal else "-",
                fmt_calls(conv),
                str(minimum),
                f"{outcome_state(conv, pairs)}, {conv['routes']} routes; calls {verdict(exact)}"
                + (f"; speed {verdict(fast)}" if goal else ""),
            ]
        )
        reads = noop["actions"]
        ok = (
            not noop["changed"]
            and set(reads) <= {"ReadNetPeerings", "ReadRouteTables", "ReadNets"}
            and all(n <= 1 for n in reads.values())
        )
        rows.append(
            [
                f"{name}, {lat}: re-run, net_peerings one task",
                fmt_s(noop["wall"]),
                "-",
                "-",
                "<= 3 reads/account",
                fmt_calls(noop),
                "2",
                f"{', '.join(f'{n} {a}' for a, n in sorted(reads.items()))}; {verdict(ok)}",
            ]
        )
        if loop:
            rows.append(
                [
                    f"{name}, {lat}: converge, net_peering loop, forks 1",
                    fmt_s(loop["wall"]),
                    "-",
                    "-",
                    "-",
                    fmt_calls(loop),
                    "-",
                    f"{outcome_state(loop, pairs)}, {loop['routes']} routes",
                ]
            )


def throttling_rows(results, rows):
    data = results["throttling"]
    pairs = MESH_NETS * (MESH_NETS - 1) // 2
    for run in data["runs"]:
        label = "net_peering loop, forks 8" if run["way"] == "loop" else "net_peerings one task"
        stats = run["stats"]
        kinds = ", ".join(
            f"{kind} {stats[kind]}" for kind in ("platform", "account", "action", "identical") if stats[kind]
        )
        rows.append(
            [
                f"mesh {MESH_NETS} Nets/{pairs} peerings, default rate limits ON: converge, {label}",
                fmt_s(run["wall"]),
                f"throttled: {kinds or 'none'}",
                "-",
                "0 failed, 0 dup",
                fmt_calls(run),
                str(
                    3 * pairs + TOPOLOGY_CONVERGE_READS
                    if run["way"] != "loop"
                    else LOOP_CONVERGE_CALLS_PER_PAIR * pairs
                ),
                verdict(run["failed"] == 0 and run["duplicates"] == 0 and run["rc"] == 0 and run["active"] == pairs)
                + f": {run['active']} active, {run['duplicates']} dup, {run['failed']} failed",
            ]
        )


def table(results):
    head = ["measurement", "value", "reference (same run)", "ratio", "target", "API calls", "minimum", "verdict"]
    rows = []
    for key, section in (
        ("tasks", task_rows),
        ("info", process_rows),
        ("mesh", mesh_rows),
        ("routes", routes_rows),
        ("throttling", throttling_rows),
    ):
        if key in results:
            section(results, rows)
    if "import" in results:
        imp = results["import"]
        rows.append(
            [
                f"import of our module_utils (after basic; requests {imp['http_ms']:.0f} ms of it)",
                f"{imp['ours_ms']:.1f} ms",
                f"ansible.module_utils.basic {imp['basic_ms']:.1f} ms",
                f"{ratio(imp['ours_ms'], imp['basic_ms']):.2f}x",
                "-",
                "-",
                "-",
                "-",
            ]
        )
    return render(head, rows)


def render(head, rows):
    widths = [max(len(str(row[i])) for row in [head] + rows) for i in range(len(head))]
    lines = [
        "| " + " | ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(row)) + " |" for row in [head] + rows
    ]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def versions():
    proc = subprocess.run(
        [h.PYTHON, "-c", "import sys, ansible.release as r; print(sys.version.split()[0], r.__version__)"],
        capture_output=True,
        text=True,
        check=False,
    )
    python, _space, core = proc.stdout.strip().partition(" ")
    return f"Python {python or '?'}, ansible-core {core or '?'}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds and peerings (not for recorded figures)")
    parser.add_argument("--json", help="also write the raw results to this file")
    parser.add_argument(
        "--collection", default=h.ROOT, help="benchmark another tree of the collection (default: this one)"
    )
    parser.add_argument("--only", choices=["tasks", "mesh", "routes", "throttling"], help="run one part only")
    options = parser.parse_args()
    # rounds of the per-task playbook, peerings and rounds of the info part, repeats of each mesh re-run,
    # forks of the loop, latencies, rounds of the per-task net_peerings re-run
    rounds, info_count, info_rounds, mesh_repeats, forks_list, latencies, topo_rounds = (
        7,
        10000,
        5,
        1,
        [1, 8],
        [0, LATENCY],
        11,  # a median of 11: on a shared VM the ratio moved by 0.25x between two runs of the same code
    )
    if options.quick:
        rounds, info_count, info_rounds, mesh_repeats, forks_list, latencies, topo_rounds = (
            5,
            2000,
            3,
            1,
            [8],
            [0, LATENCY],
            3,
        )
    only = options.only

    started = time.perf_counter()
    results = {"argv": sys.argv, "versions": versions(), "cpus": os.cpu_count(), "load_before": os.getloadavg()}
    with h.Workspace(root=os.path.abspath(options.collection)) as ws:
        if only in (None, "tasks"):
            # Timing rows run with natural throttling off: its refusals and back-offs would measure the
            # simulator's guessed rates, not the collection. The throttling rows below turn it on.
            with h.Sim(h.seed(A, region=REGION), throttling=False) as sim:
                print(f"[bench] per-task playbook ({rounds} rounds + 1 warm-up)...", file=sys.stderr, flush=True)
                results["tasks"] = bench_tasks(sim, ws, rounds)
                if only is None:
                    print(
                        f"[bench] module processes, net_peering_info over {info_count} peerings...",
                        file=sys.stderr,
                        flush=True,
                    )
                    results["info"] = bench_processes(sim, ws, info_count, info_rounds)
        if only in (None, "mesh"):
            print(
                f"[bench] mesh of {MESH_NETS} Nets: loop at forks {forks_list} and net_peerings, latencies {latencies}...",
                file=sys.stderr,
                flush=True,
            )
            results["mesh"] = bench_mesh(ws, forks_list, latencies, mesh_repeats, topo_rounds)
        if only in (None, "routes"):
            print(
                f"[bench] mesh of {MESH_NETS} Nets with routes, latencies {latencies}...", file=sys.stderr, flush=True
            )
            # --quick leaves out the loop of 190 net_peering tasks with routes (minutes at 50 ms a call).
            results["routes"] = bench_routes(ws, latencies, with_loop=not options.quick)
        if only in (None, "throttling"):
            print("[bench] mesh with the default rate limits on...", file=sys.stderr, flush=True)
            results["throttling"] = bench_throttling(ws)
        if only is None:
            print("[bench] import time...", file=sys.stderr, flush=True)
            results["import"] = bench_import(ws, 7)
    results["seconds"] = time.perf_counter() - started
    results["load_after"] = os.getloadavg()
    if options.json:  # before the table, so a long run's figures survive a bug in the printing
        with open(options.json, "w") as handle:
            json.dump(results, handle, indent=1, default=str)
    print(table(results))
    print(
        f"\n{os.cpu_count()} CPUs, load average {results['load_before'][0]:.2f} before and "
        f"{results['load_after'][0]:.2f} after (1 min); {results['versions']}; whole run {results['seconds']:.0f} s.\n"
        "Per-task times: controller-side, v2_runner_on_start to result. Mesh times: ansible-playbook process wall time.\n"
        "Natural throttling is off in every row but the 'default rate limits ON' ones. "
        "'thr.': calls refused by throttling, apart from the calls answered. "
        "50 ms/call: a delay of 50 ms on every API call."
    )


if __name__ == "__main__":
    main()
