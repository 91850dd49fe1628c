"""The long-lived objects every handler and service needs, built once per process."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from functools import cached_property

from openai import AsyncOpenAI
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.best_effort import BestEffortLog
from bot.clock import Clock
from bot.content.embedder import Embedder
from bot.content.vocabulary import VocabularyCache
from bot.settings import Settings
from bot.slack_auth import SlackAuth
from bot.slack_clients import SlackClients
from bot.workspace_registration import SingleWorkspace
from store.ack_path import TaskAnnouncer
from store.database import Database
from store.installations import installation_store
from store.tenancy import team_or_none


class WorkSignal:
    """Wakes this process's worker as soon as a task is enqueued, instead of waiting to poll."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def wake(self) -> None:
        """Tell the worker there is work."""
        self._event.set()

    async def wait(self, seconds: float) -> None:
        """Wait until woken or ``seconds`` pass."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._event.wait(), seconds)
        self._event.clear()


class StreamSupport:
    """Whether Slack accepts this process's streaming calls (chat.startStream); once refused,
    answers are posted whole until the process restarts."""

    def __init__(self) -> None:
        self.refused: str | None = None

    @property
    def available(self) -> bool:
        """False once Slack refused to start a stream."""
        return self.refused is None

    def refuse(self, reason: str) -> bool:
        """Remember the refusal; True the first time, so the caller logs it once."""
        first = self.refused is None
        self.refused = self.refused or reason
        return first


@dataclass(frozen=True)
class Deps:
    """Settings, database and clients, shared by the whole process."""

    settings: Settings
    db: Database
    slack: AsyncWebClient
    llm: AsyncOpenAI | None
    embedder: Embedder
    clock: Clock = field(default_factory=Clock)
    work: WorkSignal = field(default_factory=WorkSignal)
    # Whether Slack accepts this process's token; a refusal holds Slack work until fixed.
    slack_auth: SlackAuth = field(default_factory=SlackAuth)
    # Each course's vocabulary, derived from its chunks and rebuilt when it is re-indexed.
    vocabularies: VocabularyCache = field(default_factory=VocabularyCache)
    # Cosmetic Slack calls (agent session status, title) that already failed in this process.
    best_effort: BestEffortLog = field(default_factory=BestEffortLog)
    # Whether this workspace lets the bot stream answers (``bot.learner.stream``).
    streaming: StreamSupport = field(default_factory=StreamSupport)

    def __post_init__(self) -> None:
        # Every commit that enqueued a task wakes this process's worker: no caller has to.
        self.db.on_tasks_committed(self.work.wake)

    @cached_property
    def announcer(self) -> TaskAnnouncer:
        """Tells other processes about tasks the ack path enqueued (see ``TaskAnnouncer``)."""
        return TaskAnnouncer(self.db.autocommit)

    @cached_property
    def installations(self) -> AsyncSQLAlchemyInstallationStore | None:
        """Every workspace's installation and bot token; None with one workspace."""
        client_id = self.settings.slack_client_id
        if self.settings.mode != "multi" or client_id is None:
            return None
        return installation_store(self.db, client_id)

    @cached_property
    def slack_clients(self) -> SlackClients:
        """The client to send with for a workspace (``deps.slack`` with one workspace)."""
        return SlackClients.for_settings(self.settings, self.slack, self.installations)

    @cached_property
    def single_workspace(self) -> SingleWorkspace:
        """Registers the workspace of SLACK_BOT_TOKEN once per process (single mode only)."""
        return SingleWorkspace(self.db.sessions, self.clock)

    async def slack_client(self) -> AsyncWebClient:
        """The client for the workspace the running work belongs to (``bot.workspaces``)."""
        return await self.slack_clients.for_team(team_or_none() or "")

    @property
    def sessions(self) -> async_sessionmaker[AsyncSession]:
        """The session factory; services open ``async with deps.sessions.begin()``."""
        return self.db.sessions
