# -*- coding: utf-8 -*-
# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every outscale.cloud module shares: its connection options and the way
it turns settings into a client, and API errors into fail_json."""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.outscale.cloud.plugins.module_utils.client import (
    REQUESTS_IMPORT_ERROR,
    OscClient,
)
from ansible_collections.outscale.cloud.plugins.module_utils.credentials import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_REQUEST_TIMEOUT,
    DEFAULT_RETRY_MAX_TIME,
    CredentialsError,
    resolve_settings,
)


class OscAnsibleModule(AnsibleModule):
    """AnsibleModule that never shows its parameters when it fails while validating them.

    In ansible-core 2.19, a value that is not a dict given to a dict option with
    no_log suboptions (say ``accepter_credentials: "a string"``) makes the
    collection of no_log values fail, and fail_json then echoes every parameter,
    secret_key included, unmasked at -vvv (the leak of CVE-2019-14858, back).
    Until validation has passed, the invocation is withheld and the message
    names the option.
    """

    def __init__(self, *args, **kwargs):
        self._osc_validated = False
        super(OscAnsibleModule, self).__init__(*args, **kwargs)
        self._osc_validated = True

    def fail_json(self, msg, **kwargs):
        if not self._osc_validated:
            kwargs["invocation"] = {"module_args": "withheld: the arguments did not validate, so their secrets are not known yet"}
            not_dicts = sorted(name for name, spec in self.argument_spec.items()
                               if spec.get("type") == "dict" and isinstance(self.params.get(name), str))
            if not_dicts:
                msg = "%s must be a dictionary of options, not a string (%s)." % (" and ".join(not_dicts), msg)
        super(OscAnsibleModule, self).fail_json(msg, **kwargs)


def connection_argument_spec():
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


def check_limits(module, options, prefix=""):
    """Fail on retry and timeout settings that make no sense."""
    for name, minimum in (("request_timeout", 1), ("max_retries", 0), ("retry_max_time", 0)):
        value = options.get(name)
        if value is not None and value < minimum:
            module.fail_json(msg="%s%s must be at least %d, got %s." % (prefix, name, minimum, value))


def build_client(module, options=None, environ=None, label=""):
    """Resolve settings from ``options`` (default: the module's params) and return an OscClient.

    ``label`` prefixes error messages (e.g. "accepter_credentials: ") so the
    user knows which set of credentials is wrong.
    """
    if REQUESTS_IMPORT_ERROR:
        module.fail_json(msg=missing_required_lib("requests"))
    options = module.params if options is None else options
    check_limits(module, options, label)
    try:
        settings = resolve_settings(options, environ=environ)
    except CredentialsError as exc:
        module.fail_json(msg="%s%s" % (label, exc))
    return OscClient(settings)


def fail_api(module, error, **result):
    """Report an OscApiError: a full message plus its structured fields."""
    module.fail_json(msg=str(error), api_error=error.as_dict(), **result)
