"""Credential precedence and every error path, as a pure function of options,
environment and files.

The account is named by the highest level that names one (the task's options,
then the OSC_* environment, then the default profile); a lower level never
replaces it. The matrix below tries every combination of where keys and a
profile can be given."""

import itertools
import json
import os

import pytest

from ansible_collections.outscale.cloud.plugins.module_utils._credentials import (
    CredentialsError,
    other_account_settings,
    resolve_settings,
)

OPT = {"access_key": "AK_OPTION", "secret_key": "SK_OPTION"}
ENV = {"OSC_ACCESS_KEY": "AK_ENV", "OSC_SECRET_KEY": "SK_ENV"}
FILE_PROFILE = {
    "access_key": "AK_FILE",
    "secret_key": "SK_FILE",
    "region": "us-east-2",
    "endpoints": {"api": "api.us-east-2.example.test/api/v1"},
    "protocol": "https",
}


@pytest.fixture
def home(tmp_path):
    """A home directory with ~/.osc/config.json holding 'default' and 'other' profiles."""
    osc = tmp_path / ".osc"
    osc.mkdir()
    (osc / "config.json").write_text(
        json.dumps(
            {
                "default": FILE_PROFILE,
                "other": {
                    "access_key": "AK_OTHER",
                    "secret_key": "SK_OTHER",
                    "region": "ap-northeast-1",
                    "tls_skip_verify": True,
                },
            }
        )
    )
    return str(tmp_path)


def resolve(options=None, environ=None, home_dir=None):
    return resolve_settings(dict(options or {}), environ=dict(environ or {}), home=home_dir)


# -- precedence matrix -------------------------------------------------------


@pytest.mark.parametrize(
    "use_option, use_env, use_file, expected_key, expected_source",
    [
        (True, True, True, "AK_OPTION", "options"),
        (True, False, True, "AK_OPTION", "options"),
        (True, True, False, "AK_OPTION", "options"),
        (False, True, True, "AK_ENV", "environment"),
        (False, True, False, "AK_ENV", "environment"),
        (False, False, True, "AK_FILE", "profile 'default'"),
    ],
)
def test_key_pair_precedence(home, tmp_path, use_option, use_env, use_file, expected_key, expected_source):
    home_dir = home if use_file else str(tmp_path / "nohome")
    settings = resolve(OPT if use_option else {}, ENV if use_env else {}, home_dir)
    assert settings.access_key == expected_key
    assert settings.secret_key == expected_key.replace("AK", "SK")
    assert settings.sources["keys"].startswith(expected_source)


@pytest.mark.parametrize(
    "options, environ, expected, source",
    [
        ({"region": "cloudgouv-eu-west-1"}, {"OSC_REGION": "us-west-1"}, "cloudgouv-eu-west-1", "option region"),
        ({}, {"OSC_REGION": "us-west-1"}, "us-west-1", "environment variable OSC_REGION"),
        ({}, {}, "us-east-2", "profile 'default'"),
    ],
)
def test_region_precedence_with_file(home, options, environ, expected, source):
    settings = resolve(options, environ, home)  # no keys given: the file is read
    assert settings.region == expected
    assert settings.sources["region"].startswith(source)


def test_defaults_without_file(tmp_path):
    settings = resolve(OPT, {}, str(tmp_path))
    assert settings.region == "eu-west-2"
    assert settings.endpoint == "https://api.eu-west-2.outscale.com/api/v1"
    assert settings.validate_certs is True
    assert (settings.request_timeout, settings.max_retries, settings.retry_max_time) == (30, 10, 60)


def test_endpoint_follows_region_by_default(tmp_path):
    assert (
        resolve(dict(OPT, region="us-west-1"), {}, str(tmp_path)).endpoint
        == "https://api.us-west-1.outscale.com/api/v1"
    )


