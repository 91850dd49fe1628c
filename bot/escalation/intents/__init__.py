"""Recognising, by meaning, a learner's request for a person and a safety concern."""

from bot.escalation.intents.detector import IntentDetector, Thresholds, detector_for
from bot.escalation.intents.kinds import (
    SAFETY_LABELS,
    Detected,
    Detection,
    IntentKind,
    SafetyKind,
)

__all__ = [
    "SAFETY_LABELS",
    "Detected",
    "Detection",
    "IntentDetector",
    "IntentKind",
    "SafetyKind",
    "Thresholds",
    "detector_for",
]
