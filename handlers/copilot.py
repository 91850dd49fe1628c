"""Card buttons of the trainer's copilot: "Draft reply" and "Correct the AI", and their modals.

Draft reply opens a "Drafting…" modal at once (a trigger_id lives 3 s) and a task fills it;
closing the modal (``view_closed``, asked for with ``notify_on_close``) records a discarded draft.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks.copilot_modals import build_correct_modal, build_drafting_modal
from bot.blocks.ids import ActionId, BlockId, CallbackId
from bot.blocks.modal_state import ModalState
from bot.blocks.payloads import DraftForm, EscalationRef
from bot.copilot.corrections import Corrections
from bot.copilot.drafts import ReplyDrafts
from handlers.context import action_value, actor_id, deps_of


async def handle_draft_click(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    """Draft reply: claim when unowned, open the "Drafting…" modal, and have a task fill it."""
    await ack()
    ref = EscalationRef.unpack(action_value(body))
    drafts = ReplyDrafts(deps_of(context))
    ticket, draft_id = await drafts.start(ref.escalation_id, actor_id(body))
    view = build_drafting_modal(ticket, DraftForm(draft_id=draft_id))
    opened = await client.views_open(trigger_id=body["trigger_id"], view=view)
    await drafts.write_later(draft_id, str(opened["view"]["id"]))


async def handle_draft_submission(
    ack: AsyncAck, body: dict[str, Any], context: AsyncBoltContext
) -> None:
    """Send: relay the (possibly edited) draft as the trainer's reply."""
    text = ModalState.of(body["view"]).text(BlockId.DRAFT_TEXT)
    if text is None:
        await ack(
            response_action="errors",
            errors={BlockId.DRAFT_TEXT: "Write a reply, or close the draft to discard it."},
        )
        return
    await ack()
    form = DraftForm.unpack(body["view"]["private_metadata"])
    await ReplyDrafts(deps_of(context)).send(form.draft_id, actor_id(body), text)


async def handle_draft_closed(
    ack: AsyncAck, body: dict[str, Any], context: AsyncBoltContext
) -> None:
    """The draft modal was closed without sending: recorded as discarded."""
    await ack()
    form = DraftForm.unpack(body["view"]["private_metadata"])
    await ReplyDrafts(deps_of(context)).discard(form.draft_id, actor_id(body))


async def handle_correct_click(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    """Correct the AI: open the modal with the AI answer and the correction inputs."""
    await ack()
    ref = EscalationRef.unpack(action_value(body))
    ticket, answer = await Corrections(deps_of(context)).form(ref.escalation_id, actor_id(body))
    await client.views_open(
        trigger_id=body["trigger_id"], view=build_correct_modal(ref, ticket, answer)
    )


async def handle_correct_submission(
    ack: AsyncAck, body: dict[str, Any], context: AsyncBoltContext
) -> None:
    """Store the correction against the AI answer and show it on the card."""
    state = ModalState.of(body["view"])
    correction = state.text(BlockId.CORRECTION_TEXT)
    if correction is None:
        await ack(
            response_action="errors",
            errors={BlockId.CORRECTION_TEXT: "Write the answer the learner should have had."},
        )
        return
    await ack()
    ref = EscalationRef.unpack(body["view"]["private_metadata"])
    note = state.text(BlockId.CORRECTION_NOTE)
    await Corrections(deps_of(context)).save(ref.escalation_id, actor_id(body), correction, note)


def register(app: AsyncApp) -> None:
    """Attach the copilot buttons and modals."""
    app.action(ActionId.DRAFT_REPLY)(handle_draft_click)
    app.action(ActionId.CORRECT_AI)(handle_correct_click)
    app.view_submission(CallbackId.DRAFT_REPLY)(handle_draft_submission)
    app.view_closed(CallbackId.DRAFT_REPLY)(handle_draft_closed)
    app.view_submission(CallbackId.CORRECT_AI)(handle_correct_submission)
