"""CLI: ``PYTHONPATH=tests python -m simulator --port 0 --seed FILE``.

Prints the API endpoint URL as the first stdout line, then serves until SIGTERM or
SIGINT and exits 0 (saving --state-file, which is also loaded at start if present).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading

from .server import DEMO_SEED, Simulator


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m simulator", description="Local Outscale API simulator (Net peerings).")
    parser.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--seed", default=DEMO_SEED, help="seed JSON file (accounts and Nets)")
    parser.add_argument("--region", default=None, help="signing region (default: the seed's, else eu-west-2)")
    parser.add_argument("--tls-cert", default=None, help="PEM certificate: serve HTTPS")
    parser.add_argument("--tls-key", default=None, help="PEM private key of --tls-cert")
    parser.add_argument("--state-file", default=None, help="load at start if it exists, save at exit")
    parser.add_argument("--fault-seed", type=int, default=0, help="seed of ratio-based faults")
    args = parser.parse_args(argv)
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    tls = (args.tls_cert, args.tls_key) if args.tls_cert else None
    simulator = Simulator(seed=args.seed, region=args.region, tls=tls, port=args.port, fault_seed=args.fault_seed)
    if args.state_file and os.path.exists(args.state_file):
        simulator.load(args.state_file)

    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())

    simulator.start()
    try:
        print(simulator.url, flush=True)
        while not stop.wait(0.2):
            pass
    finally:
        if args.state_file:
            simulator.save(args.state_file)
        simulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