@pytest.mark.parametrize(
    "options, environ, expected",
    [
        (
            {"endpoint": "http://127.0.0.1:8080/api/v1"},
            {"OSC_ENDPOINT_API": "https://env.test/api/v1"},
            "http://127.0.0.1:8080/api/v1",
        ),
        ({}, {"OSC_ENDPOINT_API": "https://env.test/api/v1/"}, "https://env.test/api/v1"),
        ({"endpoint": "https://host.test"}, {}, "https://host.test/api/v1"),
    ],
)
def test_endpoint_precedence_and_normalisation(tmp_path, options, environ, expected):
    assert resolve(dict(OPT, **options), environ, str(tmp_path)).endpoint == expected


def test_profile_endpoint_without_scheme_uses_protocol(home):
    assert resolve({}, {}, home).endpoint == "https://api.us-east-2.example.test/api/v1"


def test_named_profile_from_environment(home):
    settings = resolve({}, {"OSC_PROFILE": "other"}, home)
    assert (settings.access_key, settings.region, settings.validate_certs) == ("AK_OTHER", "ap-northeast-1", False)


def test_keys_and_profile_in_the_task_are_refused(home):
    message = error_of(dict(OPT, profile="other"), {}, home)
    assert "Both a key pair (access_key/secret_key) and a profile (profile: other)" in message
    assert "in the task" in message and "SK_OPTION" not in message


def test_implicit_file_is_ignored_when_keys_are_given(home):
    settings = resolve(OPT, {}, home)
    assert settings.region == "eu-west-2"  # the default profile's us-east-2 is not used


@pytest.mark.parametrize(
    "options, environ, expected",
    [
        ({"validate_certs": True}, {"OSC_TLS_SKIP_VERIFY": "true"}, True),
        ({"validate_certs": False}, {}, False),
        ({}, {"OSC_TLS_SKIP_VERIFY": "true"}, False),
        ({}, {"OSC_TLS_SKIP_VERIFY": "false"}, True),
    ],
)
def test_validate_certs_precedence(tmp_path, options, environ, expected):
    assert resolve(dict(OPT, **options), environ, str(tmp_path)).validate_certs is expected


def test_config_file_option_beats_environment(home, tmp_path):
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"default": {"access_key": "AK_X", "secret_key": "SK_X"}}))
    settings = resolve(
        {"config_file": str(other)}, {"OSC_CONFIG_FILE": os.path.join(home, ".osc", "config.json")}, home
    )
    assert settings.access_key == "AK_X"


def test_repr_never_shows_the_secret(tmp_path):
    assert "SK_OPTION" not in repr(resolve(OPT, {}, str(tmp_path)))


# -- error paths ---------------------------------------------------------------


def error_of(options=None, environ=None, home_dir=None):
    with pytest.raises(CredentialsError) as info:
        resolve(options, environ, home_dir)
    return str(info.value)


def test_no_keys_anywhere_lists_what_was_tried(tmp_path):
    message = error_of({}, {}, str(tmp_path))
    for tried in ("access_key/secret_key", "OSC_ACCESS_KEY/OSC_SECRET_KEY", "profile 'default'", "file not found"):
        assert tried in message


def test_profile_without_keys(tmp_path):
    path = tmp_path / "c.json"
    path.write_text(json.dumps({"default": {"region": "eu-west-2"}}))
    assert "no access_key/secret_key in it" in error_of({"config_file": str(path)}, {}, str(tmp_path))


@pytest.mark.parametrize(
    "options, environ, needle",
    [
        ({"access_key": "AK"}, {}, "access_key is set in the options but secret_key is not"),
        ({"secret_key": "SK"}, {}, "secret_key is set in the options but access_key is not"),
        ({}, {"OSC_ACCESS_KEY": "AK"}, "OSC_ACCESS_KEY is set in the environment but OSC_SECRET_KEY is not"),
    ],
)
def test_half_a_key_pair(tmp_path, options, environ, needle):
    assert needle in error_of(options, environ, str(tmp_path))


