"""Conversations, their messages, queries and responses; repositories never commit."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from store.models import Conversation, Message, Query, Response


class ConversationRepository:
    """DM threads and the messages in them."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get_or_create(
        self, channel_id: str, thread_ts: str, learner_id: str, course_id: int | None
    ) -> Conversation:
        """The conversation of a DM thread, created on its first message (race-safe)."""
        await self._session.execute(
            insert(Conversation)
            .values(
                channel_id=channel_id,
                thread_ts=thread_ts,
                learner_id=learner_id,
                course_id=course_id,
            )
            .on_conflict_do_nothing(constraint="uq_conversations_thread")
        )
        # Lock the row: messages of one thread are processed one at a time anyway (ordering
        # key), but admins and trainers may touch the same row from other processes.
        statement = (
            select(Conversation)
            .where(Conversation.channel_id == channel_id, Conversation.thread_ts == thread_ts)
            .with_for_update()
        )
        return (await self._session.execute(statement)).scalar_one()

    async def by_id(self, conversation_id: int) -> Conversation | None:
        """One conversation by id."""
        return await self._session.get(Conversation, conversation_id)

    async def find_message(self, conversation_id: int, slack_ts: str, role: str) -> Message | None:
        """A message already stored for this thread and ts (a re-run of the same task)."""
        statement = select(Message).where(
            Message.conversation_id == conversation_id,
            Message.slack_ts == slack_ts,
            Message.role == role,
        )
        return (await self._session.execute(statement)).scalars().first()

    async def add_message(
        self,
        conversation: Conversation,
        *,
        role: str,
        text: str,
        author_id: str | None,
        slack_ts: str | None = None,
        event_id: str | None = None,
        counts_as_turn: bool = True,
    ) -> Message:
        """Store a message; a learner's counts as a turn (unless ``counts_as_turn`` is False: an
        acknowledgement, or the later messages of a burst) and refreshes the activity time."""
        message = Message(
            conversation_id=conversation.id,
            role=role,
            author_id=author_id,
            text=text,
            slack_ts=slack_ts,
            event_id=event_id or None,
        )
        self._session.add(message)
        values: dict[str, Any] = {"last_activity_at": func.now()}
        if role == "learner" and counts_as_turn:
            values["learner_turns"] = Conversation.learner_turns + 1
        await self._session.execute(
            update(Conversation).where(Conversation.id == conversation.id).values(**values)
        )
        await self._session.flush()
        await self._session.refresh(conversation)
        return message

    async def restart_turns(self, conversation_id: int) -> None:
        """Count the thread's learner turns from zero again (its ticket was closed)."""
        await self._session.execute(
            update(Conversation).where(Conversation.id == conversation_id).values(learner_turns=0)
        )

    async def history(self, conversation_id: int, before_id: int, limit: int) -> list[Message]:
        """The last ``limit`` messages of the thread before ``before_id``, oldest first."""
        statement = (
            select(Message)
            .where(Message.conversation_id == conversation_id, Message.id < before_id)
            .order_by(Message.id.desc())
            .limit(limit)
        )
        rows = list((await self._session.execute(statement)).scalars())
        return rows[::-1]


class QueryRepository:
    """Learner questions as the coach understood them."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, query: Query) -> Query:
        """Store a query and give it an id."""
        self._session.add(query)
        await self._session.flush()
        return query

    async def add_for_message(self, query: Query) -> Query | None:
        """Store the query of a learner message and give it an id; None, with nothing stored,
        when that message already has one (another run of its task stored it first)."""
        try:
            async with self._session.begin_nested():
                self._session.add(query)
                await self._session.flush()
        except IntegrityError as error:
            if _constraint(error) != _ONE_QUERY_PER_MESSAGE:
                raise
            return None
        return query

    async def for_message(self, message_id: int) -> Query | None:
        """The query made from a learner message, if it was already answered."""
        statement = select(Query).where(Query.message_id == message_id)
        return (await self._session.execute(statement)).scalars().first()

    async def count_lab_struggles(
        self, learner_id: str, lab_id: str, *, before_id: int | None = None
    ) -> int:
        """Earlier queries of this learner judged a struggle with this lab."""
        statement = select(func.count()).where(
            Query.learner_id == learner_id,
            Query.intent == "lab_struggle",
            Query.context["lab_id"].astext == lab_id,
        )
        if before_id is not None:
            statement = statement.where(Query.id < before_id)
        return int((await self._session.execute(statement)).scalar_one())


class ResponseRepository:
    """The coach's answers."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, response: Response) -> Response:
        """Store a response and give it an id."""
        self._session.add(response)
        await self._session.flush()
        return response

    async def by_id(self, response_id: int) -> Response | None:
        """One response by id."""
        return await self._session.get(Response, response_id)

    async def for_query(self, query_id: int) -> Response | None:
        """The response to a query, if any."""
        statement = select(Response).where(Response.query_id == query_id)
        return (await self._session.execute(statement)).scalars().first()

    async def owner_of(self, response_id: int) -> tuple[Response, Conversation] | None:
        """A response with the conversation (and so the learner) it belongs to."""
        statement = (
            select(Response, Conversation)
            .join(Conversation, Conversation.id == Response.conversation_id)
            .where(Response.id == response_id)
        )
        row = (await self._session.execute(statement)).tuples().first()
        return (row[0], row[1]) if row else None


_ONE_QUERY_PER_MESSAGE = "ix_queries_message_id"


def _constraint(error: IntegrityError) -> str | None:
    """The name of the constraint (or unique index) an IntegrityError broke."""
    diag = getattr(error.orig, "diag", None)
    return getattr(diag, "constraint_name", None)
