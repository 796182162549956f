"""Print, as JSON, the Ansible variables that describe a running simulator and its seed.

Usage: sim_vars.py SEED_FILE API_URL PYTHON [--template FILE] [NAME=VALUE ...]

Shared by the integration runner (ansible-test's integration_config.yml) and the
demo. The variables are those of tests/integration/integration_config.yml.template,
plus osc_sim (the simulator's control URL). With --template, the output has
exactly the template's variables, filled from the seed (an error names any the
seed cannot fill): the same file a user writes for a real account.
osc_is_simulator=VALUE is read as a YAML boolean (true/false).

The output holds the seed's secret keys: write it to a file only you can
read (umask 077), never to a command line.
"""

import json
import sys

import yaml


def simulator_vars(seed_file, url, python):
    with open(seed_file) as handle:
        seed = json.load(handle)
    account_a, account_b = seed["accounts"][:2]
    optional = {}
    readers = [user for user in account_a.get("eim_users", []) if user.get("allowed_actions")]
    if readers:  # an EIM user of account A allowed only some actions (403 Code 4 for the others)
        optional["osc_eim_reader"] = {key: readers[0][key] for key in ("access_key", "secret_key")}
    return dict(
        optional,
        **{
            "ansible_python_interpreter": python,
            "osc_is_simulator": True,
            "osc_endpoint": url,
            "osc_sim": url[: -len("/api/v1")] + "/_sim",
            "osc_region": seed.get("region", "eu-west-2"),
            "osc_account_a": {key: account_a[key] for key in ("account_id", "access_key", "secret_key")},
            "osc_account_b": {key: account_b[key] for key in ("account_id", "access_key", "secret_key")},
            "osc_net_a1": account_a["nets"][0]["net_id"],
            "osc_net_a1_ip_range": account_a["nets"][0]["ip_range"],
            "osc_net_a2": account_a["nets"][1]["net_id"],
            "osc_net_b1": account_b["nets"][0]["net_id"],
        },
    )


def fill_template(template_file, variables):
    """The template's variables, with the values of `variables`."""
    with open(template_file) as handle:
        template = yaml.safe_load(handle)
    missing = sorted(set(template) - set(variables))
    if missing:
        raise SystemExit(f"{template_file}: no value from the simulator for {', '.join(missing)}")
    return {name: variables[name] for name in template}


def main(argv):
    seed_file, url, python = argv[:3]
    rest = argv[3:]
    variables = simulator_vars(seed_file, url, python)
    extras = {}
    template = None
    while rest:
        arg = rest.pop(0)
        if arg == "--template":
            template = rest.pop(0)
        else:
            name, value = arg.split("=", 1)
            extras[name] = yaml.safe_load(value) if name == "osc_is_simulator" else value
    variables.update(extras)
    if template:
        variables = fill_template(template, variables)
        variables.update(extras)
    print(json.dumps(variables, indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
