"""The part every settings document of the simulator shares (throttling, auth_lockout)."""

from __future__ import annotations

import copy


def start_merge(base: dict, update: dict | bool | None, what: str, defaults: dict) -> tuple[dict, dict]:
    """(a copy of ``base``, the fields of ``update`` still to apply).

    ``None`` changes nothing, a boolean sets ``enabled``, an object must name known
    fields only; each caller checks and applies the values of its own fields.
    """
    merged = copy.deepcopy(base)
    if update is None:
        return merged, {}
    if isinstance(update, bool):
        merged["enabled"] = update
        return merged, {}
    if not isinstance(update, dict):
        raise ValueError(f"{what} settings must be an object or a boolean")
    unknown = set(update) - set(defaults)
    if unknown:
        raise ValueError(f"unknown {what} settings: {', '.join(sorted(unknown))}")
    if "enabled" in update:
        merged["enabled"] = bool(update["enabled"])
    return merged, {name: value for name, value in update.items() if name != "enabled"}
