"""Request rules for a person asked for by name or by what they did: "is Priya around this
afternoon?", "could you forward this to Marco", "give me Dr. Okafor", "can you get the person who
wrote the lab 7 spec to clarify it".

A name is a capitalised word, as learners write names even when they write nothing else in
capitals, that is not a tool, a library or a word of Python ("is Python available", "pass it to
Counter", "give me True or False"). Lower-case names are left to the rules that need a pronoun
after them (``rules``: "is james free, want to go through classes with him").
"""

from __future__ import annotations

from bot.escalation.intents.kinds import IntentKind
from bot.escalation.intents.rule import Rule
from bot.escalation.intents.rule import compile_rule as _re
from bot.escalation.intents.words import ACT, TITLED, WHEN, YOU

_H = IntentKind.HUMAN_REQUEST

# Capitalised words that are not people: tools, libraries, Python's own names and the classes a
# course builds, days and places.
_NOT_PEOPLE = (
    r"(?:python\d*|py|pip|pypi|conda|anaconda|django|flask|fastapi|numpy|pandas|scipy|matplotlib|"
    r"seaborn|jupyter|colab|kaggle|replit|idle|pycharm|vscode|vs|code|sublime|vim|emacs|git|"
    r"github|gitlab|bitbucket|docker|windows|linux|mac|macos|ubuntu|debian|fedora|android|ios|"
    r"excel|word|outlook|slack|zoom|teams|discord|google|chrome|firefox|safari|edge|aws|azure|"
    r"heroku|java|javascript|node|rust|ruby|perl|php|swift|kotlin|go|html|css|json|csv|xml|"
    r"yaml|sql|sqlite|postgres|mysql|redis|mongo|mongodb|tkinter|turtle|pygame|pillow|requests|"
    r"selenium|pytest|unittest|black|ruff|mypy|true|false|none|counter|path|dataframe|series|"
    r"list|dict|set|tuple|str|int|float|bool|bytes|exception|error|object|class|self|main|"
    r"account|savingsaccount|person|student|employee|dog|cat|animal|car|point|vector|tree|"
    r"shape|circle|square|rectangle|stack|queue|bank|contact|book|it|this|that|the|lab|day|"
    r"chapter|exercise|module|monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|"
    r"tomorrow|everyone|anyone|someone|somebody|nobody|he|she|they|i|you|chatgpt|gpt|copilot|"
    r"claude|gemini|siri|alexa|cortana|ai|bot|coach|hi|hey|hello|ok|okay|thanks|please|pls)"
)
# A capitalised name, case kept even though rules read in any case; or a titled one.
NAME = rf"(?:(?!{_NOT_PEOPLE}\b)(?-i:[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?)\b|{TITLED})"
# Where a named request ends: the message, a sentence, or a word that keeps asking.
_END = r"(?=[^\S\n]*(?:$|\n|[.!,?;]|please\b|pls\b|plz\b|thanks\b|when\b|asap\b|so\b|for\b))"
# A course thing someone made or ran: "the day 4 brief", "monday's workshop".
_THEIR_WORK = (
    r"(?:the|this|that|our|my|[\w-]+'s)\s+(?:[\w-]+\s+){0,2}?(?:labs?|spec|brief|exercises?|"
    r"assignments?|quiz|course|workshop|session|lecture|class|module|task|grader|talk|tutorial|"
    r"webinar|live)\b"
)

NAMED_RULES: list[Rule] = [
    # "is Priya around this afternoon?", "any chance Dr. Okafor is free for a chat", "is Tom
    # online"; not "is Python available", "is Django free to use"
    Rule(
        "a name around",
        _H,
        _re(
            rf"\b(?:is\s+{NAME}|{TITLED})\s+(?:still\s+)?(?:around|online|about|reachable|in\s+"
            rf"today|in\s+the\s+office)\b|\b(?:is\s+)?{TITLED}\s+(?:is\s+)?(?:free|available|in)"
            rf"{_END}|\b(?:is\s+)?{NAME}\s+(?:free|available)\s+(?:for\s+(?:a|an)\s+(?:quick\s+|"
            rf"short\s+)?(?:chat|call|word|question|meeting)|{WHEN})"
        ),
    ),
    # "please forward this to Marco", "pass it on to Fatima when she's in"; not "pass it to
    # Counter", "forward this to Excel"
    Rule(
        "pass it to a name",
        _H,
        _re(
            r"\b(?:forward|pass|send|give|hand)\s+(?:this|it|my\s+(?:question|message|code|work|"
            rf"lab))\s+(?:on\s+|over\s+|along\s+|up\s+)?to\s+{NAME}{_END}"
        ),
    ),
    # "i'm done with the bot, give me Priya"; "can u get Ben to check my repo"
    Rule(
        "a name, given or sent",
        _H,
        _re(
            rf"\bgive\s+me\s+{NAME}(?=\W*$|[^\S\n]+(?:please|pls|plz|now|instead)\b)|"
            rf"{YOU}(?:get|ask|have)\s+{NAME}\s+to\s+(?:please\s+)?{ACT}"
        ),
    ),
    # "can you get the person who wrote the lab 7 spec to clarify", "i need the guy who ran
    # monday's workshop"; not "the person who wrote this code used a global"
    Rule(
        "the one who made it",
        _H,
        _re(
            r"\b(?:get|ask|have|contact|reach|email|message|ping|need|want|talk\s+to|speak\s+(?:to|"
            r"with))\s+(?:the|that)\s+(?:person|people|one|guy|lady|woman|man|folks?|instructor|"
            r"trainer|tutor|teacher)\s+who\s+(?:wrote|set|made|designed|marks|marked|grades|graded|"
            r"runs|ran|teaches|taught|led|leads|gave|hosted|hosts|presented|did)\s+"
            rf"{_THEIR_WORK}"
        ),
    ),
]
