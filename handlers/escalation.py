"""Buttons and modals of escalations: escalate, claim, resolve, reassign, dismiss, rating.

Modals open straight from the click (a trigger_id lives 3 s); every other change goes through
``bot.escalation.opening.Escalations`` (the learner escalates) or ``bot.escalation.tickets.Tickets``
(trainers and admins act on the ticket), whose errors ``handlers.errors`` shows ephemerally.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks.escalation_modals import (
    DismissReason,
    build_dismiss_modal,
    build_escalate_modal,
    build_reassign_modal,
    build_resolve_modal,
)
from bot.blocks.faq_form import read_faq_submission
from bot.blocks.ids import ActionId, BlockId, CallbackId
from bot.blocks.learner_notices import build_rating_thanks
from bot.blocks.modal_state import ModalState
from bot.blocks.payloads import EscalationRef, ResolveForm, ResponseRef
from bot.errors import UsageError
from bot.escalation.opening import Escalations
from bot.escalation.state import Action
from bot.escalation.tickets import Tickets
from bot.faq.resolution import FaqResolutions
from bot.people.permissions import Role
from handlers.context import action_value, actor_id, deps_of


def _state(body: dict[str, Any]) -> ModalState:
    return ModalState.of(body["view"])


async def handle_escalate_click(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    """ "Escalate to trainer" on an answer: open the note modal for the learner who asked."""
    await ack()
    ref = ResponseRef.unpack(action_value(body))
    await Escalations(deps_of(context)).check_manual(ref.response_id, actor_id(body))
    await client.views_open(trigger_id=body["trigger_id"], view=build_escalate_modal(ref))


async def handle_escalate_submission(
    ack: AsyncAck, body: dict[str, Any], context: AsyncBoltContext
) -> None:
    """Escalate the thread with the learner's optional note."""
    await ack()
    ref = ResponseRef.unpack(body["view"]["private_metadata"])
    note = _state(body).text(BlockId.ESCALATE_NOTE)
    await Escalations(deps_of(context)).escalate_manually(ref.response_id, actor_id(body), note)


async def handle_claim_click(
    ack: AsyncAck, body: dict[str, Any], context: AsyncBoltContext
) -> None:
    """Claim: one trainer wins; the others hear who did."""
    await ack()
    ref = EscalationRef.unpack(action_value(body))
    await Tickets(deps_of(context)).claim(ref.escalation_id, actor_id(body))


async def handle_resolve_click(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    """Resolve: open the notes modal for trainers, with "Save as course FAQ" prefilled."""
    await ack()
    ref = EscalationRef.unpack(action_value(body))
    ticket, faq = await FaqResolutions(deps_of(context)).form(ref.escalation_id, actor_id(body))
    view = build_resolve_modal(ref, ticket, faq)
    await client.views_open(trigger_id=body["trigger_id"], view=view)


async def handle_resolve_submission(
    ack: AsyncAck, body: dict[str, Any], context: AsyncBoltContext
) -> None:
    """Store the resolution (and the course FAQ entry, when ticked) and tell the learner."""
    state = _state(body)
    faq, errors = read_faq_submission(
        state.checked(BlockId.FAQ_SAVE),
        state.text(BlockId.FAQ_QUESTION),
        state.text(BlockId.FAQ_ANSWER),
    )
    if errors:
        await ack(response_action="errors", errors=errors)
        return
    await ack()
    form = ResolveForm.of_submission(body["view"]["private_metadata"])
    notes = state.text(BlockId.RESOLUTION_NOTES)
    await FaqResolutions(deps_of(context)).resolve(form, actor_id(body), notes, faq)


async def handle_reassign_click(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    """Reassign (admins): open the trainer picker."""
    await ack()
    ref = EscalationRef.unpack(action_value(body))
    ticket = await Tickets(deps_of(context)).require(
        ref.escalation_id, actor_id(body), Role.ADMIN, "reassign escalations", Action.REASSIGN
    )
    await client.views_open(trigger_id=body["trigger_id"], view=build_reassign_modal(ref, ticket))


async def handle_reassign_submission(
    ack: AsyncAck, body: dict[str, Any], context: AsyncBoltContext
) -> None:
    """Hand the escalation to the chosen trainer."""
    owner = _state(body).user(BlockId.REASSIGN_TO)
    if owner is None:
        await ack(response_action="errors", errors={BlockId.REASSIGN_TO: "Choose a trainer."})
        return
    await ack()
    ref = EscalationRef.unpack(body["view"]["private_metadata"])
    await Tickets(deps_of(context)).reassign(ref.escalation_id, actor_id(body), owner)


async def handle_dismiss_click(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    """Dismiss (admins): open the reason picker."""
    await ack()
    ref = EscalationRef.unpack(action_value(body))
    ticket = await Tickets(deps_of(context)).require(
        ref.escalation_id, actor_id(body), Role.ADMIN, "dismiss escalations", Action.DISMISS
    )
    await client.views_open(trigger_id=body["trigger_id"], view=build_dismiss_modal(ref, ticket))


async def handle_dismiss_submission(
    ack: AsyncAck, body: dict[str, Any], context: AsyncBoltContext
) -> None:
    """Close the escalation with the chosen reason."""
    raw = _state(body).option(BlockId.DISMISS_REASON)
    if raw not in {reason.value for reason in DismissReason}:
        await ack(response_action="errors", errors={BlockId.DISMISS_REASON: "Choose a reason."})
        return
    await ack()
    ref = EscalationRef.unpack(body["view"]["private_metadata"])
    await Tickets(deps_of(context)).dismiss(ref.escalation_id, actor_id(body), str(raw))


async def handle_rating_click(
    ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, context: AsyncBoltContext
) -> None:
    """ "Was this resolved?" Yes/No: store it and replace the buttons with thanks."""
    await ack()
    action = (body.get("actions") or [{}])[0].get("action_id")
    if action not in (ActionId.RATE_RESOLVED_YES, ActionId.RATE_RESOLVED_NO):
        raise UsageError("That button is out of date.")
    resolved = action == ActionId.RATE_RESOLVED_YES
    ref = EscalationRef.unpack(action_value(body))
    rated = await Tickets(deps_of(context)).rate(ref.escalation_id, actor_id(body), resolved)
    thanks = build_rating_thanks(rated.ticket, resolved)
    await respond(replace_original=True, **thanks.args())


def register(app: AsyncApp) -> None:
    """Attach the escalation buttons and modals."""
    app.action(ActionId.ESCALATE)(handle_escalate_click)
    app.action(ActionId.CLAIM)(handle_claim_click)
    app.action(ActionId.RESOLVE)(handle_resolve_click)
    app.action(ActionId.REASSIGN)(handle_reassign_click)
    app.action(ActionId.DISMISS)(handle_dismiss_click)
    app.action(ActionId.RATE_RESOLVED_YES)(handle_rating_click)
    app.action(ActionId.RATE_RESOLVED_NO)(handle_rating_click)
    app.view(CallbackId.ESCALATE)(handle_escalate_submission)
    app.view(CallbackId.RESOLVE)(handle_resolve_submission)
    app.view(CallbackId.REASSIGN)(handle_reassign_submission)
    app.view(CallbackId.DISMISS)(handle_dismiss_submission)
