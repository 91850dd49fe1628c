"""The offline extract: one passage, its best paragraphs first, code intact, safe Slack mrkdwn."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.blocks.answer import build_answer_blocks
from bot.blocks.mrkdwn import SECTION_LIMIT
from bot.coach.extract import build_extract
from bot.coach.types import RetrievedChunk
from bot.content.location import Location
from tests.bot.course_passages import (
    DEFAULTS,
    DICTIONARY,
    FIZZBUZZ_HINT,
    READ_LINES,
    RETRIEVED,
    SLICING,
    passage,
    retrieved_for,
)

_WORD = re.compile(r"[a-z0-9]+")
# The only angle brackets an extract may contain: links, which ping nobody.
_SLACK_LINK = re.compile(r"<(?:https?://|mailto:)[^<>]*>")


def shown(text: str) -> str:
    """What Slack displays for mrkdwn text: its three entities decoded."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def chunk(
    text: str, distance: float = 0.4, chunk_id: int = 1, section: str = "S"
) -> RetrievedChunk:
    where = Location(day=1, chapter_title="C", section=section)
    return RetrievedChunk(chunk_id, 1, text, where, "a.md", distance)


def quoted(question: str, chunks: list[RetrievedChunk]) -> int | None:
    """The id of the chunk the extract quotes, None without an extract."""
    extract = build_extract(question, chunks)
    return extract.chunk.chunk_id if extract is not None else None


def fences(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.startswith("```")]


def body_lines(text: str) -> list[str]:
    """The extract's lines after its heading."""
    return text.split("\n")[1:]


def test_slicing_leads_with_slicing_not_append() -> None:
    retrieved = retrieved_for(SLICING)
    assert "append()" in retrieved[0].text  # the closest chunk is about changing lists
    extract = build_extract(SLICING, retrieved)
    assert extract is not None
    assert extract.chunk == retrieved[1]
    first = body_lines(extract.text)[0]
    assert "slic" in first.lower()
    assert "append" not in extract.text
    # Hard-wrapped Markdown prose reads as one paragraph.
    assert (
        "All slice operations return a new list containing the requested elements. This means "
        "that the following slice returns a shallow copy of the list:"
    ) in extract.text


def test_reading_a_file_line_by_line_keeps_the_fenced_example_intact() -> None:
    extract = build_extract(READ_LINES, retrieved_for(READ_LINES))
    assert extract is not None
    example = (
        "```\n>>> for line in f:\n...     print(line, end='')\n...\n"
        "This is the first line of the file.\nSecond line of the file\n```"
    )
    assert example in shown(extract.text)
    assert "For reading lines from a file, you can loop over the file object." in extract.text
    assert "```pycon" not in extract.text  # Slack would show the language word as code


def test_the_extract_starts_with_its_section_heading() -> None:
    extract = build_extract(READ_LINES, retrieved_for(READ_LINES))
    assert extract is not None
    assert extract.heading == "Reading and Writing Files › Methods of File Objects"
    assert extract.text.startswith("*Reading and Writing Files › Methods of File Objects*\n")


def test_fizzbuzz_hint_quotes_the_hint_of_the_exercise() -> None:
    extract = build_extract(FIZZBUZZ_HINT, retrieved_for(FIZZBUZZ_HINT))
    assert extract is not None
    assert extract.heading == "Lab 2.1 — FizzBuzz and friends › Exercise 1: FizzBuzz"
    assert body_lines(extract.text)[0].startswith("*Hint:* The order of the `if`/`elif` tests")
    assert "**" not in extract.text


def test_dictionary_question_quotes_the_dictionaries_section() -> None:
    extract = build_extract(DICTIONARY, retrieved_for(DICTIONARY))
    assert extract is not None
    assert extract.chunk.location.section == "Dictionaries"
    assert "dictionary" in body_lines(extract.text)[0]


