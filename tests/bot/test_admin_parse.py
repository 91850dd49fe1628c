"""The ``/coach`` parser: mentions, quotes, options and friendly errors."""

from __future__ import annotations

import pytest

from bot.admin.parse import parse_channel, parse_command, parse_days, parse_ticket
from bot.errors import UsageError


def test_mentions_words_and_options() -> None:
    args = parse_command(
        'persona set <@U123ABC|jane> py101 "Jane\'s AI Coach" share=full expertise="Async IO"'
    )
    assert args.verb == "persona"
    assert args.words == ("set", "py101", "Jane's AI Coach")
    assert args.users == ("U123ABC",)
    assert args.options == {"share": "full", "expertise": "Async IO"}


def test_smart_quotes_and_empty_text() -> None:
    assert parse_command("persona set <@U1AAAAAA> c \u201cA B\u201d").words[-1] == "A B"
    assert parse_command("   ").verb == "help"


def test_unlinked_mention_is_refused() -> None:
    with pytest.raises(UsageError, match="@-suggestions"):
        parse_command("enroll @bob py101")


@pytest.mark.parametrize(("raw", "ticket"), [("1001", 1001), ("ESC-1042", 1042), ("esc7", 7)])
def test_tickets(raw: str, ticket: int) -> None:
    assert parse_ticket(raw) == ticket


@pytest.mark.parametrize("raw", ["0", "367", "abc", "-3"])
def test_bad_periods(raw: str) -> None:
    with pytest.raises(UsageError):
        parse_days(raw)


def test_periods() -> None:
    assert parse_days(None) == 7
    assert parse_days("30d") == 30


@pytest.mark.parametrize(
    ("word", "channel"),
    [
        ("<#C0TRAIN12|trainers>", "C0TRAIN12"),
        ("<#C0TRAIN12|>", "C0TRAIN12"),
        ("<#G0PRIVATE>", "G0PRIVATE"),
        ("C0TRAIN12", "C0TRAIN12"),
    ],
)
def test_channel_links_and_ids(word: str, channel: str) -> None:
    assert parse_channel(parse_command(f"channel {word}").words[0]) == channel


@pytest.mark.parametrize("word", ["#trainers", "trainers", "<#trainers>", "<@U0ADMIN01>"])
def test_a_channel_that_is_not_a_link_is_refused(word: str) -> None:
    with pytest.raises(UsageError, match="#-suggestions"):
        parse_channel(word)
