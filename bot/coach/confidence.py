"""The one place where an answer's confidence is computed, for the LLM and offline answerers.

Inputs (all clamped to [0, 1]):

    retrieval  how close the best chunk is:  (top_similarity - FLOOR) / (CEILING - FLOOR)
    margin     how clearly it stands out:     (top_similarity - second_similarity) / MARGIN_SPAN
    coverage   how much of what the answerer cited was really retrieved:
               cited ids found in the retrieved set / cited ids (0 when nothing is cited)
    grounding  the answerer's own judgement: the model's ``grounding_score`` (capped at
               UNGROUNDED_CAP when it says the answer is not grounded), or the offline
               answerer's lexical overlap between question and passages

    confidence = 0.25 * retrieval + 0.05 * margin + 0.25 * coverage + 0.45 * grounding

then capped at OUT_OF_SCOPE_CAP when the intent is out_of_scope, and 0 when nothing was
retrieved. Grounding weighs most because only the answerer read the passages against the
question; retrieval alone cannot tell a near-miss from a hit, so retrieval and margin together
(at most 0.30) never reach the default escalation threshold of 0.40 without cited, grounded text.
With a single retrieved chunk the margin is undefined and counts as 0.5. The signals are stored
with every response so the weights can be re-tuned from real feedback.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.coach.types import Intent, RetrievedChunk

FLOOR = 0.15
CEILING = 0.65
MARGIN_SPAN = 0.10
UNGROUNDED_CAP = 0.25
OUT_OF_SCOPE_CAP = 0.20
WEIGHTS = {"retrieval": 0.25, "margin": 0.05, "coverage": 0.25, "grounding": 0.45}


@dataclass(frozen=True)
class Confidence:
    """A confidence in [0, 1] and the signals it was computed from."""

    value: float
    signals: dict[str, float]


def _clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


def compute_confidence(
    retrieved: list[RetrievedChunk],
    *,
    cited_ids: list[int],
    grounded: bool,
    grounding_score: float,
    intent: Intent,
) -> Confidence:
    """Combine retrieval and grounding signals into one confidence (see the module docstring)."""
    if not retrieved:
        return Confidence(0.0, {"retrieval": 0.0, "margin": 0.0, "coverage": 0.0, "grounding": 0.0})
    similarities = sorted((chunk.similarity for chunk in retrieved), reverse=True)
    top = similarities[0]
    margin = _clamp((top - similarities[1]) / MARGIN_SPAN) if len(similarities) > 1 else 0.5
    retrieved_ids = {chunk.chunk_id for chunk in retrieved}
    cited = set(cited_ids)
    grounding = _clamp(grounding_score)
    if not grounded:
        grounding = min(grounding, UNGROUNDED_CAP)
    signals = {
        "retrieval": _clamp((top - FLOOR) / (CEILING - FLOOR)),
        "margin": margin,
        "coverage": len(cited & retrieved_ids) / len(cited) if cited else 0.0,
        "grounding": grounding,
    }
    value = sum(WEIGHTS[name] * signals[name] for name in WEIGHTS)
    if intent is Intent.OUT_OF_SCOPE:
        value = min(value, OUT_OF_SCOPE_CAP)
    rounded = {name: round(signal, 4) for name, signal in signals.items()}
    rounded["top_similarity"] = round(top, 4)
    return Confidence(round(_clamp(value), 4), rounded)
