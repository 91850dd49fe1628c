"""Helpful / Not helpful buttons on answers, and the Not helpful modal."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks.feedback import (
    FEEDBACK_REASONS,
    build_feedback_modal,
    build_feedback_thanks_view,
)
from bot.blocks.ids import ActionId, BlockId, CallbackId
from bot.blocks.modal_state import ModalState
from bot.blocks.payloads import ResponseRef
from bot.errors import CoachbotError
from bot.learner.feedback import Feedbacks
from handlers.context import action_value, actor_id, deps_of

THANKS_HELPFUL = "Thanks for the feedback! Glad it helped. 🙌"
THANKS_NOT_HELPFUL = "Thanks, your feedback was saved. It helps us improve the coach."


async def handle_feedback_helpful(
    ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, context: AsyncBoltContext
) -> None:
    """Store a "Helpful" verdict and thank the learner privately."""
    await ack()
    ref = ResponseRef.unpack(action_value(body))
    await Feedbacks(deps_of(context)).record(ref.response_id, actor_id(body), helpful=True)
    await respond(text=THANKS_HELPFUL, response_type="ephemeral", replace_original=False)


async def handle_feedback_not_helpful(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    """Store "Not helpful" at once (nothing lost if the modal is closed) and ask why."""
    await ack()
    ref = ResponseRef.unpack(action_value(body))
    await Feedbacks(deps_of(context)).record(ref.response_id, actor_id(body), helpful=False)
    # The trigger_id expires 3 s after the click: the modal opens here, not in a task.
    await client.views_open(
        trigger_id=body["trigger_id"], view=build_feedback_modal(ref.response_id)
    )


def _submitted(view: dict[str, Any]) -> tuple[str | None, str | None]:
    state = ModalState.of(view)
    reason = state.option(BlockId.FEEDBACK_REASON, ActionId.FEEDBACK_REASON_INPUT)
    return reason, state.text(BlockId.FEEDBACK_COMMENT, ActionId.FEEDBACK_COMMENT_INPUT)


async def handle_feedback_submission(
    ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], context: AsyncBoltContext
) -> None:
    """Store the reason and comment from the Not helpful modal."""
    reason, comment = _submitted(view)
    if reason not in FEEDBACK_REASONS:
        await ack(
            response_action="errors",
            errors={BlockId.FEEDBACK_REASON.value: "Please pick a reason."},
        )
        return
    ref = ResponseRef.unpack(view.get("private_metadata"))
    try:
        await Feedbacks(deps_of(context)).record(
            ref.response_id, actor_id(body), helpful=False, reason=reason, comment=comment
        )
    except CoachbotError as exc:
        # A modal can only show a refusal as an error under one of its inputs.
        await ack(
            response_action="errors", errors={BlockId.FEEDBACK_REASON.value: exc.user_message}
        )
        return
    await ack(response_action="update", view=build_feedback_thanks_view(THANKS_NOT_HELPFUL))


def register(app: AsyncApp) -> None:
    """Listen to the feedback buttons and the feedback modal."""
    app.action(ActionId.FEEDBACK_HELPFUL.value)(handle_feedback_helpful)
    app.action(ActionId.FEEDBACK_NOT_HELPFUL.value)(handle_feedback_not_helpful)
    app.view(CallbackId.FEEDBACK.value)(handle_feedback_submission)
