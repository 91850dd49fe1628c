"""Modals of the trainer's copilot: a drafted reply to edit and send, and correcting the AI.

The draft modal opens at once as "Drafting…" (a trigger_id lives 3 s, a model takes longer) and
is filled by ``views.update`` once the draft is written. Both draft modals ask Slack to say when
they are closed (``notify_on_close``): a closed draft is recorded as discarded.
"""

from __future__ import annotations

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.blocks.ids import BlockId, CallbackId
from bot.blocks.labels import ticket_label
from bot.blocks.mrkdwn import CONTEXT_ELEMENT_LIMIT, clip, escape_mrkdwn, titled_quote
from bot.blocks.payloads import DraftForm, EscalationRef

# One plain_text_input holds at most 3,000 characters.
DRAFT_LIMIT = 3000
CORRECTION_LIMIT = 3000
CORRECTION_NOTE_LIMIT = 1000
OFFLINE_MARK = "Offline draft: the closest course passage"
_AI_ANSWER_SECTIONS = 3


def _context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=clip(text, CONTEXT_ELEMENT_LIMIT))])


def build_drafting_modal(ticket: int, form: DraftForm) -> View:
    """The modal shown while the draft is written."""
    return View(
        type="modal",
        callback_id=CallbackId.DRAFT_REPLY,
        private_metadata=form.pack(),
        title=f"Draft for {ticket_label(ticket)}",
        close="Cancel",
        notify_on_close=True,
        blocks=[
            SectionBlock(
                text=MarkdownTextObject(
                    text=":hourglass_flowing_sand: Drafting a reply from the thread and the "
                    "course… it appears here in a moment."
                )
            )
        ],
    )


def build_draft_modal(
    ticket: int, form: DraftForm, text: str, *, offline: bool, sources: list[str]
) -> View:
    """The drafted reply, editable; Send relays it as the trainer's own reply."""
    mark = (
        f"*{OFFLINE_MARK}*: no model is configured, so this is the course's own text. "
        "Edit it into a reply."
        if offline
        else "*AI draft*: check it and edit it before you send it."
    )
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=mark))]
    if sources:
        named = "; ".join(escape_mrkdwn(s) for s in sources)
        blocks.append(_context(f"*From:* {named}"))
    blocks += [
        InputBlock(
            block_id=BlockId.DRAFT_TEXT,
            label="Reply to the learner",
            hint="Sent in the learner's thread under your name. Start with note: to keep it "
            "internal.",
            element=PlainTextInputElement(
                action_id=BlockId.DRAFT_TEXT,
                multiline=True,
                max_length=DRAFT_LIMIT,
                initial_value=clip(text.strip(), DRAFT_LIMIT) or None,
            ),
        ),
    ]
    return View(
        type="modal",
        callback_id=CallbackId.DRAFT_REPLY,
        private_metadata=form.pack(),
        title=f"Draft for {ticket_label(ticket)}",
        submit="Send",
        close="Discard",
        notify_on_close=True,
        blocks=blocks,
    )


def build_correct_modal(ref: EscalationRef, ticket: int, ai_answer: str) -> View:
    """The AI's answer, and inputs for the correct one and an optional note."""
    quoted = titled_quote(
        "*The AI answered*", escape_mrkdwn(ai_answer), max_pieces=_AI_ANSWER_SECTIONS
    )
    return View(
        type="modal",
        callback_id=CallbackId.CORRECT_AI,
        private_metadata=ref.pack(),
        title=f"Correct {ticket_label(ticket)}",
        submit="Save correction",
        close="Cancel",
        blocks=[
            *(SectionBlock(text=MarkdownTextObject(text=piece)) for piece in quoted),
            InputBlock(
                block_id=BlockId.CORRECTION_TEXT,
                label="The correct answer",
                hint="Shown on the card; it prefills the FAQ answer when you resolve the "
                "ticket with “Save as course FAQ”.",
                element=PlainTextInputElement(
                    action_id=BlockId.CORRECTION_TEXT,
                    multiline=True,
                    max_length=CORRECTION_LIMIT,
                    placeholder="What the learner should have been told",
                ),
            ),
            InputBlock(
                block_id=BlockId.CORRECTION_NOTE,
                label="Note (optional)",
                optional=True,
                element=PlainTextInputElement(
                    action_id=BlockId.CORRECTION_NOTE,
                    multiline=True,
                    max_length=CORRECTION_NOTE_LIMIT,
                    placeholder="What was wrong, for the course authors",
                ),
            ),
        ],
    )
