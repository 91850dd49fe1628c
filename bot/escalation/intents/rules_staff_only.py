"""Request rules for what only staff can grant, and for whom to ask: a mark reviewed, a
deadline extended, a late hand-in, a certificate that never came, "who do i email about my lab
mark". The course says nothing of these and the coach can do none of them, so asking for one
asks for a person ("who decides if i can get an extension" has a person for its answer).

The same words elsewhere ask for nobody: "how is the grade for lab 2 calculated", "a file
extension", "i need an extension for vscode", "the certificate verify failed".
"""

from __future__ import annotations

from bot.escalation.intents.kinds import IntentKind
from bot.escalation.intents.rule import Rule
from bot.escalation.intents.rule import compile_rule as _re

_H = IntentKind.HUMAN_REQUEST
# Work the learner hands in, by name or by day: "the contact book lab", "day 4", "my capstone".
_WORK = (
    r"(?:(?:the|my|this|our)\s+)?(?:day\s+\d+\s+)?(?:[\w-]+\s+){0,2}?(?:deadline|lab|submission|"
    r"assignment|project|capstone|homework|exercise|quiz|exam|day\s+\d+)\b"
)

STAFF_ONLY_RULES: list[Rule] = [
    # "who do i email about my lab mark", "who decides whether i pass", "who's the person to ask
    # about deadlines", "this needs someone with authority"
    Rule(
        "whom to ask",
        _H,
        _re(
            r"\bwho(?:m)?\s+(?:do|should|can|could|would|shall|must)\s+(?:i|we)\s+(?:\w+\s+)?(?:email|"
            r"e-mail|contact|ask|talk\s+to|speak\s+(?:to|with)|message|write\s+to|go\s+to|reach\s+out\s+"
            r"to|complain\s+to|turn\s+to|dm)\b|\bwho(?:'s|\s+is)\s+the\s+(?:right\s+|best\s+)?"
            r"(?:person|one|contact|people)\s+(?:to\s+(?:ask|contact|email|talk\s+to|speak\s+to|see)|for|"
            r"i\s+should)\b|\bwho\s+(?:decides|approves|grants|handles|marks|grades|signs\s+off)\s+(?:if\s+"
            r"i|whether\s+i|on\s+my|my|extensions?|deadlines?|certificates?|appeals?|(?:the\s+|our\s+)?"
            r"(?:day\s+\d+\s+)?(?:[\w-]+\s+)?(?:labs?|assignments?|exams?|capstone))\b|\bwho\s+(?:can|could|will)\s+(?:approve|grant|sign\s+off|change|fix|"
            r"re-?mark|regrade)\s+(?:an?\s+|my\s+)(?:\w+\s+)?(?:extensions?|deadlines?|marks?|"
            r"grades?|certificates?|submissions?)\b|\b(?:this|it|that|i)\s+needs?\s+(?:some|any)(?:one|body)\s+(?:with\s+(?:authority|"
            r"access|admin\s+rights|the\s+power)|in\s+charge|senior|official)\b"
        ),
    ),
    # "can i get a second opinion on my lab 3 mark", "i'd like to appeal my grade", "can i have
    # my submission re-marked"
    Rule(
        "a mark reviewed",
        _H,
        _re(
            r"\b(?:(?:can|could|would|will)\s+(?:the|my|our)\s+(?:human\s+)?marker\s+(?:please\s+)?(?:have\s+"
            r"(?:another|a\s+second|a\s+quick)\s+look|take\s+(?:another|a)\s+look|look\s+(?:at\s+it\s+)?again|"
            r"re-?mark|re-?check|review|explain|check)|(?:marked|graded)\b[^.?!\n]{0,60}\bcan\s+(?:it|this|"
            r"that)\s+be\s+(?:looked\s+at|checked|re-?marked|reviewed|regraded)|second\s+opinion\s+on\s+(?:my|the)\s+(?:[\w-]+\s+){0,3}?(?:mark|grade|score|result|"
            r"feedback)|(?:appeal|contest|dispute)\s+(?:my|the|this)\s+(?:[\w-]+\s+){0,3}?(?:mark|grade|"
            r"score|result)|(?:have|get)\s+my\s+(?:[\w-]+\s+){0,3}?(?:mark|grade|score|submission)\s+"
            r"(?:re-?)?(?:reviewed|checked|looked\s+at|re-?marked|re-?graded)|(?:request|ask\s+for|want|"
            r"need|like)\s+(?:a\s+)?(?:re-?mark|re-?grade|regrading|remarking|re-?review))s?\b"
        ),
    ),
    # "can i get an extension on the gradebook lab", "need a 3 day extention pls", "can i hand
    # it in late", "can my deadline be moved"
    Rule(
        "an extension",
        _H,
        _re(
            r"\b(?:get|need|want|request|ask\s+for|have|apply\s+for|give\s+me|grant\s+me)\s+(?:an?\s+|"
            r"another\s+|some\s+)?(?:[\w-]+\s+){0,2}?exten[st]ion(?=[^\S\n]*(?:$|\n|[.?!,;]|"
            rf"(?:on|for|to)\s+{_WORK}|please|pls|plz|because|bc\b|since|as\s+i\s+(?:was|am|have|had)|"
            r"if\s+possible|till|until))|\bexten[st]ions?\s+(?:on|for|to)\s+{_WORK}|\b(?:can|could|may)\s+(?:i|we)\s+"
            r"(?:please\s+)?(?:submit|hand\s+in|turn\s+in|hand\s+it\s+in|send\s+it)\s+(?:\w+\s+){0,3}?"
            r"late\b|\b(?:can|could)\s+(?:my|the|our)\s+(?:\w+\s+){0,3}?deadline\s+(?:please\s+)?(?:be\s+)?"
            r"(?:moved|pushed|extended|changed)(?![^.?!\n]{0,40}\b(?:asyncio|wait_for|timeouts?|times?\s+"
            r"out|sockets?|threads?|requests?)\b)"
        ),
    ),
    # "my certificate still hasn't arrived", "can the name on my certificate be fixed"
    Rule(
        "a certificate",
        _H,
        _re(
            r"(?:\b(?:my|the)\s+certificate\s+(?:still\s+)?(?:hasn'?t|has\s+not|never|didn'?t|did\s+not)\s+"
            r"(?:\w+\s+)?(?:arrived|come|came|been\s+(?:sent|issued))|\b(?:fix|change|correct|update)\s+"
            r"(?:the\s+|my\s+)?name\s+on\s+(?:my|the)\s+certificate|\bname\s+on\s+(?:my|the)\s+"
            r"certificate\s+(?:is\s+)?(?:wrong|misspelt|misspelled|incorrect))"
            r"(?![^.?!\n]{0,60}\b(?:ssl|tls|ca|verify|openssl|https|pip|requests|server|domain)\b)"
        ),
    ),
]
