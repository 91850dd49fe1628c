"""Suggested prompts name the learner's own labs and days, or are generic without a course."""

from __future__ import annotations

from bot.blocks.suggested_prompts import (
    GENERIC_PROMPTS,
    MAX_PROMPTS,
    CourseOutline,
    OutlineDay,
    OutlineLab,
    suggested_prompts,
)


def test_prompts_name_the_courses_labs_and_days() -> None:
    outline = CourseOutline(
        title="Python Foundations",
        days=(OutlineDay(1, "Basics"), OutlineDay(3, "Functions")),
        labs=(OutlineLab("2.1", "FizzBuzz"), OutlineLab("3.1")),
    )
    prompts = suggested_prompts(outline)
    messages = [p["message"] for p in prompts]
    assert messages[0] == "Where do I start with Lab 2.1 — FizzBuzz?"
    assert "What does Day 1 (Basics) cover?" in messages
    assert "I'm stuck on Lab 3.1. Any hints?" in messages
    assert len(prompts) <= MAX_PROMPTS
    assert all(set(p) == {"title", "message"} and p["title"] for p in prompts)


def test_a_course_without_labs_still_gets_day_prompts() -> None:
    prompts = suggested_prompts(CourseOutline("Intro", days=(OutlineDay(1), OutlineDay(2))))
    assert [p["message"] for p in prompts] == [
        "What does Day 1 cover?",
        "What does Day 2 cover?",
        "What will I learn in Intro?",
    ]


def test_no_course_gets_generic_prompts() -> None:
    prompts = suggested_prompts(None)
    assert prompts == [dict(p) for p in GENERIC_PROMPTS]
    assert any("enrol" in p["message"] for p in prompts)
    assert len(prompts) <= MAX_PROMPTS


def test_long_titles_are_shortened() -> None:
    outline = CourseOutline("x" * 200)
    (prompt,) = suggested_prompts(outline)
    assert len(prompt["title"]) <= 75
    assert prompt["message"].endswith("x?")
