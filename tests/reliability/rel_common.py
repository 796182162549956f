# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared pieces of the reliability suite: accounts, secrets, the scanned playbook runner."""

from __future__ import annotations

import os

from bench import harness as h

FULL = os.environ.get("OSC_RELIABILITY_FULL") == "1"

# Filled in by the tests, printed by conftest.pytest_terminal_summary.
TALLY = {
    "cases": 0,
    "passed": 0,
    "skipped": 0,
    "xfailed": 0,
    "duplicates": 0,
    "secrets": 0,
    "secrets_known_defect": 0,
    "runs": 0,
    "notes": [],
}

REGION = "eu-west-2"
ACCOUNT_A = "111111111111"
ACCOUNT_B = "222222222222"
AK_A, SK_A = "AKRELIABILITYA000001", "SKrelSecretA0000000000000000000000000001"
AK_B, SK_B = "AKRELIABILITYB000001", "SKrelSecretB0000000000000000000000000001"
# Secrets that only appear in config files, wrong-key cases and the like.
SK_WRONG = "SKrelWrongSecret000000000000000000000001"
SK_FILE = "SKrelFileSecret0000000000000000000000001"
SK_LEAK = "SKrelLeakProbe00000000000000000000000001"

# Every secret any run of the suite can see: none may appear in any output.
SECRETS = {SK_A, SK_B, SK_WRONG, SK_FILE, SK_LEAK}


def nets(prefix, count, second_octet_base):
    """``count`` Nets vpc-<prefix>00000N with disjoint /16 ranges 10.<base+i>.0.0/16."""
    return [(h.net_id(prefix, i), f"10.{second_octet_base + i}.0.0/16") for i in range(count)]


def two_accounts(nets_a, nets_b):
    return h.seed(h.account(ACCOUNT_A, AK_A, SK_A, nets_a), h.account(ACCOUNT_B, AK_B, SK_B, nets_b), region=REGION)


def creds(account):
    if account == ACCOUNT_A:
        return {"access_key": AK_A, "secret_key": SK_A}
    return {"access_key": AK_B, "secret_key": SK_B}


def record_duplicates(found):
    TALLY["duplicates"] += len(found)
    return found


def note(line):
    TALLY["notes"].append(line)


class Suite:
    """The session's workspace; every run is at -vvv and scanned for secrets and tracebacks."""

    def __init__(self):
        self.ws = h.Workspace(prefix="osc-reliability-")

    @property
    def path(self):
        return self.ws.path

    def write(self, name, content):
        return self.ws.write(name, content)

    def cleanup(self):
        if os.environ.get("OSC_RELIABILITY_KEEP"):  # keep playbooks, records and outputs to debug a failure
            print(f"\n[reliability] workspace kept in {self.ws.path}")
            return
        self.ws.cleanup()

    def run(
        self, playbook, inventory=None, forks=1, env=None, timeout=900, args=(), extra_vars=None, known_defect=False
    ):
        """Run at -vvv; count secrets found in the output (tests assert on run.secrets).

        ``known_defect``: the run exercises a defect that is expected to fail (a strict
        xfail); secrets it shows are counted apart, so the summary stays truthful.
        """
        run = self.ws.run(
            playbook, inventory, forks=forks, verbosity=3, env=env, timeout=timeout, args=args, extra_vars=extra_vars
        )
        TALLY["runs"] += 1
        # Named after the run's playbook-N.yml, so parallel runs never share a file.
        name = os.path.basename(run.argv[3]).replace("playbook-", "output-").replace(".yml", ".txt")
        self.ws.write(name, " ".join(run.argv) + "\n" + run.output)
        run.secrets = run.find_secrets(SECRETS)
        TALLY["secrets_known_defect" if known_defect else "secrets"] += len(run.secrets)
        return run


def defaults_for(sim, account=ACCOUNT_A, **extra):
    keys = creds(account)
    return h.module_defaults(sim.url, keys["access_key"], keys["secret_key"], REGION, **extra)


def item_results(run):
    """Every loop item (or plain task) result: (host, item, status, result dict)."""
    out = []
    for record in run.records:
        if record["items"]:
            for item in record["items"]:
                out.append((record["host"], item.get("item"), item["status"], item))
        else:
            out.append((record["host"], None, record["status"], record["result"]))
    return out


def sim_clean(sim):
    """Problems the simulator saw in itself (internal errors, answers outside outscale.yaml)."""
    return list(sim.sim.internal_errors) + list(sim.sim.response_problems)
