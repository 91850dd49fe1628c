"""``/coach``: route a parsed command to its service after the one role check it needs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from bot.admin import course_settings, courses, escalations, faq, trainers
from bot.admin.escalation_actions import dismiss, reassign
from bot.admin.gaps import run_gaps
from bot.admin.help import help_text
from bot.admin.parse import CommandArgs, parse_command, parse_days, parse_slug, parse_ticket
from bot.admin.uploads import enqueue_upload
from bot.admin.workspace import WORKSPACE_VERBS, run_workspace_command
from bot.blocks.replies import Notice, OpenEnrolModal, Reply
from bot.coach.personas import list_personas, parse_share, remove_persona, set_persona
from bot.deps import Deps
from bot.errors import UsageError
from bot.people.enrolment import course_by_slug
from bot.people.permissions import (
    Role,
    require_course_visible,
    require_role,
    role_of,
    visible_course_ids,
)
from bot.stats.report import build_report


@dataclass(frozen=True)
class Call:
    """One command invocation: who, what, which page of a long list, and the invocation's own
    key (Slack's ``trigger_id``, the same when Slack retries the request)."""

    deps: Deps
    session: AsyncSession
    user_id: str
    args: CommandArgs
    page: int = 1
    key: str | None = None

    async def need(self, role: Role, action: str) -> Role:
        """Check the caller's role in the one place roles are checked."""
        return await require_role(self.session, self.deps.settings, self.user_id, role, action)

    async def visible(self) -> list[int] | None:
        """Courses the caller may see (None: all)."""
        return await visible_course_ids(self.session, self.deps.settings, self.user_id)


Handler = Callable[[Call], Awaitable[Reply]]


async def run_command(
    deps: Deps, user_id: str, text: str, page: int = 1, *, key: str | None = None
) -> Reply:
    """Parse and run ``/coach`` text for ``user_id`` in one transaction, slow parts included."""
    args = parse_command(text)
    if args.verb == "gaps":  # embeds outside any transaction: its own transactions
        return await run_gaps(deps, user_id, args, max(page, 1), key=key)
    if args.verb in WORKSPACE_VERBS:  # their own transactions; the channel's check posts
        return await run_workspace_command(deps, user_id, args, max(page, 1))
    direct = await _run_direct(deps, user_id, args)
    if direct is not None:
        return direct
    async with deps.sessions.begin() as session:
        call = Call(deps, session, user_id, args, max(page, 1), key)
        handler = _HANDLERS.get(args.verb)
        if handler is None:
            role = await role_of(session, deps.settings, user_id)
            raise UsageError(
                f"I don't know `/coach {args.verb}`. Try one of these:\n{help_text(role)}"
            )
        return await handler(call)


async def _run_direct(deps: Deps, user_id: str, args: CommandArgs) -> Reply | None:
    """Commands whose services open their own transaction (they call Slack or ``Tickets``)."""
    action = (args.optional_word(0) or "").lower()
    if args.verb == "trainer" and action in ("add", "remove"):
        async with deps.sessions.begin() as session:
            await require_role(session, deps.settings, user_id, Role.ADMIN, "change trainers")
        who = args.user(0, f"/coach trainer {action} @trainer")
        if action == "remove":
            return await trainers.remove(deps, who, user_id)
        slug = args.optional_word(1)
        return await trainers.add(deps, who, parse_slug(slug) if slug else None, user_id)
    if args.verb == "faq" and action == "remove":
        return await faq.remove(deps, args, user_id)
    second = (args.optional_word(1) or "").lower()
    if args.verb == "escalation" and second in ("reassign", "dismiss"):
        async with deps.sessions.begin() as session:
            await require_role(session, deps.settings, user_id, Role.ADMIN, f"{second} escalations")
        ticket = parse_ticket(args.word(0, "/coach escalation ESC-1001 reassign @trainer"))
        if second == "reassign":
            to = args.user(0, "/coach escalation ESC-1001 reassign @trainer")
            return await reassign(deps, ticket, to, user_id)
        reason = " ".join(args.words[2:]).strip()
        if not reason:
            raise UsageError("Say why, e.g. `/coach escalation ESC-1001 dismiss duplicate`.")
        return await dismiss(deps, ticket, reason, user_id)
    return None


async def _help(c: Call) -> Reply:
    return Notice(help_text(await role_of(c.session, c.deps.settings, c.user_id)))


async def _courses(c: Call) -> Reply:
    await c.need(Role.TRAINER, "list courses")
    return await courses.list_courses(c.session, c.args.text, c.page)


async def _enroll(c: Call) -> Reply:
    await c.need(Role.ADMIN, "enrol learners")
    usage = "/coach enroll @learner [@more ...] course-slug"
    slug = parse_slug(c.args.word(0, usage))
    if not c.args.users:
        await course_by_slug(c.session, slug)
        return OpenEnrolModal(slug)
    return await courses.enrol(c.session, list(c.args.users), slug, c.user_id)


async def _learner(c: Call) -> Reply:
    await c.need(Role.TRAINER, "look up a learner")
    return await courses.learner_courses(c.session, c.args.user(0, "/coach learner @learner"))


async def _trainer(c: Call) -> Reply:
    usage = "/coach trainer add|remove|allocate|unallocate|backup @trainer ..."
    action = c.args.word(0, usage).lower()
    await c.need(Role.ADMIN, "change trainers")
    who = c.args.user(0, f"/coach trainer {action} @trainer")
    if action in ("allocate", "unallocate"):
        slug = parse_slug(c.args.word(1, f"/coach trainer {action} @trainer course-slug"))
        change = trainers.allocate if action == "allocate" else trainers.unallocate
        return await change(c.session, who, slug, c.user_id)
    if action == "backup":
        clear = (c.args.optional_word(1) or "").lower() == "none"
        if len(c.args.users) < 2 and not clear:
            raise UsageError("Usage: `/coach trainer backup @trainer @backup` (or `... none`)")
        backup = None if clear else c.args.users[1]
        return await trainers.set_backup(c.session, who, backup, c.user_id)
    raise UsageError(f"Usage: `{usage}`")


async def _trainers(c: Call) -> Reply:
    await c.need(Role.TRAINER, "list trainers")
    return await trainers.list_trainers(c.session, c.args.text, c.page)


async def _settings(c: Call) -> Reply:
    slug = parse_slug(
        c.args.word(0, "/coach settings course-slug [threshold=0.4 turns=8 ... mode=hint]")
    )
    options = {**course_settings.word_options(c.args.words[1:]), **c.args.options}
    if options:
        await c.need(Role.ADMIN, "change course settings")
        return await course_settings.change(c.session, c.deps.settings, slug, options, c.user_id)
    await c.need(Role.TRAINER, "view course settings")
    return await course_settings.show(c.session, c.deps.settings, slug)


async def _escalations(c: Call) -> Reply:
    await c.need(Role.TRAINER, "list escalations")
    return await escalations.list_open(c.session, c.args, await c.visible(), c.page)


async def _escalation(c: Call) -> Reply:
    usage = "/coach escalation ESC-1001 [reassign @trainer | dismiss reason]"
    ticket = parse_ticket(c.args.word(0, usage))
    action = (c.args.optional_word(1) or "show").lower()
    if action == "show":
        await c.need(Role.TRAINER, "look at escalations")
        return await escalations.show(c.session, ticket, await c.visible())
    raise UsageError(f"Usage: `{usage}`")


async def _faq(c: Call) -> Reply:
    await c.need(Role.TRAINER, "list course FAQ entries")
    return await faq.listing(c.session, c.args, await c.visible(), c.page)


async def _scope(c: Call) -> tuple[list[int] | None, str]:
    visible = await c.visible()
    slug = c.args.option("course")
    if slug is None:
        return visible, "all courses" if visible is None else "your courses"
    course = await course_by_slug(c.session, parse_slug(slug))
    require_course_visible(visible, course.id, f"*{course.slug}*")
    return [course.id], course.slug


async def stats_period(c: Call) -> tuple[int, list[int] | None, str]:
    """The checked period and scope of ``/coach stats``: days, course ids (None: all), label."""
    await c.need(Role.TRAINER, "see stats")
    c.args.only({"course"}, "/coach stats [days] [course=slug]")
    days = parse_days(c.args.optional_word(0))
    course_ids, label = await _scope(c)
    return days, course_ids, label


async def _stats(c: Call) -> Reply:
    days, course_ids, label = await stats_period(c)
    report = await build_report(
        c.session, now=c.deps.clock.now(), days=days, course_ids=course_ids, course_slug=label
    )
    await enqueue_upload(
        c.session,
        kind="chart",
        user_id=c.user_id,
        days=days,
        course_ids=course_ids,
        label=label,
        key=c.key,
    )
    return report


async def _export(c: Call) -> Reply:
    await c.need(Role.TRAINER, "export escalations")
    c.args.only({"course"}, "/coach export [days] [course=slug]")
    days = parse_days(c.args.optional_word(0), default=30)
    course_ids, label = await _scope(c)
    await enqueue_upload(
        c.session,
        kind="csv",
        user_id=c.user_id,
        days=days,
        course_ids=course_ids,
        label=label,
        key=c.key,
    )
    return Notice(
        f"Exporting escalations of the last {days} days ({label}) as CSV; "
        "I'll send the file to you in a DM in a moment."
    )


async def _persona(c: Call) -> Reply:
    usage = '/coach persona set|remove|list @trainer course-slug ["Name"] [share=...]'
    action = c.args.word(0, usage).lower()
    if action == "list":
        await c.need(Role.TRAINER, "list personas")
        return await list_personas(c.session, c.args.text, c.page)
    await c.need(Role.ADMIN, "change personas")
    who = c.args.user(0, usage)
    slug = parse_slug(c.args.word(1, usage))
    if action == "remove":
        return await remove_persona(c.session, who, slug, c.user_id)
    if action != "set":
        raise UsageError(f"Usage: `{usage}`")
    c.args.only({"share", "expertise", "bio", "icon"}, usage)
    c.args.word(2, '/coach persona set @trainer course-slug "Jane\'s AI Coach"')
    return await set_persona(
        c.session,
        trainer_id=who,
        slug=slug,
        name=" ".join(c.args.words[2:]),
        share=parse_share(c.args.option("share")),
        expertise=c.args.option("expertise"),
        bio=c.args.option("bio"),
        icon_url=c.args.option("icon"),
        by=c.user_id,
    )


async def _personas(c: Call) -> Reply:
    await c.need(Role.TRAINER, "list personas")
    return await list_personas(c.session, c.args.text, c.page)


_HANDLERS: dict[str, Handler] = {
    "help": _help,
    "courses": _courses,
    "enroll": _enroll,
    "enrol": _enroll,
    "learner": _learner,
    "trainer": _trainer,
    "trainers": _trainers,
    "settings": _settings,
    "escalations": _escalations,
    "escalation": _escalation,
    "faq": _faq,
    "stats": _stats,
    "export": _export,
    "persona": _persona,
    "personas": _personas,
}


async def run_bulk_enrol(
    session: AsyncSession, deps: Deps, user_id: str, slug: str, learners: list[str]
) -> Notice:
    """Enrol the learners picked in the bulk-enrol modal, in the caller's transaction."""
    await require_role(session, deps.settings, user_id, Role.ADMIN, "enrol learners")
    return await courses.enrol(session, learners, parse_slug(slug), user_id)
