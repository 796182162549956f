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
import threading
import traceback
import warnings
from typing import Any, Dict, List, NamedTuple, Optional, Tuple, Union
from urllib.parse import urlsplit

try:
    import requests
    from urllib3.exceptions import InsecureRequestWarning, MaxRetryError, NewConnectionError
    from urllib3.exceptions import ProxyError as Urllib3ProxyError
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
        """Send one POST and return its Response, or raise NotSent / LostAfterSend."""
        # trust_env is off (it would read ~/.netrc), so the environment's proxies are looked up here,
        # as requests itself does: HTTP(S)_PROXY, ALL_PROXY, NO_PROXY with host names and networks.
        proxies = requests.utils.get_environ_proxies(url)
        proxy = requests.utils.select_proxy(url, proxies)
        try:
            answer = self._session().post(
                url,
                data=body,
                headers=headers,
                timeout=(connect_timeout, read_timeout),
                verify=self.verify,
                cert=self.client_cert,
                proxies=proxies,
                allow_redirects=False,  # the signature covers the host and path
            )
        except requests.exceptions.ConnectTimeout:
            where = f"the proxy {_shown(proxy)}" if proxy else f"{self.host}:{self.port}"
            raise ConnectTimedOut(f"timed out connecting to {where}") from None
        except requests.exceptions.ReadTimeout as exc:
            raise ResponseTimedOut(str(exc)) from None
        except requests.exceptions.ConnectionError as exc:
            raise _classified(exc, proxy) from None
        except requests.exceptions.RequestException as exc:  # a proxy URL requests cannot use, and the like
            raise ConnectFailed(_innermost(exc), _shown(proxy) if proxy else None) from None
        except OSError:  # requests' own check that the TLS files exist
            raise TlsFilesUnreadable(self._missing_file()) from None
        return Response(answer.status_code, answer.headers, answer.content)

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
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        return session

    def _missing_file(self) -> str:
        if isinstance(self.verify, str) and not os.path.exists(self.verify):
            return f"cannot load the CA bundle {self.verify} ({self.verify_source}): no such file or directory"
        cert, key = self.client_cert or ("", "")
        return f"cannot load x509_client_cert {cert} with x509_client_key {key}: no such file"


def _classified(exc: Exception, proxy: Optional[str]) -> Exception:
    """Never sent (no connection, TLS handshake, proxy) or maybe received (lost after sending)."""
    cause = exc.args[0] if exc.args else None
    if isinstance(cause, MaxRetryError):  # urllib3 gives up this way only before sending: no retry is configured
        reason = cause.reason
        if isinstance(exc, requests.exceptions.SSLError):
            return TlsFailed(str(_innermost(reason)))
        shown = _shown(proxy) if proxy and isinstance(reason, Urllib3ProxyError) else None
        if isinstance(reason, (NewConnectionError, Urllib3ProxyError)) or shown:
            return ConnectFailed(_innermost(reason), shown)
    if isinstance(exc, requests.exceptions.ProxyError):
        return ConnectFailed(_innermost(exc), _shown(proxy) if proxy else None)
    # A reset, a closed connection or a broken answer after the request went out. Through a proxy,
    # a garbled answer to CONNECT looks the same to urllib3: counted as maybe sent, the safe side.
    return LostAfterSend(f"{type(exc).__name__}: {exc}", _shown(proxy) if proxy else None)


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
    """A proxy URL for messages: scheme://host:port, never the user or password."""
    parts = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}"
