# -*- coding: utf-8 -*-
# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmarks of outscale.cloud against ansible.builtin.ping: one run, one table.

    .venv/bin/python tests/bench/run.py            # what `make bench` runs (~5 min on 2 cores)
    .venv/bin/python tests/bench/run.py --quick    # smaller, for trying changes (~1 min)
    .venv/bin/python tests/bench/run.py --json out.json

Every figure in the table comes from this one run: real ansible-playbook
against the simulator (in this process, 127.0.0.1 only), with ping measured in
the same playbook runs. How each figure is taken:

- per-task wall time: the osc_recorder callback (callback_plugins/) takes
  controller-side timestamps at v2_runner_on_start and at the task's result;
  each measured task follows a ping in the same round; the median of N rounds
  (after one warm-up round, which pays for building each AnsiballZ payload);
- API calls per task: the simulator's call counts, read by the callback after
  each task (forks 1, so calls belong to exactly one task);
- net_peering_info over 10,000 peerings: the module process runs under
  rusage.py (the interpreter is a wrapper), which reports the child's
  user+system CPU and peak RSS from getrusage(RUSAGE_CHILDREN);
- the mesh: process wall time of whole ansible-playbook runs (20 hosts, one per
  Net, 190 peerings as loop items), the same playbook with ping in place of
  net_peering at the same forks;
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
A = h.account("111111111111", "AKBENCHACCOUNTA00001", "SKbenchSecretA00000000000000000000000001",
              [(h.net_id("a", 1), "10.1.0.0/16"), (h.net_id("a", 2), "10.2.0.0/16")])
MESH_NETS = 20
M = h.account("333333333333", "AKBENCHACCOUNTM00001", "SKbenchSecretM00000000000000000000000001",
              [(h.net_id("e", i), "10.%d.0.0/16" % (100 + i)) for i in range(1, MESH_NETS + 1)])

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
ROUND_ORDER = ["net_peering present, create", "net_peering present, no-op", "net_peering accepted, accept pending",
               "net_peering accepted, no-op", "net_peering_info, one pair", "net_peering absent, delete",
               "net_peering absent, no-op", "floor: bare module, requests + 1 POST",
               "floor: bare module, http.client + 1 POST"]


def fmt_s(value):
    return "-" if value is None else ("%.3f s" % value if value < 10 else "%.1f s" % value)


def ratio(value, reference):
    return None if not value or not reference else value / reference


def calls_between(before, after):
    before, after = before or {}, after or {}
    return dict((k, after.get(k, 0) - before.get(k, 0)) for k in after if after.get(k, 0) != before.get(k, 0))


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
        raise SystemExit("%s failed (rc %s):\n%s" % (what, run.rc, run.tail(60)))


# -- 1. per-task wall time and API calls ----------------------------------------

def bench_tasks(sim, ws, rounds):
    defaults = h.module_defaults(sim.url, A["access_key"], A["secret_key"], REGION)
    by_name = dict((t[0], t) for t in TASKS)
    tasks = []
    for n in range(rounds + 1):  # round 0 is the warm-up
        for name in ROUND_ORDER:
            tasks.append({"name": "r%d ping" % n, "ansible.builtin.ping": {}})
            module, args = by_name[name][1], by_name[name][2]
            if module.startswith("bench_bare_"):
                args = {"url": sim.url + "/ReadNetPeerings"}
            tasks.append({"name": "r%d %s" % (n, name), module: args})
    run = ws.run([h.play(tasks, defaults=defaults)], recorder_sim=sim.control_url, timeout=900)
    check_ok(run, "per-task playbook")
    with_calls(run)
    measured = [r for r in run.records if not r["task"].startswith("r0 ")]
    pings = [r["seconds"] for r in measured if r["task"].endswith(" ping")]
    rows = []
    for name, _module, _args, minimum, target, expected_changed in TASKS:
        records = [r for r in measured if r["task"].split(" ", 1)[1] == name]
        calls = sorted(set(r["ncalls"] for r in records))
        changed = sorted(set(bool(r["result"].get("changed")) for r in records))
        rows.append({"name": name, "seconds": h.median([r["seconds"] for r in records]), "n": len(records),
                     "calls": calls, "min_calls": minimum, "target": target, "changed_ok": changed == [expected_changed],
                     "actions": records[0]["calls"] if records else {}})
    return {"ping": h.median(pings), "ping_n": len(pings), "rows": rows, "wall": run.wall}


