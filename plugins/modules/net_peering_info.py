#!/usr/bin/python
# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: net_peering_info
short_description: List Outscale Net peerings
version_added: 0.1.0
description:
  - List the Net peerings visible to an Outscale account, by ID or with filters, following every page of results.
  - Each peering has the same shape as the RV(outscale.cloud.net_peering#module:net_peering) result of the
    net_peering module, so the two modules can be chained.
  - This module only reads. It never changes anything, so it always reports RV(ignore:changed=false) and runs in check mode.
  - Peerings that are C(rejected), C(failed), C(expired) or C(deleted) stay visible for about an hour after they
    reach that state, then disappear. Filter on the C(state_names) key of O(filters) to see only the live ones.
author:
  - outscale.cloud maintainers (@outscale)
options:
  net_peering_ids:
    description:
      - IDs of the Net peerings to return, each C(pcx-) followed by 8 hexadecimal digits.
      - IDs that do not exist, or that these credentials cannot see, are simply not returned; no error is raised.
      - When O(filters) is also given, a peering must match both.
      - Use either this option or the C(net_peering_ids) key of O(filters), not both.
    type: list
    elements: str
  filters:
    description:
      - Filters, in snake_case, passed to the C(ReadNetPeerings) call as its C(Filters).
      - Keys are ANDed; the values of one key are ORed. A key given a single value (not a list) is treated as a list of one.
      - Valid keys are C(accepter_net_account_ids), C(accepter_net_ip_ranges), C(accepter_net_net_ids),
        C(expiration_dates), C(net_peering_ids), C(source_net_account_ids), C(source_net_ip_ranges),
        C(source_net_net_ids), C(state_messages), C(state_names), C(tag_keys), C(tag_values) and C(tags).
        Any other key fails the task and lists the valid ones.
      - C(state_names) values must be among C(pending-acceptance), C(active), C(rejected), C(failed), C(expired), C(deleted).
      - "C(tags) takes a dict, such as C({env: prod}), or a list of C(KEY=VALUE) strings, such as C([env=prod]).
        A peering matches when it has one of the listed tags with exactly that value."
      - Net IDs must look like C(vpc-xxxxxxxx), peering IDs like C(pcx-xxxxxxxx), account IDs are 12 digits;
        a malformed one fails before any API call.
    type: dict
    default: {}
  routes:
    description:
      - Also report, for each peering and each side this task's account owns (only the owner of a Net reads its route
        tables), whether traffic can flow, in RV(net_peerings[].routes). One more C(ReadRouteTables) call, which
        the account must be allowed.
    type: bool
    default: false
  route_table_tags:
    description:
      - With O(routes), only the route tables that carry all these tags.
    type: dict
extends_documentation_fragment: [outscale.cloud.osc, outscale.cloud.osc.action_group]
attributes:
  check_mode:
    support: full
    description: The module only reads, so check mode changes nothing in its behaviour.
  diff_mode:
    support: N/A
    description: The module changes nothing, so there is no diff to show.
notes:
  - "Permissions (EIM policy actions). This task's account: C(ReadNetPeerings); with O(routes), also
    C(ReadRouteTables)."
  - Results are read 1000 per API call; a listing of N peerings costs ceil(N / 1000) C(ReadNetPeerings) calls (at least one).
  - With O(routes), one C(ReadRouteTables) of every Net of the peerings read (1000 tables a page).
seealso:
  - module: outscale.cloud.net_peering
    description: Create, accept, reject and delete Net peerings.
  - name: Outscale API ReadNetPeerings
    description: The API call this module makes.
    link: https://docs.outscale.com/api#readnetpeerings
"""

EXAMPLES = r"""
- name: List every Net peering the account can see
  outscale.cloud.net_peering_info:
  register: all_peerings

- name: Get two peerings by ID
  outscale.cloud.net_peering_info:
    net_peering_ids:
      - pcx-12345678
      - pcx-9abcdef0
  register: two_peerings

- name: List the live peerings that one Net requested (the Net on the requester side)
  outscale.cloud.net_peering_info:
    filters:
      source_net_net_ids: vpc-12345678
      state_names:
        - pending-acceptance
        - active
  register: live_from_net

