"""Why a thread goes to a human: each trigger is stored as data, with the value that fired it.

Triggers are stored as JSON objects (``Trigger.to_dict``) in ``escalations.triggers`` and read
back only through ``triggers_of``, which tolerates rows written by older releases.

Pre-answer triggers are checked on the learner's words alone, before any retrieval or LLM call:
a request for a human or a safety or wellbeing concern (``bot.escalation.intents``), too many
turns. Post-answer triggers need the answer: low confidence, the same learner struggling again
on the same lab, and a request or concern that the model saw and the detector did not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.coach.types import Answer, Intent
from bot.escalation.intents import (
    SAFETY_LABELS,
    Detection,
    IntentDetector,
    IntentKind,
    SafetyKind,
)
from store.models import Escalation


class TriggerKind(StrEnum):
    """What made a thread escalate."""

    LOW_CONFIDENCE = "low_confidence"
    HUMAN_REQUEST = "human_request"
    SAFETY = "safety"
    MAX_TURNS = "max_turns"
    LAB_STRUGGLE = "lab_struggle"
    MANUAL = "manual"
    # Never fired: what a stored kind this release does not know (or a missing one) reads as.
    UNKNOWN = "unknown"


TRIGGER_LABELS = {
    TriggerKind.LOW_CONFIDENCE: "Low confidence",
    TriggerKind.HUMAN_REQUEST: "Asked for a human",
    TriggerKind.SAFETY: "Safety or wellbeing concern",
    TriggerKind.MAX_TURNS: "Too many turns",
    TriggerKind.LAB_STRUGGLE: "Repeated lab struggle",
    TriggerKind.MANUAL: "Escalated by the learner",
    TriggerKind.UNKNOWN: "Other reason",
}


@dataclass(frozen=True)
class Trigger:
    """One reason to escalate, with the measured value and the threshold it crossed."""

    kind: TriggerKind
    detail: str
    value: float | int | str | None = None
    threshold: float | int | None = None
    # The kind as stored, kept when this release does not know it (``kind`` is then UNKNOWN).
    stored_kind: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON form stored in ``escalations.triggers``."""
        return {
            "kind": self.stored_kind or self.kind.value,
            "detail": self.detail,
            "value": self.value,
            "threshold": self.threshold,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Trigger:
        """Inverse of ``to_dict``; an unknown or missing kind (an old row) reads as UNKNOWN."""
        raw = data.get("kind")
        stored_kind = None
        try:
            kind = TriggerKind(str(raw))
        except ValueError:
            kind = TriggerKind.UNKNOWN
            stored_kind = str(raw) if raw else None
        return cls(
            kind,
            str(data.get("detail") or ""),
            data.get("value"),
            data.get("threshold"),
            stored_kind,
        )

    @property
    def label(self) -> str:
        """A short human name for the trigger."""
        if self.stored_kind:
            return f"Other ({self.stored_kind.replace('_', ' ')})"
        return TRIGGER_LABELS[self.kind]


def triggers_of(escalation: Escalation) -> list[Trigger]:
    """The triggers stored on an escalation row, oldest first."""
    return [Trigger.from_dict(data) for data in escalation.triggers or []]


_WORDS_LIMIT = 200  # of the learner's words quoted in a trigger's detail


def _quoted(words: str) -> str:
    words = " ".join(words.split())
    return words if len(words) <= _WORDS_LIMIT else words[: _WORDS_LIMIT - 1] + "…"


def intent_trigger(found: Detection) -> Trigger:
    """The trigger of a detected request for a person or safety concern, with its evidence."""
    how = "" if found.source == "rule" else f", {found.evidence}"
    if found.intent is IntentKind.SAFETY:
        label = SAFETY_LABELS[found.kind or SafetyKind.UNSPECIFIED]
        return Trigger(TriggerKind.SAFETY, f"{label}: “{_quoted(found.words)}”{how}", label)
    phrase = _quoted(found.words)
    return Trigger(TriggerKind.HUMAN_REQUEST, f"learner wrote “{phrase}”{how}", phrase)


async def pre_answer_triggers(
    text: str, *, detector: IntentDetector, learner_turns: int, max_turns: int
) -> list[Trigger]:
    """Triggers decided before answering; ``learner_turns`` includes the current message."""
    found = await detector.detect(text)
    fired = [intent_trigger(detection) for detection in found.fired()]
    if learner_turns >= max_turns:
        fired.append(
            Trigger(
                TriggerKind.MAX_TURNS,
                f"{learner_turns} learner messages in this thread",
                learner_turns,
                max_turns,
            )
        )
    return fired


def post_answer_triggers(
    answer: Answer, *, threshold: float, lab_struggles: int, struggle_threshold: int
) -> list[Trigger]:
    """Triggers decided from the answer; ``lab_struggles`` counts earlier struggles only."""
    fired: list[Trigger] = []
    if answer.confidence < threshold:
        fired.append(
            Trigger(
                TriggerKind.LOW_CONFIDENCE,
                f"confidence {answer.confidence:.2f} is below {threshold:.2f}",
                round(answer.confidence, 4),
                threshold,
            )
        )
    # The model judges every message it answers: a request or a concern the detector missed.
    if answer.intent is Intent.SAFETY:
        label = SAFETY_LABELS[SafetyKind.UNSPECIFIED]
        fired.append(Trigger(TriggerKind.SAFETY, f"{label}: the model read one", label))
    if answer.intent is Intent.HUMAN_REQUEST:
        fired.append(
            Trigger(TriggerKind.HUMAN_REQUEST, "the model read a request for a person", "model")
        )
    if answer.intent is Intent.LAB_STRUGGLE and answer.lab_id:
        struggles = lab_struggles + 1  # this question is a struggle too
        if struggles >= struggle_threshold:
            fired.append(
                Trigger(
                    TriggerKind.LAB_STRUGGLE,
                    f"struggling with lab {answer.lab_id} for the {_ordinal(struggles)} time",
                    struggles,
                    struggle_threshold,
                )
            )
    return fired


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
