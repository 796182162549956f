#!/usr/bin/python
# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: net_peerings
short_description: Converge a whole topology of Outscale Net peerings in one task
version_added: 0.2.0
description:
  - Makes every peering of O(peerings) exist in its state, with one paginated C(ReadNetPeerings) for the whole list,
    whatever its length, instead of one task and one read per pair.
  - In the spirit of Ansible's network resource modules, O(state) says what to do with the peerings that are not
    listed. V(merged) leaves them alone, V(overridden) removes the ones inside O(scope_tags), V(deleted) removes the
    listed ones.
  - The same planner as M(outscale.cloud.net_peering) decides each pair, so the rules are the same. Either direction
    of a pair counts, and a peering is never duplicated. A write whose outcome is unknown is read back, never sent
    again blindly. Peerings that ended are ignored.
  - Two runs at once that list a pair in opposite directions may both create it. A task that created peerings reads
    once more at the end; where a pair has two live peerings, every run keeps the same one (active, else the earliest
    made, then the lowest ID) and the run whose peering lost deletes it, with a warning. A later run finding two live
    peerings of a pair keeps that one too and removes the other.
  - Independent writes run in parallel, at most O(max_concurrent_writes) at once. When the API throttles the
    account, every one of them backs off.
  - One failing pair never stops the others. The task fails at the end and lists each failed pair with its error and
    what to do (RV(failures)). Running the task again resumes where it stopped.
  - Peerings that another account must accept are accepted in the same task when O(accepter_credentials) has
    credentials for that account. Those credentials are proven with one C(ReadNets) per account before any write.
author:
  - outscale.cloud maintainers (@outscale)
