from pathlib import Path

import pytest

from bot.content.loader import CourseContent, load_course
from bot.content.location import Location
from bot.errors import ContentError

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "python-course"
BODY = "Some text that explains the topic in a sentence or two, with enough words to matter."


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def locations(course: CourseContent) -> dict[str, Location]:
    """The location of each file's first chunk, without the section."""
    found: dict[str, Location] = {}
    for chunk in course.chunks:
        if chunk.source_path not in found:
            found[chunk.source_path] = Location.from_dict(
                {**chunk.location.to_dict(), "section": None}
            )
    return found


def test_structure_gives_days_chapters_and_titles(tmp_path: Path) -> None:
    write(tmp_path, "course.yml", "title: Python Foundations\nslug: python-foundations\n")
    write(tmp_path, "intro.md", f"# Welcome\n\n{BODY}")
    write(tmp_path, "day-01-getting-started/01-whetting.md", f"# Whetting Your Appetite\n\n{BODY}")
    write(tmp_path, "day-01-getting-started/02-no-heading.md", BODY)
    write(tmp_path, "day2/01-flow.md", f"# Control flow\n\n{BODY}")
    write(tmp_path, "Day 3 - Lists/02-slicing.md", f"# Slicing\n\n{BODY}")

    course = load_course(tmp_path)

    assert course.title == "Python Foundations"
    assert course.slug == "python-foundations"
    assert course.description is None
    found = locations(course)
    assert found["intro.md"] == Location(chapter_title="Welcome")
    assert found["day-01-getting-started/01-whetting.md"] == Location(
        day=1, day_title="Getting started", chapter_id="1.1", chapter_title="Whetting Your Appetite"
    )
    assert found["day-01-getting-started/02-no-heading.md"].chapter_title == "No heading"
    assert found["day2/01-flow.md"] == Location(
        day=2, chapter_id="2.1", chapter_title="Control flow"
    )
    assert found["Day 3 - Lists/02-slicing.md"] == Location(
        day=3, day_title="Lists", chapter_id="3.2", chapter_title="Slicing"
    )
    assert course.days() == [1, 2, 3]


@pytest.mark.parametrize(
    ("folder", "day", "title"),
    [
        ("day-01-getting-started", 1, "Getting started"),
        ("day1", 1, None),
        ("Day 2 - Lists", 2, "Lists"),
        ("DAY_03_data_structures", 3, "Data structures"),
        ("day 10", 10, None),
    ],
)
def test_day_folder_variants(tmp_path: Path, folder: str, day: int, title: str | None) -> None:
    write(tmp_path, f"{folder}/01-x.md", f"# X\n\n{BODY}")

    location = load_course(tmp_path).chunks[0].location

    assert (location.day, location.day_title) == (day, title)


@pytest.mark.parametrize("folder", ["days-of-python", "daytime", "monday-1"])
def test_folders_that_only_look_like_days_are_not_days(tmp_path: Path, folder: str) -> None:
    write(tmp_path, f"{folder}/01-x.md", f"# X\n\n{BODY}")

    assert load_course(tmp_path).chunks[0].location.day is None


def test_front_matter_overrides_the_structure(tmp_path: Path) -> None:
    write(
        tmp_path,
        "day-01-basics/01-first.md",
        "---\ntitle: Lists in depth\nday: 3\nday_title: Data structures\nchapter: '3.7'\n---\n"
        f"# A heading that is not the title\n\n{BODY}",
    )

    location = locations(load_course(tmp_path))["day-01-basics/01-first.md"]

    assert location == Location(
        day=3, day_title="Data structures", chapter_id="3.7", chapter_title="Lists in depth"
    )


def test_day_title_from_day_yml_and_from_a_sibling(tmp_path: Path) -> None:
    write(tmp_path, "day-01-intro/_day.yml", "day_title: Getting started\n")
    write(tmp_path, "day-01-intro/01-a.md", f"# A\n\n{BODY}")
    write(tmp_path, "day-02-x/01-a.md", f"---\nday_title: Control flow\n---\n# A\n\n{BODY}")
    write(tmp_path, "day-02-x/02-b.md", f"# B\n\n{BODY}")

    found = locations(load_course(tmp_path))

    assert found["day-01-intro/01-a.md"].day_title == "Getting started"
    assert found["day-02-x/01-a.md"].day_title == "Control flow"
    assert found["day-02-x/02-b.md"].day_title == "Control flow"


