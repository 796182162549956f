"""The log of API calls (never of control calls), for tests to count retries and faults."""

from __future__ import annotations

import collections
import threading


class CallLog:
    """Thread-safe, append-only list of calls with a sequence number each.

    An entry holds no credential, header or body: only what a test asserts on.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[dict] = []
        self._seq = 0

    def record(
        self,
        *,
        time: str,
        action: str,
        account_id: str | None,
        status: int | None,
        code: str | None,
        fault: str | None,
        request_id: str,
        throttled: str | None = None,
    ) -> dict:
        # ``throttled`` (added after the other fields, which keep their meaning): None, or
        # which natural limit refused the call: "platform", "account", "action",
        # "identical" or "auth_lockout". Injected faults stay in ``fault``.
        with self._lock:
            self._seq += 1
            entry = {
                "seq": self._seq,
                "time": time,
                "action": action,
                "account_id": account_id,
                "status": status,
                "code": code,
                "fault": fault,
                "request_id": request_id,
                "throttled": throttled,
            }
            self._entries.append(entry)
            return dict(entry)

    def entries(self) -> list[dict]:
        with self._lock:
            return [dict(entry) for entry in self._entries]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def take(self) -> list[dict]:
        """Every entry, and the log emptied, in one step (no call can fall between the two)."""
        with self._lock:
            taken, self._entries = self._entries, []
        return taken

    def counts(
        self, action: str | None = None, account_id: str | None = None, include_throttled: bool = True
    ) -> int | dict[str, int]:
        """Number of logged calls (every attempt, faulted or refused ones included).

        With ``action``: an int for that action. Without: {action: count}.
        ``account_id`` narrows either form to one caller; ``include_throttled=False``
        leaves out calls refused by natural throttling or the lockout.
        """
        with self._lock:
            selected = [
                e
                for e in self._entries
                if (account_id is None or e["account_id"] == account_id)
                and (include_throttled or e["throttled"] is None)
            ]
        if action is not None:
            return sum(1 for e in selected if e["action"] == action)
        return dict(collections.Counter(e["action"] for e in selected))
