# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the outscale.cloud collection: not a public API, it may change in any release.
"""Where the connection settings come from, and in which order.

The account comes from the highest level that names one (the task's options,
then the ``OSC_*`` environment, then the default profile), and a lower level
never replaces it; a key pair and a profile at one level are refused. The other
fields follow option, then (when the task named a profile) that profile before
the environment, else the environment before the file, then defaults. A key
pair is always taken whole from one place.

Outscale's own tools disagree here (the Go SDK lets the environment win, the
Python SDK lets the file win); we follow Ansible's rule instead: what the task
says wins.
"""

from __future__ import annotations

import os
import re
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple
from urllib.parse import urlsplit

from ansible_collections.outscale.cloud.plugins.module_utils._credentials_file import (  # noqa: F401  (re-exported)
    TRUE_STRINGS,
    CredentialsError,
    _describe_type,
    _load_profile,
    expand_home,
    parse_tls_skip_verify,
)

# A source of settings: field name -> (value or None, where it came from).
Lookup = Callable[[str], Tuple[Any, Optional[str]]]

DEFAULT_REGION = "eu-west-2"
DEFAULT_PROFILE = "default"
DEFAULT_CONFIG_FILE = "~/.osc/config.json"
DEFAULT_REQUEST_TIMEOUT = 30
DEFAULT_MAX_RETRIES = 10
DEFAULT_RETRY_MAX_TIME = 60

KNOWN_REGIONS = ("eu-west-2", "us-east-2", "us-west-1", "cloudgouv-eu-west-1", "ap-northeast-1")
# New regions appear over time, so any name of the same shape is accepted. Always used with
# fullmatch: "$" would accept a final newline, which then breaks (and prints) the signed header.
REGION_PATTERN = re.compile(r"[a-z]+(-[a-z]+)*-[0-9]+")
# Keys go into a signed header: printable ASCII, no space, no control character (no CR/LF).
KEY_PATTERN = re.compile(r"[!-~]+")

# Setting -> the environment variable Outscale's tools read: OSC_ and its name, but the endpoint's is OSC_ENDPOINT_API.
ENV_VARS = {
    name: "OSC_" + name.upper()
    for name in (
        "access_key",
        "secret_key",
        "region",
        "profile",
        "config_file",
        "x509_client_cert",
        "x509_client_key",
        "tls_skip_verify",
    )
}
ENV_VARS["endpoint"] = "OSC_ENDPOINT_API"
# A URL's user information (user:password@), however odd the password: everything from the
# scheme (or the start) to the last "@" before the host is hidden, "/", "?" and "#" included.
USERINFO_PATTERN = re.compile(r"^((?:[A-Za-z][A-Za-z0-9+.-]*:)?//)?[\s\S]*@")


class ConnectionSettings:
    """Everything the client needs to reach and authenticate to the API."""

    FIELDS = (
        "access_key",
        "secret_key",
        "region",
        "endpoint",
        "validate_certs",
        "ca_bundle",
        "x509_client_cert",
        "x509_client_key",
        "request_timeout",
        "max_retries",
        "retry_max_time",
    )

    def __init__(self, **values: Any) -> None:
        for field in self.FIELDS:
            setattr(self, field, values.get(field))
        # The profile file of this connection (read or not): another account's profile defaults to it.
        self.config_file: Optional[str] = values.get("config_file")
        # field -> human description of where its value came from
        self.sources = values.get("sources", {})
        # For the task to show (a config file others can read); never a secret.
        self.warnings: List[str] = list(values.get("warnings") or [])

    def __repr__(self) -> str:
        # Never show the secret, even in a debugger or a stray repr().
        return (
            f"ConnectionSettings(access_key={self.access_key!r}, region={self.region!r}, "
            f"endpoint={self.endpoint!r}, sources={self.sources!r})"
        )


def _present(value: Any) -> bool:
    return value is not None and value != ""


def hide_userinfo(url: Any) -> str:
    """``url`` as it may be shown in a message: any user:password@ replaced by ``***@``."""
    text = str(url)
    if "@" not in text:
        return text
    return USERINFO_PATTERN.sub(lambda match: (match.group(1) or "") + "***@", text, count=1)


def _profile_endpoint(entry: Dict[str, Any]) -> Optional[str]:
    endpoints = entry.get("endpoints") or {}
    endpoint = endpoints.get("api") if isinstance(endpoints, dict) else None
    if _present(endpoint) and "://" not in endpoint:
        endpoint = f"{entry.get('protocol') or 'https'}://{endpoint}"
    return endpoint


