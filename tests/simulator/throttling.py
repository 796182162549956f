"""Natural throttling: token buckets per platform, account and (account, action), plus a
limit on identical requests.

Sources (see README.md, "Rules"):
- documented (user guide, API-Throttling; errors page): platform-wide 503/Code 6, per
  account 429/Code 24, per account and call 429/Code 25.
- documented (OpenAPI 1.42.0 info.description): "the number of identical requests
  allowed in a given time period is limited"; the limit and the answer are unknown.
- The rates are not published. Guess: the defaults below are chosen so that an Ansible
  playbook at forks 8 (bursts of tens of calls per second per account) is throttled now
  and then while a sequential one (a few calls per second) never is; osc-sdk-python
  limits itself to 5 requests/s, under every default here.

Buckets refill on the simulator's clock (``Clock.time()``), so ``advance_clock`` refills
them and tests stay deterministic. A refused call takes no token.
"""

from __future__ import annotations

import collections
import copy
import hashlib
import threading

from .errors import THROTTLED_ACCOUNT, THROTTLED_CALL, THROTTLED_IDENTICAL, THROTTLED_PLATFORM, ApiError
from .settings import start_merge

BUCKETS = ("platform", "account", "action")

# Guess (see the module docstring): rates in calls per second, bursts in calls.
DEFAULT_SETTINGS = {
    "enabled": True,
    "platform": {"rate": 100.0, "burst": 200.0},
    "account": {"rate": 10.0, "burst": 20.0},
    "action": {"rate": 5.0, "burst": 12.0},
    # Guess: at most 30 identical requests (same account, action and body) within 10 s.
    # A wait loop polling ReadNetPeerings by ID every 1-5 s sends 2-10 in that window.
    "identical": {"max": 30, "window_seconds": 10.0},
}

_ERRORS = {
    "platform": (THROTTLED_PLATFORM, "Too many requests on the platform; retry later."),
    "account": (THROTTLED_ACCOUNT, "Too many requests for this account; retry later."),
    "action": (THROTTLED_CALL, "Too many requests for this call; retry later."),
    "identical": (THROTTLED_IDENTICAL, "Too many identical requests; retry later."),
}


def merge_settings(base: dict, update: dict | bool | None) -> dict:
    """``base`` updated with a (partial) settings document; ``False`` disables, ``True`` enables."""
    merged, changes = start_merge(base, update, "throttling", DEFAULT_SETTINGS)
    for name, value in changes.items():
        fields = ("max", "window_seconds") if name == "identical" else ("rate", "burst")
        if not isinstance(value, dict) or set(value) - set(fields):
            raise ValueError(f"throttling.{name} takes {' and '.join(fields)}")
        for field, number in value.items():
            number = float(number)
            if number <= 0:
                raise ValueError(f"throttling.{name}.{field} must be > 0")
            merged[name][field] = int(number) if field == "max" else number
    return merged


class _Bucket:
    __slots__ = ("tokens", "updated")

    def __init__(self, burst: float, now: float) -> None:
        self.tokens = burst
        self.updated = now

    def refill(self, rate: float, burst: float, now: float) -> None:
        # max(0, ...): Simulator.reset() may move the clock back to wall time.
        self.tokens = min(burst, self.tokens + max(0.0, now - self.updated) * rate)
        self.updated = now


class Throttler:
    """Decides whether a call is throttled, and counts the refusals."""

    def __init__(self, settings: dict | bool | None = None) -> None:
        self._lock = threading.Lock()
        self._base = merge_settings(DEFAULT_SETTINGS, settings)
        self.settings = copy.deepcopy(self._base)
        self._clear_state()

    def _clear_state(self) -> None:
        self._buckets: dict[tuple, _Bucket] = {}
        self._identical: dict[tuple, collections.deque] = {}
        self._throttled = collections.Counter()
        self._by_account: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)

    def configure(self, update: dict | bool) -> dict:
        """Change settings (partial update); buckets keep their tokens."""
        with self._lock:
            self.settings = merge_settings(self.settings, update)
            return copy.deepcopy(self.settings)

    def reset(self) -> None:
        """Back to the settings the simulator started with; full buckets; zero counts."""
        with self._lock:
            self.settings = copy.deepcopy(self._base)
            self._clear_state()

    def check(self, account_id: str, action: str, body: bytes, now: float) -> None:
        """Raise the throttling ApiError this call gets, if any (and count it)."""
        with self._lock:
            if not self.settings["enabled"]:
                return
            kind = self._refusal(account_id, action, body, now)
            if kind is None:
                return
            self._throttled[kind] += 1
            self._by_account[account_id][kind] += 1
        error, details = _ERRORS[kind]
        raise ThrottledError(kind, error, details)

    def _refusal(self, account_id: str, action: str, body: bytes, now: float) -> str | None:
        keys = {"platform": ("platform",), "account": ("account", account_id), "action": ("action", account_id, action)}
        buckets = {}
        for name in BUCKETS:  # the platform first: its 503 wins over a 429
            rate, burst = self.settings[name]["rate"], self.settings[name]["burst"]
            bucket = self._buckets.get(keys[name])
            if bucket is None:
                bucket = self._buckets[keys[name]] = _Bucket(burst, now)
            bucket.refill(rate, burst, now)
            if bucket.tokens < 1.0:
                return name
            buckets[name] = bucket
        identical = self.settings["identical"]
        key = (account_id, action, hashlib.sha256(body).hexdigest())
        window = self._identical.setdefault(key, collections.deque())
        while window and window[0] <= now - identical["window_seconds"]:
            window.popleft()
        if len(window) >= identical["max"]:
            return "identical"
        window.append(now)
        for bucket in buckets.values():  # only a call that passes takes its tokens
            bucket.tokens -= 1.0
        if len(self._identical) > 10_000:  # forget idle windows now and then
            self._identical = {
                k: w for k, w in self._identical.items() if w and w[-1] > now - identical["window_seconds"]
            }
        return None

    def stats(self) -> dict:
        """Settings and throttled counts (total, per kind, per account)."""
        with self._lock:
            counts = {kind: self._throttled.get(kind, 0) for kind in (*BUCKETS, "identical")}
            return {
                "settings": copy.deepcopy(self.settings),
                "throttled": {"total": sum(counts.values()), **counts},
                "by_account": {account: dict(counter) for account, counter in self._by_account.items()},
            }


class ThrottledError(ApiError):
    """A natural throttling refusal; ``kind`` is platform, account, action or identical."""

    def __init__(self, kind: str, error, details: str) -> None:
        super().__init__(error, details)
        self.throttle_kind = kind
