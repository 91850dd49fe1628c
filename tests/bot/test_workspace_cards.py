"""A workspace's cards, card DMs and urgent pings go to its own channel and admins only."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.escalation.publish import Publisher
from bot.settings import Settings
from bot.tasks.outbox import SLACK_CALL
from bot.workspaces import in_workspace
from store.models import Conversation, Escalation, Task
from store.repositories.workspaces import WorkspaceRepository

# Teams of this test alone: other tests commit rows in the usual ones.
HERE, OTHER = "T0CARDSA1", "T0CARDSB1"
NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)


async def _escalation(session: AsyncSession, card_channel: str | None, ts: str) -> Escalation:
    conversation = Conversation(channel_id="D0LEARN01", thread_ts=ts, learner_id="U0LEARN01")
    session.add(conversation)
    await session.flush()
    escalation = Escalation(
        conversation_id=conversation.id,
        learner_id="U0LEARN01",
        status="pending",
        question="Why does my loop never end?",
        triggers=[{"kind": "explicit_request", "detail": "asked for a human"}],
        card_channel=card_channel,
    )
    session.add(escalation)
    await session.flush()
    return escalation


async def _calls(session: AsyncSession) -> list[dict[str, Any]]:
    rows = await session.scalars(select(Task.payload).where(Task.kind == SLACK_CALL))
    return [row["args"] for row in rows if row["method"] == "chat.postMessage"]


async def test_cards_go_to_the_workspace_of_the_escalation(
    session: AsyncSession, settings: Settings
) -> None:
    several = settings.model_copy(update={"slack_bot_token": None})
    repo = WorkspaceRepository(session)
    await repo.set_trainer_channel(OTHER, "C0BTRAIN1")
    with in_workspace(HERE):
        await repo.add_admin("UALICE", added_by=None)
    with in_workspace(OTHER):
        await repo.add_admin("UBORIS", added_by=None)
        publish = Publisher(session, several)
        assert await publish.trainer_channel() == "C0BTRAIN1"
        in_channel = await _escalation(session, await publish.trainer_channel(), "1800000000.1")
        await publish.post_card(in_channel)
        by_dm = await _escalation(session, None, "1800000000.2")
        await publish.post_card(by_dm)
        await publish.to_card_thread(by_dm, "The learner wrote again", dedupe_key="t")
        [card, dm_card, follow_up] = await _calls(session)
    assert card["channel"] == "C0BTRAIN1"
    assert "<@UBORIS>" in str(card["blocks"])
    assert "UALICE" not in str(card["blocks"])
    assert dm_card["channel"] == "UBORIS"
    assert follow_up["channel"] == "UBORIS"
    with in_workspace(HERE):
        assert await _calls(session) == []  # nothing of B's is A's