def normalize_endpoint(endpoint: Any, name: str = "endpoint") -> str:
    """Validate an API endpoint URL once, before any call; add the /api/v1 path when only a host is given.

    Every way it can be wrong is refused here, with a message that never shows a password:
    not text, spaces or control characters (nothing could be sent), user information
    (never used, and its password would end in messages), a malformed IPv6 address or port.
    """
    usage = "use https://api.<region>.outscale.com/api/v1 (or http(s)://HOST[:PORT]/api/v1 for a simulator)"
    if not isinstance(endpoint, str):
        raise CredentialsError(f"{name} must be a URL string, not {_describe_type(endpoint)}: {usage}.")
    shown = hide_userinfo(endpoint)
    if any(ord(char) <= 0x20 or ord(char) == 0x7F for char in endpoint):
        raise CredentialsError(
            f"{name} {shown!r} contains a space or a control character (a newline?): {usage}. Nothing was sent."
        )
    # Before parsing: a password holding "#", "/" or "?" ends the host part early, so the
    # parser would see no user information at all, and the password in the path.
    if "@" in endpoint:
        raise CredentialsError(
            f"{name} '{shown}' holds a user name or password (before an @), which the API does not use: remove "
            "it; authentication is access_key and secret_key."
        )
    try:
        parts = urlsplit(endpoint)
        hostname = parts.hostname
    except ValueError:  # a malformed IPv6 address, for one
        parts, hostname = None, None
    if parts is None or parts.scheme not in ("http", "https") or not hostname:
        raise CredentialsError(f"{name} '{shown}' is not a valid URL: {usage}.")
    try:
        valid_port = parts.port is None or 0 < parts.port < 65536
    except ValueError:  # not a number, or out of range
        valid_port = False
    if not valid_port:
        raise CredentialsError(f"{name} '{shown}' has an invalid port.")
    path = parts.path.rstrip("/") or "/api/v1"
    return f"{parts.scheme}://{parts.netloc}{path}"


def _from_options(options: Mapping[str, Any]) -> Lookup:
    def lookup(name: str) -> Tuple[Any, Optional[str]]:
        return options.get(name), f"option {name}"

    return lookup


def _from_environment(environ: Mapping[str, str]) -> Lookup:
    def lookup(name: str) -> Tuple[Any, Optional[str]]:
        variable = ENV_VARS.get("tls_skip_verify" if name == "validate_certs" else name)
        if variable is None or not _present(environ.get(variable)):
            return None, None
        value = environ[variable]
        if name == "validate_certs":  # OSC_TLS_SKIP_VERIFY says the opposite
            value = value.strip().lower() not in TRUE_STRINGS
        return value, f"environment variable {variable}"

    return lookup


def _from_profile(entry: Optional[Dict[str, Any]], described: str) -> Lookup:
    def lookup(name: str) -> Tuple[Any, Optional[str]]:
        if entry is None:
            return None, None
        if name == "endpoint":
            value = _profile_endpoint(entry)
        elif name == "validate_certs":
            skip = parse_tls_skip_verify(entry.get("tls_skip_verify"), described)
            value = None if skip is None else not skip
        else:
            value = entry.get(name)
        return value, described

    return lookup


def _first(name: str, lookups: Sequence[Lookup], default: Any = None) -> Tuple[Any, Optional[str]]:
    """The first source that has the field: (value, where it came from)."""
    for lookup in lookups:
        value, source = lookup(name)
        if _present(value):
            return value, source
    return default, "default"


def _key_pair(values: Mapping[str, Any], access_name: str, secret_name: str, where: str) -> Optional[Tuple[Any, Any]]:
    """(access, secret) from one place: both or neither, half a pair is an error."""
    access, secret = values.get(access_name), values.get(secret_name)
    if _present(access) != _present(secret):
        given, missing = (access_name, secret_name) if _present(access) else (secret_name, access_name)
        raise CredentialsError(f"{given} is set in the {where} but {missing} is not: give both halves of the key pair.")
    return (access, secret) if _present(access) else None


# Where an account can be named, highest first: (level, key names, profile and file names, wording).
IDENTITY_LEVELS = (
    ("options", ("access_key", "secret_key"), ("profile", "config_file"), "in the task (options or module_defaults)"),
    ("environment", ("OSC_ACCESS_KEY", "OSC_SECRET_KEY"), ("OSC_PROFILE", "OSC_CONFIG_FILE"), "in the environment"),
)


