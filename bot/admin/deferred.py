"""Slow ``/coach`` work: checked and queued inside Slack's 3 s, done in a task, answered after.

Bolt answers Slack only once the listener returns (``process_before_response``), so anything
slow in a listener delays the ack itself. ``trainer add`` asks Slack for the person's profile,
``channel #channel`` posts in the channel to see that it can, ``stats`` builds a period's
report, and the bulk-enrol modal can carry 500 people. For these the request runs only the
command's cheap checks (role, arguments, the course) and enqueues a task in the same
transaction; the ack says it is working on it. The task runs the command as usual and posts its
reply to the command's response_url (ephemeral; Slack accepts up to 5 posts for
30 minutes) or, for the modal, sends it by DM through the outbox. A refusal the task runs into
is the reply; a task that keeps failing tells the person so with its task number.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from slack_sdk.webhook.async_client import AsyncWebhookClient
from sqlalchemy.ext.asyncio import AsyncSession

from bot.admin.commands import Call, run_bulk_enrol, run_command, stats_period
from bot.admin.gaps import check_gaps
from bot.admin.parse import CommandArgs, parse_channel, parse_command, parse_slug
from bot.blocks.admin import build_reply
from bot.blocks.replies import Notice, OpenEnrolModal, Reply, Working
from bot.deps import Deps
from bot.errors import CoachbotError
from bot.people.enrolment import MAX_BULK, course_by_slug
from bot.people.permissions import Role
from bot.tasks.kinds import TaskRegistry
from bot.tasks.outbox import Outbox
from bot.tasks.queue import enqueue
from store.tasks import ClaimedTask

log = logging.getLogger(__name__)

ADMIN_COMMAND = "admin.command"
ADMIN_BULK_ENROL = "admin.bulk_enrol"
WORKING = "Working on it… I'll answer here in a moment."
# Well inside the 30 minutes a response_url stays valid.
GIVE_UP_AFTER = timedelta(minutes=10)

Check = Callable[[Call], Awaitable[Any]]


@dataclass(frozen=True)
class CommandRequest:
    """A ``/coach`` command (or a page button re-running one) as Slack delivered it."""

    user_id: str
    text: str
    response_url: str | None
    key: str | None  # Slack's trigger_id: a retried request repeats it
    page: int = 1


async def _check_trainer_add(c: Call) -> None:
    await c.need(Role.ADMIN, "change trainers")
    c.args.user(0, "/coach trainer add @trainer")
    slug = c.args.optional_word(1)
    if slug:
        await course_by_slug(c.session, parse_slug(slug))


async def _check_channel(c: Call) -> None:
    await c.need(Role.ADMIN, "choose the trainer channel")
    parse_channel(c.args.word(0, "/coach channel #channel"))


async def _check_gaps(c: Call) -> None:
    await check_gaps(c.deps, c.user_id, c.args)


def slow_check(args: CommandArgs) -> Check | None:
    """For a command too slow to run inside the ack, the cheap checks to run before queueing."""
    if args.verb == "stats":
        return stats_period
    if args.verb == "gaps":
        return _check_gaps
    if args.verb == "trainer" and (args.optional_word(0) or "").lower() == "add":
        return _check_trainer_add
    if args.verb == "channel" and args.words:  # posts in the channel to check it can
        return _check_channel
    return None


async def start_command(deps: Deps, request: CommandRequest) -> Reply:
    """Answer ``/coach`` inside the ack: run it now, or check it and queue it when it is slow."""
    args = parse_command(request.text)
    check = slow_check(args)
    if check is None or request.response_url is None:
        return await run_command(deps, request.user_id, request.text, request.page, key=request.key)
    payload = {
        "user_id": request.user_id,
        "text": request.text,
        "response_url": request.response_url,
        "key": request.key,
        "page": request.page,
    }
    async with deps.sessions.begin() as session:
        await check(Call(deps, session, request.user_id, args, key=request.key))
        # A retried request finds its task already queued: one run, one answer.
        await enqueue(
            session,
            ADMIN_COMMAND,
            payload,
            ordering_key=f"command:{request.user_id}",
            dedupe_key=f"command:{request.key}" if request.key else None,
        )
    return Working(WORKING)


def bulk_enrol_problem(learners: list[str]) -> str | None:
    """Why the bulk-enrol modal cannot be accepted as filled in, if it cannot."""
    if not learners:
        return "Pick at least one learner."
    if len(set(learners)) > MAX_BULK:
        return f"Pick at most {MAX_BULK} people at a time; you picked {len(set(learners))}."
    return None


async def start_bulk_enrol(
    deps: Deps, user_id: str, slug: str, learners: list[str], *, key: str
) -> None:
    """Queue the enrolment of everyone picked in the modal; ``key`` names the modal's view."""
    payload = {"user_id": user_id, "slug": slug, "learners": learners}
    async with deps.sessions.begin() as session:
        await enqueue(
            session,
            ADMIN_BULK_ENROL,
            payload,
            ordering_key=f"command:{user_id}",
            dedupe_key=f"bulk-enrol:{key}",
        )


