"""The incremental JSON reader: whatever the cuts, it yields exactly what json.loads reads."""

from __future__ import annotations

import itertools
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.coach.json_reader import Member, ObjectReader, TextPiece, ValueStarted

STREAMED = frozenset({"answer"})


def _read(pieces: list[str]) -> tuple[ObjectReader, list[object]]:
    reader = ObjectReader(STREAMED)
    events: list[object] = []
    for piece in pieces:
        events.extend(reader.feed(piece))
    return reader, events


def _cut(text: str, cuts: list[int]) -> list[str]:
    points = sorted({min(max(c, 0), len(text)) for c in cuts})
    bounds = [0, *points, len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds)]


def _streamed_text(events: list[object]) -> str:
    return "".join(e.text for e in events if isinstance(e, TextPiece))


def test_judgement_before_the_answer_is_known_before_any_answer_text() -> None:
    reply = json.dumps(
        {
            "used_chunk_ids": [3, 1],
            "intent": "course_content",
            "grounded": True,
            "grounding_score": 0.8,
            "lab_id": None,
            "answer": 'Use `xs[1:3]`, "quoted" \\ and a café ☕ 🐍',
        }
    )
    _, events = _read(list(reply))

    started = next(i for i, e in enumerate(events) if isinstance(e, ValueStarted))
    members = [e for e in events[:started] if isinstance(e, Member)]
    assert {m.name: m.value for m in members} == {
        "used_chunk_ids": [3, 1],
        "intent": "course_content",
        "grounded": True,
        "grounding_score": 0.8,
        "lab_id": None,
    }
    assert _streamed_text(events) == 'Use `xs[1:3]`, "quoted" \\ and a café ☕ 🐍'
    assert events[-1] == Member("answer", 'Use `xs[1:3]`, "quoted" \\ and a café ☕ 🐍')


def test_text_comes_as_it_arrives_and_escapes_wait_until_whole() -> None:
    reader = ObjectReader(STREAMED)

    assert reader.feed('{"answer": "ab') == [ValueStarted("answer"), TextPiece("answer", "ab")]
    assert reader.feed("\\") == []
    assert reader.feed("u00") == []
    assert reader.feed("e9\\ud83d") == [TextPiece("answer", "é")]
    assert reader.feed("\\udc0d!") == [TextPiece("answer", "🐍!")]
    assert reader.feed('"}') == [Member("answer", "abé🐍!")]
    assert reader.done


def test_a_code_fence_before_the_object_is_skipped() -> None:
    reader, events = _read(['```json\n{"grounded": false, "answer": "x"}\n```'])

    assert reader.members == {"grounded": False, "answer": "x"}
    assert _streamed_text(events) == "x"


def test_lone_surrogates_become_replacement_characters() -> None:
    _, events = _read(['{"answer": "a\\ud800b\\udc00c"}'])

    assert _streamed_text(events) == "a\ufffdb\ufffdc"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(
    before=st.dictionaries(st.text(max_size=8).filter(lambda k: k != "answer"), json_values),
    answer=st.text(),
    after=st.dictionaries(st.text(max_size=8).filter(lambda k: k != "answer"), json_values),
    ensure_ascii=st.booleans(),
    indent=st.sampled_from([None, 0, 2]),
    cuts=st.lists(st.integers(min_value=0, max_value=2000), max_size=30),
)
def test_any_object_cut_anywhere_reads_as_json_loads_reads_it(
    before: dict[str, object],
    answer: str,
    after: dict[str, object],
    ensure_ascii: bool,
    indent: int | None,
    cuts: list[int],
) -> None:
    whole = {**before, "answer": answer, **{k: v for k, v in after.items() if k not in before}}
    reply = json.dumps(whole, ensure_ascii=ensure_ascii, indent=indent)

    reader, events = _read(_cut(reply, cuts))

    assert reader.done
    assert reader.members == json.loads(reply)
    assert _streamed_text(events) == answer
    started = events.index(ValueStarted("answer"))
    known_first = {e.name for e in events[:started] if isinstance(e, Member)}
    assert known_first == set(before)
