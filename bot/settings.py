"""The one settings object: read from the environment and an optional ``.env`` file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from pydantic_settings.exceptions import SettingsError

from bot.errors import ConfigError
from bot.slack_scopes import BOT_SCOPES

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
# Where Slack hosts the files people share; the bot token is sent to nowhere else.
DEFAULT_SLACK_FILES_URL = "https://files.slack.com/"
# Sent at once to a learner whose message raises a safety or wellbeing concern (Slack mrkdwn).
DEFAULT_SAFETY_RESOURCES = (
    "If you are in danger or thinking about hurting yourself, please call your local emergency "
    "number now (112 in Europe, 911 in the US and Canada, 999 in the UK), or reach a crisis line: "
    "<https://findahelpline.com|findahelpline.com> lists free, confidential ones in your country. "
    "If you can, tell someone near you how you feel."
)


class Settings(BaseSettings):
    """Every knob of the bot; the README lists them with their defaults."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    # Slack
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = DEFAULT_SLACK_API_URL
    # Files a learner shares are downloaded from here only (unset: files.slack.com, or with a
    # SLACK_API_URL of its own, that URL's host, as for a local fake Slack).
    slack_files_url: str | None = None
    # Many workspaces ("Add to Slack", README "One workspace or many"): the app's OAuth
    # credentials instead of SLACK_BOT_TOKEN; each workspace's bot token is then stored when it
    # installs the app through /slack/install.
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    # The bot scopes an install asks for: by default the manifest's (bot.slack_scopes).
    slack_scopes: Annotated[list[str], NoDecode] = Field(default_factory=lambda: list(BOT_SCOPES))
    # Where Slack sends the installer back; unset, the app's only Redirect URL is used.
    slack_redirect_uri: str | None = None
    # The app has token rotation turned on: bot tokens expire and are refreshed before they do.
    slack_token_rotation: bool = False
    trainer_channel_id: str | None = None
    admin_user_ids: Annotated[list[str], NoDecode] = Field(default_factory=list)

    # Database
    database_url: str | None = None
    data_dir: Path = Path(".coachbot")
    db_pool_size: int = Field(default=10, ge=1, le=200)
    # DATABASE_URL goes through a transaction pooler (PgBouncer's pool_mode=transaction): no
    # server-side prepared statements, and no LISTEN on it (wake-ups use DATABASE_DIRECT_URL, or
    # the worker polls).
    database_transaction_pooling: bool = False
    # A connection straight to PostgreSQL, used only to LISTEN for new tasks behind a pooler.
    database_direct_url: str | None = None

    # Language model and embeddings
    openai_api_key: SecretStr | None = None
    openai_base_url: str | None = None
    chat_model: str = "gpt-4o-mini"
    llm_timeout_seconds: float = Field(default=60.0, gt=0)
    # Whether CHAT_MODEL reads images: a learner's screenshot is then sent to it with the question.
    llm_accepts_images: bool = False
    embedding_backend: Literal["local", "openai"] = "local"
    embedding_model: str | None = None
    embedding_base_url: str | None = None
    embedding_api_key: SecretStr | None = None
    # Whether the chat model (when one is configured) writes the cards' thread summaries;
    # false: they are always extractive, and threads are never sent to the model for them.
    card_summary_model: bool = True
    # Cosine similarity a resolved ticket's question needs to be listed on a new ticket's card
    # (chosen for all-MiniLM-L6-v2 in bench/results/similar_tickets.md).
    similar_ticket_floor: float = Field(default=0.525, ge=0.0, le=1.0)

    # Coaching policy (per-course overrides live in the database)
    escalation_confidence_threshold: float = Field(default=0.40, ge=0.0, le=1.0)
    escalation_max_turns: int = Field(default=8, ge=1, le=100)
    # How fully labs are coached when neither the lab nor the course says (bot.content.coaching).
    coaching_mode: Literal["answer", "hint", "socratic"] = "answer"
    lab_struggle_threshold: int = Field(default=3, ge=2, le=50)
    auto_close_days: float = Field(default=7.0, gt=0)
    sla_claim_minutes: float = Field(default=30.0, gt=0)
    sla_admin_minutes: float = Field(default=120.0, gt=0)
    retrieval_top_k: int = Field(default=6, ge=1, le=50)
    # A workspace that uninstalled the app keeps its data this long (a reinstall resumes it),
    # then every row of it is deleted (bot.workspaces.lifecycle). 0: at the next check.
    workspace_retention_days: int = Field(default=30, ge=0, le=3650)
    # Learner messages of one learner answered at once (one LLM call each): a flood of new DMs
    # waits its turn instead of taking every worker slot.
    learner_tasks_per_user: int = Field(default=2, ge=1, le=100)
    # Messages of one thread sent within this many seconds of each other are answered together,
    # once: the answer waits this long after the latest. 0 answers every message on its own.
    burst_window_seconds: float = Field(default=4.0, ge=0.0, le=60.0)
    # With a model, answers stream into the thread (chat.startStream) once their confidence is
    # known; false posts each answer whole, as without a model.
    stream_answers: bool = True
    max_message_chars: int = Field(default=4000, ge=100, le=40000)
    ingest_max_file_bytes: int = Field(default=1024 * 1024, ge=1)
    # Files learners share: downloaded after the ack, stopped at these sizes and this time.
    file_max_image_bytes: int = Field(default=5 * 1024 * 1024, ge=1, le=20 * 1024 * 1024)
    file_max_text_bytes: int = Field(default=256 * 1024, ge=1, le=4 * 1024 * 1024)
    file_download_timeout_seconds: float = Field(default=20.0, gt=0, le=300)
    safety_resources: str = Field(default=DEFAULT_SAFETY_RESOURCES, min_length=1)

    # Email notifications (optional)
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str = "coachbot@localhost"
    smtp_starttls: bool = True
    smtp_verify_tls: bool = True  # false only for a lab server with a self-signed certificate

    # Server
    port: int = Field(default=3000, ge=1, le=65535)
    # /metrics answers only `Authorization: Bearer <METRICS_TOKEN>` (401 otherwise); unset, it is
    # not served at all (404), since the port it shares with Slack is usually public.
    metrics_token: SecretStr | None = None
    log_level: str = "INFO"
    log_json: bool = False

    @field_validator("admin_user_ids", "slack_scopes", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
        return value

    @field_validator("slack_client_id", "slack_redirect_uri", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        # Compose files pass an unset variable on as an empty one.
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("database_direct_url")
    @classmethod
    def _postgres_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        if not value.startswith(("postgresql://", "postgres://", "postgresql+psycopg://")):
            raise ValueError("must be a PostgreSQL URL such as postgresql://user:pass@host:5432/db")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        return value if value.endswith("/") else value + "/"

    @field_validator("slack_files_url")
    @classmethod
    def _files_trailing_slash(cls, value: str | None) -> str | None:
        return value if value is None or value.endswith("/") else value + "/"

    @property
    def files_base_url(self) -> str:
        """The only place shared files are downloaded from (with the bot token)."""
        if self.slack_files_url:
            return self.slack_files_url
        if self.slack_api_url == DEFAULT_SLACK_API_URL:
            return DEFAULT_SLACK_FILES_URL
        parts = urlsplit(self.slack_api_url)
        return f"{parts.scheme}://{parts.netloc}/"

    @property
    def mode(self) -> Literal["single", "multi"]:
        """``single``: one workspace, SLACK_BOT_TOKEN; ``multi``: any workspace that installs the
        app, with SLACK_CLIENT_ID and SLACK_CLIENT_SECRET."""
        oauth = self.slack_client_id is not None or self.slack_client_secret is not None
        return "multi" if oauth and self.slack_bot_token is None else "single"

    @property
    def llm_enabled(self) -> bool:
        """True when an OpenAI-compatible chat endpoint is configured."""
        return self.openai_api_key is not None or self.openai_base_url is not None

    @property
    def resolved_embedding_model(self) -> str:
        """The embedding model name, defaulting per backend."""
        if self.embedding_model:
            return self.embedding_model
        return "all-MiniLM-L6-v2" if self.embedding_backend == "local" else "text-embedding-3-small"

    def require_slack(self) -> None:
        """Stop with a clear message when the Slack credentials needed to serve are missing, or
        mix the two modes."""
        if self.slack_client_id is not None or self.slack_client_secret is not None:
            self._require_oauth()
            return
        if self.slack_bot_token is None:
            raise ConfigError(
                "SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token (xoxb-...) from your "
                "Slack app's 'OAuth & Permissions' page into the environment or .env (or, to "
                "serve many workspaces, set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET instead)."
            )
        if self.slack_app_token is None and self.slack_signing_secret is None:
            raise ConfigError(
                "SLACK_SIGNING_SECRET is not set: copy it from your Slack app's "
                "'Basic Information' page, or set SLACK_APP_TOKEN (xapp-...) to use Socket Mode."
            )
        token = self.slack_bot_token.get_secret_value()
        if not token.startswith("xoxb-"):
            raise ConfigError("SLACK_BOT_TOKEN must be a bot token starting with 'xoxb-'.")
        if self.slack_app_token is not None and not (
            self.slack_app_token.get_secret_value().startswith("xapp-")
        ):
            raise ConfigError("SLACK_APP_TOKEN must be an app-level token starting with 'xapp-'.")

    def _require_oauth(self) -> None:
        if self.slack_bot_token is not None:
            raise ConfigError(
                "Set either SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID and "
                "SLACK_CLIENT_SECRET (many workspaces, each installing through /slack/install), "
                "not both."
            )
        secret = self.slack_client_secret
        if self.slack_client_id is None or secret is None or not secret.get_secret_value():
            raise ConfigError(
                "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET go together: copy both from your Slack "
                "app's 'Basic Information' page (App Credentials)."
            )
        if self.slack_app_token is not None:
            raise ConfigError(
                "Installing in many workspaces (SLACK_CLIENT_ID) needs HTTP mode, since Slack "
                "sends installers back to /slack/oauth_redirect: unset SLACK_APP_TOKEN."
            )
        if self.slack_signing_secret is None:
            raise ConfigError(
                "SLACK_SIGNING_SECRET is not set: copy it from your Slack app's "
                "'Basic Information' page (many workspaces are served in HTTP mode only)."
            )
        if not self.slack_scopes:
            raise ConfigError("SLACK_SCOPES is empty: unset it to ask for the manifest's scopes.")


def load_settings(**overrides: object) -> Settings:
    """Build settings, turning validation failures into one friendly ConfigError line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except SettingsError as exc:
        raise ConfigError(
            f"A setting could not be read: {exc}. Fix it in the environment or .env."
        ) from None
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "a setting"
        raise ConfigError(
            f"{name} is invalid: {first['msg']}. Fix it in the environment or .env "
            "(see the README's settings table)."
        ) from None
