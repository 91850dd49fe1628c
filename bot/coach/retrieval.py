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
from bot.coach.faq_match import prefer_faq, retrieved_from
from bot.coach.sentences import sentence_vectors_for
from bot.coach.types import RetrievedChunk
from bot.content.embedder import Embedder
from store.hybrid_search import (
    ChunkHit,
    begin_search,
    faq_hits,
    hits_by_text,
    hits_by_vector,
    hits_of_faq,
    search_chunks_hybrid,
)
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
            course = await begin_search(session, course_id, pool)
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
            hits = await self._search(
                session, course_id, question, vector, course.embedding_dim, pool
            )
            # A course FAQ entry asking the same thing goes first (bot.coach.faq_match).
            faq = faq_hits(hits)
            # Passages a trainer corrected an answer for go last when that FAQ matches.
            demoted = (
                await CorrectionRepository(session).demoted_for_faq_chunk(
                    faq[0].source_path, faq[0].anchor
                )
                if faq
                else frozenset()
            )
        ranked = self._ranked(hits, wanted)
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

    async def _search(
        self,
        session: AsyncSession,
        course_id: int,
        question: str,
        vector: list[float],
        dim: int,
        pool: int,
    ) -> list[ChunkHit]:
        """What the searches of this mode find, and the course's FAQ chunks: in one statement
        when both searches run, or one search and the FAQ lookup."""
        if self._mode is RetrievalMode.HYBRID:
            return await search_chunks_hybrid(session, course_id, question, vector, dim, pool)
        faq = hits_of_faq(await FaqRepository(session).nearest(course_id, vector, dim))
        if self._mode is RetrievalMode.VECTOR:
            found = await search_chunks(session, course_id, vector, dim, pool)
            return _with_faq(hits_by_vector(found), faq)
        # Confidence reads every chunk's distance, so text search brings each one's along.
        matched = await search_chunks_text_near(session, course_id, question, pool, vector, dim)
        return _with_faq(hits_by_text(matched), faq)

    def _ranked(self, hits: list[ChunkHit], k: int) -> list[RetrievedChunk]:
        by_id = {hit.chunk_id: hit for hit in hits}
        by_vector = sorted((h for h in hits if h.vector_rank), key=lambda h: h.vector_rank or 0)
        by_text = sorted((h for h in hits if h.text_rank), key=lambda h: h.text_rank or 0)
        fused = fuse(
            [hit.chunk_id for hit in by_vector], [hit.chunk_id for hit in by_text], self._fusion
        )
        # Ties (one list's first against the other's first) go to the nearer chunk.
        best = sorted(fused, key=lambda chunk_id: (-fused[chunk_id], by_id[chunk_id].distance))[:k]
        return [
            retrieved_from(
                by_id[chunk_id],
                vector_rank=by_id[chunk_id].vector_rank,
                text_rank=by_id[chunk_id].text_rank,
                text_score=by_id[chunk_id].text_score,
                fused_score=fused[chunk_id],
            )
            for chunk_id in best
        ]


def _with_faq(found: list[ChunkHit], faq: list[ChunkHit]) -> list[ChunkHit]:
    """``found`` and the FAQ chunks it lacks, each chunk once (as the fused search returns)."""
    ids = {hit.chunk_id for hit in found}
    return found + [hit for hit in faq if hit.chunk_id not in ids]
