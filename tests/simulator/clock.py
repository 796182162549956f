"""The simulator's controllable UTC clock."""

from __future__ import annotations

import datetime
import threading
import time

UTC = datetime.timezone.utc


class Clock:
    """Wall-clock time plus an offset that tests move forward.

    Lifecycle rules (7-day expiry, 1-hour retention, accept delay) run on ``time()``, so
    a waiting client also sees time pass. Signatures are checked against
    ``signing_time()``: wall time plus a separate skew. Keeping the two apart lets a test
    jump 7 days ahead and still call the API with a client that signs with its own
    (real) clock; the skew is what a test moves to provoke a stale-date 401.
    """

    def __init__(self, start: float | datetime.datetime | None = None) -> None:
        self._lock = threading.Lock()
        self._offset = 0.0
        self._skew = 0.0
        if start is not None:
            self._offset = to_epoch(start) - time.time()

    def time(self) -> float:
        """Simulated epoch seconds."""
        with self._lock:
            return time.time() + self._offset

    def now(self) -> datetime.datetime:
        """Simulated aware UTC datetime."""
        return datetime.datetime.fromtimestamp(self.time(), UTC)

    def signing_time(self) -> float:
        """The time X-Osc-Date is compared with."""
        with self._lock:
            return time.time() + self._skew

    def advance(self, seconds: float) -> float:
        """Move simulated time forward (never backward) and return it."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            self._offset += seconds
        return self.time()

    def set_signing_skew(self, seconds: float) -> None:
        """Shift the reference time of the signature date check."""
        with self._lock:
            self._skew = float(seconds)

    @property
    def offset(self) -> float:
        """Seconds the simulated clock is ahead of the wall clock."""
        with self._lock:
            return self._offset

    def set_offset(self, seconds: float) -> None:
        """Restore an offset (state files, reset)."""
        with self._lock:
            self._offset = float(seconds)

    def reset(self) -> None:
        """Back to wall time."""
        with self._lock:
            self._offset = 0.0
            self._skew = 0.0

    def describe(self) -> dict:
        """JSON view for the control API."""
        with self._lock:
            wall = time.time()
            return {
                "now": iso(wall + self._offset),
                "epoch": wall + self._offset,
                "offset_seconds": self._offset,
                "signing_skew_seconds": self._skew,
                "signing_now": iso(wall + self._skew),
            }


def to_epoch(value: float | datetime.datetime) -> float:
    """Epoch seconds from a number or a datetime (naive means UTC)."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.timestamp()
    return float(value)


def iso(epoch: float) -> str:
    """ISO 8601 with milliseconds and Z, the form the API uses (2063-04-05T00:00:00.000Z)."""
    moment = datetime.datetime.fromtimestamp(epoch, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
