"""What a message says against a request for a person: that the learner wants none ("i dont
need a human"), will reach one themselves ("i'll ask my mentor tomorrow"), or already has ("i
asked my trainer yesterday and she said..."). Such words read close to a request, by rule or by
similarity, and must not count as one."""

from __future__ import annotations

import re
from functools import lru_cache

from bot.escalation.intents.rules_other import mentions_person
from bot.escalation.intents.words import ANYONE, ARTICLES, REACHES, TEACHERS

# The learner will reach the person themselves, at a time they name or on their own: "i'll ask
# my mentor tomorrow", "i will talk to my trainer about it on monday". Without that ("ok, i'll
# talk to a trainer then") it may well accept the offer of one, so it stays a request.
_SELF_ARRANGED = re.compile(
    r"(?:\b(?:i'?ll|i\s+will|i'?m\s+(?:going\s+to|gonna)|i\s+am\s+(?:going\s+to|gonna))\s+"
    r"(?:just\s+|probably\s+)?"
    r"(?:ask|message|email|text|ping|call|see|contact|check\s+with|talk\s+to|speak\s+to)|"
    r"(?:^|(?<=[,.;:!?]\s)|\bi'?m\s+|\bim\s+|\bi\s+am\s+)(?:seeing|meeting|calling|talking\s+to|"
    r"speaking\s+to))\s+"
    rf"{ARTICLES}{ANYONE}\b(?:\s+[\w']+){{0,5}}?\s+"
    r"(?:later|tomorrow|tmrw|tmr|tonight|myself|next\s+(?:week|time|session|class)|in\s+class|"
    r"this\s+(?:afternoon|evening|weekend|week)|(?:on\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)"
    r"day'?s?|(?:at\s+)?the\s+end\s+of\s+(?:the|this)\s+(?:week|day)|after\s+lunch|"
    r"(?:at|in|during|after)\s+(?:the\s+|our\s+|my\s+|next\s+|[\w-]+'?s\s+){0,2}(?:session|"
    r"class|lecture|workshop|office\s+hours|meeting|standup|1[:-]1)|at\s+\d{1,2}(?::\d\d)?\s*(?:am|pm)?)\b"
    # a session the learner has: "i'm going to office hours on thursday", "i've got my 1:1 with
    # my mentor tomorrow"
    r"|(?:\b(?:i'?m|im|i\s+am)\s+(?:going\s+to|gonna\s+go\s+to|heading\s+to|off\s+to)\s+(?:the\s+|my\s+)?"
    r"(?:office\s+hours|session|1[:-]1|class|lecture)|\b(?:i'?ve|i\s+have)\s+got\s+(?:my|a|an)\s+"
    r"(?:\w+\s+)?(?:1[:-]1|session|meeting|call|appointment|office\s+hours))(?:\s+[\w']+){0,4}?"
    rf"(?:\s+with\s+{ARTICLES}(?:{ANYONE}|[a-z][\w'-]*))?\b"
    # a question kept for a session: "i'll bring this to office hours on friday"
    r"|\b(?:i'?ll|i\s+will|i'?m\s+(?:going\s+to|gonna))\s+(?:bring|take|raise|save)\s+(?:this|it)\s+"
    r"(?:up\s+)?(?:to|at|in|for)\s+(?:the\s+|my\s+|next\s+)*(?:office\s+hours|session|class|lecture|"
    r"workshop|1[:-]1|meeting)\b",
    re.IGNORECASE,
)
_NAMES_ANYONE = re.compile(rf"\b{ANYONE}\b", re.IGNORECASE)


