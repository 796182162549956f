"""What the module tests share: run a module's main() in this process and read what it did.

Each test file keeps its own seed and connection arguments; running main(), reading its
JSON result, its warnings and the routes it left in the simulator is the same everywhere.
"""

import json

import pytest
from ansible.module_utils.testing import patch_module_args


def run_main(module, args, capsys, check_mode=False, diff=False):
    """Run ``module.main()`` once with ``args``; its JSON result (with 'failed' on failure)."""
    args = dict(args)
    if check_mode:
        args["_ansible_check_mode"] = True
    if diff:
        args["_ansible_diff"] = True
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            module.main()
    return json.loads(capsys.readouterr().out)


def warnings(result):
    """The warning texts of a result (ansible-core 2.19 and later report each as a WarningSummary dict)."""
    return [w if isinstance(w, str) else (w.get("event") or {}).get("msg", "") for w in result.get("warnings", [])]


def routes_to_peerings(simulator, net_id):
    """{(route table, destination): peering} of a Net's routes through peerings, read from the simulator."""
    return {
        (table["RouteTableId"], route["DestinationIpRange"]): route["NetPeeringId"]
        for table in simulator.route_tables(net_id)
        for route in table["Routes"]
        if route.get("NetPeeringId")
    }


def main_table_nets(ranges):
    """Seed Nets {net ID: IP range}, each with its main table only (and its local route)."""
    return [
        {"net_id": net_id, "ip_range": ip_range, "route_tables": [{"main": True, "routes": []}]}
        for net_id, ip_range in ranges.items()
    ]
