"""The escalation state machine: one table, clear refusals."""

from __future__ import annotations

import pytest

from bot.blocks.labels import ticket_label
from bot.errors import InvalidTransition
from bot.escalation.state import Action, Status, next_status, sources_of


def test_happy_path_through_reopen() -> None:
    status = next_status(1042, "pending", Action.CLAIM)
    assert status is Status.IN_PROGRESS
    status = next_status(1042, status, Action.RESOLVE)
    assert status is Status.RESOLVED
    status = next_status(1042, status, Action.REOPEN)
    assert status is Status.REOPENED
    assert next_status(1042, status, Action.RESOLVE) is Status.RESOLVED


@pytest.mark.parametrize(
    ("status", "action", "words"),
    [
        ("resolved", Action.CLAIM, "ESC-1042 is already resolved; it can't be claimed."),
        ("in_progress", Action.CLAIM, "ESC-1042 is already being handled; it can't be claimed."),
        ("dismissed", Action.REOPEN, "ESC-1042 was dismissed; it can't be reopened."),
        ("resolved", Action.RESOLVE, "ESC-1042 is already resolved; it can't be resolved."),
        ("pending", Action.REOPEN, "ESC-1042 is waiting for a trainer; it can't be reopened."),
        ("dismissed", Action.DISMISS, "ESC-1042 was dismissed; it can't be dismissed."),
    ],
)
def test_invalid_transitions_are_refused_with_a_clear_message(
    status: str, action: Action, words: str
) -> None:
    with pytest.raises(InvalidTransition) as caught:
        next_status(1042, status, action)
    assert caught.value.user_message == words


def test_terminal_states_accept_nothing_but_reopen() -> None:
    for action in Action:
        if action is Action.REOPEN:
            continue
        with pytest.raises(InvalidTransition):
            next_status(1, Status.RESOLVED, action)
    for action in Action:
        with pytest.raises(InvalidTransition):
            next_status(1, Status.DISMISSED, action)


def test_sources_match_the_table() -> None:
    assert sources_of(Action.CLAIM) == ["pending", "reopened"]
    assert sources_of(Action.REOPEN) == ["resolved"]
    assert ticket_label(1001) == "ESC-1001"
