"""The "Save as course FAQ" part of the Resolve modal, and reading what the trainer submitted.

The trainer ticks the box, edits the question (prefilled from the learner's) and the answer
(prefilled from their replies relayed in the thread, newest last). Slack cannot make an input
required only when a box is ticked, so both are optional in Block Kit and checked on submit: a
ticked box with an empty answer gets an inline error (``response_action: errors``).
"""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.models.blocks import (
    Block,
    CheckboxesElement,
    InputBlock,
    Option,
    PlainTextInputElement,
)

from bot.blocks.ids import BlockId
from bot.blocks.mrkdwn import clip

# The question is also the FAQ chunk's section (500 characters in the chunks table); the answer
# is one Slack plain_text_input, whose max_length is at most 3,000.
QUESTION_LIMIT = 500
ANSWER_LIMIT = 3000
SAVE = "save"
FAQ_HINT = (
    "Learners who later ask the same, in any words, get this answer from the coach, cited as "
    "“FAQ · answered by” you. Remove it any time with /coach faq remove."
)


@dataclass(frozen=True)
class FaqDraft:
    """What the FAQ inputs start with."""

    question: str
    answer: str


@dataclass(frozen=True)
class FaqSubmission:
    """A ticked "Save as course FAQ" with its question and answer."""

    question: str
    answer: str


def draft_answer(replies: list[str], limit: int = ANSWER_LIMIT) -> str:
    """The trainer's replies, newest last, as much of the newest as fits ``limit``."""
    kept: list[str] = []
    used = 0
    for reply in reversed([r.strip() for r in replies if r.strip()]):
        cost = len(reply) + (2 if kept else 0)
        if kept and used + cost > limit:
            break
        kept.append(reply)
        used += cost
    return clip("\n\n".join(reversed(kept)), limit)


def build_faq_inputs(draft: FaqDraft) -> list[Block]:
    """The checkbox and the two editable inputs."""
    question = clip(draft.question.strip(), QUESTION_LIMIT)
    answer = clip(draft.answer.strip(), ANSWER_LIMIT)
    return [
        InputBlock(
            block_id=BlockId.FAQ_SAVE,
            label="Course FAQ",
            optional=True,
            hint=FAQ_HINT,
            element=CheckboxesElement(
                action_id=BlockId.FAQ_SAVE,
                options=[Option(value=SAVE, label="Save as course FAQ")],
            ),
        ),
        InputBlock(
            block_id=BlockId.FAQ_QUESTION,
            label="FAQ question",
            optional=True,
            element=PlainTextInputElement(
                action_id=BlockId.FAQ_QUESTION,
                multiline=True,
                max_length=QUESTION_LIMIT,
                initial_value=question or None,
                placeholder="The question, as learners ask it",
            ),
        ),
        InputBlock(
            block_id=BlockId.FAQ_ANSWER,
            label="FAQ answer",
            optional=True,
            element=PlainTextInputElement(
                action_id=BlockId.FAQ_ANSWER,
                multiline=True,
                max_length=ANSWER_LIMIT,
                initial_value=answer or None,
                placeholder="The answer learners will get",
            ),
        ),
    ]


def read_faq_submission(
    checked: list[str], question: str | None, answer: str | None
) -> tuple[FaqSubmission | None, dict[str, str]]:
    """The FAQ to save (None when the box is not ticked) and the inline errors, by block id."""
    if SAVE not in checked:
        return None, {}
    errors: dict[str, str] = {}
    if not question:
        errors[BlockId.FAQ_QUESTION] = (
            "Write the question learners ask, or untick “Save as course FAQ”."
        )
    elif len(question) > QUESTION_LIMIT:
        errors[BlockId.FAQ_QUESTION] = f"Keep the question under {QUESTION_LIMIT} characters."
    if not answer:
        errors[BlockId.FAQ_ANSWER] = (
            "There is no answer yet: write the one learners should get, or untick "
            "“Save as course FAQ”."
        )
    elif len(answer) > ANSWER_LIMIT:
        errors[BlockId.FAQ_ANSWER] = f"Keep the answer under {ANSWER_LIMIT} characters."
    if errors or question is None or answer is None:
        return None, errors
    return FaqSubmission(question, answer), {}
