"""Request rules for time with a person: minutes with a trainer, a session only a person gives
(a feedback session, a 1:1), a call or a video. The coach can do none of these, so asking for
one asks for a person ("review session with anna possible?").

What a learner had, or what a session or call was like, asks for nobody: "i spent 20 minutes
with my tutor yesterday", "the mentor said in the feedback session...", "my zoom call dropped",
"how do i build a video call app". Nor do the same words in code: "a one-to-one mapping", "a
call to super()", "a review session model in Django", "the instructor's slides".
"""

from __future__ import annotations

from bot.escalation.intents.kinds import IntentKind
from bot.escalation.intents.rule import Rule
from bot.escalation.intents.rule import compile_rule as _re
from bot.escalation.intents.words import ANYONE, ARTICLES, STAFF

_H = IntentKind.HUMAN_REQUEST

# A person, after "with": staff, or anyone at all; never a possessive ("the trainer's slides").
# The day or lab first ("the day 4 tutor"); not ``WHICH``, whose "real" and "actual" would
# follow ``ARTICLES``' own and make a long run of them slow to match.
_PERSON = (
    rf"{ARTICLES}(?:(?:day|lab)\s+\d+\s+)?(?:{STAFF}|someone|somebody|anyone|anybody)\b"
    r"(?!'s|\s+else)"
)
# A length of time: "10 minutes", "15 mins", "half an hour", "some time", "a few minutes".
_TIME = (
    r"(?:(?:\d+|a\s+few|a\s+couple(?:\s+of)?|five|ten|fifteen|twenty|thirty|some|a\s+bit\s+of)"
    r"\s*(?:-\s*)?(?:min(?:ute)?s?|hours?|hrs?)|half\s+an\s+hour|an\s+hour|some\s+time|"
    r"a\s+(?:few\s+)?moments?)"
)
# Sessions that only a person gives, and the ways to name a one-to-one.
_KIND = (
    r"(?:feedback|review|mentor(?:ing|ship)?|coaching|tutor(?:ing)?|q\s*&\s*a|office[-\s]hours?)"
)
_MEETING = r"(?:session|call|meeting|slot|appointment)"
_ONE_ON_ONE = r"(?:1[:-]1|1[-\s]?on[-\s]?1|one[-\s](?:on|to)[-\s]one)"
# What may follow a session that is asked for: not "model", "table" or "slides".
_AFTER_SESSION = (
    r"(?=\s*(?:$|\n|[.?!,;:)]|with\b|for\b|about\b|on\b|to\b|at\b|today|tomorrow|tmrw|this\b|"
    r"next\b|please|pls|plz|sometime|soon|asap|before|after|so\b|because|bc\b|if\b|when\b|i\b))"
)
# The learner asks for it.
_ASK = (
    r"(?:(?:can|could|may)\s+(?:i|we|u)\s+(?:please\s+)?(?:get|have|book|do|schedule|arrange|"
    r"join|grab|request|set\s+up|sign\s+up\s+for)|(?:i'?d|i\s+would)\s+(?:like|love)|"
    r"i\s+(?:want|need)|^\W*(?:need|want)|(?:please|pls|plz)\s+(?:book|schedule|arrange|set\s+up|get)|"
    r"any\s+chance\s+(?:of|for)|is\s+there\s+(?:a|an|any)|are\s+there\s+any|"
    r"(?:can|could|would)\s+you\s+(?:please\s+)?(?:book|schedule|arrange|set\s+up|get)(?:\s+me)?)"
)
# Ways the learner would see or hear a person.
_LIVE = (
    r"(?:(?:a\s+)?(?:video|voice|phone|zoom|teams|quick|short)\s+call|(?:a\s+)?call|video|zoom|"
    r"google\s+meet|skype|huddle|screen\s*share)"
)
# What the learner had, did or saw: no request.
_HAD = _re(
    r"\b(?:spent|had|after|during|since|missed|attended|finished|enjoyed)\s+"
    r"(?:(?:the|my|our|a|an|that|this|today'?s|yesterday'?s|last)\s+)*(?:\w+\s+)?(?:"
    rf"{_TIME}|{_KIND}\s+{_MEETING}|{_ONE_ON_ONE}|{_LIVE})\b"
)

