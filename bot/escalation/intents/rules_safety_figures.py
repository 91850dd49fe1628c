"""Figures of speech and data that contain a safety rule's words, by kind, in any language's
rule: "my laptop is going to die", "i nearly had a heart attack when the tests went red",
"suicide rates by country". A rule's match that one of these overlaps does not count."""

from __future__ import annotations

from bot.escalation.intents.kinds import SafetyKind
from bot.escalation.intents.rule import compile_rule as _re

FIGURES = {
    SafetyKind.SELF_HARM: _re(
        # Dying of curiosity, laughter or boredom, in the other languages.
        r"\bsterbe\s+(?:vor|aus)\s+(?:neugier|lachen|langeweile|hunger|ungeduld)|\bich\s+lach\s+mich\s+"
        r"tot|\bme\s+muero\s+de\s+(?:ganas|risa|hambre|sueño|aburrimiento|vergüenza|curiosidad)|"
        r"\bje\s+meurs\s+(?:de|d')\s*(?:faim|rire|envie|curiosité|impatience|ennui)|\bmorr\w+\s+de\s+"
        r"(?:rir|vontade|fome|curiosidade|tédio|sono|ganas|risa)|\bmuoio\s+(?:dalla|di|dal)\s+"
        r"(?:curiosità|voglia|fame|sonno|noia|ridere|risate)|\bga\s+dood\s+van\s+(?:de\s+)?"
        r"(?:honger|verveling|nieuwsgierigheid|het\s+lachen)|\b(?:bug|code|labo?|exercice|"
        r"programme|script)\b[^.?!\n]{0,20}\bva\s+me\s+tuer|"
        r"suicid\w*\s+(?:squad|rates?|statistics|stats|data\w*|per\s+\w+|by\s+(?:country|year))|"
        r"statisti\w+\s+(?:de|du|des|on|of|über|sobre|di)\s+(?:\w+\s+)?suicid\w*|"
        r"cut\s+myself\s+(?:some\s+)?slack|end\s+it\s+all\s+or\s+just|hurt\s+myself\s+trying\s+to|"
        r"(?:going\s+to|gonna)\s+die\b[^.?!\n]{0,40}?\b(?:lol|lmao|haha\w*|jk|xd)\b|(?:going\s+to|"
        r"gonna|want\s+to)\s+die\s+(?:of|from)\s+(?:boredom|embarrassment|laughter|shame|cringe)|"
        r"(?:trial|subscription|contract|sprint|meeting|call|stream|game|membership|lease|loop|"
        r"session)\b[^.?!]{0,60}\bend\s+it\b[^.?!]{0,30}|"
        r"(?:keyboard|laptop|computer|phone|battery|fan|pc|mouse|cpu|machine)\s+(?:is\s+)?(?:going\s+to|"
        r"gonna|about\s+to)\s+die|suicide\s+prevention\s+(?:report|dataset|data|article|text|"
        r"statistics|study|paper)|self[-\s]?harm\s+(?:hospital\s+)?(?:admissions|data\w*|statistics|stats|"
        r"rates?|cases|records|incidents)|"
        r"(?:process|thread|worker|daemon|child|program|script|app|server|container|pod|task)\w*\s+"
        r"(?:\w+\s+){0,2}?(?:to\s+)?commit\w*\s+suicide|(?:thread|process)\s+suicide|['\"‘“]suicide['\"’”]|"
        r"(?:career|social|political|commercial)\s+suicide|suicide\s+(?:mission|run|doors?|burns?)|"
        r"\b(?:is|are|was|looks?|tastes?|sounds?|smells?)\s+to\s+die\s+for\b|(?:i'?ll|i\s+will)\s+get\s+over\s+it|suicide\s+prevention\s+(?:charity|"
        r"fundraiser|walk|run|week|day|month|training|course|workshop)|\b(?:lab|loop|code|bug|"
        r"recursion|exercise|homework|python|class|error|test|indentation|regex|dict|dictionar|list|"
        r"function|gradebook|course|assignment|quiz)\w*\b[^.?!\n]{0,30}?(?:going\s+to|gonna|will|'ll)\s+"
        r"be\s+the\s+(?:death|end)\s+of\s+me|"
        r"(?:dataset|datos|data|estadísticas?|tasas?)\s+(?:de|del|on|of)\s+suicid\w*|suicid\w*\s+"
        r"(?:por|per|by)\s+|(?:thread|process|worker|task|loop|job|server|program|"
        r"script|app|container|kernel|pod|computer|laptop|pc|machine|screen)\s+(?:\w+\s+){0,3}?"
        r"(?:going\s+to\s+die|want\w*\s+to\s+die|not\s+wake\s+up)"
    ),
    SafetyKind.THREAT: _re(
        r"(?:character|avatar|hero|champion|npc|sim|wizard|paladin|rogue)\s+(?:just\s+)?(?:got\s+"
        r"|was\s+|is\s+)?(?:poisoned|killed|shot|stabbed|murdered|died|dead)|\bhead\s?shot\w*|"
        r"(?:final|end|level|last|big)\s+boss|shoot\s+(?:\w+\s+){1,2}?(?:a|an)\s+(?:quick\s+)?"
        r"(?:message|email|e-?mail|dm|text|line|note|invite|link|pm|mail)|kill\s+(?:them|it|him)\s+"
        r"(?:all\s+)?(?:with|using|via|from)\s+(?:pkill|kill|sigkill|sigterm|ctrl|task\s*manager|"
        r"htop|top|the\s+\w+\s+command)|make\s+them\s+pay\s+(?:with|by|via|before|using|through|"
        r"online|upfront|first)|know\s+where\s+(?:they|he|she)\s+lives?\s+(?:on|in)\s+(?:the\s+)?"
        r"(?:disk|repo|file|folder|directory|code|module|package|project|system|memory)"
    ),
    SafetyKind.HARASSMENT: _re(
        r"harass\w*\s+(?:if|when)\s+(?:my|a|the|our)\s+(?:scraper|crawler|bot|script|code|program)|"
        r"harass\w*\s+(?:the\s+|my\s+own\s+)?(?:api|server|endpoint|service|database|db|"
        r"site)|harassment\s+(?:cases|data\w*|statistics|stats|reports?)|bully\s+algorithm|"
        r"stalk\w*\s+(?:the\s+)?(?:github|issues?|repo|docs|forum|subreddit|reddit|"
        r"stack\s*overflow|thread|changelog|release)|unwanted\s+messages\s+(?:from|in|on)\s+"
        r"(?:the\s+)?(?:\w+\s+)?(?:queue|topic|broker|log|stream)|(?:detect|filter|flag|classif|"
        r"moderat|block|remov)\w*\s+(?:[\w-]+\s+){0,6}?(?:racist|sexist|homophobic|transphobic|"
        r"misogynist\w*|nudes|harass\w*|sexual)\w*(?:\s+\w+){0,4}|bull(?:y|ied)\s+(?:into|"
        r"algorithm|pattern|election|ai|npc)|(?:linter|pylint|flake8|ruff|mypy|compiler|ide|editor|"
        r"ci|pipeline|ide|vs\s*code|pycharm|warnings?)\s+(?:\w+\s+){0,2}?harass\w*|harassment\s+"
        r"(?:policy|policies|training|module|procedure|guidelines|form|course|quiz)"
    ),
    SafetyKind.MEDICAL: _re(
        r"(?:she|he|they|you|it)(?:'ll|\s+will|'d|\s+would)\s+(?:\w+\s+)?have\s+a\s+heart\s+attack|"
        r"(?:nearly|almost|practically|basically)\s+(?:had|have|having|got)\s+a\s+heart\s+"
        r"attack|(?:gave|give|giving|gives)\s+me\s+(?:a\s+)?heart\s+attacks?|"
        r"(?:heart\s+attack|seizure|stroke|overdose)s?\s+(?:prediction|detection|dataset|data|risk|"
        r"classifier|model|incidents|cases|counts?|reports?|records?|statistics|stats|numbers|"
        r"rates?|per\s+\w+)|passed\s+out\s+(?:the\s+)?(?:worksheets|handouts|sheets|papers|"
        r"copies|slides|flyers|exercises)|unconscious\s+bias|overdos\w*\s+on\s+(?:coffee|caffeine|"
        r"sugar|tea|energy\s+drinks?|red\s+bull|code|python|tutorials|memes|pizza|chocolate|logs?|"
        r"logging|output|print\w*|data|info|information|notifications|docs|documentation|content|"
        r"videos|youtube|netflix)|(?:fainted|passed\s+out)\b[^.?!\n]{0,40}?\b(?:years|months|ages|"
        r"decades)\s+ago|"
        r"can'?t\s+breathe\W+(?:\w+\W+){0,6}?(?:funn\w*|hilarious|laugh\w*|lol|lmao|haha)|(?:laptop|pc|"
        r"computer|fan|machine|cpu|server)\s+can'?t\s+breathe|passed\s+out\s+(?:on\s+(?:the|my)\s+"
        r"(?:couch|sofa|bed|desk)|of\s+the)|(?:almost|nearly)\s+(?:fainted|passed\s+out)|pass(?:ed|ing)?\s+"
        r"out\s+(?:from|with)\s+(?:shock|joy|laughter|relief|excitement|happiness)|(?:over|above)\s+"
        r"my\s+head|medical\s+emergency\s+"
        r"(?:queue|sim\w*|model|system|app|dataset|data)|allergic\s+reaction\s+to\s+(?:java\w*|"
        r"php|perl|cobol|excel|regex|math\w*|work|mondays)"
    ),
    # Despair said of code or as a joke, not of oneself or of life, in the other languages'
    # rules: "mein Code ist hoffnungslos", "c'est désespérant lol", "hopeloos haha".
    SafetyKind.HOPELESSNESS: _re(
        r"\b(?:code|codes|script|programm\w*|código|codice|bug|bugs|lab|labo)\b[^.?!\n]{0,40}|"
        r"[^.?!\n]{0,40}(?:\blol\b|haha|ahah|\bkkk|\bmdr\b|jaja|\U0001f602|\U0001f923)"
    ),
}

# The kinds whose figures are said of oneself in every language: the hopelessness figure above
# covers any mention of code, and is for the other languages' despair rules only.
_SAID_OF_ONESELF = (
    SafetyKind.SELF_HARM,
    SafetyKind.THREAT,
    SafetyKind.HARASSMENT,
    SafetyKind.MEDICAL,
)


def figure_of_speech(text: str) -> bool:
    """Whether ``text`` holds one of the figures of speech above ("my laptop is going to die",
    "it went right over my head"): a part of a message that does reads near a concern by
    similarity without being one."""
    return any(FIGURES[kind].search(text) for kind in _SAID_OF_ONESELF)
