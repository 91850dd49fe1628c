import hashlib
import itertools

import pytest

from bot.content.chunking import ContentChunk, chunk_markdown, normalise, split_markdown
from bot.content.location import Location

PARAGRAPH = "Lists are ordered and mutable, and they can hold values of any type. " * 4

DOC = f"""# Lists

{PARAGRAPH}

## Slicing

{PARAGRAPH}

## Sorting

{PARAGRAPH}
"""


def paragraphs(count: int, word: str = "slice") -> str:
    """Paragraphs whose words are all different, so that a repeated tail is recognisable."""
    return "\n\n".join(
        f"Paragraph {i}: " + " ".join(f"{word}{i}x{j}" for j in range(40)) for i in range(count)
    )


def chunks_of(text: str, location: Location | None = None) -> list[ContentChunk]:
    where = location or Location(day=2, day_title="Lists", chapter_id="2.1", chapter_title="Lists")
    return chunk_markdown(text, source_path="day-02/01-lists.md", location=where)


def test_splits_on_headings_with_anchor_paths() -> None:
    sections = split_markdown(DOC)

    assert [s.anchor for s in sections] == ["lists", "lists/slicing", "lists/sorting"]
    assert [s.headings for s in sections] == [
        ("Lists",),
        ("Lists", "Slicing"),
        ("Lists", "Sorting"),
    ]


def test_each_chunk_starts_with_its_heading_trail() -> None:
    sections = split_markdown(DOC)

    assert sections[1].text.startswith("# Lists\n## Slicing\n\nLists are ordered")
    assert "## Sorting" not in sections[1].text


def test_deeper_headings_stay_in_their_parent() -> None:
    text = f"# A\n\n{PARAGRAPH}\n\n#### Detail\n\n{PARAGRAPH}\n"

    sections = split_markdown(text)

    assert len(sections) == 1
    assert "#### Detail" in sections[0].text


def test_hash_inside_a_code_fence_is_not_a_heading() -> None:
    text = f"""# Comments

{PARAGRAPH}

```python
# this is a comment, not a heading
## neither is this

x = 1  # blank line above must not split the block
```

~~~
# tilde fences too
~~~
"""

    sections = split_markdown(text)

    assert len(sections) == 1
    assert "```python\n# this is a comment, not a heading\n## neither is this\n\nx = 1" in (
        sections[0].text
    )
    assert "~~~\n# tilde fences too\n~~~" in sections[0].text


def test_long_section_is_split_at_paragraphs_with_overlap() -> None:
    text = "# Lists\n## Slicing\n\n" + paragraphs(12)

    sections = split_markdown(text, max_chars=800, overlap_chars=150)

    assert len(sections) > 2
    assert [s.anchor for s in sections[:3]] == [
        "lists/slicing",
        "lists/slicing~2",
        "lists/slicing~3",
    ]
    assert all(len(s.text) <= 800 for s in sections)
    for previous, current in itertools.pairwise(sections):
        assert current.text.startswith("# Lists\n## Slicing\n\n")
        # The continuation repeats the end of the previous part.
        assert previous.text[-40:] in current.text
    # Nothing is lost: every paragraph appears somewhere.
    for i in range(12):
        assert any(f"Paragraph {i}:" in s.text for s in sections)


def test_split_keeps_a_code_block_whole_when_it_fits() -> None:
    code = "```python\n" + "\n".join(f"value_{i} = {i} * {i}" for i in range(25)) + "\n```"
    text = f"# Squares\n\n{paragraphs(3)}\n\nSee this example:\n\n{code}\n\n{paragraphs(2)}"

    sections = split_markdown(text, max_chars=900, overlap_chars=100)

    assert len(sections) > 1
    holding = [s for s in sections if "value_0 = 0" in s.text]
    assert len(holding) == 1
    assert code in holding[0].text
    # The sentence introducing the example travels with it.
    assert "See this example:" in holding[0].text


def test_an_oversized_code_block_is_refenced_in_every_part() -> None:
    code = "```python\n" + "\n".join(f"print('line {i}')" for i in range(200)) + "\n```"

    sections = split_markdown(f"# Big\n\n{code}", max_chars=600, overlap_chars=100)

    assert len(sections) > 3
    for section in sections:
        assert section.text.count("```") % 2 == 0
        assert len(section.text) <= 600