MEETING_RULES: list[Rule] = [
    # "i want a call with my trainer", "book a quick 1:1 with someone"
    Rule(
        "a meeting with a person",
        _H,
        _re(
            r"\b(?:want|need|like|get|book|schedule|arrange)\s+(?:a|an)\s+(?:quick\s+|group\s+|short\s+|"
            r"proper\s+|private\s+)?(?:1[:-]1|"
            rf"one[-\s]on[-\s]one|call|session|meeting)\s+with\s+{ARTICLES}{ANYONE}\b"
        ),
    ),
    # "could i get 10 minutes with a trainer", "any chance of 15 mins with my mentor"
    Rule(
        "time with a person",
        _H,
        _re(
            rf"\b{_ASK}\s+(?:\w+\s+){{0,2}}?{_TIME}\s+(?:with|w/)\s+{_PERSON}|\b{_TIME}\s+"
            rf"(?:with|w/)\s+{_PERSON}\s+(?:possible|please|pls|plz)\b|\b{_TIME}\s+of\s+{ARTICLES}"
            rf"(?:{STAFF})'s\s+time\b|\b(?:any|a|the|my)\s+{STAFF}(?:\s+(?:have|has)(?:\s+got)?|\s+got|'s\s+got)\s+{_TIME}\s+"
            r"(?:for\s+me|to\s+spare|today|tomorrow|this\s+\w+|now|at\s+some\s+point)\b|"
            rf"\b{_ASK}\s+(?:\w+\s+){{0,2}}?(?:appointment|slot|meeting|office\s+hours|chat|zoom)\s+"
            rf"with\s+{_PERSON}"
        ),
        unless=_HAD,
    ),
    # "can I book a feedback session?", "is a 1:1 with the tutor possible", "review session
    # with anna possible this afternoon?"
    Rule(
        "a session with a person",
        _H,
        _re(
            rf"\b{_ASK}\s+(?:\w+\s+){{0,3}}?(?:{_KIND}|{_ONE_ON_ONE})\s+{_MEETING}s?{_AFTER_SESSION}|"
            rf"\b{_ASK}\s+(?:\w+\s+){{0,2}}?{_ONE_ON_ONE}{_AFTER_SESSION}|"
            rf"\b{_ONE_ON_ONE}\s+(?:{_MEETING}\s+|chat\s+)?(?:with|w/)\s+{_PERSON}|"
            rf"\b{_KIND}\s+{_MEETING}(?:\s+with\s+[\w']+)?(?:\s+(?:today|tomorrow|tmrw|this\s+\w+|"
            r"next\s+\w+|on\s+\w+))?\s+(?:possible|available)\b(?!\s+(?:as|on|in|online|to\s+(?:watch|"
            r"download|stream)|for\s+(?:download|replay)))"
        ),
        unless=_HAD,
    ),
    # "can someone walk me through classes over zoom?", "can we do a quick call"
    Rule(
        "a call with a person",
        _H,
        _re(
            r"\b(?:some|any)(?:one|body)\s+(?:to\s+|who\s+(?:can|could)\s+)?(?:explain|walk|go|"
            r"show|help|talk|take|run|teach)\b[^.?!]{0,60}?\bme\b[^.?!]{0,40}?\b(?:over|on|via)\s+"
            rf"{_LIVE}\b|\b(?:can|could|shall)\s+we\s+(?:please\s+)?(?:do|have|hop\s+on|jump\s+on|"
            r"get\s+on|set\s+up|arrange)\s+(?:a\s+)?(?:quick\s+|short\s+)?(?:video\s+|voice\s+|"
            r"phone\s+|zoom\s+)?(?:call|zoom|huddle)(?=\s*(?:$|\n|[.?!,]|about\b|with\b|today|tomorrow|this\b|next\b|"
            r"later|sometime|soon|please|pls|so\b|to\s+(?:discuss|go|talk|look|review|check)))|"
            rf"\b{_ASK}\s+(?:a|an)\s+(?:quick\s+|short\s+)?(?:video\s+|voice\s+|phone\s+|zoom\s+)?"
            rf"call\s+with\s+{_PERSON}|\b(?:some|any)(?:one|body)\s+(?:to\s+)?(?:please\s+)?"
            r"(?:jump|hop|get)\s+on\s+(?:a\s+)?(?:quick\s+)?(?:video\s+|voice\s+|zoom\s+)?(?:call|"
            r"zoom|huddle)\b|\b(?:some|any)(?:one|body)\s+(?:please\s+)?(?:call|ring|phone)\s+me\b"
        ),
        unless=_HAD,
    ),
]
