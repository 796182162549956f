# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The account a play names wins over the shell's OSC_* keys (real ansible-playbook runs).

With OSC_ACCESS_KEY/OSC_SECRET_KEY exported (as oapi-cli users have them), a
play that sets ``profile`` in ``module_defaults`` must act as that profile's
account; the simulator's log says which account each call was signed by. A
play that gives both a key pair and a profile is refused before any call.
"""

from __future__ import annotations

import json
import os

from bench import harness as h
from rel_common import ACCOUNT_B, AK_A, AK_B, REGION, SK_A, SK_B, item_results, nets, sim_clean, two_accounts

INFO = "outscale.cloud.net_peering_info"


def test_play_profile_beats_exported_keys(suite):
    config = suite.write("precedence-config.json", json.dumps({"partner": {"access_key": AK_B, "secret_key": SK_B}}))
    os.chmod(config, 0o644)  # readable by everyone: the task warns (issue 19, defect 8)
    with h.Sim(two_accounts(nets("ab", 1, 90), nets("cd", 1, 95)), validate_responses=True) as sim:
        defaults = {
            "group/outscale.cloud.all": {
                "endpoint": sim.url,
                "region": REGION,
                "profile": "partner",
                "config_file": config,
            }
        }
        tasks = [
            {"name": "list as the play's profile", INFO: {}, "register": "listed"},
            {
                "name": "keys and a profile in one task",
                INFO: {"access_key": AK_A, "secret_key": SK_A},
                "register": "both",
                "ignore_errors": True,
            },
        ]
        run = suite.run([h.play(tasks, defaults=defaults)], env={"OSC_ACCESS_KEY": AK_A, "OSC_SECRET_KEY": SK_A})
        assert run.rc == 0, run.tail(40)
        assert not run.secrets
        calls = sim.log()
        assert [call["account_id"] for call in calls] == [ACCOUNT_B], calls  # the profile's account, one call
        results = item_results(run)
        warning = f"config_file {config} holds secret keys and is accessible to other users (mode 0644): run chmod 600"
        assert warning in json.dumps(results[0][3]["warnings"]), results[0][3]
        assert results[1][2] == "failed"
        message = results[1][3]["msg"]
        assert "Both a key pair (access_key/secret_key) and a profile (profile: partner)" in message, message
        assert not sim_clean(sim)
