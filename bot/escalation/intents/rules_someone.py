"""Request rules for wanting a person in plain words, without the usual verbs of asking:
"time for a human", "is there an actual instructor reading these", "can someone real check my
score", "is there a teacher who can explain", "could someone reply in the thread", "ask whoever
runs the course".

The same words elsewhere ask for nobody: "a human-readable format", "a real person class",
"someone real and someone fake" in a story generator, "a teacher object", "could someone reply
with a list comprehension", "whoever runs the script first".
"""

from __future__ import annotations

from bot.escalation.intents.kinds import IntentKind
from bot.escalation.intents.rule import Rule
from bot.escalation.intents.rule import compile_rule as _re
from bot.escalation.intents.words import ARTICLES, NOT_DATA, STAFF

_H = IntentKind.HUMAN_REQUEST

SOMEONE_RULES: list[Rule] = [
    # "time for a human", "it's time to get a trainer involved"; not "time for a break"
    Rule(
        "time for a person",
        _H,
        _re(
            r"\btime\s+(?:for|to\s+(?:get|bring\s+in|call\s+in|ask|involve|talk\s+to|loop\s+in))"
            rf"\s+{ARTICLES}(?:{STAFF}|person|people)\b{NOT_DATA}(?![-_])"
        ),
    ),
    # "is there an actual instructor reading these", "is this a real person answering?"
    Rule(
        "a real one here",
        _H,
        _re(
            r"\b(?:is|are)\s+(?:there|this|that|it|these)\s+(?:an?\s+|any\s+)?(?:actual|real|live)"
            rf"\s+(?:{STAFF}|person|people)\b{NOT_DATA}(?![-_])(?=\s*(?:$|\n|[?.!,]|here|there|"
            r"reading|answering|replying|watching|behind|on\s+the\s+other|or\b|\w+ing\b))"
        ),
    ),
    # "can someone real check my quiz score", "i want somebody human to look at it"
    Rule(
        "someone real",
        _H,
        _re(
            r"\b(?:can|could|would|will|want|need|get|like|ask)\s+(?:some|any)(?:one|body)\s+"
            r"(?:real|actual|human)\b(?!-)\s+(?:to\s+|please\s+)?(?:look|check|review|help|go\s+"
            r"over|explain|mark|read|see|reply|call|message|email)"
        ),
    ),
    # "is there a teacher who can explain...", "is there any tutor who could go over my lab"
    Rule(
        "a teacher who can",
        _H,
        _re(
            rf"\bis\s+there\s+(?:a|an|any|some)\s+(?:real\s+)?{STAFF}\s+who\s+(?:can|could|would"
            r"|is\s+able\s+to|has\s+time\s+to)\b"
        ),
    ),
    # "could someone reply in the thread under my question", "can anyone respond to my post"
    Rule(
        "someone to reply",
        _H,
        _re(
            r"\b(?:can|could|would|will)\s+(?:some|any)(?:one|body)\s+(?:please\s+)?(?:reply|"
            r"respond|answer)\s+(?:to\s+|in\s+|under\s+)(?:the\s+|my\s+)?(?:thread|post|question|"
            r"message|ticket|email)"
        ),
    ),
    # "wanted to ask whoever runs the course whether...", "email whoever teaches the cohort"
    Rule(
        "whoever runs it",
        _H,
        _re(
            r"\b(?:ask|email|message|contact|ping|tell|reach)\s+whoever\s+(?:runs|teaches|"
            r"organi[sz]es|manages|marks|grades|is\s+in\s+charge\s+of)\s+(?:the|this|our|my)\s+"
            r"(?:course|lab|labs|cohort|program(?:me)?|class|module|bootcamp)\b"
        ),
    ),
]
