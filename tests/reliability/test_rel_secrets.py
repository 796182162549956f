# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Secret scan: the test secret keys must never appear in any output at -vvv.

Every playbook of this suite already runs at -vvv and is scanned (see
rel_common.Suite). Here, the success paths too: keys from options, from
accepter_credentials, from a profile file and from the environment, with
--diff, check mode, and every result printed with debug. The full run also
runs the integration suite (tests/utils/run-integration.sh) at -vvv and
scans all its output for the secret keys of the demo seed it uses.
"""

from __future__ import annotations

import json
import os
import subprocess
import time

import pytest
from bench import harness as h
from rel_common import (
    ACCOUNT_B,
    AK_A,
    AK_B,
    FULL,
    REGION,
    SK_A,
    SK_B,
    TALLY,
    defaults_for,
    item_results,
    nets,
    note,
    sim_clean,
    two_accounts,
)

P = "outscale.cloud.net_peering"
INFO = "outscale.cloud.net_peering_info"


def test_success_paths_print_no_secret(suite):
    nets_a, nets_b = nets("d", 3, 70), nets("e", 2, 80)
    a0, a1, a2 = [net[0] for net in nets_a]
    b0 = nets_b[0][0]
    config = suite.write("secrets-config.json", json.dumps({"scan": {"access_key": AK_A, "secret_key": SK_A}}))
    with h.Sim(two_accounts(nets_a, nets_b), validate_responses=True) as sim:
        cross = {
            "source_net_id": a0,
            "accepter_net_id": b0,
            "accepter_owner_id": ACCOUNT_B,
            "accepter_credentials": {"access_key": AK_B, "secret_key": SK_B},
            "state": "accepted",
        }
        tasks = [
            {
                "name": "cross-account create and accept, check mode",
                P: dict(cross, tags={"env": "scan"}),
                "check_mode": True,
                "register": "r0",
            },
            {"name": "cross-account create and accept", P: dict(cross, tags={"env": "scan"}), "register": "r1"},
            {"name": "again, nothing to change", P: dict(cross, tags={"env": "scan"}), "register": "r2"},
            {"name": "tags change", P: dict(cross, tags={"env": "other"}), "register": "r3"},
            {"name": "same-account create", P: {"source_net_id": a1, "accepter_net_id": a2}, "register": "r4"},
            {
                "name": "reject it",
                P: {"source_net_id": a1, "accepter_net_id": a2, "state": "rejected"},
                "register": "r5",
            },
            {"name": "list", INFO: {}, "register": "r6"},
            {
                "name": "a refused call",
                P: {"net_peering_id": "pcx-0badbad0", "state": "accepted"},
                "register": "r7",
                "ignore_errors": True,
            },
            {"name": "delete", P: {"source_net_id": a0, "accepter_net_id": b0, "state": "absent"}, "register": "r8"},
            {
                "name": "print every result",
                "ansible.builtin.debug": {"var": "item"},
                "loop": [
                    "{{ r0 }}",
                    "{{ r1 }}",
                    "{{ r2 }}",
                    "{{ r3 }}",
                    "{{ r4 }}",
                    "{{ r5 }}",
                    "{{ r6 }}",
                    "{{ r7 }}",
                    "{{ r8 }}",
                ],
            },
        ]
        # Keys from the environment come from the controller's (ansible-playbook's) environment, which
        # the local connection passes to modules. The task keyword `environment:` is not used for them:
        # Ansible prints its values in the command line it shows at -vvv, whatever the module does.
        other = [
            {
                "name": "keys from a profile file",
                INFO: {"config_file": config, "profile": "scan", "endpoint": sim.url, "region": REGION},
                "register": "p1",
                "environment": {"OSC_ACCESS_KEY": "", "OSC_SECRET_KEY": ""},
            },
            {"name": "keys from the environment", INFO: {"endpoint": sim.url, "region": REGION}, "register": "p2"},
            {"name": "print them", "ansible.builtin.debug": {"var": "item"}, "loop": ["{{ p1 }}", "{{ p2 }}"]},
        ]
        plays = [
            h.play(tasks, defaults=defaults_for(sim), name="options"),
            h.play(other, name="profile and environment"),
        ]
        run = suite.run(plays, args=["--diff"], env={"OSC_ACCESS_KEY": AK_B, "OSC_SECRET_KEY": SK_B})
        assert run.rc == 0, run.tail(40)
        statuses = [status for _host, _item, status, _result in item_results(run)]
        assert statuses.count("failed") == 1, statuses  # the refused call, ignored
        assert "EXEC" in run.output  # -vvv was in effect
        assert not run.tracebacks(), run.tail()
        assert not run.secrets, f"secrets in the output: {run.secrets}"
        accounts = [call["account_id"] for call in sim.log()][-2:]
        assert accounts == ["111111111111", ACCOUNT_B], accounts  # the profile's keys, then the environment's
        assert not sim_clean(sim)


@pytest.mark.skipif(not FULL, reason="the integration suite runs in the full run only (OSC_RELIABILITY_FULL=1)")
def test_integration_suite_at_vvv_prints_no_secret():
    with open(os.path.join(h.ROOT, "tests", "simulator", "seeds", "demo.json")) as handle:
        secrets = [account["secret_key"] for account in json.load(handle)["accounts"]]
    env = {k: v for k, v in os.environ.items() if not k.startswith("OSC_")}
    started = time.monotonic()
    proc = subprocess.run(
        [os.path.join(h.ROOT, "tests", "utils", "run-integration.sh"), "-vvv"],
        cwd=h.ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        timeout=1800,
        check=False,
    )
    output = proc.stdout.decode("utf-8", "replace")
    found = sorted({secret for secret in secrets if secret in output})
    TALLY["secrets"] += len(found)
    TALLY["runs"] += 1
    note(
        f"integration suite at -vvv: rc {proc.returncode}, {len(output.splitlines())} lines of output "
        f"in {time.monotonic() - started:.0f} s, {len(found)} secret(s) found"
    )
    assert "EXEC" in output, "the integration suite did not run at -vvv:\n" + output[-3000:]
    assert not found, "secrets in the integration suite's output"
