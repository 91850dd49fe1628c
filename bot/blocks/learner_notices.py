"""What the learner (and the suggested trainer) is told as an escalation moves along."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.blocks.ids import ActionId
from bot.blocks.labels import ticket_label
from bot.blocks.mrkdwn import MESSAGE_TEXT_LIMIT, clip, escape_mrkdwn
from bot.blocks.payloads import EscalationRef


@dataclass(frozen=True)
class Notice:
    """A message: fallback text (always sent, for notifications) and optional blocks."""

    text: str
    blocks: list[Block] = field(default_factory=list)

    def args(self) -> dict[str, Any]:
        """``text`` and ``blocks`` arguments of chat.postMessage / chat.update."""
        args: dict[str, Any] = {"text": self.text}
        if self.blocks:
            args["blocks"] = [block.to_dict() for block in self.blocks]
        return args


def _plain(text: str) -> Notice:
    return Notice(text, [SectionBlock(text=MarkdownTextObject(text=text))])


def build_escalated_notice(ticket: int) -> Notice:
    """Tells the learner a trainer was asked, and that the coach goes quiet in this thread."""
    return _plain(
        f":raising_hand: I've asked a trainer to help with this: your ticket is "
        f"*{ticket_label(ticket)}*. They'll reply right here in this thread. Until then I'll stay "
        "quiet in this thread so I don't talk over them; anything you add here goes straight to "
        "them. For other questions, just send me a new message."
    )


# The resources text is written by the deployment's admins (SAFETY_RESOURCES): its links and
# formatting are kept, and only its length is bounded.
RESOURCES_LIMIT = 2500


def build_safety_notice(ticket: int, resources: str) -> Notice:
    """The reply to a safety or wellbeing concern: kind words, where to get help now, and that a
    person from the team has been told."""
    opening = (
        "I'm really sorry you're going through this, and I'm glad you told me. "
        "You're not alone with it."
    )
    team = (
        f"I've let the team know straight away (ticket *{ticket_label(ticket)}*); a person will "
        "reply to you here in this thread. Anything you write here goes to them."
    )
    help_now = clip(resources.strip(), RESOURCES_LIMIT)
    return Notice(
        f"{opening}\n{help_now}\n{team}",
        [
            SectionBlock(text=MarkdownTextObject(text=f":heart: {opening}")),
            SectionBlock(text=MarkdownTextObject(text=help_now)),
            ContextBlock(elements=[MarkdownTextObject(text=team)]),
        ],
    )


def build_added_to_notice(ticket: int) -> Notice:
    """Tells the learner their new request was added to the ticket already open."""
    return _plain(
        f"I've added this to your open ticket *{ticket_label(ticket)}*; a trainer will reply here."
    )


def build_claimed_notice(ticket: int, trainer_id: str) -> Notice:
    """Tells the learner who is looking at their question."""
    return _plain(f":eyes: <@{trainer_id}> is looking at your question ({ticket_label(ticket)}).")


def build_reassigned_notice(ticket: int, trainer_id: str) -> Notice:
    """Tells the learner another trainer took over."""
    return _plain(f"<@{trainer_id}> is now looking after {ticket_label(ticket)}.")


def build_resolved_notice(ticket: int, escalation_id: int) -> Notice:
    """Closing message with a one-click "was this resolved?" rating."""
    value = EscalationRef(escalation_id=escalation_id).pack()
    text = (
        f":white_check_mark: Your trainer marked *{ticket_label(ticket)}* as resolved. "
        "If you need more help, just reply in this thread and they'll pick it up again."
    )
    return Notice(
        f"{text} Was this resolved?",
        [
            SectionBlock(text=MarkdownTextObject(text=text)),
            SectionBlock(text=MarkdownTextObject(text="*Was this resolved?*")),
            ActionsBlock(
                elements=[
                    ButtonElement(
                        text="Yes",
                        action_id=ActionId.RATE_RESOLVED_YES,
                        value=value,
                        style="primary",
                    ),
                    ButtonElement(text="No", action_id=ActionId.RATE_RESOLVED_NO, value=value),
                ]
            ),
        ],
    )


def build_rating_thanks(ticket: int, resolved: bool) -> Notice:
    """Replaces the rating buttons once the learner clicked one."""
    if resolved:
        return _plain(f"Thanks! Glad {ticket_label(ticket)} is sorted. :tada:")
    return _plain(
        f"Thanks for telling us. Reply in this thread and your trainer will pick "
        f"{ticket_label(ticket)} up again."
    )


def build_reopened_notice(ticket: int, trainer_id: str | None) -> Notice:
    """Tells the learner their reply reopened the ticket."""
    who = f"<@{trainer_id}>" if trainer_id else "a trainer"
    return _plain(f"I've reopened *{ticket_label(ticket)}* and let {who} know.")


def build_dismissed_notice(ticket: int) -> Notice:
    """Tells the learner the ticket was closed without a trainer reply; the coach is back."""
    return _plain(
        f"{ticket_label(ticket)} was closed by an admin. I'm answering in this thread again; "
        "if you still need a person, press *Escalate to trainer* on one of my answers."
    )


def build_closed_inactive_notice(ticket: int, days: float) -> Notice:
    """Tells the learner the ticket closed after a quiet period and how to reopen it."""
    return _plain(
        f"{ticket_label(ticket)} was closed after {days:g} days without activity; "
        "reply here to reopen it."
    )


def build_trainer_alert(
    ticket: int, *, learner_id: str, course_title: str | None, question: str, where: str
) -> Notice:
    """DM to the suggested or assigned trainer about an escalation that needs them."""
    course = f" in *{clip(escape_mrkdwn(course_title), 200)}*" if course_title else ""
    excerpt = clip(escape_mrkdwn(" ".join(question.split())), 500)
    text = (
        f":bell: *{ticket_label(ticket)}*: <@{learner_id}> needs a trainer{course}.\n>{excerpt}\n"
        f"Claim it on the card in {where}."
    )
    return _plain(text)


def build_trainer_reply(text: str) -> Notice:
    """A trainer's reply relayed to the learner, escaped so its mentions cannot ping."""
    return Notice(clip(escape_mrkdwn(text), MESSAGE_TEXT_LIMIT))


def build_refusal(action: str) -> str:
    """Polite refusal for someone who is not a trainer."""
    return (
        f"Sorry, only trainers can {action}. If you should be one, ask an admin to run "
        "`/coach trainer add @you`."
    )
