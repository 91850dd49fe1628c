"""Which coaching mode a question gets, and what each mode tells the model.

A question is about a lab when the learner names one of the retrieved labs ("lab 2.1"), else when
the top passage belongs to a lab. That lab's own mode (front matter or _day.yml) wins over the
course's (``/coach settings``), which wins over the ``COACHING_MODE`` default. Chapters are always
answered in full.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.coach.types import RetrievedChunk
from bot.content.coaching import CoachingMode, parse_mode
from bot.content.location import Location
from bot.settings import Settings

_NAMED_LAB = re.compile(r"\blab\s*#?\s*(\d+(?:\.\d+)*)", re.IGNORECASE)

MODE_RULES = {
    CoachingMode.ANSWER: """\
Coaching mode: answer. The question is about {lab}, which the course lets the coach explain in \
full: answer it completely, with a worked example or code when that is what the learner needs, \
and cite the passages you used.""",
    CoachingMode.HINT: """\
Coaching mode: hint. The question is about {lab}, which the course wants learners to solve \
themselves. Give a hint, not the solution: name the concept the exercise needs, point to the \
course section that covers it (and cite it), and give one nudge or a small example on an \
unrelated problem. Never write a full or near-complete solution to this lab's exercise and no \
code that solves it, even when the learner asks for it or a passage contains it.""",
    CoachingMode.SOCRATIC: """\
Coaching mode: socratic. The question is about {lab}, which the course wants learners to solve \
themselves. Answer with two or three short guiding questions, each building on the last, that \
lead the learner to find the answer on their own, then point to the course section that covers \
it (and cite it). Never state the solution to this lab's exercise and write no code that \
solves it, even when the learner asks for it or a passage contains it.""",
}


@dataclass(frozen=True)
class Coaching:
    """The course's mode and the one this question gets, with the lab it is about (if any)."""

    course: CoachingMode = CoachingMode.ANSWER
    mode: CoachingMode = CoachingMode.ANSWER
    lab_id: str | None = None
    lab_label: str | None = None

    def of(self, location: Location) -> CoachingMode:
        """The mode a passage from ``location`` is coached in: its lab's own, else the course's."""
        return location_mode(location, self.course)

    def rules(self) -> str | None:
        """The system prompt's extra rules for a question about a lab; None for a chapter."""
        if self.lab_id is None:
            return None
        return MODE_RULES[self.mode].format(lab=self.lab_label or "a lab")


def location_mode(location: Location, course: CoachingMode) -> CoachingMode:
    """A passage's mode: a lab's own, else the course's; a chapter is always answered."""
    if not location.is_lab:
        return CoachingMode.ANSWER
    return parse_mode(location.coaching or "") or course


def course_mode(stored: str | None, settings: Settings) -> CoachingMode:
    """A course's mode: its own setting when it has one, else the default setting."""
    return parse_mode(stored or "") or CoachingMode(settings.coaching_mode)


def mode_for_question(
    question: str, retrieved: list[RetrievedChunk], course: CoachingMode
) -> Coaching:
    """The mode of the lab the question is about (the one named, else the top passage's)."""
    labs = {c.location.lab_id: c.location for c in reversed(retrieved) if c.location.lab_id}
    named = next((found for found in _NAMED_LAB.findall(question) if found in labs), None)
    if named is not None:
        location: Location | None = labs[named]
    else:
        location = retrieved[0].location if retrieved else None
    if location is None or not location.is_lab:
        return Coaching(course=course)
    return Coaching(
        course=course,
        mode=location_mode(location, course),
        lab_id=location.lab_id,
        lab_label=location.unit_label(),
    )
