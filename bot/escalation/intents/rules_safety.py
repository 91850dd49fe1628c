"""Rules that name a danger outright: self-harm, threats, abuse, emergencies, in any wording.

Like the request rules (``bot.escalation.intents.rules``), they fire whatever the embedder says,
so they are kept precise; other languages' patterns come from
``bot.escalation.intents.rules_other``.
"""

from __future__ import annotations

import re

from bot.escalation.intents.kinds import IntentKind, SafetyKind
from bot.escalation.intents.rules import Rule, RuleMatch
from bot.escalation.intents.rules_other import OTHER_SAFETY_PATTERNS


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_S = IntentKind.SAFETY
# Whom a threat names ("i know where the day 3 trainer lives").
_TARGETS = (
    r"trainer|teacher|instructor|tutor|mentor|coach|guy|girl|man|woman|person|classmate|boss|"
    r"ex|neighbou?r|lecturer|prof|professor"
)
_ME = r"my\s*self"
_PEOPLE = (
    r"(?:you|him|her|them|someone|somebody|everyone|everybody|people|the\s+next\s+\w+|"
    r"that\s+(?:guy|girl|man|woman|person)|my\s+\w+)"
)
_HOUSEHOLD = (
    r"(?:partner|boyfriend|girlfriend|husband|wife|dad|father|step-?dad|mum|mom|mother|"
    r"parents?|brother|sister|uncle|roommate|flatmate|ex)"
)

SAFETY_RULES: list[Rule] = [
    Rule(
        "self-harm",
        _S,
        _re(
            rf"\b(?:kill(?:ing)?\s+{_ME}|suicid\w*|self[-\s]?harm\w*|hurt(?:ing)?\s+{_ME}|"
            r"end(?:ing)?\s+(?:it\s+all|my\s+life)|(?:want|going)\s+to\s+die|"
            r"no\s+reason\s+to\s+live|cut(?:ting)?\s+my\s*self|better\s+off\s+without\s+me|"
            r"(?:don'?t|do\s+not)\s+want\s+to\s+(?:live|be\s+alive|wake\s+up|exist)|"
            r"not\s+wake\s+up|goodbye\s+(?:letter|note)|overdose\s+on\s+purpose)\b"
        ),
        SafetyKind.SELF_HARM,
    ),
    Rule(
        "hopelessness",
        _S,
        _re(
            r"\b(?:(?:don'?t|do\s+not)\s+see\s+the\s+point\s+(?:of|in)\s+(?:anything|living|"
            r"life|going\s+on)|can'?t\s+go\s+on\s+(?:like\s+this|any\s*more)|"
            r"nobody\s+would\s+(?:even\s+)?(?:notice|care|miss\s+me)|no\s+way\s+out\s+of\s+this\s+"
            r"life|feel\s+(?:completely\s+)?(?:empty|worthless)\s+and\s+alone)\b"
        ),
        SafetyKind.HOPELESSNESS,
    ),
    Rule(
        "threat",
        _S,
        _re(
            r"\b(?:(?:i(?:'ll|\s+will|\s+am\s+going\s+to|'m\s+going\s+to|'m\s+gonna|\s+want\s+to)|"
            r"gonna)\s+(?:kill|hurt|shoot|stab|attack|beat\s+up|punch|strangle)\s+"
            rf"{_PEOPLE}|\bbeat\s+(?:him|her|them|you)\s+up|bomb\s+threat|bring\s+a\s+(?:gun|knife|weapon)|"
            r"make\s+(?:him|her|them)\s+(?:regret|pay)|know\s+where\s+(?:he|she|they)\s+"
            r"(?:lives?|parks?|sleeps?)|know\s+where\s+(?:the|my|our|that|this)\s+(?:[\w'-]+\s+)"
            rf"{{0,3}}(?:{_TARGETS})\s+(?:lives|parks|sleeps)|(?:she|he|they)(?:'ll|\s+will)\s+"
            r"regret\s+it)\b"
        ),
        SafetyKind.THREAT,
    ),
    Rule(
        "harassment",
        _S,
        _re(
            r"\b(?:harass\w*|bull(?:y|ied|ying)|stalk(?:ed|ing)|sexual\w*\s+(?:comments?|"
            r"advances?|messages?|remarks?)|threaten(?:ed|ing)\s+me|(?:being|been|was)\s+abused|"
            r"abusive|unwanted\s+(?:messages|advances|touching))\b"
        ),
        SafetyKind.HARASSMENT,
    ),
    Rule(
        "abuse",
        _S,
        _re(
            rf"\b(?:my\s+{_HOUSEHOLD}\s+(?:hits|beats|hurts|kicks|slaps|chokes|punches|locks)\s+"
            r"me|won'?t\s+let\s+me\s+leave\s+the\s+house|locks\s+me\s+(?:in|up)|domestic\s+"
            r"(?:violence|abuse)|(?:afraid|scared)\s+to\s+go\s+home)\b"
        ),
        SafetyKind.ABUSE,
    ),
    Rule(
        "medical emergency",
        _S,
        _re(
            r"\b(?:medical\s+emergency|heart\s+attack|chest\s+pains?|can(?:'?t|not)\s+breathe|"
            r"overdos\w*|seizure|unconscious|call(?:ing)?\s+(?:an\s+)?ambulance|"
            r"bleeding\s+(?:badly|heavily|a\s+lot)|passed\s+out|fainted|stroke\s+symptoms|"
            r"allergic\s+reaction|throat\s+is\s+(?:swelling|closing)|took\s+(?:way\s+)?too\s+"
            r"many\s+(?:pills|tablets|painkillers))\b"
        ),
        SafetyKind.MEDICAL,
    ),
    Rule(
        "legal emergency",
        _S,
        _re(
            r"\b(?:legal\s+emergency|been\s+arrested|got\s+arrested|police\s+(?:are|came|called)|"
            r"(?:being|been|getting)\s+sued|lawsuit|need\s+a\s+lawyer)\b"
        ),
        SafetyKind.LEGAL,
    ),
    *(Rule(name, _S, pattern, kind) for name, kind, pattern in OTHER_SAFETY_PATTERNS),
]


def safety_rule(text: str) -> RuleMatch | None:
    """The first safety rule that matches ``text``, or None."""
    for rule in SAFETY_RULES:
        match = rule.pattern.search(text)
        if match:
            return RuleMatch(rule, match.group(0))
    return None