def test_labs_by_name_folder_and_front_matter(tmp_path: Path) -> None:
    write(tmp_path, "day-02-flow/01-flow.md", f"# Flow\n\n{BODY}")
    write(tmp_path, "day-02-flow/lab-1-fizzbuzz.md", f"# Lab 2.1 — FizzBuzz and friends\n\n{BODY}")
    write(tmp_path, "day-02-flow/labs/02-primes.md", f"# Primes\n\n{BODY}")
    write(tmp_path, "day-02-flow/extra.md", f"---\nlab: '2.5'\n---\n# Extra practice\n\n{BODY}")
    write(tmp_path, "day-02-flow/bonus.md", f"---\ntype: lab\n---\n# Bonus\n\n{BODY}")
    write(tmp_path, "day-02-flow/lab-9-notes.md", f"---\ntype: chapter\n---\n# Notes\n\n{BODY}")

    course = load_course(tmp_path)
    found = locations(course)

    assert found["day-02-flow/lab-1-fizzbuzz.md"] == Location(
        day=2, day_title="Flow", lab_id="2.1", lab_title="FizzBuzz and friends"
    )
    assert found["day-02-flow/labs/02-primes.md"].lab_id == "2.2"
    assert found["day-02-flow/extra.md"].lab_id == "2.5"
    assert found["day-02-flow/bonus.md"].lab_id == "2.3"  # the next free number
    assert found["day-02-flow/bonus.md"].lab_title == "Bonus"
    assert not found["day-02-flow/lab-9-notes.md"].is_lab
    assert found["day-02-flow/lab-9-notes.md"].chapter_title == "Notes"
    assert sorted(course.lab_ids()) == ["2.1", "2.2", "2.3", "2.5"]
    assert found["day-02-flow/lab-1-fizzbuzz.md"].label() == (
        "Day 2 › Flow › Lab 2.1 — FizzBuzz and friends"
    )


def test_reading_order(tmp_path: Path) -> None:
    write(tmp_path, "day-02-b/lab-1-x.md", f"# Lab\n\n{BODY}")
    write(tmp_path, "day-02-b/10-ten.md", f"# Ten\n\n{BODY}")
    write(tmp_path, "day-02-b/2-two.md", f"# Two\n\n{BODY}")
    write(tmp_path, "day-02-b/9-first.md", f"---\norder: 1\n---\n# First\n\n{BODY}")
    write(tmp_path, "day-01-a/01-a.md", f"# A\n\n{BODY}")
    write(tmp_path, "zz-intro.md", f"# Intro\n\n{BODY}")

    course = load_course(tmp_path)

    assert course.files == [
        "zz-intro.md",
        "day-01-a/01-a.md",
        "day-02-b/9-first.md",
        "day-02-b/2-two.md",
        "day-02-b/10-ten.md",
        "day-02-b/lab-1-x.md",
    ]
    assert [c.source_path for c in course.chunks] == course.files


def test_hidden_and_licence_files_are_ignored(tmp_path: Path) -> None:
    write(tmp_path, "01-a.md", f"# A\n\n{BODY}")
    write(tmp_path, ".drafts/01-b.md", f"# B\n\n{BODY}")
    write(tmp_path, ".notes.md", f"# C\n\n{BODY}")
    write(tmp_path, "LICENSE.md", f"# Licence\n\n{BODY}")
    write(tmp_path, "notes.txt", BODY)

    assert load_course(tmp_path).files == ["01-a.md"]


def test_course_title_defaults_to_the_folder_name(tmp_path: Path) -> None:
    root = tmp_path / "intro_to-rust"
    write(root, "01-a.md", f"# A\n\n{BODY}")

    assert load_course(root).title == "Intro to rust"


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="not found") as caught:
        load_course(tmp_path / "nope")
    assert "nope" in caught.value.user_message


def test_not_a_folder(tmp_path: Path) -> None:
    write(tmp_path, "course.md", BODY)

    with pytest.raises(ContentError, match="not a course folder"):
        load_course(tmp_path / "course.md")


def test_empty_course(tmp_path: Path) -> None:
    write(tmp_path, "course.yml", "title: Nothing yet\n")
    write(tmp_path, ".hidden/01-a.md", BODY)

    with pytest.raises(ContentError, match="empty course"):
        load_course(tmp_path)


