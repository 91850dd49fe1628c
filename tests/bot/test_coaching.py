"""Coaching modes: which mode a question gets, what the model is told, what offline quotes."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from openai import AsyncOpenAI

from bot.coach.coaching import course_mode, mode_for_question
from bot.coach.engine import AnswerEngine
from bot.coach.offline import OfflineAnswerer
from bot.coach.types import RetrievedChunk
from bot.content.coaching import CoachingMode
from bot.content.location import Location
from bot.content.vocabulary import Vocabulary
from bot.settings import Settings
from store.database import Database
from tests.bot.test_engine import StubRetriever, make_deps, reply
from tests.fakes.llm import FakeLLM

LAB_TEXT = """\
## Exercise 1: FizzBuzz

Write `fizzbuzz(n)` that returns 'Fizz' for multiples of three and 'Buzz' for multiples of five.

```python
def fizzbuzz(n):
    if n % 15 == 0:
        return 'FizzBuzz'
    return str(n)
```
"""


def lab(coaching: str | None = None, chunk_id: int = 21, lab_id: str = "2.1") -> RetrievedChunk:
    where = Location(
        day=2,
        lab_id=lab_id,
        lab_title="FizzBuzz",
        section="Exercise 1: FizzBuzz",
        coaching=coaching,
    )
    return RetrievedChunk(chunk_id, 1, LAB_TEXT, where, "day2/lab.md", 0.2)


CHAPTER = RetrievedChunk(
    31,
    1,
    "A `for` loop repeats code for every item. Use `%` to test divisibility of fizzbuzz numbers.",
    Location(day=2, chapter_title="Loops"),
    "day2/loops.md",
    0.2,
)
VOCABULARY = Vocabulary.of([LAB_TEXT, CHAPTER.text, "Lists hold items in order."])
HINT_RULE = "coaching mode: hint"
SOCRATIC_RULE = "coaching mode: socratic"
ANSWER_RULE = "coaching mode: answer"


@pytest.fixture
async def llm() -> AsyncIterator[FakeLLM]:
    async with FakeLLM() as server:
        yield server


def test_lab_front_matter_wins_over_course_and_course_over_default(settings: Settings) -> None:
    default = course_mode(None, settings)
    assert default is CoachingMode.ANSWER
    assert course_mode("hint", settings) is CoachingMode.HINT
    strict = settings.model_copy(update={"coaching_mode": "socratic"})
    assert course_mode(None, strict) is CoachingMode.SOCRATIC
    assert course_mode("hint", strict) is CoachingMode.HINT

    # The lab's own front matter wins over the course's mode...
    assert mode_for_question("fizzbuzz?", [lab("socratic")], CoachingMode.HINT).mode == "socratic"
    assert mode_for_question("fizzbuzz?", [lab("answer")], CoachingMode.HINT).mode == "answer"
    # ...a lab without one takes the course's...
    focus = mode_for_question("fizzbuzz?", [lab()], CoachingMode.HINT)
    assert (focus.mode, focus.lab_id) == (CoachingMode.HINT, "2.1")
    # ...and a chapter is always answered in full.
    assert mode_for_question("loops?", [CHAPTER, lab()], CoachingMode.HINT).mode == "answer"


def test_a_lab_the_learner_names_counts_even_below_the_top_passage() -> None:
    passages = [CHAPTER, lab("hint", lab_id="2.1"), lab(None, chunk_id=22, lab_id="3.1")]
    focus = mode_for_question("I'm stuck on Lab 2.1", passages, CoachingMode.ANSWER)
    assert (focus.lab_id, focus.mode) == ("2.1", CoachingMode.HINT)
    assert mode_for_question("lab 3.1 please", passages, CoachingMode.ANSWER).mode == "answer"


async def _system_prompt(
    database: Database,
    settings: Settings,
    llm: FakeLLM,
    chunks: list[RetrievedChunk],
    coaching: CoachingMode | None,
) -> str:
    llm.reply_with(
        reply(
            {
                "answer": "Think about the order of your tests.",
                "used_chunk_ids": [chunks[0].chunk_id],
                "intent": "lab_guidance",
                "grounded": True,
                "grounding_score": 0.9,
                "lab_id": None,
            }
        )
    )
    client = AsyncOpenAI(base_url=llm.base_url, api_key="test")
    engine = AnswerEngine(
        make_deps(database, settings, client),
        retriever=StubRetriever(chunks),
        vocabulary=VOCABULARY,
    )
    await engine.answer(1, "how do I write fizzbuzz for this exercise", [], coaching=coaching)
    await client.close()
    return llm.chat_calls[-1].system.lower()


async def test_prompt_carries_the_mode_rules_only_for_a_hint_or_socratic_lab(
    database: Database, settings: Settings, llm: FakeLLM
) -> None:
    hint = await _system_prompt(database, settings, llm, [lab("hint")], None)
    assert HINT_RULE in hint
    assert "lab 2.1" in hint
    assert "never write a full or near-complete solution" in hint
    assert SOCRATIC_RULE not in hint

    by_course = await _system_prompt(database, settings, llm, [lab()], CoachingMode.SOCRATIC)
    assert SOCRATIC_RULE in by_course
    assert "guiding questions" in by_course
    assert HINT_RULE not in by_course

    chapter = await _system_prompt(database, settings, llm, [CHAPTER, lab()], CoachingMode.HINT)
    answer = await _system_prompt(database, settings, llm, [lab()], None)
    for prompt in (chapter, answer):
        assert HINT_RULE not in prompt
        assert SOCRATIC_RULE not in prompt
        # Only a hint or socratic lab holds the solution back.
        assert "solution" not in prompt
    # A lab in answer mode may be explained in full, worked code included; a chapter needs no rule.
    assert ANSWER_RULE in answer
    assert "lab 2.1" in answer
    assert ANSWER_RULE not in chapter


async def test_offline_hint_mode_quotes_the_exercise_not_its_solution_code() -> None:
    question = "how do I write fizzbuzz for multiples of three"
    full = await OfflineAnswerer().answer(question, [], [lab()])
    assert "def fizzbuzz" in full.text  # answer mode: the example is quoted as before

    for mode in ("hint", "socratic"):
        hinted = await OfflineAnswerer().answer(question, [], [lab(mode)])
        assert "def fizzbuzz" not in hinted.text
        assert "return 'FizzBuzz'" not in hinted.text
        assert "Write `fizzbuzz(n)`" in hinted.text
        assert [ref.chunk_id for ref in hinted.references] == [21]

    by_course = await OfflineAnswerer().answer(
        question, [], [lab()], coaching=mode_for_question(question, [lab()], CoachingMode.HINT)
    )
    assert "def fizzbuzz" not in by_course.text


async def test_offline_hint_mode_skips_a_labs_solution_section() -> None:
    exercise = lab("hint")
    solution = RetrievedChunk(
        22,
        1,
        "Write fizzbuzz(n) by testing multiples of fifteen first, then three, then five.",
        Location(day=2, lab_id="2.1", lab_title="FizzBuzz", section="Solution", coaching="hint"),
        "day2/lab.md",
        0.1,
    )
    question = "how do I write fizzbuzz for multiples of three"

    hinted = await OfflineAnswerer().answer(question, [], [solution, exercise])

    assert [ref.chunk_id for ref in hinted.references] == [21]
    assert "fifteen first" not in hinted.text
