"""Print, as JSON, the Ansible variables that describe a running simulator and its seed.

Usage: sim_vars.py SEED_FILE API_URL PYTHON [NAME=VALUE ...]

Shared by the integration runner (ansible-test's integration_config.yml) and the
demo. The output holds the seed's secret keys: write it to a file only you can
read (umask 077), never to a command line.
"""

import json
import sys


def simulator_vars(seed_file, url, python):
    with open(seed_file) as handle:
        seed = json.load(handle)
    account_a, account_b = seed["accounts"][:2]
    return {
        "ansible_python_interpreter": python,
        "osc_endpoint": url,
        "osc_sim": url[:-len("/api/v1")] + "/_sim",
        "osc_region": seed.get("region", "eu-west-2"),
        "osc_account_a": {key: account_a[key] for key in ("account_id", "access_key", "secret_key")},
        "osc_account_b": {key: account_b[key] for key in ("account_id", "access_key", "secret_key")},
        "osc_net_a1": account_a["nets"][0]["net_id"],
        "osc_net_a2": account_a["nets"][1]["net_id"],
        "osc_net_b1": account_b["nets"][0]["net_id"],
    }


def main(argv):
    seed_file, url, python = argv[:3]
    variables = simulator_vars(seed_file, url, python)
    for extra in argv[3:]:
        name, value = extra.split("=", 1)
        variables[name] = value
    print(json.dumps(variables, indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
