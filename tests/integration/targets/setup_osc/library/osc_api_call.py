#!/usr/bin/python
# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test helper: one raw Outscale API call with the collection's client.

The targets use it to set up what the modules never do on purpose (for example
the reverse direction of a pair that already has a pending peering), on the
simulator and on a real account alike.
"""

from __future__ import annotations

DOCUMENTATION = r"""
module: osc_api_call
short_description: One raw Outscale API call (integration tests only)
description: Sends one action with its body, signed with the given credentials, and returns the response.
options:
  action: {description: The API action., type: str, required: true}
  body: {description: The request body., type: dict, default: {}}
extends_documentation_fragment: [outscale.cloud.osc]
author: [outscale.cloud maintainers (@outscale)]
"""

from ansible_collections.outscale.cloud.plugins.module_utils._base import OscModule


class OscApiCall(OscModule):
    @classmethod
    def argument_spec(cls):
        spec = super().argument_spec()
        spec.update(action=dict(type="str", required=True), body=dict(type="dict", default={}))
        return spec

    def execute(self):
        self.result["response"] = self.client.call(self.params["action"], self.params["body"])
        self.changed = not self.params["action"].startswith("Read")


def main():
    OscApiCall(OscApiCall.define_module()).run()


if __name__ == "__main__":
    main()