def test_missing_explicit_config_file(tmp_path):
    message = error_of({"config_file": str(tmp_path / "absent.json")}, {}, str(tmp_path))
    assert "does not exist" in message and "absent.json" in message


def test_missing_profile_lists_available_ones(home):
    message = error_of({"profile": "prod"}, {}, home)
    assert "profile 'prod' not found" in message and "default, other" in message


def test_malformed_config_file_reports_position_not_content(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"default": {"access_key": "AK", "secret_key": "SUPERSECRET",}}')
    message = error_of({"config_file": str(path)}, {}, str(tmp_path))
    assert "not valid JSON" in message and "line 1" in message
    assert "SUPERSECRET" not in message


def test_config_file_that_is_not_an_object(tmp_path):
    path = tmp_path / "list.json"
    path.write_text("[1, 2]")
    assert "must hold a JSON object" in error_of({"config_file": str(path)}, {}, str(tmp_path))


def test_profile_that_is_not_an_object(tmp_path):
    path = tmp_path / "p.json"
    path.write_text('{"default": "AK:SK"}')
    assert "must be a JSON object" in error_of({"config_file": str(path)}, {}, str(tmp_path))


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_config_file(tmp_path):
    path = tmp_path / "locked.json"
    path.write_text("{}")
    path.chmod(0)
    assert "cannot be read" in error_of({"config_file": str(path)}, {}, str(tmp_path))


def test_config_file_that_is_a_directory(tmp_path):
    # Unreadable in a way that holds even for root.
    assert "cannot be read" in error_of({"config_file": str(tmp_path)}, {}, str(tmp_path))


@pytest.mark.parametrize("region", ["EU-WEST-2", "eu_west_2", "mars", "eu-west-", ""])
def test_invalid_region(tmp_path, region):
    if region == "":
        assert resolve(dict(OPT, region=region), {}, str(tmp_path)).region == "eu-west-2"
    else:
        assert "is not a valid Outscale region" in error_of(dict(OPT, region=region), {}, str(tmp_path))


@pytest.mark.parametrize(
    "endpoint",
    [
        "api.eu-west-2.outscale.com",
        "ftp://host/api/v1",
        "https://",
        "http://host:99999/api/v1",
        "http://host:port/api/v1",
    ],
)
def test_malformed_endpoint(tmp_path, endpoint):
    message = error_of(dict(OPT, endpoint=endpoint), {}, str(tmp_path))
    assert endpoint in message and ("not a valid URL" in message or "invalid port" in message)


def test_client_certificate_needs_its_key(tmp_path):
    cert = tmp_path / "c.pem"
    cert.write_text("x")
    assert "go together" in error_of(dict(OPT, x509_client_cert=str(cert)), {}, str(tmp_path))


def test_missing_certificate_files(tmp_path):
    message = error_of(dict(OPT, ca_bundle=str(tmp_path / "nope.pem")), {}, str(tmp_path))
    assert "nope.pem" in message and "not a readable file" in message
    message = error_of(
        {}, dict(ENV, OSC_X509_CLIENT_CERT="/nope/c.pem", OSC_X509_CLIENT_KEY="/nope/k.pem"), str(tmp_path)
    )
    assert "OSC_X509_CLIENT_CERT" in message


# -- the full matrix: keys and profile at each level ---------------------------
# Every combination of: keys in the task, a profile in the task, keys in the
# environment, a profile in the environment. The expected account follows the
# rule: the highest level naming an account wins; keys and profile at one level
# are refused; nothing at all falls back to the default profile.

PROFILES = {
    "default": {"access_key": "AK_DEFAULT", "secret_key": "SK_DEFAULT", "region": "us-east-2"},
    "task-profile": {
        "access_key": "AK_TASK_PROFILE",
        "secret_key": "SK_TASK_PROFILE",
        "region": "us-west-1",
        "endpoints": {"api": "https://task-profile.example.test/api/v1"},
    },
    "env-profile": {"access_key": "AK_ENV_PROFILE", "secret_key": "SK_ENV_PROFILE", "region": "ap-northeast-1"},
}


