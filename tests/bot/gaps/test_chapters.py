"""Which chapter an unanswered question belongs to: the first course place its answer cited."""

from __future__ import annotations

from bot.gaps.report import chapter_of


def _ref(**location: object) -> dict[str, object]:
    return {"chunk_id": 1, "location": location, "source_path": "x.md", "label": "x"}


def test_the_first_cited_chapter_or_lab_with_its_day() -> None:
    refs = [_ref(day=2, chapter_title="Lists"), _ref(day=1, chapter_title="Loops")]
    assert chapter_of(refs) == "Day 2 › Lists"
    assert chapter_of([_ref(lab_id="2.1", lab_title="FizzBuzz")]) == "Lab 2.1 — FizzBuzz"


def test_faq_entries_and_unreadable_places_are_not_chapters() -> None:
    refs = [_ref(faq_by="Jane", chapter_title="Lists"), _ref(day="two"), {"location": None}]
    assert chapter_of(refs) is None
    assert chapter_of([*refs, _ref(chapter_title="Sets")]) == "Sets"
    assert chapter_of([]) is None
