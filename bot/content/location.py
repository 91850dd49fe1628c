"""Where a piece of course content sits: day, chapter or lab, and section."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass

SEPARATOR = " › "
FAQ_LABEL = "FAQ · answered by {name}"


@dataclass(frozen=True)
class Location:
    """A position in a course; every field is optional because content may sit outside days."""

    day: int | None = None
    day_title: str | None = None
    chapter_id: str | None = None
    chapter_title: str | None = None
    lab_id: str | None = None
    lab_title: str | None = None
    section: str | None = None
    # A lab's own coaching mode (bot.content.coaching) from its front matter or _day.yml; None
    # means the course's mode applies. Never part of the label.
    coaching: str | None = None
    # Set on a course FAQ entry's chunk (bot.content.faq_chunks): the name of the trainer who
    # approved its answer. The label is then "FAQ · answered by Jane", whatever else is set.
    faq_by: str | None = None

    @property
    def is_faq(self) -> bool:
        """True for the chunk of a course FAQ entry."""
        return self.faq_by is not None

    @property
    def is_lab(self) -> bool:
        """True when this location is inside a lab rather than a chapter."""
        return self.lab_id is not None or self.lab_title is not None

    def unit_label(self) -> str | None:
        """The chapter or lab part of the label, e.g. "Lab 2.1 — FizzBuzz" or "Lists"."""
        if self.is_lab:
            name = f"Lab {self.lab_id}" if self.lab_id else "Lab"
            return f"{name} — {self.lab_title}" if self.lab_title else name
        if self.chapter_title:
            return self.chapter_title
        if self.chapter_id:
            return f"Chapter {self.chapter_id}"
        return None

    def label(self) -> str:
        """A short human path such as "Day 2 › Control flow › Lab 2.1 — FizzBuzz › Hints"."""
        if self.faq_by is not None:
            return FAQ_LABEL.format(name=self.faq_by or "a trainer")
        parts: list[str] = []
        if self.day is not None:
            parts.append(f"Day {self.day}")
        if self.day_title:
            parts.append(self.day_title)
        unit = self.unit_label()
        if unit and not (self.day_title and _loose(unit) == _loose(self.day_title)):
            parts.append(unit)
        # The first section of a file is usually the file's own title: repeating it adds noise.
        if self.section and not self._repeats_title(self.section):
            parts.append(self.section)
        return SEPARATOR.join(parts) if parts else "Course"

    def _repeats_title(self, section: str) -> bool:
        wanted = _loose(section)
        titles = (self.chapter_title, self.lab_title, self.day_title, self.unit_label())
        return any(title is not None and _loose(title) == wanted for title in titles)

    def to_dict(self) -> dict[str, str | int | None]:
        """A JSON-ready mapping of every field (``faq_by`` only on an FAQ entry's chunk)."""
        fields = asdict(self)
        if self.faq_by is None:
            del fields["faq_by"]
        return fields

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Location:
        """Rebuild a Location from :meth:`to_dict` output; unknown keys are ignored."""
        day = data.get("day")
        if day is not None and (not isinstance(day, int) or isinstance(day, bool)):
            raise ValueError(f"Location day must be an integer, got {day!r}")
        return cls(
            day=day,
            day_title=_optional_str(data, "day_title"),
            chapter_id=_optional_str(data, "chapter_id"),
            chapter_title=_optional_str(data, "chapter_title"),
            lab_id=_optional_str(data, "lab_id"),
            lab_title=_optional_str(data, "lab_title"),
            section=_optional_str(data, "section"),
            coaching=_optional_str(data, "coaching"),
            faq_by=_optional_str(data, "faq_by"),
        )


def _loose(text: str) -> str:
    """Compare titles ignoring case, punctuation and dashes ("Lab 2.1: X" equals "Lab 2.1 — X")."""
    return re.sub(r"\W+", "", text.casefold())


def _optional_str(data: Mapping[str, object], key: str) -> str | None:
    value = data.get(key)
    if value is None or isinstance(value, str):
        return value
    raise ValueError(f"Location {key} must be a string, got {value!r}")
