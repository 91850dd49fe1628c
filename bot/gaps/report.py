"""Computing content gaps: read in one short transaction, embed outside it, cluster, tally.

The questions are the period's escalations (whatever triggered them) and its declined answers
("outside this course") that nobody escalated afterwards. Each is embedded with the bot's own
embedder after the transaction has closed (an OpenAI-compatible endpoint may be slow) and the
vectors are grouped by ``bot.gaps.clustering``. A question's chapter is the first course place
its answer cited; the period's not-helpful feedback is counted by the reason the learner picked.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.blocks.gaps import GapCluster, reason_label
from bot.content.location import Location
from bot.deps import Deps
from bot.gaps.clustering import cluster
from store.repositories.gaps import GapsRepository, UnansweredRow

# The newest this many questions of a period are grouped: enough for any course's authors, and
# clustering stays well under a second.
MAX_QUESTIONS = 2000
# What is embedded of a question: a pasted traceback or file says little about its meaning.
EMBED_CHARS = 1000
CHAPTERS_SHOWN = 5


@dataclass(frozen=True)
class GapQuestion:
    """One unanswered question, where it came from and which chapter its answer looked in."""

    text: str
    course_slug: str | None
    source: str
    asked_at: datetime
    chapter: str | None


@dataclass(frozen=True)
class Gaps:
    """A period's content gaps: clusters (largest first) of the questions, and the tallies."""

    questions: tuple[GapQuestion, ...]
    groups: tuple[tuple[int, ...], ...]  # indices into ``questions``, one tuple per cluster
    clusters: tuple[GapCluster, ...]
    chapters: tuple[tuple[str, int], ...]
    reasons: tuple[tuple[str, int], ...]


def chapter_of(references: list[dict[str, Any]]) -> str | None:
    """The chapter or lab of the first cited course place (FAQ entries are not chapters)."""
    for ref in references:
        raw = ref.get("location")
        if not isinstance(raw, dict):
            continue
        try:
            location = Location.from_dict(raw)
        except ValueError:
            continue
        if location.is_faq:
            continue
        unit = location.unit_label()
        if unit:
            return f"Day {location.day} › {unit}" if location.day is not None else unit
    return None


def _question(row: UnansweredRow) -> GapQuestion:
    return GapQuestion(
        text=row.question,
        course_slug=row.course_slug,
        source=row.source,
        asked_at=row.created_at,
        chapter=chapter_of(row.references),
    )


def _summarise(questions: tuple[GapQuestion, ...], group: list[int]) -> GapCluster:
    chapters = Counter(questions[i].chapter for i in group if questions[i].chapter)
    # Most common first; ties go to the chapter seen first, so the result is deterministic.
    chapter = max(chapters, key=lambda c: chapters[c]) if chapters else None
    examples: list[str] = []
    for i in group:
        text = " ".join(questions[i].text.split())
        if text and text not in examples:
            examples.append(text)
    return GapCluster(count=len(group), examples=tuple(examples[:3]), chapter=chapter)


async def compute_gaps(deps: Deps, course_ids: list[int] | None, days: int) -> Gaps:
    """The content gaps of the last ``days`` days in ``course_ids`` (None: every course)."""
    since = deps.clock.now() - timedelta(days=days)
    async with deps.sessions.begin() as session:
        repo = GapsRepository(session)
        rows = await repo.unanswered(since, course_ids, limit=MAX_QUESTIONS)
        reasons = await repo.not_helpful_reasons(since, course_ids)
    questions = tuple(_question(r) for r in rows)
    vectors = (
        await deps.embedder.embed([q.text[:EMBED_CHARS] or "?" for q in questions])
        if questions
        else []
    )
    groups = cluster(vectors)
    chapters = Counter(q.chapter for q in questions if q.source == "escalated" and q.chapter)
    return Gaps(
        questions=questions,
        groups=tuple(tuple(g) for g in groups),
        clusters=tuple(_summarise(questions, g) for g in groups),
        chapters=tuple(sorted(chapters.items(), key=lambda kv: (-kv[1], kv[0]))[:CHAPTERS_SHOWN]),
        reasons=tuple((reason_label(reason), n) for reason, n in reasons),
    )
