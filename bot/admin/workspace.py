"""``/coach admins``, ``/coach admin add|remove @user`` and ``/coach channel #channel``.

Who administers this workspace and where its escalation cards go. Only its admins may look or
change anything, and every change is audited. Choosing a channel posts a welcome in it first,
outside any transaction: the post proves the bot can write there (Slack refuses a channel it
is not a member of), and only then is the channel stored.
"""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError

from bot.admin.parse import CommandArgs, parse_channel
from bot.blocks.replies import Listing, Notice, Reply
from bot.blocks.workspace_notices import (
    build_admin_line,
    build_trainer_channel_line,
    build_trainer_channel_welcome,
)
from bot.deps import Deps
from bot.errors import UsageError
from bot.home.refresh import schedule_home_refresh
from bot.people.permissions import Role, require_role
from bot.workspaces.admins import add_admin, remove_admin, set_trainer_channel
from bot.workspaces.config import workspace_config

log = logging.getLogger(__name__)

WORKSPACE_VERBS = frozenset({"admins", "admin", "channel"})
ADMIN_USAGE = "/coach admin add|remove @user"
# Slack's answers meaning the bot cannot post in the channel until someone there acts.
_CANNOT_POST = {
    "not_in_channel",
    "channel_not_found",
    "is_archived",
    "restricted_action",
    "restricted_action_read_only_channel",
    "restricted_action_thread_only_channel",
    "restricted_action_non_threadable_channel",
    "ekm_access_denied",
}


async def run_workspace_command(
    deps: Deps, user_id: str, args: CommandArgs, page: int = 1
) -> Reply:
    """Run one of ``WORKSPACE_VERBS`` for ``user_id``; each opens its own transactions."""
    if args.verb == "admins":
        return await _list_admins(deps, user_id, args, page)
    if args.verb == "admin":
        return await _change_admin(deps, user_id, args)
    return await _channel(deps, user_id, args)


async def _list_admins(deps: Deps, user_id: str, args: CommandArgs, page: int) -> Listing:
    async with deps.sessions.begin() as session:
        await require_role(session, deps.settings, user_id, Role.ADMIN, "list admins")
        config = await workspace_config(session, deps.settings)
    lines = [
        build_admin_line(admin, from_setting=admin in config.setting_admins)
        for admin in config.admins
    ]
    return Listing("Admins", tuple(lines), args.text, page, empty="No admins.")


async def _change_admin(deps: Deps, user_id: str, args: CommandArgs) -> Notice:
    action = (args.optional_word(0) or "").lower()
    async with deps.sessions.begin() as session:
        await require_role(session, deps.settings, user_id, Role.ADMIN, "change admins")
        if action not in ("add", "remove"):
            raise UsageError(f"Usage: `{ADMIN_USAGE}`")
        who = args.user(0, f"/coach admin {action} @user")
        if action == "add":
            if not await add_admin(session, deps.settings, who, user_id):
                return Notice(f"<@{who}> is already an admin.")
            await schedule_home_refresh(session, [who])
            return Notice(
                f"<@{who}> is now an admin: they can run every `/coach` command and see "
                "the admin Home tab."
            )
        await remove_admin(session, deps.settings, who, user_id)
        await schedule_home_refresh(session, [who])
    return Notice(f"<@{who}> is no longer an admin.")


async def _channel(deps: Deps, user_id: str, args: CommandArgs) -> Notice:
    word = args.optional_word(0)
    action = "choose the trainer channel" if word else "see the trainer channel"
    async with deps.sessions.begin() as session:
        await require_role(session, deps.settings, user_id, Role.ADMIN, action)
        config = await workspace_config(session, deps.settings)
    if word is None:
        return Notice(build_trainer_channel_line(config.trainer_channel_id))
    channel = parse_channel(word)
    await _welcome(deps, channel, user_id)
    async with deps.sessions.begin() as session:
        old = await set_trainer_channel(session, deps.settings, channel, user_id)
    was = f" (instead of <#{old}>)" if old and old != channel else ""
    return Notice(
        f"Escalation cards now go to <#{channel}>{was}. Cards already posted stay where they "
        "are, and trainers reply in their threads as before."
    )


async def _welcome(deps: Deps, channel: str, by: str) -> None:
    """Post the welcome in ``channel``; a friendly refusal when Slack says the bot cannot."""
    try:
        slack = await deps.slack_client()
        await slack.chat_postMessage(channel=channel, text=build_trainer_channel_welcome(by))
    except SlackApiError as exc:
        error = str(exc.response.get("error") or "")
        if error not in _CANNOT_POST:
            raise  # Slack busy or unreachable: the command's task tries again
        log.info("trainer channel %s refused: %s", channel, error)
        raise UsageError(
            f"I can't post in <#{channel}> (Slack says `{error}`), so cards could not go there. "
            "Invite me first: in that channel, type `/invite @Coachbot` (or my name in your "
            "workspace), then run this command again."
        ) from None
