"""Find the course content closest to a learner's question."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.coach.types import RetrievedChunk
from bot.content.embedder import Embedder
from bot.content.location import Location
from store.repositories.content import CourseRepository
from store.vector_search import search_chunks

log = logging.getLogger(__name__)


class Retriever:
    """Embeds a question and searches one course's chunks."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], embedder: Embedder) -> None:
        self._sessions = sessions
        self._embedder = embedder

    async def retrieve(self, course_id: int, question: str, k: int) -> list[RetrievedChunk]:
        """The ``k`` chunks of the course nearest the question, closest first."""
        if not question.strip() or k < 1:
            return []
        # Embed before opening a transaction: the model may take a while and must not hold
        # a pooled connection meanwhile.
        vector = (await self._embedder.embed([question]))[0]
        async with self._sessions.begin() as session:
            course = await CourseRepository(session).by_id(course_id)
            if course is None or course.embedding_dim is None:
                return []
            if course.embedding_model != self._embedder.model:
                # Vectors from different models are not comparable; an answer built on them
                # would cite unrelated text, so no context is safer than wrong context.
                log.warning(
                    "course %d is indexed with %s but %s is configured: run coachbot ingest "
                    "with --reembed",
                    course_id,
                    course.embedding_model,
                    self._embedder.model,
                )
                return []
            rows = await search_chunks(session, course_id, vector, course.embedding_dim, k)
        return [
            RetrievedChunk(
                chunk_id=chunk.id,
                course_id=chunk.course_id,
                text=chunk.text,
                location=Location.from_dict(chunk.location),
                source_path=chunk.source_path,
                distance=distance,
            )
            for chunk, distance in rows
        ]