def _identity(options: Mapping[str, Any], environ: Mapping[str, str]) -> Tuple[str, Optional[Tuple[Any, Any]]]:
    """Which level names the account, and how: (level, key pair or None).

    The highest level that names an account (a key pair, or a profile or config
    file) decides it alone: a task that says ``profile: partner`` never runs as
    the ``OSC_ACCESS_KEY`` of the shell that started it. A key pair and a profile
    at the same level may name two accounts, so that is refused, not guessed.
    Returns level "fallback" when nothing names an account (the default profile).
    """
    for level, key_names, (profile_name, file_name), where in IDENTITY_LEVELS:
        values = options if level == "options" else environ
        pair = _key_pair(values, key_names[0], key_names[1], "options" if level == "options" else level)
        if pair and _present(values.get(profile_name)):
            raise CredentialsError(
                f"Both a key pair ({key_names[0]}/{key_names[1]}) and a profile ({profile_name}: "
                f"{values[profile_name]}) are set {where}; they may name different accounts. Keep one: "
                f"remove {profile_name} to use the key pair, "
                f"or remove {key_names[0]} and {key_names[1]} to use the profile."
            )
        if pair or _present(values.get(profile_name)) or _present(values.get(file_name)):
            return level, pair
    return "fallback", None


def resolve_settings(
    options: Mapping[str, Any], environ: Optional[Mapping[str, str]] = None, home: Optional[str] = None
) -> ConnectionSettings:
    """Resolve ConnectionSettings from module options, environment and config file.

    ``environ`` and ``home`` default to the process's, and are parameters so the
    precedence can be tested as a pure function.
    """
    environ = os.environ if environ is None else environ
    home = home or os.path.expanduser("~")
    warnings: List[str] = []
    level, pair = _identity(options, environ)
    from_options, from_environment = _from_options(options), _from_environment(environ)

    entry, described = None, None
    # The profile file this connection reads, or would read: another account's profile is looked up in it too.
    config_file = _first("config_file", [from_options, from_environment], DEFAULT_CONFIG_FILE)[0]
    config_path = expand_home(config_file, home)
    if pair is not None:
        access_key, secret_key = pair
        key_source = level
    else:
        # A profile the task names is looked up in the task's file if it names one; the
        # environment may still say where the file is, never which account to use instead.
        # A task that names a profile or a config file chooses within its own file:
        # OSC_PROFILE, exported for another tool, never picks the account for it.
        profile_sources = [from_options] if level == "options" else [from_options, from_environment]
        profile = _first("profile", profile_sources, DEFAULT_PROFILE)[0]
        entry, described = _load_profile(config_path, profile, explicit=level != "fallback", warnings=warnings)
        if entry is None:
            raise CredentialsError(
                "No Outscale credentials found. Tried: options access_key/secret_key; "
                f"environment variables OSC_ACCESS_KEY/OSC_SECRET_KEY; {described}. "
                "Set one of them (see ansible-doc outscale.cloud.net_peering)."
            )
        if not (_present(entry.get("access_key")) and _present(entry.get("secret_key"))):
            raise CredentialsError(
                f"{described} (no access_key/secret_key in it): "
                "add both to the profile, or give access_key and secret_key instead."
            )
        access_key, secret_key, key_source = entry["access_key"], entry["secret_key"], described

    # Field by field the task's options come first. A profile the task named then beats
    # the environment (it is the task's choice of account); otherwise the environment
    # beats the file, as in every Ansible plugin.
    from_profile = _from_profile(entry, described)
    if level == "options" and entry is not None:
        lookups = [from_options, from_profile, from_environment]
    else:
        lookups = [from_options, from_environment, from_profile]

    for key_name, value in (("access_key", access_key), ("secret_key", secret_key)):
        if not isinstance(value, str) or not KEY_PATTERN.fullmatch(value):
            # Never the value: it may be the secret.
            raise CredentialsError(
                f"{key_name} (from {key_source}) must be printable text without spaces, newlines or other control "
                "characters: copy the key again, without its line end."
            )
    region, region_source = _first("region", lookups, DEFAULT_REGION)
    if not isinstance(region, str) or not REGION_PATTERN.fullmatch(region):
        raise CredentialsError(
            f"region {region!r} (from {region_source}) is not a valid Outscale region name; known regions: "
            f"{', '.join(KNOWN_REGIONS)}."
        )
    endpoint, endpoint_source = _first("endpoint", lookups, f"https://api.{region}.outscale.com/api/v1")
    endpoint = normalize_endpoint(
        endpoint, "endpoint" if endpoint_source == "default" else f"endpoint (from {endpoint_source})"
    )
    validate_certs, tls_source = _first("validate_certs", lookups, True)

    cert, cert_source = _first("x509_client_cert", lookups)
    key, key_file_source = _first("x509_client_key", lookups)
    if _present(cert) != _present(key):
        raise CredentialsError("x509_client_cert and x509_client_key go together: set both or neither.")
    for path, source in ((cert, cert_source), (key, key_file_source), (options.get("ca_bundle"), "option ca_bundle")):
        if _present(path) and not os.path.isfile(path):
            raise CredentialsError(f"{source} names {path}, which is not a readable file.")

    settings = ConnectionSettings(
        access_key=access_key,
        secret_key=secret_key,
        region=region,
        endpoint=endpoint,
        # A CA bundle asks for verification: it wins over validate_certs false (documented in doc_fragments/osc.py).
        validate_certs=bool(validate_certs) or bool(options.get("ca_bundle")),
        ca_bundle=options.get("ca_bundle") or None,
        x509_client_cert=cert or None,
        x509_client_key=key or None,
        request_timeout=options.get("request_timeout") or DEFAULT_REQUEST_TIMEOUT,
        max_retries=DEFAULT_MAX_RETRIES if options.get("max_retries") is None else options["max_retries"],
        retry_max_time=DEFAULT_RETRY_MAX_TIME if options.get("retry_max_time") is None else options["retry_max_time"],
        sources={
            "keys": key_source,
            "region": region_source,
            "endpoint": endpoint_source,
            "validate_certs": tls_source,
        },
        warnings=warnings,
    )
    settings.config_file = config_path
    return settings


