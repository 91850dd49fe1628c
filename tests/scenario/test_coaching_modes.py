"""A question about a hint-mode lab: the model is told to hint, and the hint is what is posted."""

from __future__ import annotations

from pathlib import Path

from bot.content.indexer import CourseIndexer
from tests.fakes.llm import ChatRequest
from tests.harness import BotHarness
from tests.scenario.test_answers import answers_in, cite_first_passage

LEARNER = "U0LEARN01"
LAB = """\
---
coaching: hint
---
# Lab 2.1 — FizzBuzz

## Exercise 1: FizzBuzz

Write `fizzbuzz(n)` that returns 'Fizz' for multiples of three, 'Buzz' for multiples of five
and 'FizzBuzz' for multiples of both; print the values for 1 to 20.

```python
def fizzbuzz(n):
    if n % 15 == 0:
        return 'FizzBuzz'
    return str(n)
```
"""
CHAPTER = """\
# Control flow

An `if` statement runs its block only when its condition is true; `elif` and `else` add
alternatives that are tested in order. The remainder operator `%` tells whether a number divides
another one.
"""


async def test_question_about_a_hint_mode_lab_gets_hint_instructions(
    bot: BotHarness, tmp_path: Path
) -> None:
    course = tmp_path / "course"
    (course / "day-2-control-flow").mkdir(parents=True)
    (course / "day-2-control-flow" / "01-control-flow.md").write_text(CHAPTER, encoding="utf-8")
    (course / "day-2-control-flow" / "lab-1-fizzbuzz.md").write_text(LAB, encoding="utf-8")
    await CourseIndexer(bot.deps.sessions, bot.deps.embedder).ingest(course, "python")
    hint = "Think about which test must come first; Exercise 1 of the lab has the details."

    def hinting(request: ChatRequest) -> str:
        return cite_first_passage(request, answer=hint, intent="lab_guidance", lab_id="2.1")

    bot.llm.reply_with(hinting)
    channel = bot.slack.dm_channel_id(LEARNER)

    question = "How do I write fizzbuzz(n) so it returns Fizz for multiples of three in Lab 2.1?"
    await bot.dm(LEARNER, question)
    [post] = await bot.slack.wait_for(
        "chat.postMessage", lambda c: c.args.get("channel") == channel
    )
    await bot.drain()

    [call] = bot.llm.chat_calls
    assert "Coaching mode: hint" in call.system
    assert "Lab 2.1" in call.system
    assert answers_in(bot, channel) == [post]
    assert "Think about which test must come first" in post.args["text"]

    bot.llm.reply_with(cite_first_passage)
    await bot.dm(LEARNER, "What does an elif statement do in control flow?")
    await bot.llm.wait_for_chat(count=2)
    await bot.drain()
    assert "Coaching mode: hint" not in bot.llm.chat_calls[-1].system
    assert bot.slack.errors == []
