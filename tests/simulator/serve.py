"""The simulator for people: ``PYTHONPATH=<collection>/tests python -m simulator.serve``.

Starts the simulator like ``python -m simulator`` does (127.0.0.1 only, demo seed
by default) and says how to use it: the endpoint, and the ``OSC_*`` exports for
the seed's first account plus the second account's keys. These are the seed's
test keys, not secrets.

With ``--profile-file FILE`` it also writes a profile file (mode 600, the format
of ``~/.osc/config.json``) with a profile per account of the seed, pointing at
the simulator: ``default`` for the first account, ``partner`` for the second
(``account3``... after them); the export line is then just
``OSC_CONFIG_FILE=FILE``. With ``--env-file FILE`` the export line is also
written to FILE once the simulator listens, so a script can start it in the
background, wait for the file and source it. Both files are removed when it
stops (their endpoint is gone). Serves until Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import json
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
    parser.add_argument(
        "--profile-file",
        default=None,
        help="also write a profile file (default, partner) for the seed's accounts; the export line points at it",
    )
    return parser.parse_args(argv)


PROFILE_NAMES = ("default", "partner")


def profile_name(index: int) -> str:
    return PROFILE_NAMES[index] if index < len(PROFILE_NAMES) else f"account{index + 1}"


def profiles(simulator: Simulator) -> dict:
    """The seed's accounts as profiles of an Outscale profile file, pointing at this simulator."""
    return {
        profile_name(index): {
            "access_key": account["access_key"],
            "secret_key": account["secret_key"],
            "region": simulator.region,
            "endpoints": {"api": simulator.url},
        }
        for index, account in enumerate(simulator.accounts)
    }


def export_line(simulator: Simulator, account: dict, profile_file: str | None = None) -> str:
    if profile_file:
        return "export OSC_CONFIG_FILE=" + shlex.quote(os.path.abspath(profile_file))
    settings = {
        "OSC_ENDPOINT_API": simulator.url,
        "OSC_REGION": simulator.region,
        "OSC_ACCESS_KEY": account["access_key"],
        "OSC_SECRET_KEY": account["secret_key"],
    }
    return "export " + " ".join(f"{name}={shlex.quote(value)}" for name, value in settings.items())


def describe(simulator: Simulator, seed: str, profile_file: str | None = None) -> str:
    accounts = simulator.accounts
    shown = os.path.relpath(seed) if os.path.abspath(seed).startswith(os.getcwd() + os.sep) else seed
    lines = [
        f"Outscale API simulator listening on {simulator.url} (seed {shown}). Ctrl-C stops it.",
        f"Its control API: {simulator.base_url}/_sim (back to the seed: curl -X POST {simulator.base_url}/_sim/reset)",
        "",
    ]
    for index, account in enumerate(accounts):
        nets = ", ".join(f"{net['net_id']} ({net['ip_range']})" for net in account.get("nets", []))
        lines.append(f"Account {account['account_id']}: Nets {nets or 'none'}")
        if profile_file:
            lines.append(f"  profile: {profile_name(index)}")
        elif index > 0:
            lines.append(f"  access_key: {account['access_key']}  secret_key: {account['secret_key']}")
    if profile_file:
        intro = (
            f"Profiles written to {profile_file}. In another shell, to use them "
            f"(default: account {accounts[0]['account_id']}):"
        )
    else:
        intro = f"In another shell, to act as account {accounts[0]['account_id']}:"
    lines += ["", intro, "", export_line(simulator, accounts[0], profile_file), ""]
    return "\n".join(lines)


def write_private_file(path: str, text: str) -> None:
    """Write ``text`` to ``path``, mode 600, all at once: whoever waits for the file never reads half of it."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    temporary = f"{path}.{os.getpid()}.tmp"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(text)
    os.replace(temporary, path)


def write_profile_file(path: str, simulator: Simulator) -> None:
    write_private_file(path, json.dumps(profiles(simulator), indent=2) + "\n")


def write_env_file(path: str, line: str) -> None:
    write_private_file(path, line + "\n")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    simulator = Simulator(seed=args.seed, port=args.port)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    simulator.start()
    written = [path for path in (args.profile_file, args.env_file) if path]
    try:
        if args.profile_file:
            write_profile_file(args.profile_file, simulator)
        print(describe(simulator, args.seed, args.profile_file), flush=True)
        if args.env_file:
            write_env_file(args.env_file, export_line(simulator, simulator.accounts[0], args.profile_file))
        while not stop.wait(0.2):
            pass
    finally:
        simulator.stop()
        for path in written:
            if os.path.exists(path):
                os.remove(path)  # its endpoint is gone
    return 0


if __name__ == "__main__":
    sys.exit(main())
