"""Settings: defaults, parsing, and one clear line for every bad value."""

from __future__ import annotations

import pytest

from bot.content.coaching import MODE_NAMES
from bot.errors import ConfigError
from bot.settings import Settings, load_settings


def test_defaults_match_the_readme(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir("/")
    settings = load_settings(_env_file=None)
    assert settings.escalation_confidence_threshold == 0.40
    assert settings.escalation_max_turns == 8
    assert settings.auto_close_days == 7.0
    assert settings.burst_window_seconds == 4.0
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.llm_enabled is False
    assert settings.resolved_embedding_model == "all-MiniLM-L6-v2"
    assert settings.coaching_mode == "answer"


def test_the_coaching_mode_setting_takes_exactly_the_coaching_modes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for mode in MODE_NAMES:
        monkeypatch.setenv("COACHING_MODE", mode)
        assert load_settings(_env_file=None).coaching_mode == mode
    monkeypatch.setenv("COACHING_MODE", "solve")
    with pytest.raises(ConfigError, match="'answer', 'hint' or 'socratic'"):
        load_settings(_env_file=None)


def test_admin_ids_are_split_from_a_comma_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADMIN_USER_IDS", " U1, U2 ,,U3")
    assert load_settings(_env_file=None).admin_user_ids == ["U1", "U2", "U3"]


def test_slack_api_url_gets_a_trailing_slash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_API_URL", "http://127.0.0.1:9/api")
    assert load_settings(_env_file=None).slack_api_url == "http://127.0.0.1:9/api/"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ESCALATION_CONFIDENCE_THRESHOLD", "1.5"),
        ("ESCALATION_CONFIDENCE_THRESHOLD", "high"),
        ("PORT", "0"),
        ("EMBEDDING_BACKEND", "gpu"),
        ("BURST_WINDOW_SECONDS", "-1"),
        ("BURST_WINDOW_SECONDS", "61"),
        ("BURST_WINDOW_SECONDS", "soon"),
        ("COACHING_MODE", "hints"),
    ],
)
def test_an_invalid_value_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as raised:
        load_settings(_env_file=None)
    message = raised.value.user_message
    assert message.startswith(name)
    assert "\n" not in message


def test_serving_needs_a_bot_token() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN"):
        settings.require_slack()


def test_serving_needs_a_signing_secret_unless_socket_mode() -> None:
    http = Settings(_env_file=None, slack_bot_token="xoxb-1")  # type: ignore[call-arg, arg-type]
    with pytest.raises(ConfigError, match="SLACK_SIGNING_SECRET"):
        http.require_slack()
    socket = Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token="xoxb-1",  # type: ignore[arg-type]
        slack_app_token="xapp-1",  # type: ignore[arg-type]
    )
    socket.require_slack()


def test_a_user_token_is_refused() -> None:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token="xoxp-user",  # type: ignore[arg-type]
        slack_signing_secret="s",  # type: ignore[arg-type]
    )
    with pytest.raises(ConfigError, match="xoxb-"):
        settings.require_slack()


def test_a_transaction_pooler_and_its_direct_url_are_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert load_settings(_env_file=None).database_transaction_pooling is False
    monkeypatch.setenv("DATABASE_TRANSACTION_POOLING", "true")
    monkeypatch.setenv("DATABASE_DIRECT_URL", "postgresql://bot@db:5432/coachbot")
    settings = load_settings(_env_file=None)
    assert settings.database_transaction_pooling is True
    assert settings.database_direct_url == "postgresql://bot@db:5432/coachbot"
    # Compose files pass an unset variable on as an empty one.
    monkeypatch.setenv("DATABASE_DIRECT_URL", "")
    assert load_settings(_env_file=None).database_direct_url is None


def test_a_direct_url_that_is_not_postgresql_names_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_DIRECT_URL", "mysql://db/coachbot")
    with pytest.raises(ConfigError) as raised:
        load_settings(_env_file=None)
    assert raised.value.user_message.startswith("DATABASE_DIRECT_URL is invalid")
    assert "postgresql://" in raised.value.user_message


def _oauth(**values: object) -> Settings:
    base: dict[str, object] = {
        "_env_file": None,
        "slack_client_id": "123.456",
        "slack_client_secret": "shh",
        "slack_signing_secret": "s",
    }
    return Settings(**(base | values))  # type: ignore[arg-type]


def test_one_workspace_is_served_with_a_bot_token_and_many_with_the_apps_credentials() -> None:
    single = Settings(
        _env_file=None,  # type: ignore[call-arg]
        slack_bot_token="xoxb-1",  # type: ignore[arg-type]
        slack_signing_secret="s",  # type: ignore[arg-type]
    )
    single.require_slack()
    assert single.mode == "single"
    assert Settings(_env_file=None).mode == "single"  # type: ignore[call-arg]
    multi = _oauth()
    multi.require_slack()
    assert multi.mode == "multi"
    assert multi.slack_token_rotation is False
    assert multi.slack_redirect_uri is None


def test_the_oauth_settings_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_CLIENT_ID", "123.456")
    monkeypatch.setenv("SLACK_CLIENT_SECRET", "shh")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    monkeypatch.setenv("SLACK_REDIRECT_URI", "https://coach.example.com/slack/oauth_redirect")
    monkeypatch.setenv("SLACK_TOKEN_ROTATION", "true")
    monkeypatch.setenv("SLACK_SCOPES", "chat:write, im:history")
    settings = load_settings(_env_file=None)
    settings.require_slack()
    assert settings.mode == "multi"
    assert settings.slack_client_secret is not None
    assert settings.slack_client_secret.get_secret_value() == "shh"
    assert "shh" not in repr(settings)
    assert settings.slack_redirect_uri == "https://coach.example.com/slack/oauth_redirect"
    assert settings.slack_token_rotation is True
    assert settings.slack_scopes == ["chat:write", "im:history"]
    # Compose passes unset variables on as empty ones.
    monkeypatch.setenv("SLACK_REDIRECT_URI", "")
    assert load_settings(_env_file=None).slack_redirect_uri is None


@pytest.mark.parametrize(
    ("values", "names"),
    [
        ({"slack_bot_token": "xoxb-1"}, ["SLACK_BOT_TOKEN", "SLACK_CLIENT_ID", "not both"]),
        ({"slack_client_secret": None}, ["SLACK_CLIENT_ID and SLACK_CLIENT_SECRET"]),
        ({"slack_client_id": None}, ["SLACK_CLIENT_ID and SLACK_CLIENT_SECRET"]),
        ({"slack_client_secret": ""}, ["SLACK_CLIENT_SECRET"]),
        ({"slack_app_token": "xapp-1"}, ["HTTP mode", "SLACK_APP_TOKEN"]),
        ({"slack_signing_secret": None}, ["SLACK_SIGNING_SECRET"]),
        ({"slack_scopes": []}, ["SLACK_SCOPES"]),
    ],
)
def test_any_other_combination_of_slack_credentials_is_refused_clearly(
    values: dict[str, object], names: list[str]
) -> None:
    with pytest.raises(ConfigError) as raised:
        _oauth(**values).require_slack()
    message = raised.value.user_message
    assert [name for name in names if name not in message] == []
    assert "\n" not in message
