"""Which trainer replies stay internal: only a message that starts with a note marker."""

from __future__ import annotations

import pytest

from bot.escalation.relay import is_internal_note


@pytest.mark.parametrize(
    "text",
    [
        "note: tabs and spaces",
        "`note:` tabs and spaces",
        "*note:* tabs and spaces",
        "*Note*: tabs and spaces",
        "_note:_ tabs and spaces",
        "~note:~ tabs and spaces",
        "Note - tabs and spaces",
        "note – tabs and spaces",
        "note — tabs and spaces",
        "NOTE: tabs and spaces",
        "Note:tabs",
        " note: leading space",
        "\nnote: leading newline",
        "\t *_NOTE_* : mixed",
        "note:",
        "note -",
    ],
)
def test_note_markers_a_trainer_would_type_are_internal(text: str) -> None:
    assert is_internal_note(text)


@pytest.mark.parametrize(
    "text",
    [
        "Here is a note: try again",
        "a note: this one starts with an article, so it is for the learner",
        "Notes are on the course page",
        "Noted, I will look at it",
        "Note-taking helps: write it down",
        "notebook: open it",
        "Please read the note: it explains",
        "",
        "   ",
    ],
)
def test_other_replies_are_relayed(text: str) -> None:
    assert not is_internal_note(text)
