# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the outscale.cloud collection: not a public API, it may change in any release.
"""Tags of any Outscale resource: shape, diff and validation. Pure: no client here
(the executor makes the CreateTags / DeleteTags calls), so the filter plugins can
import it without loading the client in every controller worker."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

TAG_KEY_MAX = 255
TAG_VALUE_MAX = 255


def tags_to_dict(tags: Optional[List[Dict[str, Any]]]) -> Dict[str, str]:
    """API tag list [{Key, Value}] -> {key: value}; a null Value is the empty string (tags {k: ""} stay idempotent)."""
    return {
        tag.get("Key"): "" if tag.get("Value") is None else tag.get("Value")
        for tag in tags or []
        if isinstance(tag, dict)
    }


def tags_to_list(tags: Optional[Dict[str, Any]]) -> List[Dict[str, str]]:
    """{key: value} -> API tag list, in a stable order."""
    return [{"Key": key, "Value": "" if value is None else str(value)} for key, value in sorted((tags or {}).items())]


def tag_diff(
    current: Optional[Dict[str, str]], desired: Optional[Dict[str, Any]], purge: bool
) -> Tuple[Dict[str, str], Dict[str, str]]:
    """What CreateTags and DeleteTags must do to turn ``current`` into ``desired``.

    Returns (to_create, to_delete), both {key: value}. ``desired`` None means
    tags are not managed. A changed value is simply re-created (CreateTags
    overwrites); to_delete carries the current values because DeleteTags with a
    value only deletes a tag whose value matches.
    """
    current = current or {}
    if desired is None:
        return {}, {}
    desired = {key: "" if value is None else str(value) for key, value in desired.items()}
    to_create = {key: value for key, value in desired.items() if current.get(key) != value}
    to_delete = {}
    if purge:
        to_delete = {key: value for key, value in current.items() if key not in desired}
    return to_create, to_delete


def apply_tag_diff(
    current: Optional[Dict[str, str]], to_create: Dict[str, str], to_delete: Dict[str, str]
) -> Dict[str, str]:
    """The tags once the diff is applied."""
    tags = dict(current or {})
    for key in to_delete:
        tags.pop(key, None)
    tags.update(to_create)
    return tags


def validate_tags(tags: Optional[Dict[str, Any]], option: str = "tags") -> Optional[str]:
    """An error message for tags the API would refuse, or None."""
    for key, value in (tags or {}).items():
        if not isinstance(key, str) or not 1 <= len(key) <= TAG_KEY_MAX:
            return f"{option}: key {key!r} must be 1 to {TAG_KEY_MAX} characters long."
        if isinstance(value, (dict, list)):
            return (
                f"{option}: the value of '{key}' is a {'dict' if isinstance(value, dict) else 'list'}; "
                "a tag value is a string. Quote it, or turn it into one (for example with the to_json filter)."
            )
        if value is not None and len(str(value)) > TAG_VALUE_MAX:
            return f"{option}: the value of '{key}' is longer than {TAG_VALUE_MAX} characters; shorten it."
    return None
