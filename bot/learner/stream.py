"""Streaming a confident answer into the learner's thread, so it reads as it is written.

Nothing is shown before the decision: the engine streams the model's judgement before its text
(``bot.coach.streaming``), so the answer's final confidence, intent and lab are known first, and
the same policy that decides a whole answer (``bot.learner.decision``) decides here, with the
learner's earlier struggles on the lab. Only an answer that will be posted is streamed; a weak
one, a safety concern or a request for a person is never started, and is buffered and stored as
before. A reply that puts its answer before its judgement is buffered too.

Exactly once. An ``answer_streams`` row for the learner's message is inserted (and committed)
before ``chat.startStream`` is called, and the ``ts`` Slack returns is stored at once, in a short
transaction of its own. The answer is then stored as usual (``bot.learner.answers``), and instead
of a ``chat.postMessage`` that transaction enqueues the stream's finish (``stream_finish``):
``chat.stopStream`` with the rest of the text, the references, confidence and buttons, and the
outbox's metadata; or, when what was shown is not the whole answer, stop and ``chat.update`` to
the complete answer. A run of the task that finds a row from an earlier run (the process died
mid-stream, or another process holds the lease) does not stream again: it answers at once, and
its stored answer replaces that message. So the learner ends with one complete message.

Slack's pace: ``bot.learner.stream_appender``.

Fallback. Without a model, with ``STREAM_ANSWERS=false``, or once Slack refused
``chat.startStream`` (``unknown_method``, ``not_allowed``, a plan without the feature...) the
answer is posted whole through the outbox; a refusal is remembered for the process and logged
once. A 429 or network error at the start falls back for that answer only.

Cancellation. If the answering is cancelled (or fails) while the stream is open, the stream is
stopped with what it already shows, shielded from the cancellation, and the error goes on.

The three methods are called directly rather than through slack_sdk's ``chat_stream`` helper,
which starts the stream lazily inside ``append`` and appends ``chunks`` without the
``markdown_text`` the reference requires: here the ts is stored the moment Slack returns it.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import aclosing

from bot.blocks.answer import to_stream_markdown
from bot.coach.engine import AnswerEngine
from bot.coach.personas import PersonaView, persona_for
from bot.coach.streaming import Done, Judged, Text
from bot.coach.types import Answer
from bot.deps import Deps
from bot.inbox import InboundMessage
from bot.learner.answers import Policy
from bot.learner.decision import Outcome
from bot.learner.stream_appender import (
    MARKDOWN_TEXT_LIMIT,
    UNKNOWN_OUTCOME,
    Appender,
)
from bot.learner.stream_finish import Shown
from bot.learner.stream_orphans import adopt_orphan
from bot.learner.turn import Turn
from bot.slack_auth import SlackRefused
from bot.tasks.kinds import PermanentFailure, RetryLater
from bot.tasks.slack_calls import call_slack
from store.repositories.conversations import QueryRepository
from store.repositories.streams import AnswerStreamRepository

log = logging.getLogger(__name__)

STOP_TIMEOUT = 10.0  # seconds a cancelled stream may take to stop


class _LiveStream:
    """One answer's stream: claimed, started on the first text, appended, closed."""

    def __init__(self, deps: Deps, message: InboundMessage, turn: Turn) -> None:
        self._deps, self._message, self._turn = deps, message, turn
        self._stream_id: int | None = None
        self._persona: PersonaView | None = None
        self._ts: str | None = None
        self._appender: Appender | None = None
        self.failed = False

    @property
    def claimed(self) -> bool:
        return self._stream_id is not None

    async def claim_if_posted(self, judged: Answer, policy: Policy) -> None:
        """Decide on the judged answer; claim the stream only if it will be posted."""
        message, turn = self._message, self._turn
        async with self._deps.sessions.begin() as session:
            queries = QueryRepository(session)
            struggles = (
                await queries.count_lab_struggles(message.user_id, judged.lab_id)
                if judged.lab_id
                else 0
            )
            if policy(judged, struggles).outcome is not Outcome.POST:
                return
            if turn.course_id is not None:
                self._persona = await persona_for(session, turn.course_id, message.user_id)
            row = await AnswerStreamRepository(session).claim(
                turn.message_id, message.channel_id, message.root_ts
            )
            self._stream_id = None if row is None else row.id

    async def add(self, text: str) -> None:
        """Show more text: the first piece starts the stream."""
        if self._stream_id is None or self.failed:
            return
        if self._appender is not None:
            self._appender.add(to_stream_markdown(text))
            return
        await self._start(to_stream_markdown(text))

    async def _start(self, first: str) -> None:
        assert self._stream_id is not None
        deps, message = self._deps, self._message
        args: dict[str, object] = {
            "channel": message.channel_id,
            "thread_ts": message.root_ts,
            "markdown_text": first[:MARKDOWN_TEXT_LIMIT],
        }
        if self._persona is not None:
            args["username"] = self._persona.name
            if self._persona.icon_url:
                args["icon_url"] = self._persona.icon_url
        try:
            started = await call_slack(deps, "chat.startStream", args)
        except PermanentFailure as exc:
            if deps.streaming.refuse(str(exc)):
                log.warning("Slack refused to stream (%s): answers are posted whole", exc)
            await self._give_up()
            return
        except (RetryLater, SlackRefused) as exc:
            log.info("could not start a stream, posting the answer whole: %r", exc)
            await self._give_up()
            return
        except UNKNOWN_OUTCOME as exc:
            # The stream may have started: if it did, the finish replaces it with the answer.
            log.info("chat.startStream may have started a stream: %r", exc)
            self.failed = True
            await adopt_orphan(deps, message, self._stream_id)
            return
        self._ts = str(started["ts"])
        async with deps.sessions.begin() as session:
            await AnswerStreamRepository(session).set_ts(self._stream_id, self._ts)
        self._appender = Appender(deps, message.channel_id, self._ts)
        self._appender.shown = first[:MARKDOWN_TEXT_LIMIT]
        if len(first) > MARKDOWN_TEXT_LIMIT:
            self._appender.add(first[MARKDOWN_TEXT_LIMIT:])

    async def _give_up(self) -> None:
        """No stream was started: drop the claim so the answer is posted whole."""
        self.failed = True
        if self._stream_id is not None:
            async with self._deps.sessions.begin() as session:
                await AnswerStreamRepository(session).forget(self._stream_id)
            self._stream_id = None

    async def close(self) -> Shown | None:
        """What the stream showed, once appending stopped; None if it never started."""
        if self._appender is None or self._ts is None or self._stream_id is None:
            await self._give_up()
            return None
        await self._appender.close()
        appender = self._appender
        return Shown(
            self._stream_id, self._message.channel_id, self._ts, appender.shown, appender.intact
        )

    async def abandon(self) -> None:
        """Stop an open stream with what it shows (after a cancellation or an error)."""
        if self._appender is None or self._ts is None:
            await self._give_up()
            return
        await self._appender.close()
        args = {"channel": self._message.channel_id, "ts": self._ts}
        try:
            async with asyncio.timeout(STOP_TIMEOUT):
                await call_slack(self._deps, "chat.stopStream", args)
        except (PermanentFailure, RetryLater, SlackRefused, *UNKNOWN_OUTCOME) as exc:
            log.info("could not stop stream %s: %r; its re-run will replace it", self._ts, exc)