_DENIED_REQUEST = re.compile(
    r"\b(?:(?:don'?t|do\s+not|doesn'?t|no|not|never)\s+(?:really\s+)?(?:need|want|require)"
    r"(?:\s+to\s+(?:get|have|involve|bother|ask|call|wake|disturb|talk\s+to|speak\s+to))?"
    r"|(?:don'?t|do\s+not|no\s+need\s+to|never|please\s+don'?t)\s+(?:escalate|forward|pass|send|"
    r"hand|flag|bother|disturb|involve|wake|ping)(?:\s+(?:this|it|me|us))?(?:\s+(?:on|over|up))?"
    rf"(?:\s+(?:to|for|with))?|without"
    # the coach before a person: "i'd rather figure this out with you than wait for a tutor"
    r"|(?:rather|prefer)\b[^.?!]{0,60}?\bthan\s+(?:wait(?:ing)?\s+(?:for|on)|ask(?:ing)?|"
    r"bother(?:ing)?|email(?:ing)?|messag(?:e|ing)|ping(?:ing)?)"
    # a person set against: "question for the coach, not a person"
    r"|(?:(?<=[,:;]\s)|(?<=[,:;])|(?<=\s-\s)|(?<=\sbut\s)|(?<=\sand\s))not(?:\s+(?:from|for|"
    r"with))?"
    rf")\s+(?:for\s+)?{ARTICLES}{ANYONE}\b",
    re.IGNORECASE,
)
# A talk with a person that is over: "i asked my trainer yesterday and she said to use a dict",
# "had a call with my mentor yesterday", "support already replied to my email"; or a person away,
# so the learner asks the coach: "my mentor is busy this week so im using you".
_REPORTED = re.compile(
    r"\b(?:(?:i|we)\s+(?:already\s+)?(?:asked|told|emailed|messaged|texted|pinged|called|showed|"
    r"talked\s+to|spoke\s+(?:to|with)|checked\s+with)|(?:(?:i|we)\s+)?had\s+(?:a\s+)?(?:\w+\s+)?"
    rf"(?:call|chat|session|meeting|1[:-]1|talk|word)\s+with)\s+{ARTICLES}{ANYONE}\b"
    r"(?:\s+[\w']+){0,4}?\s+(?:yesterday|earlier|already|before|last\s+(?:week|night|time|session|"
    r"class)|this\s+morning|in\s+class|and\s+(?:she|he|they)\s+(?:said|told|says|explained|"
    r"showed|mentioned))\b"
    rf"|\b(?:{ANYONE}|support)(?:,\s+[\w.'-]+(?:\s+[\w.'-]+)?,)?\s+(?:already\s+)?(?:replied|"
    r"answered|responded|got\s+back\s+to\s+me|reviewed|suggested|recommended|commented|explained|"
    r"mentioned|said|told\s+(?:me|us)|showed\s+(?:me|us)|re-?marked|marked|graded|sorted|fixed)\b"
    rf"|\b{ANYONE}\s+(?:is|are|was|'s)\s+(?:\w+\s+)?(?:busy|away|off|out|sick|"
    r"unavailable|on\s+holiday|on\s+leave)\b[^.?!]{0,40}?\bso\s+(?:i'?m|im|i\s+am|i'?ll|i\s+will)\s+"
    r"(?:using|asking|trying|stuck\s+with)\s+(?:you|the\s+bot|this)\b",
    re.IGNORECASE,
)
_ASKS = re.compile(r"\b(?:need|want|can|could|would|please|pls|asking)\b", re.IGNORECASE)
# The coach is this bot: "question for the coach, not a person" names nobody else.
_THE_COACH = re.compile(r"\b(?:the|this|you|ai|bot)\s+coach\b", re.IGNORECASE)
# What still asks for the person met or turned down, by pronoun or by silence: "she hasnt
# answered, could you chase her up", "i really want her to look at my code", "still no reply".
_STILL_ASKS = re.compile(
    r"\b(?:(?:can|could|would|will)\s+(?:you|u|someone|somebody)\s+(?:please\s+|pls\s+)?|(?:please|"
    r"pls|plz)\s+|help\s+me\s+)(?:contact|reach|chase|remind|ask|get|tell|ping|email|message|call|"
    r"nudge)\s+(?:him|her|them)\b|\b(?:need|want)\s+to\s+(?:talk|speak)\s+(?:to|with)\s+(?:him|her|"
    r"them)\b|\b(?:want|need|get|have)\s+(?:him|her|them)\s+to\b|\bcan\s+i\s+(?:get|book|have)\s+"
    r"(?:another|one|a\s+slot|a\s+1[:-]1|a\s+session)\b|\bcan\s+(?:it|this|that)\s+be\s+(?:looked\s+at|"
    r"checked|re-?marked|reviewed|regraded)|\bcan\s+i\s+book\b|\b(?:can|could|would|will)\s+(?:she|"
    r"he)\b|\b(?:she|he|they)\s+(?:has|have|had)\s+(?:a\s+)?(?:free\s+)?(?:slot|time|space|minutes?)\b|\b(?:hasn'?t|hasnt|has\s+not|haven'?t|never|didn'?t|didnt|did\s+not|still\s+(?:no|hasn'?t|"
    r"hasnt|not))\s+(?:\w+\s+)?(?:reply|replied|answer(?:ed)?|respond(?:ed)?|got\s+back|get\s+back|"
    r"heard|come\s+back)|\bno\s+(?:reply|answer|response)\b|\bheard\s+nothing\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=256)
def denies_request(text: str) -> bool:
    """Whether the text says it does not want a person ("i dont need a human, just tell me"),
    that the learner will reach one themselves ("i'll ask my mentor tomorrow") or already has
    ("i asked my trainer yesterday and she said..."), and names no person otherwise: such a
    text reads close to a request, and must not count as one. "get me a human or i'll email my
    tutor tomorrow" still asks. In the other languages of the rules, their ``mentions`` say it
    ("ieri ho chiesto al tutor", "no necesito un humano")."""
    if mentions_person(text):
        return True
    said = False
    for pattern in (_DENIED_REQUEST, _SELF_ARRANGED, _REPORTED):
        text, found = pattern.subn(" ", text)
        said = said or found > 0
    if not said or _STILL_ASKS.search(text):
        return False
    return _NAMES_ANYONE.search(_THE_COACH.sub(" ", text)) is None


def settled_spans(text: str) -> list[tuple[int, int]]:
    """Where in ``text`` the learner says they will reach the person themselves, or already
    talked with them ("had a chat with my trainer yesterday"): a rule's match inside one of
    these asks for nobody."""
    spans = [m.span() for m in _SELF_ARRANGED.finditer(text)]
    # A past talk covers a request only when it asks nothing itself: not "i told my mentor i
    # need a trainer before friday".
    return spans + [m.span() for m in _REPORTED.finditer(text) if not _ASKS.search(m.group(0))]


# A part that tells of a past meeting or thanks a person ("the live session with the instructor
# on saturday was very helpful", "thank you to the tutor who helped me last time") reads close to
# a request by similarity, yet asks nothing, unless it also says what it wants now.
_PAST = re.compile(
    r"\b(?:yesterday|last\s+(?:week|time|night|session|class|month|call|(?:mon|tues|wednes|thurs|"
    r"fri|satur|sun)day)|earlier(?:\s+today)?|this\s+morning|the\s+other\s+day|(?:on|from)\s+"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|ago)\b",
    re.IGNORECASE,
)
_THANKS = re.compile(
    r"\b(?:thanks?|thank\s+you|thx|ty|grateful|shout[-\s]?out|kudos)\b", re.IGNORECASE
)
_WANTS_NOW = re.compile(
    r"\?|\b(?:can|could|would|will|may|please|pls|plz|need|needs|want|wanna|asap|urgent|today|now|"
    r"tomorrow|again|help\s+me|get\s+me|i'?d\s+like|like\s+(?:to|a|an|my|the)|wish|possible|"
    r"hand\s+me|meet|talk\s+(?:to|with)|speak\s+(?:to|with)|ask\s+(?:a|an|the|my|for)|contact|"
    r"reach\s+out|call\s+me|book|let\s+me|get\s+(?:a|an|my)|confirm|check\s+(?:my|this|it)|"
    r"look\s+at\s+(?:my|this))\b",
    re.IGNORECASE,
)
# A part that puts a person off for now: "no need to escalate anything", "please do not trouble
# the teacher now", "asking before i bother any of the instructors", "nvm about the tutor thing".
_NOT_NOW = re.compile(
    r"\b(?:no\s+need\s+to|don'?t\s+worry|do\s+not\s+(?:trouble|bother|worry)|don'?t\s+(?:trouble|"
    r"bother)|nvm|never\s*mind|before\s+i\s+bother|won'?t\s+(?:demand|ask\s+for|bother)|didn'?t\s+"
    r"mean\s+to\s+ask)\b",
    re.IGNORECASE,
)


