"""Outbox refs read and write exactly the allow-listed column of the one row they name."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from bot.tasks.outbox import Ref
from store.models import Message
from store.repositories.outbox_refs import REF_COLUMNS, OutboxRefRepository, ref_column
from tests.store.rows import add_conversation, add_escalation

NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)


async def _card(session: AsyncSession, escalation_id: int) -> tuple[str | None, str | None]:
    row = (
        await session.execute(
            text("SELECT card_channel, card_ts FROM escalations WHERE id = :id"),
            {"id": escalation_id},
        )
    ).one()
    return row.card_channel, row.card_ts


async def test_a_recorded_value_is_read_back_from_its_row_only(session: AsyncSession) -> None:
    one = await add_escalation(session, created_at=NOW, card_channel="CTRAINERS")
    other = await add_escalation(session, created_at=NOW, card_channel="CTRAINERS")
    refs = OutboxRefRepository(session)
    assert await refs.read("escalations", "card_ts", one.id) is None  # not delivered yet

    await refs.write("escalations", "card_ts", one.id, "1700000000.000100")

    assert await refs.read("escalations", "card_ts", one.id) == "1700000000.000100"
    assert await refs.read("escalations", "card_channel", one.id) == "CTRAINERS"
    assert await _card(session, one.id) == ("CTRAINERS", "1700000000.000100")
    assert await _card(session, other.id) == ("CTRAINERS", None)


async def test_message_and_missing_rows(session: AsyncSession) -> None:
    conversation = await add_conversation(session)
    message = Message(conversation_id=conversation.id, role="assistant", text="hi")
    session.add(message)
    await session.flush()
    refs = OutboxRefRepository(session)
    await refs.write("messages", "slack_ts", message.id, "1.5")
    stored = await session.scalar(
        text("SELECT slack_ts FROM messages WHERE id = :id"), {"id": message.id}
    )
    assert stored == "1.5"
    assert await refs.read("messages", "slack_ts", message.id) == "1.5"
    assert await refs.read("responses", "slack_ts", 2**62) is None


@pytest.mark.parametrize(
    ("table", "column"),
    [
        ("escalations", "status"),
        ("messages", "text"),
        ("tasks", "payload"),
        ("escalations", "card_ts = NULL; DROP TABLE escalations; --"),
        ("responses; DROP TABLE responses", "slack_ts"),
    ],
)
async def test_columns_outside_the_allow_list_are_refused(
    session: AsyncSession, table: str, column: str
) -> None:
    escalation = await add_escalation(session, created_at=NOW, card_ts="1.0")
    refs = OutboxRefRepository(session)
    with pytest.raises(ValueError, match="cannot be used as an outbox ref"):
        ref_column(table, column)
    with pytest.raises(ValueError, match="cannot be used as an outbox ref"):
        await refs.read(table, column, escalation.id)
    with pytest.raises(ValueError, match="cannot be used as an outbox ref"):
        await refs.write(table, column, escalation.id, "x")
    with pytest.raises(ValueError, match="cannot be used as an outbox ref"):
        Ref(table, column, escalation.id)
    assert await _card(session, escalation.id) == (None, "1.0")


def test_the_stored_payload_format_is_unchanged() -> None:
    ref = Ref("escalations", "card_ts", 42)
    assert ref.to_dict() == {"table": "escalations", "column": "card_ts", "row_id": 42}
    assert Ref.from_dict({"table": "escalations", "column": "card_ts", "row_id": "42"}) == ref
    assert set(REF_COLUMNS) == {
        ("escalations", "card_ts"),
        ("escalations", "card_channel"),
        ("responses", "slack_ts"),
        ("messages", "slack_ts"),
    }
    for (table, column), attribute in REF_COLUMNS.items():
        assert (attribute.class_.__tablename__, attribute.key) == (table, column)
