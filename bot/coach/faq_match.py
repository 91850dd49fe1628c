"""Retrieval prefers a course FAQ entry whose question matches the learner's.

An FAQ entry's chunk is embedded from its question alone (``bot.content.faq_chunks``), so its
cosine similarity to a learner's question says how nearly the learner asks the same thing. When
the nearest entry is at least ``FAQ_MATCH_FLOOR`` similar, its chunk goes first among the
retrieved passages (fetched on its own if neither search returned it). An entry below the floor
is not a passage at all: it answers one question, and in the benchmark entries left to compete
like any passage took over questions they do not answer (on threads, on requirements.txt, on
deleting a project folder: 0.2 to 0.3 similar to every entry's question, ranked first by words).

The floor is the lowest of the sweep at which no other question of the tune split of
``bench/quality/`` reaches any entry (``bench/quality_bench.py --faq``, ``bench/results/faq.md``,
bundled local model): 6 of the 7 tune paraphrases clear it; the held-out split is reported there.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.coach.types import RetrievedChunk
from bot.content.location import Location
from store.hybrid_search import ChunkHit

FAQ_MATCH_FLOOR = 0.60


def prefer_faq(
    ranked: list[RetrievedChunk],
    nearest: list[ChunkHit],
    k: int,
    demoted: frozenset[int] = frozenset(),
) -> list[RetrievedChunk]:
    """``ranked`` without FAQ chunks, and the best-matching one first when it clears the floor.

    ``nearest`` are the course's FAQ chunks, nearest first. ``demoted`` are the passages of an
    AI answer a trainer corrected for the matching entry's question: with that entry first they
    go after every other passage, so the wrong passage is no longer the first one cited after
    the FAQ.
    """
    passages = [c for c in ranked if not c.location.is_faq]
    if not nearest or 1.0 - nearest[0].distance < FAQ_MATCH_FLOOR:
        return passages[:k]
    passages = [c for c in passages if c.chunk_id not in demoted] + [
        c for c in passages if c.chunk_id in demoted
    ]
    hit = nearest[0]
    found = next((c for c in ranked if c.chunk_id == hit.chunk_id), None)
    first = replace(found, distance=hit.distance) if found is not None else retrieved_from(hit)
    return [first, *passages][:k]


def retrieved_from(hit: ChunkHit, **ranking: Any) -> RetrievedChunk:
    """The chunk a search hit names, as retrieval returns it; ``ranking`` sets what retrieval
    knows of its order (its ranks, text score and fused score), none by default."""
    return RetrievedChunk(
        chunk_id=hit.chunk_id,
        course_id=hit.course_id,
        text=hit.text,
        location=Location.from_dict(hit.location),
        source_path=hit.source_path,
        distance=hit.distance,
        **ranking,
    )
