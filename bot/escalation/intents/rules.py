"""Rules for the unambiguous cases: wordings that ask for a person outright (and, from
``rules_safety``, those that name a danger).

Rules fire on their own, whatever the embedder says, so they are kept precise: programming talk
("kill the process", "the thread died", "a human-readable format", "person.name") must not
match. Anything subtler is left to the example sets (``bot.escalation.intents.similarity``).
The local embedder knows English only, so other languages have rules of their own
(``bot.escalation.intents.rules_other``).
"""

from __future__ import annotations

import re

from bot.escalation.intents.denials import denies_request, settled_spans
from bot.escalation.intents.kinds import IntentKind
from bot.escalation.intents.rule import Rule, RuleMatch
from bot.escalation.intents.rule import compile_rule as _re
from bot.escalation.intents.rules_meeting import MEETING_RULES
from bot.escalation.intents.rules_named import NAMED_RULES
from bot.escalation.intents.rules_other import OTHER_HUMAN_PATTERNS
from bot.escalation.intents.rules_safety import safety_rule
from bot.escalation.intents.rules_someone import SOMEONE_RULES
from bot.escalation.intents.rules_staff_only import STAFF_ONLY_RULES
from bot.escalation.intents.words import (
    ACT,
    ANYONE,
    ARTICLES,
    FROM,
    NOT_A_NAME,
    NOT_DATA,
    STAFF,
    TEACHERS,
    TITLED,
    WHEN,
    WHICH,
    YOU,
)

__all__ = ["Rule", "RuleMatch", "denies_request", "human_rule", "safety_rule"]


_H = IntentKind.HUMAN_REQUEST