def expected_account(task_keys, task_profile, env_keys, env_profile):
    if task_keys and task_profile:
        return "refused: in the task"
    if task_keys:
        return "AK_OPTION"
    if task_profile:
        return "AK_TASK_PROFILE"
    if env_keys and env_profile:
        return "refused: in the environment"
    if env_keys:
        return "AK_ENV"
    if env_profile:
        return "AK_ENV_PROFILE"
    return "AK_DEFAULT"


@pytest.mark.parametrize(
    "task_keys, task_profile, env_keys, env_profile", list(itertools.product([False, True], repeat=4))
)
def test_precedence_matrix(tmp_path, task_keys, task_profile, env_keys, env_profile):
    osc = tmp_path / ".osc"
    osc.mkdir()
    (osc / "config.json").write_text(json.dumps(PROFILES))
    options = dict(OPT) if task_keys else {}
    if task_profile:
        options["profile"] = "task-profile"
    environ = dict(ENV) if env_keys else {}
    if env_profile:
        environ["OSC_PROFILE"] = "env-profile"
    expected = expected_account(task_keys, task_profile, env_keys, env_profile)
    if expected.startswith("refused: "):
        message = error_of(options, environ, str(tmp_path))
        assert "Both a key pair" in message and expected[len("refused: ") :] in message
        assert "SK_" not in message
        return
    settings = resolve(options, environ, str(tmp_path))
    assert settings.access_key == expected
    assert settings.secret_key == expected.replace("AK_", "SK_", 1)


def test_task_profile_beats_environment_region_and_endpoint(tmp_path):
    """The account, region and endpoint a task's profile names go together: an exported
    OSC_REGION or OSC_ENDPOINT_API (say, of a simulator) must not send its keys elsewhere."""
    osc = tmp_path / ".osc"
    osc.mkdir()
    (osc / "config.json").write_text(json.dumps(PROFILES))
    environ = dict(ENV, OSC_REGION="eu-west-2", OSC_ENDPOINT_API="http://127.0.0.1:9/api/v1")
    settings = resolve({"profile": "task-profile"}, environ, str(tmp_path))
    assert (settings.access_key, settings.region, settings.endpoint) == (
        "AK_TASK_PROFILE",
        "us-west-1",
        "https://task-profile.example.test/api/v1",
    )
    # The task's own options still come first.
    settings = resolve({"profile": "task-profile", "region": "cloudgouv-eu-west-1"}, environ, str(tmp_path))
    assert settings.region == "cloudgouv-eu-west-1"


def test_environment_keys_ignore_an_environment_config_file(home, tmp_path):
    # OSC_CONFIG_FILE only says where profiles live; with keys in the environment it names no account.
    settings = resolve({}, dict(ENV, OSC_CONFIG_FILE=os.path.join(home, ".osc", "config.json")), home)
    assert settings.access_key == "AK_ENV"


def test_task_config_file_is_not_steered_by_osc_profile(home):
    """The task names the file: the account is its default profile, not the one OSC_PROFILE exports for another tool."""
    settings = resolve({"config_file": os.path.join(home, ".osc", "config.json")}, {"OSC_PROFILE": "other"}, home)
    assert settings.access_key == "AK_FILE"


def test_task_config_file_beats_environment_keys(home):
    settings = resolve({"config_file": os.path.join(home, ".osc", "config.json")}, ENV, home)
    assert settings.access_key == "AK_FILE"


# -- accepter_credentials ---------------------------------------------------------


def main_settings(**extra):
    options = dict(
        access_key="AKMAIN",
        secret_key="SKMAIN",
        region="us-east-2",
        endpoint="http://127.0.0.1:9/api/v1",
        validate_certs=False,
        request_timeout=7,
        max_retries=2,
        retry_max_time=9,
    )
    options.update(extra)
    return resolve_settings(options, environ={})


