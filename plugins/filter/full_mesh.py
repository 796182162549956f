# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The outscale.cloud.full_mesh filter. Its code is shared with the other topology filter in
plugins/plugin_utils/_topology.py; this file holds its documentation, as ansible-doc
finds a filter's documentation in the plugin file named after the filter."""

from __future__ import annotations

from ansible_collections.outscale.cloud.plugins.plugin_utils._topology import full_mesh

DOCUMENTATION = r"""
name: full_mesh
version_added: 0.2.0
author:
  - outscale.cloud maintainers (@outscale)
short_description: Peer every Net with every other Net (the peerings list of net_peerings)
description:
  - Turns a list of Nets into the list that the O(outscale.cloud.net_peerings#module:peerings) option takes,
    for a full mesh - one peering per unordered pair of Nets, each pair exactly once (N Nets give N*(N-1)/2
    peerings).
  - The order follows the input, so the result is the same on every run; pairs come as (1, 2), (1, 3), ... (1, N),
    (2, 3), ... In each pair the earlier Net is the source (it requests the peering), unless O(account_id) says
    otherwise.
  - Every peering of a C(net_peerings) task is requested by the task's account, so O(account_id), the account of
    the task, makes the filter give only the pairs that account can request. A pair with one Net in that account
    is requested by that Net, whichever comes first. A pair between two Nets of other accounts cannot be requested
    by the task; O(foreign_pairs) says what to do with it.
  - C(accepter_owner_id) is set when the accepter Net's account is known and is not the requester's. Without
    O(account_id), the requester's account is the source Net's C(account_id), so both Nets need a known account.
  - Fewer than 2 Nets give an empty list, not an error, so a group may shrink to one Net. With the C(overridden)
    state of C(net_peerings), an empty list means that no scoped peering is wanted.
positional: _input
options:
  _input:
    description:
      - The Nets, in the order that decides the requester of each pair and the order of the result.
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
  account_id:
    description:
      - The account of the task that will use the result (12 digits), that is, the requester of every peering.
      - When given, a Net without C(account_id) is taken to belong to it, and only pairs with at least one Net in
        it are given, with that Net as the source.
      - When not given, every pair is given with the earlier Net as the source, and the task must be run as the
        account of every source Net.
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
  foreign_pairs:
    description:
      - What to do with a pair of two Nets that both belong to accounts other than O(account_id).
        Only used with O(account_id).
      - V(error) fails, naming the pair, so that no wanted peering is dropped unnoticed.
      - V(skip) leaves such pairs out; peer them with the same filter in a task run as one of their accounts.
    type: str
    choices: [error, skip]
    default: error
seealso:
  - plugin: outscale.cloud.hub_and_spoke
    plugin_type: filter
    description: The peerings of a hub with every other Net.
  - module: outscale.cloud.net_peerings
    description: Converges the peerings list in one task.
"""

EXAMPLES = r"""
# Inventory: each host of the group "mesh" is a Net, with net_id and, when the
# Nets span several accounts, account_id (quoted):
#   mesh:
#     hosts:
#       net-logs:  {net_id: vpc-10000001, account_id: "111111111111"}
#       net-tools: {net_id: vpc-10000002, account_id: "111111111111"}
#       net-eu:    {net_id: vpc-20000001, account_id: "222222222222"}

# The Nets of an inventory group, as a list of hostvars dicts:
#   groups['mesh'] | map('extract', hostvars) | list
# gives =>
#   [{"net_id": "vpc-10000001", "account_id": "111111111111", ...},
#    {"net_id": "vpc-10000002", "account_id": "111111111111", ...},
#    {"net_id": "vpc-20000001", "account_id": "222222222222", ...}]

# Every pair once; the earlier Net requests.
# mesh_peerings => [
#   {"source_net_id": "vpc-10000001", "accepter_net_id": "vpc-10000002"},
#   {"source_net_id": "vpc-10000001", "accepter_net_id": "vpc-20000001", "accepter_owner_id": "222222222222"},
#   {"source_net_id": "vpc-10000002", "accepter_net_id": "vpc-20000001", "accepter_owner_id": "222222222222"}]
- name: Build the peerings of the examples below from the inventory
  ansible.builtin.set_fact:
    mesh_peerings: "{{ groups['mesh'] | map('extract', hostvars) | list | outscale.cloud.full_mesh }}"

    # As account 222222222222: its Net requests both of its pairs; the pair of the
    # two Nets of account 111111111111 would fail the filter, so it is skipped.
    # eu_peerings => [
    #   {"source_net_id": "vpc-20000001", "accepter_net_id": "vpc-10000001", "accepter_owner_id": "111111111111"},
    #   {"source_net_id": "vpc-20000001", "accepter_net_id": "vpc-10000002", "accepter_owner_id": "111111111111"}]
    eu_peerings: >-
      {{ groups['mesh'] | map('extract', hostvars) | list
         | outscale.cloud.full_mesh(account_id='222222222222', foreign_pairs='skip') }}

    # Net IDs alone, with the state and tags of every peering.
    # tagged => [
    #   {"source_net_id": "vpc-10000001", "accepter_net_id": "vpc-10000002", "state": "present", "tags": {"managed-by": "inventory"}},
    #   {"source_net_id": "vpc-10000001", "accepter_net_id": "vpc-10000003", "state": "present", "tags": {"managed-by": "inventory"}},
    #   {"source_net_id": "vpc-10000002", "accepter_net_id": "vpc-10000003", "state": "present", "tags": {"managed-by": "inventory"}}]
    tagged: >-
      {{ ['vpc-10000001', 'vpc-10000002', 'vpc-10000003']
         | outscale.cloud.full_mesh(state='present', tags={'managed-by': 'inventory'}) }}

# In a play on localhost: a mesh across two accounts, each pair requested once.
# The first task requests every pair with a Net of account 111111111111 and
# accepts them with the other account's keys; the second task, as account
# 222222222222, requests the pairs left: those between its own Nets.
- name: Peer the mesh, as account 111111111111
  outscale.cloud.net_peerings:
    profile: network
    peerings: >-
      {{ groups['mesh'] | map('extract', hostvars) | list
         | outscale.cloud.full_mesh(account_id='111111111111', foreign_pairs='skip') }}
    accepter_credentials:
      - account_id: "222222222222"
        profile: apps

- name: Peer the Nets of account 222222222222 with each other, as that account
  outscale.cloud.net_peerings:
    profile: apps
    peerings: >-
      {{ groups['mesh'] | map('extract', hostvars) | selectattr('account_id', 'eq', '222222222222') | list
         | outscale.cloud.full_mesh(account_id='222222222222') }}
"""

RETURN = r"""
_value:
  description:
    - The peerings, in the order of the pairs (see the description), ready for the
      O(outscale.cloud.net_peerings#module:peerings) option.
  type: list
  elements: dict
  contains:
    source_net_id:
      description: The Net that requests the peering, in the task's account.
      type: str
      sample: vpc-10000001
    accepter_net_id:
      description: The other Net.
      type: str
      sample: vpc-20000001
    accepter_owner_id:
      description:
        - The account of the accepter Net, present only when it is known and is not the requester's.
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
    """outscale.cloud.full_mesh."""

    def filters(self):
        return {"full_mesh": full_mesh}
