"""What the intent detector reports: which concern fired, of what kind, and on what evidence."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class IntentKind(StrEnum):
    """A reason, found in the learner's own words, to hand a thread to a person."""

    HUMAN_REQUEST = "human_request"
    SAFETY = "safety"


class SafetyKind(StrEnum):
    """The kind of safety or wellbeing concern (the evaluation set's ``kind`` values)."""

    SELF_HARM = "self_harm"
    HOPELESSNESS = "hopelessness"
    THREAT = "threat"  # the learner threatens to harm someone
    HARASSMENT = "harassment"  # the learner is harassed
    ABUSE = "abuse"  # violence or control at home
    MEDICAL = "medical"  # an emergency now
    LEGAL = "legal"  # arrested, sued: rules only, no examples
    UNSPECIFIED = "unspecified"  # the model said "safety" without a kind


# Shown to trainers and stored as the trigger's value (older releases stored these words).
SAFETY_LABELS = {
    SafetyKind.SELF_HARM: "self-harm",
    SafetyKind.HOPELESSNESS: "hopelessness",
    SafetyKind.THREAT: "threat",
    SafetyKind.HARASSMENT: "harassment",
    SafetyKind.ABUSE: "abuse",
    SafetyKind.MEDICAL: "medical emergency",
    SafetyKind.LEGAL: "legal emergency",
    SafetyKind.UNSPECIFIED: "wellbeing concern",
}


@dataclass(frozen=True)
class Detection:
    """One concern found in a message.

    ``score`` is 1.0 for a rule and the winning similarity for an example match; ``evidence``
    names the rule or quotes the example; ``words`` is the part of the message that fired.
    """

    intent: IntentKind
    source: str  # "rule" | "similarity"
    score: float
    evidence: str
    words: str
    kind: SafetyKind | None = None


@dataclass(frozen=True)
class Detected:
    """What the detector found in one message: at most one detection per intent."""

    human_request: Detection | None = None
    safety: Detection | None = None

    def fired(self) -> list[Detection]:
        """The detections, safety first (it is the more urgent)."""
        return [d for d in (self.safety, self.human_request) if d is not None]
