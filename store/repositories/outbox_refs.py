"""The row values Slack outbox calls read at send time and record afterwards (a card's ``ts``).

A ref names ``(table, column, row_id)`` in a task payload. Payloads are data, never trusted SQL:
only the pairs in ``REF_COLUMNS`` are accepted, each mapped to a model column. Never commits.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from store.models import Escalation, Message, Response

# The only columns a ref may read or write.
REF_COLUMNS: dict[tuple[str, str], InstrumentedAttribute[str | None]] = {
    ("escalations", "card_ts"): Escalation.card_ts,
    ("escalations", "card_channel"): Escalation.card_channel,
    ("responses", "slack_ts"): Response.slack_ts,
    ("messages", "slack_ts"): Message.slack_ts,
}


def ref_column(table: str, column: str) -> InstrumentedAttribute[str | None]:
    """The model column behind ``table.column``; ValueError when refs may not use it."""
    try:
        return REF_COLUMNS[(table, column)]
    except KeyError:
        raise ValueError(f"{table}.{column} cannot be used as an outbox ref") from None


class OutboxRefRepository:
    """Reads and writes the allow-listed ref columns of one row."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def read(self, table: str, column: str, row_id: int) -> str | None:
        """The column's value in row ``row_id`` (None when unset or there is no such row)."""
        attribute = ref_column(table, column)
        model = attribute.class_
        return await self._session.scalar(select(attribute).where(model.id == row_id))

    async def write(self, table: str, column: str, row_id: int, value: str) -> None:
        """Set the column of row ``row_id`` to ``value``."""
        attribute = ref_column(table, column)
        model = attribute.class_
        await self._session.execute(
            update(model).where(model.id == row_id).values({attribute: value})
        )