- name: List the live peerings that one Net was asked to accept (the Net on the accepter side)
  outscale.cloud.net_peering_info:
    filters:
      accepter_net_net_ids: vpc-12345678
      state_names:
        - pending-acceptance
        - active
  register: live_to_net

- name: The live peerings of that Net in either direction (filters are ANDed, so it takes the two calls above)
  ansible.builtin.set_fact:
    live_of_net: "{{ live_from_net.net_peerings + live_to_net.net_peerings }}"

- name: List the peerings waiting for another account's acceptance
  outscale.cloud.net_peering_info:
    filters:
      accepter_net_account_ids: ["222222222222"]
      state_names: pending-acceptance
  register: pending

- name: Filter on tags, given as a dict (or as a list of "KEY=VALUE" strings)
  outscale.cloud.net_peering_info:
    filters:
      tags:
        env: prod
  register: prod_peerings

- name: Use another account's credentials and region
  outscale.cloud.net_peering_info:
    access_key: "{{ other_access_key }}"
    secret_key: "{{ other_secret_key }}"
    region: us-east-2
    filters:
      state_names: active
  register: other_account

- name: Can traffic flow? Tables without a route to the peer, routes elsewhere, stale routes
  outscale.cloud.net_peering_info:
    filters:
      state_names: active
    routes: true
  register: routed

- name: Show the problems
  ansible.builtin.debug:
    msg: "{{ routed.net_peerings | map(attribute='routes') | flatten | map(attribute='problems') | flatten
             | map(attribute='message') | list }}"

- name: Show the IDs of the active peerings
  ansible.builtin.debug:
    msg: "{{ all_peerings.net_peerings | selectattr('state.name', 'eq', 'active') | map(attribute='net_peering_id') | list }}"
