#!/usr/bin/python
# -*- coding: utf-8 -*-
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
extends_documentation_fragment:
  - outscale.cloud.osc
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
      - Tags of the peering, as seen by this task's account (each account has its own tags on a shared peering).
      - Applied with V(present) and V(accepted); ignored, with a warning, with V(rejected) and V(absent).
        When not set, tags are left as they are.
      - Values are strings (numbers and booleans are turned into strings); a dict or a list as a value fails the task.
    type: dict
  purge_tags:
    description:
      - Whether to delete the tags that O(tags) does not list. Only applies when O(tags) is set; O(tags={}) with
        O(purge_tags=true) removes every tag.
    type: bool
    default: true
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
      - Only used with O(state=accepted) and O(state=rejected); with V(present) or V(absent) they are ignored (not even
        checked), with a warning.
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
        description: Path to the configuration file holding O(accepter_credentials.profile). Defaults to C(~/.osc/config.json).
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
  - Supports C(check_mode) (no write call is made; the result predicts the change and the resulting peering)
    and C(diff) (state and tags, before and after).
  - "API calls: a run that changes nothing makes one ReadNetPeerings call; a creation adds one CreateNetPeering,
    an accept one AcceptNetPeering (plus polls while waiting), and each tag change one CreateTags or DeleteTags."
  - If the connection drops after a CreateNetPeering was sent, the module reads the peerings of the pair again and adopts
    the one that was created; it creates again only when none was, so a peering is never duplicated.
    A CreateNetPeering that succeeds without returning the peering is never sent again; the module reads the pair and
    adopts the new peering.
  - An API answer the module cannot use (a field missing or of the wrong type) fails the task with a message naming the
    action and the field.
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
      description: ID of the peering.
      type: str
      sample: pcx-12345678
    state:
      description: State of the peering.
      type: dict
      contains:
        name:
          description: One of C(pending-acceptance), C(active), C(rejected), C(failed), C(expired), C(deleted).
          type: str
          sample: active
        message:
          description: The platform's message for that state (C(null) right after a reject or delete, which return no peering).
          type: str
          sample: Active
    source_net:
      description: The requester's Net.
      type: dict
      contains:
        account_id:
          description: Account that owns the Net.
          type: str
          sample: "111111111111"
        ip_range:
          description: IP range of the Net.
          type: str
          sample: 10.1.0.0/16
        net_id:
          description: ID of the Net.
          type: str
          sample: vpc-11111111
    accepter_net:
      description: The accepter's Net, with the same keys as RV(net_peering.source_net).
      type: dict
      sample: {"account_id": "222222222222", "ip_range": "10.3.0.0/16", "net_id": "vpc-33333333"}
    expiration_date:
      description: When a pending peering expires if not accepted (C(null) otherwise).
      type: str
      sample: "2026-01-08T10:00:00.000Z"
    tags:
      description: Tags of the peering, as seen by this task's account.
      type: dict
      sample: {"Name": "front-to-back"}
api_error:
  description: The failed API call's fields, when the task failed on an API error.
  returned: on API failure
  type: dict
  contains:
    action:
      description: The API action that failed.
      type: str
      sample: AcceptNetPeering
    status_code:
      description: HTTP status.
      type: int
      sample: 401
    code:
      description: Outscale error Code.
      type: str
      sample: "5"
    type:
      description: Outscale error Type.
      type: str
      sample: AccessDenied
    details:
      description: Outscale error Details.
      type: str
      sample: Only the owner of vpc-33333333 can accept 'pcx-12345678'.
    request_id:
      description: RequestId, to quote to Outscale support.
      type: str
      sample: 0a1b2c3d-0000-4000-8000-000000000000