extends_documentation_fragment: [outscale.cloud.osc, outscale.cloud.osc.action_group, outscale.cloud.routes]
options:
  peerings:
    description:
      - The peerings wanted. Each is requested by this task's account, which owns O(peerings[].source_net_id).
      - The filters P(outscale.cloud.full_mesh#filter) and P(outscale.cloud.hub_and_spoke#filter) build this list
        from inventory.
      - A pair may be listed once, in one direction. Listing it twice, or in both directions, fails before any call.
    type: list
    elements: dict
    required: true
    suboptions:
      source_net_id:
        description: The requester's Net, C(vpc-) followed by 8 hexadecimal characters, owned by this task's account.
        type: str
        required: true
      accepter_net_id:
        description: The accepter's Net.
        type: str
        required: true
      accepter_owner_id:
        description:
          - The 12-digit account that owns O(peerings[].accepter_net_id), when it is not this task's account.
          - Quote it in YAML. An unquoted number that lost its leading zeros is padded to 12 digits, with a warning.
        type: str
      state:
        description:
          - V(accepted) makes the peering C(active). It accepts the peering as this task's account when it owns the
            accepter Net, else with the O(accepter_credentials) of the accepter's account.
          - V(present) only requests it. The accepter accepts it later.
        type: str
        choices: [accepted, present]
        default: accepted
      tags:
        description:
          - Tags of the peering, as this task's account reads them. O(scope_tags) are added to them.
          - Tags not listed are kept, unless O(purge_tags=true) (see there for peerings between two accounts).
        type: dict
  state:
    description:
      - V(merged) makes each listed peering exist in its state, and leaves every other peering alone.
      - V(overridden) does the same, then removes the live peerings that carry all of O(scope_tags) but are not
        listed. It deletes them, or rejects them when they are pending requests that this account received. A
        peering without the scope tags is never touched.
      - V(deleted) deletes the listed peerings, in either direction. A pending request this account received
        cannot be deleted by it (only its requester can); that pair fails with the advice to reject it, the others
        are deleted. With both directions pending, the one this account requested is deleted and a warning says why
        the other remains. Tags and states in O(peerings) are ignored.
    type: str
    choices: [merged, overridden, deleted]
    default: merged
  scope_tags:
    description:
      - "Tags that mark the peerings this task manages, for example C({topology: prod-mesh})."
      - Required with O(state=overridden), which only ever removes peerings that carry all of them.
      - Set on every listed peering (created or found), so a peering taken off the list is removed by the next
        O(state=overridden) run.
    type: dict
  purge_tags:
    description:
      - Whether to delete the tags of a listed peering that neither O(peerings[].tags) nor O(scope_tags) list.
      - Only applies to peerings that have O(peerings[].tags) or when O(scope_tags) is set.
      - Only on a peering between two Nets of this task's account. On a peering between two accounts no tag is
        deleted, and a warning names the ones kept. If the platform shares a peering's tags between its two accounts
        (not documented), the unlisted tags may be the other account's, its O(scope_tags) among them, and deleting
        them would undo its tasks. With shared tags, give each account its own O(scope_tags) keys.
    type: bool
    default: false
  accepter_credentials:
    description:
      - Credentials of the accounts that must accept peerings, one entry per account, keyed by
        O(accepter_credentials[].account_id).
      - Each entry takes the same options as the accepter_credentials of M(outscale.cloud.net_peering). The E(OSC_*)
        environment variables never apply to them. Region, endpoint and TLS settings not given are this task's.
    type: list
    elements: dict
    suboptions:
      account_id:
        description: The 12-digit account these credentials belong to.
        type: str
        required: true
      access_key:
        description: Access key ID of that account.
        type: str
      secret_key:
        description: Secret key of that account. Never logged.
        type: str
      profile:
        description: Profile of that account in O(accepter_credentials[].config_file).
        type: str
      config_file:
        description:
          - Path of the file holding O(accepter_credentials[].profile).
          - Defaults to this task's profile file (O(config_file), else E(OSC_CONFIG_FILE), else C(~/.osc/config.json)).
        type: path
      region:
        description: Region of that account. Defaults to the profile's, then to this task's region.
        type: str
      endpoint:
        description: API endpoint for that account. Defaults to the profile's, then to this task's endpoint.
        type: str
      validate_certs:
        description: Whether to verify the endpoint's TLS certificate. Defaults to this task's setting.
        type: bool
      ca_bundle:
        description: PEM file of CA certificates. Defaults to this task's O(ca_bundle).
        type: path
      x509_client_cert:
        description: Client certificate of that account, if it needs one. Never inherited from this task.
        type: path
      x509_client_key:
        description: Private key of O(accepter_credentials[].x509_client_cert).
        type: path
  max_concurrent_writes:
    description:
      - How many pairs are written at once. V(1) writes them one after the other.
      - Reads are not concerned. A task with nothing to change makes one C(ReadNetPeerings) for every 1000 peerings
        of the account.
    type: int
    default: 4
  wait:
    description: After accepting, wait until each peering is C(active), polling it.
    type: bool
    default: true
  wait_timeout:
    description: How many seconds to wait at most, for each peering. Must be greater than 0.
    type: int
    default: 300
attributes:
  check_mode:
    support: full
    description: Only reads are made; RV(summary), RV(actions) and the diff are the prediction.
  diff_mode:
    support: full
    description:
      - The counts (as in RV(msg)), then one line per pair to be created, accepted, rejected, deleted or retagged
        (or that failed), instead of whole objects, so that a large topology stays readable.
      - "Each line: C(+) (created), C(-) (deleted or rejected), C(~) (changed) or C(!) (failed), the pair, the
        peering ID, the steps, the state before and after, the accepter account when it is another, and the tag
        changes; for example C(+ vpc-11111111 -> vpc-33333333: create, accept (absent -> active) accepter account
        222222222222)."
notes:
  - "API calls: one paginated C(ReadNetPeerings) (1000 peerings a page) as this task's account, whatever the number of
    peerings; one C(ReadNets) per account (this task's, and each account of O(accepter_credentials) that owns one)
    for the listed Nets no peering read shows, and per account of O(accepter_credentials) that has something to
    accept (one call per account in all); then one call per write (create, accept, reject, delete, each tag
    change), and polls while waiting. A re-run where every listed pair has a peering makes no C(ReadNets)."
  - A listed Net that the account which must own it cannot see (the source Net this task's, the accepter Net
    O(peerings[].accepter_owner_id)'s) fails its pair before any write, in check mode too; a pair whose two Nets
    overlap is refused, with or without O(routes). A Net of an account without O(accepter_credentials) cannot be
    read; the platform decides.
  - "Permissions (EIM policy actions). This task's account: C(ReadNetPeerings), C(ReadNets), C(CreateNetPeering),
    C(AcceptNetPeering), C(RejectNetPeering), C(DeleteNetPeering), C(CreateTags), C(DeleteTags) (C(ReadNets) tells
    its side of a scoped pending request with O(state=overridden)); with O(routes), also C(ReadRouteTables),
    C(CreateRoute) and C(DeleteRoute).
    Each account of O(accepter_credentials): C(ReadNets), C(AcceptNetPeering); with O(routes), also
    C(ReadRouteTables), C(CreateRoute) and C(DeleteRoute) (each side's routes are written with its owner's keys)."
  - "With O(routes): one C(ReadRouteTables) as this task's account and one per account of O(accepter_credentials)
    whose Nets are listed; one C(ReadNets) per account only for Nets whose range no peering read shows (the same
    one as above); then one
    C(CreateRoute) per missing route and one C(DeleteRoute) per route removed. Reading an account's route tables
    proves its O(accepter_credentials) (only a Net's owner reads them), so no other C(ReadNets) is made for them.
    A re-run with nothing to change makes one C(ReadNetPeerings) and one C(ReadRouteTables) per account."
  - For long waits, run the task with C(async) and C(poll), so that a slow platform does not hold a connection open.
seealso:
  - module: outscale.cloud.net_peering
    description: One peering, with every state (including rejected and absent).
  - module: outscale.cloud.net_peering_info
  - plugin: outscale.cloud.full_mesh
    plugin_type: filter
  - plugin: outscale.cloud.hub_and_spoke
    plugin_type: filter
"""

EXAMPLES = r"""
- name: Full mesh of the Nets of group 'nets', in one task, removing scoped peerings that are no longer wanted
  outscale.cloud.net_peerings:
    peerings: "{{ groups['nets'] | map('extract', hostvars) | list | outscale.cloud.full_mesh }}"
    state: overridden
    scope_tags:
      topology: prod-mesh

- name: Hub and spoke across accounts, accepted in the same task with each spoke account's credentials
  outscale.cloud.net_peerings:
    peerings: "{{ groups['spokes'] | map('extract', hostvars) | list
                  | outscale.cloud.hub_and_spoke(hostvars['hub'], account_id='111111111111') }}"
    accepter_credentials:
      - account_id: "222222222222"
        profile: spoke-b
      - account_id: "333333333333"
        profile: spoke-c
    scope_tags:
      topology: hub

- name: Peerings listed by hand, one only requested
  outscale.cloud.net_peerings:
    peerings:
      - source_net_id: vpc-11111111
        accepter_net_id: vpc-22222222
        tags:
          Name: front-to-back
      - source_net_id: vpc-11111111
        accepter_net_id: vpc-33333333
        accepter_owner_id: "222222222222"
        state: present
  register: topology

- name: Show what changed
  ansible.builtin.debug:
    var: topology.summary

- name: Full mesh with the routes of every Net's main table, both sides, removed with the peerings they serve
  outscale.cloud.net_peerings:
    peerings: "{{ groups['nets'] | map('extract', hostvars) | list | outscale.cloud.full_mesh }}"
    state: overridden
    scope_tags:
      topology: prod-mesh
    routes:
      route_tables: main

- name: Routes only in the route tables tagged tier=app
  outscale.cloud.net_peerings:
    peerings:
      - source_net_id: vpc-11111111
        accepter_net_id: vpc-33333333
        accepter_owner_id: "222222222222"
    accepter_credentials:
      - account_id: "222222222222"
        profile: other
    routes:
      route_table_tags:
        tier: app

- name: Remove the listed peerings
  outscale.cloud.net_peerings:
    peerings:
      - source_net_id: vpc-11111111
        accepter_net_id: vpc-22222222
    state: deleted
"""

RETURN = r"""
msg:
  description:
    - What the task did, in one line of counts; in check mode, what it would do.
    - The counts of RV(summary) that are not zero, then the unchanged and failed pairs. When a pair failed, the task's
      message starts with this line and goes on with each failure.
  returned: always
  type: str
  sample: 3 to create, 2 to accept, 185 unchanged, 0 failed
net_peerings:
  description:
    - Every listed peering after the task, in the order of O(peerings), each in the shape of the C(net_peering) that
      M(outscale.cloud.net_peering) returns. C(null) for a peering that does not exist (deleted, or never created).
    - In check mode, the prediction; a peering still to be created has no ID.
    - With O(routes), each gains C(routes), the routes through it on each side (C(net_id), C(route_table_id),
      C(destination_ip_range)), as they are after the task.
  returned: always
  type: list
  elements: dict
  sample:
    - net_peering_id: pcx-12345678
      state: {name: active, message: Active}
      source_net: {account_id: "111111111111", ip_range: 10.1.0.0/16, net_id: vpc-11111111}
      accepter_net: {account_id: "111111111111", ip_range: 10.2.0.0/16, net_id: vpc-22222222}
      expiration_date: "2026-12-04T10:00:00.000Z"
      tags: {topology: prod-mesh}
      routes:
        - {net_id: vpc-11111111, route_table_id: rtb-11111111, destination_ip_range: 10.2.0.0/16}
        - {net_id: vpc-22222222, route_table_id: rtb-22222222, destination_ip_range: 10.1.0.0/16}
  contains:
    net_peering_id:
      description: ID of the peering (C(null) in check mode for a peering still to be created).
      returned: for a peering that exists
      type: str
      sample: pcx-12345678
    state:
      description: State of the peering.
      returned: for a peering that exists
      type: dict
      contains:
        name:
          description: One of C(pending-acceptance), C(active), C(rejected), C(failed), C(expired), C(deleted).
          returned: for a peering that exists
          type: str
          sample: active
        message:
          description: The platform's message for that state.
          returned: for a peering that exists
          type: str
          sample: Active
    source_net:
      description: The requester's Net.
      returned: for a peering that exists
      type: dict
      contains:
        account_id:
          description: Account that owns the Net.
          returned: for a peering that exists
          type: str
          sample: "111111111111"
        ip_range:
          description: IP range of the Net.
          returned: for a peering that exists
          type: str
          sample: 10.1.0.0/16
        net_id:
          description: ID of the Net.
          returned: for a peering that exists
          type: str
          sample: vpc-11111111
    accepter_net:
      description: The accepter's Net.
      returned: for a peering that exists
      type: dict
      contains:
        account_id:
          description: Account that owns the Net.
          returned: for a peering that exists
          type: str
          sample: "111111111111"
        ip_range:
          description: IP range of the Net.
          returned: for a peering that exists
          type: str
          sample: 10.2.0.0/16
        net_id:
          description: ID of the Net.
          returned: for a peering that exists
          type: str
          sample: vpc-22222222
    expiration_date:
      description: When a pending peering expires if not accepted (C(null) otherwise).
      returned: for a peering that exists
      type: str
      sample: "2026-12-04T10:00:00.000Z"
    tags:
      description: Tags of the peering, as seen by this task's account.
      returned: for a peering that exists
      type: dict
      sample: {topology: prod-mesh}
    routes:
      description: With O(routes), the routes through the peering on each side, as they are after the task.
      returned: when O(routes) is set and the peering exists
      type: list
      elements: dict
      contains:
        net_id:
          description: The Net whose route table holds the route.
          returned: always
          type: str
          sample: vpc-11111111
        route_table_id:
          description: The route table.
          returned: always
          type: str
          sample: rtb-11111111
        destination_ip_range:
          description: The peer Net's IP range, sent through the peering.
          returned: always
          type: str
          sample: 10.2.0.0/16
summary:
  description:
    - How many peerings each kind of step concerned. A peering created and accepted in one run counts in both.
    - C(unchanged) counts the listed peerings that needed nothing; C(failed) the pairs (listed or removed) that failed.
    - With O(routes), C(routes_created) and C(routes_deleted) count the routes written and deleted.
  returned: always
  type: dict
  sample: {created: 3, accepted: 3, rejected: 0, deleted: 1, retagged: 3, unchanged: 7, failed: 0}
  contains:
    created:
      description: Peerings created.
      returned: always
      type: int
      sample: 3
    accepted:
      description: Peerings accepted.
      returned: always
      type: int
      sample: 3
    rejected:
      description: Peerings rejected.
      returned: always
      type: int
      sample: 0
    deleted:
      description: Peerings deleted.
      returned: always
      type: int
      sample: 1
    retagged:
      description: Peerings whose tags were changed.
      returned: always
      type: int
      sample: 3
    unchanged:
      description: Listed peerings that needed nothing.
      returned: always
      type: int
      sample: 7
    failed:
      description: Pairs (listed or removed) that failed.
      returned: always
      type: int
      sample: 0
    routes_created:
      description: With O(routes), routes written.
      returned: when O(routes) is set
      type: int
      sample: 4
    routes_deleted:
      description: With O(routes), routes deleted.
      returned: when O(routes) is set
      type: int
      sample: 0
stale_routes:
  description:
    - With O(routes), the routes found in the selected tables of the listed Nets that point to a peering that is no
      longer live. O(state=overridden) deletes them (see RV(actions)); the other states leave them.
  returned: when O(routes) is set
  type: list
  elements: dict
  sample:
    - {net_id: vpc-11111111, route_table_id: rtb-12345678, destination_ip_range: 10.9.0.0/16,
       net_peering_id: pcx-87654321}
actions:
  description:
    - Each step taken (or, in check mode, planned), in order per pair.
    - C(step) is one of C(create), C(accept), C(reject), C(delete), C(create_tags), C(delete_tags), and with
      O(routes) C(create_route) and C(delete_route) (which also give C(net_id), C(route_table_id) and
      C(destination_ip_range)); C(actor) is
      V(task) or the account of the O(accepter_credentials) used; C(outcome) is C(done), C(planned), C(failed),
      C(refused) or C(already_done) (see RV(actions[].outcome)).
  returned: always
  type: list
  elements: dict
  sample:
    - {source_net_id: vpc-11111111, accepter_net_id: vpc-22222222, step: create, actor: task,
       net_peering_id: pcx-12345678, reason: no live peering links the two Nets, outcome: done}
  contains:
    source_net_id:
      description: Source Net of the pair.
      returned: always
      type: str
      sample: vpc-11111111
    accepter_net_id:
      description: Accepter Net of the pair.
      returned: always
      type: str
      sample: vpc-22222222
    step:
      description:
        - One of C(create), C(accept), C(reject), C(delete), C(create_tags), C(delete_tags), or C(check_accepter)
          (the read that proves O(accepter_credentials) before a create); with O(routes), also C(create_route) and
          C(delete_route), which give C(net_id), C(route_table_id) and C(destination_ip_range).
      returned: always
      type: str
      sample: create
    actor:
      description: V(task), or the account of the O(accepter_credentials) that made the call.
      returned: always
      type: str
      sample: task
    net_peering_id:
      description: The peering the step acts on (C(null) for a create, and for the steps after it in check mode).
      returned: always
      type: str
      sample: pcx-12345678
    reason:
      description: Why the step is needed.
      returned: always
      type: str
      sample: no live peering links the two Nets
    tags:
      description: The tags created or deleted.
      returned: for C(create_tags) and C(delete_tags) steps
      type: dict
      sample: {topology: prod-mesh}
    outcome:
      description:
        - C(done), C(planned) (check mode), C(failed), or C(refused) (the platform said this account may not make
          the call, for example a best-effort reject; the peering remains and the task warns).
        - C(already_done) for a C(create_route) refused because the same route through the same peering was made
          meanwhile by another task; nothing was written, and it counts neither as a change nor in
          RV(summary.routes_created).
      returned: always
      type: str
      sample: done
failures:
  description: The pairs that failed, each with the message saying what to do and, for an API error, RV(failures[].api_error).
  returned: always
  type: list
  elements: dict
  contains:
    source_net_id:
      description: Source Net of the pair.
      type: str
      returned: always
    accepter_net_id:
      description: Accepter Net of the pair.
      type: str
      returned: always
    msg:
      description: What went wrong, and what to do.
      type: str
      returned: always
    api_error:
      description: The failed call's fields, as in the C(api_error) that M(outscale.cloud.net_peering) returns.
      type: dict
      returned: when the pair failed on an API error
      contains:
        action:
          description: The API action that failed.
          returned: when the pair failed on an API error
          type: str
          sample: AcceptNetPeering
        status_code:
          description: HTTP status.
          returned: when the pair failed on an API error
          type: int
          sample: 401
        code:
          description: Outscale error Code.
          returned: when the pair failed on an API error
          type: str
          sample: "5"
        type:
          description: Outscale error Type.
          returned: when the pair failed on an API error
          type: str
          sample: AccessDenied
        details:
          description: Outscale error Details.
          returned: when the pair failed on an API error
          type: str
          sample: ""
        request_id:
          description: RequestId, to quote to Outscale support.
          returned: when the pair failed on an API error
          type: str
          sample: 0a1b2c3d-0000-4000-8000-000000000000
"""

from ansible_collections.outscale.cloud.plugins.module_utils._base import OscModule, other_account_argument_spec
from ansible_collections.outscale.cloud.plugins.module_utils._errors import OscError
from ansible_collections.outscale.cloud.plugins.module_utils._ids import ACCOUNT_ID_PATTERN, NET_ID_PATTERN
from ansible_collections.outscale.cloud.plugins.module_utils._nets import read_nets
from ansible_collections.outscale.cloud.plugins.module_utils._peering import (
    normalize_account_id,
    read_peerings,
)
from ansible_collections.outscale.cloud.plugins.module_utils._peering_plan import Actors, Wanted
from ansible_collections.outscale.cloud.plugins.module_utils._peering_topology import (
    TopologyRun,
    created,
    pair_key,
    plan_topology,
    report,
    undecided_sides,
)
from ansible_collections.outscale.cloud.plugins.module_utils._route_tables import RouteOption
from ansible_collections.outscale.cloud.plugins.module_utils._routes import (
    add_routes,
    routes_argument_spec,
    validate_routes,
)
from ansible_collections.outscale.cloud.plugins.module_utils._tags import validate_tags


class NetPeerings(OscModule):
    """Many peerings: one read, one plan per pair, parallel bounded writes, a report."""

    @classmethod
    def argument_spec(cls):
        spec = super().argument_spec()
        accepter = other_account_argument_spec()
        accepter["account_id"] = dict(type="str", required=True)
        spec.update(
            peerings=dict(
                type="list",
                elements="dict",
                required=True,
                options=dict(
                    source_net_id=dict(type="str", required=True),
                    accepter_net_id=dict(type="str", required=True),
                    accepter_owner_id=dict(type="str"),
                    state=dict(type="str", default="accepted", choices=["accepted", "present"]),
                    tags=dict(type="dict"),
                ),
            ),
            state=dict(type="str", default="merged", choices=["merged", "overridden", "deleted"]),
            scope_tags=dict(type="dict"),
            purge_tags=dict(type="bool", default=False),
            accepter_credentials=dict(type="list", elements="dict", options=accepter),
            max_concurrent_writes=dict(type="int", default=4),
            wait=dict(type="bool", default=True),
            wait_timeout=dict(type="int", default=300),
            routes=routes_argument_spec(),
        )
        return spec

    def validate(self):
        params = self.params
        seen = {}
        for index, item in enumerate(params["peerings"]):
            where = f"peerings[{index}]"
            for name in ("source_net_id", "accepter_net_id"):
                if not NET_ID_PATTERN.fullmatch(item[name]):
                    raise OscError(
                        f"{where}.{name} {item[name]!r} is not a Net ID: use vpc- followed by 8 hexadecimal characters."
                    )
            if item["source_net_id"] == item["accepter_net_id"]:
                raise OscError(f"{where} links {item['source_net_id']} to itself: a peering links two different Nets.")
            key = pair_key(item["source_net_id"], item["accepter_net_id"])
            if key in seen:
                raise OscError(
                    f"{seen[key]} and {where} name the same pair of Nets ({key[0]} and {key[1]}); "
                    "a pair is listed once, in one direction. Nothing was done."
                )
            seen[key] = where
            owner, warning = normalize_account_id(item["accepter_owner_id"])
            if owner is not None and not ACCOUNT_ID_PATTERN.fullmatch(owner):
                raise OscError(f"{where}.accepter_owner_id {owner!r} is not a 12-digit account ID (quote it in YAML).")
            if warning:
                self.warn(f"{where}.{warning}")
            item["accepter_owner_id"] = owner
            # Each listed peering carries the scope tags too: the count is of both together.
            merged = {**(params["scope_tags"] or {}), **(item["tags"] or {})} if params["state"] != "deleted" else None
            error = validate_tags(item["tags"], f"{where}.tags") or validate_tags(
                merged, f"{where}.tags with scope_tags"
            )
            if error:
                raise OscError(error)
        if params["state"] == "overridden" and not params["scope_tags"]:
            raise OscError(
                "state=overridden needs scope_tags (for example {topology: prod}): overridden removes the peerings "
                "that carry all of them and are not listed, and a missing or empty scope would make every peering of "
                "the account look like the task's. Nothing was done."
            )
        error = validate_tags(params["scope_tags"], "scope_tags")
        if error:
            raise OscError(error)
        accounts = [entry["account_id"] for entry in params["accepter_credentials"] or []]
        for account in accounts:
            if not ACCOUNT_ID_PATTERN.fullmatch(account):
                raise OscError(f"accepter_credentials: account_id {account!r} is not a 12-digit account ID.")
        if len(set(accounts)) != len(accounts):
            raise OscError("accepter_credentials: each account_id may appear once.")
        validate_routes(params["routes"])
        for name in ("max_concurrent_writes", "wait_timeout"):
            if params[name] < 1:
                raise OscError(f"{name} must be at least 1, got {params[name]}.")

    def execute(self):
        params = self.params
        for index, entry in enumerate(params["accepter_credentials"] or []):
            self.add_client(
                entry["account_id"], entry, f"accepter_credentials[{index}] (account {entry['account_id']})"
            )
        listed = [
            Wanted(
                item["state"],
                source_net_id=item["source_net_id"],
                accepter_net_id=item["accepter_net_id"],
                accepter_owner_id=item["accepter_owner_id"],
                tags=item["tags"],
                purge_tags=params["purge_tags"],
            )
            for item in params["peerings"]
        ]
        observed = read_peerings(self.client, {})
        own_nets = frozenset()
        undecided = (
            undecided_sides(listed, observed, params["scope_tags"] or {}) if params["state"] == "overridden" else []
        )
        if undecided:
            # Which side of a scoped pending request is this account? Only the owner sees a Net: one read tells.
            own_nets = frozenset(net["NetId"] for net in read_nets(self.client, undecided))
        actors = Actors(
            accounts=frozenset(key for key in self.clients if key != "task"), region=self.client.settings.region
        )
        plans, removals = plan_topology(
            listed, observed, actors, params["state"], params["scope_tags"] or {}, own_nets=own_nets
        )
        option = RouteOption.from_params(params["routes"])
        stale, proven = add_routes(
            self.clients, actors, plans + removals, observed, option, params["state"], len(plans), wait=params["wait"]
        )

        def make_executor():  # loaded only when a plan has steps: a re-run with nothing to do compiles less
            from ansible_collections.outscale.cloud.plugins.module_utils._peering_apply import Executor

            return Executor(self.clients, wait=params["wait"], wait_timeout=params["wait_timeout"])

        run = TopologyRun(self.clients, make_executor, params["max_concurrent_writes"], self.check_mode, proven)
        results = run.run(plans + removals)
        if not self.check_mode and any(created(result) for result in results):
            # Another run listing a pair the other way round may have created it too: one read
            # for the whole task finds such pairs, and the run whose peering loses removes it.
            run.settle(results, read_peerings(self.client, {}), actors)
        for warning in run.warnings + [w for item in plans + removals for w in item.warnings]:
            self.warn(warning)
        fields = report(results, len(plans), check_mode=self.check_mode, with_routes=option is not None)
        if option is not None:
            fields["stale_routes"] = stale
            hint = "" if params["state"] == "overridden" else " state=overridden removes it."
            for route in stale:
                self.warn(
                    f"Stale route: {route['destination_ip_range']} in {route['route_table_id']} of {route['net_id']} "
                    f"points to {route['net_peering_id']}, which is no longer live.{hint}"
                )
        self.diff = fields.pop("diff")
        counts = fields.pop("msg")  # the task's msg: set below, or the failure's (which starts with it)
        self.result.update(fields)
        self.changed = any(action["outcome"] in ("done", "planned") for action in fields["actions"]) or any(
            result.get("error") is not None and result["error"].changed for result in results
        )
        failures = fields["failures"]
        if failures:
            details = " | ".join(f"{f['source_net_id']} -> {f['accepter_net_id']}: {f['msg']}" for f in failures)
            raise OscError(
                f"{counts}. {len(failures)} of {len(results)} peerings failed (the others were done): {details}",
                hint="Fix them and run the task again; it resumes where it stopped.",
            )
        self.result["msg"] = counts


def main():
    NetPeerings.main()


if __name__ == "__main__":
    main()