def test_accepter_settings_inherit_connection(monkeypatch):
    monkeypatch.setenv("OSC_ACCESS_KEY", "AKFROMENV")
    monkeypatch.setenv("OSC_SECRET_KEY", "SKFROMENV")
    monkeypatch.setenv("OSC_REGION", "ap-northeast-1")
    settings = other_account_settings(main_settings(), {"access_key": "AKB", "secret_key": "SKB", "region": None})
    assert (settings.access_key, settings.secret_key) == ("AKB", "SKB")
    assert settings.region == "us-east-2"  # the main connection's, never OSC_REGION
    assert settings.endpoint == "http://127.0.0.1:9/api/v1"
    assert settings.validate_certs is False
    assert (settings.request_timeout, settings.max_retries, settings.retry_max_time) == (7, 2, 9)


def test_accepter_settings_need_keys_or_profile(monkeypatch):
    monkeypatch.setenv("OSC_ACCESS_KEY", "AKFROMENV")
    monkeypatch.setenv("OSC_SECRET_KEY", "SKFROMENV")
    with pytest.raises(CredentialsError) as info:
        other_account_settings(main_settings(), {"region": "us-east-2"})
    assert "access_key and secret_key, or profile" in str(info.value)
    with pytest.raises(CredentialsError) as info:
        other_account_settings(main_settings(), {"access_key": "AKB"})
    assert "secret_key" in str(info.value)


def test_accepter_settings_from_profile(tmp_path):
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"partner": {"access_key": "AKP", "secret_key": "SKP"}}))
    settings = other_account_settings(main_settings(), {"profile": "partner", "config_file": str(config)})
    assert settings.access_key == "AKP" and settings.endpoint == "http://127.0.0.1:9/api/v1"


def test_accepter_profile_is_read_from_the_task_connections_profile_file(tmp_path):
    """make sim writes default and partner into one file, exported as OSC_CONFIG_FILE: `profile: partner` finds it."""
    config = tmp_path / "sim-config.json"
    config.write_text(
        json.dumps(
            {
                "default": {
                    "access_key": "AKA",
                    "secret_key": "SKA",
                    "endpoints": {"api": "http://127.0.0.1:12/api/v1"},
                },
                "partner": {
                    "access_key": "AKP",
                    "secret_key": "SKP",
                    "endpoints": {"api": "http://127.0.0.1:12/api/v1"},
                },
            }
        )
    )
    main = resolve_settings({}, environ={"OSC_CONFIG_FILE": str(config)}, home=str(tmp_path / "nohome"))
    assert main.access_key == "AKA" and main.config_file == str(config)
    settings = other_account_settings(main, {"profile": "partner"})
    assert (settings.access_key, settings.secret_key) == ("AKP", "SKP")
    # A main connection by keys still tells where its profile file is; the accepter's own config_file wins.
    by_keys = resolve_settings({"access_key": "AK", "secret_key": "SK"}, environ={"OSC_CONFIG_FILE": str(config)})
    assert other_account_settings(by_keys, {"profile": "partner"}).access_key == "AKP"
    other = tmp_path / "other.json"
    other.write_text(json.dumps({"partner": {"access_key": "AKO", "secret_key": "SKO"}}))
    assert other_account_settings(main, {"profile": "partner", "config_file": str(other)}).access_key == "AKO"


def test_accepter_profile_defaults_to_the_task_home_file(tmp_path):
    home = tmp_path / "home"
    (home / ".osc").mkdir(parents=True)
    (home / ".osc" / "config.json").write_text(json.dumps({"partner": {"access_key": "AKH", "secret_key": "SKH"}}))
    main = resolve_settings({"access_key": "AK", "secret_key": "SK"}, environ={}, home=str(home))
    assert main.config_file == str(home / ".osc" / "config.json")
    assert other_account_settings(main, {"profile": "partner"}).access_key == "AKH"


