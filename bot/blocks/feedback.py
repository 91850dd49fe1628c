"""The "Not helpful" modal: why the answer missed, plus an optional comment."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    RadioButtonsElement,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.blocks.ids import ActionId, BlockId, CallbackId
from bot.blocks.mrkdwn import SECTION_LIMIT, clip
from bot.blocks.payloads import ResponseRef

# Stored in feedback.reason (at most 50 chars); labels are what the learner reads.
FEEDBACK_REASONS: dict[str, str] = {
    "wrong": "It was wrong",
    "incomplete": "It didn't answer my question",
    "unclear": "It was hard to understand",
    "wrong_reference": "The references didn't match",
    "other": "Something else",
}
COMMENT_MAX = 1000


def build_feedback_modal(response_id: int) -> View:
    """The modal opened by "Not helpful"; ``private_metadata`` names the response."""
    return View(
        type="modal",
        callback_id=CallbackId.FEEDBACK.value,
        private_metadata=ResponseRef(response_id=response_id).pack(),
        title="Answer feedback",
        submit="Send",
        close="Cancel",
        blocks=[
            SectionBlock(text="Thanks for telling us. What was wrong with the answer?"),
            InputBlock(
                block_id=BlockId.FEEDBACK_REASON.value,
                label="Reason",
                element=RadioButtonsElement(
                    action_id=ActionId.FEEDBACK_REASON_INPUT.value,
                    options=[
                        Option(value=value, label=label)
                        for value, label in FEEDBACK_REASONS.items()
                    ],
                ),
            ),
            InputBlock(
                block_id=BlockId.FEEDBACK_COMMENT.value,
                label="Anything else? (optional)",
                optional=True,
                element=PlainTextInputElement(
                    action_id=ActionId.FEEDBACK_COMMENT_INPUT.value,
                    multiline=True,
                    max_length=COMMENT_MAX,
                ),
            ),
        ],
    )


def build_feedback_thanks_view(text: str) -> View:
    """What the modal turns into once the feedback is saved."""
    return View(
        type="modal",
        title="Answer feedback",
        close="Close",
        blocks=[SectionBlock(text=MarkdownTextObject(text=clip(text, SECTION_LIMIT)))],
    )