def asks_nothing_now(text: str) -> bool:
    """Whether a part of a message puts a person off for now, mentions people only in passing
    (``only_in_passing``), or tells of a past meeting or thanks one and asks for nothing now:
    such a part reads close to a request by similarity and must not count as one (a rule still
    finds a request in it)."""
    if _NOT_NOW.search(text) or only_in_passing(text):
        return True
    told = _PAST.search(text) is not None or _THANKS.search(text) is not None
    return told and _WANTS_NOW.search(text) is None


# A person mentioned in passing, asked for nothing: the learner's own job or a relative's ("i'm
# a teacher too", "my sister is a tutor"), a talk that is over ("i already spoke with my
# mentor"), a person away ("my tutor is on holiday"), a message the learner wants help writing
# ("help me draft an email to my trainer"), a comparison ("better than a real teacher") or a state
# ("on a call with my team", "talking to people all day is tiring").
_JOB = rf"(?:{TEACHERS}|agent|operator|representative|coach|support\s+\w+|staff\s+member)"
_IN_PASSING = re.compile(
    rf"\b(?:i'?m|im|i\s+am|i\s+work\s+as|i\s+used\s+to\s+be|as)\s+(?:a|an)\s+(?:[\w-]+\s+){{0,2}}?"
    rf"{_JOB}\b|\bmy\s+(?:dad|father|mum|mom|mother|parents?|wife|husband|partner|sister|brother|"
    r"friend|son|daughter|aunt|uncle|cousin|colleague|boss|flatmate|roommate|neighbou?r|gran\w*)\s+"
    rf"(?:is|was|works\s+as|used\s+to\s+be)\s+(?:a|an)\s+(?:[\w-]+\s+){{0,2}}?{_JOB}\b|"
    r"(?:^|\b(?:i|we)\s+)(?:already\s+|just\s+)?(?:(?:talked|spoke|chatted|checked)\s+(?:to|with)|"
    rf"met(?:\s+with)?|emailed|messaged)\s+{ARTICLES}{ANYONE}\b|\b{ANYONE}\s+(?:is|are|was|'s)\s+"
    r"(?:\w+\s+)?(?:busy|away|off|out|sick|ill|unavailable|on\s+(?:holiday|leave|vacation|a\s+"
    r"break))\b|\b(?:word|write|draft|phrase|compose|proofread|polish)\s+(?:an?\s+|my\s+|this\s+|"
    r"the\s+)?(?:[\w-]+\s+)?(?:email|e-mail|message|note|letter|reply|dm|text)\s+(?:to|for)\s+"
    rf"{ARTICLES}(?:{ANYONE}|[a-z][\w'-]*)\b|\b(?:better|worse|faster|clearer|nicer|smarter|"
    r"quicker|more\s+\w+|less\s+\w+)\s+than\s+(?:(?:a|an|the|my|any|most|some)\s+)?(?:real\s+|"
    rf"actual\s+|human\s+)?(?:person|people|humans?|{TEACHERS})\b|\b(?:on|in)\s+a\s+(?:quick\s+)?"
    r"(?:call|meeting|zoom|standup)\s+with\s+(?:my|the|our)\s+(?:[\w-]+\s+)?(?:team|colleagues|"
    r"boss|manager|class|friends?|family|kids)\b|\b(?:talking|speaking|chatting|dealing)\s+"
    r"(?:to|with)\s+(?:\w+\s+)?(?:humans|people|persons)\b(?:\s+\w+){0,3}?\s+(?:is|was|gets|feels|"
    r"are|can\s+be)\b",
    re.IGNORECASE,
)
# Whom a part asks for, or how it reaches them (``words.REACHES``).
NAMES_A_REACH = re.compile(rf"\b{REACHES}\b", re.IGNORECASE)


def only_in_passing(text: str) -> bool:
    """Whether every person the text names is only mentioned in passing (``_IN_PASSING``): with
    those mentions taken out, nobody is left to reach, and nothing asks again for them."""
    if _IN_PASSING.search(text) is None or _STILL_ASKS.search(text):
        return False
    return NAMES_A_REACH.search(_IN_PASSING.sub(" ", text)) is None
