"""The CSV export and the stats chart reach the caller's DM once, however often they are asked.

A Slack retry repeats the request (and its trigger_id), an admin may send the same command twice,
and a task may run again after a crash that came before it was marked done.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text

from tests.harness import BotHarness
from tests.scenario.test_commands import add_course, run, shown
from tests.scenario.test_home import add_escalation


async def rerun_admin_tasks(bot: BotHarness) -> None:
    """Run every finished admin task again, as after a crash just before it was marked done."""
    async with bot.deps.db.engine.begin() as conn:
        await conn.execute(
            text(
                "UPDATE tasks SET status = 'pending', run_at = now(), finished_at = NULL, "
                "locked_by = NULL, locked_until = NULL "
                "WHERE kind LIKE 'admin.%' AND status = 'done'"
            )
        )
    await bot.drain()


def shared_files(bot: BotHarness, user: str) -> list[dict[str, Any]]:
    """Files shared in the bot's DM with ``user``."""
    dm = bot.slack.dm_channel_id(user)
    return [f for m in bot.slack.messages(dm) for f in m.get("files", [])]


async def test_a_retried_stats_command_and_rerun_tasks_share_one_chart(bot: BotHarness) -> None:
    course_id = await add_course(bot)
    await add_escalation(bot, course_id, "UL1", "First")
    request = bot.command_body("UADMIN", "stats 14")
    assert (await bot.command("UADMIN", "", body=request))[0] == 200
    assert (await bot.command("UADMIN", "", body=request, retry_num=1))[0] == 200
    await bot.drain()

    await rerun_admin_tasks(bot)

    [chart] = shared_files(bot, "UADMIN")
    assert chart["name"].endswith(".png")
    assert len(bot.slack.calls_to("files.completeUploadExternal")) == 1
    assert bot.slack.errors == []


async def test_a_retried_export_and_rerun_tasks_share_one_csv(bot: BotHarness) -> None:
    course_id = await add_course(bot)
    await add_escalation(bot, course_id, "UL1", "First")
    request = bot.command_body("UADMIN", "export 7")
    assert (await bot.command("UADMIN", "", body=request))[0] == 200
    assert (await bot.command("UADMIN", "", body=request, retry_num=1))[0] == 200
    await bot.drain()

    await rerun_admin_tasks(bot)

    [csv_file] = shared_files(bot, "UADMIN")
    assert csv_file["name"].endswith(".csv")
    assert len(bot.slack.calls_to("files.completeUploadExternal")) == 1
    assert bot.slack.errors == []


async def test_the_same_export_run_twice_in_a_row_shares_one_csv(bot: BotHarness) -> None:
    course_id = await add_course(bot)
    await add_escalation(bot, course_id, "UL1", "First")
    for command in ("export 7", "export 7", "export 30"):
        reply = await run(bot, "UADMIN", command)
        assert "CSV" in shown(reply)
    await bot.drain()
    names = sorted(f["name"] for f in shared_files(bot, "UADMIN"))
    # The second export 7 is the first one again; export 30 is another file.
    assert [name.rsplit("-", 1)[1] for name in names] == ["30d.csv", "7d.csv"]
