# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Without the requests library, every module fails with ansible-core's usual
"missing required library" message, not a traceback. Run in a child Python
whose imports of requests fail, as on a host where it is not installed."""

import json
import os
import subprocess
import sys

import pytest
from ansible.module_utils.basic import missing_required_lib

CHILD = r"""
import json, sys

class NoRequests:
    def find_spec(self, name, path=None, target=None):
        if name == "requests" or name.startswith("requests."):
            raise ImportError(f"No module named {name!r} (hidden by the test)")
        return None

sys.meta_path.insert(0, NoRequests())
from ansible.module_utils.testing import patch_module_args
import importlib
module = importlib.import_module("ansible_collections.outscale.cloud.plugins.modules." + sys.argv[1])
with patch_module_args(json.loads(sys.argv[2])):
    module.main()
"""

ARGS = {
    "net_peering": {"source_net_id": "vpc-11111111", "accepter_net_id": "vpc-22222222"},
    "net_peering_info": {},
    "net_peerings": {"peerings": []},
}


@pytest.mark.parametrize("name", sorted(ARGS))
def test_a_module_without_requests_says_so(name, tmp_path):
    args = dict(ARGS[name], access_key="AKIDTEST", secret_key="SKTESTSECRET0000", endpoint="http://127.0.0.1:9/api/v1")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(path for path in sys.path if path), HOME=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-c", CHILD, name, json.dumps(args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    result = json.loads(done.stdout)
    assert done.returncode == 1, done.stderr
    assert result["failed"] is True
    assert result["msg"] == missing_required_lib("requests")
    assert "Failed to import the required Python library (requests)" in result["msg"]
