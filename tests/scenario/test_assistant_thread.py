"""Opening the assistant thread: suggested prompts from the learner's own course, set once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.content.indexer import CourseIndexer
from bot.people.enrolment import enrol_learners
from tests.harness import BotHarness
from tests.scenario.test_commands import add_course

LEARNER = "U0LEARN01"
STRANGER = "U0NOBODY1"
CHAPTER = "# Control flow\n\nAn `if` statement runs its block only when its condition is true.\n"
LAB = "# Lab 2.1 — FizzBuzz\n\n## Exercise 1\n\nWrite `fizzbuzz(n)` for the numbers 1 to 20.\n"
DAY3 = "# Functions\n\nA function is defined with `def` and returns a value with `return`.\n"
LAB3 = "# Lab 3.1 — Greeter\n\n## Exercise 1\n\nWrite `greet(name)` that returns a greeting.\n"


def thread_started(bot: BotHarness, user: str) -> dict[str, Any]:
    """The ``assistant_thread_started`` event, shaped like Slack's own payload."""
    return {
        "type": "assistant_thread_started",
        "assistant_thread": {
            "user_id": user,
            "context": {"channel_id": "C0GENERAL", "team_id": "T0TEAM0001"},
            "channel_id": bot.slack.dm_channel_id(user),
            "thread_ts": bot.next_ts(),
        },
        "event_ts": bot.next_ts(),
    }


async def _course(bot: BotHarness, tmp_path: Path) -> None:
    course = tmp_path / "course"
    for folder, files in {
        "day-2-control-flow": {"01-control-flow.md": CHAPTER, "lab-1-fizzbuzz.md": LAB},
        "day-3-functions": {"01-functions.md": DAY3, "lab-1-greeter.md": LAB3},
    }.items():
        (course / folder).mkdir(parents=True)
        for name, text in files.items():
            (course / folder / name).write_text(text, encoding="utf-8")
    await CourseIndexer(bot.deps.sessions, bot.deps.embedder).ingest(
        course, "python", title="Python Foundations"
    )
    await add_course(bot, "js101", "JavaScript 101")  # two courses: nobody is enrolled by default
    async with bot.deps.sessions.begin() as session:
        await enrol_learners(session, [LEARNER], "python", by="UADMIN")


async def test_enrolled_learner_gets_prompts_naming_their_labs_once(
    bot: BotHarness, tmp_path: Path
) -> None:
    await _course(bot, tmp_path)
    event = thread_started(bot, LEARNER)

    status, _ = await bot.send_event(event, event_id="Ev0ASSIST1")
    assert status == 200
    await bot.drain()
    status, _ = await bot.send_event(event, event_id="Ev0ASSIST1", retry_num=1)
    assert status == 200
    await bot.drain()

    (call,) = bot.slack.calls_to("assistant.threads.setSuggestedPrompts")
    thread = event["assistant_thread"]
    assert call.args["channel_id"] == thread["channel_id"]
    assert call.args["thread_ts"] == thread["thread_ts"]
    prompts = call.args["prompts"]
    assert 1 <= len(prompts) <= 4
    messages = " ".join(p["message"] for p in prompts)
    assert prompts[0]["message"] == "Where do I start with Lab 2.1 — FizzBuzz?"
    assert "Lab 3.1" in messages
    assert "Day 2" in messages
    assert bot.slack.errors == []


async def test_unenrolled_learner_gets_generic_prompts(bot: BotHarness, tmp_path: Path) -> None:
    await _course(bot, tmp_path)

    status, _ = await bot.send_event(thread_started(bot, STRANGER))
    assert status == 200
    await bot.drain()

    (call,) = bot.slack.calls_to("assistant.threads.setSuggestedPrompts")
    messages = " ".join(p["message"] for p in call.args["prompts"])
    assert "enrolled" in messages
    assert "Lab" not in messages
    assert bot.slack.errors == []
