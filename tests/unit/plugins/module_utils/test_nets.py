# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""read_nets: the one reader of the Nets an account can see, over scripted pages."""

import pytest

from ansible_collections.outscale.cloud.plugins.module_utils._errors import UnexpectedResponse
from ansible_collections.outscale.cloud.plugins.module_utils._nets import read_nets
from ansible_collections.outscale.cloud.tests.unit.plugins.module_utils.peering_fixtures import FakeClient

NET_1 = {"NetId": "vpc-11111111", "IpRange": "10.1.0.0/16"}
NET_2 = {"NetId": "vpc-22222222", "IpRange": "10.2.0.0/16"}


def test_read_nets_filters_by_id_and_follows_pages():
    client = FakeClient([{"Nets": [NET_1], "NextPageToken": "t1"}, {"Nets": [NET_2]}])
    assert read_nets(client, ["vpc-11111111", "vpc-22222222"]) == [NET_1, NET_2]
    assert [action for action, _body in client.calls] == ["ReadNets", "ReadNets"]
    assert client.calls[0][1] == {"Filters": {"NetIds": ["vpc-11111111", "vpc-22222222"]}, "ResultsPerPage": 1000}
    assert client.calls[1][1]["NextPageToken"] == "t1"


def test_read_nets_without_ids_reads_every_net():
    client = FakeClient([{"Nets": [NET_1, NET_2]}])
    assert read_nets(client) == [NET_1, NET_2]
    assert client.calls == [("ReadNets", {"ResultsPerPage": 1000})]


def test_no_ids_means_no_call():
    # An empty NetIds filter would match every Net of the account.
    client = FakeClient([])
    assert read_nets(client, []) == [] and client.calls == []


@pytest.mark.parametrize("answer", [{}, {"Nets": None}, {"Nets": []}])
def test_a_missing_list_reads_as_none(answer):
    assert read_nets(FakeClient([answer]), ["vpc-11111111"]) == []


@pytest.mark.parametrize(
    "answer, problem",
    [
        ({"Nets": {"NetId": "vpc-11111111"}}, "Nets is a dict, not a list"),
        ({"Nets": ["vpc-11111111"]}, "Nets[0] has no NetId string"),
        ({"Nets": [NET_1, {"NetId": 7}]}, "Nets[1] has no NetId string"),
    ],
)
def test_a_malformed_answer_is_unexpected(answer, problem):
    with pytest.raises(UnexpectedResponse) as info:
        read_nets(FakeClient([answer]), ["vpc-11111111"])
    assert f"unexpected ReadNets response: {problem}" in str(info.value)
