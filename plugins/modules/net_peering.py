#!/usr/bin/python
# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: net_peering
short_description: Create, accept, reject and delete Outscale Net peerings
version_added: 0.1.0
description:
  - Makes sure a Net peering between two Nets is in the wanted state, whichever of the two Nets requested it.
  - Converges in as few API calls as possible, never creates a second peering for the same two Nets, and waits for real.
  - Can create a peering to another account's Net and accept it in the same task, with O(accepter_credentials).
author:
  - outscale.cloud maintainers (@outscale)
extends_documentation_fragment: [outscale.cloud.osc, outscale.cloud.osc.action_group, outscale.cloud.routes]
attributes:
  check_mode:
    support: full
    description: No write call is made; the result predicts the change and the resulting peering. Only reads are made.
  diff_mode:
    support: full
    description: Shows the peering before and after (ID, state, both Nets and accounts, tags), predicted in check mode.
options:
  state:
    description:
      - V(present) makes sure a live peering (C(pending-acceptance) or C(active)) exists, and creates one if not.
        Peerings that ended (C(rejected), C(failed), C(expired), C(deleted)) are ignored.
        A creation that comes back C(failed) (overlapping IP ranges) fails the task.
      - V(accepted) makes sure the peering is C(active). It is created first if the pair of Nets is given and no live
        peering exists, then accepted by the owner of the accepter Net (this task's credentials, or O(accepter_credentials)).
        When nobody the task has credentials for can accept it, the task fails before creating anything.
        A peering that is C(rejected), C(failed) or C(expired) cannot be accepted and fails the task.
      - V(rejected) turns down a C(pending-acceptance) peering, on the accepter's side. An already rejected peering, or no live
        peering for the pair, is left as is; an C(active) peering cannot be rejected (use V(absent)).
      - V(absent) deletes a live peering. Only its requester can delete a C(pending-acceptance) peering (the accepter
        rejects it instead). Nothing found, or only ended peerings, is left as is.
    type: str
    choices: [present, accepted, rejected, absent]
    default: present
  net_peering_id:
    description:
      - ID of the Net peering (C(pcx-) followed by 8 hexadecimal characters).
      - Mutually exclusive with O(source_net_id), O(accepter_net_id) and O(accepter_owner_id).
      - With V(absent) or V(rejected), an ID that is not found is left as is; with V(present) or V(accepted) it fails.
    type: str
  source_net_id:
    description:
      - ID of the requester's Net (C(vpc-) followed by 8 hexadecimal characters), owned by this task's account.
      - Given with O(accepter_net_id), it names the peering by its two Nets. A live peering in either direction matches,
        so the same task works from both accounts and never creates the reverse of an existing peering.
    type: str
  accepter_net_id:
    description:
      - ID of the accepter's Net. Required with O(source_net_id).
      - Without O(accepter_owner_id), a peering still to be created links two Nets of this task's account.
        For an existing peering between two accounts, the module does not guess which side this task's account is
        on; it makes the call (accept, reject or delete) and explains a refusal.
    type: str
  accepter_owner_id:
    description:
      - The 12-digit account ID that owns O(accepter_net_id), when it is another account. Quote it in YAML.
      - Setting it tells the module that this task's account is the requester and the other account must accept;
        with O(state=accepted) that needs O(accepter_credentials).
      - For two Nets of this task's own account, omit it.
    type: str
  tags:
    description:
      - Tags of the peering, as this task's account reads them. Whether the two accounts of a cross-account peering
        share its tags or each has its own is not documented by Outscale; the module works either way (see
        O(purge_tags)).
      - Applied with V(present) and V(accepted); ignored, with a warning, with V(rejected) and V(absent).
        When not set, tags are left as they are.
      - Values are strings (numbers and booleans are turned into strings); a dict or a list as a value fails the task.
    type: dict
  purge_tags:
    description:
      - Whether to delete the tags that O(tags) does not list. Only applies when O(tags) is set.
      - On a peering between two Nets of this task's account, the unlisted tags are deleted; O(tags={}) with
        O(purge_tags=true) removes every tag.
      - On a peering between two accounts, no tag is deleted, and a warning names the unlisted ones that were kept.
        If the platform shares a peering's tags between its two accounts, a tag this task does not list may be the
        other account's, and deleting it would undo that account's tasks (two tasks purging each other's tags never
        settle). The listed tags are still created or updated. To delete some anyway, name them in O(remove_tags).
    type: bool
    default: true
  remove_tags:
    description:
      - Keys of tags to delete from the peering, whatever their value, also on a peering between two accounts (where
        O(purge_tags) deletes none). If the two accounts share the peering's tags, this deletes the other account's
        tag of that key too.
      - Applied with V(present) and V(accepted); ignored, with a warning, with V(rejected) and V(absent). A key
        cannot be in both O(tags) and O(remove_tags).
    type: list
    elements: str
    version_added: 0.2.0
  wait:
    description:
      - With O(state=accepted), wait until the peering is C(active), polling it (every 1 s at first, up to every 5 s).
      - The wait stops with a failure as soon as the peering becomes C(rejected), C(failed), C(expired) or C(deleted).
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds to wait at most. Must be greater than 0.
    type: int
    default: 300
  accepter_credentials:
    description:
      - Credentials of the account that owns the accepter Net, used to accept or reject a cross-account peering
        in the same task. Only that account can accept or reject.
      - They must set O(accepter_credentials.access_key) and O(accepter_credentials.secret_key), or
        O(accepter_credentials.profile). The E(OSC_*) environment variables never apply to them.
      - Region, endpoint and TLS settings not given here (nor in the profile) are taken from this task's connection,
        as are O(request_timeout), O(max_retries) and O(retry_max_time).
      - Only used with O(state=accepted) and O(state=rejected), or with O(routes) (to route or clean up the other
        side); otherwise they are ignored (not even checked), with a warning.
      - With O(routes), to accept a peering that another account requested (this task owns the accepter Net), give
        the requester's credentials here. They route the source Net's side, and the task accepts with its own (its
        read of the accepter Net's route tables proves it owns that Net).
    type: dict
    suboptions:
      access_key:
        description: Access key ID of the accepter account.
        type: str
      secret_key:
        description: Secret key of the accepter account. Never logged.
        type: str
      profile:
        description: Profile of the accepter account in O(accepter_credentials.config_file).
        type: str
      config_file:
        description:
          - Path to the configuration file holding O(accepter_credentials.profile).
          - Defaults to this task's profile file (O(config_file), else E(OSC_CONFIG_FILE), else C(~/.osc/config.json)).
        type: path
      region:
        description: Region of the accepter account. Defaults to the profile's, then to this task's region.
        type: str
      endpoint:
        description: API endpoint for the accepter account. Defaults to the profile's, then to this task's endpoint.
        type: str
      validate_certs:
        description: Whether to verify the endpoint's TLS certificate. Defaults to this task's setting.
        type: bool
      ca_bundle:
        description: PEM file of CA certificates to verify the endpoint. Defaults to this task's O(ca_bundle).
        type: path
      x509_client_cert:
        description: Client certificate of the accepter account, if it requires one. Never inherited from this task.
        type: path
      x509_client_key:
        description: Private key of O(accepter_credentials.x509_client_cert).
        type: path
notes:
  - "Permissions (EIM policy actions). This task's account: C(ReadNetPeerings), C(ReadNets) (a Net no peering read
    shows), C(CreateNetPeering), C(AcceptNetPeering), C(RejectNetPeering), C(DeleteNetPeering), C(CreateTags),
    C(DeleteTags); with O(routes), also C(ReadRouteTables), C(CreateRoute) and C(DeleteRoute).
    The account of O(accepter_credentials): C(ReadNets), C(AcceptNetPeering), C(RejectNetPeering); with O(routes),
    also C(ReadRouteTables), C(CreateRoute) and C(DeleteRoute) (each side's routes are written with its owner's keys)."
  - "API calls: a run that changes nothing makes one ReadNetPeerings call; a creation adds one CreateNetPeering,
    an accept one AcceptNetPeering (plus polls while waiting), and each tag change one CreateTags or DeleteTags.
    When no peering read shows a Net of the pair (a pair never peered), one C(ReadNets) per account that must own
    one of them comes first (this task's, and with O(accepter_credentials) the accepter Net of O(accepter_owner_id)):
    a Net its owner cannot see fails the task before any write, check mode included, and the two ranges are checked
    for overlap. A Net of another account without O(accepter_credentials) cannot be read; the platform decides."
  - If the connection drops after a CreateNetPeering was sent, the module reads the peerings of the pair again and adopts
    the one that was created; it creates again only when none was, so a peering is never duplicated.
    A CreateNetPeering that succeeds without returning the peering is never sent again; the module reads the pair and
    adopts the new peering.
  - An API answer the module cannot use (a field missing or of the wrong type) fails the task with a message naming the
    action and the field.
  - When both directions of a pair are pending at once (the platform allows it), V(present) is satisfied, V(accepted)
    accepts the requested direction when this task can (else the other; the platform then rejects the one not
    accepted), V(rejected) rejects every pending one this task may reject, and V(absent) deletes every live one this
    task may delete and says, in a warning, which remain and why.
  - With O(accepter_credentials), before creating a peering that they must accept, the module proves they are the
    accepter account's with one C(ReadNets) of the accepter Net (the same read as above, not a second one), so wrong
    keys never leave a half-made peering.
  - "With O(routes): one C(ReadRouteTables) as this task's account (and one with O(accepter_credentials) for the
    other side), one C(ReadNets) per account only for a Net whose range no peering read shows, then one
    C(CreateRoute) per missing route and one C(DeleteRoute) per route removed."
  - Waiting for C(active) can take a while on a busy platform; run such tasks with C(async) and C(poll) to free the
    connection, and raise O(wait_timeout) if needed.
seealso:
  - module: outscale.cloud.net_peering_info
"""

EXAMPLES = r"""
- name: Peer two Nets of the same account and accept the peering
  outscale.cloud.net_peering:
    source_net_id: vpc-11111111
    accepter_net_id: vpc-22222222
    state: accepted
    tags:
      Name: front-to-back

- name: Peer with another account's Net, and accept it with that account's credentials, in one task
  outscale.cloud.net_peering:
    source_net_id: vpc-11111111
    accepter_net_id: vpc-33333333
    accepter_owner_id: "222222222222"
    state: accepted
    accepter_credentials:
      access_key: "{{ partner_access_key }}"
      secret_key: "{{ partner_secret_key }}"

- name: Only request the peering; the other account accepts it later
  outscale.cloud.net_peering:
    source_net_id: vpc-11111111
    accepter_net_id: vpc-33333333
    accepter_owner_id: "222222222222"
  register: request

- name: Run by the other account - accept it by ID
  outscale.cloud.net_peering:
    net_peering_id: "{{ request.net_peering.net_peering_id }}"
    state: accepted
    profile: partner

- name: Turn down a peering request (accepter side)
  outscale.cloud.net_peering:
    net_peering_id: pcx-12345678
    state: rejected

- name: Delete the peering of two Nets, whichever requested it
  outscale.cloud.net_peering:
    source_net_id: vpc-11111111
    accepter_net_id: vpc-22222222
    state: absent

- name: Peer two Nets of two accounts, accept, and route both sides' main tables in the same task
  outscale.cloud.net_peering:
    source_net_id: vpc-11111111
    accepter_net_id: vpc-33333333
    accepter_owner_id: "222222222222"
    state: accepted
    accepter_credentials:
      profile: other-account
    routes:
      route_tables: main

- name: Delete a peering and, first, the routes to it in both accounts
  outscale.cloud.net_peering:
    source_net_id: vpc-11111111
    accepter_net_id: vpc-33333333
    accepter_owner_id: "222222222222"
    state: absent
    accepter_credentials:
      profile: other-account
    routes: {}
"""

RETURN = r"""
net_peering:
  description:
    - The peering after the task (predicted in check mode, where a peering still to be created has no ID).
    - C(null) when there is none (for example O(state=absent) with nothing found).
  returned: always
  type: dict
  contains:
    net_peering_id:
      description: ID of the peering (C(null) in check mode for a peering still to be created).
      returned: when net_peering is not null
      type: str
      sample: pcx-12345678
    state:
      description: State of the peering.
      returned: when net_peering is not null
      type: dict
      contains:
        name:
          description: One of C(pending-acceptance), C(active), C(rejected), C(failed), C(expired), C(deleted).
          returned: when net_peering is not null
          type: str
          sample: active
        message:
          description: The platform's message for that state (C(null) right after a reject or delete, which return no peering).
          returned: when net_peering is not null
          type: str
          sample: Active
    source_net:
      description: The requester's Net.
      returned: when net_peering is not null
      type: dict
      contains:
        account_id:
          description: Account that owns the Net.
          returned: when net_peering is not null
          type: str
          sample: "111111111111"
        ip_range:
          description: IP range of the Net.
          returned: when net_peering is not null
          type: str
          sample: 10.1.0.0/16
        net_id:
          description: ID of the Net.
          returned: when net_peering is not null
          type: str
          sample: vpc-11111111
    accepter_net:
      description: The accepter's Net.
      returned: when net_peering is not null
      type: dict
      contains:
        account_id:
          description: Account that owns the Net.
          returned: when net_peering is not null
          type: str
          sample: "222222222222"
        ip_range:
          description: IP range of the Net.
          returned: when net_peering is not null
          type: str
          sample: 10.3.0.0/16
        net_id:
          description: ID of the Net.
          returned: when net_peering is not null
          type: str
          sample: vpc-33333333
    expiration_date:
      description: When a pending peering expires if not accepted (C(null) otherwise).
      returned: when net_peering is not null
      type: str
      sample: "2026-01-08T10:00:00.000Z"
    tags:
      description: Tags of the peering, as seen by this task's account.
      returned: when net_peering is not null
      type: dict
      sample: {"Name": "front-to-back"}
    routes:
      description: With O(routes), the routes through this peering on each side the task can see, after the task.
      type: list
      elements: dict
      returned: when O(routes) is set
      sample:
        - {net_id: vpc-11111111, route_table_id: rtb-11111111, destination_ip_range: 10.2.0.0/16}
        - {net_id: vpc-22222222, route_table_id: rtb-22222222, destination_ip_range: 10.1.0.0/16}
route_actions:
  description:
    - With O(routes), each route step taken (or planned, in check mode), in order. C(step) is C(create_route) or
      C(delete_route); C(actor) is V(task) or V(accepter); C(outcome) is C(done), C(planned) or C(failed), or
      C(already_done) for a route found made meanwhile by another task (nothing written, no change).
  returned: when O(routes) is set
  type: list
  elements: dict
  sample:
    - {step: create_route, actor: task, net_peering_id: pcx-12345678, net_id: vpc-11111111,
       route_table_id: rtb-11111111, destination_ip_range: 10.2.0.0/16, reason: no route to the peer through it,
       outcome: done}
stale_routes:
  description:
    - With O(routes), routes in the selected tables of the pair's Nets that point to a peering read as ended. They
      are reported, never removed by this module (M(outscale.cloud.net_peerings) with O(state=overridden) removes them).
  returned: when O(routes) is set
  type: list
  elements: dict
api_error:
  description: The failed API call's fields, when the task failed on an API error.
  returned: on API failure
  type: dict
  contains:
    action:
      description: The API action that failed.
      returned: on API failure
      type: str
      sample: AcceptNetPeering
    status_code:
      description: HTTP status.
      returned: on API failure
      type: int
      sample: 401
    code:
      description: Outscale error Code.
      returned: on API failure
      type: str
      sample: "5"
    type:
      description: Outscale error Type.
      returned: on API failure
      type: str
      sample: AccessDenied
    details:
      description: Outscale error Details.
      returned: on API failure
      type: str
      sample: Only the owner of vpc-33333333 can accept 'pcx-12345678'.
    request_id:
      description: RequestId, to quote to Outscale support.
      returned: on API failure
      type: str
      sample: 0a1b2c3d-0000-4000-8000-000000000000
"""

from ansible_collections.outscale.cloud.plugins.module_utils._base import OscModule, other_account_argument_spec
from ansible_collections.outscale.cloud.plugins.module_utils._errors import OscError
from ansible_collections.outscale.cloud.plugins.module_utils._ids import (
    ACCOUNT_ID_PATTERN,
    NET_ID_PATTERN,
    PEERING_ID_PATTERN,
)
from ansible_collections.outscale.cloud.plugins.module_utils._peering import (
    diff_view,
    normalize_account_id,
    normalize_peering,
    read_by_id,
    read_pair,
)
from ansible_collections.outscale.cloud.plugins.module_utils._peering_plan import ACCEPTER, Actors, Wanted, plan
from ansible_collections.outscale.cloud.plugins.module_utils._route_tables import ROUTE_KINDS, RouteOption, routes_now
from ansible_collections.outscale.cloud.plugins.module_utils._routes import (
    add_routes,
    routes_argument_spec,
    validate_routes,
)
from ansible_collections.outscale.cloud.plugins.module_utils._tags import validate_tags

STATES_USING_ACCEPTER = ("accepted", "rejected")


class NetPeering(OscModule):
    """One peering: read it (one call), plan, apply (or, in check mode, report the plan)."""

    @classmethod
    def argument_spec(cls):
        spec = super().argument_spec()
        # The peering is named by its ID, or by its two Nets (and the accepter's account).
        spec.update(
            (name, dict(type="str"))
            for name in ("net_peering_id", "source_net_id", "accepter_net_id", "accepter_owner_id")
        )
        spec.update(
            state=dict(type="str", default="present", choices=["present", "accepted", "rejected", "absent"]),
            tags=dict(type="dict"),
            purge_tags=dict(type="bool", default=True),
            remove_tags=dict(type="list", elements="str"),
            wait=dict(type="bool", default=True),
            wait_timeout=dict(type="int", default=300),
            accepter_credentials=dict(type="dict", options=other_account_argument_spec()),
            routes=routes_argument_spec(),
        )
        return spec

    @classmethod
    def module_kwargs(cls):
        # Pairs of options are checked in validate(), after Ansible has reported unknown
        # options: a typo must not hide behind "parameters are required together".
        return dict(
            mutually_exclusive=[
                ("net_peering_id", "source_net_id"),
                ("net_peering_id", "accepter_net_id"),
                ("net_peering_id", "accepter_owner_id"),
            ]
        )

    def validate(self):
        params = self.params
        if not params["net_peering_id"] and not (params["source_net_id"] or params["accepter_net_id"]):
            raise OscError(
                "Name the peering: give net_peering_id, or source_net_id and accepter_net_id "
                "(plus accepter_owner_id when the accepter Net belongs to another account)."
            )
        if bool(params["source_net_id"]) != bool(params["accepter_net_id"]):
            given, missing = (
                ("source_net_id", "accepter_net_id")
                if params["source_net_id"]
                else ("accepter_net_id", "source_net_id")
            )
            raise OscError(
                f"{given} is set but {missing} is not: a peering is named by both Nets (or by net_peering_id)."
            )
        if params["net_peering_id"] and not PEERING_ID_PATTERN.fullmatch(params["net_peering_id"]):
            raise OscError(
                f"net_peering_id {params['net_peering_id']!r} is not a Net peering ID: "
                "use pcx- followed by 8 hexadecimal characters, for example pcx-12345678."
            )
        for name in ("source_net_id", "accepter_net_id"):
            if params[name] and not NET_ID_PATTERN.fullmatch(params[name]):
                raise OscError(
                    f"{name} {params[name]!r} is not a Net ID: "
                    "use vpc- followed by 8 hexadecimal characters, for example vpc-12345678."
                )
        if params["source_net_id"] and params["source_net_id"] == params["accepter_net_id"]:
            raise OscError(
                f"source_net_id and accepter_net_id are both {params['source_net_id']}: "
                "a peering links two different Nets."
            )
        owner, warning = normalize_account_id(params["accepter_owner_id"])
        if owner is not None and not ACCOUNT_ID_PATTERN.fullmatch(owner):
            raise OscError(
                f"accepter_owner_id {owner!r} is not an account ID: "
                "use the 12 digits of the account that owns accepter_net_id, "
                "quoted in YAML so leading zeros are kept."
            )
        if warning:
            self.warn(warning)
        params["accepter_owner_id"] = owner
        if params["wait_timeout"] <= 0:
            raise OscError(f"wait_timeout must be greater than 0 (seconds), got {params['wait_timeout']}.")
        error = validate_tags(params["tags"])
        if error:
            raise OscError(error)
        validate_routes(params["routes"])
        if params["tags"] is not None and params["state"] in ("rejected", "absent"):
            self.warn("tags are only applied with state=present or state=accepted; they were ignored.")
        if params["remove_tags"] is not None and params["state"] in ("rejected", "absent"):
            self.warn("remove_tags are only applied with state=present or state=accepted; they were ignored.")
        error = validate_tags(dict.fromkeys(params["remove_tags"] or [], ""), "remove_tags")
        if error:
            raise OscError(error)
        both = sorted(set(params["remove_tags"] or []) & set(params["tags"] or {}))
        if both:
            named = ", ".join(repr(key) for key in both)
            raise OscError(
                f"remove_tags and tags both name {named}: a tag cannot be set and deleted. Keep it in one of them."
            )

    def execute(self):
        params = self.params
        uses_accepter = params["state"] in STATES_USING_ACCEPTER or params["routes"] is not None
        if params["accepter_credentials"] is not None and not uses_accepter:
            # Not even resolved: a profile or keys that do not work must not fail a task that does not use them.
            self.warn(
                "accepter_credentials are only used with state=accepted or state=rejected, or with routes; they were "
                "ignored."
            )
        elif params["accepter_credentials"] is not None:
            self.add_client(ACCEPTER, params["accepter_credentials"], "accepter_credentials")
        wanted = Wanted(
            params["state"],
            params["net_peering_id"],
            params["source_net_id"],
            params["accepter_net_id"],
            params["accepter_owner_id"],
            params["tags"],
            params["purge_tags"],
            tuple(params["remove_tags"] or ()),
        )
        if wanted.by_pair:
            observed = read_pair(self.client, wanted.source_net_id, wanted.accepter_net_id)
        else:
            found = read_by_id(self.client, wanted.net_peering_id)
            observed = [found] if found else []
        actors = Actors(any_accepter=ACCEPTER in self.clients, region=self.client.settings.region)
        the_plan = plan(wanted, observed, actors)
        self.option = RouteOption.from_params(params["routes"])
        # Only the pair was read: a route to a peering not read is not known to be stale.
        stale, _proven = add_routes(
            self.clients, actors, [the_plan], observed, self.option, all_peerings_read=False, wait=params["wait"]
        )
        self.plan = the_plan
        for warning in the_plan.warnings:
            self.warn(warning)
        if self.option is not None:
            self.result["stale_routes"] = stale
        self.report(the_plan.before, the_plan.before)
        if the_plan.refusal:
            raise OscError(the_plan.refusal)
        if not the_plan.steps:
            return  # reported above, before == after
        # Imported only when there is something to do: a no-op run compiles less (modules run from a zip,
        # so every run compiles what it imports).
        from ansible_collections.outscale.cloud.plugins.module_utils._peering_apply import Executor

        executor = Executor(self.clients, wait=params["wait"], wait_timeout=params["wait_timeout"])
        try:
            # In check mode the plan is the outcome; only the accepter check (a read) is made.
            outcome = executor.apply(the_plan, check_mode=self.check_mode)
        finally:
            for warning in executor.warnings:
                self.warn(warning)
        self.changed = outcome.changed
        self.report(the_plan.before, outcome.peering, outcome.actions)

    def report(self, before, after, actions=()):
        self.before = before
        self.result["net_peering"] = normalize_peering(after) if after else None
        self.diff = dict(before=diff_view(before), after=diff_view(after))
        if getattr(self, "option", None) is not None:
            routes = routes_now(self.plan, list(actions))
            if self.result["net_peering"]:
                self.result["net_peering"]["routes"] = routes
            self.result["route_actions"] = [a for a in actions if a.get("step") in ROUTE_KINDS]
            self.diff["before"]["routes"], self.diff["after"]["routes"] = list(self.plan.routes_before or []), routes

    def failure_result(self, error):
        if "peering" in error.result:
            self.report(getattr(self, "before", None), error.result["peering"], error.result.get("actions", []))
        return super().failure_result(error)


def main():
    NetPeering.main()


if __name__ == "__main__":
    main()
