"""The copilot's modals stay within Block Kit's limits whatever the draft, sources or AI answer."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from bot.blocks.copilot_modals import (
    DRAFT_LIMIT,
    OFFLINE_MARK,
    build_correct_modal,
    build_draft_modal,
    build_drafting_modal,
)
from bot.blocks.ids import BlockId
from bot.blocks.payloads import DraftForm, EscalationRef
from bot.blocks.stats import draft_acceptance_text
from tests.bot.blocks.test_block_limits import PROPERTY, assert_valid_view, texts


@PROPERTY
@given(texts(), st.booleans(), st.lists(texts(300), max_size=30), st.integers(1, 10**9))
def test_a_draft_modal_is_always_valid(
    text: str, offline: bool, sources: list[str], ticket: int
) -> None:
    form = DraftForm(draft_id=ticket)
    assert_valid_view(build_drafting_modal(ticket, form))
    view = build_draft_modal(ticket, form, text, offline=offline, sources=sources)
    assert_valid_view(view)
    data = view.to_dict()
    assert data["notify_on_close"] is True
    assert DraftForm.unpack(data["private_metadata"]) == form
    [element] = [b["element"] for b in data["blocks"] if b.get("block_id") == BlockId.DRAFT_TEXT]
    assert len(element.get("initial_value", "")) <= DRAFT_LIMIT
    assert (OFFLINE_MARK in json.dumps(data)) is offline


@PROPERTY
@given(texts(), st.integers(1, 10**9))
def test_the_correct_modal_is_always_valid(answer: str, ticket: int) -> None:
    view = build_correct_modal(EscalationRef(escalation_id=ticket), ticket, answer or "x")
    assert_valid_view(view)


def test_draft_acceptance_counts_sent_drafts_edited_or_not() -> None:
    assert draft_acceptance_text(()) is None
    line = draft_acceptance_text((("discarded", 1), ("edited", 2), ("sent_unchanged", 1)))
    assert line == (
        "*Draft replies:* 4 (1 sent unchanged, 2 edited, 1 discarded): 75% sent, 25% as drafted"
    )
