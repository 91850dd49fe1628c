"""The trainer card for an escalation: who, what, why, and the buttons to act on it.

The card is drawn from ``CardFacts``, a view model that ``bot.escalation.publish`` builds from the
stored escalation; nothing here knows the database row or the escalation domain types. Its text
fields are written by learners, the model, trainers and course authors, so every one of them is
escaped (``escape_mrkdwn``) and only the card's own mentions ping.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.blocks.card_insights import (
    CardSimilar,
    CardSummary,
    build_similar_blocks,
    build_summary_blocks,
)
from bot.blocks.ids import ActionId
from bot.blocks.labels import ticket_label
from bot.blocks.mrkdwn import (
    CONTEXT_ELEMENT_LIMIT,
    FIELD_LIMIT,
    HEADER_LIMIT,
    clip,
    escape_mrkdwn,
    titled_quote,
)
from bot.blocks.payloads import EscalationRef

FALLBACK_LIMIT = 300
PLAIN_QUESTION_LIMIT = 3000
COURSE_LIMIT = 200
# Sections each long text may take; with the fixed blocks a card stays far under 50 blocks.
QUESTION_SECTIONS = 4
ANSWER_SECTIONS = 4
NOTE_SECTIONS = 2


class CardStatus(StrEnum):
    """The escalation's status as the card shows it (the values of the stored status)."""

    PENDING = "pending"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    DISMISSED = "dismissed"
    REOPENED = "reopened"


_STATUS_LABEL = {
    CardStatus.PENDING: "🟡 Waiting for a trainer",
    CardStatus.IN_PROGRESS: "🔵 In progress",
    CardStatus.RESOLVED: "✅ Resolved",
    CardStatus.DISMISSED: "⚪ Dismissed",
    CardStatus.REOPENED: "🟠 Reopened",
}


@dataclass(frozen=True)
class CardTrigger:
    """One line of the card's "Why": the trigger's short name and what fired it."""

    label: str
    detail: str


@dataclass(frozen=True)
class CardFacts:
    """Everything a card shows: the escalation, its course and the admins to cc."""

    escalation_id: int
    ticket: int
    status: CardStatus
    learner_id: str
    question: str
    course_title: str | None = None
    ai_answer: str | None = None
    ai_confidence: float | None = None
    triggers: list[CardTrigger] = field(default_factory=list)
    reference_labels: list[str] = field(default_factory=list)
    learner_note: str | None = None
    suggested_trainer_id: str | None = None
    assignee_id: str | None = None
    admin_ids: list[str] = field(default_factory=list)
    resolved_by: str | None = None
    resolution_notes: str | None = None
    minutes_to_resolve: float | None = None
    dismissed_reason: str | None = None
    # A safety or wellbeing concern: the card says so first and mentions every admin.
    urgent: bool = False
    # The thread's summary and similar resolved tickets, once computed (``card_insights``).
    summary: CardSummary | None = None
    similar: list[CardSimilar] = field(default_factory=list)
    # A trainer's correction of the AI answer ("Correct the AI"), the newest one.
    ai_correction: str | None = None
    corrected_by: str | None = None


def _quoted(title: str, text: str, max_sections: int) -> list[Block]:
    """A titled block quote over as many sections as it needs, up to ``max_sections``."""
    return [
        SectionBlock(text=MarkdownTextObject(text=piece))
        for piece in titled_quote(title, text, max_pieces=max_sections)
    ]


def _context(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=clip(text, CONTEXT_ELEMENT_LIMIT))])


def _field(text: str) -> MarkdownTextObject:
    return MarkdownTextObject(text=clip(text, FIELD_LIMIT))


def _trainer_line(card: CardFacts) -> str:
    if card.assignee_id:
        return f"*Owner:*\n<@{card.assignee_id}>"
    if card.suggested_trainer_id:
        return f"*Suggested trainer:*\n<@{card.suggested_trainer_id}>"
    admins = " ".join(f"<@{admin}>" for admin in card.admin_ids) or "an admin"
    return f"*Suggested trainer:*\nno trainer allocated (cc {admins})"


def _urgent_prefix(card: CardFacts) -> str:
    """ ":rotating_light: URGENT <@admin> …" for a safety concern; mentions in the message text
    are what notify, so the admins are pinged even before anyone opens the card."""
    if not card.urgent:
        return ""
    admins = "".join(f" <@{admin}>" for admin in card.admin_ids)
    return f":rotating_light: URGENT, safety or wellbeing concern{admins}: "


def build_card_text(card: CardFacts) -> str:
    """The notification and screen-reader text of the card."""
    status = _STATUS_LABEL[card.status]
    question = clip(escape_mrkdwn(" ".join(card.question.split())), FALLBACK_LIMIT)
    who = f"{ticket_label(card.ticket)} from <@{card.learner_id}> ({status}): {question}"
    return _urgent_prefix(card) + who


def build_plain_card(card: CardFacts) -> str:
    """The card as text alone, for when its blocks cannot be built: who, what, and how to act."""
    question = clip(escape_mrkdwn(card.question), PLAIN_QUESTION_LIMIT)
    return (
        f"{_urgent_prefix(card)}{ticket_label(card.ticket)} from <@{card.learner_id}> "
        f"({_STATUS_LABEL[card.status]})"
        f"\n{question}\n\nThe card's buttons could not be shown: reply in this thread to take "
        "it on and write to the learner, or use `/coach escalations`."
    )


