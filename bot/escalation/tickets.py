"""Tickets: what trainers and admins do to an open escalation, and the learner's rating after.

Claim, resolve, reassign, dismiss, auto-close and rate, each in one short transaction with its
audit events and the Slack writes it causes (through the outbox). Opening an escalation is
``bot.escalation.opening``; relaying messages between learner and card is ``bot.escalation.relay``.

Roles are checked through ``bot.people.permissions``; a refusal is written to the audit trail in
its own transaction (so it survives the error) and then raised as PermissionDenied.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks.labels import ticket_label
from bot.blocks.learner_notices import (
    Notice,
    build_claimed_notice,
    build_closed_inactive_notice,
    build_dismissed_notice,
    build_reassigned_notice,
    build_refusal,
    build_resolved_notice,
)
from bot.deps import Deps
from bot.errors import AlreadyClaimed, NotFound, PermissionDenied, UsageError
from bot.escalation.publish import Publisher
from bot.escalation.state import OPEN, Action, Status, next_status, sources_of
from bot.home.refresh import schedule_home_refresh
from bot.people.permissions import Role, role_of, work_refusal
from store.models import Escalation
from store.repositories.audit import AuditRepository
from store.repositories.conversations import ConversationRepository
from store.repositories.escalations import EscalationRepository
from store.repositories.sla import SlaRepository


class Tickets:
    """Transitions of an existing escalation, each in one short transaction."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def require(
        self,
        escalation_id: int,
        user_id: str,
        needed: Role,
        action: str,
        transition: Action | None = None,
    ) -> int:
        """Check the user may act (and that ``transition`` is possible); returns the ticket.

        Trainer actions are kept to the trainer's courses (``work_refusal``), and resolving a
        claimed ticket to its owner (or an admin).
        """
        async with self._deps.sessions.begin() as session:
            escalation = await self._get(session, escalation_id)
            if needed is Role.ADMIN:
                role = await role_of(session, self._deps.settings, user_id)
                refusal = None if role >= needed else _refusal(needed, action)
            else:
                owner = escalation.assignee_id if transition is Action.RESOLVE else None
                refusal = await work_refusal(
                    session,
                    self._deps.settings,
                    user_id,
                    escalation.course_id,
                    action,
                    owner_id=owner,
                )
            if refusal is not None:
                await AuditRepository(session).record(
                    "refused", user_id, escalation_id, attempted=action
                )
        if refusal is not None:
            raise PermissionDenied(refusal)
        if transition is not None:
            next_status(escalation.ticket, escalation.status, transition)
        return escalation.ticket

    async def claim(self, escalation_id: int, user_id: str) -> Escalation:
        """Make ``user_id`` the owner; exactly one of many simultaneous claims wins."""
        await self.require(escalation_id, user_id, Role.TRAINER, "claim escalations")
        async with self._deps.sessions.begin() as session:
            return await self.claim_within(session, escalation_id, user_id)

    async def claim_within(
        self, session: AsyncSession, escalation_id: int, user_id: str
    ) -> Escalation:
        """Claim inside the caller's transaction (the relay claims when a trainer replies)."""
        repo = EscalationRepository(session)
        now = self._deps.clock.now()
        claimed = await repo.claim(
            escalation_id,
            user_id,
            sources_of(Action.CLAIM),
            {"status": Status.IN_PROGRESS.value, "claimed_at": now, "last_activity_at": now},
        )
        if claimed is None:
            current = await self._get(session, escalation_id)
            if current.assignee_id and current.status in OPEN:
                raise AlreadyClaimed(
                    f"{ticket_label(current.ticket)} is already claimed by "
                    f"<@{current.assignee_id}>.",
                    owner_id=current.assignee_id,
                )
            next_status(current.ticket, current.status, Action.CLAIM)  # raises with the reason
            raise AlreadyClaimed("Someone else changed this ticket just now.", owner_id="")
        await AuditRepository(session).record("claimed", user_id, claimed.id)
        await Publisher(session, self._deps.settings).update_card(claimed, change=f"claimed:{now}")
        await self._tell_learner(
            session, claimed, build_claimed_notice(claimed.ticket, user_id), f"claimed:{user_id}"
        )
        return claimed

    async def resolve(self, escalation_id: int, user_id: str, notes: str | None) -> Escalation:
        """Close the escalation with notes; the learner gets a closing message and a rating."""
        await self.require(
            escalation_id, user_id, Role.TRAINER, "resolve escalations", Action.RESOLVE
        )
        async with self._deps.sessions.begin() as session:
            resolved = await self._resolve_in(session, escalation_id, user_id, notes, "resolved")
            conversation = await EscalationRepository(session).conversation(
                resolved.conversation_id
            )
            assert conversation is not None
            await Publisher(session, self._deps.settings).to_learner(
                conversation,
                build_resolved_notice(resolved.ticket, resolved.id),
                dedupe_key=f"esc-resolved:{resolved.id}:{resolved.reopened_count}",
            )
        return resolved

    async def close_inactive(
        self,
        escalation_id: int,
        actor_id: str = "system",
        reason: str = "inactive",
        *,
        now: datetime | None = None,
    ) -> Escalation | None:
        """Resolve a quiet escalation (timers call this) and tell the learner how to reopen.

        With ``now``, inactivity as of ``now`` is checked again under the row lock first: an
        escalation with activity since the caller's scan (or closed meanwhile) is left alone and
        None returned.
        """
        days = self._deps.settings.auto_close_days
        async with self._deps.sessions.begin() as session:
            if now is not None and not await SlaRepository(session).lock_if_inactive(
                escalation_id, now, days
            ):
                return None
            closed = await self._resolve_in(session, escalation_id, actor_id, reason, "auto_closed")
            conversation = await EscalationRepository(session).conversation(closed.conversation_id)
            assert conversation is not None
            await Publisher(session, self._deps.settings).to_learner(
                conversation,
                build_closed_inactive_notice(closed.ticket, days),
                dedupe_key=f"esc-closed:{closed.id}:{closed.reopened_count}",
            )
        return closed

    async def reassign(self, escalation_id: int, actor_id: str, new_owner: str) -> Escalation:
        """Admins hand an open escalation to another trainer."""
        await self.require(escalation_id, actor_id, Role.ADMIN, "reassign escalations")
        async with self._deps.sessions.begin() as session:
            if await role_of(session, self._deps.settings, new_owner) < Role.TRAINER:
                raise UsageError(
                    f"<@{new_owner}> is not a trainer yet: add them with "
                    "`/coach trainer add`, then reassign."
                )
            escalation = await self._get(session, escalation_id, lock=True)
            status = next_status(escalation.ticket, escalation.status, Action.REASSIGN)
            now = self._deps.clock.now()
            # Read before the update: it refreshes the same (identity-mapped) object.
            previous = escalation.assignee_id
            changed = await EscalationRepository(session).update_if(
                escalation.id,
                [escalation.status],
                status=status.value,
                assignee_id=new_owner,
                claimed_at=escalation.claimed_at or now,
                last_activity_at=now,
            )
            assert changed is not None  # the row is locked
            await AuditRepository(session).record(
                "reassigned", actor_id, changed.id, previous=previous, to=new_owner
            )
            publish = Publisher(session, self._deps.settings)
            await publish.update_card(changed, change=f"reassigned:{new_owner}:{now.timestamp()}")
            # The card update refreshes today's people; the previous owner's queue changed too.
            if previous and previous != new_owner:
                await schedule_home_refresh(session, [previous])
            await self._tell_learner(
                session, changed, build_reassigned_notice(changed.ticket, new_owner), "reassigned"
            )
            await publish.alert_trainer(changed, new_owner, reason="Reassigned to you")
        return changed

    async def dismiss(self, escalation_id: int, actor_id: str, reason: str) -> Escalation:
        """Admins close an escalation that needs no trainer (spam, duplicate...)."""
        await self.require(escalation_id, actor_id, Role.ADMIN, "dismiss escalations")
        async with self._deps.sessions.begin() as session:
            escalation = await self._get(session, escalation_id, lock=True)
            status = next_status(escalation.ticket, escalation.status, Action.DISMISS)
            changed = await EscalationRepository(session).update_if(
                escalation.id,
                [escalation.status],
                status=status.value,
                dismissed_reason=reason,
                last_activity_at=self._deps.clock.now(),
            )
            assert changed is not None
            # The coach answers this thread again: the turn limit counts from here.
            await ConversationRepository(session).restart_turns(changed.conversation_id)
            await AuditRepository(session).record("dismissed", actor_id, changed.id, reason=reason)
            await Publisher(session, self._deps.settings).update_card(changed, change="dismissed")
            await self._tell_learner(
                session, changed, build_dismissed_notice(changed.ticket), "dismissed"
            )
        return changed

    async def rate(self, escalation_id: int, user_id: str, resolved: bool) -> Escalation:
        """The learner's answer to "was this resolved?"; a second click changes it."""
        async with self._deps.sessions.begin() as session:
            escalation = await self._get(session, escalation_id, lock=True)
            if escalation.learner_id != user_id:
                raise PermissionDenied("Only the learner who asked can rate this ticket.")
            rated = await EscalationRepository(session).update_if(
                escalation.id, [escalation.status], resolution_rating=resolved
            )
            assert rated is not None
            await AuditRepository(session).record("rated", user_id, rated.id, resolved=resolved)
        return rated

    # ---- inside a transaction

    async def _get(
        self, session: AsyncSession, escalation_id: int, *, lock: bool = False
    ) -> Escalation:
        escalation = await EscalationRepository(session).get(escalation_id, lock=lock)
        if escalation is None:
            raise NotFound("That escalation no longer exists.")
        return escalation

    async def _resolve_in(
        self,
        session: AsyncSession,
        escalation_id: int,
        user_id: str,
        notes: str | None,
        audit_action: str,
    ) -> Escalation:
        escalation = await self._get(session, escalation_id, lock=True)
        status = next_status(escalation.ticket, escalation.status, Action.RESOLVE)
        now = self._deps.clock.now()
        minutes = round((now - escalation.created_at).total_seconds() / 60, 2)
        resolved = await EscalationRepository(session).update_if(
            escalation.id,
            [escalation.status],
            status=status.value,
            resolved_at=now,
            resolved_by=user_id,
            resolution_notes=notes,
            minutes_to_resolve=minutes,
            last_activity_at=now,
        )
        assert resolved is not None  # the row is locked
        # A closed ticket's turns are spent: the turn limit counts from here.
        await ConversationRepository(session).restart_turns(resolved.conversation_id)
        await AuditRepository(session).record(
            audit_action, user_id, resolved.id, notes=notes, minutes_to_resolve=minutes
        )
        await Publisher(session, self._deps.settings).update_card(
            resolved, change=f"resolved:{resolved.reopened_count}"
        )
        return resolved

    async def _tell_learner(
        self, session: AsyncSession, escalation: Escalation, notice: Notice, what: str
    ) -> None:
        conversation = await EscalationRepository(session).conversation(escalation.conversation_id)
        assert conversation is not None  # the escalation's foreign key
        await Publisher(session, self._deps.settings).to_learner(
            conversation,
            notice,
            dedupe_key=f"esc-{what}:{escalation.id}:{escalation.reopened_count}",
        )


def _refusal(needed: Role, action: str) -> str:
    if needed is Role.ADMIN:
        return f"Sorry, only an admin can {action}."
    return build_refusal(action)
