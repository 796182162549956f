# -*- coding: utf-8 -*-
# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where the connection settings come from, and in which order.

Precedence, field by field: module options, then ``OSC_*`` environment
variables, then the profile in the config file, then defaults. The key pair is
taken as a pair from the first source that has either half, so an access key
from one place is never combined with a secret key from another.

Outscale's own tools disagree here (the Go SDK lets the environment win, the
Python SDK lets the file win); we follow Ansible's usual order instead: what the
task says beats the environment, which beats files.
"""

from __future__ import annotations

import json
import os
import re

from urllib.parse import urlsplit

DEFAULT_REGION = "eu-west-2"
DEFAULT_PROFILE = "default"
DEFAULT_CONFIG_FILE = "~/.osc/config.json"
DEFAULT_REQUEST_TIMEOUT = 30
DEFAULT_MAX_RETRIES = 6
DEFAULT_RETRY_MAX_TIME = 60

KNOWN_REGIONS = ("eu-west-2", "us-east-2", "us-west-1", "cloudgouv-eu-west-1", "ap-northeast-1")
# New regions appear over time, so any name of the same shape is accepted.
REGION_PATTERN = re.compile(r"^[a-z]+(-[a-z]+)*-[0-9]+$")

ENV_VARS = {
    "access_key": "OSC_ACCESS_KEY",
    "secret_key": "OSC_SECRET_KEY",
    "region": "OSC_REGION",
    "profile": "OSC_PROFILE",
    "config_file": "OSC_CONFIG_FILE",
    "endpoint": "OSC_ENDPOINT_API",
    "x509_client_cert": "OSC_X509_CLIENT_CERT",
    "x509_client_key": "OSC_X509_CLIENT_KEY",
    "tls_skip_verify": "OSC_TLS_SKIP_VERIFY",
}
TRUE_STRINGS = ("1", "true", "yes", "on")


class CredentialsError(Exception):
    """The connection settings cannot be resolved; the message says what to do."""


class ConnectionSettings(object):
    """Everything the client needs to reach and authenticate to the API."""

    FIELDS = ("access_key", "secret_key", "region", "endpoint", "validate_certs", "ca_bundle",
              "x509_client_cert", "x509_client_key", "request_timeout", "max_retries", "retry_max_time")

    def __init__(self, **values):
        for field in self.FIELDS:
            setattr(self, field, values.get(field))
        # field -> human description of where its value came from
        self.sources = values.get("sources", {})

    def __repr__(self):
        # Never show the secret, even in a debugger or a stray repr().
        return "ConnectionSettings(access_key=%r, region=%r, endpoint=%r, sources=%r)" % (
            self.access_key, self.region, self.endpoint, self.sources)


def _present(value):
    return value is not None and value != ""


def _load_profile(path, profile, explicit):
    """Return (profile dict or None, note for error messages)."""
    described = "profile '%s' in %s" % (profile, path)
    if not os.path.exists(path):
        if explicit:
            raise CredentialsError(
                "config_file %s does not exist (needed for %s). Create it, fix config_file / OSC_CONFIG_FILE, "
                "or give access_key and secret_key." % (path, described))
        return None, "%s (file not found)" % described
    try:
        with open(path, "r") as handle:
            text = handle.read()
    except (IOError, OSError) as exc:
        raise CredentialsError("config_file %s cannot be read (%s). Check its permissions or point config_file elsewhere."
                               % (path, exc.strerror or exc.__class__.__name__))
    try:
        config = json.loads(text)
    except ValueError as exc:
        # Only the position is reported: the file holds secrets.
        raise CredentialsError("config_file %s is not valid JSON (line %s, column %s). Fix the file; it must be an object "
                               "of profiles, e.g. {\"default\": {\"access_key\": ..., \"secret_key\": ...}}."
                               % (path, getattr(exc, "lineno", "?"), getattr(exc, "colno", "?")))
    if not isinstance(config, dict):
        raise CredentialsError("config_file %s must hold a JSON object of profiles, not %s." % (path, type(config).__name__))
    if profile not in config:
        names = ", ".join(sorted(str(name) for name in config)) or "none"
        raise CredentialsError("profile '%s' not found in %s (profiles there: %s). Set profile / OSC_PROFILE to one of them."
                               % (profile, path, names))
    entry = config[profile]
    if not isinstance(entry, dict):
        raise CredentialsError("profile '%s' in %s must be a JSON object." % (profile, path))
    return entry, described


def _profile_endpoint(entry):
    endpoints = entry.get("endpoints") or {}
    endpoint = endpoints.get("api") if isinstance(endpoints, dict) else None
    if _present(endpoint) and "://" not in endpoint:
        endpoint = "%s://%s" % (entry.get("protocol") or "https", endpoint)
    return endpoint


def normalize_endpoint(endpoint):
    """Validate an API endpoint URL; add the /api/v1 path when only a host is given."""
    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CredentialsError("endpoint '%s' is not a valid URL: use https://api.<region>.outscale.com/api/v1 "
                               "(or http(s)://HOST[:PORT]/api/v1 for a simulator)." % endpoint)
    try:
        valid_port = parts.port is None or 0 < parts.port < 65536
    except ValueError:  # not a number, or out of range
        valid_port = False
    if not valid_port:
        raise CredentialsError("endpoint '%s' has an invalid port." % endpoint)
    path = parts.path.rstrip("/") or "/api/v1"
    return "%s://%s%s" % (parts.scheme, parts.netloc, path)


def _pick(name, options, environ, entry, described, default=None):
    """First source that has the field: option, environment, profile, default."""
    if _present(options.get(name)):
        return options[name], "option %s" % name
    env = ENV_VARS.get(name)
    if env and _present(environ.get(env)):
        return environ[env], "environment variable %s" % env
    if entry is not None and _present(entry.get(name)):
        return entry[name], described
    return default, "default"


def _key_pair(options, environ):
    """The key pair from options, else from the environment, taken as a pair."""
    for label, access, secret in (
        ("options", options.get("access_key"), options.get("secret_key")),
        ("environment", environ.get("OSC_ACCESS_KEY"), environ.get("OSC_SECRET_KEY")),
    ):
        if _present(access) and _present(secret):
            return access, secret, label
        if _present(access) or _present(secret):
            given, missing = ("access_key", "secret_key") if _present(access) else ("secret_key", "access_key")
            if label == "environment":
                given, missing = ENV_VARS[given], ENV_VARS[missing]
            raise CredentialsError("%s is set in the %s but %s is not: give both halves of the key pair." % (given, label, missing))
    return None, None, None


def resolve_settings(options, environ=None, home=None):
    """Resolve ConnectionSettings from module options, environment and config file.

    ``environ`` and ``home`` default to the process's, and are parameters so the
    precedence can be tested as a pure function.
    """
    environ = os.environ if environ is None else environ
    home = home or os.path.expanduser("~")

    profile, profile_source = _pick("profile", options, environ, None, None, DEFAULT_PROFILE)
    config_file, config_source = _pick("config_file", options, environ, None, None, DEFAULT_CONFIG_FILE)
    config_path = config_file.replace("~", home, 1) if config_file.startswith("~") else config_file
    explicit_file = profile_source != "default" or config_source != "default"

    access_key, secret_key, key_source = _key_pair(options, environ)

    # The file is only read when asked for, or when it is the last place keys can come from.
    entry, described = None, None
    if explicit_file or access_key is None:
        entry, described = _load_profile(config_path, profile, explicit_file)

    if access_key is None:
        if entry is not None and _present(entry.get("access_key")) and _present(entry.get("secret_key")):
            access_key, secret_key, key_source = entry["access_key"], entry["secret_key"], described
        else:
            tried = described if entry is None else "%s (no access_key/secret_key in it)" % described
            raise CredentialsError(
                "No Outscale credentials found. Tried: options access_key/secret_key; environment variables "
                "OSC_ACCESS_KEY/OSC_SECRET_KEY; %s. Set one of them (see ansible-doc outscale.cloud.net_peering)." % tried)

    region, region_source = _pick("region", options, environ, entry, described, DEFAULT_REGION)
    if not isinstance(region, str) or not REGION_PATTERN.match(region):
        raise CredentialsError("region '%s' (from %s) is not a valid Outscale region name; known regions: %s."
                               % (region, region_source, ", ".join(KNOWN_REGIONS)))

    if _present(options.get("endpoint")):
        endpoint, endpoint_source = options["endpoint"], "option endpoint"
    elif _present(environ.get("OSC_ENDPOINT_API")):
        endpoint, endpoint_source = environ["OSC_ENDPOINT_API"], "environment variable OSC_ENDPOINT_API"
    elif entry is not None and _present(_profile_endpoint(entry)):
        endpoint, endpoint_source = _profile_endpoint(entry), described
    else:
        endpoint, endpoint_source = "https://api.%s.outscale.com/api/v1" % region, "default"
    endpoint = normalize_endpoint(endpoint)

    if options.get("validate_certs") is not None:
        validate_certs, tls_source = bool(options["validate_certs"]), "option validate_certs"
    elif _present(environ.get("OSC_TLS_SKIP_VERIFY")):
        validate_certs = environ["OSC_TLS_SKIP_VERIFY"].strip().lower() not in TRUE_STRINGS
        tls_source = "environment variable OSC_TLS_SKIP_VERIFY"
    elif entry is not None and entry.get("tls_skip_verify") is not None:
        validate_certs, tls_source = not entry["tls_skip_verify"], described
    else:
        validate_certs, tls_source = True, "default"

    cert, cert_source = _pick("x509_client_cert", options, environ, entry, described)
    key, key_file_source = _pick("x509_client_key", options, environ, entry, described)
    if _present(cert) != _present(key):
        raise CredentialsError("x509_client_cert and x509_client_key go together: set both or neither.")
    for path, source in ((cert, cert_source), (key, key_file_source), (options.get("ca_bundle"), "option ca_bundle")):
        if _present(path) and not os.path.isfile(path):
            raise CredentialsError("%s names %s, which is not a readable file." % (source, path))

    return ConnectionSettings(
        access_key=access_key,
        secret_key=secret_key,
        region=region,
        endpoint=endpoint,
        validate_certs=validate_certs,
        ca_bundle=options.get("ca_bundle") or None,
        x509_client_cert=cert or None,
        x509_client_key=key or None,
        request_timeout=options.get("request_timeout") or DEFAULT_REQUEST_TIMEOUT,
        max_retries=DEFAULT_MAX_RETRIES if options.get("max_retries") is None else options["max_retries"],
        retry_max_time=DEFAULT_RETRY_MAX_TIME if options.get("retry_max_time") is None else options["retry_max_time"],
        sources={"keys": key_source, "region": region_source, "endpoint": endpoint_source, "validate_certs": tls_source},
    )
