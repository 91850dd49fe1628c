"""Every Slack write of the escalation flow, enqueued via the outbox in the caller's transaction.

Cards live in the workspace's trainer channel (``bot.workspaces.config``: the one chosen with
``/coach channel``, else ``TRAINER_CHANNEL_ID`` with a single workspace). Without one,
escalations still work: the card is sent to each of the workspace's admins by DM and, since a
DM card cannot be edited without its channel id, later changes are sent as new DMs; learner
follow-ups go to the owner (or the admins) by DM. Trainer replies are read only from card
threads in the trainer channel, so set one in production.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks.agent_session import SET_STATUS, SessionStatus, status_args
from bot.blocks.escalation_card import (
    CardFacts,
    build_card_text,
    build_escalation_card,
    build_plain_card,
)
from bot.blocks.labels import ticket_label
from bot.blocks.learner_notices import Notice, build_safety_notice, build_trainer_alert
from bot.escalation.card_view import card_facts
from bot.escalation.insight_facts import with_insights
from bot.escalation.state import Status
from bot.escalation.triggers import triggers_of
from bot.home.refresh import schedule_home_refresh
from bot.notify.email import build_escalation_email, enqueue_email
from bot.settings import Settings
from bot.tasks.outbox import Outbox, Ref, card_thread_key, dm_thread_key
from bot.workspaces.config import WorkspaceConfig, workspace_config
from store.models import Conversation, Escalation
from store.repositories.audit import AuditRepository
from store.repositories.escalations import EscalationRepository
from store.repositories.people import PeopleRepository

log = logging.getLogger(__name__)

# The agent session status for each ticket status; a pending ticket leaves the session as it is.
SESSION_STATUS_OF = {
    Status.IN_PROGRESS: SessionStatus.SUSPENDED,
    Status.RESOLVED: SessionStatus.CLOSED,
    Status.REOPENED: SessionStatus.ACTIVE,
    Status.DISMISSED: SessionStatus.ACTIVE,
}


@dataclass
class Publisher:
    """Enqueues the card, learner notices, relays and trainer alerts of escalations."""

    session: AsyncSession
    settings: Settings

    @property
    def outbox(self) -> Outbox:
        """The outbox bound to this transaction."""
        return Outbox(self.session)

    async def workspace(self) -> WorkspaceConfig:
        """The workspace's admins and trainer channel (read once per transaction)."""
        return await workspace_config(self.session, self.settings)

    async def admins(self) -> tuple[str, ...]:
        """The workspace's admins."""
        return (await self.workspace()).admins

    async def trainer_channel(self) -> str | None:
        """Where the workspace's cards go; None: to its admins by DM."""
        return (await self.workspace()).trainer_channel_id

    async def _facts(self, escalation: Escalation) -> CardFacts:
        title = await EscalationRepository(self.session).course_title(escalation.course_id)
        facts = card_facts(escalation, course_title=title, admin_ids=list(await self.admins()))
        return await with_insights(self.session, facts)

    async def _card_args(self, escalation: Escalation) -> dict[str, Any]:
        """The card's text and blocks; a card whose blocks cannot be built goes out as text.

        Losing the card would lose the escalation (its transaction rolls back), so a build failure
        is logged and audited, and the trainers get the plain-text card instead.
        """
        facts = await self._facts(escalation)
        try:
            blocks = [block.to_dict() for block in build_escalation_card(facts)]
        except Exception as error:  # any failure here must not cost the escalation
            log.exception("card of escalation %s could not be built; posting text", escalation.id)
            await AuditRepository(self.session).record(
                "card_build_failed", None, escalation.id, error=repr(error)[:500]
            )
            return {"text": build_plain_card(facts)}
        return {"text": build_card_text(facts), "blocks": blocks}

    async def refresh_homes(self, escalation: Escalation, *others: str | None) -> None:
        """Queue Home tab refreshes for everyone whose view of this escalation just changed."""
        users = [
            escalation.learner_id,
            escalation.assignee_id,
            escalation.suggested_trainer_id,
            *others,
            *await self.admins(),
        ]
        await schedule_home_refresh(self.session, [u for u in users if u])

    async def post_card(self, escalation: Escalation) -> None:
        """The first post of the card; its ts is recorded for updates and the thread."""
        await self.refresh_homes(escalation)
        args = {**await self._card_args(escalation), "unfurl_links": False}
        channel = escalation.card_channel
        if channel:
            await self.outbox.call(
                "chat.postMessage",
                {"channel": channel, **args},
                ordering_key=card_thread_key(escalation.id),
                dedupe_key=f"esc-card:{escalation.id}",
                record=Ref("escalations", "card_ts", escalation.id),
            )
            return
        await self._card_to_admins(escalation, args)

    async def post_card_to_admins(self, escalation: Escalation) -> None:
        """The card sent to each admin by DM, as without a trainer channel (its fallback)."""
        args = {**await self._card_args(escalation), "unfurl_links": False}
        await self._card_to_admins(escalation, args)

    async def _card_to_admins(self, escalation: Escalation, args: dict[str, Any]) -> None:
        for admin in await self.admins():
            await self.outbox.call(
                "chat.postMessage",
                {"channel": admin, **args},
                ordering_key=f"user:{admin}",
                dedupe_key=f"esc-card:{escalation.id}:{admin}",
            )

    async def update_card(self, escalation: Escalation, *, change: str, agent: bool = True) -> None:
        """Show the escalation's current state on its card (and on the Home tabs), and in the
        learner's agent session (``follow_ticket``; not when ``agent`` is False)."""
        await self.refresh_homes(escalation)
        if agent:
            await self.follow_ticket(escalation, change=change)
        args = await self._card_args(escalation)
        if escalation.card_channel:
            await self.outbox.call(
                "chat.update",
                {"channel": escalation.card_channel, **args},
                ordering_key=card_thread_key(escalation.id),
                refs={"ts": Ref("escalations", "card_ts", escalation.id)},
            )
            return
        for admin in await self.admins():
            await self.outbox.call(
                "chat.postMessage",
                {"channel": admin, **args},
                ordering_key=f"user:{admin}",
                dedupe_key=f"esc-card:{escalation.id}:{admin}:{change}",
            )

    async def follow_ticket(self, escalation: Escalation, *, change: str) -> None:
        """The learner's agent session follows the ticket: ``suspended`` while a trainer owns
        it, ``closed`` once resolved, ``active`` when reopened or dismissed. Best effort, in the
        order of the learner thread's other posts."""
        status = SESSION_STATUS_OF.get(Status(escalation.status))
        conversation = await EscalationRepository(self.session).conversation(
            escalation.conversation_id
        )
        if status is None or conversation is None:
            return
        await self.outbox.call(
            SET_STATUS,
            status_args(conversation.channel_id, conversation.thread_ts, status),
            ordering_key=dm_thread_key(conversation.channel_id, conversation.thread_ts),
            dedupe_key=f"session-status:{escalation.id}:{change}",
            best_effort=True,
        )

    async def to_card_thread(
        self, escalation: Escalation, text: str, *, dedupe_key: str | None
    ) -> None:
        """A message in the card's thread (or, without a trainer channel, to its owner by DM)."""
        if escalation.card_channel:
            await self.outbox.call(
                "chat.postMessage",
                {"channel": escalation.card_channel, "text": text, "unfurl_links": False},
                ordering_key=card_thread_key(escalation.id),
                dedupe_key=dedupe_key,
                refs={"thread_ts": Ref("escalations", "card_ts", escalation.id)},
            )
            return
        owner = escalation.assignee_id or escalation.suggested_trainer_id
        for user in [owner] if owner else await self.admins():
            await self.outbox.call(
                "chat.postMessage",
                {"channel": user, "text": f"{ticket_label(escalation.ticket)}: {text}"},
                ordering_key=f"user:{user}",
                dedupe_key=f"{dedupe_key}:{user}" if dedupe_key else None,
            )

    async def to_learner(
        self,
        conversation: Conversation,
        notice: Notice,
        *,
        dedupe_key: str | None,
        username: str | None = None,
        icon_url: str | None = None,
    ) -> None:
        """A message in the learner's DM thread."""
        args = {
            "channel": conversation.channel_id,
            "thread_ts": conversation.thread_ts,
            **notice.args(),
        }
        if username:
            args["username"] = username
        if icon_url:
            args["icon_url"] = icon_url
        await self.outbox.call(
            "chat.postMessage",
            args,
            ordering_key=dm_thread_key(conversation.channel_id, conversation.thread_ts),
            dedupe_key=dedupe_key,
        )

    async def announce_safety(
        self, conversation: Conversation, escalation: Escalation, *, change: str
    ) -> None:
        """A safety concern added to an open ticket: the support resources to the learner at once,
        and the admins pinged in the card's thread (an edited card notifies nobody)."""
        notice = build_safety_notice(escalation.ticket, self.settings.safety_resources)
        await self.to_learner(conversation, notice, dedupe_key=f"esc-safety:{change}")
        admins = "".join(f" <@{admin}>" for admin in await self.admins())
        await self.to_card_thread(
            escalation,
            f":rotating_light: URGENT{admins}: the learner's latest message raises a safety or "
            "wellbeing concern; they were sent the support resources.",
            dedupe_key=f"esc-urgent:{change}",
        )

    async def alert_trainer(self, escalation: Escalation, trainer_id: str, *, reason: str) -> None:
        """DM a trainer about an escalation (and email them when SMTP is configured)."""
        title = await EscalationRepository(self.session).course_title(escalation.course_id)
        channel = await self.trainer_channel()
        where = f"<#{channel}>" if channel else "your DMs"
        notice = build_trainer_alert(
            escalation.ticket,
            learner_id=escalation.learner_id,
            course_title=title,
            question=escalation.question,
            where=where,
        )
        key = f"esc-alert:{escalation.id}:{trainer_id}:{reason}:{escalation.reopened_count}"
        await self.outbox.call(
            "chat.postMessage",
            {"channel": trainer_id, **notice.args()},
            ordering_key=f"user:{trainer_id}",
            dedupe_key=key,
        )
        if self.settings.smtp_host:
            trainer = await PeopleRepository(self.session).trainer(trainer_id)
            content = build_escalation_email(
                ticket_label(escalation.ticket),
                learner=escalation.learner_id,
                course=title,
                question=escalation.question,
                ai_answer=escalation.ai_answer,
                confidence=escalation.ai_confidence,
                triggers=[t.detail for t in triggers_of(escalation)],
                references=[str(r.get("label", "")) for r in escalation.references],
                note=escalation.learner_note,
                reason=reason,
            )
            await enqueue_email(
                self.session,
                trainer_id=trainer_id,
                to=trainer.email if trainer else None,
                content=content,
                dedupe_key=f"email:{key}",
                escalation_id=escalation.id,
            )
