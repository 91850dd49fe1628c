"""The ``draft.write`` task: write a ticket's reply draft and show it in the trainer's modal.

No transaction is open while the passages are retrieved, the model writes, or Slack is called.
A re-run (a lease that expired) shows the text already stored instead of writing another, and a
draft the trainer discarded meanwhile is left alone.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.blocks.copilot_modals import build_draft_modal
from bot.blocks.payloads import DraftForm
from bot.copilot.draft_sources import gather, thread_lines
from bot.copilot.draft_writer import OFFLINE, WrittenDraft, write_draft
from bot.copilot.drafts import DRAFT_WRITE
from bot.deps import Deps
from bot.tasks.kinds import TaskRegistry
from store.repositories.audit import AuditRepository
from store.repositories.copilot import DraftRepository
from store.repositories.escalations import EscalationRepository
from store.tasks import ClaimedTask

log = logging.getLogger(__name__)


async def handle_draft_write(deps: Deps, task: ClaimedTask) -> dict[str, Any] | None:
    """Task handler: write the draft (once), store it, and fill the modal with it."""
    draft_id, view_id = int(task.payload["draft_id"]), str(task.payload["view_id"])
    async with deps.sessions.begin() as session:
        draft = await DraftRepository(session).get(draft_id)
        if draft is None or draft.outcome is not None:
            return {"skipped": "decided"}
        escalation = await EscalationRepository(session).get(draft.escalation_id)
        if escalation is None:
            return {"skipped": "no escalation"}
        session.expunge(escalation)
        ticket = escalation.ticket
        stored = (
            WrittenDraft(draft.draft_text, draft.source or OFFLINE, [])
            if draft.draft_text is not None
            else None
        )
        thread = thread_lines(await DraftRepository(session).thread(escalation.conversation_id))
    written = stored
    if written is None:
        material = await gather(deps, escalation, thread)
        written = await write_draft(deps.llm, deps.settings, material)
        async with deps.sessions.begin() as session:
            drafts = DraftRepository(session)
            current = await drafts.get(draft_id, lock=True)
            if current is None or current.outcome is not None:
                return {"skipped": "decided"}
            await drafts.set(draft_id, draft_text=written.text, source=written.source)
            await AuditRepository(session).record(
                "draft_written",
                current.trainer_id,
                current.escalation_id,
                draft_id=draft_id,
                source=written.source,
                sources=written.sources,
            )
    view = build_draft_modal(
        ticket,
        DraftForm(draft_id=draft_id),
        written.text,
        offline=written.source == OFFLINE,
        sources=written.sources,
    )
    try:
        await (await deps.slack_client()).views_update(view_id=view_id, view=view)
    except SlackApiError as error:
        # The trainer closed the modal meanwhile (view_closed records that) or it expired.
        log.info("draft %s could not be shown: %s", draft_id, error.response.get("error"))
        return {"written": draft_id, "shown": False}
    return {"written": draft_id, "shown": True}


def register(tasks: TaskRegistry) -> None:
    """Register the draft task kind."""
    tasks.register(DRAFT_WRITE, handle_draft_write)
