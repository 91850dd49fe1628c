"""Modals of the escalation flow: escalate with a note, resolve, reassign, dismiss."""

from __future__ import annotations

from enum import StrEnum

from slack_sdk.models.blocks import (
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    SectionBlock,
    StaticSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.blocks.faq_form import FaqDraft, build_faq_inputs
from bot.blocks.ids import BlockId, CallbackId
from bot.blocks.labels import ticket_label
from bot.blocks.payloads import EscalationRef, ResolveForm, ResponseRef

NOTE_LIMIT = 2000
NOTES_LIMIT = 3000


class DismissReason(StrEnum):
    """Why an admin dismisses an escalation."""

    SPAM = "spam"
    DUPLICATE = "duplicate"
    OTHER = "other"


DISMISS_LABELS = {
    DismissReason.SPAM: "Spam or abuse",
    DismissReason.DUPLICATE: "Duplicate of another ticket",
    DismissReason.OTHER: "Other (no follow-up needed)",
}


def build_escalate_modal(ref: ResponseRef) -> View:
    """Ask the learner for an optional note before sending the thread to a trainer."""
    return View(
        type="modal",
        callback_id=CallbackId.ESCALATE,
        private_metadata=ref.pack(),
        title="Ask a trainer",
        submit="Send to trainer",
        close="Cancel",
        blocks=[
            SectionBlock(
                text=MarkdownTextObject(
                    text="A trainer will see your question and my answer, and reply in the same "
                    "thread. Anything to add?"
                )
            ),
            InputBlock(
                block_id=BlockId.ESCALATE_NOTE,
                label="Note for the trainer (optional)",
                optional=True,
                element=PlainTextInputElement(
                    action_id=BlockId.ESCALATE_NOTE,
                    multiline=True,
                    max_length=NOTE_LIMIT,
                    placeholder="What have you tried? What is still unclear?",
                ),
            ),
        ],
    )


def build_resolve_modal(ref: EscalationRef, ticket: int, faq: FaqDraft | None = None) -> View:
    """Resolution notes for a ticket; with ``faq`` (a ticket of a course), the "Save as course
    FAQ" box and its prefilled question and answer."""
    form = ResolveForm(escalation_id=ref.escalation_id, faq=faq is not None)
    return View(
        type="modal",
        callback_id=CallbackId.RESOLVE,
        private_metadata=form.pack(),
        title=f"Resolve {ticket_label(ticket)}",
        submit="Resolve",
        close="Cancel",
        blocks=[
            InputBlock(
                block_id=BlockId.RESOLUTION_NOTES,
                label="Resolution notes",
                element=PlainTextInputElement(
                    action_id=BlockId.RESOLUTION_NOTES,
                    multiline=True,
                    max_length=NOTES_LIMIT,
                    placeholder="What was the problem and how was it solved?",
                ),
            ),
            *(build_faq_inputs(faq) if faq is not None else []),
        ],
    )


def build_reassign_modal(ref: EscalationRef, ticket: int) -> View:
    """Pick the trainer who should own a ticket."""
    return View(
        type="modal",
        callback_id=CallbackId.REASSIGN,
        private_metadata=ref.pack(),
        title=f"Reassign {ticket_label(ticket)}",
        submit="Reassign",
        close="Cancel",
        blocks=[
            InputBlock(
                block_id=BlockId.REASSIGN_TO,
                label="New owner",
                element=UserSelectElement(
                    action_id=BlockId.REASSIGN_TO, placeholder="Choose a trainer"
                ),
            )
        ],
    )


def build_dismiss_modal(ref: EscalationRef, ticket: int) -> View:
    """Close a ticket that needs no trainer (spam, duplicate...)."""
    options = [Option(value=reason.value, label=DISMISS_LABELS[reason]) for reason in DismissReason]
    return View(
        type="modal",
        callback_id=CallbackId.DISMISS,
        private_metadata=ref.pack(),
        title=f"Dismiss {ticket_label(ticket)}",
        submit="Dismiss",
        close="Cancel",
        blocks=[
            InputBlock(
                block_id=BlockId.DISMISS_REASON,
                label="Reason",
                element=StaticSelectElement(
                    action_id=BlockId.DISMISS_REASON, options=options, placeholder="Choose"
                ),
            )
        ],
    )