def build_escalation_card(card: CardFacts) -> list[Block]:
    """The card's blocks; buttons only while there is something left to do."""
    course = clip(escape_mrkdwn(card.course_title or "not known"), COURSE_LIMIT)
    blocks: list[Block] = [
        HeaderBlock(
            text=clip(f"{ticket_label(card.ticket)} · {_STATUS_LABEL[card.status]}", HEADER_LIMIT)
        ),
        SectionBlock(
            fields=[
                _field(f"*Learner:*\n<@{card.learner_id}>"),
                _field(f"*Course:*\n{course}"),
                _field(_trainer_line(card)),
                _field(f"*Status:*\n{_STATUS_LABEL[card.status]}"),
            ]
        ),
        *_quoted("*Question*", escape_mrkdwn(card.question), QUESTION_SECTIONS),
    ]
    if card.summary is not None:
        blocks += build_summary_blocks(card.summary)
    if card.urgent:
        urgent = (
            f"{_urgent_prefix(card)}please look at this now. The learner was sent the support "
            "resources at once; they are waiting for a person."
        )
        blocks.insert(1, SectionBlock(text=MarkdownTextObject(text=urgent)))
    if card.ai_answer:
        confidence = "" if card.ai_confidence is None else f" (confidence {card.ai_confidence:.2f})"
        answer = escape_mrkdwn(card.ai_answer)
        blocks += _quoted(f"*AI answer{confidence}*", answer, ANSWER_SECTIONS)
    else:
        blocks.append(_context("_The AI did not answer this one._"))
    blocks += _correction_blocks(card)
    if card.learner_note:
        note = escape_mrkdwn(card.learner_note)
        blocks += _quoted("*Learner's note*", note, NOTE_SECTIONS)
    if card.triggers:
        lines = "\n".join(
            f"• *{escape_mrkdwn(t.label)}*: {escape_mrkdwn(t.detail)}" for t in card.triggers
        )
        blocks.append(_context(f"*Why:*\n{lines}"))
    if card.reference_labels:
        refs = "; ".join(escape_mrkdwn(label) for label in card.reference_labels)
        blocks.append(_context(f"*References:* {refs}"))
    blocks += build_similar_blocks(card.similar)
    blocks.extend(_outcome_blocks(card))
    actions = _actions(card)
    if actions is not None:
        blocks.extend([DividerBlock(), actions])
    blocks.append(
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text="Reply in this thread to write to the learner; start with `note:` to "
                    "keep a message internal."
                )
            ]
        )
    )
    return blocks


def _correction_blocks(card: CardFacts) -> list[Block]:
    if not card.ai_correction:
        return []
    who = f" by <@{card.corrected_by}>" if card.corrected_by else ""
    title = f"*:pencil2: AI answer corrected{who}*"
    return _quoted(title, escape_mrkdwn(card.ai_correction), NOTE_SECTIONS)


def _outcome_blocks(card: CardFacts) -> list[Block]:
    if card.status is CardStatus.RESOLVED:
        minutes = (
            "" if card.minutes_to_resolve is None else f" in {card.minutes_to_resolve:.0f} min"
        )
        who = f" by <@{card.resolved_by}>" if card.resolved_by else ""
        title = f"*Resolved{who}{minutes}*"
        if card.resolution_notes:
            return _quoted(title, escape_mrkdwn(card.resolution_notes), NOTE_SECTIONS)
        return [SectionBlock(text=MarkdownTextObject(text=f"{title}\n_no notes_"))]
    if card.status is CardStatus.DISMISSED:
        reason = escape_mrkdwn(card.dismissed_reason or "no reason given")
        return [_context(f"*Dismissed:* {reason}")]
    return []


def _button(
    text: str, action: ActionId, card: CardFacts, style: str | None = None
) -> ButtonElement:
    return ButtonElement(
        text=text,
        action_id=action.value,
        value=EscalationRef(escalation_id=card.escalation_id).pack(),
        style=style,
    )


def _actions(card: CardFacts) -> ActionsBlock | None:
    if card.status in (CardStatus.RESOLVED, CardStatus.DISMISSED):
        return None
    buttons: list[ButtonElement] = []
    unowned_reopened = card.status is CardStatus.REOPENED and not card.assignee_id
    if card.status is CardStatus.PENDING or unowned_reopened:
        buttons.append(_button("Claim", ActionId.CLAIM, card, "primary"))
    buttons.append(_button("Resolve", ActionId.RESOLVE, card))
    buttons.append(_button("Draft reply", ActionId.DRAFT_REPLY, card))
    if card.ai_answer:
        buttons.append(_button("Correct the AI", ActionId.CORRECT_AI, card))
    # Visible to everyone; only admins may use them (checked when clicked).
    buttons.append(_button("Reassign", ActionId.REASSIGN, card))
    buttons.append(_button("Dismiss", ActionId.DISMISS, card, "danger"))
    return ActionsBlock(elements=buttons)
