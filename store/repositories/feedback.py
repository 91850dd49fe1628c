"""Learners' verdicts on responses; repositories never commit."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Feedback


class FeedbackRepository:
    """One verdict per response and learner; a later click replaces the earlier one."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def upsert(
        self,
        response_id: int,
        learner_id: str,
        *,
        helpful: bool,
        reason: str | None = None,
        comment: str | None = None,
    ) -> Feedback:
        """Store or change the learner's verdict on a response."""
        statement = (
            insert(Feedback)
            .values(
                response_id=response_id,
                learner_id=learner_id,
                helpful=helpful,
                reason=reason,
                comment=comment,
            )
            .on_conflict_do_update(
                constraint="uq_feedback_once",
                set_={
                    "helpful": helpful,
                    "reason": reason,
                    "comment": comment,
                    "updated_at": func.now(),
                },
            )
            .returning(Feedback)
        )
        return (await self._session.execute(statement)).scalar_one()

    async def get(self, response_id: int, learner_id: str) -> Feedback | None:
        """The learner's verdict on a response, if any."""
        statement = select(Feedback).where(
            Feedback.response_id == response_id, Feedback.learner_id == learner_id
        )
        return (await self._session.execute(statement)).scalar_one_or_none()
