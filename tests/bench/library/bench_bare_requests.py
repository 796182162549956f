# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark floor: the least a module that talks to an HTTP API can cost.

It imports requests and makes one POST, nothing else (no signing, no
credentials). The benchmark runs it beside ansible.builtin.ping to show what
any API module pays over ping here.
"""

from __future__ import annotations

DOCUMENTATION = r"""
module: bench_bare_requests
short_description: Benchmark floor (tests only)
description:
  - Import requests and POST an empty JSON body to O(url) once.
options:
  url:
    description: The URL to POST to.
    type: str
    required: true
author:
  - outscale.cloud maintainers
"""

import requests
from ansible.module_utils.basic import AnsibleModule


def main():
    module = AnsibleModule(argument_spec=dict(url=dict(type="str", required=True)), supports_check_mode=True)
    response = requests.post(module.params["url"], data=b"{}", headers={"Content-Type": "application/json"}, timeout=30)
    module.exit_json(changed=False, status=response.status_code)


if __name__ == "__main__":
    main()
