"""Block Kit for the Home tab: one view per role, under Slack's 100-block limit."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.blocks.gaps import CourseGaps, build_home_gaps_blocks
from bot.blocks.ids import ActionId
from bot.blocks.labels import ticket_label
from bot.blocks.mrkdwn import clip, escape_mrkdwn
from bot.blocks.payloads import EscalationRef
from bot.blocks.replies import StatsReport
from bot.blocks.stats import build_stats_summary


class Audience(StrEnum):
    """Whose Home tab this is: each sees a different one."""

    LEARNER = "learner"
    TRAINER = "trainer"
    ADMIN = "admin"


@dataclass(frozen=True)
class TicketLine:
    """One escalation as a Home tab line shows it."""

    escalation_id: int
    ticket: int
    status: str
    course_slug: str | None
    learner_id: str
    question: str


@dataclass(frozen=True)
class HomeData:
    """Everything one Home tab shows; fields an audience does not see stay empty."""

    user_id: str
    audience: Audience
    my_questions: tuple[TicketLine, ...] = ()
    claimed: tuple[TicketLine, ...] = ()
    unclaimed: tuple[TicketLine, ...] = ()
    resolved: tuple[TicketLine, ...] = ()
    open_queue: tuple[TicketLine, ...] = ()
    open_total: int = 0
    stats: StatsReport | None = None
    trainer_channel_id: str | None = None
    gaps: tuple[CourseGaps, ...] = ()


MAX_HOME_BLOCKS = 100
STATUS_LABELS = {
    "pending": ":hourglass_flowing_sand: Waiting for a trainer",
    "in_progress": ":speech_balloon: A trainer is on it",
    "reopened": ":leftwards_arrow_with_hook: Reopened",
    "resolved": ":white_check_mark: Resolved",
    "dismissed": ":no_entry_sign: Closed",
}


def _question(row: TicketLine, limit: int = 150) -> str:
    return clip(escape_mrkdwn(" ".join(row.question.split())), limit)


def _note(text: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=text)])


def _learner_blocks(data: HomeData) -> list[Block]:
    blocks: list[Block] = [
        HeaderBlock(text="Your questions to trainers"),
        _note("Questions you handed to a trainer in the last 30 days. Ask new ones in Messages."),
    ]
    if not data.my_questions:
        blocks.append(SectionBlock(text="Nothing escalated yet: the coach answered everything."))
    for row in data.my_questions:
        status = STATUS_LABELS.get(row.status, row.status)
        course = f" · {row.course_slug}" if row.course_slug else ""
        blocks.append(
            SectionBlock(
                text=f"*{ticket_label(row.ticket)}* · {status}{course}\n> {_question(row)}"
            )
        )
    return blocks


def _queue_row(row: TicketLine, claim: bool) -> SectionBlock:
    course = row.course_slug or "no course"
    head = f"*{ticket_label(row.ticket)}* · {course} · <@{row.learner_id}> · {row.status}"
    text = f"{head}\n> {_question(row)}"
    if not claim:
        return SectionBlock(text=text)
    button = ButtonElement(
        text="Claim",
        action_id=ActionId.CLAIM,
        value=EscalationRef(escalation_id=row.escalation_id).pack(),
        style="primary",
    )
    return SectionBlock(text=text, accessory=button)


def _trainer_blocks(data: HomeData) -> list[Block]:
    channel = f" Reply in <#{data.trainer_channel_id}>." if data.trainer_channel_id else ""
    blocks: list[Block] = [HeaderBlock(text="Your queue"), _note(f"Claimed by you.{channel}")]
    blocks += [_queue_row(r, claim=False) for r in data.claimed] or [
        SectionBlock(text="Nothing claimed right now.")
    ]
    blocks += [DividerBlock(), HeaderBlock(text="Waiting in your courses")]
    blocks += [_queue_row(r, claim=True) for r in data.unclaimed] or [
        SectionBlock(text="No unclaimed questions. :tada:")
    ]
    blocks += [DividerBlock(), HeaderBlock(text="Recently resolved by you")]
    blocks += [
        SectionBlock(
            text=f"*{ticket_label(r.ticket)}* · {r.course_slug or 'no course'} · {_question(r, 90)}"
        )
        for r in data.resolved
    ] or [SectionBlock(text="None in the last 30 days.")]
    if data.gaps:
        blocks += [DividerBlock(), *build_home_gaps_blocks(data.gaps)]
    return blocks


def _admin_blocks(data: HomeData) -> list[Block]:
    blocks: list[Block] = [HeaderBlock(text="Coaching at a glance: last 7 days")]
    if data.stats is not None:
        blocks.append(build_stats_summary(data.stats))
    blocks += [
        _note("`/coach stats 30` for more, `/coach export` for a CSV."),
        DividerBlock(),
        HeaderBlock(text=f"Open queue ({data.open_total})"),
    ]
    where = f"Cards are in <#{data.trainer_channel_id}>. " if data.trainer_channel_id else ""
    blocks.append(_note(f"{where}`/coach escalations` lists them all with filters."))
    blocks += [_queue_row(r, claim=False) for r in data.open_queue] or [
        SectionBlock(text="No open escalations. :tada:")
    ]
    blocks += [DividerBlock(), *build_home_gaps_blocks(data.gaps)]
    return blocks


def build_home_view(data: HomeData) -> View:
    """The Home tab for ``data.audience``."""
    if data.audience is Audience.ADMIN:
        blocks = _admin_blocks(data)
    elif data.audience is Audience.TRAINER:
        blocks = _trainer_blocks(data)
    else:
        blocks = _learner_blocks(data)
    if len(blocks) > MAX_HOME_BLOCKS:
        blocks = [*blocks[: MAX_HOME_BLOCKS - 1], _note("More items are not shown.")]
    return View(type="home", blocks=blocks)