"""

RETURN = r"""
net_peerings:
  description:
    - The Net peerings that match, in the order the API returns them, each in the shape of
      RV(outscale.cloud.net_peering#module:net_peering).
    - Empty when nothing matches.
  returned: always
  type: list
  elements: dict
  contains:
    net_peering_id:
      description: The ID of the Net peering.
      returned: always
      type: str
      sample: pcx-1a2b3c4d
    state:
      description: The state of the peering.
      returned: always
      type: dict
      contains:
        name:
          description: One of C(pending-acceptance), C(active), C(rejected), C(failed), C(expired), C(deleted).
          returned: always
          type: str
          sample: active
        message:
          description: The platform's explanation of the state.
          returned: always
          type: str
          sample: Active
    source_net:
      description: The Net that requested the peering.
      returned: always
      type: dict
      contains:
        account_id:
          description: The account that owns the Net.
          returned: always
          type: str
          sample: "111111111111"
        ip_range:
          description: The IP range of the Net, in CIDR notation.
          returned: always
          type: str
          sample: 10.1.0.0/16
        net_id:
          description: The ID of the Net.
          returned: always
          type: str
          sample: vpc-a1a1a1a1
    accepter_net:
      description: The Net that accepts (or rejects) the peering.
      returned: always
      type: dict
      contains:
        account_id:
          description: The account that owns the Net.
          returned: always
          type: str
          sample: "222222222222"
        ip_range:
          description: The IP range of the Net, in CIDR notation.
          returned: always
          type: str
          sample: 10.3.0.0/16
        net_id:
          description: The ID of the Net.
          returned: always
          type: str
          sample: vpc-b1b1b1b1
    expiration_date:
      description:
        - When a peering that is still C(pending-acceptance) expires (7 days after its creation), in ISO 8601.
        - V(null) once the peering has left C(pending-acceptance), on platforms that do not set it.
      returned: always
      type: str
      sample: "2026-05-14T09:21:35.000Z"
    tags:
      description: The peering's tags, as a dict.
      returned: always
      type: dict
      sample: {"Name": "hub-to-spoke1", "env": "prod"}
    routes:
      description:
        - With O(routes), one entry per side of the peering whose Net this account owns.
        - C(net_id); C(peer_ip_range), the other Net's range; C(route_tables), each selected table with its
          C(route_table_id), C(main), C(routes_through_peering) (destinations sent through this peering) and
          C(route_to_peer) (the route to the peer's range, C(destination_ip_range) and C(target), or C(null)).
        - C(problems), each with C(kind) (C(missing), an active peering with no route to the peer in a table;
          C(other_target), the peer's range sent elsewhere; C(stale), a route to a peering that is no longer live),
          C(route_table_id), C(destination_ip_range), C(target) and a C(message) saying what is wrong.
        - A route to a peering not read is called stale only when every peering was read (no O(filters), no
          O(net_peering_ids)).
      returned: when O(routes=true)
      type: list
      elements: dict
      sample:
        - net_id: vpc-a1a1a1a1
          peer_ip_range: 10.3.0.0/16
          route_tables:
            - {route_table_id: rtb-a1a1a1a1, main: true, routes_through_peering: [10.3.0.0/16],
               route_to_peer: {destination_ip_range: 10.3.0.0/16, target: pcx-1a2b3c4d}}
          problems: []
  sample:
    - net_peering_id: pcx-1a2b3c4d
      state:
        name: active
        message: Active
      source_net:
        account_id: "111111111111"
        ip_range: 10.1.0.0/16
        net_id: vpc-a1a1a1a1
      accepter_net:
        account_id: "222222222222"
        ip_range: 10.3.0.0/16
        net_id: vpc-b1b1b1b1
      expiration_date: null
      tags:
        Name: hub-to-spoke1
api_error:
  description:
    - The failed API call's fields, when the task failed on an API error, as in the C(api_error) that
      M(outscale.cloud.net_peering) returns - C(action), C(status_code), C(code), C(type), C(details) and C(request_id).
  returned: on API failure
  type: dict
  contains:
    action:
      description: The API action that failed.
      returned: on API failure
      type: str
      sample: ReadNetPeerings
    status_code:
      description: HTTP status.
      returned: on API failure
      type: int
      sample: 400
    code:
      description: Outscale error Code.
      returned: on API failure
      type: str
      sample: "4120"
    type:
      description: Outscale error Type.
      returned: on API failure
      type: str
      sample: InvalidParameterValue
    details:
      description: Outscale error Details.
      returned: on API failure
      type: str
      sample: ""
    request_id:
      description: RequestId, to quote to Outscale support.
      returned: on API failure
      type: str
      sample: 0a1b2c3d-0000-4000-8000-000000000000
"""


from ansible_collections.outscale.cloud.plugins.module_utils._base import OscModule
from ansible_collections.outscale.cloud.plugins.module_utils._errors import OscError
from ansible_collections.outscale.cloud.plugins.module_utils._ids import (
    ACCOUNT_ID_PATTERN,
    NET_ID_PATTERN,
    PEERING_ID_PATTERN,
)
from ansible_collections.outscale.cloud.plugins.module_utils._peering import (
    FILTER_KEYS,
    LIVE_STATES,
    TERMINAL_STATES,
    build_filters,
    is_live,
    net_ids,
    normalize_peering,
    read_peerings,
)
from ansible_collections.outscale.cloud.plugins.module_utils._tags import validate_tags

STATE_NAMES = LIVE_STATES + TERMINAL_STATES
# Filter keys whose values have a known shape: checked here, so a typo fails
# with a clear message instead of silently matching nothing.
ID_FILTERS = {
    "net_peering_ids": (PEERING_ID_PATTERN, "pcx-xxxxxxxx (8 hexadecimal digits)"),
    "source_net_net_ids": (NET_ID_PATTERN, "vpc-xxxxxxxx (8 hexadecimal digits)"),
    "accepter_net_net_ids": (NET_ID_PATTERN, "vpc-xxxxxxxx (8 hexadecimal digits)"),
    "source_net_account_ids": (ACCOUNT_ID_PATTERN, "a 12-digit account ID (quote it in YAML)"),
    "accepter_net_account_ids": (ACCOUNT_ID_PATTERN, "a 12-digit account ID (quote it in YAML)"),
}


def _is_scalar(value):
    return isinstance(value, (str, int, float, bool))


def check_filters(filters):
    """Return an error message for the first malformed filter, or None."""
    for key in sorted(filters):
        value = filters[key]
        if key not in FILTER_KEYS:
            continue  # build_filters() reports unknown keys, with the list of valid ones
        if key == "tags" and isinstance(value, dict):
            for tag_key, tag_value in value.items():
                if not tag_key or not (tag_value is None or _is_scalar(tag_value)):
                    return (
                        "filters.tags: each tag needs a non-empty key and a plain value; "
                        f"got {tag_key!r}: {tag_value!r}."
                    )
            continue
        values = value if isinstance(value, list) else [value]
        for item in values:
            if not _is_scalar(item):
                return f"filters.{key}: expected a string or a list of strings, got {type(item).__name__} {item!r}."
        if key == "tags":
            for item in values:
                if "=" not in str(item) or str(item).startswith("="):
                    return (
                        f"filters.tags: '{item}' is not KEY=VALUE. "
                        "Give a dict ({env: prod}) or a list of KEY=VALUE strings ([env=prod])."
                    )
        elif key == "state_names":
            for item in values:
                if item not in STATE_NAMES:
                    return f"filters.state_names: '{item}' is not a state; valid states: {', '.join(STATE_NAMES)}."
        elif key in ID_FILTERS:
            pattern, shape = ID_FILTERS[key]
            for item in values:
                if not pattern.fullmatch(str(item)):
                    return f"filters.{key}: {item!r} is malformed; expected {shape}."
    return None


class NetPeeringInfo(OscModule):
    """ReadNetPeerings with the module's filters, every page; never changes anything."""

    @classmethod
    def argument_spec(cls):
        spec = super().argument_spec()
        spec.update(
            net_peering_ids=dict(type="list", elements="str"),
            filters=dict(type="dict", default={}),
            routes=dict(type="bool", default=False),
            route_table_tags=dict(type="dict"),
        )
        return spec

    def validate(self):
        ids = self.params["net_peering_ids"]
        filters = self.params["filters"] or {}
        for peering_id in ids or []:
            if not PEERING_ID_PATTERN.fullmatch(peering_id):
                raise OscError(
                    f"net_peering_ids: {peering_id!r} is malformed; expected pcx-xxxxxxxx (8 hexadecimal digits)."
                )
        if ids is not None and "net_peering_ids" in filters:
            raise OscError("Give the IDs in net_peering_ids or in filters.net_peering_ids, not both.")
        self.api_filters = build_filters(filters)  # unknown keys first: that message lists the valid ones
        error = check_filters(filters)
        if error:
            raise OscError(error)
        error = validate_tags(self.params["route_table_tags"], "route_table_tags")
        if error:
            raise OscError(error)
        if self.params["route_table_tags"] is not None and not self.params["routes"]:
            self.warn("route_table_tags is only used with routes=true; it was ignored.")

    def execute(self):
        ids = self.params["net_peering_ids"]
        self.result["net_peerings"] = []
        if ids is not None:
            if not ids:  # an empty list asks for nothing; the API would read it as "everything"
                return
            self.api_filters["NetPeeringIds"] = ids
        peerings = read_peerings(self.client, self.api_filters)
        self.result["net_peerings"] = [normalize_peering(peering) for peering in peerings]
        if self.params["routes"]:
            self.add_routes(peerings, all_read=ids is None and not self.api_filters)

    def add_routes(self, peerings, all_read):
        """One ReadRouteTables of every Net read; the tables returned are this account's."""
        # Imported here: a listing without routes loads (and compiles) no route code.
        from ansible_collections.outscale.cloud.plugins.module_utils._route_reads import read_route_tables
        from ansible_collections.outscale.cloud.plugins.module_utils._route_report import route_report

        nets = sorted({net for peering in peerings for net in net_ids(peering) if net})
        tables = read_route_tables(self.client, {"NetIds": nets}) if nets else []
        by_net = {}
        for table in tables:
            by_net.setdefault(table.get("NetId"), []).append(table)
        live = {p["NetPeeringId"] for p in peerings if is_live(p)}
        ended = {p["NetPeeringId"] for p in peerings if not is_live(p)}
        tags = {k: "" if v is None else str(v) for k, v in (self.params["route_table_tags"] or {}).items()}
        for item, peering in zip(self.result["net_peerings"], peerings):
            item["routes"] = route_report(peering, by_net, tags, live, ended, all_read)


def main():
    NetPeeringInfo.main()


if __name__ == "__main__":
    main()
