"""Content gaps as ``/coach gaps`` and the Home tab show them: view models and builders."""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.blocks.feedback import FEEDBACK_REASONS
from bot.blocks.mrkdwn import clip, escape_mrkdwn

EXAMPLES_SHOWN = 3
EXAMPLE_LIMIT = 160
CHAPTER_LIMIT = 120
# The Home tab stays well inside its 100 blocks next to the queue and the stats.
HOME_COURSES_SHOWN = 5
HOME_CLUSTERS_SHOWN = 3
NO_REASON = "No reason given"


@dataclass(frozen=True)
class GapCluster:
    """Questions of one meaning: how many, a few of them, and the chapter most of them hit."""

    count: int
    examples: tuple[str, ...]
    chapter: str | None = None


@dataclass(frozen=True)
class CourseGaps:
    """A course's cached top clusters, as the Home tab shows them."""

    course_slug: str
    questions: int
    clusters: tuple[GapCluster, ...]


def example_text(question: str, limit: int = EXAMPLE_LIMIT) -> str:
    """One question as an example: on one line, escaped, cut."""
    return clip(escape_mrkdwn(" ".join(question.split())), limit)


def reason_label(reason: str | None) -> str:
    """What the learner picked in the Not-helpful modal, in their words."""
    if reason is None:
        return NO_REASON
    return FEEDBACK_REASONS.get(reason, reason)


def cluster_line(c: GapCluster, examples: int = EXAMPLES_SHOWN) -> str:
    """A cluster as one mrkdwn line: its size, its chapter, and quoted examples."""
    noun = "question" if c.count == 1 else "questions"
    where = f" · mostly _{clip(escape_mrkdwn(c.chapter), CHAPTER_LIMIT)}_" if c.chapter else ""
    quoted = "".join(f"\n> {example_text(e)}" for e in c.examples[:examples])
    return f"*{c.count} {noun}*{where}{quoted}"


def counted(pairs: tuple[tuple[str, int], ...]) -> str:
    """``Lists (4), Loops (2)``."""
    return ", ".join(f"{clip(escape_mrkdwn(name), CHAPTER_LIMIT)} ({n})" for name, n in pairs)


def build_gaps_lines(
    clusters: tuple[GapCluster, ...],
    chapters: tuple[tuple[str, int], ...],
    reasons: tuple[tuple[str, int], ...],
) -> tuple[str, ...]:
    """The lines of ``/coach gaps``: the two short tallies first, then the clusters."""
    lines = [
        f"*Chapters most escalated from:* {counted(chapters) or 'none recorded'}",
        f"*Not-helpful feedback:* {counted(reasons) or 'none'}",
    ]
    lines += [cluster_line(c) for c in clusters]
    return tuple(lines)


def build_home_gaps_blocks(courses: tuple[CourseGaps, ...]) -> list[Block]:
    """The Home tab's "Content gaps" section: each course's top clusters, from the cache."""
    blocks: list[Block] = [HeaderBlock(text="Content gaps: last 30 days")]
    note = "Questions the coach could not answer, grouped. `/coach gaps COURSE` for all of them."
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=note)]))
    if not courses:
        blocks.append(SectionBlock(text="Nothing unanswered at the last check. :tada:"))
    for course in courses[:HOME_COURSES_SHOWN]:
        shown = course.clusters[:HOME_CLUSTERS_SHOWN]
        lines = [cluster_line(c, examples=1) for c in shown]
        head = f"*{escape_mrkdwn(course.course_slug)}* · {course.questions} unanswered"
        blocks.append(SectionBlock(text=clip("\n".join([head, *lines]), 2900)))
    if len(courses) > HOME_COURSES_SHOWN:
        more = f"{len(courses) - HOME_COURSES_SHOWN} more courses: `/coach gaps` shows them all."
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=more)]))
    return blocks
