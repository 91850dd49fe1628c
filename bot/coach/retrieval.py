"""Find the course content closest to a learner's question: vectors and full text, fused.

Vector search finds passages that mean what the question means; full-text search finds the ones
that use its words, which matters for identifiers (``append``, ``__init__``), error names and lab
titles that a small embedding model blurs. The two ranked lists are merged by reciprocal rank
fusion: a chunk scores ``sum(weight / (RRF_K + rank))`` over the lists that returned it, so a
chunk both searches rank well beats one that only one of them likes, and neither search's raw
scores (cosine distance, ts_rank) have to be made comparable. The first fused passages are then
re-ranked by their file's ranks and their closest sentence (``bot.coach.rerank``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.coach import rerank
from bot.coach.faq_match import prefer_faq
from bot.coach.sentences import sentence_vectors_for
from bot.coach.types import RetrievedChunk
from bot.content.embedder import Embedder
from bot.content.location import Location
from store.models.content import Chunk
from store.repositories.content import CourseRepository
from store.repositories.copilot import CorrectionRepository
from store.repositories.faq import FaqRepository
from store.text_search import search_chunks_text_near
from store.vector_search import search_chunks

log = logging.getLogger(__name__)

# Cormack, Clarke and Büttcher (2009) use 60. On the tune split of bench/quality/eval_set.json
# (bench/recall_bench.py --sweep) recall@3 hardly moves from k = 1 to 100, but k = 1 to 3 find
# the right file first more often (recall@1 0.835-0.856 against 0.825 at 60): a small k lets a
# chunk that one search ranks first beat chunks both rank middling, which is how a word such as
# ``append`` finds its chunk. 2 is the middle of that range.
RRF_K = 2
# Each search returns this many times k candidates, so a chunk ranked a little low by one search
# can still be lifted into the top k by the other.
CANDIDATES_PER_RESULT = 3


class RetrievalMode(StrEnum):
    """Which searches the Retriever runs: both, fused (the default), or one for comparison."""

    HYBRID = "hybrid"
    VECTOR = "vector"
    TEXT = "text"


@dataclass(frozen=True)
class Fusion:
    """How the two ranked lists are merged."""

    rrf_k: int = RRF_K
    text_weight: float = 1.0
    candidates_per_result: int = CANDIDATES_PER_RESULT


DEFAULT_FUSION = Fusion()


def fuse(
    vector_ids: list[int], text_ids: list[int], fusion: Fusion = DEFAULT_FUSION
) -> dict[int, float]:
    """Reciprocal rank fusion of two ranked id lists (best first): id -> fused score."""
    scores: dict[int, float] = {}
    for weight, ids in ((1.0, vector_ids), (fusion.text_weight, text_ids)):
        for rank, chunk_id in enumerate(ids, start=1):
            scores[chunk_id] = scores.get(chunk_id, 0.0) + weight / (fusion.rrf_k + rank)
    return scores


class Retriever:
    """Embeds a question and searches one course's chunks."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        embedder: Embedder,
        *,
        retrieval_mode: RetrievalMode | str = RetrievalMode.HYBRID,
        fusion: Fusion = DEFAULT_FUSION,
        reranked: bool = True,
    ) -> None:
        self._sessions = sessions
        self._embedder = embedder
        self._mode = RetrievalMode(retrieval_mode)
        self._fusion = fusion
        # Only fused results are re-ranked: the single searches are there for comparison.
        self._reranked = reranked and self._mode is RetrievalMode.HYBRID

    async def retrieve(self, course_id: int, question: str, k: int) -> list[RetrievedChunk]:
        """The ``k`` chunks of the course that best answer the question, best first."""
        if not question.strip() or k < 1:
            return []
        # Embed before opening a transaction: the model may take a while and must not hold
        # a pooled connection meanwhile. Text-only retrieval embeds too, for the distances.
        vector = (await self._embedder.embed([question]))[0]
        # Re-ranking reads its candidates whatever k is, so a small k ranks like the default.
        wanted = max(k, rerank.CANDIDATES) if self._reranked else k
        pool = (
            k if self._mode is RetrievalMode.VECTOR else wanted * self._fusion.candidates_per_result
        )
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
            dim = course.embedding_dim
            by_vector = (
                await search_chunks(session, course_id, vector, dim, pool)
                if self._mode is not RetrievalMode.TEXT
                else []
            )
            # Confidence reads every chunk's distance, so text search brings each one's along.
            by_text = (
                await search_chunks_text_near(session, course_id, question, pool, vector, dim)
                if self._mode is not RetrievalMode.VECTOR
                else []
            )
            # A course FAQ entry asking the same thing goes first (bot.coach.faq_match).
            faq = await FaqRepository(session).nearest(course_id, vector, dim)
            # Passages a trainer corrected an answer for go last when that FAQ matches.
            demoted = (
                await CorrectionRepository(session).demoted_for_faq_chunk(faq[0][0])
                if faq
                else frozenset()
            )
        distances = {chunk.id: distance for chunk, distance in by_vector}
        distances.update((chunk.id, distance) for chunk, _, distance in by_text)
        ranked = self._ranked(by_vector, by_text, distances, wanted)
        if self._reranked:
            # After the transaction: the sentences of uncached passages are embedded.
            ranked = await self._rerank(question, ranked)
        return prefer_faq(ranked, faq, k, demoted)

    async def _rerank(self, question: str, ranked: list[RetrievedChunk]) -> list[RetrievedChunk]:
        """The course's passages re-ranked (FAQ entries behind them, for ``prefer_faq``); the
        fused order when the sentences cannot be embedded."""
        passages = [chunk for chunk in ranked if not chunk.location.is_faq]
        faqs = [chunk for chunk in ranked if chunk.location.is_faq]
        similarities = await sentence_vectors_for(self._embedder).per_passage(
            question, passages, passages=rerank.CANDIDATES
        )
        if similarities is None:
            return ranked
        measured = [
            replace(chunk, sentence_similarity=similarity)
            for chunk, similarity in zip(passages, similarities, strict=False)
        ]
        return rerank.rerank(measured + passages[len(measured) :]) + faqs

    def _ranked(
        self,
        by_vector: list[tuple[Chunk, float]],
        by_text: list[tuple[Chunk, float, float]],
        distances: dict[int, float],
        k: int,
    ) -> list[RetrievedChunk]:
        chunks = {chunk.id: chunk for chunk, _ in by_vector}
        chunks.update((chunk.id, chunk) for chunk, _, _ in by_text)
        vector_ranks = {chunk.id: rank for rank, (chunk, _) in enumerate(by_vector, start=1)}
        text_ranks = {chunk.id: rank for rank, (chunk, *_) in enumerate(by_text, start=1)}
        text_scores = {chunk.id: score for chunk, score, _ in by_text}
        fused = fuse(list(vector_ranks), list(text_ranks), self._fusion)
        # Ties (one list's first against the other's first) go to the nearer chunk.
        best = sorted(fused, key=lambda chunk_id: (-fused[chunk_id], distances[chunk_id]))[:k]
        return [
            RetrievedChunk(
                chunk_id=chunk_id,
                course_id=chunks[chunk_id].course_id,
                text=chunks[chunk_id].text,
                location=Location.from_dict(chunks[chunk_id].location),
                source_path=chunks[chunk_id].source_path,
                distance=distances[chunk_id],
                vector_rank=vector_ranks.get(chunk_id),
                text_rank=text_ranks.get(chunk_id),
                text_score=text_scores.get(chunk_id, 0.0),
                fused_score=fused[chunk_id],
            )
            for chunk_id in best
        ]