# -- 2. module processes: net_peering_info over 10,000 peerings, CPU and RSS -----------

def bench_processes(sim, ws, count, rounds):
    """Every module process runs under rusage.py; ping, the floors and a no-op beside info over ``count``."""
    sim.reset()
    sim.bulk_peerings(A["account_id"], count - 1, "active")  # + the pair the no-op task creates in round 0
    rusage_file = os.path.join(ws.path, "rusage.jsonl")
    wrapper = ws.write("python-rusage.sh", "#!/bin/sh\nexec '%s' '%s' '%s' \"$@\"\n"
                       % (h.PYTHON, os.path.join(h.BENCH_DIR, "rusage.py"), h.PYTHON))
    os.chmod(wrapper, 0o755)
    defaults = h.module_defaults(sim.url, A["access_key"], A["secret_key"], REGION)
    kinds = [("ping", "ansible.builtin.ping", {}),
             ("noop", PEER, dict(PAIR, state="present")),
             ("floor-requests", "bench_bare_requests", {"url": sim.url + "/ReadNetPeerings"}),
             ("floor-httpclient", "bench_bare_httpclient", {"url": sim.url + "/ReadNetPeerings"}),
             ("info", INFO, {})]
    tasks = []
    for n in range(rounds + 1):  # round 0 warms up, and creates the pair the no-op finds
        for kind, module, args in kinds:
            task = {"name": "r%d %s" % (n, kind), module: args}
            if kind == "info":
                task["register"] = "listing"
            tasks.append(task)
        tasks.append({"name": "r%d check" % n, "ansible.builtin.assert": {
            "that": ["listing.net_peerings | length == %d" % count], "quiet": True}})
    run = ws.run([h.play(tasks, defaults=defaults)], recorder_sim=sim.control_url, python=wrapper,
                 env={"OSC_RUSAGE_FILE": rusage_file}, timeout=900)
    check_ok(run, "module process playbook")
    with_calls(run)
    with open(rusage_file) as handle:
        usage = [json.loads(line) for line in handle]
    # One rusage line per module process, in task order (assert runs in the controller).
    module_runs = [r for r in run.records if r["action"] != "ansible.builtin.assert"]
    if len(usage) != len(module_runs):
        raise SystemExit("rusage lines (%d) do not match module tasks (%d)" % (len(usage), len(module_runs)))
    for record, line in zip(module_runs, usage):
        record["rusage"] = line
    measured = [r for r in module_runs if not r["task"].startswith("r0 ")]
    result = {"count": count, "min_calls": max(1, int(math.ceil(count / 1000.0)))}
    for kind, _module, _args in kinds:
        records = [r for r in measured if r["task"].split(" ", 1)[1] == kind]
        result[kind] = {
            "n": len(records),
            "seconds": h.median([r["seconds"] for r in records]),
            "calls": sorted(set(r["ncalls"] for r in records)),
            "cpu": h.median([r["rusage"]["cpu"] for r in records]),
            "rss_mib": max(r["rusage"]["maxrss_kib"] for r in records) / 1024.0,
            "module_wall": h.median([r["rusage"]["wall"] for r in records]),
        }
    return result


# -- 3. the mesh --------------------------------------------------------------------

