"""Retrieval prefers a course FAQ entry whose question matches the learner's.

An FAQ entry's chunk is embedded from its question alone (``bot.content.faq_chunks``), so its
cosine similarity to a learner's question says how nearly the learner asks the same thing. When
the nearest entry is at least ``FAQ_MATCH_FLOOR`` similar, its chunk goes first among the
retrieved passages (fetched on its own if neither search returned it); below the floor it competes
like any passage. The floor was chosen on the tune split of ``bench/quality/`` with the bundled
local model (``bench/quality_bench.py --faq``, ``bench/results/faq.md``): the paraphrases of an
entry's question sit above it, and questions the entries do not answer below it.
"""

from __future__ import annotations

from dataclasses import replace

from bot.coach.types import RetrievedChunk
from bot.content.location import Location
from store.models.content import Chunk

FAQ_MATCH_FLOOR = 0.80


def prefer_faq(
    ranked: list[RetrievedChunk], nearest: list[tuple[Chunk, float]], k: int
) -> list[RetrievedChunk]:
    """``ranked`` with the best-matching FAQ chunk first when it clears the floor."""
    if not nearest or 1.0 - nearest[0][1] < FAQ_MATCH_FLOOR:
        return ranked
    chunk, distance = nearest[0]
    found = next((c for c in ranked if c.chunk_id == chunk.id), None)
    first = (
        replace(found, distance=distance)
        if found is not None
        else RetrievedChunk(
            chunk_id=chunk.id,
            course_id=chunk.course_id,
            text=chunk.text,
            location=Location.from_dict(chunk.location),
            source_path=chunk.source_path,
            distance=distance,
        )
    )
    return [first, *(c for c in ranked if c.chunk_id != chunk.id)][:k]