HUMAN_RULES: list[Rule] = [
    # "talk to a real person", "speak with someone", "chat with my trainer"
    Rule(
        "talk to a person",
        _H,
        _re(
            r"\b(?:talk|speak|chat|discuss\s+(?:this|it)|write|complain|get\s+in\s+touch|"
            r"be\s+put\s+through|be\s+connected|(?:make|file|lodge|raise)\s+a\s+complaint|"
            r"have\s+a\s+(?:quick\s+)?word|"
            rf"meet|book\s+(?:a\s+)?(?:1[:-]1|call|session|slot))\s+(?:to|with|w/|2)\s+{ARTICLES}"
            rf"{ANYONE}\b"
        ),
    ),
    # "I want my trainer", "need a human", "connect me to an instructor", "loop in my mentor"
    Rule(
        "ask for staff",
        _H,
        _re(
            r"\b(?:contact|reach|(?<!do\si\s)(?<!do\swe\s)need|want|request|demand|ask\s+for|"
            r"get\s+me|connect\s+me\s+(?:to|with|w/?)|"
            r"put\s+me\s+through\s+to|transfer\s+me\s+to|hand\s+(?:me|this|it)\s+(?:over\s+)?to|"
            r"pass\s+(?:this|it|me)\s+(?:on\s+)?to|flag\s+(?:this|it)\s+(?:up\s+)?(?:to|for)|"
            r"loop\s+in|forward\s+(?:this|it)\s+to|(?:re-?)?(?:reviewed|checked|marked|graded)\s+by|"
            r"looked\s+at\s+by|(?:need|want|like|get|have)\s+(?:some\s+|an?\s+)?"
            r"(?:\w+\s+)?(?:opinion|feedback|advice|review|help)\s+from|put\s+me\s+in\s+touch\s+with|"
            r"(?:please|pls|plz)\s+get|"
            rf"escalate\s+(?:this\s+|me\s+|it\s+)?to)\s+{ARTICLES}{STAFF}\b{NOT_DATA}"
        ),
    ),
    # "could an instructor review my code?", "can a trainer call me", "a mentor could jump on"
    Rule(
        "staff could act",
        _H,
        _re(
            r"\b(?:can|could|would|may|might)\s+(?:(?:a|an|the|my|one\s+of\s+the|some)\s+|"
            rf"(?=whoever))(?:real\s+)?{STAFF}{FROM}\s+(?:please\s+|just\s+)?(?:be\s+able\s+to\s+|have\s+time\s+to\s+|"
            rf"be\s+free\s+to\s+|mind\s+)?{ACT}|\bwill\s+(?:a|an|the|my|one\s+of\s+the|some)\s+"
            rf"{STAFF}\s+(?:please\s+)?(?:be\s+able\s+to\s+)?{ACT}(?:\s+[\w']+){{0,2}}?\s+(?:me|my|mine)\b|"
            rf"\b(?:a|an|the|my|some)\s+(?:real\s+)?{STAFF}\s+(?:could|would)\s+(?:please\s+)?"
            rf"{ACT}|\b(?:a|an|the|my|some)\s+(?:real\s+)?{STAFF}\s+can\s+(?:please\s+)?{ACT}"
            r"(?:\s+[\w']+){0,2}?\s+(?:me|my|mine)\b|\b(?:like|want|need|get|ask|love)\s+(?:my|a|an|the|one\s+of\s+the)\s+(?:real\s+)?"
            rf"{STAFF}\s+to\s+(?:please\s+)?{ACT}|\b(?:have|get)\s+(?:a|an|my|the|one\s+of\s+"
            rf"the)\s+(?:real\s+)?{STAFF}\s+(?:call|contact|email|message|ping|text|ring|reach|dm)"
            rf"\s+me\b|\blet\s+(?:a|an|my|the|our)\s+(?!human\b){STAFF}\s+know\b|"
            r"\b(?:tell|let|inform|notify)\s+(?:a|an|my|the)\s+"
            rf"{STAFF}\s+(?:know\s+)?(?:that\s+)?(?:i|i'?m|im|i\s+am)\b|\b(?:need|want)\s+(?:a|an)\s+"
            rf"(?:real\s+)?(?:person|human)\s+to\s+{ACT}|\b(?:can|could|would)\s+(?:a|an|some)\s+"
            rf"(?:real\s+|actual\s+)?(?:person|human)\s+(?:please\s+)?(?!call\b){ACT}(?:\s+[\w']+){{0,3}}?\s+"
            r"(?:my|mine|me|it|this|that)\b"
        ),
    ),
    # "can I ask a real teacher", "can i dm a trainer", "can I get someone from staff"
    Rule(
        "may I reach staff",
        _H,
        _re(
            r"\b(?:can|could|may)\s+(?:i|we|u)\s+(?:please\s+)?(?:ask|dm|message|email|call|"
            rf"ping|see|get|have|book|meet|ring|phone)\s+{ARTICLES}(?:{STAFF}|someone\s+from\s+(?:the\s+)?"
            r"(?:staff|team|course))\b(?!'s|\s+(?:player|version|edition|copy|slides|notes|solution|"
            r"answers?|key|guide|account|login|view|mode|page|book)\b)"
        ),
    ),
    # "is my trainer around?", "any trainers online?", "is anyone from the teaching team here"
    Rule(
        "is staff around",
        _H,
        _re(
            rf"\b(?:is|are)\s+(?:my|the|an?|any|the(?:re|r)\s+(?:an?|any))\s+{STAFF}\s+(?:around|"
            r"available|online|free|here|watching)\b|"
            rf"\bany\s+{STAFF}\s+(?:around|available|online|here|free)\b|"
            r"\b(?:is|are)\s+(?:any|some)(?:one|body)\s+from\s+the\s+(?:staff|\w+\s+team)\s+"
            r"(?:around|available|online|here|free|in)\b|"
            rf"\bis\s+{TITLED}\s+(?:around|available|online|here|free|in\s+the\s+office|in)"
            rf"(?=[^\S\n]*(?:$|\n|[.!,?]|{WHEN}))|"
            # a first name, free to see the learner: "is james free this afternoon, want to go
            # through classes with him"
            r"\bis\s+(?!(?:it|this|that|there|he|she|python|the)\b)[a-z][\w'-]+\s+(?:free|around|"
            r"available)\b[^.!\n]{0,60}?\b(?:(?:with|ask|see|meet|call|message|email)\s+(?:him|her)"
            r"(?=[^\S\n]*(?:$|\n|[.!?,;]|about|on|for|today|tomorrow|later|please|pls|now|after))|"
            r"(?:want|wanted|need|needed|like|hoping\s+for)\s+(?:him|her)\s+to)"
        ),
    ),
    # "someone from staff", "is there somebody I could ask", "who is my trainer"
    Rule(
        "someone to ask",
        _H,
        _re(
            r"(?<!block\s)(?<!prevent\s)(?<!stop\s)(?<!stops\s)\b(?:some|any)(?:one|body)\s+(?:else\s+)?"
            r"from\s+(?:the\s+)?(?:staff|team|course|teaching|support|office|admin(?:s|istration)?\b|"
            r"registry|help\s*desk)"
            r"(?!\s+(?:forum|channel|group|chat|slack|discord|cohort|community|server))|"
            r"\b(?:can|could|would|will|to|ask|is\s+there|get|find|have)\s+(?:some|any)(?:one|body)"
            r"\s+on\s+(?:the|your)\s+(?:staff|"
            r"(?:course\s+|teaching\s+)?team)\b|\b(?:some|any)(?:one|body)\s+on\s+(?:your\s+(?:staff|"
            r"team)|the\s+(?:course|teaching)\s+team)\b|\bis(?:n'?t)?\s+there\s+(?:(?:some|any)(?:one|body)|a\s+(?:real\s+)?"
            r"(?:person|human))\s+(?:i|we)\s+(?:can|could)\s+(?:actually\s+|just\s+|really\s+)?"
            r"(?:ask|talk|speak|contact|reach|phone|call|email|message|dm|text|ring|see)\b|"
            r"\b(?:contact|reach|email|message|talk\s+to|speak\s+(?:to|with)|get\s+hold\s+of|"
            r"get\s+in\s+touch\s+with)\s+(?:the\s+)?(?:people|person|folks|team|ones?)\s+(?:who|"
            r"that)\s+(?:run|runs|teach|teaches|organi[sz]es?|marks?|grades?|manages?)\b|"
            rf"\bis\s+there\s+(?:a\s+)?{STAFF}\s+(?:i|we)\s+(?:can|could)\b|"
            rf"\bwho\s+(?:is|are)\s+(?:my|our)\s+{STAFF}\b(?!'s)"
        ),
    ),
    # "get a mentor to help me", "have a human on this", "get somebody to look at it"
    Rule(
        "get someone on it",
        _H,
        _re(
            rf"\b(?:get|have|put|send|need)\s+(?:me\s+)?(?:a|an|my|the|some|one\s+of\s+the)\s+"
            rf"{WHICH}{STAFF}(?:\s+\([^)]{{0,30}}\))?\s+(?:to(?!\s+(?:be|accept|have\s+a)\b)|on\s+(?:this|it|my|the\s+(?:call|case|issue|problem|"
            r"ticket))|on(?=\s*(?:$|\n|[.!?,]|please|pls|plz|now))|in\s+here)\b|\b(?:get|have|find|need)\s+(?:me\s+)?(?:some|any)"
            r"(?:one|body)\s+(?:to\s+(?:look|check|help|review|sit|go)|on\s+(?:this|it))\b|\b(?:please\s+|pls\s+)"
            r"(?:have|get)\s+(?:some|any)(?:one|body)\s+(?:look|check|review|go\s+over)\b|\b(?:have|get|find)\s+"
            r"(?:some|any)(?:one|body)\s+else\s+(?:to\s+)?(?:pick\s+(?:it|this)\s+up|take\s+(?:it|this)\s+"
            r"(?:on|over)|follow\s+up|look|help)\b|\b(?:some|any)(?:one|body)\s+with\s+(?:admin\s+(?:access|"
            r"rights)|authority|access\s+to\s+(?:the\s+)?(?:gradebook|portal|system|records))\b(?=[^.?!\n]{0,40}"
            r"\b(?:please|pls|update|change|fix|sort|help|look|check)\b)|\b(?:can|"
            r"could|would)\s+(?:some|any)(?:one|body)\s+(?:please\s+)?(?:rebook|reschedule|re-?arrange|let\s+"
            r"(?:him|her|them)\s+know|follow\s+up|get\s+back\s+to\s+me)\b"
        ),
    ),
    # A person named, then asked for by pronoun: "my tutor wanted a table, could she look at
    # mine?", "can you book me a slot with them?". "They" may be the code ("can they be
    # infinite?"), so it counts only when asked to reach the learner.
    Rule(
        "named, then asked",
        _H,
        _re(
            rf"\b{TEACHERS}\b[^.?!]{{0,80}}?(?:(?<!how\s)(?<!why\s)\b(?:can|could|would|will)\s+"
            rf"(?:she|he)\s+(?:please\s+)?{ACT}(?:\s+[\w']+){{0,3}}?\s+(?:me|my|mine|it|this|"
            r"that)\b|"
            r"\b(?:can|could|would|will)\s+they\s+(?:please\s+)?(?:call|message|email|dm|ping|"
            r"contact|text|ring|see|meet|reach)\s+me\b|\b(?:can|could|would)\s+you\s+(?:please\s+)?"
            r"(?:book|schedule|arrange|set\s+up)\s+(?:me\s+)?(?:a|an|some)\s+(?:\w+\s+)?(?:slot|"
            r"call|session|meeting|chat|1[:-]1)\s+with\s+(?:him|her|them)\b|\b(?:can|could|would)"
            r"\s+you\s+(?:please\s+)?(?:let|tell|ask|remind)\s+(?:him|her|them)\b(?!\s+apart))"
        ),
    ),
    # "i want a real person", "with an actual human", "real person pls"; not "a real person on
    # stack overflow said..."
    Rule(
        "a real person",
        _H,
        _re(
            r"\b(?:need|want|prefer|get|give\s+me|to|ask|(?:'d|would)\s+like|is\s+there|are\s+you)"
            r"\s+(?:(?:a|an|some|one|the)\s+)?(?:real|actual|live)\s+(?:human|person|trainer|"
            rf"people)\b{NOT_DATA}|\b(?:with|from|by)\s+(?:a|an|one|the)\s+(?:real|actual|live)\s+(?:human|"
            r"person|trainer)\b|^\W*(?:a\s+)?(?:real|actual|live)\s+(?:human|person|trainer)\W*$"
        ),
    ),
    Rule(
        "not the bot",
        _H,
        _re(
            rf"{YOU}(?:ask|tell|let|remind|check\s+with|inform|message|email|ping)\s+{ARTICLES}"
            rf"(?!human\b){STAFF}\b(?!'s){NOT_DATA}|{YOU}(?:remind|chase|nudge)\s+(?:him|her|them)\b|"
            rf"{YOU}let\s+(?!{NOT_A_NAME}\b)[a-z][\w'-]*\s+know\b|"
            r"\b(?:a|the|this|you|a\s+chat)\s*bot\s+(?:isn'?t|is\s+not|won'?t|will\s+not|can'?t|cannot)"
            r"\s+(?:going\s+to\s+|gonna\s+)?(?:cut\s+it|be\s+enough|do\s+it|fix\s+this|sort\s+this|"
            r"help\s+(?:here|with\s+this|me\s+with\s+this))|"
            rf"{YOU}(?:get|ask|tell)\s+(?!{NOT_A_NAME}\b)[a-z][\w'-]*\s+to\s+(?:msg|message|call|email|"
            r"ping|text|contact|dm|reach\s+out\s+to|get\s+back\s+to)\s+me\b|"
            rf"\b(?:human|agent|representative|operator|{STAFF})\s+(?:please|pls|plz|"
            r"now(?=\s*(?:$|\n|[.!?,]|please|pls|plz)))\b|\bnot\s+(?:a|the)\s+bot\b(?!\s+(?:token|"
            r"user|account|api|id|scope|permission|framework))|"
            r"\bhuman\s+agent\b|^\W*(?:stop\W+)?human\W*$|"
            r"^\W*(?:a\s+)?(?:trainer|human|teacher|tutor|mentor|real\s+person)\s*\?+\W*$|"
            r"\bwhen\s+can\s+i\s+(?:meet|see|talk\s+to|speak\s+to|reach|call)\s+(?:my|a|the)\s+"
            rf"{STAFF}\b"
        ),
    ),
    # "is there a human here?", "are you real"; not "is there a human readable way"
    Rule(
        "is there a human",
        _H,
        _re(
            r"\b(?:is|are)\s+(?:the(?:re|r)|you)\s+(?:a\s+)?human\b(?=\s*(?:$|\n|[?.!,]|here|"
            r"around|there|anywhere|behind|on\s+the|available|(?:i|we)\s+(?:can|could)|who|"
            r"that|to\s+talk|to\s+help|reading|watching|out\s+there|or\b|at\s+all|person|"
            r"being|\w+ing\b))|\bare\s+you\s+(?:a\s+)?real\b(?=\s*(?:$|\n|[?.!,]|person|human|"
            r"people|or\b))"
        ),
    ),
    Rule(
        "escalate",
        _H,
        _re(r"\b(?:please\s+escalate|escalate\s+(?:this|me|it)\b)|\bput\s+me\s+through\s+to\b"),
    ),
    *MEETING_RULES,
    *STAFF_ONLY_RULES,
    *SOMEONE_RULES,
    *NAMED_RULES,
    *(
        Rule(name, _H, pattern, unless=mentions, needs=asks)
        for name, pattern, mentions, asks in OTHER_HUMAN_PATTERNS
    ),
]

