"""The card's summary and similar-tickets sections: escaped, within Block Kit's limits."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from slack_sdk.models.blocks import Block

from bot.blocks.card_insights import (
    CardSimilar,
    CardSummary,
    build_similar_blocks,
    build_summary_blocks,
)
from bot.blocks.escalation_card import CardFacts, CardStatus, build_escalation_card
from tests.bot.blocks.test_block_limits import MESSAGE_BLOCKS, SECTION, texts

PROPERTY = settings(max_examples=60, deadline=None)


def _texts_of(blocks: list[Block]) -> list[str]:
    found: list[str] = []
    for block in blocks:
        data = block.to_dict()
        if "text" in data:
            found.append(data["text"]["text"])
        for element in data.get("elements", []):
            found.append(element.get("text", ""))
    return found


def test_summary_shows_each_part_escaped() -> None:
    summary = CardSummary(
        wants="sort a list <!channel>",
        tried=["I tried sorted(x) & it failed", "got `TypeError: '<' not supported`"],
        answered="Use list.sort().",
        answered_from=["Day 2 › Lists"],
        still_open="it still fails for <@U999>",
        generated=False,
    )
    text = _texts_of(build_summary_blocks(summary))[0]
    assert "*Wants:* sort a list &lt;!channel&gt;" in text
    assert "• I tried sorted(x) &amp; it failed" in text
    assert "*AI answered:* Use list.sort()." in text
    assert "Day 2 › Lists" in text
    assert "*Still open:* it still fails for &lt;@U999&gt;" in text
    assert "<!channel>" not in text
    assert "<@U999>" not in text


def test_summary_without_tries_or_answer_says_so() -> None:
    summary = CardSummary(wants="x", tried=[], answered=None, answered_from=[], still_open=None)
    text = _texts_of(build_summary_blocks(summary))[0]
    assert "*Tried:* _nothing said_" in text
    assert "*AI answered:* _no answer_" in text
    assert "Still open" not in text


def test_similar_lists_tickets_with_links_and_cut_notes() -> None:
    similar = [
        CardSimilar(1001, 0.91, "Explained wait_for " * 100, "https://x.slack.com/archives/C1/p1"),
        CardSimilar(1002, 0.72, None, None),
    ]
    [text] = _texts_of(build_similar_blocks(similar))
    assert "<https://x.slack.com/archives/C1/p1|ESC-1001>" in text
    assert "ESC-1002" in text
    assert "_no notes_" in text
    assert "91%" in text
    assert len(text) < 1500


def test_similar_refuses_a_link_that_is_not_a_plain_https_url() -> None:
    [text] = _texts_of(build_similar_blocks([CardSimilar(7, 0.8, "n", "https://a|<!channel>")]))
    assert "<!channel>" not in text
    assert "<https://" not in text


def test_no_similar_tickets_no_blocks() -> None:
    assert build_similar_blocks([]) == []


@PROPERTY
@given(
    wants=texts(),
    tried=st.lists(texts(), max_size=8),
    answered=texts(),
    refs=st.lists(texts(400), max_size=8),
    still=texts(),
    notes=st.lists(texts(), max_size=5),
)
def test_hostile_text_stays_within_block_kit_limits(
    wants: str, tried: list[str], answered: str, refs: list[str], still: str, notes: list[str]
) -> None:
    summary = CardSummary(wants, tried, answered, refs, still, generated=True)
    similar = [CardSimilar(1000 + i, 0.5, n, None) for i, n in enumerate(notes)]
    card = CardFacts(
        escalation_id=1,
        ticket=1001,
        status=CardStatus.PENDING,
        learner_id="U1",
        question=wants,
        ai_answer=answered,
        summary=summary,
        similar=similar,
    )
    blocks = build_escalation_card(card)
    assert len(blocks) <= MESSAGE_BLOCKS
    for block in blocks:
        block.to_dict()  # slack_sdk validates what it knows
    for text in _texts_of(build_summary_blocks(summary) + build_similar_blocks(similar)):
        assert len(text) <= SECTION
        assert "<!channel>" not in text
        assert "<@U1>" not in text
