"""``coachbot ingest``: index a course folder of Markdown files."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer

from bot.cli.options import Verbose, WorkspaceOption
from bot.content.embeddings import create_embedder
from bot.content.indexer import CourseIndexer
from bot.content.plan import IngestResult
from bot.errors import CoachbotError
from bot.logging_setup import configure_cli_logging
from bot.runtime import open_configured_database
from bot.settings import Settings, load_settings
from bot.workspaces import in_workspace
from bot.workspaces.choice import choose_workspace
from store.errors import DatabaseSetupError


async def _ingest(
    settings: Settings,
    path: Path,
    slug: str,
    title: str | None,
    reembed: bool,
    workspace: str | None,
) -> IngestResult:
    embedder = create_embedder(settings)
    db = await open_configured_database(settings)
    try:
        indexer = CourseIndexer(
            db.sessions, embedder, progress=True, max_file_bytes=settings.ingest_max_file_bytes
        )
        with in_workspace(await choose_workspace(db.sessions, workspace)):
            return await indexer.ingest(path, slug, title=title, reembed=reembed)
    finally:
        await db.close()


def register(app: typer.Typer) -> None:
    """Add the ``ingest`` command."""

    @app.command()
    def ingest(
        path: Annotated[Path, typer.Argument(help="The course folder of Markdown files.")],
        course: Annotated[str, typer.Option("--course", help="The course slug, e.g. python-101.")],
        title: Annotated[
            str | None, typer.Option(help="Course title (default: from course.yml).")
        ] = None,
        reembed: Annotated[
            bool, typer.Option("--reembed", help="Re-embed every chunk, e.g. after a model change.")
        ] = False,
        workspace: WorkspaceOption = None,
        verbose: Verbose = False,
    ) -> None:
        """Index (or re-index) a course; unchanged content is not embedded again."""
        configure_cli_logging(verbose=verbose)
        try:
            settings = load_settings()
            result = asyncio.run(_ingest(settings, path, course, title, reembed, workspace))
        except (CoachbotError, DatabaseSetupError) as exc:
            # One friendly line instead of a traceback: these errors are the user's to fix.
            typer.secho(f"coachbot: {exc.user_message}", err=True, fg=typer.colors.RED)
            raise typer.Exit(2) from None
        typer.echo(f"{course}: {result.summary()} ({result.embedded} embedded).")
