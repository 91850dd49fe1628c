"""The agent session's title and status arguments: short, within Slack's limits, never empty."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.blocks.agent_session import (
    MAX_TITLE,
    QUESTION_TITLE,
    SessionStatus,
    build_session_title,
    status_args,
)
from tests.fakes.slack_contract import method_reference


def test_a_lab_names_the_thread() -> None:
    title = build_session_title("how do I start?", lab_id="2.1", lab_title="FizzBuzz")
    assert title == "Lab 2.1 · FizzBuzz"
    assert build_session_title("how?", lab_id="3.2") == "Lab 3.2"


def test_a_chapter_names_the_thread_when_no_lab_does() -> None:
    assert build_session_title("how?", day=2, chapter_title="Lists") == "Day 2 · Lists"
    assert build_session_title("how?", chapter_title="Lists") == "Lists"


def test_otherwise_the_question_does_shortened_on_a_word_without_markup() -> None:
    question = "How   do I *slice* a `list` when <@U0LEARN01> said " + "something long " * 10
    title = build_session_title(question)
    assert title.startswith("How do I slice a list when @U0LEARN01 said something")
    assert title.endswith("…")
    assert len(title) <= QUESTION_TITLE
    assert not title[:-1].endswith(" ")
    assert build_session_title("   ") == "Question for the coach"


@given(
    question=st.text(max_size=500),
    lab_id=st.none() | st.text(max_size=300),
    lab_title=st.none() | st.text(max_size=300),
)
def test_every_title_fits_slacks_limit(
    question: str, lab_id: str | None, lab_title: str | None
) -> None:
    title = build_session_title(question, lab_id=lab_id, lab_title=lab_title)
    assert 1 <= len(title) <= MAX_TITLE
    assert title.strip() == title


def test_the_statuses_are_the_ones_slack_accepts() -> None:
    reference = method_reference("agents.sessions.setStatus")
    assert reference is not None
    allowed = reference["args"]["properties"]["status"]["enum"]
    assert sorted(status.value for status in SessionStatus) == sorted(allowed)
    args = status_args("D1", "1.2", SessionStatus.SUSPENDED)
    assert args == {"channel_id": "D1", "thread_ts": "1.2", "status": "suspended"}
