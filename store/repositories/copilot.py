"""Drafted replies and AI corrections of tickets; repositories never commit (services do)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.models.conversation import Message, Query, Response
from store.models.copilot import AiCorrection, ReplyDraft
from store.models.escalation import Escalation
from store.models.faq import FAQ_SOURCE_PATH, FaqEntry


class DraftRepository:
    """Reads and writes of ``reply_drafts``."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, draft: ReplyDraft) -> ReplyDraft:
        """Store a new draft (its text is written later, by the draft task)."""
        self._session.add(draft)
        await self._session.flush()
        return draft

    async def get(self, draft_id: int, *, lock: bool = False) -> ReplyDraft | None:
        """One draft, optionally locked until the transaction ends."""
        statement = select(ReplyDraft).where(ReplyDraft.id == draft_id)
        if lock:
            statement = statement.with_for_update()
        return (await self._session.execute(statement)).scalar_one_or_none()

    async def set(self, draft_id: int, **values: Any) -> None:
        """Update some columns of a draft."""
        await self._session.execute(
            update(ReplyDraft).where(ReplyDraft.id == draft_id).values(**values)
        )

    async def outcomes(
        self, since: datetime | None = None, course_ids: list[int] | None = None
    ) -> dict[str, int]:
        """How many drafts ended each way (sent_unchanged, edited, discarded), of tickets of
        ``course_ids`` (None: all)."""
        statement = (
            select(ReplyDraft.outcome, func.count())
            .join(Escalation, Escalation.id == ReplyDraft.escalation_id)
            .where(ReplyDraft.outcome.is_not(None))
            .group_by(ReplyDraft.outcome)
        )
        if since is not None:
            statement = statement.where(ReplyDraft.created_at >= since)
        if course_ids is not None:
            statement = statement.where(Escalation.course_id.in_(course_ids))
        rows = (await self._session.execute(statement)).all()
        return {str(outcome): int(count) for outcome, count in rows}

    async def thread(self, conversation_id: int, limit: int = 30) -> list[Message]:
        """The thread's messages (learner, assistant, trainer), oldest first, the last ``limit``."""
        statement = (
            select(Message)
            .where(Message.conversation_id == conversation_id)
            .order_by(Message.id.desc())
            .limit(limit)
        )
        return list(reversed((await self._session.execute(statement)).scalars().all()))


class CorrectionRepository:
    """Reads and writes of ``ai_corrections`` and the FAQ demotions they lead to."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, correction: AiCorrection) -> AiCorrection:
        """Store a correction."""
        self._session.add(correction)
        await self._session.flush()
        return correction

    async def latest(self, escalation_id: int) -> AiCorrection | None:
        """The newest correction of the ticket's AI answer, if any."""
        statement = (
            select(AiCorrection)
            .where(AiCorrection.escalation_id == escalation_id)
            .order_by(AiCorrection.id.desc())
            .limit(1)
        )
        return (await self._session.execute(statement)).scalar_one_or_none()

    async def card_fields(self, escalation_id: int) -> dict[str, Any]:
        """What the card shows of the newest correction: ``ai_correction`` and
        ``corrected_by`` (nothing when the AI answer was not corrected)."""
        latest = await self.latest(escalation_id)
        if latest is None:
            return {}
        return {"ai_correction": latest.correction, "corrected_by": latest.trainer_id}

    async def corrected_chunk_ids(self, escalation_id: int) -> list[int]:
        """Every chunk the ticket's corrected AI answers were built on, in first-seen order."""
        statement = (
            select(AiCorrection.chunk_ids)
            .where(AiCorrection.escalation_id == escalation_id)
            .order_by(AiCorrection.id)
        )
        seen: dict[int, None] = {}
        for ids in (await self._session.execute(statement)).scalars():
            seen.update((int(i), None) for i in ids or [])
        return list(seen)

    async def response_chunk_ids(self, response_id: int) -> list[int]:
        """The chunks an AI response cited, then the others retrieved for it."""
        row = (
            await self._session.execute(
                select(Response.references, Query.context)
                .join(Query, Query.id == Response.query_id)
                .where(Response.id == response_id)
            )
        ).one_or_none()
        if row is None:
            return []
        references, context = row
        cited = [int(r["chunk_id"]) for r in references or [] if r.get("chunk_id") is not None]
        # An answer that cited nothing was built on what retrieval put first.
        retrieved = [int(i) for i in (context or {}).get("retrieved") or []][:1]
        return list(dict.fromkeys(cited or retrieved))

    async def demoted_for_faq_chunk(self, source_path: str, anchor: str) -> frozenset[int]:
        """The chunks demoted by the FAQ entry that the chunk at ``source_path`` and ``anchor``
        publishes (none for other chunks)."""
        if source_path != FAQ_SOURCE_PATH or not (anchor or "").startswith("faq-"):
            return frozenset()
        entry_id = int(str(anchor).removeprefix("faq-"))
        ids = await self._session.scalar(
            select(FaqEntry.demoted_chunk_ids).where(FaqEntry.id == entry_id)
        )
        return frozenset(int(i) for i in ids or [])
