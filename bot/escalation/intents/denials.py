"""What a message says against a request for a person: that the learner wants none ("i dont
need a human"), will reach one themselves ("i'll ask my mentor tomorrow"), or already has ("i
asked my trainer yesterday and she said..."). Such words read close to a request, by rule or by
similarity, and must not count as one."""

from __future__ import annotations

import re

from bot.escalation.intents.words import ANYONE, ARTICLES

# The learner will reach the person themselves, at a time they name or on their own: "i'll ask
# my mentor tomorrow", "i will talk to my trainer about it on monday". Without that ("ok, i'll
# talk to a trainer then") it may well accept the offer of one, so it stays a request.
_SELF_ARRANGED = re.compile(
    r"\b(?:i'?ll|i\s+will|i'?m\s+(?:going\s+to|gonna)|i\s+am\s+(?:going\s+to|gonna))\s+"
    r"(?:just\s+|probably\s+)?"
    r"(?:ask|message|email|text|ping|call|see|contact|check\s+with|talk\s+to|speak\s+to)\s+"
    rf"{ARTICLES}{ANYONE}\b(?:\s+[\w']+){{0,5}}?\s+"
    r"(?:later|tomorrow|tmrw|tmr|tonight|myself|next\s+(?:week|time|session|class)|in\s+class|"
    r"this\s+(?:afternoon|evening|weekend|week)|(?:on\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b",
    re.IGNORECASE,
)
_NAMES_ANYONE = re.compile(rf"\b{ANYONE}\b", re.IGNORECASE)


_DENIED_REQUEST = re.compile(
    r"\b(?:(?:don'?t|do\s+not|doesn'?t|no|not|never)\s+(?:really\s+)?(?:need|want|require)"
    r"(?:\s+to\s+(?:get|have|involve|bother|ask|call|wake|disturb|talk\s+to|speak\s+to))?"
    r"|(?:don'?t|do\s+not|no\s+need\s+to|never|please\s+don'?t)\s+(?:escalate|forward|pass|send|"
    r"hand|flag|bother|disturb|involve|wake|ping)(?:\s+(?:this|it|me|us))?(?:\s+(?:on|over|up))?"
    rf"(?:\s+(?:to|for|with))?|without)\s+(?:for\s+)?{ARTICLES}{ANYONE}\b",
    re.IGNORECASE,
)
# A talk with a person that is over: "i asked my trainer yesterday and she said to use a dict".
_REPORTED = re.compile(
    r"\bi\s+(?:already\s+)?(?:asked|told|emailed|messaged|texted|pinged|called|showed|talked\s+to|"
    rf"spoke\s+(?:to|with)|checked\s+with)\s+{ARTICLES}{ANYONE}\b(?:\s+[\w']+){{0,4}}?\s+"
    r"(?:yesterday|earlier|already|before|last\s+(?:week|night|time|session|class)|this\s+"
    r"morning|in\s+class|and\s+(?:she|he|they)\s+(?:said|told|says|explained|showed))\b",
    re.IGNORECASE,
)


def denies_request(text: str) -> bool:
    """Whether the text says it does not want a person ("i dont need a human, just tell me"),
    that the learner will reach one themselves ("i'll ask my mentor tomorrow") or already has
    ("i asked my trainer yesterday and she said..."), and names no person otherwise: such a
    text reads close to a request, and must not count as one. "get me a human or i'll email my
    tutor tomorrow" still asks."""
    said = False
    for pattern in (_DENIED_REQUEST, _SELF_ARRANGED, _REPORTED):
        text, found = pattern.subn(" ", text)
        said = said or found > 0
    return said and _NAMES_ANYONE.search(text) is None


def self_arranged_spans(text: str) -> list[tuple[int, int]]:
    """Where in ``text`` the learner says they will reach the person themselves: a rule's match
    inside one of these asks for nobody."""
    return [m.span() for m in _SELF_ARRANGED.finditer(text)]