"""

import copy
import time


from ansible_collections.outscale.cloud.plugins.module_utils.client import OscAmbiguousWriteError, OscApiError, OscClient
from ansible_collections.outscale.cloud.plugins.module_utils.credentials import CredentialsError
from ansible_collections.outscale.cloud.plugins.module_utils.net_peering import (
    ACCEPTER_CREDENTIAL_OPTIONS,
    ACCOUNT_ID_PATTERN,
    NET_ID_PATTERN,
    PEERING_ID_PATTERN,
    PeeringError,
    UnexpectedResponse,
    accepter_settings,
    account_ids,
    caller_account,
    checked_peering,
    connects,
    decide,
    merge_response,
    new_peering,
    normalize_peering,
    pair_account,
    peering_problem,
    read_by_id,
    read_pair,
    select_pair,
    state_message,
    state_name,
    tag_diff,
    tags_to_dict,
    tags_to_list,
    validate_tags,
    wait_for_state,
)
from ansible_collections.outscale.cloud.plugins.module_utils.osc_module import OscAnsibleModule, build_client, connection_argument_spec


def argument_spec():
    spec = connection_argument_spec()
    spec.update(
        state=dict(type="str", default="present", choices=["present", "accepted", "rejected", "absent"]),
        net_peering_id=dict(type="str"),
        source_net_id=dict(type="str"),
        accepter_net_id=dict(type="str"),
        accepter_owner_id=dict(type="str"),
        tags=dict(type="dict"),
        purge_tags=dict(type="bool", default=True),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=300),
        # The other account's connection: the same options as the task's own, minus the
        # timeouts and retry limits, which it always inherits.
        accepter_credentials=dict(type="dict", options=dict(
            (name, option) for name, option in connection_argument_spec().items() if name in ACCEPTER_CREDENTIAL_OPTIONS)),
    )
    return spec


def validate_params(params):
    """The first problem with the options, as a message naming the option and the fix, or None."""
    if not params["net_peering_id"] and not params["source_net_id"]:
        return ("Name the peering: give net_peering_id, or source_net_id and accepter_net_id "
                "(plus accepter_owner_id when the accepter Net belongs to another account).")
    if params["net_peering_id"] and not PEERING_ID_PATTERN.match(params["net_peering_id"]):
        return ("net_peering_id '%s' is not a Net peering ID: use pcx- followed by 8 hexadecimal characters, "
                "for example pcx-12345678." % params["net_peering_id"])
    for name in ("source_net_id", "accepter_net_id"):
        if params[name] and not NET_ID_PATTERN.match(params[name]):
            return ("%s '%s' is not a Net ID: use vpc- followed by 8 hexadecimal characters, for example vpc-12345678."
                    % (name, params[name]))
    if params["source_net_id"] and params["source_net_id"] == params["accepter_net_id"]:
        return "source_net_id and accepter_net_id are both %s: a peering links two different Nets." % params["source_net_id"]
    owner = params["accepter_owner_id"]
    if owner is not None and not ACCOUNT_ID_PATTERN.match(owner):
        return ("accepter_owner_id '%s' is not an account ID: use the 12 digits of the account that owns accepter_net_id, "
                "quoted in YAML so leading zeros are kept." % owner)
    if params["wait_timeout"] <= 0:
        return "wait_timeout must be greater than 0 (seconds), got %s." % params["wait_timeout"]
    return validate_tags(params["tags"])


def view(peering):
    """What diff mode shows of a peering: its state and tags."""
    if not peering:
        return {}
    return {"net_peering_id": peering.get("NetPeeringId"), "state": state_name(peering), "tags": tags_to_dict(peering.get("Tags"))}


def with_state(peering, name, message=None):
    """A copy of the peering in another state (prediction, or the result of a write that returns no peering)."""
    peering = copy.deepcopy(peering)
    peering["State"] = {"Name": name, "Message": message}
    if name != "pending-acceptance":
        peering["ExpirationDate"] = None
    return peering


class NetPeeringRunner(object):
    """One run of the module: find the peering, decide, act, report."""

    def __init__(self, module, client, accepter_client=None, sleep=time.sleep, clock=time.monotonic):
        self.module = module
        self.params = module.params
        self.client = client
        self.accepter_client = accepter_client
        self.sleep, self.clock = sleep, clock
        self.check_mode = module.check_mode
        self.changed = False
        self.before = None    # the API peering as found
        self.current = None   # the API peering as it is (or would be, in check mode) now
        self.known_ids = set()
        self.pair_peerings = []  # every peering of the pair found by find(), any state
        if self.params["source_net_id"]:
            self.pair = (self.params["source_net_id"], self.params["accepter_net_id"])
        else:
            self.pair = None
        self.owner_id = self.params["accepter_owner_id"]
        self.acting = None     # the client of the last write, to explain its refusal

    # -- reporting ---------------------------------------------------------

    def result(self, **extra):
        result = dict(changed=self.changed, net_peering=normalize_peering(self.current) if self.current else None, **extra)
        if self.module._diff:
            result["diff"] = dict(before=view(self.before), after=view(self.current))
        return result

    def warn_client(self):
        for client in (self.client, self.accepter_client):
            for warning in (client.warnings if client else []):
                self.module.warn(warning)

    def fail(self, msg, peering=None):
        if peering is not None:
            self.current = peering
        self.warn_client()
        self.module.fail_json(msg=msg, **self.result())

    def fail_api(self, error, hint=None):
        msg = str(error)
        if hint:
            msg = "%s. %s" % (msg.rstrip("."), hint)
        self.warn_client()
        self.module.fail_json(msg=msg, api_error=error.as_dict(), **self.result())

    # -- the run -----------------------------------------------------------

    def run(self):
        state = self.params["state"]
        if self.params["tags"] is not None and state in ("rejected", "absent"):
            self.module.warn("tags are only applied with state=present or state=accepted; they were ignored.")
        try:
            self.find()
            step = decide(state, self.current, self.pair is not None)
            if step.startswith("fail:") or step == "not_found":
                self.fail(self.refusal(step))
            elif step == "create":
                self.create()
            elif step == "create_accept":
                acceptor = self.acceptor(None, "accept")  # may fail: before anything is created
                self.create()
                self.accept(acceptor)
            elif step == "accept":
                self.accept(self.acceptor(self.current, "accept"))
            elif step == "reject":
                self.reject(self.acceptor(self.current, "reject"))
            elif step == "delete":
                self.delete()
            if state in ("present", "accepted"):
                self.converge_tags()
        except PeeringError as exc:
            self.fail(str(exc), exc.peering)
        except OscApiError as exc:
            self.fail_api(exc, self.hint(exc))
        self.warn_client()
        self.module.exit_json(**self.result())

    def find(self):
        """One ReadNetPeerings call, by ID or by the pair of Nets."""
        if self.pair is None:
            self.current = read_by_id(self.client, self.params["net_peering_id"])
            self.known_ids = set([self.params["net_peering_id"]])
        else:
            peerings = read_pair(self.client, *self.pair)
            self.pair_peerings = peerings
            self.known_ids = set(p.get("NetPeeringId") for p in peerings)
            live, ended = select_pair(peerings, *self.pair)
            self.current = live
            if live is None and self.params["state"] == "rejected":
                # Report the peering that was rejected, when there is exactly one: a second run
                # of a reject task then shows what it did. Several: none is "the" one.
                rejected = [p for p in ended if state_name(p) == "rejected"]
                self.current = rejected[0] if len(rejected) == 1 else None
        self.before = copy.deepcopy(self.current)

    def refusal(self, step):
        """The message for a state that cannot reach the target."""
        peering_id = self.params["net_peering_id"] or (self.current or {}).get("NetPeeringId")
        if step == "not_found":
            return ("Net peering %s was not found with these credentials in region %s. Check the ID, the account and the "
                    "region, or give source_net_id and accepter_net_id to create a peering."
                    % (peering_id, self.client.settings.region))
        name, message = state_name(self.current), state_message(self.current) or "no message"
        if step == "fail:active":
            return ("Net peering %s is active; only a pending-acceptance peering can be rejected. "
                    "Use state=absent to delete it." % peering_id)
        if self.params["state"] == "accepted":
            return ("Net peering %s is %s (%s), so it cannot be accepted. Peerings that ended cannot be revived: "
                    "give source_net_id and accepter_net_id to create a new one." % (peering_id, name, message))
        return ("Net peering %s is %s (%s) and cannot become live again. Give source_net_id and accepter_net_id "
                "to create a new one." % (peering_id, name, message))

    # -- who may act -------------------------------------------------------

    def acceptor(self, peering, verb):
        """The client that can accept or reject: the caller's or the accepter_credentials' one.

        Fails before any write when the task provably has no credentials for the accepter account.
        """
        if peering is None:  # about to create from the pair
            if not self.owner_id:
                return self.client  # the accepter Net is the caller's own
            if self.accepter_client is not None:
                return self.accepter_client
            if pair_account(self.pair_peerings) == self.owner_id:
                # An earlier peering of the pair shows both Nets in accepter_owner_id's account,
                # which is then the caller's: it can accept its own peering.
                return self.client
            self.fail(self.missing_credentials(self.owner_id, self.params["accepter_net_id"], verb, created=False))
        caller = caller_account(peering, self.pair and self.pair[0], self.pair and self.pair[1], self.owner_id)
        accepter_account = account_ids(peering)[1]
        if caller is not None and caller == accepter_account:
            return self.client
        if self.accepter_client is not None:
            # Given for this: used whenever the caller is not provably the accepter.
            return self.accepter_client
        if caller is not None:
            self.fail(self.missing_credentials(accepter_account, (peering.get("AccepterNet") or {}).get("NetId"), verb,
                                               created=True))
        # Two accounts and no telling which side the caller is on (by ID, or a pair without
        # accepter_owner_id): try as the caller and explain a refusal.
        return self.client

    def missing_credentials(self, account, net_id, verb, created):
        """Nobody this task has credentials for can accept or reject: say whose credentials are missing."""
        msg = ("Only account %s, which owns the accepter Net %s, can %s this peering, and this task has no credentials "
               "for it. " % (account, net_id, verb))
        if not created:
            msg += "Nothing was created. "
        msg += ("Add accepter_credentials (access_key and secret_key, or profile) for account %s, or %s it in a task run "
                "with that account's credentials" % (account, verb))
        if not created:
            msg += " (state=present here only requests the peering)"
        elif verb == "reject":
            msg += " (as the requester, state=absent withdraws the request)"
        msg += "."
        if self.owner_id and account == self.owner_id:
            msg += " If accepter_owner_id (%s) is this task's own account, omit it." % account
        return msg

    # -- writes ------------------------------------------------------------

    def create(self):
        source_net_id, accepter_net_id = self.pair
        body = {"SourceNetId": source_net_id, "AccepterNetId": accepter_net_id}
        if self.owner_id:
            body["AccepterOwnerId"] = self.owner_id
        if self.check_mode:
            self.changed = True
            self.current = {
                "NetPeeringId": None,
                "State": {"Name": "pending-acceptance", "Message": None},
                "SourceNet": {"AccountId": None, "IpRange": None, "NetId": source_net_id},
                "AccepterNet": {"AccountId": self.owner_id, "IpRange": None, "NetId": accepter_net_id},
                "ExpirationDate": None,
                "Tags": [],
            }
            return
        peering = None
        for attempt in (1, 2):
            try:
                response = self.client.call("CreateNetPeering", body)
            except OscAmbiguousWriteError as exc:
                # The platform may have created it: read the pair again and adopt what is new.
                peering = self.created_peering()
                if peering is not None:
                    break
                if attempt == 2:
                    self.fail_api(exc, "Read again, the pair has no new peering, so none was created; run the task again.")
                # Nothing was created, so sending again is no longer blind. Even if that read
                # were stale, the API keeps one live peering per pair of Nets and would refuse a second.
                continue
            # HTTP 200: the create succeeded, so the task changed something whatever happens next.
            self.changed = True
            peering = response.get("NetPeering")
            problem = "no NetPeering in the response" if peering is None else peering_problem(peering, "NetPeering")
            if problem is None and not connects(peering, source_net_id, accepter_net_id):
                problem = "NetPeering %s links other Nets" % peering.get("NetPeeringId")
            if problem is None:
                peering = checked_peering(peering, "CreateNetPeering")
                break
            # Created, but what? Like an ambiguous write: read and adopt. Never sent again,
            # which could duplicate the peering that this call made.
            peering = self.created_peering()
            if peering is None:
                raise PeeringError(
                    "CreateNetPeering succeeded (HTTP 200) but returned no usable peering (%s), and reading the peerings of "
                    "%s and %s again finds no new one. It was not sent again, so as not to duplicate it: run the task again "
                    "to adopt it once the API lists it (the API refuses a second live peering of the same two Nets)."
                    % (problem, source_net_id, accepter_net_id))
            self.module.warn("CreateNetPeering returned no usable peering (%s); %s was found by reading the pair again."
                             % (problem, peering.get("NetPeeringId")))
            break
        self.changed = True
        self.current = peering
        if state_name(peering) != "pending-acceptance" and state_name(peering) != "active":
            source_range = (peering.get("SourceNet") or {}).get("IpRange")
            accepter_range = (peering.get("AccepterNet") or {}).get("IpRange")
            advice = ""
            if state_name(peering) == "failed":
                advice = (" The IP ranges of the two Nets (%s and %s) must not overlap: peer Nets with disjoint ranges."
                          % (source_range, accepter_range))
            raise PeeringError("CreateNetPeering made %s, but it is %s: %s.%s"
                               % (peering.get("NetPeeringId"), state_name(peering), state_message(peering) or "no message", advice),
                               peering)

    def created_peering(self):
        """After a create whose result is unknown: the new peering of the pair, or None. One ReadNetPeerings call."""
        return new_peering(read_pair(self.client, *self.pair), self.pair[0], self.pair[1], self.known_ids)

    def accept(self, acceptor):
        peering_id = self.current.get("NetPeeringId")
        if self.check_mode:
            self.changed = True
            self.current = with_state(self.current, "active", "Active")
            return
        self.acting = acceptor
        response = self.write_again_if_unknown(acceptor, "AcceptNetPeering", peering_id,
                                               done=lambda p: state_name(p) == "active",
                                               retry=lambda p: state_name(p) == "pending-acceptance")
        self.changed = True
        returned = response.get("NetPeering") if response is not None else None
        if returned is not None:
            returned = checked_peering(returned, "AcceptNetPeering", response=response)
            if returned["NetPeeringId"] != peering_id:
                raise UnexpectedResponse("AcceptNetPeering", "NetPeering is %s, not the accepted %s"
                                         % (returned["NetPeeringId"], peering_id), response)
            self.current = merge_response(self.current, returned)
        if state_name(self.current) == "active" or not self.params["wait"]:
            return
        peering = wait_for_state(self.client, peering_id, "active", self.params["wait_timeout"], self.sleep, self.clock)
        self.current = merge_response(self.current, peering)

    def reject(self, rejector):
        peering_id = self.current.get("NetPeeringId")
        if not self.check_mode:
            self.acting = rejector
            self.write_again_if_unknown(rejector, "RejectNetPeering", peering_id,
                                        done=lambda p: state_name(p) == "rejected",
                                        retry=lambda p: state_name(p) == "pending-acceptance")
        self.changed = True
        if state_name(self.current) != "rejected":
            # RejectNetPeering returns no peering; its platform message is not known without another read.
            self.current = with_state(self.current, "rejected")

    def delete(self):
        peering = self.current
        source_account = account_ids(peering)[0]
        caller = caller_account(peering, self.pair and self.pair[0], self.pair and self.pair[1], self.owner_id)
        if state_name(peering) == "pending-acceptance" and caller is not None and caller != source_account:
            self.fail(self.pending_delete_advice(peering, source_account))
        if not self.check_mode:
            self.acting = self.client
            self.write_again_if_unknown(self.client, "DeleteNetPeering", peering.get("NetPeeringId"),
                                        done=lambda p: p is None or state_name(p) == "deleted",
                                        retry=lambda p: state_name(p) in ("pending-acceptance", "active"))
        self.changed = True
        if state_name(self.current) != "deleted":
            # DeleteNetPeering returns no peering either.
            self.current = with_state(peering, "deleted")

    def pending_delete_advice(self, peering, source_account):
        return ("Net peering %s is pending-acceptance and was requested by account %s; only the requester can delete it. "
                "As the accepter, use state=rejected to turn it down, or run this task with the requester's credentials."
                % (peering.get("NetPeeringId"), source_account))

    def write_again_if_unknown(self, client, action, peering_id, done, retry):
        """Send an accept, reject or delete; if its outcome is unknown, read the peering and decide.

        ``done(peering)``: the write took effect. ``retry(peering)``: it did not and can be
        sent once more (these writes create nothing, so a second one cannot duplicate).
        Returns the response, or None when the outcome was settled by a read.
        """
        try:
            return client.call(action, {"NetPeeringId": peering_id})
        except OscAmbiguousWriteError as exc:
            peering = read_by_id(self.client, peering_id)
            if done(peering):
                if peering is not None:
                    self.current = merge_response(self.current, peering)
                return None
            if peering is None or not retry(peering):
                self.fail_api(exc, "Read again, %s is %s; run the task again."
                              % (peering_id, state_name(peering) or "gone"))
            # AcceptNetPeering of a peering already accepted but still provisioning succeeds again.
            return client.call(action, {"NetPeeringId": peering_id})

    def converge_tags(self):
        if self.current is None or state_name(self.current) not in ("pending-acceptance", "active"):
            return
        current = tags_to_dict(self.current.get("Tags"))
        to_create, to_delete = tag_diff(current, self.params["tags"], self.params["purge_tags"])
        if not to_create and not to_delete:
            return
        self.changed = True
        peering_id = self.current.get("NetPeeringId")
        if not self.check_mode and peering_id:
            for action, tags in (("DeleteTags", to_delete), ("CreateTags", to_create)):
                if tags:
                    body = {"ResourceIds": [peering_id], "Tags": tags_to_list(tags)}
                    self.acting = self.client
                    try:
                        self.client.call(action, body)
                    except OscAmbiguousWriteError:
                        # Tag writes are idempotent: sending one again cannot do harm.
                        self.client.call(action, body)
        for key in to_delete:
            current.pop(key, None)
        current.update(to_create)
        self.current = dict(self.current, Tags=tags_to_list(current))

    # -- failure hints -----------------------------------------------------

    def hint(self, error):
        """What to do about a refused call, beyond the client's per-code hints."""
        peering = self.current or {}
        source_account, accepter_account = account_ids(peering) if peering else (None, None)
        if error.action in ("AcceptNetPeering", "RejectNetPeering"):
            verb = "accept" if error.action == "AcceptNetPeering" else "reject"
            if error.status == 409:
                return ("The peering is no longer pending-acceptance (did someone act on it meanwhile?); run the task "
                        "again to see its state.")
            if error.status in (401, 403):
                if self.acting is self.accepter_client and self.accepter_client is not None:
                    return ("Only the owner of the accepter Net (account %s) can %s it: check that accepter_credentials "
                            "are that account's." % (accepter_account, verb))
                return ("Only the owner of the accepter Net (account %s) can %s it: add accepter_credentials for that "
                        "account, or run the task with its credentials." % (accepter_account, verb))
        if error.action == "DeleteNetPeering":
            if state_name(peering) == "pending-acceptance" and error.status in (401, 403, 409):
                return self.pending_delete_advice(peering, source_account)
            if error.status == 409:
                return "The peering is no longer live (did someone act on it meanwhile?); run the task again."
        if error.action == "CreateNetPeering" and str(error.code) == "9067":
            return ("Another live peering of these Nets appeared meanwhile (another task?); run the task again to adopt it.")
        return None


def main():
    module = OscAnsibleModule(
        argument_spec=argument_spec(),
        supports_check_mode=True,
        mutually_exclusive=[("net_peering_id", "source_net_id"), ("net_peering_id", "accepter_net_id"),
                            ("net_peering_id", "accepter_owner_id")],
        required_together=[("source_net_id", "accepter_net_id")],
    )
    error = validate_params(module.params)
    if error:
        module.fail_json(msg=error)
    client = build_client(module)
    accepter_client = None
    if module.params["accepter_credentials"] is not None and module.params["state"] in ("present", "absent"):
        # Not even resolved: a profile or keys that do not work must not fail a task that does not use them.
        module.warn("accepter_credentials are only used with state=accepted or state=rejected; they were ignored.")
    elif module.params["accepter_credentials"] is not None:
        try:
            settings = accepter_settings(client.settings, module.params["accepter_credentials"])
        except CredentialsError as exc:
            module.fail_json(msg="accepter_credentials: %s" % exc)
        accepter_client = OscClient(settings)
    NetPeeringRunner(module, client, accepter_client).run()


if __name__ == "__main__":
    main()
