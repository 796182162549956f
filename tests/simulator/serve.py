"""The simulator for people: ``PYTHONPATH=<collection>/tests python -m simulator.serve``.

Starts the simulator like ``python -m simulator`` does (127.0.0.1 only, demo seed
by default) and says how to use it: the endpoint, and the ``OSC_*`` exports for
the seed's first account plus the second account's keys. These are the seed's
test keys, not secrets. With ``--env-file FILE`` the exports are also written to
FILE (mode 600) once the simulator listens, so a script can start it in the
background, wait for the file and source it. Serves until Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import os
import shlex
import signal
import sys
import threading

from .server import DEMO_SEED, Simulator


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m simulator.serve", description="Local Outscale API simulator, with the OSC_* settings to use it."
    )
    parser.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0: any free port)")
    parser.add_argument("--seed", default=DEMO_SEED, help="seed JSON file (accounts and Nets; default: the demo seed)")
    parser.add_argument("--env-file", default=None, help="also write the export line to this file, mode 600")
    return parser.parse_args(argv)


def export_line(simulator: Simulator, account: dict) -> str:
    settings = {
        "OSC_ENDPOINT_API": simulator.url,
        "OSC_REGION": simulator.region,
        "OSC_ACCESS_KEY": account["access_key"],
        "OSC_SECRET_KEY": account["secret_key"],
    }
    return "export " + " ".join(f"{name}={shlex.quote(value)}" for name, value in settings.items())


def describe(simulator: Simulator, seed: str) -> str:
    accounts = simulator.accounts
    shown = os.path.relpath(seed) if os.path.abspath(seed).startswith(os.getcwd() + os.sep) else seed
    lines = [f"Outscale API simulator listening on {simulator.url} (seed {shown}). Ctrl-C stops it.", ""]
    for index, account in enumerate(accounts):
        nets = ", ".join(f"{net['net_id']} ({net['ip_range']})" for net in account.get("nets", []))
        lines.append(f"Account {account['account_id']}: Nets {nets or 'none'}")
        if index > 0:
            lines.append(f"  access_key: {account['access_key']}  secret_key: {account['secret_key']}")
    lines += [
        "",
        f"In another shell, to act as account {accounts[0]['account_id']}:",
        "",
        export_line(simulator, accounts[0]),
        "",
    ]
    return "\n".join(lines)


def write_env_file(path: str, line: str) -> None:
    temporary = f"{path}.{os.getpid()}.tmp"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(line + "\n")
    os.replace(temporary, path)  # whoever waits for the file never reads half of it


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    simulator = Simulator(seed=args.seed, port=args.port)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    simulator.start()
    try:
        print(describe(simulator, args.seed), flush=True)
        if args.env_file:
            write_env_file(args.env_file, export_line(simulator, simulator.accounts[0]))
        while not stop.wait(0.2):
            pass
    finally:
        simulator.stop()
        if args.env_file and os.path.exists(args.env_file):
            os.remove(args.env_file)  # its endpoint is gone
    return 0


if __name__ == "__main__":
    sys.exit(main())
