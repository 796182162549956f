# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the outscale.cloud collection: not a public API, it may change in any release.
"""What applying a plan did. The executor's result, in a file of its own so that
a run with nothing to do can report it without loading the executor."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Optional

if TYPE_CHECKING:
    from ansible_collections.outscale.cloud.plugins.module_utils._peering import Peering
    from ansible_collections.outscale.cloud.plugins.module_utils._peering_plan import Plan


class Outcome:
    """The peering as reported, whether anything changed, each step's result."""

    def __init__(self, peering: Optional[Peering], changed: bool, actions: List[Dict[str, Any]]) -> None:
        self.peering = peering
        self.changed = changed
        self.actions = actions

    @classmethod
    def of_nothing_to_do(cls, plan: Plan, check_mode: bool) -> Outcome:
        """A plan without steps, as the executor would report it (without loading it)."""
        return cls(plan.after if check_mode else plan.before, plan.changes if check_mode else False, [])