def test_course_of_empty_files(tmp_path: Path) -> None:
    write(tmp_path, "01-a.md", "\n\n")

    with pytest.raises(ContentError, match="empty course"):
        load_course(tmp_path)


def test_file_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    write(tmp_path, "01-good.md", f"# Good\n\n{BODY}")
    (tmp_path / "day-01-x").mkdir()
    (tmp_path / "day-01-x" / "02-latin1.md").write_bytes("# Café\n\nCrème brûlée".encode("latin-1"))

    with pytest.raises(ContentError, match=r"day-01-x/02-latin1\.md is not valid UTF-8"):
        load_course(tmp_path)


def test_unreadable_file_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "01-locked.md", BODY)
    original = Path.read_bytes

    def refuse(self: Path) -> bytes:
        if self.name == "01-locked.md":
            raise PermissionError(13, "Permission denied")
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)

    with pytest.raises(ContentError, match=r"Could not read 01-locked\.md \(Permission denied\)"):
        load_course(tmp_path)


@pytest.mark.parametrize(
    ("front_matter", "problem"),
    [
        ("title: [unclosed", r"01-a\.md: the front matter is not valid YAML \(line \d+"),
        ("- just\n- a list", r"01-a\.md: the front matter must be .* not a list"),
        ("day: two", r"01-a\.md: `day` must be a whole number"),
        ("type: quiz", r"01-a\.md: front matter `type` must be chapter or lab"),
        ("title: 42", r"01-a\.md: `title` must be text"),
        ("order: first", r"01-a\.md: `order` must be a number"),
        ("lab: true", r"01-a\.md: `lab` must be an id"),
    ],
)
def test_invalid_front_matter_is_named(tmp_path: Path, front_matter: str, problem: str) -> None:
    write(tmp_path, "00-fine.md", f"# Fine\n\n{BODY}")
    write(tmp_path, "01-a.md", f"---\n{front_matter}\n---\n# A\n\n{BODY}")

    with pytest.raises(ContentError, match=problem):
        load_course(tmp_path)


def test_invalid_course_yml(tmp_path: Path) -> None:
    write(tmp_path, "course.yml", "title: [oops\n")
    write(tmp_path, "01-a.md", f"# A\n\n{BODY}")

    with pytest.raises(ContentError, match=r"course\.yml is not valid YAML"):
        load_course(tmp_path)


def test_invalid_day_yml(tmp_path: Path) -> None:
    write(tmp_path, "day-01/_day.yml", "- a list\n")
    write(tmp_path, "day-01/01-a.md", f"# A\n\n{BODY}")

    with pytest.raises(ContentError, match=r"day-01/_day\.yml must contain"):
        load_course(tmp_path)


def test_duplicate_chapter_ids(tmp_path: Path) -> None:
    write(tmp_path, "day-01/01-a.md", f"# A\n\n{BODY}")
    write(tmp_path, "day-01/01-b.md", f"# B\n\n{BODY}")

    with pytest.raises(ContentError, match=r"Chapter 1\.1 is defined twice.*01-a\.md.*01-b\.md"):
        load_course(tmp_path)


def test_a_horizontal_rule_at_the_top_is_not_front_matter(tmp_path: Path) -> None:
    write(tmp_path, "01-a.md", f"---\n\n# A\n\n{BODY}")

    assert load_course(tmp_path).chunks[0].location.chapter_title == "A"


def test_example_course_loads() -> None:
    course = load_course(EXAMPLE)

    assert course.title == "Python Foundations"
    assert course.slug == "python-foundations"
    assert course.description
    assert course.days() == [1, 2, 3, 4, 5]
    assert course.lab_ids() == ["1.1", "2.1", "3.1", "4.1", "5.1"]
    for day in course.days():
        chapters = {c.location.chapter_id for c in course.chunks if c.location.day == day}
        assert 2 <= len(chapters - {None}) <= 4
    assert "LICENSE.md" not in course.files
    assert all(len(c.text) <= 1800 for c in course.chunks)
    keys = [(c.source_path, c.anchor) for c in course.chunks]
    assert len(keys) == len(set(keys))
    fizzbuzz = next(c for c in course.chunks if c.location.lab_id == "2.1")
    assert fizzbuzz.location.label().startswith("Day 2 › Control flow › Lab 2.1 — FizzBuzz")


