"""Request rules for time with a person: minutes with a trainer, a session only a person gives
(a feedback session, a 1:1), a call or a video. The coach can do none of these, so asking for
one asks for a person, whoever is named ("review session with anna possible?").

What a learner had, or what a session or call was like, asks for nobody: "i spent 20 minutes
with my tutor yesterday", "the mentor said in the feedback session...", "my zoom call dropped",
"how do i build a video call app".
"""

from __future__ import annotations

from bot.escalation.intents.kinds import IntentKind
from bot.escalation.intents.rule import Rule
from bot.escalation.intents.rule import compile_rule as _re
from bot.escalation.intents.words import ANYONE, ARTICLES, STAFF, WHICH

_H = IntentKind.HUMAN_REQUEST

# A length of time: "10 minutes", "15 mins", "half an hour", "some time", "a few minutes".
_TIME = (
    r"(?:(?:\d+|a\s+few|a\s+couple(?:\s+of)?|five|ten|fifteen|twenty|thirty|some|a\s+bit\s+of)"
    r"\s*(?:-\s*)?(?:min(?:ute)?s?|hours?|hrs?)|half\s+an\s+hour|an\s+hour|some\s+time|"
    r"a\s+(?:few\s+)?moments?)"
)
# Sessions that only a person gives.
_SESSION = (
    r"(?:(?:feedback|review|mentoring|mentorship|coaching|tutoring|help|q\s*&\s*a|1[:-]1|"
    r"one[-\s](?:on|to)[-\s]one)\s+(?:session|call|meeting|slot|appointment)s?|1[:-]1|"
    r"one[-\s](?:on|to)[-\s]one|office[-\s]hours?\s+(?:slot|appointment|session))"
)
# Ways the learner would see or hear a person.
_LIVE = (
    r"(?:(?:a\s+)?(?:video|voice|phone|zoom|teams|skype|discord)(?:\s+call)?|(?:a\s+)?call|"
    r"(?:the\s+)?phone|zoom|teams|google\s+meet|screen\s*share|huddle)"
)
# The learner asks for it.
_ASK = (
    r"(?:(?:can|could|may)\s+(?:i|we|u)\s+(?:please\s+)?(?:get|have|book|do|schedule|arrange|"
    r"join|grab|request|set\s+up|sign\s+up\s+for)|(?:i'?d|i\s+would)\s+(?:like|love)|"
    r"(?:i\s+)?(?:want|need)|(?:please|pls|plz)\s+(?:book|schedule|arrange|set\s+up|get)|"
    r"any\s+chance\s+(?:of|for)|is\s+there\s+(?:a|an|any)|are\s+there\s+any|"
    r"(?:can|could|would)\s+you\s+(?:please\s+)?(?:book|schedule|arrange|set\s+up|get)(?:\s+me)?)"
)
# What the learner had, did or saw: no request.
_HAD = _re(
    r"\b(?:spent|had|after|during|since|missed|attended|finished|enjoyed)\s+"
    rf"(?:(?:the|my|our|a|an|that|this|today'?s|yesterday'?s|last)\s+)*(?:\w+\s+)?(?:{_TIME}|"
    rf"{_SESSION}|{_LIVE})\b"
)

MEETING_RULES: list[Rule] = [
    # "could i get 10 minutes with a trainer", "any chance of 15 mins with my mentor"
    Rule(
        "time with a person",
        _H,
        _re(
            rf"\b{_ASK}\s+(?:\w+\s+){{0,2}}?{_TIME}\s+(?:with|of)\s+{ARTICLES}{WHICH}"
            rf"(?:{STAFF}|someone|somebody|anyone|anybody)\b(?!\s+else)|\b{_TIME}\s+(?:with|of)\s+"
            rf"{ARTICLES}{WHICH}{STAFF}(?:'s\s+time)?\s+(?:possible|please|pls|today|tomorrow|"
            r"this\s+week)\b"
        ),
        unless=_HAD,
    ),
    # "can I book a feedback session?", "is a 1:1 with the tutor possible", "review session
    # with anna possible this afternoon?"
    Rule(
        "a session with a person",
        _H,
        _re(
            rf"\b{_ASK}\s+(?:\w+\s+){{0,2}}?{_SESSION}\b|\b{_SESSION}(?:\s+[\w']+){{0,4}}?\s+"
            r"(?:possible|available|free|open)\b"
        ),
        unless=_HAD,
    ),
    # "can someone walk me through classes over zoom?", "can we do a quick call"
    Rule(
        "a call with a person",
        _H,
        _re(
            rf"\b(?:some|any)(?:one|body)\b[^.?!]{{0,60}}?\b(?:over|on|via|through|in)\s+{_LIVE}\b|"
            r"\b(?:can|could|shall)\s+we\s+(?:please\s+)?(?:do|have|hop\s+on|jump\s+on|get\s+on|"
            r"set\s+up|arrange)\s+(?:a\s+)?(?:quick\s+|short\s+)?(?:video\s+|voice\s+|phone\s+|"
            rf"zoom\s+)?call\b|\b{_ASK}\s+(?:\w+\s+){{0,2}}?call\s+with\s+{ARTICLES}{WHICH}"
            rf"{ANYONE}\b"
        ),
        unless=_HAD,
    ),
]
