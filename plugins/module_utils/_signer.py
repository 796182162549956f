# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""OSC4-HMAC-SHA256 request signing for the Outscale API.

A pure function of its inputs (no I/O, no clock unless none is given), so it
can be checked against Outscale's own SDK on any number of random inputs.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from typing import Dict, Optional, Union
from urllib.parse import urlsplit

ALGORITHM = "OSC4-HMAC-SHA256"
SERVICE = "api"
CONTENT_TYPE = "application/json; charset=utf-8"
SIGNED_HEADERS = "content-type;host;x-osc-date"


def _hmac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).digest()


def _sha256_hex(data: Union[str, bytes]) -> str:
    if not isinstance(data, bytes):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def signing_key(secret_key: str, date_stamp: str, region: str) -> bytes:
    """Derive the per-day, per-region key: HMAC chain from "OSC4" + secret."""
    key = _hmac(("OSC4" + secret_key).encode("utf-8"), date_stamp)
    key = _hmac(key, region)
    key = _hmac(key, SERVICE)
    return _hmac(key, "osc4_request")


def sign_request(
    method: str,
    url: str,
    body: Union[str, bytes],
    access_key: str,
    secret_key: str,
    region: str,
    now: Optional[datetime.datetime] = None,
) -> Dict[str, str]:
    """Return the headers that authenticate one request.

    ``body`` is the exact text (or UTF-8 bytes) sent on the wire. The signed
    host is the URL's host name without its port, as the Outscale gateway
    expects, even when the endpoint names a port.
    """
    if now is None:
        now = datetime.datetime.now(datetime.timezone.utc)
    osc_date = now.strftime("%Y%m%dT%H%M%SZ")
    date_stamp = now.strftime("%Y%m%d")

    parts = urlsplit(url)
    host = parts.hostname or ""
    path = parts.path or "/"

    canonical_request = "\n".join(
        [
            method.upper(),
            path,
            parts.query,
            f"content-type:{CONTENT_TYPE}\nhost:{host}\nx-osc-date:{osc_date}\n",
            SIGNED_HEADERS,
            _sha256_hex(body or b""),
        ]
    )
    scope = f"{date_stamp}/{region}/{SERVICE}/osc4_request"
    string_to_sign = "\n".join([ALGORITHM, osc_date, scope, _sha256_hex(canonical_request)])
    signature = hmac.new(
        signing_key(secret_key, date_stamp, region), string_to_sign.encode("utf-8"), hashlib.sha256
    ).hexdigest()

    return {
        "Content-Type": CONTENT_TYPE,
        "X-Osc-Date": osc_date,
        "Authorization": f"{ALGORITHM} Credential={access_key}/{scope}, SignedHeaders={SIGNED_HEADERS}, Signature={signature}",
    }
