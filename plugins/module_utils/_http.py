# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the outscale.cloud collection: not a public API, it may change in any release.
"""HTTP(S) POSTs through requests, with one kept-alive Session per thread.

requests does the TLS, proxy and connection work. This adapter only chooses
what the environment may decide (proxies and CA bundles yes, ~/.netrc no) and
sorts every failure into the one thing the caller must know: whether the
request may have reached the server.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import traceback
import warnings
from typing import Any, Dict, List, NamedTuple, Optional, Tuple, Union
from urllib.parse import urlsplit

try:
    import requests
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
    from urllib3.exceptions import (
        ConnectTimeoutError,
        InsecureRequestWarning,
        LocationParseError,
        MaxRetryError,
        NewConnectionError,
    )
    from urllib3.exceptions import HTTPError as Urllib3HTTPError
    from urllib3.exceptions import ProxyError as Urllib3ProxyError
    from urllib3.exceptions import ReadTimeoutError as Urllib3ReadTimeoutError
    from urllib3.util import parse_url
except ImportError:
    REQUESTS_IMPORT_ERROR: Optional[str] = traceback.format_exc()
else:
    REQUESTS_IMPORT_ERROR = None


class NotSent(Exception):
    """The request never left this machine (no connection, no TLS session)."""


class ConnectFailed(NotSent):
    """Refused, unresolvable or unreachable: ``cause`` is the innermost error; ``proxy`` the proxy tried, if any."""

    def __init__(self, cause: BaseException, proxy: Optional[str] = None) -> None:
        super().__init__(str(cause))
        self.cause = cause
        self.proxy = proxy


class ConnectTimedOut(NotSent):
    pass


class TlsFailed(NotSent):
    """The TLS handshake failed."""


class TlsFilesUnreadable(TlsFailed):
    """A CA bundle or client certificate file could not be found (the message names it)."""


class LostAfterSend(Exception):
    """The request may have reached the server, but no complete response came back; ``proxy`` the proxy used."""

    def __init__(self, message: str, proxy: Optional[str] = None) -> None:
        super().__init__(message)
        self.proxy = proxy


class ResponseTimedOut(LostAfterSend):
    pass


class ResponseTooLarge(LostAfterSend):
    """The answer is larger than any the API gives (MAX_RESPONSE_BYTES): not read further."""


# Far above the largest real answer (a page of 1,000 peerings or route tables is a few MB),
# so that a broken endpoint or a proxy's endless page cannot eat the managed host's memory.
MAX_RESPONSE_BYTES = 32 * 1024 * 1024
READ_CHUNK = 64 * 1024


class Response(NamedTuple):
    status: int
    headers: Any  # requests' CaseInsensitiveDict
    body: bytes


class HttpTransport:
    """POST to one endpoint. One requests.Session per thread (a Session is not thread-safe), all closed by close()."""

    def __init__(
        self,
        endpoint: str,
        validate_certs: bool = True,
        ca_bundle: Optional[str] = None,
        client_cert: Optional[Tuple[str, str]] = None,
    ) -> None:
        parts = urlsplit(endpoint)
        self.host = parts.hostname or ""
        self.port = parts.port or (443 if parts.scheme == "https" else 80)
        self.client_cert = client_cert
        # The task's choice is passed with every request, so REQUESTS_CA_BUNDLE cannot override it
        # (psf/requests#3829); the environment's bundle applies only when the task names none.
        self.verify: Union[bool, str] = True
        self.verify_source = "ca_bundle"
        if ca_bundle:
            self.verify = ca_bundle
        elif not validate_certs:
            self.verify = False
            # The task asked for it (validate_certs: false): no warning on every request.
            warnings.filterwarnings("ignore", category=InsecureRequestWarning)
        else:
            for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
                if os.environ.get(name):
                    self.verify, self.verify_source = os.environ[name], f"{name} in the environment"
                    break
        self._local = threading.local()
        self._lock = threading.Lock()
        self._sessions: List[Any] = []

    def post(
        self, url: str, body: bytes, headers: Dict[str, str], connect_timeout: float, read_timeout: float
    ) -> Response:
        """Send one POST and return its Response, or raise NotSent / LostAfterSend.

        ``read_timeout`` bounds the whole answer once the request is sent: status line, headers and
        body must all arrive within it (a timer shuts the socket down at that deadline), so a server
        that trickles its answer a byte at a time keeps a task at most about that long.
        """
        # trust_env is off (it would read ~/.netrc), so the environment's proxies are looked up here,
        # as requests itself does: HTTP(S)_PROXY, ALL_PROXY, NO_PROXY with host names and networks.
        proxies = requests.utils.get_environ_proxies(url)
        proxy = requests.utils.select_proxy(url, proxies)
        shown = _shown(proxy) if proxy else None
        call = _Call(read_timeout)
        _calls.current = call
        try:
            return self._post(url, body, headers, (connect_timeout, read_timeout), proxies, proxy, call)
        except (NotSent, LostAfterSend) as exc:
            if call.expired:  # the deadline shut the socket: whatever broke after it is the timeout
                raise ResponseTimedOut(f"no complete response within {read_timeout} s", shown) from None
            if call.sent and isinstance(exc, NotSent) and not _refused_client_cert(exc):
                # The request went out: whatever urllib3 calls the failure, the server may have it.
                raise LostAfterSend(f"{type(exc).__name__} after sending: {exc}", shown) from None
            raise
        finally:
            call.disarm()
            _calls.current = None

    def _post(
        self,
        url: str,
        body: bytes,
        headers: Dict[str, str],
        timeout: Tuple[float, float],
        proxies: Dict[str, str],
        proxy: Optional[str],
        call: _Call,
    ) -> Response:
        read_timeout = timeout[1]
        try:
            answer = self._session().post(
                url,
                data=body,
                headers=headers,
                timeout=timeout,
                verify=self.verify,
                cert=self.client_cert,
                proxies=proxies,
                allow_redirects=False,  # the signature covers the host and path
                stream=True,  # the body is read below, bounded in size and time
            )
        except requests.exceptions.ConnectTimeout:
            where = f"the proxy {_shown(proxy)}" if proxy else f"{self.host}:{self.port}"
            raise ConnectTimedOut(f"timed out connecting to {where}") from None
        except requests.exceptions.ReadTimeout as exc:
            raise ResponseTimedOut(str(exc)) from None
        except requests.exceptions.ConnectionError as exc:
            raise _classified(exc, proxy) from None
        except (requests.exceptions.InvalidURL, requests.exceptions.InvalidSchema) as exc:
            # Refused while preparing the request: a proxy URL requests cannot use (nothing was sent).
            raise ConnectFailed(_innermost(exc), _shown(proxy) if proxy else None) from None
        except requests.exceptions.RequestException as exc:
            # A broken answer (ChunkedEncodingError, ContentDecodingError) or any other: maybe sent.
            raise LostAfterSend(f"{type(exc).__name__}: {exc}", _shown(proxy) if proxy else None) from None
        except OSError:  # requests' own check that the TLS files exist
            raise TlsFilesUnreadable(self._missing_file()) from None
        try:
            body = _read_bounded(answer.raw, call.deadline or time.monotonic() + read_timeout, read_timeout)
        except Urllib3ReadTimeoutError:
            raise ResponseTimedOut(f"no complete response within {read_timeout} s") from None
        except (Urllib3HTTPError, OSError) as exc:
            raise LostAfterSend(
                f"{type(exc).__name__} while reading the response", _shown(proxy) if proxy else None
            ) from None
        finally:
            answer.close()
        return Response(answer.status_code, answer.headers, body)

    def close(self) -> None:
        with self._lock:
            sessions, self._sessions = self._sessions, []
        for session in sessions:
            session.close()

    def _session(self) -> Any:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.trust_env = False  # no ~/.netrc (it would replace the signature); proxies: see post()
            adapter = _TrackingAdapter()
            session.mount("https://", adapter)
            session.mount("http://", adapter)
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        return session

    def _missing_file(self) -> str:
        if isinstance(self.verify, str) and not os.path.exists(self.verify):
            return f"cannot load the CA bundle {self.verify} ({self.verify_source}): no such file or directory"
        cert, key = self.client_cert or ("", "")
        return f"cannot load x509_client_cert {cert} with x509_client_key {key}: no such file"


def _read_bounded(raw: Any, deadline: float, read_timeout: float) -> bytes:
    """The body, decoded, as long as it stays under MAX_RESPONSE_BYTES and the deadline."""
    read1 = getattr(raw, "read1", None)  # urllib3 2: returns what has arrived, never waits for a full chunk
    chunks: List[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise ResponseTimedOut(f"no complete response within {read_timeout} s")
        chunk = read1(READ_CHUNK, decode_content=True) if read1 else raw.read(READ_CHUNK, decode_content=True)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            raise ResponseTooLarge(f"the response is larger than {MAX_RESPONSE_BYTES // (1024 * 1024)} MiB")
        chunks.append(chunk)


def _classified(exc: Exception, proxy: Optional[str]) -> Exception:
    """Never sent (no connection, TLS handshake, proxy) or maybe received (lost after sending).

    post() then overrides "never sent" when its connection saw the request go out.
    """
    cause = exc.args[0] if exc.args else None
    shown = _shown(proxy) if proxy else None
    if isinstance(cause, Urllib3ReadTimeoutError):  # while reading the body: requests calls it a ConnectionError
        return ResponseTimedOut(str(exc), shown)
    if isinstance(exc, requests.exceptions.SSLError) and isinstance(cause, MaxRetryError):
        return TlsFailed(str(_innermost(cause.reason)))
    reason = cause.reason if isinstance(cause, MaxRetryError) else cause
    if isinstance(reason, Urllib3ProxyError):
        reason = reason.original_error
    if not proxy and isinstance(reason, NewConnectionError):
        return ConnectFailed(_innermost(reason))
    if proxy and _never_reached_proxy(reason):
        return ConnectFailed(_innermost(reason), shown)
    # A reset, a closed connection or a broken answer after the request went out. Through a proxy,
    # urllib3 calls a reset on a kept-alive connection "Unable to connect to proxy" (closing it
    # forgets it was connected): counted as maybe sent, the safe side.
    return LostAfterSend(f"{type(exc).__name__}: {exc}", shown)


def _never_reached_proxy(reason: Any) -> bool:
    """Whether a failure through a proxy happened before the request could leave: no connection to
    the proxy (refused, unresolvable, timed out), or the proxy refused the CONNECT tunnel."""
    if isinstance(reason, (NewConnectionError, ConnectTimeoutError)):
        return True
    return isinstance(reason, OSError) and "Tunnel connection failed" in str(reason)


def _refused_client_cert(exc: Exception) -> bool:
    """A TLS 1.3 server checks the client certificate after the client has sent its request, and answers
    with an alert before reading it: bad certificate or certificate required means nothing was done."""
    if not isinstance(exc, TlsFailed):
        return False
    text = str(exc).upper()
    return "BAD_CERTIFICATE" in text or "CERTIFICATE_REQUIRED" in text


class _Call:
    """What one post() saw on its connection: whether the request went out, and the answer's deadline."""

    def __init__(self, read_timeout: float) -> None:
        self.read_timeout = read_timeout
        self.requesting = False  # inside HTTPConnection.request (not the CONNECT of a proxy tunnel)
        self.sent = False  # some byte of the request may have left
        self.deadline: Optional[float] = None
        self.expired = False
        self._timer: Optional[threading.Timer] = None
        self._sock: Any = None

    def arm(self, sock: Any) -> None:
        """The request is out: the whole answer must come within read_timeout from now."""
        self.deadline = time.monotonic() + self.read_timeout
        self._sock = sock
        self._timer = threading.Timer(self.read_timeout, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()

    def _expire(self) -> None:
        # Shut the socket down through a duplicate of its descriptor: the reading thread then sees an
        # end of stream at once, and the TLS object it uses is left alone (not thread-safe).
        self.expired = True
        try:
            with socket.socket(fileno=os.dup(self._sock.fileno())) as duplicate:
                duplicate.shutdown(socket.SHUT_RDWR)
        except (OSError, AttributeError, ValueError):  # already closed
            pass


_calls = threading.local()


class _TrackingConnection:
    """Mixed into urllib3's connections: marks the current _Call sent, and arms its deadline."""

    sock: Any

    def request(self, *args: Any, **kwargs: Any) -> None:
        call = getattr(_calls, "current", None)
        if call is None:
            super().request(*args, **kwargs)  # type: ignore[misc]
            return
        call.requesting = True
        try:
            super().request(*args, **kwargs)  # type: ignore[misc]
        finally:
            call.requesting = False
        call.arm(self.sock)

    def send(self, data: Any) -> None:
        call = getattr(_calls, "current", None)
        if call is not None and call.requesting:
            if self.sock is None:  # plain HTTP connects on its first send: a failure there sent nothing
                self.connect()  # type: ignore[attr-defined]
            call.sent = True
        super().send(data)  # type: ignore[misc]


if REQUESTS_IMPORT_ERROR is None:

    class _HttpConnection(_TrackingConnection, HTTPConnection):
        pass

    class _HttpsConnection(_TrackingConnection, HTTPSConnection):
        pass

    class _HttpPool(HTTPConnectionPool):
        ConnectionCls = _HttpConnection

    class _HttpsPool(HTTPSConnectionPool):
        ConnectionCls = _HttpsConnection

    class _TrackingAdapter(requests.adapters.HTTPAdapter):
        """requests' adapter, with connections that tell post() whether the request went out."""

        def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
            super().init_poolmanager(*args, **kwargs)
            self.poolmanager.pool_classes_by_scheme = {"http": _HttpPool, "https": _HttpsPool}

        def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
            manager = super().proxy_manager_for(proxy, **kwargs)
            if not proxy.lower().startswith("socks"):  # SOCKS has its own pools
                manager.pool_classes_by_scheme = {"http": _HttpPool, "https": _HttpsPool}
            return manager


def _innermost(exc: BaseException) -> BaseException:
    """The root cause (the OSError or ssl error) under urllib3's and requests' wrappers."""
    seen = set()
    while id(exc) not in seen:
        seen.add(id(exc))
        candidates = [getattr(exc, "reason", None), exc.__cause__, *exc.args]
        inner = next((item for item in candidates if isinstance(item, BaseException)), None)
        if inner is None:
            break
        exc = inner
    return exc


def _shown(proxy: str) -> str:
    """A proxy URL for messages: scheme://host:port, never any part of the user or password.

    Not urlsplit: a password holding "#", "/" or "?" ends its host part early, and would show.
    """
    scheme, rest = proxy.split("://", 1) if "://" in proxy else ("http", proxy)
    host = rest.rsplit("@", 1)[-1].split("/", 1)[0]
    return f"{scheme or 'http'}://{host}"


def check_proxy(endpoint: str) -> Optional[str]:
    """What is wrong with the proxy the environment sets for ``endpoint`` (None: none, or a usable one).

    Checked once, before any call: a malformed proxy is a setting to fix, not a connection to retry.
    """
    proxy = requests.utils.select_proxy(endpoint, requests.utils.get_environ_proxies(endpoint))
    if not proxy:
        return None
    usage = (
        "use http://HOST:PORT, with user:password@ if the proxy needs it (percent-encode #, / and ? in them: "
        "%23, %2F, %3F), or add the endpoint's host to NO_PROXY"
    )
    if any(ord(char) <= 0x20 or ord(char) == 0x7F for char in proxy):
        return f"the proxy {_shown(proxy)} from the environment contains a space or a control character: {usage}."
    try:
        parts = parse_url(proxy)
    except LocationParseError:
        parts = None
    if parts is None or not parts.host:
        return f"the proxy {_shown(proxy)} from the environment is not a valid URL: {usage}."
    return None
