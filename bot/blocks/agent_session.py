"""A learner's agent session in Slack: its lifecycle status and its title.

The session is the learner's DM thread (channel id and thread root ts). Slack shows its status
(``agents.sessions.setStatus``) and a stop button while it is ``processing``, and its title
(``agents.sessions.rename``) in the list of the learner's sessions. Both are only presentation:
the calls are made best effort (``bot.best_effort``).
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Any

SET_STATUS = "agents.sessions.setStatus"
RENAME = "agents.sessions.rename"
# Slack's limit for a session title (agents.sessions.rename: 1-200 characters).
MAX_TITLE = 200
# A title made from the question is cut shorter: it names the thread, it does not repeat it.
QUESTION_TITLE = 60
DOT = " · "


class SessionStatus(StrEnum):
    """The lifecycle statuses ``agents.sessions.setStatus`` accepts."""

    ACTIVE = "active"  # waiting for the learner
    PROCESSING = "processing"  # the coach is answering (Slack shows a stop button)
    SUSPENDED = "suspended"  # a trainer owns the thread: the coach stays silent
    CLOSED = "closed"  # the ticket was resolved


def status_args(channel_id: str, thread_ts: str, status: SessionStatus) -> dict[str, Any]:
    """Arguments of ``agents.sessions.setStatus`` for one learner thread."""
    return {"channel_id": channel_id, "thread_ts": thread_ts, "status": status.value}


def title_args(channel_id: str, thread_ts: str, title: str) -> dict[str, Any]:
    """Arguments of ``agents.sessions.rename`` for one learner thread."""
    return {"channel_id": channel_id, "thread_ts": thread_ts, "title": title}


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    # End on a word when one ends reasonably late, so the title does not stop mid-word.
    space = head.rfind(" ")
    if space >= limit // 2:
        head = head[:space]
    return head.rstrip(" ,.;:-–—") + "…"


def build_session_title(
    question: str,
    *,
    lab_id: str | None = None,
    lab_title: str | None = None,
    day: int | None = None,
    chapter_title: str | None = None,
) -> str:
    """A short title for the thread: the lab ("Lab 2.1 · FizzBuzz"), else the chapter ("Day 2
    · Lists"), else the start of the question; never empty, at most ``MAX_TITLE`` characters."""
    if lab_id or lab_title:
        name = f"Lab {lab_id}" if lab_id else "Lab"
        title = f"{name}{DOT}{lab_title}" if lab_title else name
    elif chapter_title:
        title = f"Day {day}{DOT}{chapter_title}" if day is not None else chapter_title
    else:
        words = " ".join(question.split())
        title = _cut(_plain(words), QUESTION_TITLE) or "Question for the coach"
    return _cut(" ".join(title.split()), MAX_TITLE)


def _plain(text: str) -> str:
    """Slack's markup made readable: ``<@U1>`` and ``<url|label>`` lose their brackets, code
    fences and emphasis marks go."""
    text = re.sub(r"<([^<>|]*)\|([^<>]*)>", r"\2", text)
    text = re.sub(r"<([^<>]*)>", r"\1", text)
    return re.sub(r"[`*_~]+", "", text).strip()
