# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the outscale.cloud collection: not a public API, it may change in any release.
"""The config file (``~/.osc/config.json``): reading one profile, checking its types and the file's mode.

Used by _credentials (which re-exports these names); it never shows a value from the file.
"""

from __future__ import annotations

import json
import os
import stat
from typing import Any, Dict, List, Optional, Tuple

from ansible_collections.outscale.cloud.plugins.module_utils._errors import ConfigurationError

TRUE_STRINGS = ("1", "true", "yes", "on")
FALSE_STRINGS = ("0", "false", "no", "off")
# Profile keys read as text; their values must be strings (tls_skip_verify and endpoints are checked apart).
PROFILE_TEXT_KEYS = ("access_key", "secret_key", "region", "protocol", "x509_client_cert", "x509_client_key")


class CredentialsError(ConfigurationError):
    """The connection settings cannot be resolved; the message says what to do."""


def _describe_type(value: Any) -> str:
    return {bool: "a boolean", int: "a number", float: "a number", list: "a list", dict: "an object"}.get(
        type(value), type(value).__name__
    )


def parse_tls_skip_verify(value: Any, where: str) -> Optional[bool]:
    """A profile's tls_skip_verify: a JSON boolean or the usual strings; anything else is refused.

    A string is never taken for its truth: "false" is a non-empty string, and reading it as
    true would switch TLS verification off without a word.
    """
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in TRUE_STRINGS + FALSE_STRINGS:
        return value.strip().lower() in TRUE_STRINGS
    raise CredentialsError(
        f"{where}: tls_skip_verify must be true or false (a JSON boolean, or one of the strings "
        f"{', '.join(TRUE_STRINGS + FALSE_STRINGS)}), not {_describe_type(value)}. Fix the profile."
    )


def _check_profile_types(entry: Dict[str, Any], described: str) -> None:
    """Every value the collection reads from a profile has the right type; the message never shows a value."""
    for key in PROFILE_TEXT_KEYS:
        value = entry.get(key)
        if value is not None and not isinstance(value, str):
            raise CredentialsError(
                f"{described}: {key} must be a string, not {_describe_type(value)}. Quote it in the file."
            )
    endpoints = entry.get("endpoints")
    if endpoints is not None and not isinstance(endpoints, dict):
        raise CredentialsError(
            f'{described}: endpoints must be an object such as {{"api": "api.eu-west-2.outscale.com/api/v1"}}, '
            f"not {_describe_type(endpoints)}."
        )
    api = (endpoints or {}).get("api")
    if api is not None and not isinstance(api, str):
        raise CredentialsError(f"{described}: endpoints.api must be a string, not {_describe_type(api)}.")
    parse_tls_skip_verify(entry.get("tls_skip_verify"), described)


def _permission_warning(path: str, mode: int) -> Optional[str]:
    """ssh and the cloud CLIs warn about a key file others can read; so do we."""
    if os.name != "posix" or not stat.S_ISREG(mode) or not mode & 0o077:
        return None
    return (
        f"config_file {path} holds secret keys and is accessible to other users (mode {stat.S_IMODE(mode):04o}): "
        f"run chmod 600 {path}."
    )


def expand_home(path: str, home: str) -> str:
    """``~`` and ``~/x`` in the given home; ``~user/x`` in that user's home, as a shell does."""
    if path == "~" or path.startswith("~/"):
        return home + path[1:]
    if path.startswith("~"):
        return os.path.expanduser(path)
    return path


def _load_profile(
    path: str, profile: str, explicit: bool, warnings: Optional[List[str]] = None
) -> Tuple[Optional[Dict[str, Any]], str]:
    """Return (profile dict or None, note for error messages); a warning about the file's mode goes to ``warnings``."""
    described = f"profile '{profile}' in {path}"
    if not os.path.exists(path):
        if explicit:
            raise CredentialsError(
                f"config_file {path} does not exist (needed for {described}). "
                "Create it, fix config_file / OSC_CONFIG_FILE, or give access_key and secret_key."
            )
        return None, f"{described} (file not found)"
    try:
        with open(path) as handle:
            text = handle.read()
            mode = os.fstat(handle.fileno()).st_mode
    except OSError as exc:
        raise CredentialsError(
            f"config_file {path} cannot be read ({exc.strerror or exc.__class__.__name__}). "
            "Check its permissions or point config_file elsewhere."
        )
    try:
        config = json.loads(text)
    except RecursionError:
        raise CredentialsError(
            f"config_file {path} is nested too deeply to be read as JSON. Fix the file; it must be an object "
            'of profiles, e.g. {"default": {"access_key": ..., "secret_key": ...}}.'
        ) from None
    except ValueError as exc:
        # Only the position is reported: the file holds secrets.
        raise CredentialsError(
            f"config_file {path} is not valid JSON (line {getattr(exc, 'lineno', '?')}, "
            f"column {getattr(exc, 'colno', '?')}). Fix the file; it must be an object of profiles, e.g. "
            '{"default": {"access_key": ..., "secret_key": ...}}.'
        )
    if not isinstance(config, dict):
        raise CredentialsError(f"config_file {path} must hold a JSON object of profiles, not {type(config).__name__}.")
    if profile not in config:
        names = ", ".join(sorted(str(name) for name in config)) or "none"
        raise CredentialsError(
            f"profile '{profile}' not found in {path} (profiles there: {names}). "
            "Set profile / OSC_PROFILE to one of them."
        )
    entry = config[profile]
    if not isinstance(entry, dict):
        raise CredentialsError(f"profile '{profile}' in {path} must be a JSON object.")
    _check_profile_types(entry, described)
    warning = _permission_warning(path, mode)
    if warning and warnings is not None:
        warnings.append(warning)
    return entry, described
