"""The Slack writes a learner waits for are the task kinds workers claim first."""

from __future__ import annotations

from bot.inbox import LEARNER_MESSAGE
from bot.jobs import build_registry
from bot.learner.stream_orphans import FINISH_STREAM
from bot.tasks.outbox import SLACK_CALL


def test_the_answers_slack_writes_are_the_urgent_kinds() -> None:
    urgent = build_registry().urgent()
    assert SLACK_CALL in urgent
    assert FINISH_STREAM in urgent
    assert LEARNER_MESSAGE not in urgent
