"""Put the simulator that `make sim` runs back to its seed (`make sim-reset`): POST .../_sim/reset.

Usage: python3 tests/utils/sim_reset.py [PROFILE_FILE]
PROFILE_FILE is the file `make sim` wrote (default: $OSC_CONFIG_FILE, else .osc-sim/config.json);
its default profile's endpoint says where the simulator listens. Standard library only.
"""

import json
import os
import sys
import urllib.error
import urllib.request


def control_url(profile_file):
    with open(profile_file, encoding="utf-8") as handle:
        endpoint = json.load(handle)["default"]["endpoints"]["api"]
    return endpoint.rstrip("/").rsplit("/api/v1", 1)[0] + "/_sim"


def main(argv):
    profile_file = argv[0] if argv else os.environ.get("OSC_CONFIG_FILE") or ".osc-sim/config.json"
    try:
        url = control_url(profile_file)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return f"No simulator's profile file at {profile_file} ({exc}): start the simulator with make sim first."
    request = urllib.request.Request(
        url + "/reset", data=b"{}", method="POST", headers={"Content-Type": "application/json"}
    )
    try:
        urllib.request.urlopen(request, timeout=10).read()
    except (urllib.error.URLError, OSError) as exc:
        return f"The simulator at {url} did not answer ({exc}): is make sim still running?"
    print(f"Simulator {url} reset to its seed: no peering, no tag, empty log, default settings.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
