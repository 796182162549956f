# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A scriptable HTTP(S) server on 127.0.0.1 for testing the API client over real sockets.

Each POST takes the next scripted Reply from a queue (or builds one from a
callable given the request) and records what arrived: path, headers, body and
which TCP connection carried it. A Reply can answer, wait first, or close the
connection without answering. Nothing here imports the code under test.
"""

import collections
import json
import socket
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Reply:
    """One scripted answer.

    ``body`` may be a dict/list (sent as JSON), str or bytes. ``delay`` waits
    before acting (released early when the server stops). ``close`` drops the
    connection after the request was read, without writing a byte.
    """

    def __init__(self, status=200, body=None, headers=None, content_type=None, delay=0.0, close=False):
        self.status = status
        self.body = body
        self.headers = dict(headers or {})
        self.content_type = content_type
        self.delay = delay
        self.close = close

    def encoded(self):
        body, content_type = self.body, self.content_type
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
            content_type = content_type or "application/json"
        if body is None:
            body = b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        return body, content_type or "application/json"


def ok(body=None, **kwargs):
    body = {"ResponseContext": {"RequestId": "req-ok"}} if body is None else body
    return Reply(200, body, **kwargs)


def osc_error(status, code, error_type="InvalidParameterValue", details="", request_id="req-0000"):
    """An error body shaped like the Outscale gateway's."""
    return Reply(
        status,
        {
            "Errors": [{"Code": str(code), "Type": error_type, "Details": details}],
            "ResponseContext": {"RequestId": request_id},
        },
    )


def drop(delay=0.0):
    """Read the request, then close the connection without answering."""
    return Reply(close=True, delay=delay)


def stall(seconds, then=None):
    """Wait ``seconds`` before answering (``then``), or before dropping the connection."""
    reply = then or Reply(close=True)
    reply.delay = seconds
    return reply


class Received:
    """What one request carried."""

    def __init__(self, method, path, headers, body, connection):
        self.method = method
        self.path = path
        self.headers = headers  # a dict with lower-cased names
        self.body = body
        self.connection = connection

    @property
    def text(self):
        return self.body.decode("utf-8")

    @property
    def json(self):
        return json.loads(self.text)

    @property
    def action(self):
        return self.path.rsplit("/", 1)[-1]


class _Handler(BaseHTTPRequestHandler):
    # HTTP/1.1 so a client can keep one connection alive across calls.
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; without this, Nagle plus delayed ACKs add 40 ms per reply.
    disable_nagle_algorithm = True
    # Idle keep-alive connections do not keep a thread forever.
    timeout = 10

    def setup(self):
        BaseHTTPRequestHandler.setup(self)
        self.connection_id = self.server.script.connection_opened(self.connection)

    def finish(self):
        BaseHTTPRequestHandler.finish(self)
        self.server.script.connection_closed()

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        pass

    def do_POST(self):
        self._serve()

    def do_GET(self):
        self._serve()

    def _serve(self):
        script = self.server.script
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        received = Received(
            self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body, self.connection_id
        )
        reply = script.record_and_next(received)
        if reply.delay:
            script.stopping.wait(reply.delay)
        if reply.close:
            self.close_connection = True
            return
        data, content_type = reply.encoded()
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
        except OSError:  # the client gave up (read timeout) before we answered
            self.close_connection = True


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, script, tls_context, port):
        self.script = script
        self.tls_context = tls_context
        ThreadingHTTPServer.__init__(self, ("127.0.0.1", port), _Handler)

    def finish_request(self, request, client_address):
        # The TLS handshake runs in the connection's own thread, so a client that
        # rejects our certificate cannot block the accept loop.
        if self.tls_context is None:
            return ThreadingHTTPServer.finish_request(self, request, client_address)
        try:
            request.settimeout(10)
            tls = self.tls_context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError) as exc:
            self.script.handshake_failures.append(repr(exc))
            self.script.connection_opened(None)
            return None
        try:
            return ThreadingHTTPServer.finish_request(self, tls, client_address)
        finally:
            tls.close()

    def handle_error(self, request, client_address):
        pass  # a client hanging up mid-answer is expected in these tests


