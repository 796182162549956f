# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark floor without requests: one POST with the standard library's http.client.

Beside bench_bare_requests, it shows how much of an API module's cost over
ansible.builtin.ping is the import of requests (and urllib3, charset_normalizer).
ssl is imported too, as an HTTPS endpoint would need it.
"""

from __future__ import annotations

DOCUMENTATION = r"""
module: bench_bare_httpclient
short_description: Benchmark floor with http.client (tests only)
description:
  - Import http.client and ssl and POST an empty JSON body to O(url) once.
options:
  url:
    description: The URL to POST to.
    type: str
    required: true
author:
  - outscale.cloud maintainers
"""

import http.client
import ssl  # noqa: F401  pylint: disable=unused-import
from urllib.parse import urlsplit

from ansible.module_utils.basic import AnsibleModule


def main():
    module = AnsibleModule(argument_spec=dict(url=dict(type="str", required=True)), supports_check_mode=True)
    parts = urlsplit(module.params["url"])
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    connection.request("POST", parts.path, body=b"{}", headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    response.read()
    module.exit_json(changed=False, status=response.status)


if __name__ == "__main__":
    main()
