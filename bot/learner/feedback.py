"""Learners' feedback on the coach's answers."""

from __future__ import annotations

from bot.deps import Deps
from bot.errors import NotFound, PermissionDenied, UsageError
from store.repositories.conversations import ResponseRepository
from store.repositories.feedback import FeedbackRepository

NOT_YOURS = "Sorry, only the learner who asked this question can rate its answer."
GONE = "I can't find that answer any more, so the feedback was not saved."


class Feedbacks:
    """Stores verdicts on responses, for their owner only."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def record(
        self,
        response_id: int,
        user_id: str,
        *,
        helpful: bool,
        reason: str | None = None,
        comment: str | None = None,
    ) -> None:
        """Store (or change) the learner's verdict on a response."""
        if reason is not None and len(reason) > 50:
            raise UsageError(
                "That feedback reason is not one I know. Please pick one from the list."
            )
        async with self._deps.sessions.begin() as session:
            await self._require_owner(ResponseRepository(session), response_id, user_id)
            await FeedbackRepository(session).upsert(
                response_id,
                user_id,
                helpful=helpful,
                reason=reason,
                comment=(comment or "").strip() or None,
            )

    @staticmethod
    async def _require_owner(responses: ResponseRepository, response_id: int, user_id: str) -> None:
        found = await responses.owner_of(response_id)
        if found is None:
            raise NotFound(GONE)
        _, conversation = found
        if conversation.learner_id != user_id:
            raise PermissionDenied(NOT_YOURS)