def test_default_arguments_come_with_a_code_example() -> None:
    extract = build_extract(DEFAULTS, retrieved_for(DEFAULTS))
    assert extract is not None
    assert extract.chunk.location.section == "Default Argument Values"
    assert "default" in body_lines(extract.text)[0].lower()
    assert len(fences(extract.text)) >= 2


@pytest.mark.parametrize("question", list(RETRIEVED))
def test_an_extract_quotes_one_retrieved_chunk_and_nothing_else(question: str) -> None:
    retrieved = retrieved_for(question)
    extract = build_extract(question, retrieved)
    assert extract is not None
    assert extract.chunk in retrieved
    assert words(shown(extract.text)) <= words(extract.chunk.text)
    assert len(extract.text) <= 2500
    assert len(fences(extract.text)) % 2 == 0


def test_markdown_becomes_slack_mrkdwn_outside_code_only() -> None:
    text = (
        "# Title\n## Sub\n\nSome **bold** and *italic* words, a [link](https://x.io/a), a\n"
        "[local page](other.md) and `a < b` inline.\n\n- first item\n  continued\n- second\n\n"
        "```python\n# a comment\nx = 2 ** 10 ** 2  # **not bold**\n```\n"
    )
    extract = build_extract("bold italic link words items", [chunk(text)])
    assert extract is not None
    assert extract.text == (
        "*Title › Sub*\n"
        "Some *bold* and _italic_ words, a <https://x.io/a|link>, a local page and "
        "`a &lt; b` inline.\n\n"
        "• first item continued\n• second\n"
        "```\n# a comment\nx = 2 ** 10 ** 2  # **not bold**\n```"
    )


def test_code_in_the_answer_message_is_left_as_it_is() -> None:
    for_loops = passage("more-control-flow-tools/for-statements")
    extract = build_extract("How do I loop over a copy of a collection?", [for_loops])
    assert extract is not None
    blocks = [block.to_dict() for block in build_answer_blocks(extract.text, [], 0.8, 1)]
    sections = [b for b in blocks if b["type"] == "section"]
    assert len(sections) == 1
    assert "\n# Create a sample collection\n" in sections[0]["text"]["text"]  # type: ignore[index]


def test_a_long_code_block_is_cut_at_a_line_and_closed() -> None:
    code = "\n".join(f"value_{i} = {i} * 2" for i in range(60))
    text = f"# T\n\nValues doubled:\n\n```\n{code}\n```"
    extract = build_extract("how are values doubled", [chunk(text)])
    assert extract is not None
    lines = extract.text.split("\n")
    start = lines.index("```")
    end = lines.index("```", start + 1)
    shown_code = lines[start + 1 : end]
    assert 3 < len(shown_code) < 30
    assert shown_code[-1] == "…"
    assert all(line in code.split("\n") for line in shown_code[:-1])
    assert shown_code[:-1] == code.split("\n")[: len(shown_code) - 1]


def test_an_unclosed_fence_is_closed() -> None:
    text = "# Loops\n\nLoop over a list like this:\n\n```python\nfor item in items:\n    go(item)"
    extract = build_extract("how do I loop over a list", [chunk(text)])
    assert extract is not None
    assert extract.text.endswith("```\nfor item in items:\n    go(item)\n```")


def test_hostile_text_is_escaped_and_bounded() -> None:
    text = (
        "# Ping <!channel> & <@U123>\n\nA lambda is small <!here> & <@U123> `<!everyone>`.\n\n"
        f"```\n<!channel> <@U999> & ``` lambda\n{'x = 1; ' * 1500}\n```\n\n"
        f"{'word ' * 2500}\n\n" + "Another paragraph. " * 500
    )
    retrieved = [chunk(text, section="<!channel>")]
    assert len(text) > 10_000
    extract = build_extract("what is a lambda", retrieved)
    assert extract is not None
    assert _SLACK_LINK.sub("", extract.text).count("<") == 0
    assert "Ping &lt;!channel&gt; &amp; &lt;@U123&gt;" in extract.text
    assert "small &lt;!here&gt; &amp; &lt;@U123&gt; `&lt;!everyone&gt;`" in extract.text
    assert "&lt;!channel&gt; &lt;@U999&gt; &amp;" in extract.text  # escaped inside code too
    assert len(fences(extract.text)) == 2
    assert max(len(line) for line in extract.text.split("\n")) < 300
    # A paragraph far longer than a message is cut to a bounded extract.
    wordy = build_extract("which word", retrieved)
    assert wordy is not None
    assert "word word" in wordy.text
    assert len(wordy.text) <= 1200