# Always the task's own: another account's connection inherits them.
RETRY_FIELDS = ("request_timeout", "max_retries", "retry_max_time")
# What another account's credentials (accepter_credentials) may set; the rest is inherited.
OTHER_ACCOUNT_OPTIONS = ("profile", "config_file") + tuple(
    f for f in ConnectionSettings.FIELDS if f not in RETRY_FIELDS
)


def other_account_settings(main: ConnectionSettings, options: Optional[Dict[str, Any]]) -> ConnectionSettings:
    """ConnectionSettings for another account (``accepter_credentials``), next to the task's ``main`` ones.

    They are the other account's, so the OSC_* environment (the caller's) never
    applies: keys come from the suboptions or from a profile the suboptions name,
    looked up in their config_file, else in the main connection's profile file
    (its config_file or OSC_CONFIG_FILE, else ~/.osc/config.json): the file is where
    the user keeps profiles, the profile name says which account. What the suboptions
    and the profile leave unset is taken from the main connection: region and
    endpoint (a peering links Nets of one region), TLS verification, timeouts and
    retries. A client certificate authenticates one account, so it is never
    inherited. Raises CredentialsError with a message saying what to set.
    """
    options = {
        key: value
        for key, value in (options or {}).items()
        if key in OTHER_ACCOUNT_OPTIONS and value is not None and value != ""
    }
    has_pair = "access_key" in options or "secret_key" in options
    if not has_pair and "profile" not in options:
        raise CredentialsError(
            "set access_key and secret_key, or profile (with config_file if it is not this task's profile file), "
            "for the accepter account. The OSC_* environment variables are never used for it."
        )
    if "profile" in options and "config_file" not in options and main.config_file:
        options["config_file"] = main.config_file
    for name in RETRY_FIELDS:
        options[name] = getattr(main, name)
    settings = resolve_settings(options, environ={})
    if settings.sources.get("region") == "default":
        settings.region = main.region
        settings.sources["region"] = "inherited from the main connection"
    if settings.sources.get("endpoint") == "default" and settings.region == main.region:
        settings.endpoint = main.endpoint
        settings.sources["endpoint"] = "inherited from the main connection"
    elif settings.sources.get("endpoint") == "default" and main.sources.get("endpoint") != "default":
        # The task talks to an endpoint of its own (a simulator, a proxy): never send the other
        # account's keys to the public endpoint of another region without being told to.
        raise CredentialsError(
            f"its region {settings.region} differs from this task's ({main.region}), "
            f"and this task uses its own endpoint {main.endpoint}: "
            "give the accepter's endpoint too (accepter_credentials endpoint), or the same region."
        )
    if settings.sources.get("validate_certs") == "default":
        settings.validate_certs = main.validate_certs
    if not settings.ca_bundle:
        settings.ca_bundle = main.ca_bundle
    settings.validate_certs = settings.validate_certs or bool(settings.ca_bundle)
    return settings