class ScriptedServer:
    """Serve scripted replies on 127.0.0.1; use as a context manager or start()/stop()."""

    def __init__(self, tls_context=None, default=None, port=0):
        self.replies = collections.deque()
        self.default = default
        self.received = []
        self.connections = 0
        self.connections_closed = 0  # by either side: counted when the handler ends
        self.handshake_failures = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._sockets = []
        self._server = _Server(self, tls_context, port)
        self._thread = None
        scheme = "https" if tls_context is not None else "http"
        self.port = self._server.server_address[1]
        self.url = f"{scheme}://127.0.0.1:{self.port}"
        self.endpoint = self.url + "/api/v1"

    # -- scripting ----------------------------------------------------------

    def push(self, *replies):
        """Queue replies (Reply objects, or callables taking a Received and returning a Reply)."""
        with self._lock:
            self.replies.extend(replies)
        return self

    def record_and_next(self, received):
        with self._lock:
            self.received.append(received)
            if self.replies:
                reply = self.replies.popleft()
            else:
                reply = self.default or osc_error(500, "0", "TestScriptExhausted", "no scripted reply left")
        return reply(received) if callable(reply) else reply

    def connection_opened(self, sock):
        with self._lock:
            self.connections += 1
            if sock is not None:
                self._sockets.append(sock)
            return self.connections

    def connection_closed(self):
        with self._lock:
            self.connections_closed += 1

    def wait_closed(self, count, timeout=5.0):
        """True once ``count`` connections have ended (the handlers see a client's close a little later)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.connections_closed >= count:
                return True
            time.sleep(0.01)
        return False

    def actions(self):
        return [item.action for item in self.received]

    # -- lifecycle ----------------------------------------------------------

    def start(self):
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.01})
        self._thread.daemon = True
        self._thread.start()
        return self

    def stop(self):
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self.stop_connections()
        self._thread.join(5)

    def stop_connections(self):
        """Close every open connection from the server's side (a keep-alive timeout, a restart)."""
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        time.sleep(0.05)  # let the handler threads see it and close

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()


def unused_port():
    """A port on 127.0.0.1 with nothing listening (bound, then released)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


class ConnectProxy:
    """An HTTP proxy on 127.0.0.1 that only tunnels (CONNECT) to 127.0.0.1, and records each CONNECT.

    Enough to prove a client goes through HTTPS_PROXY: it never contacts any other address.
    """

    def __init__(self, answer=None):
        """``answer``: bytes to send back instead of tunnelling (a proxy that refuses, or speaks garbage)."""
        self.answer = answer
        self._open_sockets = []
        self.requests = []  # (request line, {header: value})
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._threads = []
        self._stopping = threading.Event()

    def __enter__(self):
        thread = threading.Thread(target=self._accept, daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def __exit__(self, *exc_info):
        self._stopping.set()
        self._listener.close()
        for sock in list(self._open_sockets):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        for thread in self._threads:
            thread.join(5)

    def _accept(self):
        while not self._stopping.is_set():
            try:
                client, _address = self._listener.accept()
            except OSError:
                return
            thread = threading.Thread(target=self._tunnel, args=(client,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _tunnel(self, client):
        self._open_sockets.append(client)
        with client:
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = client.recv(4096)
                if not chunk:
                    return
                head += chunk
            lines = head.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
            headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
            self.requests.append((lines[0], headers))
            if self.answer is not None:
                client.sendall(self.answer)
                return
            method, target, _version = lines[0].split(" ", 2)
            host, port = target.rsplit(":", 1)
            if method != "CONNECT" or host != "127.0.0.1":
                client.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
                return
            with socket.create_connection((host, int(port)), timeout=10) as upstream:
                self._open_sockets.append(upstream)
                client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
                self._pipe(client, upstream)

    def _pipe(self, one, other):
        import selectors

        with selectors.DefaultSelector() as selector:
            selector.register(one, selectors.EVENT_READ, other)
            selector.register(other, selectors.EVENT_READ, one)
            while not self._stopping.is_set():
                for key, _events in selector.select(timeout=0.2):
                    try:
                        data = key.fileobj.recv(65536)
                        if not data:
                            return
                        key.data.sendall(data)
                    except OSError:  # either side hung up
                        return
