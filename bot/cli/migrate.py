"""``coachbot migrate``: bring the database schema to the latest revision, then exit."""

from __future__ import annotations

import asyncio

import typer

from bot.cli.options import Verbose
from bot.errors import CoachbotError
from bot.logging_setup import configure_cli_logging
from bot.runtime import open_configured_database
from bot.settings import Settings, load_settings
from store.errors import DatabaseSetupError


async def _migrate(settings: Settings) -> None:
    db = await open_configured_database(settings)
    await db.close()


def register(app: typer.Typer) -> None:
    """Add the ``migrate`` command."""

    @app.command()
    def migrate(verbose: Verbose = False) -> None:
        """Migrate the database and exit (a one-shot step before starting several replicas)."""
        configure_cli_logging(verbose=verbose)
        try:
            asyncio.run(_migrate(load_settings()))
        except (CoachbotError, DatabaseSetupError) as exc:
            typer.secho(f"coachbot: {exc.user_message}", err=True, fg=typer.colors.RED)
            raise typer.Exit(2) from None
        typer.echo("coachbot: the database schema is up to date.")
