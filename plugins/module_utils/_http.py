# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the outscale.cloud collection: not a public API, it may change in any release.
"""HTTP(S) POSTs on the standard library's http.client, with kept-alive connections.

Why not requests: importing it costs a module process more than everything
else this collection does on a no-op run (measured in docs/performance.md), and
a client that only POSTs JSON to one endpoint needs little of it. What it did
for us is kept here: verified TLS (certifi's bundle too when installed, or
REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE), client certificates, HTTP(S)_PROXY and
NO_PROXY from the environment, separate connect and read timeouts, no redirect
followed, and no ~/.netrc.

Every failure is raised as one of the exceptions below, which tell the caller
the one thing it must know: whether the request may have reached the server.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import os
import select
import socket
import ssl
import threading
from typing import Any, Dict, Iterator, List, NamedTuple, Optional, Tuple
from urllib.parse import unquote, urlsplit


class NotSent(Exception):
    """The request never left this machine (no connection, no TLS session)."""


class ConnectFailed(NotSent):
    """Refused, unresolvable or unreachable: ``cause`` is the OSError; ``proxy`` the proxy tried, if any."""

    def __init__(self, cause: BaseException, proxy: Optional[str] = None) -> None:
        super().__init__(str(cause))
        self.cause = cause
        self.proxy = proxy


class ConnectTimedOut(NotSent):
    pass


class TlsFailed(NotSent):
    """The TLS handshake (or loading the TLS files) failed."""


class TlsFilesUnreadable(TlsFailed):
    """A CA bundle or client certificate file could not be loaded (the message names it)."""


class LostAfterSend(Exception):
    """The request may have reached the server, but no complete response came back."""


class ResponseTimedOut(LostAfterSend):
    pass


class Response(NamedTuple):
    status: int
    headers: Any  # http.client.HTTPMessage: get() ignores case
    body: bytes


class _HTTPConnection(http.client.HTTPConnection):
    absolute_target = False
    extra_headers: Dict[str, str] = {}
    auto_open = 0  # never reconnect behind our back: every connection is opened, and classified, by _open


class _HTTPSConnection(http.client.HTTPSConnection):
    absolute_target = False
    extra_headers: Dict[str, str] = {}
    auto_open = 0


class _Proxy(NamedTuple):
    host: str
    port: int
    headers: Dict[str, str]  # Proxy-Authorization, when the URL has a user
    shown: str  # for messages: scheme://host:port, never the password


def _proxy_for(scheme: str, host: str) -> Optional[_Proxy]:
    """The proxy the environment sets for this scheme and host, as requests would use it."""
    if not any(name.lower().endswith("_proxy") for name in os.environ):
        return None  # the common case, without importing urllib.request
    import urllib.request  # pylint: disable=import-outside-toplevel

    proxies = urllib.request.getproxies_environment()
    if not proxies or urllib.request.proxy_bypass_environment(host, proxies) or _in_no_proxy_network(host, proxies):
        return None
    url = proxies.get(scheme) or proxies.get("all")
    return _parse_proxy(url) if url else None


def _in_no_proxy_network(host: str, proxies: Dict[str, str]) -> bool:
    """NO_PROXY entries such as 10.0.0.0/8, which urllib does not match and requests does."""
    import ipaddress  # pylint: disable=import-outside-toplevel

    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    for entry in proxies.get("no", "").split(","):
        try:
            if "/" in entry and address in ipaddress.ip_network(entry.strip(), strict=False):
                return True
        except ValueError:
            continue
    return False


def _parse_proxy(url: str) -> _Proxy:
    parts = urlsplit(url if "://" in url else f"http://{url}")
    shown = "{}://{}".format(parts.scheme, parts.netloc.rsplit("@", 1)[-1])

    def unusable(reason):
        return ConnectFailed(ValueError(reason), shown)

    if parts.scheme != "http":
        raise unusable(
            f"{parts.scheme}:// proxies are not supported: use http://HOST:PORT (a proxy accepts CONNECT over plain "
            "HTTP for https:// endpoints)"
        )
    try:
        port = parts.port or 80
    except ValueError:
        raise unusable("its port is not a number from 1 to 65535") from None
    if not parts.hostname:
        raise unusable("it has no host name")
    headers = {}
    if parts.username is not None:
        pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
        headers["Proxy-Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
    return _Proxy(parts.hostname, port, headers, shown)


class HttpTransport:
    """POST to one endpoint. One kept-alive connection per thread, all closed by close()."""

    def __init__(
        self,
        endpoint: str,
        validate_certs: bool = True,
        ca_bundle: Optional[str] = None,
        client_cert: Optional[Tuple[str, str]] = None,
    ) -> None:
        parts = urlsplit(endpoint)
        self.scheme = parts.scheme
        self.host = parts.hostname or ""
        self.port = parts.port or (443 if self.scheme == "https" else 80)
        self.validate_certs = validate_certs or bool(ca_bundle)
        self.ca_bundle = ca_bundle
        self.client_cert = client_cert
        self._context: Optional[ssl.SSLContext] = None
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: List[http.client.HTTPConnection] = []
        self.connections_opened = 0

    # -- public -----------------------------------------------------------

    def post(self, url: str, body: bytes, headers: Dict[str, str], connect_timeout: float, read_timeout: float):
        """Send one POST and return its Response, or raise NotSent / LostAfterSend."""
        connection, target = self._connection(url, connect_timeout)
        try:
            connection.sock.settimeout(read_timeout)
            connection.request("POST", target, body=body, headers=dict(headers, **connection.extra_headers))
            response = connection.getresponse()
            data = response.read()
        except (socket.timeout, TimeoutError) as exc:
            self._drop(connection)
            raise ResponseTimedOut(str(exc)) from None
        except (OSError, http.client.HTTPException) as exc:
            self._drop(connection)
            raise LostAfterSend(f"{type(exc).__name__}: {exc}") from None
        if response.will_close:
            self._drop(connection)
        return Response(response.status, response.headers, data)

    def close(self) -> None:
        with self._lock:
            connections, self._all = self._all, []
        for connection in connections:
            connection.close()

    # -- connections ------------------------------------------------------

    def _connection(self, url: str, connect_timeout: float):
        """This thread's connection, (re)opened when missing or closed by the server; and the request target."""
        connection = getattr(self._local, "connection", None)
        if connection is not None and (connection.sock is None or _dropped(connection.sock)):
            self._drop(connection)
            connection = None
        if connection is None:
            connection = self._open(connect_timeout)
        return connection, url if connection.absolute_target else _path_of(url)

    def _open(self, connect_timeout: float) -> http.client.HTTPConnection:
        proxy = _proxy_for(self.scheme, self.host)
        host, port = (proxy.host, proxy.port) if proxy else (self.host, self.port)
        if self.scheme == "https":
            connection = _HTTPSConnection(host, port, timeout=connect_timeout, context=self._tls_context())
            if proxy:  # CONNECT through the proxy, then TLS with the endpoint itself
                connection.set_tunnel(self.host, self.port, headers=proxy.headers)
        else:
            connection = _HTTPConnection(host, port, timeout=connect_timeout)
            if proxy:  # a plain-HTTP proxy gets the whole URL on the request line
                connection.absolute_target = True
                connection.extra_headers = proxy.headers
        shown_proxy = proxy.shown if proxy else None
        try:
            connection.connect()
        except ssl.SSLError as exc:
            connection.close()
            raise TlsFailed(str(exc)) from None
        except (socket.timeout, TimeoutError):
            connection.close()
            where = f"the proxy {shown_proxy}" if proxy else f"{self.host}:{self.port}"
            raise ConnectTimedOut(f"timed out connecting to {where}") from None
        except (OSError, ValueError) as exc:  # ValueError: a host name that cannot be encoded (idna)
            connection.close()
            raise ConnectFailed(exc, shown_proxy) from None
        except http.client.HTTPException as exc:  # only the proxy's answer to CONNECT can be read here
            connection.close()
            raise ConnectFailed(
                OSError(f"its answer to CONNECT is not HTTP ({type(exc).__name__})"), shown_proxy
            ) from None
        self._local.connection = connection
        with self._lock:
            self._all.append(connection)
            self.connections_opened += 1
        return connection

    def _drop(self, connection: http.client.HTTPConnection) -> None:
        connection.close()
        if getattr(self._local, "connection", None) is connection:
            self._local.connection = None
        with self._lock:
            if connection in self._all:
                self._all.remove(connection)

    def _tls_context(self) -> ssl.SSLContext:
        if self._context is None:
            self._context = self._make_tls_context()
        return self._context

    def _make_tls_context(self) -> ssl.SSLContext:
        if not self.validate_certs:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        else:
            # Like requests: an explicit bundle, else REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE, else certifi's
            # bundle; unlike it, also the system's CAs when no bundle is named (company CAs live there).
            named = [
                (value, source)
                for value, source in (
                    (self.ca_bundle, "ca_bundle"),
                    (os.environ.get("REQUESTS_CA_BUNDLE"), "REQUESTS_CA_BUNDLE in the environment"),
                    (os.environ.get("CURL_CA_BUNDLE"), "CURL_CA_BUNDLE in the environment"),
                )
                if value
            ]
            if named:
                bundle, source = named[0]
                is_dir = os.path.isdir(bundle)
                with _loading(f"the CA bundle {bundle} ({source})"):
                    context = ssl.create_default_context(
                        cafile=None if is_dir else bundle, capath=bundle if is_dir else None
                    )
            else:
                context = ssl.create_default_context()
                certifi_bundle = _certifi_bundle()
                if certifi_bundle:
                    with _loading(f"certifi's CA bundle {certifi_bundle}"):
                        context.load_verify_locations(cafile=certifi_bundle)
        if self.client_cert:
            with _loading("x509_client_cert {} with x509_client_key {}".format(*self.client_cert)):
                context.load_cert_chain(*self.client_cert)
        return context


@contextlib.contextmanager
def _loading(what: str) -> Iterator[None]:
    """Turn a failure to read a TLS file into TlsFailed naming the file and where it came from."""
    try:
        yield
    except (OSError, ssl.SSLError) as exc:
        raise TlsFilesUnreadable(f"cannot load {what}: {exc}") from None


def _certifi_bundle() -> Optional[str]:
    try:
        import certifi  # pylint: disable=import-outside-toplevel
    except ImportError:
        return None
    return certifi.where()


def _path_of(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _dropped(sock: socket.socket) -> bool:
    """True when an idle kept-alive socket was closed by the server (it reads as ready, with EOF)."""
    try:
        if hasattr(select, "poll"):  # select() cannot take descriptors above 1023
            poller = select.poll()
            poller.register(sock, select.POLLIN)
            return bool(poller.poll(0))
        return bool(select.select([sock], [], [], 0)[0])
    except (OSError, ValueError):
        return True
