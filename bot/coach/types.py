"""Value types passed between retrieval, answering, escalation and rendering."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from bot.content.location import Location


class Intent(StrEnum):
    """What the learner wanted, as the answerer judged it."""

    COURSE_CONTENT = "course_content"
    NAVIGATION = "navigation"
    LAB_GUIDANCE = "lab_guidance"
    LAB_STRUGGLE = "lab_struggle"
    OUT_OF_SCOPE = "out_of_scope"
    # Either one escalates the thread after answering (bot.escalation.triggers).
    HUMAN_REQUEST = "human_request"
    SAFETY = "safety"


@dataclass(frozen=True)
class RetrievedChunk:
    """A chunk found for a question, with its cosine distance (0 = identical).

    ``distance`` is always the chunk's cosine distance to the question, however it was found.
    The ranks (1 = first) say where vector and full-text search placed it, None when that search
    did not return it; ``fused_score`` is what the results are ordered by.
    """

    chunk_id: int
    course_id: int
    text: str
    location: Location
    source_path: str
    distance: float
    vector_rank: int | None = None
    text_rank: int | None = None
    text_score: float = 0.0  # ts_rank_cd of the full-text match, 0 when text search missed it
    fused_score: float = 0.0
    # Cosine similarity of the question to the chunk's closest sentence or code example, set by
    # the answer engine for the top passages (``bot.coach.sentences``); None when not measured.
    sentence_similarity: float | None = None
    # Set by ``bot.coach.rerank`` on the passages it put in order: their order already weighs
    # each one's searches and closest sentence, so the answer need not choose among them again.
    reranked: bool = False

    @property
    def similarity(self) -> float:
        """Cosine similarity in [-1, 1]."""
        return 1.0 - self.distance


@dataclass(frozen=True)
class Reference:
    """Where in the course an answer comes from."""

    chunk_id: int
    location: Location
    source_path: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for storage."""
        return {
            "chunk_id": self.chunk_id,
            "location": self.location.to_dict(),
            "source_path": self.source_path,
            "label": self.location.label(),
        }


@dataclass(frozen=True)
class HistoryTurn:
    """An earlier message of the thread, given to the model as context."""

    role: str  # "learner" | "assistant" | "trainer"
    text: str


@dataclass(frozen=True)
class Answer:
    """The coach's answer before it is stored and posted."""

    text: str
    references: list[Reference]
    confidence: float
    confidence_signals: dict[str, float]
    grounded: bool
    intent: Intent
    model: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_ms: int = 0
    lab_id: str | None = None
    retrieved: list[RetrievedChunk] = field(default_factory=list)
    # The answerer's own judgement of its answer (a model's grounding), when it has one: it may
    # lower the confidence, and raise it only a little (``bot.coach.answerability.combine``).
    self_report: float | None = None

    @property
    def word_count(self) -> int:
        """Words in the answer text."""
        return len(self.text.split())