def test_accepter_settings_own_endpoint_wins(tmp_path):
    config = tmp_path / "config.json"
    config.write_text(
        json.dumps(
            {"partner": {"access_key": "AKP", "secret_key": "SKP", "endpoints": {"api": "http://127.0.0.1:10/api/v1"}}}
        )
    )
    settings = other_account_settings(main_settings(), {"profile": "partner", "config_file": str(config)})
    assert settings.endpoint == "http://127.0.0.1:10/api/v1"
    settings = other_account_settings(
        main_settings(),
        {"access_key": "AKB", "secret_key": "SKB", "endpoint": "http://127.0.0.1:11/api/v1", "validate_certs": True},
    )
    assert settings.endpoint == "http://127.0.0.1:11/api/v1" and settings.validate_certs is True


def test_accepter_in_another_region_never_goes_to_a_public_endpoint_unasked():
    # The task uses its own endpoint (say a simulator): the accepter's keys must not be sent
    # to https://api.<other region>.outscale.com because only a region was given.
    with pytest.raises(CredentialsError) as info:
        other_account_settings(main_settings(), {"access_key": "AKB", "secret_key": "SKB", "region": "ap-northeast-1"})
    assert "give the accepter's endpoint too" in str(info.value)


# -- issue 19: hardening ---------------------------------------------------------


def write_profile(tmp_path, profile, mode=0o600):
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"default": dict({"access_key": "AK_FILE", "secret_key": "SK_FILE"}, **profile)}))
    path.chmod(mode)
    return str(path)


@pytest.mark.parametrize(
    "value, validate_certs",
    [(True, False), (False, True), ("false", True), ("0", True), ("no", True), ("true", False), ("1", False)],
)
def test_profile_tls_skip_verify_strings_are_parsed_not_taken_for_their_truth(tmp_path, value, validate_certs):
    # Defect 1: "false" (a non-empty string) switched TLS verification off.
    settings = resolve({"config_file": write_profile(tmp_path, {"tls_skip_verify": value})}, {}, str(tmp_path))
    assert settings.validate_certs is validate_certs


@pytest.mark.parametrize("value", ["maybe", 0, 1, [], {}])
def test_profile_tls_skip_verify_garbage_names_file_profile_and_key(tmp_path, value):
    path = write_profile(tmp_path, {"tls_skip_verify": value})
    message = error_of({"config_file": path}, {}, str(tmp_path))
    assert path in message and "profile 'default'" in message and "tls_skip_verify" in message


@pytest.mark.parametrize(
    "profile, key",
    [
        ({"secret_key": 12345}, "secret_key"),
        ({"access_key": ["AK"]}, "access_key"),
        ({"region": 2}, "region"),
        ({"endpoints": {"api": 443}}, "endpoints.api"),
        ({"endpoints": "api.example.test"}, "endpoints"),
        ({"protocol": True}, "protocol"),
    ],
)
def test_profile_value_types_are_checked_naming_file_profile_and_key(tmp_path, profile, key):
    # Defect 6: secret_key 12345 gave "can only concatenate str (not "int") to str".
    path = write_profile(tmp_path, profile)
    message = error_of({"config_file": path}, {}, str(tmp_path))
    assert path in message and "profile 'default'" in message and f"{key} must be" in message
    assert "12345" not in message


@pytest.mark.parametrize("region", ["eu-west-2\n", "eu-west-2\r\n", " eu-west-2"])
def test_region_with_a_line_end_is_refused(tmp_path, region):
    # Defect 6: "$" accepted a final newline, which then broke (and printed) the signed header.
    assert "is not a valid Outscale region" in error_of(dict(OPT, region=region), {}, str(tmp_path))


