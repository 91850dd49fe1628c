"""Safety rules: wordings that name a danger outright, in English and (``rules_other``) five
other languages. Programming talk ("kill the process", "the thread died"), figures of speech
("i nearly had a heart attack when the tests went red") and data ("suicide rates by country")
must not match: a rule's ``unless`` pattern, searched around what it matched, says which."""

from __future__ import annotations

from bot.escalation.intents.kinds import IntentKind, SafetyKind
from bot.escalation.intents.rule import Rule, RuleMatch
from bot.escalation.intents.rule import compile_rule as _re
from bot.escalation.intents.rules_other import OTHER_SAFETY_PATTERNS

_S = IntentKind.SAFETY
# People a threat or harassment names ("i know where the day 3 trainer lives").
_TARGETS = (
    r"trainer|teacher|instructor|tutor|mentor|coach|guy|girl|man|woman|person|classmate|boss|"
    r"ex|neighbou?r|lecturer|prof|professor|manager|colleague|coworker|co-worker|class|staff|"
    r"moderator|examiner|marker"
)
_ME = r"my\s*self"
_FAMILY = (
    r"partner|boyfriend|girlfriend|husband|wife|dad|father|step-?dad|mum|mom|mother|parents?|"
    r"brother|sister|uncle|roommate|flatmate|ex"
)
_HOUSEHOLD = f"(?:{_FAMILY})"
_PEOPLE = (
    r"(?:you|him|her|them|someone|somebody|anyone|anybody|everyone|everybody|people|"
    r"you\s+all|all\s+of\s+(?:you|them)|the\s+next\s+\w+|"
    rf"(?:that|this|the|my|our|your|his|her|their)\s+(?:[\w'-]+\s+){{0,2}}(?:{_TARGETS}|{_FAMILY})s?)\b"
)
_I_WILL = (
    r"(?:i(?:'ll|\s+will|\s+am\s+going\s+to|'?m\s+going\s+to|'?m\s+gonna|\s+want\s+to|"
    r"\s+wanna|\s+swear\s+i(?:'ll|\s+will))|gonna)"
)
_HARM = (
    r"(?:kill|hurt|shoot|stab|attack|beat\s+up|punch|strangle|murder|choke|slap|knife|batter|"
    r"smack|deck)"
)
_HIS = r"(?:his|her|their|your)"
_BODY = r"(?:face|head|legs?|arms?|neck|nose|jaw|teeth|skull|knees?|fingers?)"
# Someone who does something to the learner, near what they do (harassment is by a person).
_SOMEONE = (
    rf"(?:he|she|they|someone|somebody|people|{_TARGETS}s?|(?:one|some|a\s+few)\s+of\s+"
    r"(?:the|them|us))\b"
)

# Figures of speech and data that contain a rule's words, by kind, in any language's rule.
_FIGURES = {
    SafetyKind.SELF_HARM: _re(
        r"suicid\w*\s+(?:squad|rates?|statistics|stats|data\w*|by\s+(?:country|year))"
    ),
    SafetyKind.HARASSMENT: _re(
        r"harass\w*\s+(?:the\s+|my\s+own\s+)?(?:api|server|endpoint|service|database|db|"
        r"site)|harassment\s+(?:cases|data\w*|statistics|stats|reports?\s+per)"
    ),
    SafetyKind.MEDICAL: _re(
        r"(?:nearly|almost|practically|basically)\s+(?:had|have|having|got)\s+a\s+heart\s+"
        r"attack|(?:gave|give|giving|gives)\s+me\s+(?:a\s+)?heart\s+attacks?"
    ),
}

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
        unless=_FIGURES[SafetyKind.SELF_HARM],
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
            rf"\b(?:{_I_WILL}\s+(?:\w+\s+)?{_HARM}\s+{_PEOPLE}|beat\s+(?:him|her|them|you)\s+up|"
            rf"(?:smash|break|bash|punch|kick|cave)\s+{_HIS}\s+{_BODY}|bomb\s+threat|"
            r"bring(?:ing)?\s+(?:a|my|his|her|[\w]+'s)\s+(?:[\w']+\s+)?(?:gun|knife|weapon|rifle|pistol|"
            r"machete)(?!\s+to\s+a\s+gun\s*fight)|shoot\s+up\s+(?:the|this|that|our|my)\s+\w+|"
            r"put\s+(?:him|her|them|you)\s+in\s+(?:the\s+)?(?:hospital|grave|ground)|"
            r"make\s+(?:him|her|them|you)\s+(?:regret|pay|suffer|bleed)|watch\s+(?:his|her|their|"
            r"your)\s+back|(?:he|she|they|you)(?:'re|\s+are|'s|\s+is|'ll|\s+will)\s+(?:going\s+to\s+"
            r"|gonna\s+)?pay\s+for\s+(?:this|that|what)(?!\s+(?:course|class|program|licen))|"
            r"know\s+where\s+(?:he|she|they)\s+(?:lives?|parks?|sleeps?)|know\s+where\s+(?:the|"
            r"my|our|that|this)\s+(?:[\w'-]+\s+)"
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
            r"abusive|unwanted\s+(?:messages|advances|touching)|"
            rf"{_SOMEONE}[^.;!?]{{0,40}}\b(?:won'?t|doesn'?t|will\s+not|does\s+not|refuses?\s+to)"
            r"\s+(?:leave\s+me\s+alone|stop\s+(?:messaging|texting|dming|calling|following|"
            r"touching|contacting)\s+me)|send(?:s|ing)?\s+me\s+(?:\w+\s+)?(?:creepy|explicit|"
            r"sexual|inappropriate|threatening|disgusting|dirty|lewd|racist|sexist|homophobic|"
            r"transphobic|obscene|naked)\s+(?:pictures|pics|photos|images|messages|texts|dms|"
            r"videos|stuff|comments)|(?:touched|groped|grabbed|fondled)\s+me\b(?!\s+(?:deeply|"
            r"emotionally))|(?:comments?|commenting|remarks?|jokes?)\s+(?:about|on)\s+my\s+"
            r"(?:body|looks|appearance|figure|chest|breasts|legs|butt|boobs)|nudes|"
            r"(?:posted|leaked|published|shared)\s+my\s+(?:home\s+address|address(?!\s*book)|"
            r"nudes|private\s+(?:photos|pictures|pics))|dox+(?:ed|ing)?|follow(?:s|ed|ing)?\s+me"
            r"\s+(?:home|to\s+my\s+(?:car|house|flat|home|door))|(?:racist|sexist|homophobic|"
            r"transphobic|misogynist\w*)\s+(?:messages|comments|remarks|slurs|abuse|insults|jokes)"
            r"|call(?:s|ed|ing)?\s+me\s+(?:a\s+)?(?:racial\s+)?slurs?)\b"
        ),
        SafetyKind.HARASSMENT,
        unless=_FIGURES[SafetyKind.HARASSMENT],
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
        unless=_FIGURES[SafetyKind.MEDICAL],
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
    *(
        Rule(name, _S, pattern, kind, _FIGURES.get(kind))
        for name, kind, pattern in OTHER_SAFETY_PATTERNS
    ),
]


def safety_rule(text: str) -> RuleMatch | None:
    """The first safety rule that matches ``text`` (and whose ``unless`` does not match around
    it), or None."""
    for rule in SAFETY_RULES:
        for match in rule.pattern.finditer(text):
            if rule.counts(text, match):
                return RuleMatch(rule, match.group(0))
    return None
