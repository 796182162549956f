"""Fault injection: throttling, server errors, delays and dropped connections."""

from __future__ import annotations

import dataclasses
import itertools
import random
import threading

from .errors import INTERNAL_ERROR, THROTTLED_ACCOUNT, THROTTLED_PLATFORM, ApiError

KINDS = ("throttle_429", "throttle_503", "error_500", "error_502", "error_504", "delay", "drop_before", "drop_after")

# Faults answered with the real JSON error shape; 502 and 504 come from a front proxy
# on the real platform, so they carry an HTML page instead (see server.py).
_JSON_ERRORS = {"throttle_429": THROTTLED_ACCOUNT, "throttle_503": THROTTLED_PLATFORM, "error_500": INTERNAL_ERROR}
_DETAILS = {
    "throttle_429": "Request rate exceeded.",
    "throttle_503": "Request rate exceeded.",
    "error_500": "Internal error (injected by the simulator).",
}


@dataclasses.dataclass
class Fault:
    fault_id: int
    action: str
    kind: str
    count: int | None = None
    ratio: float | None = None
    seconds: float = 0.0
    code: str | None = None
    account_id: str | None = None
    fired: int = 0

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)

    def api_error(self) -> ApiError | None:
        """The JSON error this fault answers with, if any (code override applied)."""
        kind = _JSON_ERRORS.get(self.kind)
        if kind is None:
            return None
        return ApiError(kind, _DETAILS[self.kind]).with_code(self.code)


class FaultInjector:
    """Rules matched in the order they were added; the first one that fires wins.

    A count rule fires on the next ``count`` matching calls then disappears. A ratio rule
    fires with that probability (seeded random, so runs repeat) until cleared, or until
    it fired ``count`` times when both are given.
    """

    def __init__(self, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self._seed = seed
        self._rng = random.Random(seed)
        self._faults: list[Fault] = []
        self._ids = itertools.count(1)

    def add(
        self,
        action: str = "*",
        kind: str = "error_500",
        count: int | None = None,
        ratio: float | None = None,
        seconds: float | None = None,
        code: str | int | None = None,
        account_id: str | None = None,
        seed: int | None = None,
    ) -> dict:
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}")
        if not isinstance(action, str) or not action:
            raise ValueError("action must be an action name or '*'")
        if ratio is not None and not 0.0 <= float(ratio) <= 1.0:
            raise ValueError("ratio must be between 0 and 1")
        if count is not None and int(count) < 1:
            raise ValueError("count must be >= 1")
        if ratio is None and count is None:
            count = 1
        if kind == "delay" and (seconds is None or float(seconds) < 0):
            raise ValueError("a delay fault needs seconds >= 0")
        with self._lock:
            if seed is not None:
                self._rng.seed(seed)
            fault = Fault(
                next(self._ids),
                action,
                kind,
                None if count is None else int(count),
                None if ratio is None else float(ratio),
                float(seconds or 0.0),
                None if code is None else str(code),
                account_id,
            )
            self._faults.append(fault)
            return fault.as_dict()

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
            self._rng.seed(self._seed)

    def active(self) -> list[dict]:
        with self._lock:
            return [fault.as_dict() for fault in self._faults]

    def pick(self, action: str, account_id: str | None) -> Fault | None:
        """The fault to apply to this call, if any (consumes one firing)."""
        with self._lock:
            for fault in self._faults:
                if fault.action not in ("*", action):
                    continue
                if fault.account_id is not None and fault.account_id != account_id:
                    continue
                if fault.ratio is not None and self._rng.random() >= fault.ratio:
                    continue
                fault.fired += 1
                if fault.count is not None:
                    fault.count -= 1
                    if fault.count <= 0:
                        self._faults.remove(fault)
                return dataclasses.replace(fault)
        return None
