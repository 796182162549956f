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
    parser = argparse.ArgumentParser(
        prog="python -m simulator", description="Local Outscale API simulator (Net peerings)."
    )
    parser.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--seed", default=DEMO_SEED, help="seed JSON file (accounts and Nets)")
    parser.add_argument("--region", default=None, help="signing region (default: the seed's, else eu-west-2)")
    parser.add_argument("--tls-cert", default=None, help="PEM certificate: serve HTTPS")
    parser.add_argument("--tls-key", default=None, help="PEM private key of --tls-cert")
    parser.add_argument("--state-file", default=None, help="load at start if it exists, save at exit")
    parser.add_argument("--fault-seed", type=int, default=0, help="seed of ratio-based faults")
    parser.add_argument(
        "--tags-shared-across-accounts",
        action="store_true",
        default=None,
        help="both accounts of a peering read and write one set of its tags (default: the seed's, else each "
        "account its own; either is a guess)",
    )
    throttling = parser.add_argument_group(
        "natural throttling (defaults: README.md; the seed's 'throttling' applies first)"
    )
    throttling.add_argument("--no-throttling", action="store_true", help="switch natural throttling off")
    for name, what in (
        ("platform", "platform-wide bucket (503, Code 6)"),
        ("account", "per-account bucket (429, Code 24)"),
        ("action", "per-account-and-action bucket (429, Code 25)"),
    ):
        throttling.add_argument(
            f"--throttle-{name}",
            metavar="RATE,BURST",
            type=_pair,
            default=None,
            help=f"{what}: calls per second and burst",
        )
    throttling.add_argument(
        "--throttle-identical",
        metavar="MAX,SECONDS",
        type=_pair,
        default=None,
        help="at most MAX identical requests (account, action, body) within SECONDS",
    )
    lockout = parser.add_argument_group("lockout after repeated invalid access keys")
    lockout.add_argument("--no-auth-lockout", action="store_true", help="switch the lockout off")
    lockout.add_argument(
        "--auth-lockout-scope",
        choices=("access_key", "client"),
        default=None,
        help="what a lockout blocks (default access_key: the presented key and region)",
    )
    args = parser.parse_args(argv)
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    return args


def _pair(text: str) -> tuple[float, float]:
    try:
        first, second = (float(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected two numbers separated by a comma, not {text!r}") from None
    if first <= 0 or second <= 0:
        raise argparse.ArgumentTypeError("both numbers must be > 0")
    return first, second


def throttling_settings(args: argparse.Namespace) -> dict | None:
    """The command line's throttling settings (applied over the seed's), or None."""
    settings: dict = {}
    for name in ("platform", "account", "action"):
        pair = getattr(args, f"throttle_{name}")
        if pair:
            settings[name] = {"rate": pair[0], "burst": pair[1]}
    if args.throttle_identical:
        settings["identical"] = {"max": int(args.throttle_identical[0]), "window_seconds": args.throttle_identical[1]}
    if args.no_throttling:
        settings["enabled"] = False
    return settings or None


def lockout_settings(args: argparse.Namespace) -> dict | None:
    settings: dict = {}
    if args.auth_lockout_scope:
        settings["scope"] = args.auth_lockout_scope
    if args.no_auth_lockout:
        settings["enabled"] = False
    return settings or None


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    tls = (args.tls_cert, args.tls_key) if args.tls_cert else None
    simulator = Simulator(
        seed=args.seed,
        region=args.region,
        tls=tls,
        port=args.port,
        fault_seed=args.fault_seed,
        throttling=throttling_settings(args),
        auth_lockout=lockout_settings(args),
        tags_shared_across_accounts=args.tags_shared_across_accounts,
    )
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
