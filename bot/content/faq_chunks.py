"""A course FAQ entry as a chunk of its course: its text, location and what gets embedded.

The chunk's text is the question, a blank line, then the answer, so full-text search, the
sentence similarity and the course vocabulary read both; its location carries the answerer's
name ("FAQ · answered by Jane") and its ``section`` column the question. Only the question is
embedded: a learner asking the same thing in other words lands close to it, which is what lets
retrieval prefer the entry when it matches (``bot.coach.faq_match``) and keeps it from matching a
question its answer merely mentions.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.content.chunking import content_hash
from bot.content.location import Location
from bot.content.plan import MAX_SECTION
from store.models.faq import FAQ_SOURCE_PATH, faq_anchor

__all__ = ["FAQ_SOURCE_PATH", "faq_anchor", "faq_chunk_columns", "faq_embedding_text"]

CHARS_PER_TOKEN = 4


def faq_embedding_text(question: str) -> str:
    """What is embedded for an entry: its question alone."""
    return question.strip()


def faq_text(question: str, answer: str) -> str:
    """The chunk's text: the question, then the answer."""
    return f"{question.strip()}\n\n{answer.strip()}"


def faq_chunk_columns(
    *,
    entry_id: int,
    course_id: int,
    question: str,
    answer: str,
    answered_by_name: str,
    vector: list[float],
    model: str,
    now: datetime,
) -> dict[str, Any]:
    """The chunks-table row of an entry."""
    location = Location(faq_by=answered_by_name)
    text = faq_text(question, answer)
    return {
        "course_id": course_id,
        "source_path": FAQ_SOURCE_PATH,
        "anchor": faq_anchor(entry_id),
        # After every course file's chunks in the course's order.
        "ordinal": 1_000_000 + entry_id,
        "location": location.to_dict(),
        "day": None,
        "chapter_id": None,
        "lab_id": None,
        "section": question.strip()[:MAX_SECTION],
        "text": text,
        "content_hash": content_hash(text, location),
        "token_estimate": max(1, len(text) // CHARS_PER_TOKEN),
        "embedding": vector,
        "embedding_model": model,
        "updated_at": now,
    }
