import json

import pytest

from bot.content.location import Location


def test_label_for_a_lab_without_title() -> None:
    location = Location(day=2, day_title="Lists", lab_id="2.1")

    assert location.label() == "Day 2 › Lists › Lab 2.1"


def test_label_for_a_lab_with_title_and_section() -> None:
    location = Location(
        day=2, day_title="Control flow", lab_id="2.1", lab_title="FizzBuzz", section="Hints"
    )

    assert location.label() == "Day 2 › Control flow › Lab 2.1 — FizzBuzz › Hints"


def test_label_for_a_chapter_section() -> None:
    location = Location(
        day=2,
        day_title="Lists",
        chapter_id="2.1",
        chapter_title="More on lists",
        section="Slicing",
    )

    assert location.label() == "Day 2 › Lists › More on lists › Slicing"


@pytest.mark.parametrize("section", ["More on lists", "more on LISTS", "Lists"])
def test_label_leaves_out_a_section_that_repeats_a_title(section: str) -> None:
    location = Location(
        day=2, day_title="Lists", chapter_id="2.1", chapter_title="More on lists", section=section
    )

    assert location.label() == "Day 2 › Lists › More on lists"


def test_label_leaves_out_a_lab_heading_that_repeats_the_lab() -> None:
    location = Location(day=2, lab_id="2.1", lab_title="FizzBuzz", section="Lab 2.1: FizzBuzz")

    assert location.label() == "Day 2 › Lab 2.1 — FizzBuzz"


def test_label_falls_back_to_the_chapter_id() -> None:
    assert Location(day=3, chapter_id="3.2").label() == "Day 3 › Chapter 3.2"


def test_label_without_a_day() -> None:
    location = Location(chapter_title="Welcome", section="What you need")

    assert location.label() == "Welcome › What you need"


def test_label_of_an_empty_location() -> None:
    assert Location().label() == "Course"


def test_dict_round_trip_through_json() -> None:
    location = Location(
        day=4,
        day_title="Modules, files and errors",
        lab_id="4.1",
        lab_title="A contact book",
        section="Exercise 2",
    )

    stored = json.dumps(location.to_dict())

    assert Location.from_dict(json.loads(stored)) == location
    assert json.loads(stored)["day"] == 4
    assert json.loads(stored)["chapter_id"] is None


def test_from_dict_ignores_unknown_and_missing_keys() -> None:
    location = Location.from_dict({"day": 1, "chapter_title": "Intro", "colour": "blue"})

    assert location == Location(day=1, chapter_title="Intro")


@pytest.mark.parametrize("data", [{"day": "two"}, {"day": True}, {"section": 3}])
def test_from_dict_rejects_wrong_types(data: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="Location"):
        Location.from_dict(data)