def mesh_inventory(sim, nets):
    ids = [net["net_id"] for net in nets]
    size = len(ids)
    hosts = {}
    for i, net in enumerate(ids):
        # Each unordered pair once, spread evenly: host i peers with the next size//2
        # Nets (the opposite one only from the first half), so no host waits on another.
        steps = list(range(1, (size - 1) // 2 + 1)) + ([size // 2] if size % 2 == 0 and i < size // 2 else [])
        hosts["net%02d" % (i + 1)] = {"net_id": net, "peers": [ids[(i + k) % size] for k in steps],
                                      "ansible_connection": "local"}
    return {"all": {"children": {"mesh": {"hosts": hosts}}}}


def mesh_playbook(sim, kind):
    defaults = h.module_defaults(sim.url, M["access_key"], M["secret_key"], REGION)
    if kind == "peering":
        task = {"name": "mesh", PEER: {"source_net_id": "{{ net_id }}", "accepter_net_id": "{{ item }}", "state": "accepted"},
                "loop": "{{ peers }}"}
    else:
        task = {"name": "mesh", "ansible.builtin.ping": {}, "loop": "{{ peers }}"}
    return [h.play([task], hosts="mesh", defaults=defaults)]


def bench_mesh(ws, forks_list, repeats):
    pairs = MESH_NETS * (MESH_NETS - 1) // 2
    results = []
    with h.Sim(h.seed(M, region=REGION)) as sim:
        inventory = mesh_inventory(sim, M["nets"])
        declared = sum(len(host["peers"]) for host in inventory["all"]["children"]["mesh"]["hosts"].values())
        assert declared == pairs, declared
        for forks in forks_list:
            sim.reset()
            entry = {"forks": forks, "pairs": pairs}
            converge = ws.run(mesh_playbook(sim, "peering"), inventory, forks=forks, timeout=900)
            check_ok(converge, "mesh converge (forks %d)" % forks)
            peerings = sim.peerings()
            active = [p for p in peerings if p["state"] == "active"]
            entry["converge"] = {"wall": converge.wall, "play": converge.record["playbook_seconds"], "cpu": converge.cpu,
                                 "calls": sum(sim.call_counts().values()), "active": len(active),
                                 "duplicates": len(h.duplicates(peerings, live_only=False))}
            noop, ping = [], []
            for _repeat in range(repeats):  # alternate, so drift hits both alike
                sim.clear_log()
                run = ws.run(mesh_playbook(sim, "peering"), inventory, forks=forks, timeout=900)
                check_ok(run, "mesh re-run (forks %d)" % forks)
                changed = sum(1 for r in run.records for item in (r["items"] or []) if item.get("changed"))
                noop.append({"wall": run.wall, "play": run.record["playbook_seconds"], "cpu": run.cpu,
                             "calls": sum(sim.call_counts().values()), "changed": changed})
                run = ws.run(mesh_playbook(sim, "ping"), inventory, forks=forks, timeout=900)
                check_ok(run, "mesh ping (forks %d)" % forks)
                ping.append({"wall": run.wall, "play": run.record["playbook_seconds"], "cpu": run.cpu})
            entry["noop"] = {"wall": h.median([r["wall"] for r in noop]), "play": h.median([r["play"] for r in noop]),
                             "cpu": h.median([r["cpu"] for r in noop]),
                             "calls": sorted(set(r["calls"] for r in noop)), "changed": max(r["changed"] for r in noop),
                             "runs": noop}
            entry["ping"] = {"wall": h.median([r["wall"] for r in ping]), "play": h.median([r["play"] for r in ping]),
                             "cpu": h.median([r["cpu"] for r in ping]),
                             "runs": ping}
            results.append(entry)
    return results


# -- 4. import time -------------------------------------------------------------------

OUR_UTILS = ["ansible_collections.outscale.cloud.plugins.module_utils.%s" % name
             for name in ("_base", "_peering", "_peering_plan", "_peering_apply", "_tags", "_client", "_credentials", "_signer")]


def bench_import(ws, repeats):
    code = "import ansible.module_utils.basic\n" + "".join("import %s\n" % name for name in OUR_UTILS)
    env = dict(os.environ, PYTHONPATH=ws.collections, PYTHONDONTWRITEBYTECODE="")
    samples = []
    for _repeat in range(repeats):
        proc = subprocess.run([h.PYTHON, "-X", "importtime", "-c", code], env=env, capture_output=True, text=True,
                              timeout=120, check=True)
        cumulative = {}
        for line in proc.stderr.splitlines():
            match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
            if match:
                cumulative.setdefault(match.group(4), (int(match.group(2)), len(match.group(3))))
        ours = sum(cumulative[name][0] for name in OUR_UTILS if name in cumulative and cumulative[name][1] == 1)
        samples.append({"ours_ms": ours / 1000.0, "basic_ms": cumulative["ansible.module_utils.basic"][0] / 1000.0,
                        "requests_ms": cumulative.get("requests", (0, 0))[0] / 1000.0})
    return dict((key, h.median([s[key] for s in samples])) for key in samples[0])


# -- the table -------------------------------------------------------------------------

def verdict(ok):
    return "met" if ok else "MISSED"


def table(results):
    head = ["measurement", "value", "reference (same run)", "ratio", "target", "API calls", "minimum", "verdict"]
    rows = []
    tasks = results["tasks"]
    ping = tasks["ping"]
    rows.append(["ansible.builtin.ping, per task (median of %d)" % tasks["ping_n"], fmt_s(ping), "-", "1.00x", "-", "-", "-", "-"])
    for row in tasks["rows"]:
        r = ratio(row["seconds"], ping)
        calls = "/".join(str(c) for c in row["calls"])
        if row["min_calls"] is None:  # a floor: no target of its own
            state = "-"
        elif not row["changed_ok"]:
            state = "WRONG changed"
        else:
            state = verdict(row["calls"] == [row["min_calls"]] and (row["target"] is None or (r is not None and r <= row["target"])))
        rows.append(["%s (median of %d)" % (row["name"], row["n"]), fmt_s(row["seconds"]), "ping %s" % fmt_s(ping),
                     "%.2fx" % r, "<= %.2fx" % row["target"] if row["target"] else "-", calls,
                     "-" if row["min_calls"] is None else str(row["min_calls"]), state])
    if "info" not in results:
        return render(head, rows)
    info = results["info"]
    big, ping_p = info["info"], info["ping"]
    r = ratio(big["seconds"], ping_p["seconds"])
    rows.append(["net_peering_info over %d peerings, task (median of %d)" % (info["count"], big["n"]), fmt_s(big["seconds"]),
                 "ping %s" % fmt_s(ping_p["seconds"]), "%.2fx" % r, "<= 11 calls", "/".join(str(c) for c in big["calls"]),
                 str(info["min_calls"]), verdict(max(big["calls"]) <= 11)])
    labels = [("info", "net_peering_info over %d peerings" % info["count"], 1.0),
              ("noop", "net_peering present, no-op", None),
              ("floor-requests", "floor: bare module, requests + 1 POST", None),
              ("floor-httpclient", "floor: bare module, http.client + 1 POST", None)]
    for kind, label, limit in labels:
        entry = info[kind]
        rows.append(["  module process CPU, user+sys: %s (median of %d)" % (label, entry["n"]), "%.3f s" % entry["cpu"],
                     "ping module %.3f s" % ping_p["cpu"], "%.2fx" % ratio(entry["cpu"], ping_p["cpu"]),
                     "<= 1 s" if limit else "-", "-", "-", verdict(entry["cpu"] <= limit) if limit else "-"])
    rows.append(["  module process peak RSS: net_peering_info over %d peerings" % info["count"], "%.1f MiB" % big["rss_mib"],
                 "ping module %.1f MiB" % ping_p["rss_mib"], "%.2fx" % ratio(big["rss_mib"], ping_p["rss_mib"]),
                 "-", "-", "-", "-"])
    for entry in results["mesh"]:
        forks, pairs = entry["forks"], entry["pairs"]
        conv, noop, ping_pb = entry["converge"], entry["noop"], entry["ping"]
        conv_ok = conv["active"] == pairs and conv["duplicates"] == 0
        rows.append(["mesh %d Nets / %d peerings, converge, forks %d" % (MESH_NETS, pairs, forks), fmt_s(conv["wall"]),
                     "ping playbook %s" % fmt_s(ping_pb["wall"]), "%.2fx" % ratio(conv["wall"], ping_pb["wall"]), "-",
                     str(conv["calls"]), str(3 * pairs),
                     "%s, %d active, %d dup" % ("ok" if conv_ok else "WRONG", conv["active"], conv["duplicates"])])
        r = ratio(noop["wall"], ping_pb["wall"])
        ok = r <= 1.3 and noop["calls"] == [pairs] and noop["changed"] == 0
        rows.append(["mesh re-run, nothing to change, forks %d (median of %d)" % (forks, len(noop["runs"])), fmt_s(noop["wall"]),
                     "ping playbook %s" % fmt_s(ping_pb["wall"]), "%.2fx" % r, "<= 1.30x",
                     "/".join(str(c) for c in noop["calls"]), str(pairs), verdict(ok)])
        rows.append(["  same, CPU of ansible-playbook and all it ran (median)", fmt_s(noop["cpu"]),
                     "ping playbook %s" % fmt_s(ping_pb["cpu"]), "%.2fx" % ratio(noop["cpu"], ping_pb["cpu"]), "-", "-", "-", "-"])
    imp = results["import"]
    rows.append(["import of our module_utils (after basic; requests %.0f ms of it)" % imp["requests_ms"], "%.1f ms" % imp["ours_ms"],
                 "ansible.module_utils.basic %.1f ms" % imp["basic_ms"], "%.2fx" % ratio(imp["ours_ms"], imp["basic_ms"]),
                 "-", "-", "-", "-"])
    return render(head, rows)


def render(head, rows):
    widths = [max(len(str(row[i])) for row in [head] + rows) for i in range(len(head))]
    lines = ["| " + " | ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(row)) + " |" for row in [head] + rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds and peerings (not for recorded figures)")
    parser.add_argument("--json", help="also write the raw results to this file")
    parser.add_argument("--collection", default=h.ROOT, help="benchmark another tree of the collection (default: this one)")
    parser.add_argument("--only", choices=["tasks"], help="run the per-task playbook only")
    options = parser.parse_args()
    rounds, info_count, info_rounds, mesh_repeats, forks_list = (7, 10000, 5, 2, [1, 8])
    if options.quick:
        rounds, info_count, info_rounds, mesh_repeats, forks_list = (5, 2000, 5, 1, [8])

    started = time.perf_counter()
    results = {"argv": sys.argv, "python": h.PYTHON, "cpus": os.cpu_count(), "load_before": os.getloadavg()}
    with h.Workspace(root=os.path.abspath(options.collection)) as ws:
        with h.Sim(h.seed(A, region=REGION)) as sim:
            print("[bench] per-task playbook (%d rounds + 1 warm-up)..." % rounds, file=sys.stderr, flush=True)
            results["tasks"] = bench_tasks(sim, ws, rounds)
            if options.only == "tasks":
                print(table(results))
                return
            print("[bench] module processes, net_peering_info over %d peerings..." % info_count, file=sys.stderr, flush=True)
            results["info"] = bench_processes(sim, ws, info_count, info_rounds)
        print("[bench] mesh of %d Nets, forks %s..." % (MESH_NETS, forks_list), file=sys.stderr, flush=True)
        results["mesh"] = bench_mesh(ws, forks_list, mesh_repeats)
        print("[bench] import time...", file=sys.stderr, flush=True)
        results["import"] = bench_import(ws, 7)
    results["seconds"] = time.perf_counter() - started
    results["load_after"] = os.getloadavg()
    print(table(results))
    print("\n%d CPUs, load average %.2f before and %.2f after (1 min); %s; whole run %.0f s.\n"
          "Per-task times: controller-side, v2_runner_on_start to result. Mesh times: ansible-playbook process wall time."
          % (os.cpu_count(), results["load_before"][0], results["load_after"][0], h.PYTHON, results["seconds"]))
    if options.json:
        with open(options.json, "w") as handle:
            json.dump(results, handle, indent=1, default=str)


if __name__ == "__main__":
    main()
