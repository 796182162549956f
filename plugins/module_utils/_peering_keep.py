# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the outscale.cloud collection: not a public API, it may change in any release.
"""Which of several live peerings of one pair to keep: a pure choice every run makes alike."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import List, Tuple

from ansible_collections.outscale.cloud.plugins.module_utils._peering import Peering, state_name

# 2026-12-04T10:00:00Z, 2026-12-04T10:00:00.123456Z, 2026-12-04 10:00:00+01:00, ...
_ISO_DATE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?\s*(Z|[+-]\d{2}:?\d{2})?$", re.IGNORECASE
)
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def expiration_key(peering: Peering) -> Tuple[int, int]:
    """ExpirationDate as (0, microseconds since 1970), or (1, 0) when missing or unreadable (sorted last).

    Parsed rather than compared as text: "10:00:00Z" sorts after "10:00:00.5Z" as a string.
    Without a zone the date is taken as UTC (the API's dates are UTC).
    """
    value = peering.get("ExpirationDate")
    match = _ISO_DATE.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        return (1, 0)
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), tzinfo=timezone.utc)
    except ValueError:  # month 13, say
        return (1, 0)
    if zone and zone.upper() != "Z":
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        moment -= sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    micros = int(((fraction or "") + "000000")[:6])
    delta = moment - _EPOCH
    return (0, (delta.days * 86400 + delta.seconds) * 1_000_000 + micros)


def kept_of(live: List[Peering]) -> Peering:
    """Of several live peerings of one pair, the one to keep, the same for every run that reads them.

    Active first (accepting one rejects the others); then the earliest made (its ExpirationDate
    is creation + 7 days, compared as a date whatever its precision or zone; a missing or
    unreadable date counts as the latest), so a run that created the later one and saw both
    removes its own, while the run that created the earlier one may have finished without
    seeing the other. Tie rule: for equal dates (the API may give them to the second only),
    the lowest NetPeeringId, compared as text: both runs read the same IDs, so they keep the
    same peering.
    """
    return min(
        live,
        key=lambda p: (state_name(p) != "active", expiration_key(p), p.get("NetPeeringId") or ""),
    )
