# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# Private to the outscale.cloud collection: not a public API, it may change in any release.
"""The module base every outscale.cloud module subclasses, in the spirit of
hetzner.hcloud's AnsibleHCloud: it owns the AnsibleModule, the clients (the
task's and other accounts', all from one factory), ``changed``, the result and
the diff, the forwarding of client warnings, and the one place where an
OscError raised below becomes ``fail_json`` with its advice and ``api_error``."""

from __future__ import annotations

from typing import Any, Dict, Optional

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.outscale.cloud.plugins.module_utils._client import OscClient
from ansible_collections.outscale.cloud.plugins.module_utils._credentials import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_REQUEST_TIMEOUT,
    DEFAULT_RETRY_MAX_TIME,
    OTHER_ACCOUNT_OPTIONS,
    ConnectionSettings,
    other_account_settings,
    resolve_settings,
)
from ansible_collections.outscale.cloud.plugins.module_utils._errors import ConfigurationError, OscError
from ansible_collections.outscale.cloud.plugins.module_utils._http import REQUESTS_IMPORT_ERROR


class OscAnsibleModule(AnsibleModule):
    """AnsibleModule that never shows its parameters when it fails while validating them.

    In ansible-core 2.18 to 2.20 at least, a value that is not a dict given to a
    dict option with no_log suboptions (say ``accepter_credentials: "a string"``)
    makes the collection of no_log values fail, and fail_json then echoes every
    parameter, secret_key included, unmasked at -vvv (the leak of CVE-2019-14858).
    Until validation has passed, the invocation is withheld and the message
    names the option.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._osc_validated = False
        super().__init__(*args, **kwargs)
        self._osc_validated = True

    def fail_json(self, msg: str, **kwargs: Any) -> None:
        if not self._osc_validated:
            kwargs["invocation"] = {
                "module_args": "withheld: the arguments did not validate, so their secrets are not known yet"
            }
            not_dicts = sorted(
                name
                for name, spec in self.argument_spec.items()
                if spec.get("type") == "dict" and isinstance(self.params.get(name), str)
            )
            if not_dicts:
                msg = f"{' and '.join(not_dicts)} must be a dictionary of options, not a string ({msg})."
        super().fail_json(msg, **kwargs)


def connection_argument_spec() -> Dict[str, Dict[str, Any]]:
    """The shared options, documented once in doc_fragments/osc.py."""
    return dict(
        access_key=dict(type="str", no_log=False),
        secret_key=dict(type="str", no_log=True),
        region=dict(type="str"),
        profile=dict(type="str"),
        config_file=dict(type="path"),
        endpoint=dict(type="str"),
        validate_certs=dict(type="bool"),
        ca_bundle=dict(type="path"),
        x509_client_cert=dict(type="path"),
        x509_client_key=dict(type="path", no_log=False),
        request_timeout=dict(type="int", default=DEFAULT_REQUEST_TIMEOUT),
        max_retries=dict(type="int", default=DEFAULT_MAX_RETRIES),
        retry_max_time=dict(type="int", default=DEFAULT_RETRY_MAX_TIME),
    )


def other_account_argument_spec() -> Dict[str, Dict[str, Any]]:
    """Another account's connection (accepter_credentials): the task's options minus the
    timeouts and retry limits, which it always inherits."""
    return {name: option for name, option in connection_argument_spec().items() if name in OTHER_ACCOUNT_OPTIONS}


def check_limits(options: Dict[str, Any]) -> None:
    """Refuse retry and timeout settings that make no sense."""
    for name, minimum in (("request_timeout", 1), ("max_retries", 0), ("retry_max_time", 0)):
        value = options.get(name)
        if value is not None and value < minimum:
            raise ConfigurationError(f"{name} must be at least {minimum}, got {value}.")


class OscModule:
    """Base of every outscale.cloud module.

    A subclass gives its argument spec (``argument_spec``, ``module_kwargs``),
    checks what the spec cannot (``validate``), and does its work in ``execute``,
    setting ``self.changed``, ``self.result`` and ``self.diff``. Code below raises
    OscError; ``run`` reports it, once.
    """

    @classmethod
    def argument_spec(cls) -> Dict[str, Dict[str, Any]]:
        return connection_argument_spec()

    @classmethod
    def module_kwargs(cls) -> Dict[str, Any]:
        return {}

    @classmethod
    def define_module(cls) -> AnsibleModule:
        return OscAnsibleModule(argument_spec=cls.argument_spec(), supports_check_mode=True, **cls.module_kwargs())

    def __init__(self, module: AnsibleModule) -> None:
        self.module = module
        self.params = module.params
        self.check_mode = module.check_mode
        self.changed = False
        self.result: Dict[str, Any] = {}
        self.diff: Optional[Dict[str, Any]] = None
        self.clients: Dict[str, OscClient] = {}

    # -- clients: one factory ---------------------------------------------------

    def make_client(self, settings: ConnectionSettings) -> OscClient:
        return OscClient(settings)

    @property
    def client(self) -> OscClient:
        """The task's own client, built on first use from the task's connection options."""
        if "task" not in self.clients:
            check_limits(self.params)
            self.clients["task"] = self.make_client(resolve_settings(self.params))
        return self.clients["task"]

    def add_client(self, actor: str, options: Optional[Dict[str, Any]], label: str) -> OscClient:
        """Another account's client, keyed by ``actor``; settings it leaves unset come from the task's."""
        try:
            settings = other_account_settings(self.client.settings, options)
        except ConfigurationError as exc:
            raise ConfigurationError(f"{label}: {exc}")
        self.clients[actor] = self.make_client(settings)
        return self.clients[actor]

    # -- the run ------------------------------------------------------------------

    def validate(self) -> None:
        """Checks the argument spec cannot express; raise OscError naming the option and the fix."""

    def execute(self) -> None:
        raise OscError(f"internal error: {type(self).__name__} does not implement execute()")

    def failure_result(self, error: OscError) -> Dict[str, Any]:
        """Result fields to report with a failure: by default what the module reported so far."""
        return self.result

    @classmethod
    def main(cls) -> None:
        cls(cls.define_module()).run()

    def run(self) -> None:
        if REQUESTS_IMPORT_ERROR:
            self.module.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
        try:
            self.validate()
            self.execute()
        except OscError as exc:
            self.fail(exc)
        self.exit()

    def warn(self, message: str) -> None:
        self.module.warn(message)

    def _forward_warnings(self) -> None:
        for client in self.clients.values():
            for warning in client.warnings:
                self.module.warn(warning)
            client.warnings = []

    def fail(self, error: OscError) -> None:
        self._forward_warnings()
        result = dict(self.failure_result(error))
        result.update(error.fields())
        if self.diff is not None and self.module._diff:
            result["diff"] = self.diff
        self.module.fail_json(msg=error.full_message(), changed=self.changed or error.changed, **result)

    def exit(self) -> None:
        self._forward_warnings()
        result = dict(self.result)
        if self.diff is not None and self.module._diff:
            result["diff"] = self.diff
        self.module.exit_json(changed=self.changed, **result)
