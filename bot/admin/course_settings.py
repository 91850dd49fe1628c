"""Per-course policy: confidence threshold, turn limit, auto-close days and coaching mode,
audited old → new."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.admin.parse import parse_number
from bot.blocks.replies import Notice
from bot.content.coaching import mode_list, parse_mode
from bot.errors import UsageError
from bot.people.enrolment import course_by_slug
from bot.settings import Settings
from store.models import Course
from store.repositories.audit import AuditRepository


@dataclass(frozen=True)
class Knob:
    """One tunable course setting: its column, allowed range and whether it is whole."""

    column: str
    label: str
    low: float
    high: float
    whole: bool


# Option names people type, each with the aliases that are easy to guess.
KNOBS = {
    "threshold": Knob("confidence_threshold", "confidence threshold", 0.0, 1.0, False),
    "turns": Knob("max_turns", "turn limit", 1, 100, True),
    "auto_close_days": Knob("auto_close_days", "auto-close days", 0.5, 90, False),
}
# The coaching mode is a word, not a number: `mode=hint` or `mode hint`.
MODE, MODE_COLUMN = "mode", "coaching_mode"
MODE_USAGE = "Usage: `/coach settings course-slug mode hint` (answer, hint or socratic)"
USAGE = "Usage: `/coach settings course-slug threshold=0.4 turns=8 auto_close_days=7 mode=hint`"
ALIASES = {
    "coaching": MODE,
    "coaching_mode": MODE,
    "confidence": "threshold",
    "confidence_threshold": "threshold",
    "max_turns": "turns",
    "turn_limit": "turns",
    "auto_close": "auto_close_days",
    "autoclose": "auto_close_days",
}


def _defaults(settings: Settings) -> dict[str, float]:
    return {
        "confidence_threshold": settings.escalation_confidence_threshold,
        "max_turns": settings.escalation_max_turns,
        "auto_close_days": settings.auto_close_days,
    }


def _describe(course: Course, settings: Settings) -> str:
    defaults = _defaults(settings)
    lines = []
    for name, knob in KNOBS.items():
        value = getattr(course, knob.column)
        shown = f"{value:g}" if value is not None else f"{defaults[knob.column]:g} (default)"
        lines.append(f"• {knob.label} (`{name}`): {shown}")
    mode = course.coaching_mode or f"{settings.coaching_mode} (default)"
    lines.append(f"• coaching mode (`{MODE}`): {mode} — a lab's own `coaching:` wins")
    return "\n".join(lines)


def _shown(value: float | str | None) -> str:
    if value is None:
        return "default"
    return value if isinstance(value, str) else f"{value:g}"


def word_options(words: tuple[str, ...]) -> dict[str, str]:
    """``mode hint`` typed as words after the slug, read as ``mode=hint``."""
    if len(words) % 2:
        name = ALIASES.get(words[-1].lower(), words[-1].lower())
        raise UsageError(MODE_USAGE if name == MODE else USAGE)
    return {words[i].lower(): words[i + 1] for i in range(0, len(words), 2)}


async def show(session: AsyncSession, settings: Settings, slug: str) -> Notice:
    """The course's effective settings."""
    course = await course_by_slug(session, slug)
    return Notice(f"Settings of *{course.slug}*:\n{_describe(course, settings)}")


def parse_changes(options: dict[str, str]) -> dict[str, float | int | str]:
    """Validate ``name=value`` options into column changes, with friendly range errors."""
    changes: dict[str, float | int | str] = {}
    for raw_name, raw_value in options.items():
        name = ALIASES.get(raw_name, raw_name)
        if name == MODE:
            mode = parse_mode(raw_value)
            if mode is None:
                raise UsageError(f"`{raw_value}` is not a coaching mode; use {mode_list('`')}.")
            changes[MODE_COLUMN] = mode.value
            continue
        knob = KNOBS.get(name)
        if knob is None:
            known = ", ".join(f"`{k}`" for k in [*KNOBS, MODE])
            raise UsageError(f"`{raw_name}` is not a course setting; use {known}.")
        value = parse_number(name, raw_value, knob.low, knob.high)
        if knob.whole:
            if value != int(value):
                raise UsageError(f"`{name}` must be a whole number; you gave {raw_value}.")
            changes[knob.column] = int(value)
        else:
            changes[knob.column] = value
    if not changes:
        raise UsageError(USAGE)
    return changes


async def change(
    session: AsyncSession, settings: Settings, slug: str, options: dict[str, str], by: str
) -> Notice:
    """Apply validated changes and write each old and new value to the audit trail."""
    changes = parse_changes(options)
    course = await course_by_slug(session, slug)
    audit = AuditRepository(session)
    said = []
    for column, new in changes.items():
        old = getattr(course, column)
        setattr(course, column, new)
        await audit.record(
            "course.setting_changed", by, course=course.slug, setting=column, old=old, new=new
        )
        said.append(f"{column}: {_shown(old)} → {_shown(new)}")
    await session.flush()
    return Notice(
        f"Updated *{course.slug}*: " + "; ".join(said) + f"\n{_describe(course, settings)}"
    )
