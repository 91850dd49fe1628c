"""ReplyDrafts: a reply drafted for a trainer on a card, then sent, edited or discarded.

Clicking "Draft reply" checks the trainer may work on the ticket, claims it when nobody owns it
(under the ticket's row lock, so of two trainers drafting at once one claims and the other hears
who did) and stores an empty draft; the handler opens the "Drafting…" modal and ``write_later``
enqueues the ``draft.write`` task that writes and shows the draft. Sending records what the
trainer changed and relays the text exactly as a reply typed in the card's thread: the same
``trainer.message`` task, so the same audit and the same ``note:`` rule.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks.labels import ticket_label
from bot.blocks.mrkdwn import escape_mrkdwn
from bot.deps import Deps
from bot.errors import AlreadyClaimed, NotFound, PermissionDenied, UsageError
from bot.escalation.publish import Publisher
from bot.escalation.relay import is_internal_note
from bot.escalation.state import OPEN, Status
from bot.escalation.tickets import Tickets
from bot.inbox import TRAINER_MESSAGE, InboundMessage
from bot.people.permissions import Role, role_of
from bot.tasks.queue import enqueue
from store.models import ReplyDraft
from store.repositories.audit import AuditRepository
from store.repositories.copilot import DraftRepository
from store.repositories.escalations import EscalationRepository

DRAFT_WRITE = "draft.write"
DRAFT = "draft replies"
SENT_UNCHANGED = "sent_unchanged"
EDITED = "edited"
DISCARDED = "discarded"


class ReplyDrafts:
    """Drafted replies of tickets, each step in one short transaction."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def start(self, escalation_id: int, user_id: str) -> tuple[int, int]:
        """Check, claim when unowned, and store an empty draft: (ticket, draft id)."""
        ticket = await Tickets(self._deps).require(escalation_id, user_id, Role.TRAINER, DRAFT)
        try:
            return await self._start(escalation_id, ticket, user_id)
        except AlreadyClaimed:
            # Refused inside the transaction, which rolled back: the refusal is kept on its own.
            async with self._deps.sessions.begin() as session:
                await AuditRepository(session).record(
                    "refused", user_id, escalation_id, attempted="draft a reply"
                )
            raise

    async def _start(self, escalation_id: int, ticket: int, user_id: str) -> tuple[int, int]:
        async with self._deps.sessions.begin() as session:
            escalation = await EscalationRepository(session).get(escalation_id, lock=True)
            if escalation is None:
                raise NotFound("That escalation no longer exists.")
            if Status(escalation.status) not in OPEN:
                raise UsageError(
                    f"{ticket_label(ticket)} is {escalation.status.replace('_', ' ')}: there is "
                    "no one waiting for a reply."
                )
            if not escalation.card_channel or not escalation.card_ts:
                raise UsageError(
                    "Drafts are sent through the card's thread in the trainer channel, and this "
                    "card is not there. Reply to the learner from the trainer channel's card."
                )
            claimed = False
            if escalation.assignee_id is None:
                await Tickets(self._deps).claim_within(session, escalation.id, user_id)
                claimed = True
            elif (
                escalation.assignee_id != user_id
                and await role_of(session, self._deps.settings, user_id) < Role.ADMIN
            ):
                raise AlreadyClaimed(
                    f"{ticket_label(ticket)} is claimed by <@{escalation.assignee_id}>: only "
                    "they or an admin can draft its replies.",
                    owner_id=escalation.assignee_id,
                )
            draft = await DraftRepository(session).add(
                ReplyDraft(escalation_id=escalation.id, trainer_id=user_id)
            )
            await AuditRepository(session).record(
                "draft_started", user_id, escalation.id, draft_id=draft.id, claimed=claimed
            )
            return ticket, draft.id

    async def write_later(self, draft_id: int, view_id: str) -> None:
        """Enqueue the task that writes the draft into the open modal ``view_id``."""
        async with self._deps.sessions.begin() as session:
            await DraftRepository(session).set(draft_id, view_id=view_id)
            await enqueue(
                session,
                DRAFT_WRITE,
                {"draft_id": draft_id, "view_id": view_id},
                ordering_key=f"draft:{draft_id}",
                dedupe_key=f"draft-write:{draft_id}",
            )

    async def send(self, draft_id: int, user_id: str, text: str) -> str:
        """Record the outcome and relay ``text`` as the trainer's reply; returns the outcome."""
        async with self._deps.sessions.begin() as session:
            drafts = DraftRepository(session)
            draft = await self._own(session, draft_id, user_id)
            if draft.outcome is not None:
                return draft.outcome  # a second submit of the same modal
            escalation = await EscalationRepository(session).get(draft.escalation_id)
            if escalation is None or not escalation.card_channel or not escalation.card_ts:
                raise NotFound("That escalation no longer exists.")
            unchanged = " ".join(text.split()) == " ".join((draft.draft_text or "").split())
            outcome = SENT_UNCHANGED if unchanged else EDITED
            await drafts.set(
                draft.id, sent_text=text, outcome=outcome, decided_at=self._deps.clock.now()
            )
            await AuditRepository(session).record(
                "draft_sent", user_id, escalation.id, draft_id=draft.id, outcome=outcome
            )
            kind = "internal note" if is_internal_note(text) else "reply"
            await Publisher(session, self._deps.settings).to_card_thread(
                escalation,
                f"*<@{user_id}> sent a drafted {kind}:*\n{escape_mrkdwn(text)}",
                dedupe_key=f"draft-shown:{draft.id}",
            )
            # Relayed as if typed in the card's thread: same task, same checks, same audit.
            message = InboundMessage(
                event_id=f"draft-{draft.id}",
                user_id=user_id,
                channel_id=escalation.card_channel,
                ts=f"draft-{draft.id}",
                thread_ts=escalation.card_ts,
                text=text,
                has_files=False,
            )
            await enqueue(
                session,
                TRAINER_MESSAGE,
                message.to_payload(),
                ordering_key=f"trainer:{message.channel_id}:{message.root_ts}",
                dedupe_key=message.dedupe_key,
            )
            return outcome

    async def discard(self, draft_id: int, user_id: str) -> None:
        """The modal was closed without sending: the draft is recorded as discarded."""
        async with self._deps.sessions.begin() as session:
            draft = await self._own(session, draft_id, user_id)
            if draft.outcome is not None:
                return
            await DraftRepository(session).set(
                draft.id, outcome=DISCARDED, decided_at=self._deps.clock.now()
            )
            await AuditRepository(session).record(
                "draft_discarded", user_id, draft.escalation_id, draft_id=draft.id
            )

    async def _own(self, session: AsyncSession, draft_id: int, user_id: str) -> ReplyDraft:
        draft = await DraftRepository(session).get(draft_id, lock=True)
        if draft is None:
            raise NotFound("That draft no longer exists. Press “Draft reply” on the card again.")
        if draft.trainer_id != user_id:
            raise PermissionDenied(f"That draft was written for <@{draft.trainer_id}>.")
        return draft
