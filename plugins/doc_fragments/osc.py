# Copyright: (c) 2026, outscale.cloud maintainers
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    """Connection options shared by every outscale.cloud module."""

    DOCUMENTATION = r"""
options:
  access_key:
    description:
      - Outscale access key ID.
      - "The account is named by the highest level that names one, and a lower level never replaces it: first the task
        (this option with O(secret_key), or O(profile) / O(config_file), including C(module_defaults)), then the
        environment (E(OSC_ACCESS_KEY) with E(OSC_SECRET_KEY), or E(OSC_PROFILE) / E(OSC_CONFIG_FILE)), then the
        C(default) profile of C(~/.osc/config.json)."
      - A key pair and a profile at the same level are refused (they may name two accounts); remove one.
      - The key pair is always taken from one source, so an access key from one place is never paired with a secret key from another.
    type: str
  secret_key:
    description:
      - Outscale secret key, paired with O(access_key). Never logged or shown in results.
      - Falls back to E(OSC_SECRET_KEY), then to the profile file, exactly like O(access_key).
    type: str
  region:
    description:
      - Outscale region, for example V(eu-west-2), V(us-east-2), V(us-west-1), V(cloudgouv-eu-west-1), V(ap-northeast-1).
      - Falls back to E(OSC_REGION), then the profile's C(region), then V(eu-west-2). When the task names O(profile),
        the profile's C(region) comes before E(OSC_REGION).
    type: str
  profile:
    description:
      - Name of the profile to read in O(config_file).
      - Falls back to E(OSC_PROFILE) (only when the task names no key pair, O(profile) or O(config_file)), then V(default).
      - A profile named by the task beats E(OSC_ACCESS_KEY)/E(OSC_SECRET_KEY), and its C(region) and C(endpoints) beat
        E(OSC_REGION) and E(OSC_ENDPOINT_API).
      - The profile file is read only when the account comes from a profile. A profile that is asked for but missing is an error.
    type: str
  config_file:
    description:
      - 'Path to the Outscale configuration file, a JSON object of profiles such as
        C({"default": {"access_key": "...", "secret_key": "...", "region": "eu-west-2", "endpoints": {"api": "..."}}}).'
      - Falls back to E(OSC_CONFIG_FILE), then C(~/.osc/config.json).
    type: path
  endpoint:
    description:
      - URL of the Outscale API, for example V(https://api.eu-west-2.outscale.com/api/v1).
      - Falls back to E(OSC_ENDPOINT_API), then the profile's C(endpoints.api), then C(https://api.<region>.outscale.com/api/v1).
      - Point it at the bundled simulator (C(http://127.0.0.1:PORT/api/v1)) to test playbooks offline.
    type: str
  validate_certs:
    description:
      - Whether to verify the API's TLS certificate. Only disable it against a test endpoint.
      - Falls back to the inverse of E(OSC_TLS_SKIP_VERIFY), then the profile's C(tls_skip_verify), then V(true).
      - When O(ca_bundle) is set, the certificate is always verified against it, even with V(false). Giving a CA
        bundle asks for verification, and the safe reading wins. To reach an endpoint whose certificate that bundle
        does not sign, fix O(ca_bundle) (or remove it), not this option.
    type: bool
  ca_bundle:
    description:
      - Path to a PEM file of CA certificates used to verify the API's certificate (for example a company proxy's CA).
      - Setting it keeps verification on, whatever O(validate_certs) says.
    type: path
  x509_client_cert:
    description:
      - Path to a PEM client certificate, for accounts that require TLS client authentication. Needs O(x509_client_key).
      - Falls back to E(OSC_X509_CLIENT_CERT), then the profile's C(x509_client_cert).
    type: path
  x509_client_key:
    description:
      - Path to the private key of O(x509_client_cert).
      - Falls back to E(OSC_X509_CLIENT_KEY), then the profile's C(x509_client_key).
    type: path
  request_timeout:
    description:
      - Seconds to wait for each API response.
    type: int
    default: 30
  max_retries:
    description:
      - How many times a throttled (HTTP 429 or 503) or failed read call is retried, with exponential backoff and full jitter.
      - With the default, O(retry_max_time) is what usually ends the retries of a throttled call.
      - A write whose outcome is unknown is never resent; the module reads the current state instead.
      - V(0) turns retries off.
    type: int
    default: 10
  retry_max_time:
    description:
      - Upper bound, in seconds, on the time spent retrying one call.
    type: int
    default: 60
notes:
  - "Credentials can be given once for all outscale.cloud modules with C(module_defaults) and the action group
    C(group/outscale.cloud.all)."
  - "Proxies come from the environment of the module, as requests reads them: C(HTTPS_PROXY) (or C(HTTP_PROXY) for an
    C(http://) endpoint, or C(ALL_PROXY)) names a proxy, with C(user:password@) if it needs it; C(NO_PROXY) lists
    hosts and networks reached directly. Set them with the task's C(environment) keyword. C(~/.netrc) is never read."
  - "The API's certificate is checked against requests' CA bundle (certifi's). O(ca_bundle) replaces it, and so does
    C(REQUESTS_CA_BUNDLE) / C(CURL_CA_BUNDLE) in the environment when O(ca_bundle) is not set; O(ca_bundle) and
    O(validate_certs) always win over the environment."
requirements:
  - requests
  - urllib3 >= 2.3
"""

    # The action group every module belongs to (meta/runtime.yml).
    ACTION_GROUP = r"""
attributes:
  action_group:
    description: Use C(group/outscale.cloud.all) in C(module_defaults) to set the connection options once.
    support: full
    membership:
      - outscale.cloud.all
"""