# A noun like "human" or "person" joined to code ("human-readable", "person.name", "human_input",
# "people[0]") is not a request for a person; a full stop or a dash that ends the words ("i want
# to talk to a trainer. my loop...") is no code.
_CODE_AFTER = re.compile(r"^(?:[-._]\w|[(\[])")
# The request said not to be one: "i don't need a human, just tell me...", "no need for a trainer".
_NEGATED_BEFORE = re.compile(
    r"\b(?:don'?t|do\s+not|doesn'?t|didn'?t|won'?t|no|not|never|without|nor)\s+(?:\w+\s+){0,2}$|"
    r"\b(?:don'?t|do\s+not)\s+(?:think|believe|really\s+think)\s+(?:i\s+)?(?:\w+\s+){0,3}$",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[,.;:!?]")


# Whether a person is needed, asked at the start of a clause: "do i need a human to grade this".
_WHETHER_NEEDED = re.compile(
    r"^\W*(?:(?:so|ok|okay|but|and|um|hmm|wait|why|how\s+come)\s+)?(?:do|does)\s+(?:i|we|it|this|one)\s+"
    r"(?:really\s+|still\s+|even\s+)?$",
    re.IGNORECASE,
)
_NEEDS = re.compile(r"(?:need|require|have)\b", re.IGNORECASE)


def _negated(text: str, start: int) -> bool:
    """Whether the clause before ``start`` denies what the match asks for, or asks whether a
    person is needed at all."""
    before = text[max(0, start - 40) : start]
    clause = _CLAUSE_END.split(before)[-1]
    if _NEGATED_BEFORE.search(clause) is not None:
        return True
    return bool(_NEEDS.match(text, start)) and _WHETHER_NEEDED.search(clause) is not None


def human_rule(text: str) -> RuleMatch | None:
    """The first request-for-a-person rule that matches ``text``, or None."""
    arranged: list[tuple[int, int]] | None = None
    for rule in HUMAN_RULES:
        for match in rule.matches(text):
            if arranged is None:
                arranged = settled_spans(text)
            if (
                _CODE_AFTER.match(text[match.end() :])
                or _negated(text, match.start())
                or any(s <= match.start() and match.end() <= e for s, e in arranged)
            ):
                continue
            return RuleMatch(rule, match.group(0))
    return None
