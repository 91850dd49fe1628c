"""The Resolve modal's "Save as course FAQ" part: prefilled, inside Slack's limits, and read back
with friendly inline errors."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.blocks.escalation_modals import build_resolve_modal
from bot.blocks.faq_form import (
    ANSWER_LIMIT,
    QUESTION_LIMIT,
    SAVE,
    FaqDraft,
    draft_answer,
    read_faq_submission,
)
from bot.blocks.ids import BlockId
from bot.blocks.payloads import EscalationRef, ResolveForm
from tests.bot.blocks.test_block_limits import PROPERTY, assert_valid_view, texts


def inputs(view: dict[str, object]) -> dict[str, dict[str, object]]:
    blocks = view["blocks"]
    assert isinstance(blocks, list)
    return {b["block_id"]: b["element"] for b in blocks if b["type"] == "input"}


def test_a_ticket_of_a_course_offers_the_faq_prefilled() -> None:
    ref = EscalationRef(escalation_id=7)
    view = build_resolve_modal(
        ref, 1042, FaqDraft("How do I cancel a task?", "Use wait_for.")
    ).to_dict()

    found = inputs(view)
    assert found[BlockId.FAQ_SAVE]["type"] == "checkboxes"
    assert found[BlockId.FAQ_QUESTION]["initial_value"] == "How do I cancel a task?"
    assert found[BlockId.FAQ_ANSWER]["initial_value"] == "Use wait_for."
    form = ResolveForm.of_submission(str(view["private_metadata"]))
    assert (form.escalation_id, form.faq) == (7, True)


def test_a_ticket_without_a_course_and_an_old_modal_offer_no_faq() -> None:
    ref = EscalationRef(escalation_id=7)
    view = build_resolve_modal(ref, 1042).to_dict()
    assert set(inputs(view)) == {BlockId.RESOLUTION_NOTES}
    assert ResolveForm.of_submission(str(view["private_metadata"])).faq is False
    # A modal opened before FAQs existed carried a plain EscalationRef.
    old = ResolveForm.of_submission(ref.pack())
    assert (old.escalation_id, old.faq) == (7, False)


def test_the_draft_answer_is_the_replies_newest_last_keeping_the_newest_that_fit() -> None:
    assert draft_answer(["first", "  ", "second"]) == "first\n\nsecond"
    assert draft_answer([]) == ""
    long = ["a" * 2000, "b" * 1500, "c" * 1000]
    assert draft_answer(long) == "b" * 1500 + "\n\n" + "c" * 1000
    assert len(draft_answer(["x" * 5000])) == ANSWER_LIMIT


def test_a_ticked_box_needs_a_question_and_an_answer() -> None:
    assert read_faq_submission([], None, None) == (None, {})
    faq, errors = read_faq_submission([SAVE], "How?", None)
    assert faq is None
    assert "no answer yet" in errors[BlockId.FAQ_ANSWER]
    faq, errors = read_faq_submission([SAVE], None, "Like this.")
    assert set(errors) == {BlockId.FAQ_QUESTION}
    faq, errors = read_faq_submission([SAVE], "q" * (QUESTION_LIMIT + 1), "a" * (ANSWER_LIMIT + 1))
    assert set(errors) == {BlockId.FAQ_QUESTION, BlockId.FAQ_ANSWER}
    faq, errors = read_faq_submission([SAVE], "How?", "Like this.")
    assert errors == {}
    assert faq is not None
    assert (faq.question, faq.answer) == ("How?", "Like this.")


@PROPERTY
@given(question=texts(), answer=texts(max_size=9000), ticket=st.integers(1, 10**9))
def test_the_resolve_modal_stays_inside_slacks_limits(
    question: str, answer: str, ticket: int
) -> None:
    view = build_resolve_modal(
        EscalationRef(escalation_id=ticket), ticket, FaqDraft(question, answer)
    )
    assert_valid_view(view)
    for element in inputs(view.to_dict()).values():
        if "initial_value" in element:
            assert len(str(element["initial_value"])) <= int(str(element["max_length"]))