async def _dm(session: AsyncSession, user_id: str, text: str, *, dedupe_key: str) -> None:
    await Outbox(session).call(
        "chat.postMessage",
        {"channel": user_id, "text": text},
        ordering_key=f"user:{user_id}",
        dedupe_key=dedupe_key,
    )


async def _answer(deps: Deps, task: ClaimedTask, reply: Reply) -> None:
    """Post ``reply`` to the command's response_url; by DM if Slack no longer takes it there."""
    if isinstance(reply, OpenEnrolModal):  # the modal's trigger_id has expired by now
        reply = Notice(f"Run `/coach enroll {reply.course_slug}` again to pick the learners.")
    text, blocks = build_reply(reply)
    p = task.payload
    response = await AsyncWebhookClient(str(p["response_url"]), timeout=15).send(
        text=text,
        blocks=[b.to_dict() for b in blocks],
        response_type="ephemeral",
        replace_original=False,
    )
    if response.status_code >= 500:
        raise RuntimeError(f"response_url answered HTTP {response.status_code}")
    if response.status_code != 200:
        # Expired (30 minutes) or used up (5 posts): the answer still reaches them, by DM.
        log.info("response_url refused task %s's answer (%s)", task.id, response.status_code)
        async with deps.sessions.begin() as session:
            await _dm(session, str(p["user_id"]), text, dedupe_key=f"command-answer:{task.id}")


async def run_command_task(deps: Deps, task: ClaimedTask) -> dict[str, Any] | None:
    """Task handler: run a slow ``/coach`` command and answer through its response_url."""
    p = task.payload
    try:
        reply = await run_command(
            deps, str(p["user_id"]), str(p["text"]), int(p.get("page") or 1), key=p.get("key")
        )
    except CoachbotError as exc:
        reply = Notice(exc.user_message)
    await _answer(deps, task, reply)
    return {"answered": type(reply).__name__}


async def tell_command_failed(deps: Deps, task: ClaimedTask, reason: str) -> None:
    """Failure hook: the command's author hears that it did not finish, and the task number."""
    text = (
        f"Sorry, I could not finish `/coach {task.payload.get('text', '')}` (task {task.id}). "
        "Please try again in a moment; if it keeps happening, tell an admin that task number."
    )
    try:
        await _answer(deps, task, Notice(text))
    except Exception:
        # The response_url itself may be what kept failing: the outbox still gets it to them.
        log.warning("could not answer task %s through its response_url", task.id, exc_info=True)
        async with deps.sessions.begin() as session:
            user_id = str(task.payload["user_id"])
            await _dm(session, user_id, text, dedupe_key=f"command-failed:{task.id}")


async def run_bulk_enrol_task(deps: Deps, task: ClaimedTask) -> dict[str, Any] | None:
    """Task handler: enrol everyone picked in the modal and tell the admin by DM, in one
    transaction with the enrolments; a refusal is told the same way."""
    p = task.payload
    user_id = str(p["user_id"])
    learners = [str(learner) for learner in p["learners"]]
    try:
        async with deps.sessions.begin() as session:
            notice = await run_bulk_enrol(session, deps, user_id, str(p["slug"]), learners)
            await _dm(session, user_id, notice.text, dedupe_key=f"bulk-enrol:{task.id}")
    except CoachbotError as exc:
        async with deps.sessions.begin() as session:
            await _dm(session, user_id, exc.user_message, dedupe_key=f"bulk-enrol:{task.id}")
        return {"refused": exc.user_message[:200]}
    return {"enrolled": len(learners)}


async def tell_bulk_enrol_failed(deps: Deps, task: ClaimedTask, reason: str) -> None:
    """Failure hook: the admin hears that the enrolment did not happen, and the task number."""
    text = (
        f"Sorry, I could not enrol the {len(task.payload.get('learners', []))} learners you "
        f"picked for *{task.payload.get('slug')}* (task {task.id}). Please try again in a "
        "moment; if it keeps happening, tell an admin that task number."
    )
    user_id = str(task.payload["user_id"])
    async with deps.sessions.begin() as session:
        await _dm(session, user_id, text, dedupe_key=f"bulk-enrol-failed:{task.id}")


def register(tasks: TaskRegistry) -> None:
    """Register the slow-command task kinds."""
    tasks.register(
        ADMIN_COMMAND, run_command_task, give_up_after=GIVE_UP_AFTER, on_failure=tell_command_failed
    )
    tasks.register(
        ADMIN_BULK_ENROL,
        run_bulk_enrol_task,
        give_up_after=GIVE_UP_AFTER,
        on_failure=tell_bulk_enrol_failed,
    )
