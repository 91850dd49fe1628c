"""Escalation cards, notices and modals: pure builders checked against Block Kit limits."""

from __future__ import annotations

import json

from slack_sdk.models.blocks import Block

from bot.blocks.escalation_card import (
    CardFacts,
    CardStatus,
    CardTrigger,
    build_card_text,
    build_escalation_card,
    build_plain_card,
)
from bot.blocks.escalation_modals import (
    build_dismiss_modal,
    build_escalate_modal,
    build_reassign_modal,
    build_resolve_modal,
)
from bot.blocks.ids import ActionId, BlockId, CallbackId
from bot.blocks.learner_notices import (
    build_escalated_notice,
    build_resolved_notice,
    build_safety_notice,
)
from bot.blocks.modal_state import ModalState
from bot.blocks.payloads import EscalationRef, ResponseRef


def facts(**overrides: object) -> CardFacts:
    values: dict[str, object] = {
        "escalation_id": 7,
        "ticket": 1042,
        "status": CardStatus.PENDING,
        "learner_id": "U0LEARN01",
        "question": "Why does my loop never end?",
        "course_title": "Python Foundations",
        "ai_answer": "Check the condition.",
        "ai_confidence": 0.31,
        "triggers": [CardTrigger("Low confidence", "confidence 0.31 is below 0.40")],
        "reference_labels": ["Day 2 › Loops"],
        "suggested_trainer_id": "U0TRAIN01",
        "admin_ids": ["UADMIN"],
    }
    values.update(overrides)
    return CardFacts(**values)  # type: ignore[arg-type]


def rendered(blocks: list[Block]) -> str:
    # Block.parse(...).to_dict() validates Slack's limits recursively.
    return json.dumps([Block.parse(b.to_dict()).to_dict() for b in blocks], ensure_ascii=False)  # type: ignore[union-attr]


def action_ids(blocks: list[Block]) -> list[str]:
    return [
        e["action_id"] for b in blocks for e in b.to_dict().get("elements", []) if "action_id" in e
    ]


def test_pending_card_shows_everything_and_offers_claim_and_resolve() -> None:
    blocks = build_escalation_card(facts())
    text = rendered(blocks)
    for expected in (
        "ESC-1042",
        "<@U0LEARN01>",
        "Python Foundations",
        "Why does my loop",
        "Check the condition.",
        "0.31",
        "Low confidence",
        "Day 2 › Loops",
        "<@U0TRAIN01>",
    ):
        assert expected in text
    assert action_ids(blocks) == [
        ActionId.CLAIM,
        ActionId.RESOLVE,
        ActionId.DRAFT_REPLY,
        ActionId.CORRECT_AI,
        ActionId.REASSIGN,
        ActionId.DISMISS,
    ]
    value = blocks[-2].to_dict()["elements"][0]["value"]
    assert EscalationRef.unpack(value).escalation_id == 7
    assert build_card_text(facts()).startswith("ESC-1042 from <@U0LEARN01>")


def test_claimed_card_names_the_owner_and_drops_claim() -> None:
    blocks = build_escalation_card(facts(status=CardStatus.IN_PROGRESS, assignee_id="U0TRAIN02"))
    assert "*Owner:*\\n<@U0TRAIN02>" in rendered(blocks)
    assert ActionId.CLAIM not in action_ids(blocks)


def test_resolved_card_has_no_buttons_and_shows_the_outcome() -> None:
    card = facts(
        status=CardStatus.RESOLVED,
        assignee_id="U0TRAIN02",
        resolved_by="U0TRAIN02",
        resolution_notes="Fixed",
        minutes_to_resolve=42.4,
    )
    blocks = build_escalation_card(card)
    assert action_ids(blocks) == []
    assert "Resolved by <@U0TRAIN02> in 42 min" in rendered(blocks)


