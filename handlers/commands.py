"""``/coach``: the slash command, its Previous/Next page buttons and the bulk-enrol modal."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.admin.deferred import (
    CommandRequest,
    bulk_enrol_problem,
    start_bulk_enrol,
    start_command,
)
from bot.blocks.admin import build_enrol_modal, build_reply
from bot.blocks.ids import ActionId, BlockId, CallbackId, SlashCommand
from bot.blocks.modal_state import ModalState
from bot.blocks.payloads import EnrolForm, PageRef
from bot.blocks.replies import OpenEnrolModal, Reply, Working
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
    """Run ``/coach <text>`` and answer only the caller; slow commands answer from a task."""
    request = CommandRequest(
        user_id=command["user_id"],
        text=command.get("text") or "",
        response_url=command.get("response_url"),
        key=command.get("trigger_id"),
    )
    reply = await start_command(deps_of(context), request)
    if isinstance(reply, Working):
        # Bolt sends the ack only when this listener returns, so "working on it" travels in
        # the ack itself; the task's answer follows through the response_url.
        text, blocks = build_reply(reply)
        await ack(text=text, blocks=[b.to_dict() for b in blocks], response_type="ephemeral")
        return
    await ack()
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
    request = CommandRequest(
        user_id=body["user"]["id"],
        text=ref.command,
        response_url=body.get("response_url"),
        key=body.get("trigger_id"),
        page=ref.page,
    )
    reply = await start_command(deps_of(context), request)
    await _send(respond, reply, replace=True)


async def handle_bulk_enrol_submission(
    ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], context: AsyncBoltContext
) -> None:
    """Queue the enrolment of everyone picked in the modal; a task tells the admin by DM."""
    learners = ModalState.of(view).users(BlockId.BULK_ENROL_USERS, ActionId.BULK_ENROL_USERS)
    problem = bulk_enrol_problem(learners)
    if problem is not None:
        await ack(response_action="errors", errors={BlockId.BULK_ENROL_USERS: problem})
        return
    form = EnrolForm.unpack(view.get("private_metadata"))
    # The view id names this submission: Slack's retry of it queues nothing more.
    await start_bulk_enrol(
        deps_of(context), body["user"]["id"], form.course_slug, learners, key=str(view["id"])
    )
    await ack()


def register(app: AsyncApp) -> None:
    """Register the slash command, page buttons and modal."""
    app.command(SlashCommand.COACH)(handle_coach_command)
    app.action(re.compile(f"^{ActionId.PAGE}"))(handle_page_click)
    app.view(CallbackId.BULK_ENROL)(handle_bulk_enrol_submission)
