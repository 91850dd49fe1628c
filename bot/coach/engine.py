"""The answer engine: retrieval, then the LLM or the offline answerer, with a confidence."""

from __future__ import annotations

from typing import Protocol

from bot.coach.llm_answerer import LLMAnswerer
from bot.coach.offline import OfflineAnswerer
from bot.coach.retrieval import Retriever
from bot.coach.types import Answer, HistoryTurn, Intent, RetrievedChunk
from bot.deps import Deps

NO_COURSE_ANSWER = "I could not find anything about this in your course material."


class ChunkSource(Protocol):
    """Anything that finds course chunks for a question (the Retriever in production)."""

    async def retrieve(self, course_id: int, question: str, k: int) -> list[RetrievedChunk]:
        """The ``k`` nearest chunks of the course."""
        ...


class Answerer(Protocol):
    """Turns a question and its passages into an Answer."""

    async def answer(
        self, question: str, history: list[HistoryTurn], retrieved: list[RetrievedChunk]
    ) -> Answer:
        """Answer from the passages."""
        ...


class AnswerEngine:
    """Answers a question from one course's content; opens no transaction around the LLM."""

    def __init__(self, deps: Deps, *, retriever: ChunkSource | None = None) -> None:
        self._settings = deps.settings
        self._retriever = retriever or Retriever(deps.sessions, deps.embedder)
        self._answerer: Answerer = (
            LLMAnswerer(deps.llm, deps.settings.chat_model)
            if deps.llm is not None
            else OfflineAnswerer()
        )

    async def answer(
        self, course_id: int | None, question: str, history: list[HistoryTurn]
    ) -> Answer:
        """Retrieve the course's best chunks and answer from them."""
        retrieved: list[RetrievedChunk] = []
        if course_id is not None:
            retrieved = await self._retriever.retrieve(
                course_id, question, self._settings.retrieval_top_k
            )
        if not retrieved:
            # Nothing to ground an answer in: asking the model would only invite invention.
            return Answer(
                text=NO_COURSE_ANSWER,
                references=[],
                confidence=0.0,
                confidence_signals={"retrieval": 0.0},
                grounded=False,
                intent=Intent.OUT_OF_SCOPE,
                model="none",
            )
        return await self._answerer.answer(question, history, retrieved)
