"""``/coach``: the slash command, its Previous/Next page buttons and the bulk-enrol modal."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.admin.commands import run_bulk_enrol, run_command
from bot.blocks.admin import build_enrol_modal, build_reply
from bot.blocks.ids import ActionId, BlockId, CallbackId, SlashCommand
from bot.blocks.modal_state import ModalState
from bot.blocks.payloads import EnrolForm, PageRef
from bot.blocks.replies import OpenEnrolModal, Reply
from handlers.context import deps_of


async def _send(respond: AsyncRespond, reply: Reply, *, replace: bool) -> None:
    text, blocks = build_reply(reply)
    await respond(
        text=text,
        blocks=[b.to_dict() for b in blocks],
        response_type="ephemeral",
        replace_original=replace,
    )


async def handle_coach_command(
    ack: AsyncAck,
    command: dict[str, Any],
    respond: AsyncRespond,
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    """Run ``/coach <text>`` and answer only the caller."""
    await ack()
    # trigger_id names this command: Slack's retry of the request repeats it.
    reply = await run_command(
        deps_of(context),
        command["user_id"],
        command.get("text") or "",
        key=command.get("trigger_id"),
    )
    if isinstance(reply, OpenEnrolModal):
        # trigger_id expires 3 s after the command: open the modal right here.
        modal = build_enrol_modal(reply.course_slug)
        await client.views_open(trigger_id=command["trigger_id"], view=modal)
        return
    await _send(respond, reply, replace=False)


async def handle_page_click(
    ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, context: AsyncBoltContext
) -> None:
    """Show another page of a list, re-running the command so permissions are checked again."""
    await ack()
    ref = PageRef.unpack(body["actions"][0].get("value"))
    reply = await run_command(
        deps_of(context), body["user"]["id"], ref.command, page=ref.page, key=body.get("trigger_id")
    )
    await _send(respond, reply, replace=True)


async def handle_bulk_enrol_submission(
    ack: AsyncAck,
    body: dict[str, Any],
    view: dict[str, Any],
    client: AsyncWebClient,
    context: AsyncBoltContext,
) -> None:
    """Enrol everyone picked in the modal and tell the admin in their DM."""
    learners = ModalState.of(view).users(BlockId.BULK_ENROL_USERS, ActionId.BULK_ENROL_USERS)
    if not learners:
        await ack(
            response_action="errors",
            errors={BlockId.BULK_ENROL_USERS: "Pick at least one learner."},
        )
        return
    await ack()
    form = EnrolForm.unpack(view.get("private_metadata"))
    user_id = body["user"]["id"]
    notice = await run_bulk_enrol(deps_of(context), user_id, form.course_slug, learners)
    await client.chat_postMessage(channel=user_id, text=notice.text)


def register(app: AsyncApp) -> None:
    """Register the slash command, page buttons and modal."""
    app.command(SlashCommand.COACH)(handle_coach_command)
    app.action(re.compile(f"^{ActionId.PAGE}"))(handle_page_click)
    app.view(CallbackId.BULK_ENROL)(handle_bulk_enrol_submission)