def test_card_without_a_trainer_mentions_the_admins() -> None:
    assert "no trainer allocated (cc <@UADMIN>)" in rendered(
        build_escalation_card(facts(suggested_trainer_id=None))
    )


def test_huge_question_and_answer_stay_within_limits() -> None:
    card = facts(question="q" * 20_000, ai_answer="a" * 20_000, learner_note="n" * 5_000)
    rendered(build_escalation_card(card))  # raises if any text is over Slack's limits
    assert len(build_card_text(card)) < 500


def test_the_escalated_notice_names_the_ticket() -> None:
    assert "ESC-1042" in build_escalated_notice(1042).text


def test_the_safety_notice_is_humane_and_gives_the_deployments_resources() -> None:
    resources = "Call 112 now, or see <https://findahelpline.com|findahelpline.com>."
    notice = build_safety_notice(1042, resources)
    shown = rendered(notice.blocks)
    for text in (notice.text, shown):
        assert "Call 112 now" in text
        assert "findahelpline.com" in text
        assert "ESC-1042" in text
        assert "not alone" in text
    # Nothing about the coach going quiet: that is for ordinary escalations.
    assert "quiet" not in notice.text


def test_a_long_resources_text_still_fits_in_a_message() -> None:
    rendered(build_safety_notice(1042, "help " * 2000).blocks)


def test_a_safety_card_is_urgent_and_mentions_every_admin() -> None:
    card = facts(urgent=True, admin_ids=["UADMIN", "UADMIN2"])
    text = build_card_text(card)
    shown = rendered(build_escalation_card(card))
    for where in (text, shown, build_plain_card(card)):
        assert "URGENT" in where
        assert "<@UADMIN>" in where
        assert "<@UADMIN2>" in where


def test_an_ordinary_card_is_not_urgent() -> None:
    card = facts(admin_ids=["UADMIN", "UADMIN2"])
    assert "URGENT" not in build_card_text(card)
    assert "URGENT" not in rendered(build_escalation_card(card))
    assert "<@UADMIN2>" not in build_card_text(card)


def test_resolved_notice_has_the_rating_buttons() -> None:
    notice = build_resolved_notice(1042, 7)
    assert action_ids(notice.blocks) == [ActionId.RATE_RESOLVED_YES, ActionId.RATE_RESOLVED_NO]
    assert "Was this resolved?" in notice.text


def test_modals_carry_their_reference_and_inputs() -> None:
    escalate = build_escalate_modal(ResponseRef(response_id=3)).to_dict()
    assert escalate["callback_id"] == CallbackId.ESCALATE
    assert ResponseRef.unpack(escalate["private_metadata"]).response_id == 3
    ref = EscalationRef(escalation_id=7)
    for builder, callback in (
        (build_resolve_modal, CallbackId.RESOLVE),
        (build_reassign_modal, CallbackId.REASSIGN),
        (build_dismiss_modal, CallbackId.DISMISS),
    ):
        view = builder(ref, 1042).to_dict()
        assert view["callback_id"] == callback
        assert "ESC-1042" in view["title"]["text"]


def test_reading_submitted_values() -> None:
    values = {
        BlockId.RESOLUTION_NOTES: {BlockId.RESOLUTION_NOTES: {"value": "  fixed  "}},
        BlockId.REASSIGN_TO: {BlockId.REASSIGN_TO: {"selected_user": "U0TRAIN02"}},
        BlockId.DISMISS_REASON: {BlockId.DISMISS_REASON: {"selected_option": {"value": "spam"}}},
        BlockId.ESCALATE_NOTE: {BlockId.ESCALATE_NOTE: {"value": "   "}},
    }
    state = ModalState.of({"state": {"values": values}})
    assert state.text(BlockId.RESOLUTION_NOTES) == "fixed"
    assert state.text(BlockId.ESCALATE_NOTE) is None
    assert state.user(BlockId.REASSIGN_TO) == "U0TRAIN02"
    assert state.option(BlockId.DISMISS_REASON) == "spam"