async def answer_streaming(
    deps: Deps, message: InboundMessage, turn: Turn, policy: Policy, images: list[str]
) -> tuple[Answer, Shown | None]:
    """The answer (``images`` go with the question), streamed into the thread when it will be
    posted and streaming is possible; with what the stream showed, for ``store_answer``."""
    engine = AnswerEngine(deps)

    async def at_once() -> tuple[Answer, None]:
        answer = await engine.answer(
            turn.course_id,
            message.text,
            turn.history,
            threshold=turn.threshold,
            coaching=turn.coaching,
            images=images,
        )
        return answer, None

    if not (deps.settings.stream_answers and engine.streams and deps.streaming.available):
        return await at_once()
    async with deps.sessions.begin() as session:
        earlier = await AnswerStreamRepository(session).for_message(turn.message_id)
    if earlier is not None:
        # An earlier run streamed (and died): answer at once; the stored answer replaces it.
        if earlier.ts is None and earlier.finished_at is None:
            await adopt_orphan(deps, message, earlier.id)
        return await at_once()
    live = _LiveStream(deps, message, turn)
    answer: Answer | None = None
    stream = engine.stream(
        turn.course_id,
        message.text,
        turn.history,
        threshold=turn.threshold,
        coaching=turn.coaching,
        images=images,
    )
    try:
        async with aclosing(stream) as events:
            async for event in events:
                if isinstance(event, Judged):
                    await live.claim_if_posted(event.answer, policy)
                elif isinstance(event, Text):
                    await live.add(event.text)
                elif isinstance(event, Done):
                    answer = event.answer
    except BaseException:
        await asyncio.shield(live.abandon())
        raise
    assert answer is not None
    return answer, await live.close()
