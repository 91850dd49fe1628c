"""Why a thread goes to a human: each trigger is stored as data, with the value that fired it.

Triggers are stored as JSON objects (``Trigger.to_dict``) in ``escalations.triggers`` and read
back only through ``triggers_of``, which tolerates rows written by older releases.

Pre-answer triggers are checked on the learner's words alone, before any retrieval or LLM call:
a request for a human, a safety or wellbeing concern, too many turns. Post-answer triggers need
the answer: low confidence and the same learner struggling again on the same lab.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.coach.types import Answer, Intent
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


_ARTICLES = r"(?:(?:a|an|the|my|our|some|your|one\s+of\s+the|real|actual|live|human)\s+)*"
_STAFF = (
    r"(?:human(?:\s+being)?|trainer|instructor|teacher|tutor|mentor|staff(?:\s+member)?|"
    r"agent|operator|representative|support\s+team|real\s+person|actual\s+person)"
)
_ANYONE = rf"(?:{_STAFF}|person|people|someone|somebody|anyone|anybody)"
_HUMAN_REQUEST = [
    # "talk to a real person", "speak with someone", "chat with my trainer"
    re.compile(
        r"\b(?:talk|speak|chat|write|get\s+in\s+touch|be\s+put\s+through|be\s+connected)\s+"
        rf"(?:to|with)\s+{_ARTICLES}{_ANYONE}\b",
        re.IGNORECASE,
    ),
    # "I want my trainer", "need a human", "connect me to an instructor"
    re.compile(
        r"\b(?:contact|reach|need|want|request|ask\s+for|get\s+me|connect\s+me\s+(?:to|with)|"
        r"put\s+me\s+through\s+to|transfer\s+me\s+to|hand\s+(?:me|this)\s+(?:over\s+)?to|"
        rf"escalate\s+(?:this\s+|me\s+)?to)\s+{_ARTICLES}{_STAFF}\b",
        re.IGNORECASE,
    ),
    re.compile(r"\b(?:real|actual|live)\s+(?:human|person|trainer|people)\b", re.IGNORECASE),
    re.compile(r"\bhuman\s+(?:please|pls|help)\b|\bnot\s+(?:a|the)\s+bot\b", re.IGNORECASE),
    re.compile(r"\b(?:is|are)\s+(?:there|you)\s+(?:a\s+)?(?:human|real)\b", re.IGNORECASE),
    re.compile(r"\b(?:please\s+escalate|escalate\s+(?:this|me|it)\b)", re.IGNORECASE),
]
# Nouns like "human" also appear in code talk ("a human-readable format", "person.name"):
# a match followed by one of these characters is not a request for a person.
_CODE_AFTER = re.compile(r"^[-.(\[_]")

# Wording for each concern; kept specific so programming talk ("kill the process", "the
# thread died") does not match.
_SAFETY: list[tuple[str, re.Pattern[str]]] = [
    (
        "self-harm",
        re.compile(
            r"\b(?:kill(?:ing)?\s+my\s*self|suicid\w*|self[-\s]?harm\w*|hurt(?:ing)?\s+my\s*self|"
            r"end(?:ing)?\s+(?:it\s+all|my\s+life)|(?:want|going)\s+to\s+die|"
            r"no\s+reason\s+to\s+live|cut(?:ting)?\s+my\s*self)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "harassment",
        re.compile(
            r"\b(?:harass\w*|bull(?:y|ied|ying)|stalk(?:ed|ing)|sexual\w*\s+(?:comments?|advances?)|"
            r"threaten(?:ed|ing)\s+me|(?:being|been|was)\s+abused|abusive)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "threat",
        re.compile(
            r"\b(?:(?:i(?:'ll|\s+will|\s+am\s+going\s+to|'m\s+going\s+to|\s+want\s+to))\s+"
            r"(?:kill|hurt|shoot|stab|attack|beat\s+up)\s+(?:you|him|her|them|someone|somebody|"
            r"everyone|everybody|people|my\s+\w+)|bomb\s+threat|bring\s+a\s+(?:gun|weapon))\b",
            re.IGNORECASE,
        ),
    ),
    (
        "medical emergency",
        re.compile(
            r"\b(?:medical\s+emergency|heart\s+attack|chest\s+pains?|can(?:'?t|not)\s+breathe|"
            r"overdos\w*|seizure|unconscious|call(?:ing)?\s+(?:an\s+)?ambulance|"
            r"bleeding\s+(?:badly|heavily|a\s+lot)|passed\s+out|fainted)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "legal emergency",
        re.compile(
            r"\b(?:legal\s+emergency|been\s+arrested|got\s+arrested|police\s+(?:are|came|called)|"
            r"(?:being|been|getting)\s+sued|lawsuit|need\s+a\s+lawyer)\b",
            re.IGNORECASE,
        ),
    ),
]


def asks_for_human(text: str) -> str | None:
    """The phrase with which the learner asks for a person, or None."""
    for pattern in _HUMAN_REQUEST:
        for match in pattern.finditer(text):
            if not _CODE_AFTER.match(text[match.end() :]):
                return match.group(0)
    return None


def safety_concern(text: str) -> tuple[str, str] | None:
    """The kind of concern and the words that raised it, or None."""
    for category, pattern in _SAFETY:
        match = pattern.search(text)
        if match:
            return category, match.group(0)
    return None


def pre_answer_triggers(text: str, *, learner_turns: int, max_turns: int) -> list[Trigger]:
    """Triggers decided before answering; ``learner_turns`` includes the current message."""
    fired: list[Trigger] = []
    concern = safety_concern(text)
    if concern is not None:
        category, words = concern
        fired.append(Trigger(TriggerKind.SAFETY, f"{category}: “{words}”", category))
    phrase = asks_for_human(text)
    if phrase is not None:
        fired.append(Trigger(TriggerKind.HUMAN_REQUEST, f"learner wrote “{phrase}”", phrase))
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