def test_example_course_stays_small() -> None:
    size = sum(path.stat().st_size for path in EXAMPLE.rglob("*") if path.is_file())

    assert size < 1_000_000


def test_a_symlink_out_of_the_course_folder_is_skipped_not_read(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    secret = tmp_path / ".env"
    secret.write_text("OPENAI_API_KEY=sk-secret-value\n", encoding="utf-8")
    outside = tmp_path / "elsewhere"
    write(outside, "shared.md", "# Shared\n\nOutside text that must not be read.")
    root = tmp_path / "courses" / "python"
    write(root, "day1/01-intro.md", f"# Intro\n\n{BODY}")
    (root / "day1" / "notes.md").symlink_to("../../../.env")
    (root / "linked").symlink_to(outside, target_is_directory=True)
    write(root, "inside-target.md", f"# Target\n\n{BODY}")
    (root / "day1" / "alias.md").symlink_to("../inside-target.md")  # inside: fine

    with caplog.at_level("WARNING"):
        course = load_course(root)

    text = "\n".join(chunk.text for chunk in course.chunks)
    assert "sk-secret-value" not in text
    assert "Outside text" not in text
    assert "day1/notes.md" not in course.files
    assert "day1/alias.md" in course.files
    assert any("day1/notes.md" in skipped for skipped in course.skipped)
    assert all("outside the course folder" in skipped for skipped in course.skipped)
    assert "day1/notes.md" in caplog.text


def test_a_file_over_the_size_limit_is_refused_by_name(tmp_path: Path) -> None:
    write(tmp_path, "01-small.md", f"# Small\n\n{BODY}")
    write(tmp_path, "day2/02-huge.md", "# Huge\n\n" + "word " * 300)

    with pytest.raises(ContentError) as error:
        load_course(tmp_path, max_file_bytes=1000)
    message = str(error.value)
    assert "day2/02-huge.md" in message
    assert "1000" in message
    assert "INGEST_MAX_FILE_BYTES" in message
    assert load_course(tmp_path, max_file_bytes=10_000).files == ["01-small.md", "day2/02-huge.md"]


def test_the_default_size_limit_is_one_megabyte(tmp_path: Path) -> None:
    write(tmp_path, "big.md", "# Big\n\n" + "x" * (1024 * 1024))
    with pytest.raises(ContentError, match=r"big\.md"):
        load_course(tmp_path)


def test_coaching_mode_from_lab_front_matter_and_day_yml(tmp_path: Path) -> None:
    write(tmp_path, "day-01/_day.yml", "day_title: Basics\ncoaching: socratic\n")
    write(tmp_path, "day-01/01-intro.md", f"# Intro\n\n{BODY}")
    write(tmp_path, "day-01/lab-1-own.md", f"---\ncoaching: Hint\n---\n# Lab: Own\n\n{BODY}")
    write(tmp_path, "day-01/lab-2-day.md", f"# Lab: From the day\n\n{BODY}")
    write(tmp_path, "day-02/lab-1-none.md", f"# Lab: Course mode\n\n{BODY}")

    found = locations(load_course(tmp_path))

    assert found["day-01/lab-1-own.md"].coaching == "hint"  # the file wins over its day
    assert found["day-01/lab-2-day.md"].coaching == "socratic"
    assert found["day-02/lab-1-none.md"].coaching is None  # the course's mode applies
    assert found["day-01/01-intro.md"].coaching is None  # chapters are always answered in full


@pytest.mark.parametrize(
    ("relative", "text", "problem"),
    [
        ("day-01/lab-1.md", f"---\ncoaching: hints\n---\n# Lab\n\n{BODY}", r"day-01/lab-1\.md"),
        ("day-01/_day.yml", "coaching: solutions\n", r"day-01/_day\.yml"),
    ],
)
def test_invalid_coaching_mode_names_the_valid_ones(
    tmp_path: Path, relative: str, text: str, problem: str
) -> None:
    write(tmp_path, "day-01/lab-2.md", f"# Lab two\n\n{BODY}")
    write(tmp_path, relative, text)

    with pytest.raises(ContentError, match=problem) as caught:
        load_course(tmp_path)
    assert "`coaching` must be answer, hint or socratic" in caught.value.user_message
