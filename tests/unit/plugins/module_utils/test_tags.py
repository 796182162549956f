"""Tags of any resource: diff, validation, shape."""

import pytest

from ansible_collections.outscale.cloud.plugins.module_utils import _tags as np

# -- tags -------------------------------------------------------------------------


def test_tag_diff_add_change_purge():
    create, delete = np.tag_diff({"a": "1", "b": "2", "c": "3"}, {"a": "1", "b": "20", "d": "4"}, True)
    assert create == {"b": "20", "d": "4"}
    assert delete == {"c": "3"}


def test_tag_diff_without_purge_keeps_unlisted():
    create, delete = np.tag_diff({"a": "1", "c": "3"}, {"a": "2"}, False)
    assert create == {"a": "2"} and delete == {}


def test_tag_diff_none_means_unmanaged():
    assert np.tag_diff({"a": "1"}, None, True) == ({}, {})


def test_tag_diff_empty_dict_purges_all():
    assert np.tag_diff({"a": "1", "b": ""}, {}, True) == ({}, {"a": "1", "b": ""})


def test_tag_diff_values_are_strings():
    assert np.tag_diff({"n": "1"}, {"n": 1, "none": None}, True) == ({"none": ""}, {})


def test_tag_diff_idempotent():
    assert np.tag_diff({"a": "1"}, {"a": "1"}, True) == ({}, {})


def test_validate_tags():
    assert np.validate_tags({"ok": "x"}) is None
    assert "key" in np.validate_tags({"": "x"})
    assert "255" in np.validate_tags({"k": "x" * 256})
    assert "255" in np.validate_tags({"k" * 256: "x"})


@pytest.mark.parametrize("value, kind", [({"nested": "x"}, "dict"), ([1, 2], "list")])
def test_validate_tags_refuses_nested_values(value, kind):
    message = np.validate_tags({"ok": "1", "k": value})
    assert message.startswith(f"tags: the value of 'k' is a {kind}") and "string" in message


def test_tags_to_dict_null_value_is_empty_string():
    assert np.tags_to_dict([{"Key": "k", "Value": None}, {"Key": "n"}, {"Key": "v", "Value": "1"}]) == {
        "k": "",
        "n": "",
        "v": "1",
    }
    # With a null Value read as "", tags {k: ""} need no CreateTags.
    assert np.tag_diff(np.tags_to_dict([{"Key": "k", "Value": None}]), {"k": ""}, True) == ({}, {})


def test_tags_to_remove_keeps_current_values_and_skips_missing_keys():
    assert np.tags_to_remove({"a": "1", "b": ""}, ["b", "c"]) == {"b": ""}
    assert np.tags_to_remove({"a": "1"}, None) == {}
