"""Escaping text one person wrote before it is shown to another."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.blocks.mrkdwn import clip, escape_mrkdwn

_LINK = re.compile(r"<(?:https?://|mailto:)[^<>]*>")


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("<!channel> hi", "&lt;!channel&gt; hi"),
        ("<!here|here> <!everyone>", "&lt;!here|here&gt; &lt;!everyone&gt;"),
        ("<!subteam^S1|@trainers>", "&lt;!subteam^S1|@trainers&gt;"),
        ("ask <@U0OTHER01>", "ask &lt;@U0OTHER01&gt;"),
        ("a & b -> c", "a &amp; b -&gt; c"),
        ("Slack sent &lt;b&gt; &amp; co", "Slack sent &lt;b&gt; &amp; co"),
        ("see <https://x.io/a?b=1&amp;c=2|docs>", "see <https://x.io/a?b=1&amp;c=2|docs>"),
        ("<mailto:a@b.c|mail me>", "<mailto:a@b.c|mail me>"),
        ("<https://x.io|<!channel>>", "&lt;https://x.io|&lt;!channel&gt;&gt;"),
        ("> quoted\n`<code>`", "&gt; quoted\n`&lt;code&gt;`"),
    ],
)
def test_escape_mrkdwn(raw: str, shown: str) -> None:
    assert escape_mrkdwn(raw) == shown


@settings(max_examples=60, deadline=None)
@given(st.text(st.characters(exclude_categories=("Cs",)) | st.sampled_from("<>&!@|")))
def test_escaped_text_can_only_hold_links_and_escaping_twice_changes_nothing(text: str) -> None:
    escaped = escape_mrkdwn(text)
    outside_links = _LINK.sub("", escaped)
    assert "<" not in outside_links
    assert ">" not in outside_links
    assert re.search(r"&(?!amp;|lt;|gt;)", outside_links) is None
    assert escape_mrkdwn(escaped) == escaped


def test_clip_never_leaves_half_an_entity() -> None:
    assert clip("ab &amp; cd", 6) == "ab…"
    assert clip("abcdef", 4) == "abc…"
