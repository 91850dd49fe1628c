"""``coachbot tasks``: the durable queue at a glance, failed deliveries, and retrying them."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from typing import Annotated

import typer

from bot.cli.options import Verbose
from bot.clock import Clock
from bot.errors import NotFound
from bot.logging_setup import configure_cli_logging
from bot.runtime import open_configured_database
from bot.settings import Settings, load_settings
from bot.workspaces import across_workspaces
from store.database import Database
from store.repositories.failed_tasks import FailedTaskRepository

# A retried task gets this long again before it is given up on.
RETRY_WINDOW = timedelta(hours=6)


async def _show(settings: Settings, failed: bool, limit: int) -> None:
    db = await open_configured_database(settings)
    try:
        # The queue is the deployment's: every workspace's tasks are listed.
        with across_workspaces():
            await _list(db, failed, limit)
    finally:
        await db.close()


async def _list(db: Database, failed: bool, limit: int) -> None:
    async with db.sessions() as session:
        tasks = FailedTaskRepository(session)
        counts = await tasks.counts_by_status()
        typer.echo("tasks: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
        if not failed:
            return
        rows = await tasks.failed(limit=limit)
    if not rows:
        typer.echo("No failed tasks.")
    for task in rows:
        what = task.payload.get("method") or task.kind
        args = task.payload.get("args") or {}
        target = args.get("channel") or task.payload.get("channel_id") or ""
        typer.echo(
            f"#{task.id} {task.kind} {what} {target} attempts={task.attempts} "
            f"failed_at={task.finished_at:%Y-%m-%d %H:%M} "
            f"admins_alerted={'yes' if task.alerted_at else 'no'}\n"
            f"    {task.last_error or ''}\n"
            f"    {json.dumps(args, default=str)[:200]}"
        )


async def _retry(settings: Settings, task_id: int | None) -> None:
    """Queue one failed task again, or every one when ``task_id`` is None."""
    db = await open_configured_database(settings)
    try:
        with across_workspaces():
            count = await _requeue(db, task_id)
        if task_id is not None:
            typer.echo(f"Task #{task_id} is queued again; a running bot will pick it up.")
        elif count:
            typer.echo(f"{count} failed tasks are queued again; a running bot will pick them up.")
        else:
            typer.echo("No failed tasks.")
    finally:
        await db.close()


async def _requeue(db: Database, task_id: int | None) -> int:
    async with db.sessions.begin() as session:
        failed = FailedTaskRepository(session)
        if task_id is None:
            return await failed.requeue_all_failed(Clock().now(), extend=RETRY_WINDOW)
        if not await failed.requeue_failed(task_id, Clock().now(), extend=RETRY_WINDOW):
            raise NotFound(f"There is no failed task #{task_id} (see `coachbot tasks --failed`).")
        return 1


def register(app: typer.Typer) -> None:
    """Add the ``tasks`` command."""

    @app.command()
    def tasks(
        failed: Annotated[bool, typer.Option("--failed", help="List tasks given up on.")] = False,
        retry: Annotated[
            int | None, typer.Option("--retry", help="Queue a failed task again by id.")
        ] = None,
        retry_failed: Annotated[
            bool, typer.Option("--retry-failed", help="Queue every failed task again.")
        ] = False,
        limit: Annotated[int, typer.Option(help="How many failed tasks to list.")] = 50,
        verbose: Verbose = False,
    ) -> None:
        """Show the task queue; list failed Slack deliveries; retry them once fixed."""
        configure_cli_logging(verbose=verbose)
        settings = load_settings()
        if retry is not None and retry_failed:
            raise typer.BadParameter("Give either --retry ID or --retry-failed, not both.")
        if retry is not None or retry_failed:
            asyncio.run(_retry(settings, retry))
        else:
            asyncio.run(_show(settings, failed, limit))