def test_the_closer_of_two_equal_passages_is_chosen() -> None:
    text = "# Loops\n\nA `for` loop repeats a block for each item of a list."
    near, far = chunk(text, 0.3, chunk_id=1), chunk(text, 0.5, chunk_id=2)
    extract = build_extract("how does a for loop work", [far, near])
    assert extract is not None
    assert extract.chunk.chunk_id == 1


def test_the_passage_whose_best_sentence_is_closest_is_chosen_over_the_nearer_one() -> None:
    # The same words, so only closeness decides: by sentence when the engine measured it.
    text = "# Loops\n\nA `for` loop repeats a block for each item of a list."
    near = replace(chunk(text, 0.30, chunk_id=1), sentence_similarity=0.52)
    apt = replace(chunk(text, 0.36, chunk_id=2), sentence_similarity=0.81)
    extract = build_extract("how does a for loop work", [near, apt])
    assert extract is not None
    assert extract.chunk.chunk_id == 2


def test_a_reranked_first_passage_is_quoted_over_one_with_more_of_the_words() -> None:
    question = "how do i drop the negative numbers from a list with a comprehension"
    deleting = chunk("# The del statement\n\nThe `del` statement removes an item from a list.")
    comprehension = chunk(
        "# Comprehensions\n\nA list comprehension builds a new list: keep the numbers that are "
        "not negative with `[x for x in numbers if x >= 0]`.",
        chunk_id=2,
    )
    first, second = replace(comprehension, reranked=True), replace(deleting, reranked=True)
    assert quoted(question, [first, second]) == 2
    assert quoted(question, [second, first]) == 1
    # Unranked, the same passages are weighed again by their words and closeness.
    assert quoted(question, [replace(deleting, chunk_id=3), comprehension]) == 2


def test_a_reranked_first_passage_without_a_word_of_the_question_is_passed_over() -> None:
    question = "how do i slice a list"
    unrelated = replace(chunk("# Classes\n\nA class bundles data and behaviour."), reranked=True)
    slicing = replace(
        chunk("# Slicing\n\nA slice `xs[1:3]` copies part of a list.", chunk_id=2), reranked=True
    )
    assert quoted(question, [unrelated, slicing]) == 2


def test_an_unrelated_question_has_no_extract() -> None:
    assert build_extract("What's the weather in Paris tomorrow?", retrieved_for(SLICING)) is None
    assert build_extract("the a of", retrieved_for(SLICING)) is None
    assert build_extract(SLICING, []) is None


_PIECES = [*"ab list`*_#[]()<>&!@|:.\n -~\\", "```", "\n\n", "**", "<!channel>", "](https://x)"]
_MARKDOWN = st.lists(st.sampled_from(_PIECES), max_size=1500).map("".join)


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(_MARKDOWN, min_size=1, max_size=3))
def test_any_text_gives_a_bounded_safe_extract(texts: list[str]) -> None:
    retrieved = [chunk(t, 0.3 + i / 10, chunk_id=i) for i, t in enumerate(texts)]
    extract = build_extract("list ab", retrieved)
    if extract is None:
        return
    assert extract.chunk in retrieved
    assert len(extract.text) <= SECTION_LIMIT
    assert re.search(r"[<>]", _SLACK_LINK.sub("", extract.text)) is None
    assert len(fences(extract.text)) % 2 == 0
