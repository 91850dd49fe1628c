"""The card's copilot sections: a summary of the learner's thread and similar resolved tickets.

Both are drawn from small view models (``CardSummary``, ``CardSimilar``) that
``bot.escalation.publish`` builds from the stored insight of an escalation. Every text in them
comes from learners, the model or trainers, so it is escaped and clipped here; each section stays
under Block Kit's 3,000 characters whatever it is given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from slack_sdk.models.blocks import Block, ContextBlock, MarkdownTextObject, SectionBlock

from bot.blocks.labels import ticket_label
from bot.blocks.mrkdwn import SECTION_LIMIT, clip, escape_mrkdwn

WANTS_LIMIT = 500
TRIED_ITEMS = 4
TRIED_LIMIT = 250
ANSWERED_LIMIT = 500
PLACES_LIMIT = 300
STILL_OPEN_LIMIT = 500
NOTES_LIMIT = 400
SIMILAR_SHOWN = 3
# Only a plain https link goes inside <...|...>: anything else could smuggle a mention.
_SAFE_LINK = re.compile(r"https://[^\s<>|&]+")


@dataclass(frozen=True)
class CardSummary:
    """What the learner wants, tried, got from the AI, and what is still open."""

    wants: str
    tried: list[str] = field(default_factory=list)
    answered: str | None = None
    answered_from: list[str] = field(default_factory=list)
    still_open: str | None = None
    # Written by the model rather than extracted from the thread.
    generated: bool = False


@dataclass(frozen=True)
class CardSimilar:
    """A resolved ticket of the same course whose question is close to this one."""

    ticket: int
    similarity: float
    notes: str | None
    link: str | None


def _one_line(text: str, limit: int) -> str:
    return clip(escape_mrkdwn(" ".join(text.split())), limit)


def build_summary_blocks(summary: CardSummary) -> list[Block]:
    """The summary as one section (and a context line saying how it was made)."""
    lines = [f"*Wants:* {_one_line(summary.wants, WANTS_LIMIT) or '_not said_'}"]
    tried = [_one_line(t, TRIED_LIMIT) for t in summary.tried[:TRIED_ITEMS] if t.strip()]
    if tried:
        lines.append("*Tried:*")
        lines.extend(f"• {item}" for item in tried)
    else:
        lines.append("*Tried:* _nothing said_")
    if summary.answered and summary.answered.strip():
        lines.append(f"*AI answered:* {_one_line(summary.answered, ANSWERED_LIMIT)}")
    else:
        lines.append("*AI answered:* _no answer_")
    if summary.answered_from:
        places = "; ".join(" ".join(p.split()) for p in summary.answered_from)
        lines.append(f"*From:* {_one_line(places, PLACES_LIMIT)}")
    if summary.still_open and summary.still_open.strip():
        lines.append(f"*Still open:* {_one_line(summary.still_open, STILL_OPEN_LIMIT)}")
    text = clip("*Summary*\n" + "\n".join(lines), SECTION_LIMIT)
    how = "written by the AI from the thread" if summary.generated else "taken from the thread"
    return [
        SectionBlock(text=MarkdownTextObject(text=text)),
        ContextBlock(elements=[MarkdownTextObject(text=f"_Summary {how}._")]),
    ]


def _similar_line(similar: CardSimilar) -> str:
    label = ticket_label(similar.ticket)
    link = similar.link if similar.link and _SAFE_LINK.fullmatch(similar.link) else None
    name = f"<{link}|{label}>" if link else label
    notes = _one_line(similar.notes, NOTES_LIMIT) if similar.notes else ""
    return f"• {name} · {similar.similarity:.0%} similar: {notes or '_no notes_'}"


def build_similar_blocks(similar: list[CardSimilar]) -> list[Block]:
    """Up to three similar resolved tickets with their resolution notes; nothing when none."""
    if not similar:
        return []
    lines = [_similar_line(s) for s in similar[:SIMILAR_SHOWN]]
    text = clip("*Similar resolved tickets*\n" + "\n".join(lines), SECTION_LIMIT)
    return [SectionBlock(text=MarkdownTextObject(text=text))]