@pytest.mark.parametrize("name", ["access_key", "secret_key"])
@pytest.mark.parametrize("suffix", ["\n", "\r\n", " ", "\x00"])
def test_keys_with_control_characters_are_refused_without_being_shown(tmp_path, name, suffix):
    options = dict(OPT, **{name: OPT[name] + suffix})
    message = error_of(options, {}, str(tmp_path))
    assert name in message and "control characters" in message
    assert "SK_OPTION" not in message


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://127.0.0.1:8080/api/v1 ",
        "http://127.0.0.1:8080/api/v1\r\nX-Evil: 1",
        "http://127.0.0.1:8080/api\x00/v1",
        "http://exa mple.com/api/v1",
        "http://[::1/api/v1",
        "http://[not-ipv6]/api/v1",
    ],
)
def test_malformed_endpoints_are_refused_before_any_call(tmp_path, endpoint):
    # Defect 6: a space, CRLF or NUL was retried for 54 s; malformed IPv6 gave a raw ValueError.
    message = error_of(dict(OPT, endpoint=endpoint), {}, str(tmp_path))
    assert "endpoint" in message and ("not a valid URL" in message or "control character" in message)


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://user:PaSsWoRd@api.eu-west-2.outscale.com/api/v1",
        "https://user:Pa#SsWoRd@api.eu-west-2.outscale.com/api/v1",
        "https://user:Pa/SsWoRd@api.eu-west-2.outscale.com/api/v1",
        "https://user:Pa?SsWoRd@api.eu-west-2.outscale.com/api/v1",
        "https://PaSsWoRd@api.eu-west-2.outscale.com/api/v1",
    ],
)
def test_endpoint_with_user_information_is_refused_without_echoing_it(tmp_path, endpoint):
    # Defect 10: the user:password was ignored, and its password printed in messages.
    message = error_of(dict(OPT, endpoint=endpoint), {}, str(tmp_path))
    assert "endpoint" in message and ("user name or password" in message or "not a valid URL" in message)
    assert "SsWoRd" not in message and "user:" not in message


def test_config_file_of_another_users_home_is_expanded_as_a_shell_does(tmp_path, monkeypatch):
    # Defect 10: ~bob/x became <my home>bob/x.
    expanded = {}

    def fake_expanduser(path):
        expanded[path] = str(tmp_path / "bob" / path.split("/", 1)[1])
        return expanded[path]

    monkeypatch.setattr(os.path, "expanduser", fake_expanduser)
    message = error_of({}, {"OSC_CONFIG_FILE": "~bob/x.json"}, str(tmp_path / "me"))
    assert "~bob/x.json" in expanded
    assert str(tmp_path / "bob" / "x.json") in message and "mebob" not in message


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
@pytest.mark.parametrize("mode, warned", [(0o644, True), (0o640, True), (0o604, True), (0o600, False), (0o400, False)])
def test_config_file_readable_by_others_is_warned_about(tmp_path, mode, warned):
    # Defect 8: a 0644 ~/.osc/config.json gave no warning.
    path = write_profile(tmp_path, {}, mode)
    warnings = resolve({"config_file": path}, {}, str(tmp_path)).warnings
    if warned:
        assert len(warnings) == 1 and path in warnings[0] and f"chmod 600 {path}" in warnings[0]
        assert "SK_FILE" not in warnings[0]
    else:
        assert warnings == []


def test_ca_bundle_keeps_verification_on_even_with_validate_certs_false(tmp_path):
    # Defect 9: documented in doc_fragments/osc.py; the settings say it too, whatever the transport.
    bundle = tmp_path / "ca.pem"
    bundle.write_text("not read here\n")
    assert resolve(dict(OPT, validate_certs=False, ca_bundle=str(bundle)), {}, str(tmp_path)).validate_certs is True
    assert resolve(dict(OPT, validate_certs=False), {}, str(tmp_path)).validate_certs is False


def test_config_file_nested_too_deep_is_a_clear_error_naming_it(tmp_path):
    # Review 17: json.loads raises RecursionError, not ValueError, on a file nested 100,000 deep.
    path = tmp_path / "deep.json"
    path.write_text('{"default": ' + "[" * 100000 + "]" * 100000 + "}")
    message = error_of({"config_file": str(path)}, {}, str(tmp_path))
    assert "deep.json" in message and "nested too deeply" in message
