# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the outscale.cloud collection: not a public API, it may change in any release.
"""The shapes of Outscale IDs. A module of its own so that the filter plugins, which
every controller worker compiles afresh, need nothing else of the peering domain."""

from __future__ import annotations

import re

# Always used with fullmatch: with match and "$", "vpc-12345678\n" would pass and
# reach the API. \Z also ends each pattern, so a stray .match() elsewhere stays strict.
NET_ID_PATTERN = re.compile(r"vpc-[0-9a-f]{8}\Z")
PEERING_ID_PATTERN = re.compile(r"pcx-[0-9a-f]{8}\Z")
ACCOUNT_ID_PATTERN = re.compile(r"[0-9]{12}\Z")