def test_tiny_section_merges_into_the_next_sibling() -> None:
    text = (
        f"# Lists\n\n{PARAGRAPH}\n\n## Slicing\n\nSee below.\n\n## Negative indices\n\n{PARAGRAPH}"
    )

    sections = split_markdown(text)

    assert [s.anchor for s in sections] == ["lists", "lists/negative-indices"]
    assert sections[1].text.startswith("# Lists\n## Slicing\n\nSee below.\n\n## Negative indices")


def test_heading_without_body_merges_into_its_first_subsection() -> None:
    text = f"# Lists\n\n## Slicing\n\n{PARAGRAPH}"

    sections = split_markdown(text)

    assert len(sections) == 1
    assert sections[0].anchor == "lists/slicing"
    assert sections[0].text.startswith("# Lists\n## Slicing\n\n")


def test_tiny_section_does_not_merge_under_another_parent() -> None:
    text = f"# A\n\n{PARAGRAPH}\n\n## A1\n\nShort.\n\n# B\n\n{PARAGRAPH}"

    sections = split_markdown(text)

    assert [s.anchor for s in sections] == ["a", "a/a1", "b"]


def test_repeated_headings_get_an_occurrence_counter() -> None:
    text = f"# Lists\n\n## Example\n\n{PARAGRAPH}\n\n## Example\n\n{PARAGRAPH}"

    anchors = [s.anchor for s in split_markdown(text)]

    assert anchors == ["lists/example", "lists/example#2"]


def test_text_before_the_first_heading_is_the_preamble() -> None:
    sections = split_markdown(f"{PARAGRAPH}\n\n# Title\n\n{PARAGRAPH}")

    assert [s.anchor for s in sections] == ["_preamble", "title"]
    assert sections[0].headings == ()


def test_anchors_and_hashes_survive_edits_elsewhere_in_the_file() -> None:
    before = chunks_of(DOC)
    edited = DOC.replace(f"## Slicing\n\n{PARAGRAPH}", "## Slicing\n\n" + paragraphs(10, "changed"))

    after = chunks_of(edited)

    assert len(after) > len(before)
    untouched = {c.anchor: c.content_hash for c in before if c.anchor != "lists/slicing"}
    assert {c.anchor: c.content_hash for c in after if c.anchor in untouched} == untouched


def test_hash_changes_when_the_text_changes() -> None:
    before = chunks_of(DOC)[1]
    after = chunks_of(DOC.replace("## Slicing\n\nLists are", "## Slicing\n\nTuples are"))[1]

    assert before.anchor == after.anchor
    assert before.content_hash != after.content_hash


def test_hash_ignores_trailing_spaces_and_blank_line_runs() -> None:
    messy = DOC.replace("\n\n", "\n\n\n").replace("type. ", "type.   \n", 1)
    clean = DOC.replace("type. ", "type.\n", 1)

    assert [c.content_hash for c in chunks_of(messy)] == [c.content_hash for c in chunks_of(clean)]


def test_hash_changes_when_the_location_changes() -> None:
    day_two = chunks_of(DOC, Location(day=2, chapter_title="Lists"))
    day_three = chunks_of(DOC, Location(day=3, chapter_title="Lists"))

    assert [c.text for c in day_two] == [c.text for c in day_three]
    assert all(a.content_hash != b.content_hash for a, b in zip(day_two, day_three, strict=True))


def test_chunk_fields() -> None:
    chunks = chunks_of(DOC)

    second = chunks[1]
    assert second.source_path == "day-02/01-lists.md"
    assert [c.ordinal for c in chunks] == [0, 1, 2]
    assert second.location.section == "Slicing"
    assert second.location.chapter_id == "2.1"
    assert second.location.label() == "Day 2 › Lists › Slicing"
    assert second.token_estimate == -(-len(second.text) // 4)
    expected = hashlib.sha256(
        f"{second.location.label()}\n\n{normalise(second.text)}".encode()
    ).hexdigest()
    assert second.content_hash == expected


def test_section_title_drops_markdown_decoration() -> None:
    chunks = chunks_of(f"# Flow\n\n{PARAGRAPH}\n\n## The `range()` Function\n\n{PARAGRAPH}")

    assert chunks[1].location.section == "The range() Function"
    assert chunks[1].anchor == "flow/the-range-function"


def test_empty_text_gives_no_sections() -> None:
    assert split_markdown("  \n\n") == []


@pytest.mark.parametrize(("max_chars", "overlap"), [(100, 0), (1000, 600), (1000, -1)])
def test_rejects_unusable_sizes(max_chars: int, overlap: int) -> None:
    with pytest.raises(ValueError, match="chars"):
        split_markdown(DOC, max_chars=max_chars, overlap_chars=overlap)
