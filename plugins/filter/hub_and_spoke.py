# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The outscale.cloud.hub_and_spoke filter. Its code is shared with the other topology filter in
plugins/plugin_utils/_topology.py; this file holds its documentation, as ansible-doc
finds a filter's documentation in the plugin file named after the filter."""

from __future__ import annotations

from ansible_collections.outscale.cloud.plugins.plugin_utils._topology import hub_and_spoke

DOCUMENTATION = r"""
name: hub_and_spoke
version_added: 0.2.0
author:
  - outscale.cloud maintainers (@outscale)
short_description: Peer a hub Net with every other Net (the peerings list of net_peerings)
description:
  - Turns a list of Nets and a hub into the list that the O(outscale.cloud.net_peerings#module:peerings) option
    takes - one peering from the hub to each other Net (N spokes give N peerings).
  - The hub requests every peering, so the task that uses the result runs as the hub's account. The hub may be
    listed among the Nets or not; it is never peered with itself.
  - The order follows the input, so the result is the same on every run.
  - C(accepter_owner_id) is set when the spoke's account is known and is not the requester's, that is
    O(account_id) when given, else the hub's C(account_id).
  - A list with no spoke gives an empty list, not an error. With the C(overridden) state of C(net_peerings),
    an empty list means that no scoped peering is wanted.
positional: _input, hub
options:
  _input:
    description:
      - The Nets, in the order of the result.
      - Each Net is either a Net ID string, such as V(vpc-12345678), or a dict with a C(net_id) key and optionally
        an C(account_id) key, the 12 digits of the account that owns the Net. Other keys are ignored, so the
        hostvars of inventory hosts can be given as they are (see the first example).
      - A Net ID is C(vpc-) followed by 8 hexadecimal characters. A Net may be listed only once.
      - An C(account_id) is a string of 12 digits; quote it in YAML. A number of 12 digits is accepted;
        a smaller number fails, because an unquoted ID has lost its leading zeros, or was read as octal.
        A null or empty C(account_id) means the account is not known.
    type: list
    elements: raw
    required: true
  hub:
    description:
      - The hub, in one of three forms.
      - A Net ID, such as V(vpc-10000000), of a Net of the input; the hub's account is then taken from the input.
      - The C(inventory_hostname) of a Net of the input given as hostvars, such as V(net-hub).
      - A dict with C(net_id) and optionally C(account_id), such as C(hostvars['net-hub']); the hub then need not
        be in the input. If it is, an C(account_id) missing on one side is taken from the other, and two
        different ones fail.
      - A hub given by Net ID or name that is not in the input fails the filter.
    type: raw
    required: true
  account_id:
    description:
      - The account of the task that will use the result (12 digits); it must be the hub's account.
      - When given, a Net without C(account_id) is taken to belong to it.
    type: str
  state:
    description:
      - The C(state) of every peering, V(accepted) or V(present).
      - When not given, the items have no C(state) key and the module's default applies (V(accepted)).
    type: str
    choices: [accepted, present]
  tags:
    description:
      - Tags to put in every peering, as a dict.
      - When not given, the items have no C(tags) key.
    type: dict
seealso:
  - plugin: outscale.cloud.full_mesh
    plugin_type: filter
    description: The peerings of every Net with every other Net.
  - module: outscale.cloud.net_peerings
    description: Converges the peerings list in one task.
"""

EXAMPLES = r"""
# Inventory: the hub and its spokes are hosts, with net_id and, when the Nets
# span several accounts, account_id (quoted):
#   hub:
#     hosts:
#       net-hub: {net_id: vpc-10000000, account_id: "111111111111"}
#   spokes:
#     hosts:
#       net-web:  {net_id: vpc-10000001, account_id: "111111111111"}
#       net-apps: {net_id: vpc-20000001, account_id: "222222222222"}

# The spokes, as a list of hostvars dicts:
#   groups['spokes'] | map('extract', hostvars) | list
# and the hub as the hostvars of the first host of the group "hub":
#   hostvars[groups['hub'][0]]
# spoke_peerings => [
#   {"source_net_id": "vpc-10000000", "accepter_net_id": "vpc-10000001"},
#   {"source_net_id": "vpc-10000000", "accepter_net_id": "vpc-20000001", "accepter_owner_id": "222222222222"}]
- name: Build the peerings of the examples below
  ansible.builtin.set_fact:
    spoke_peerings: >-
      {{ groups['spokes'] | map('extract', hostvars) | list
         | outscale.cloud.hub_and_spoke(hostvars[groups['hub'][0]]) }}

    # The hub named by its inventory_hostname among the members of one group.
    core_peerings: >-
      {{ (groups['hub'] + groups['spokes']) | map('extract', hostvars) | list
         | outscale.cloud.hub_and_spoke('net-hub', account_id='111111111111', tags={'managed-by': 'inventory'}) }}

    # Net IDs alone; the hub is skipped where it is listed.
    # ids => [
    #   {"source_net_id": "vpc-10000000", "accepter_net_id": "vpc-10000001", "state": "present"},
    #   {"source_net_id": "vpc-10000000", "accepter_net_id": "vpc-10000002", "state": "present"}]
    ids: >-
      {{ ['vpc-10000000', 'vpc-10000001', 'vpc-10000002']
         | outscale.cloud.hub_and_spoke('vpc-10000000', state='present') }}

# In a play on localhost: the hub's account requests every peering, and accepts
# those of the spokes of the other account with that account's keys.
- name: Peer the hub with every spoke, as the hub's account
  outscale.cloud.net_peerings:
    profile: network
    peerings: >-
      {{ groups['spokes'] | map('extract', hostvars) | list
         | outscale.cloud.hub_and_spoke(hostvars['net-hub'], account_id='111111111111') }}
    accepter_credentials:
      - account_id: "222222222222"
        profile: apps
"""

RETURN = r"""
_value:
  description:
    - The peerings, one per spoke in the order of the input, ready for the
      O(outscale.cloud.net_peerings#module:peerings) option.
  type: list
  elements: dict
  contains:
    source_net_id:
      description: The hub.
      type: str
      sample: vpc-10000000
    accepter_net_id:
      description: The spoke.
      type: str
      sample: vpc-20000001
    accepter_owner_id:
      description:
        - The account of the spoke, present only when it is known and is not the requester's.
      type: str
      sample: "222222222222"
    state:
      description: The O(state) given to the filter; absent when not given.
      type: str
      sample: accepted
    tags:
      description: A copy of the O(tags) given to the filter; absent when not given.
      type: dict
      sample: {"managed-by": "inventory"}
"""


class FilterModule:
    """outscale.cloud.hub_and_spoke."""

    def filters(self):
        return {"hub_and_spoke": hub_and_spoke}
