"""Shared by the peering unit tests: an API NetPeering builder and a scripted client."""

import copy

from ansible_collections.outscale.cloud.plugins.module_utils._client import OscClient

A, B = "111111111111", "222222222222"


def peering(pid, src, acc, state, src_acct=A, acc_acct=A, tags=None, message=None):
    return {
        "NetPeeringId": pid,
        "State": {"Name": state, "Message": message or state},
        "SourceNet": {"AccountId": src_acct, "IpRange": "10.1.0.0/16", "NetId": src},
        "AccepterNet": {"AccountId": acc_acct, "IpRange": "10.2.0.0/16", "NetId": acc},
        "ExpirationDate": None,
        "Tags": [{"Key": k, "Value": v} for k, v in (tags or {}).items()],
    }


class FakeClient:
    """Answers ReadNetPeerings from scripted answers (a list of peerings, or a whole response dict); records calls."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.calls = []
        self.warnings = []

    def call(self, action, body):
        self.calls.append((action, copy.deepcopy(body)))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer if isinstance(answer, dict) else {"NetPeerings": answer}

    pages = OscClient.pages  # the real page-following logic, over the scripted answers
