"""Lockout after repeated invalid access keys.

Documented (OpenAPI 1.42.0 info.description): "If you try to sign requests with an
invalid access key four times in a row, further authentication attempts will be
prevented for 1 minute. This lockout time increases 1 minute every four failed attempts,
for up to 10 minutes."

Guesses (no public evidence), each a setting:
- what is locked (``scope``). The platform does not say; blocking a whole client
  address would lock out every valid account of a test suite that runs bad-key cases
  from 127.0.0.1 next to valid traffic. Default ``access_key``: the subject is the
  presented access key together with the region its scope names, so a key used against
  the wrong region is locked there without touching correct uses of the same key.
  ``client`` locks the client address instead.
- an "invalid access key" is one answered 400/4120 (unknown, or another region's);
  a wrong signature of a known key (401/1) does not count.
- the answer while blocked: 401/1 (errors.AUTH_BLOCKED); blocked attempts do not count.
- the escalation is forgotten after a success, or after ``max_block_seconds`` without
  a failure.

Time is the simulator's clock, so ``advance_clock`` ends a block.
"""

from __future__ import annotations

import copy
import dataclasses
import threading

from .settings import start_merge

DEFAULT_SETTINGS = {
    "enabled": True,
    "threshold": 4,  # documented: four in a row
    "first_block_seconds": 60.0,  # documented: 1 minute
    "step_seconds": 60.0,  # documented: increases 1 minute every four failed attempts
    "max_block_seconds": 600.0,  # documented: up to 10 minutes
    "scope": "access_key",  # guess, see above
}
SCOPES = ("access_key", "client")


def merge_settings(base: dict, update: dict | bool | None) -> dict:
    merged, changes = start_merge(base, update, "auth_lockout", DEFAULT_SETTINGS)
    for name, value in changes.items():
        if name == "scope":
            if value not in SCOPES:
                raise ValueError(f"auth_lockout.scope must be one of {', '.join(SCOPES)}")
            merged[name] = value
        elif name == "threshold":
            if int(value) < 1:
                raise ValueError("auth_lockout.threshold must be >= 1")
            merged[name] = int(value)
        else:
            if float(value) < 0:
                raise ValueError(f"auth_lockout.{name} must be >= 0")
            merged[name] = float(value)
    return merged


@dataclasses.dataclass
class _Subject:
    failures: int = 0
    blocks: int = 0
    blocked_until: float = 0.0
    last_failure: float = 0.0


class AuthLockout:
    """Counts invalid access keys per subject and blocks the subject for a while."""

    def __init__(self, settings: dict | bool | None = None) -> None:
        self._lock = threading.Lock()
        self._base = merge_settings(DEFAULT_SETTINGS, settings)
        self.settings = copy.deepcopy(self._base)
        self._subjects: dict[tuple, _Subject] = {}
        self.blocked_attempts = 0

    def configure(self, update: dict | bool) -> dict:
        with self._lock:
            self.settings = merge_settings(self.settings, update)
            return copy.deepcopy(self.settings)

    def reset(self) -> None:
        with self._lock:
            self.settings = copy.deepcopy(self._base)
            self._subjects.clear()
            self.blocked_attempts = 0

    def subject(self, access_key: str, scope_region: str, client: str) -> tuple:
        if self.settings["scope"] == "client":
            return ("client", client)
        return ("access_key", access_key, scope_region)

    def blocked_for(self, subject: tuple, now: float) -> float:
        """Seconds left of this subject's block (0 when not blocked); counts blocked attempts."""
        with self._lock:
            if not self.settings["enabled"]:
                return 0.0
            state = self._subjects.get(subject)
            if state is None or now >= state.blocked_until:
                return 0.0
            self.blocked_attempts += 1
            return state.blocked_until - now

    def failure(self, subject: tuple, now: float) -> None:
        with self._lock:
            if not self.settings["enabled"]:
                return
            state = self._subjects.setdefault(subject, _Subject())
            if state.blocks and now - max(state.last_failure, state.blocked_until) > self.settings["max_block_seconds"]:
                state.blocks = 0  # guess: a long quiet period forgets the escalation
            state.failures += 1
            state.last_failure = now
            if state.failures >= self.settings["threshold"]:
                state.failures = 0
                state.blocks += 1
                length = self.settings["first_block_seconds"] + (state.blocks - 1) * self.settings["step_seconds"]
                state.blocked_until = now + min(length, self.settings["max_block_seconds"])

    def success(self, subject: tuple) -> None:
        with self._lock:
            self._subjects.pop(subject, None)

    def stats(self, now: float) -> dict:
        with self._lock:
            blocked = sum(1 for state in self._subjects.values() if now < state.blocked_until)
            return {
                "settings": copy.deepcopy(self.settings),
                "blocked_subjects": blocked,
                "blocked_attempts": self.blocked_attempts,
            }
