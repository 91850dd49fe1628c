"""Suggested prompts for the learner's assistant thread, built from their own course.

Slack shows at most four prompts (``assistant.threads.setSuggestedPrompts``); each has a short
``title`` on the button and the ``message`` that is sent as the learner's question when clicked.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_PROMPTS = 4
PROMPTS_TITLE = "Ask your coach"
_MAX_TITLE = 75


@dataclass(frozen=True)
class OutlineDay:
    """A day of the course, e.g. Day 3 "Functions"."""

    number: int
    title: str | None = None


@dataclass(frozen=True)
class OutlineLab:
    """A lab of the course, e.g. Lab 2.1 "FizzBuzz"."""

    lab_id: str
    title: str | None = None


@dataclass(frozen=True)
class CourseOutline:
    """What a course is made of, in course order."""

    title: str
    days: tuple[OutlineDay, ...] = field(default_factory=tuple)
    labs: tuple[OutlineLab, ...] = field(default_factory=tuple)


GENERIC_PROMPTS: tuple[dict[str, str], ...] = (
    {
        "title": "How do I get enrolled?",
        "message": "I'm not enrolled in a course yet. How do I get enrolled?",
    },
    {
        "title": "Talk to a trainer",
        "message": "I'd like to talk to a trainer, please.",
    },
    {
        "title": "What can you help with?",
        "message": "What can you help me with?",
    },
)


def _prompt(title: str, message: str) -> dict[str, str]:
    short = title if len(title) <= _MAX_TITLE else title[: _MAX_TITLE - 1] + "…"
    return {"title": short, "message": message}


def _lab_name(lab: OutlineLab) -> str:
    return f"Lab {lab.lab_id} — {lab.title}" if lab.title else f"Lab {lab.lab_id}"


def suggested_prompts(outline: CourseOutline | None) -> list[dict[str, str]]:
    """At most four prompts naming the course's first labs and days; generic ones without one."""
    if outline is None:
        return [dict(p) for p in GENERIC_PROMPTS]
    prompts: list[dict[str, str]] = []
    labs = list(outline.labs[:2])
    days = list(outline.days[:2])
    if labs:
        first = labs.pop(0)
        prompts.append(
            _prompt(f"Start Lab {first.lab_id}", f"Where do I start with {_lab_name(first)}?")
        )
    if days:
        day = days.pop(0)
        about = f" ({day.title})" if day.title else ""
        prompts.append(_prompt(f"Day {day.number}", f"What does Day {day.number}{about} cover?"))
    if labs:
        lab = labs.pop(0)
        prompts.append(
            _prompt(f"Stuck on Lab {lab.lab_id}", f"I'm stuck on {_lab_name(lab)}. Any hints?")
        )
    elif days:
        day = days.pop(0)
        prompts.append(_prompt(f"Day {day.number}", f"What does Day {day.number} cover?"))
    prompts.append(_prompt(f"About {outline.title}", f"What will I learn in {outline.title}?"))
    return prompts[:MAX_PROMPTS]
