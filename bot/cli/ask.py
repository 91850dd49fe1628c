"""``coachbot ask``: answer a question in the terminal with the same engine as in Slack."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from bot.cli.options import Verbose, WorkspaceOption
from bot.coach.coaching import course_mode
from bot.coach.engine import AnswerEngine
from bot.coach.types import Answer
from bot.deps import Deps
from bot.errors import CoachbotError, NotFound, UsageError
from bot.logging_setup import configure_cli_logging
from bot.runtime import close_deps, open_deps
from bot.settings import Settings, load_settings
from bot.workspaces import in_workspace
from bot.workspaces.choice import choose_workspace
from store.errors import DatabaseSetupError
from store.repositories.content import CourseRepository


async def _ask(settings: Settings, question: str, slug: str, workspace: str | None) -> Answer:
    deps = await open_deps(settings)
    try:
        with in_workspace(await choose_workspace(deps.sessions, workspace)):
            return await _answer(deps, settings, question, slug)
    finally:
        await close_deps(deps)


async def _answer(deps: Deps, settings: Settings, question: str, slug: str) -> Answer:
    async with deps.sessions.begin() as session:
        course = await CourseRepository(session).by_slug(slug)
        course_id = course.id if course is not None else None
        mode = course_mode(course.coaching_mode if course else None, settings)
    if course_id is None:
        raise NotFound(f"There is no course {slug!r}: index it first with coachbot ingest.")
    return await AnswerEngine(deps).answer(course_id, question, [], coaching=mode)


def render(answer: Answer, threshold: float) -> str:
    """The answer as terminal text: body, references, confidence and model."""
    lines = [answer.text, ""]
    if answer.references:
        lines.append("References:")
        labels = dict.fromkeys(ref.location.label() for ref in answer.references)
        lines += [f"  - {label}" for label in labels]
    verdict = "would be posted" if answer.confidence >= threshold else "would escalate"
    lines.append(f"Confidence: {answer.confidence:.2f} ({verdict}; threshold {threshold:.2f})")
    lines.append(f"Intent: {answer.intent.value}  Model: {answer.model}")
    if answer.prompt_tokens or answer.completion_tokens:
        lines.append(f"Tokens: {answer.prompt_tokens} in, {answer.completion_tokens} out")
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    """Add the ``ask`` command."""

    @app.command()
    def ask(
        question: Annotated[str, typer.Argument(help="The question, in quotes.")],
        course: Annotated[str, typer.Option("--course", help="The course slug, e.g. python.")],
        workspace: WorkspaceOption = None,
        verbose: Verbose = False,
    ) -> None:
        """Answer a question from a course's content, as the coach would in Slack."""
        configure_cli_logging(verbose=verbose)
        try:
            if not question.strip():
                raise UsageError('Please give a question, e.g. coachbot ask "What is a list?".')
            settings = load_settings()
            answer = asyncio.run(_ask(settings, question.strip(), course, workspace))
        except (CoachbotError, DatabaseSetupError) as exc:
            typer.secho(f"coachbot: {exc.user_message}", err=True, fg=typer.colors.RED)
            raise typer.Exit(2) from None
        typer.echo(render(answer, settings.escalation_confidence_threshold))
