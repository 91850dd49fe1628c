"""Request rules for wanting a person in plain words, without the usual verbs of asking:
"time for a human", "is there an actual instructor reading these", "can someone real check my
score", "is there a teacher who can explain", "could someone reply in the thread", "ask whoever
runs the course", "i'd really prefer a human for this one", "wheres the human", "can someone
officially grade my exam", "whos in charge here", "get me someone who knows".

The same words elsewhere ask for nobody: "a human-readable format", "a real person class",
"someone real and someone fake" in a story generator, "a teacher object", "could someone reply
with a list comprehension", "whoever runs the script first".
"""

from __future__ import annotations

from bot.escalation.intents.kinds import IntentKind
from bot.escalation.intents.rule import Rule
from bot.escalation.intents.rule import compile_rule as _re
from bot.escalation.intents.words import ACT, ARTICLES, NOT_DATA, STAFF, WHICH, YOU

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
    # "agent", "operator": the whole message
    Rule("a word alone", _H, _re(r"^\W*(?:an?\s+)?(?:agent|operator|representative)\W*$")),
    # "i'd really prefer a human for this one", "id prefer a trainer"; not "i prefer a tutor who
    # explains slowly" (no would)
    Rule(
        "would prefer a person",
        _H,
        _re(
            r"\b(?:i'?d|id|i\s+would)\s+(?:really\s+|much\s+|rather\s+|actually\s+)?prefer\s+(?:a|an|"
            rf"to\s+(?:talk|speak)\s+(?:to|with)\s+(?:a|an|the|my))\s+(?:real\s+|actual\s+)?(?:human|"
            rf"person|{STAFF})\b{NOT_DATA}(?![-_])"
        ),
    ),
    # "this needs a human eye", "i'll wait for a human answer", "human only please"
    Rule(
        "a human answer",
        _H,
        _re(
            r"\b(?:need|needs|want|prefer|wait\s+for|appreciate|get|like|have)\s+(?:a|an|some)\s+"
            r"(?:real\s+|actual\s+|proper\s+)?human\s+(?:eyes?|answer|reply|response|review|touch|"
            r"look|opinion)\b|\bhuman\s+only\b(?=\s*(?:$|\n|[.!,]|please|pls|plz))"
        ),
    ),
    # "wheres the human", "where are the trainers"; not "where is the teacher's solution"
    Rule(
        "where is the person",
        _H,
        _re(
            r"\bwhere(?:'?s|\s+is|\s+are)\s+(?:the|my|a|all\s+the|our)\s+(?:real\s+)?(?:humans?|"
            r"trainers?|instructors?|teachers?|tutors?|mentors?|staff)\b(?!'|\s+(?:class|object|"
            r"module|list|variable|defined|stored|field|attribute|method|slides?|notes?|example|"
            r"solution|code|file|page|link|video|recording)s?\b)"
        ),
    ),
    # "any update on getting a human to look at my ticket?"
    Rule(
        "getting someone",
        _H,
        _re(rf"\bgetting\s+(?:a|an|the|my|some)\s+{WHICH}{STAFF}\s+to\s+{ACT}"),
    ),
    # "can someone officially grade my exam", "could anybody look over my lab please"; not "can
    # someone explain generators" or "can someone check my understanding"
    Rule(
        "someone to check my work",
        _H,
        _re(
            r"\b(?:can|could|would|will)\s+(?:some|any)(?:one|body)\s+(?:please\s+|pls\s+|officially\s+"
            r"|properly\s+|manually\s+)?(?:look\s+(?:at|over|into)|check|review|grade|mark|re-?mark|"
            r"go\s+(?:through|over))\b(?:\s+[\w'/.-]+){0,3}?\s+(?:my|mine)\b(?!\s+(?:understanding|"
            r"logic|reasoning|thinking|assumptions?|maths?)\b)|\bpossible\s+for\s+(?:some|any)(?:one|"
            r"body)\s+to\s+(?:look|check|review|grade|mark|go\s+(?:through|over)|sit)\b"
        ),
    ),
    # "whos in charge here", "who is in charge of this course"
    Rule(
        "who is in charge",
        _H,
        _re(
            r"\bwho(?:'?s|\s+is)\s+in\s+charge\s+(?:here|of\s+(?:this|the)\s+(?:course|class|cohort|"
            r"program(?:me)?|bootcamp))\b"
        ),
    ),
    # "get me someone who knows", "can someone knowledgeable jump on this"
    Rule(
        "someone who knows",
        _H,
        _re(
            r"\b(?:get|need|want|find)\s+(?:me\s+)?(?:some|any)(?:one|body)\s+(?:who\s+(?:knows|"
            r"actually\s+knows|understands|has\s+done)|who'?s\s+(?:done|an?\s+expert)|knowledgeable|"
            r"experienced|qualified)\b|\b(?:can|could|would)\s+(?:some|any)(?:one|body)\s+"
            rf"(?:knowledgeable|experienced|qualified)\s+(?:please\s+)?{ACT}"
        ),
    ),
    # "you don't get it. person please", "is there nobody i can talk to", "are any humans
    # watching this?"; not "a person please class" or "is there no way to..."
    Rule(
        "nobody to talk to",
        _H,
        _re(
            r"(?:^|[.!?,;]\s*)(?:a\s+)?(?:real\s+|actual\s+)?person\s+(?:please|pls|plz)\W*$|"
            r"\b(?:is|are)\s+there\s+(?:no(?:one|body)|no\s+(?:one|human|person|people|staff))\s+"
            r"(?:(?:i|we)\s+(?:can|could)\s+)?(?:actually\s+|really\s+)?(?:to\s+)?(?:talk|speak|"
            r"ask|reach|contact|here)\b|\b(?:are|is)\s+(?:there\s+)?(?:any|some)\s+(?:real\s+|"
            r"actual\s+)?(?:humans?|people|staff|trainers|instructors|tutors|mentors)\s+"
            r"(?:monitoring|reading|watching|checking|answering|here|around|online|on\s+here)\b"
        ),
    ),
    # "happy to wait for a trainer", "i will wait for a real person"
    Rule(
        "a person to wait for",
        _H,
        _re(
            r"\b(?:i'?ll|i\s+will|i\s+can|i'?m\s+happy\s+to|happy\s+to|i\s+don'?t\s+mind\s+to)\s+"
            rf"wait\s+(?:for|on)\s+(?:a|an|the|my)\s+(?:real\s+|actual\s+)?(?:human|person|{STAFF})"
            rf"\b{NOT_DATA}"
        ),
    ),
    # "can i explain this to a person instead", "who's the human i can bug about deadlines"
    Rule(
        "a person to explain it to",
        _H,
        _re(
            r"\b(?:can|could|may)\s+i\s+(?:please\s+|just\s+)?(?:explain|describe|"
            r"show)\s+(?:this|it|my\s+\w+|the\s+problem)\s+to\s+(?:a|an|the|my|some)\s+(?:real\s+)?"
            rf"(?:person|human|{STAFF})\b{NOT_DATA}|\bwho(?:'?s|\s+is|\s+are)\s+(?:the|a|an)\s+"
            rf"(?:real\s+)?(?:human|person|people|{STAFF})\s+(?:i|we)\s+(?:can|could|should|am\s+"
            r"supposed\s+to)\b"
        ),
    ),
    # "pls connect me", "could you get someone to go through this with me"; not "connect me to the
    # database pls" or "how can you get someone to trust your code"
    Rule(
        "someone brought in",
        _H,
        _re(
            r"\b(?:please|pls|plz)\s+connect\s+me\b(?!\s+(?:to|with)\s+(?:the\s+|"
            r"a\s+|my\s+)?(?:database|db|server|api|wifi|internet|vpn|sqlite\w*))|"
            rf"{YOU}(?:get|find|bring|fetch|send)\s+(?:(?:me|us)\s+)?(?:some|any)(?:one|body)\s+"
            r"(?:(?:else|real|human|from\s+\w+)\s+)?(?:to|who)\b"
        ),
    ),
]
