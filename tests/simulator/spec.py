"""Validation against the official OpenAPI document shipped with osc-sdk-python."""

from __future__ import annotations

import functools
import os
import threading

import osc_sdk_python
import yaml
from openapi_schema_validator import OAS30Validator, oas30_format_checker

from .errors import (
    INVALID_PARAMETER,
    INVALID_PARAMETER_TYPE,
    INVALID_PARAMETER_VALUE,
    MISSING_PARAMETER,
    ApiError,
)

SPEC_PATH = os.path.join(os.path.dirname(osc_sdk_python.__file__), "resources", "outscale.yaml")
ERRORS_PATH = os.path.join(os.path.dirname(osc_sdk_python.__file__), "resources", "gateway_errors.yaml")

# Which jsonschema failure becomes which API error, most telling first.
_ERROR_FOR_VALIDATOR = {
    "additionalProperties": INVALID_PARAMETER,
    "required": MISSING_PARAMETER,
    "type": INVALID_PARAMETER_TYPE,
}
_PRIORITY = ("additionalProperties", "required", "type")

_LOCK = threading.Lock()


@functools.lru_cache(maxsize=1)
def document() -> dict:
    """The parsed outscale.yaml (about 1 MB; parsed once per process)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(SPEC_PATH, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=loader)  # nosec - SafeLoader family


@functools.lru_cache(maxsize=None)
def validator(schema_name: str) -> OAS30Validator:
    """An OpenAPI 3.0 validator (nullable, formats) for components/schemas/<schema_name>."""
    components = document()["components"]
    if schema_name not in components["schemas"]:
        raise KeyError(schema_name)
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": components}
    return OAS30Validator(schema, format_checker=oas30_format_checker)


def _validator(schema_name: str) -> OAS30Validator:
    with _LOCK:  # lru_cache may build the same validator twice under threads; harmless but wasteful
        return validator(schema_name)


def validate_request(action: str, body: object) -> None:
    """Raise a 400 ApiError when ``body`` does not match <action>Request."""
    errors = list(_validator(f"{action}Request").iter_errors(body))
    if not errors:
        return

    def rank(error):
        kind = _PRIORITY.index(error.validator) if error.validator in _PRIORITY else len(_PRIORITY)
        return (len(error.absolute_path), kind)

    error = sorted(errors, key=rank)[0]
    kind = _ERROR_FOR_VALIDATOR.get(error.validator, INVALID_PARAMETER_VALUE)
    where = ".".join(str(part) for part in error.absolute_path) or "body"
    raise ApiError(kind, f"{where}: {error.message}")


def operation(action: str) -> dict | None:
    """The ``post`` operation of /<action>, or None when the document has none."""
    path = document()["paths"].get(f"/{action}")
    return path.get("post") if path else None


def response_problems(action: str, status: int, body: object, declared_only: bool = True) -> list[str]:
    """Why a response does not match the document (empty list when it does).

    ``declared_only`` requires the HTTP status to be one the operation declares; fault
    responses (429, 503) are checked against ErrorResponse only.
    """
    problems = []
    schema_name = "ErrorResponse"
    op = operation(action)
    if op is not None:
        declared = op.get("responses", {}).get(str(status))
        if declared is not None:
            schema_name = declared["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
        elif declared_only:
            problems.append(f"{action}: HTTP {status} is not declared by the document")
    if status < 400 and schema_name == "ErrorResponse":
        problems.append(f"{action}: HTTP {status} success without a declared response schema")
        return problems
    for error in _validator(schema_name).iter_errors(body):
        where = ".".join(str(part) for part in error.absolute_path) or "body"
        problems.append(f"{action} {status} {schema_name} {where}: {error.message}")
    return problems


@functools.lru_cache(maxsize=1)
def gateway_errors() -> dict:
    """gateway_errors.yaml: {code: {"Name", "Type", "Description"}} with string codes."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(ERRORS_PATH, encoding="utf-8") as handle:
        raw = yaml.load(handle, Loader=loader)  # nosec - SafeLoader family
    return {str(code): value for code, value in raw.items()}
