# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Issue 19, defect 2: a proxy that passes a write on, then answers with its own 503 page.

A small reverse proxy on 127.0.0.1 forwards every call to the simulator and, for the
first CreateNetPeering and the first AcceptNetPeering, throws the simulator's answer
away and sends a 503 HTML page instead. Only the platform's throttling (503 Code 6,
429 Codes 24/25) means "not done": the task must read back, adopt what its writes did,
and report it truthfully, never sending a write twice.
"""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bench import harness as h
from rel_common import defaults_for, item_results, nets, sim_clean, two_accounts

PAGE = b"<html><body><h1>503 Service Unavailable</h1>The upstream is busy.</body></html>"


class LyingProxy:
    """Forwards to ``upstream``; the first call of each action in ``lie_to`` gets a 503 page after it was done."""

    def __init__(self, upstream, lie_to):
        self.upstream, self.pending = upstream.rstrip("/"), set(lie_to)
        self.lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                action = self.path.rsplit("/", 1)[-1]
                # Sent on as received, Host included: the signature covers it.
                request = urllib.request.Request(
                    proxy.upstream + self.path[len("/api/v1") :], data=body, headers=dict(self.headers), method="POST"
                )
                try:
                    with urllib.request.urlopen(request, timeout=30) as answer:
                        status, payload, kind = answer.status, answer.read(), answer.headers.get("Content-Type")
                except urllib.error.HTTPError as error:
                    status, payload, kind = error.code, error.read(), error.headers.get("Content-Type")
                with proxy.lock:
                    lie = action in proxy.pending
                    proxy.pending.discard(action)
                if lie:
                    status, payload, kind = 503, PAGE, "text/html"
                self.send_response(status)
                self.send_header("Content-Type", kind or "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def test_writes_answered_by_a_proxy_503_page_are_read_back_not_sent_twice(suite):
    net_list = nets("3e", 2, 140)
    a0, a1 = [net[0] for net in net_list]
    with h.Sim(two_accounts(net_list, []), validate_responses=True) as sim:
        with LyingProxy(sim.url, {"CreateNetPeering", "AcceptNetPeering"}) as proxy:
            task = {
                "name": "create and accept through a lying proxy",
                "outscale.cloud.net_peering": {"source_net_id": a0, "accepter_net_id": a1, "state": "accepted"},
            }
            defaults = defaults_for(sim)
            defaults["group/outscale.cloud.all"]["endpoint"] = proxy.url
            run = suite.run([h.play([task], defaults=defaults)])
        assert run.rc == 0, run.tail(40)
        assert not run.secrets and not run.tracebacks(), run.tail()
        status, result = item_results(run)[0][2:]
        assert status == "ok" and result["changed"] is True, result
        calls = [call["action"] for call in sim.log()]
        assert calls.count("CreateNetPeering") == 1 and calls.count("AcceptNetPeering") == 1, calls
        live = [p for p in sim.peerings() if h.live(p)]
        assert len(live) == 1 and live[0]["state"] == "active", live
        assert not sim_clean(sim)
