"""The ``coachbot`` command: serve the bot, index course content, ask from the terminal."""

from __future__ import annotations

import logging
import sys

import typer

from bot.cli import ask, ingest, migrate, serve, tasks
from bot.errors import CoachbotError
from store.errors import DatabaseSetupError

app = typer.Typer(
    name="coachbot",
    help="An AI coach for online courses, in Slack, with human trainers as backup.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _root() -> None:
    """An AI coach for online courses, in Slack, with human trainers as backup."""


serve.register(app)
ingest.register(app)
tasks.register(app)
migrate.register(app)
ask.register(app)


def main() -> None:
    """Entry point: known errors end with one friendly line and exit code 2, never a traceback."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    try:
        app()
    except (CoachbotError, DatabaseSetupError) as exc:
        typer.secho(f"coachbot: {exc.user_message}", err=True, fg=typer.colors.RED)
        sys.exit(2)
