"""Building and closing the process's dependencies: the only place that starts I/O."""

from __future__ import annotations

from openai import AsyncOpenAI
from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import Clock
from bot.content.embeddings import create_embedder
from bot.deps import Deps
from bot.settings import Settings
from bot.slack_auth import SlackAuth
from store.database import Database, open_database


def create_llm(settings: Settings) -> AsyncOpenAI | None:
    """One shared OpenAI-compatible client, or None for the offline answerer."""
    if not settings.llm_enabled:
        return None
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else "unused"
    return AsyncOpenAI(
        api_key=key,
        base_url=settings.openai_base_url,
        timeout=settings.llm_timeout_seconds,
        max_retries=2,
    )


def create_slack_client(settings: Settings) -> AsyncWebClient:
    """The client background workers send with; the outbox handles 429s and 5xx itself."""
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    # No client-side retries: a retry inside the client could repost a message the outbox's
    # metadata check never saw; the outbox retries itself, after looking for the first attempt.
    return AsyncWebClient(
        token=token, base_url=settings.slack_api_url, timeout=15, retry_handlers=[]
    )


def build_deps(settings: Settings, db: Database, *, clock: Clock | None = None) -> Deps:
    """Assemble ``Deps`` around an open database."""
    return Deps(
        settings=settings,
        db=db,
        slack=create_slack_client(settings),
        llm=create_llm(settings),
        embedder=create_embedder(settings),
        clock=clock or Clock(),
        # A token per workspace: one workspace's refused token holds only that workspace's work.
        slack_auth=SlackAuth(per_workspace=settings.mode == "multi"),
    )


async def open_configured_database(settings: Settings) -> Database:
    """Open the database the settings name (the embedded one without DATABASE_URL), migrated."""
    return await open_database(
        settings.database_url,
        settings.data_dir,
        pool_size=settings.db_pool_size,
        transaction_pooling=settings.database_transaction_pooling,
        direct_url=settings.database_direct_url,
    )


async def open_deps(settings: Settings) -> Deps:
    """Open the database (embedded or configured), migrate it, and build ``Deps``."""
    return build_deps(settings, await open_configured_database(settings))


async def close_deps(deps: Deps) -> None:
    """Close clients and the database pool."""
    if deps.llm is not None:
        await deps.llm.close()
    await deps.db.close()
