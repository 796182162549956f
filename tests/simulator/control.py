"""The /_sim/ control endpoints: JSON in and out, no authentication, never logged.

Each route calls the Simulator method of the same job, so HTTP and Python users get
the same behaviour.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import parse_qs

if TYPE_CHECKING:  # pragma: no cover - typing only
    from .server import Simulator


def _seconds(payload: dict) -> float:
    if "seconds" not in payload:
        raise ValueError("'seconds' is required")
    return float(payload["seconds"])


def _fault_args(payload: dict) -> dict:
    allowed = {"action", "kind", "count", "ratio", "seconds", "code", "account_id", "seed"}
    unknown = set(payload) - allowed
    if unknown:
        raise ValueError(f"unknown fault fields: {', '.join(sorted(unknown))}")
    return payload


class Control:
    """One method per endpoint; each takes the JSON payload (merged with query parameters)."""

    ROUTES = {
        ("GET", "/_sim/health"): "health",
        ("GET", "/_sim/clock"): "clock",
        ("POST", "/_sim/clock/advance"): "clock_advance",
        ("POST", "/_sim/clock/skew"): "clock_skew",
        ("POST", "/_sim/faults"): "add_fault",
        ("GET", "/_sim/faults"): "faults",
        ("POST", "/_sim/faults/clear"): "clear_faults",
        ("POST", "/_sim/accept_delay"): "accept_delay",
        ("POST", "/_sim/quota"): "quota",
        ("GET", "/_sim/log"): "log",
        ("POST", "/_sim/log/clear"): "clear_log",
        # Read and clear at once: a test's "calls since the last step" in one request
        # (a GET, so Ansible's url lookup can use it).
        ("GET", "/_sim/log/take"): "take_log",
        ("GET", "/_sim/counts"): "counts",
        ("POST", "/_sim/reset"): "reset",
        ("POST", "/_sim/save"): "save",
        ("POST", "/_sim/load"): "load",
        ("POST", "/_sim/bulk_peerings"): "bulk_peerings",
        ("POST", "/_sim/route_tables"): "add_route_table",
        ("GET", "/_sim/route_tables"): "route_tables",
        ("POST", "/_sim/routes"): "add_route",
        ("GET", "/_sim/accounts"): "accounts",
        ("GET", "/_sim/state"): "state",
        ("GET", "/_sim/throttling"): "throttling",
        ("POST", "/_sim/throttling"): "configure_throttling",
        ("GET", "/_sim/auth_lockout"): "auth_lockout",
        ("POST", "/_sim/auth_lockout"): "configure_auth_lockout",
    }

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim

    def health(self, _payload: dict) -> dict:
        return {"ok": True, "url": self.sim.url}

    def clock(self, _payload: dict) -> dict:
        return self.sim.clock.describe()

    def clock_advance(self, payload: dict) -> dict:
        self.sim.advance_clock(_seconds(payload))
        return self.sim.clock.describe()

    def clock_skew(self, payload: dict) -> dict:
        self.sim.set_signing_skew(_seconds(payload))
        return self.sim.clock.describe()

    def add_fault(self, payload: dict) -> dict:
        return self.sim.add_fault(**_fault_args(payload))

    def faults(self, _payload: dict) -> dict:
        return {"faults": self.sim.faults.active()}

    def clear_faults(self, _payload: dict) -> dict:
        self.sim.clear_faults()
        return {}

    def accept_delay(self, payload: dict) -> dict:
        self.sim.set_accept_delay(_seconds(payload))
        return {"seconds": _seconds(payload)}

    def quota(self, payload: dict) -> dict:
        self.sim.set_quota(payload["account_id"], payload.get("max_live_peerings"))
        return {}

    def log(self, _payload: dict) -> dict:
        return {"calls": self.sim.log()}

    def clear_log(self, _payload: dict) -> dict:
        self.sim.clear_log()
        return {}

    def take_log(self, _payload: dict) -> dict:
        return {"calls": self.sim.take_log()}

    def counts(self, payload: dict) -> dict:
        # {"counts": {action: n}}, or {"counts": n} with ?action=...; ?throttled=false
        # leaves out calls refused by natural throttling or the lockout.
        include = str(payload.get("throttled", "true")).lower() not in ("false", "0", "no")
        return {
            "counts": self.sim.call_counts(
                action=payload.get("action"), account_id=payload.get("account_id"), include_throttled=include
            )
        }

    def reset(self, _payload: dict) -> dict:
        self.sim.reset()
        return {}

    def save(self, payload: dict) -> dict:
        self.sim.save(payload["path"])
        return {"path": payload["path"]}

    def load(self, payload: dict) -> dict:
        self.sim.load(payload["path"])
        return {"path": payload["path"]}

    def bulk_peerings(self, payload: dict) -> dict:
        ids = self.sim.bulk_peerings(payload["account_id"], int(payload["count"]), payload.get("state", "active"))
        return {"count": len(ids), "net_peering_ids": ids}

    def add_route_table(self, payload: dict) -> dict:
        entry = {key: value for key, value in payload.items() if key != "net_id"}
        return {"route_table": self.sim.add_route_table(payload["net_id"], **entry)}

    def route_tables(self, payload: dict) -> dict:
        return {"route_tables": self.sim.route_tables(payload.get("net_id"), payload.get("account_id"))}

    def add_route(self, payload: dict) -> dict:
        route = {key: value for key, value in payload.items() if key != "route_table_id"}
        return {"route_table": self.sim.add_route(payload["route_table_id"], **route)}

    def accounts(self, _payload: dict) -> dict:
        return {"accounts": self.sim.accounts}

    def state(self, _payload: dict) -> dict:
        return self.sim.store.snapshot()

    def throttling(self, _payload: dict) -> dict:
        return self.sim.throttling_stats()

    def configure_throttling(self, payload: dict) -> dict:
        self.sim.configure_throttling(payload)
        return self.sim.throttling_stats()

    def auth_lockout(self, _payload: dict) -> dict:
        return self.sim.auth_lockout_stats()

    def configure_auth_lockout(self, payload: dict) -> dict:
        self.sim.configure_auth_lockout(payload)
        return self.sim.auth_lockout_stats()


def dispatch(sim: Simulator, method: str, path: str, query: str, payload: object) -> tuple[int, dict]:
    """(HTTP status, JSON body) of a control call."""
    name = Control.ROUTES.get((method, path))
    if name is None:
        return 404, {"error": f"no control endpoint {method} {path}"}
    if not isinstance(payload, dict):
        return 400, {"error": "the body must be a JSON object"}
    params = {key: values[-1] for key, values in parse_qs(query).items()}
    try:
        return 200, getattr(Control(sim), name)({**params, **payload})
    except KeyError as missing:
        return 400, {"error": f"missing or unknown field: {missing}"}
    except (TypeError, ValueError, OSError) as problem:
        return 400, {"error": str(problem)}
