"""Safety rules: wordings that name a danger outright, in English and (``rules_other_safety``) six
other languages. Programming talk ("kill the process", "the thread died"), figures of speech
("i nearly had a heart attack when the tests went red") and data ("suicide rates by country")
must not match: a rule's ``unless`` pattern, searched around what it matched, says which."""

from __future__ import annotations

from bot.escalation.intents.kinds import IntentKind, SafetyKind
from bot.escalation.intents.rule import Rule, RuleMatch
from bot.escalation.intents.rule import compile_rule as _re
from bot.escalation.intents.rules_other_safety import OTHER_SAFETY_PATTERNS
from bot.escalation.intents.rules_safety_figures import FIGURES as _FIGURES

_S = IntentKind.SAFETY
# People a threat or harassment names ("i know where the day 3 trainer lives").
_TARGETS = (
    r"trainer|teacher|instructor|tutor|mentor|coach|guy|girl|man|woman|person|classmate|boss|"
    r"ex|neighbou?r|lecturer|prof|professor|manager|colleague|coworker|co-worker|moderator|"
    r"examiner|marker"
)
_ME = r"my\s*self"
_FAMILY = (
    r"partner|boyfriend|girlfriend|husband|wife|dad|father|step-?dad|mum|mom|mother|parents?|"
    r"brother|sister|uncle|roommate|flatmate|ex"
)
_HOUSEHOLD = f"(?:{_FAMILY})"
_PEOPLE = (
    r"(?:you|u|him|her|them|someone|somebody|anyone|anybody|everyone|everybody|people|"
    r"you\s+all|all\s+of\s+(?:you|them)|every\s+(?:single\s+)?one\s+of\s+(?:you|them)|the\s+next\s+(?!(?:thread|process|job|worker|task|"
    r"request|bug|test|line|loop|call|one|batch|run)\b)\w+|"
    rf"(?:that|this|the|my|our|your|his|her|their)\s+(?:[\w'-]+\s+){{0,2}}(?:{_TARGETS}|{_FAMILY})s?)\b"
    # Not "everyone's jobs", "them all" of code ("this class of bugs" names no person).
    r"(?!'s|\s+of\b)"
)
_I_WILL = (
    r"(?:i(?:'ll|\s+will|\s+am\s+going\s+to|'?m\s+going\s+to|'?m\s+gonna|\s+want\s+to|"
    r"\s+wanna|\s+swear\s+i(?:'ll|\s+will))|gonna|ill|imma|ima)"
)
_HARM = (
    r"(?:kill|hurt|shoot|stab|attack|beat\s+up|punch|strangle|murder|choke|slap|knife|batter|"
    r"smack|deck)"
)
_HIS = r"(?:his|her|their)"
_BODY = r"(?:face|head|legs?|arms?|neck|nose|jaw|teeth|skull|knees?|fingers?|throat)"
# Where an attack would be: "shoot up the office", "blow up the building".
_PLACE = r"(?:school|office|class(?:room)?|campus|building|venue|meetup|lecture\s+hall|workplace)"
# Someone who does something to the learner, near what they do (harassment is by a person).
_SOMEONE = (
    rf"(?:he|she|they|someone|somebody|people|{_TARGETS}s?|(?:one|some|a\s+few)\s+of\s+"
    r"(?:the|them|us))\b"
)

# Marks offered for favours: a grade, then a favour done with a person ("he'd pass my project
# only if i meet him for drinks", "i only pass the module if i sleep with the lecturer"); not a
# test that "only passes if i mock the date", nor a meeting to go over the work ("if i see her
# in office hours", "if i meet with him to walk through it").
_WITH_THEM = rf"(?:him|her|them|(?:the|my|our|that)\s+(?:[\w-]+\s+)?(?:{_TARGETS}))\b"
_FAVOURS = (
    r"\b(?:pass|grade|mark|sign\s+off|approv|give\s+me\s+(?:an?\s+|the\s+)?(?:a\b|b\b|pass|"
    r"good|better|higher|top|full))\w{0,6}+[^.;!?]{0,40}?\b(?:(?:only\s+if|if\s+i|unless\s+i)\s+"
    rf"(?:[\w']+\s+){{0,3}}?(?:(?:kiss(?:ed)?|date|dated|sleep\s+with|slept\s+with|hook\s+up\s+"
    rf"with|(?:go|went|going)\s+(?:out|on\s+a\s+date)\s+with)\s+{_WITH_THEM}|(?:have\s+|had\s+)?"
    rf"(?:drinks?|dinner|a\s+date)\s+with\s+{_WITH_THEM}|meet\s+(?:him|her|them)\s+(?:for|at)\s+"
    r"(?:drinks?|dinner|a\s+date|(?:his|her|their)\s+(?:place|flat|house|room|hotel))|send\s+"
    r"(?:him|her|them)\s+(?:pics|photos|nudes))|in\s+(?:exchange|return)\s+for\s+(?:a\s+date|sex|"
    r"sexual\s+favou?rs|a\s+kiss|nudes|(?:drinks?|dinner)\s+with\s+(?:him|her)))"
)


SAFETY_RULES: list[Rule] = [
    Rule(
        "self-harm",
        _S,
        _re(
            rf"\b(?:kill(?:ing)?\s+{_ME}|suicid\w*|self[-\s]?harm\w*|hurt(?:ing)?\s+{_ME}|"
            r"end(?:ing)?\s+(?:it\s+all|my\s+life)|(?:want|going)\s+to\s+die|(?:think\w*|thoughts)\s+"
            r"(?:about|of)\s+ending\s+it\b(?!\s+(?:with|early|now|here|there|at|after|before|for\s+"
            r"today))|"
            r"no\s+reason\s+to\s+live|cut(?:ting)?\s+my\s*self|better\s+off\s+without\s+me|"
            r"(?:don'?t|do\s+not)\s+want\s+to\s+(?:live|be\s+alive|wake\s+up|exist)|"
            r"not\s+wake\s+up|goodbye\s+(?:letter|note)|overdose\s+on\s+purpose|"
            r"\bi\s+(?:won'?t|wont|will\s+not|might\s+not|may\s+not)\s+(?:even\s+)?be\s+(?:alive|around\s+"
            r"(?:much\s+)?(?:longer|for\s+much\s+longer))|"
            r"(?:\bi(?:'m|\s+am|'ve|\s+have|\s+was)?\s+(?:\w+\s+)?|^\W*)(?:planning|plan(?:ned)?|decided|ready|"
            r"going|gonna)\s+to\s+end\s+it(?:\s+all)?\s+"
            r"(?:this\s+weekend|tonight|tomorrow|soon|for\s+good|on\s+(?:mon|tues|wednes|thurs|fri|"
            r"satur|sun)day)|\bend(?:ing)?\s+it\s+(?:here\s+)?for\s+good\W+(?:\w+\W+){0,3}?goodbye)\b"
        ),
        SafetyKind.SELF_HARM,
        unless=_FIGURES[SafetyKind.SELF_HARM],
    ),
    # A way to die said of oneself: "thinking about jumping off the roof", "i keep thinking
    # about stepping in front of a train". Not "how do i step into the train function", "i was
    # walking from the train station" or a game's character jumping off a tower.
    Rule(
        "a way to die",
        _S,
        _re(
            r"\b(?:i'?m|i\s+am|i'?ll|i\s+will|i\s+(?:want|wanna|could|might|keep|kept)|"
            r"thinking\s+(?:of|about)|think\s+about|gonna|going\s+to|wanna|want\s+to)\s+"
            r"(?:\w+\s+){0,2}?(?:(?:jump(?:ing)?\s+off|(?:step(?:ping)?|walk(?:ing)?)\s+in\s+front\s+of)"
            r"\s+(?:(?:a|the|this|that|my|our)\s+)?(?:[\w-]+\s+)?(?:bridge|roof(?:top)?|building|"
            r"balcony|cliff|tower|window|train|bus|lorry|truck|traffic|car)|throw(?:ing)?\s+my\s*self\s+"
            r"(?:off|under|in\s+front\s+of))\b"
        ),
        SafetyKind.SELF_HARM,
        unless=_re(r"rather\s+(?:\w+\s+){0,3}?(?:jump|step|walk|throw)\w*\s+[^.?!]{0,40}?\bthan\b"),
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
            rf"\b(?:{_I_WILL}\s+(?:[\w*]+\s+)?{_HARM}\s+{_PEOPLE}|beat\s+(?:him|her|them|you)\s+up|"
            rf"{_I_WILL}\s+(?:[\w']+\s+){{0,4}}?and\s+{_HARM}\s+{_PEOPLE}|(?:he|she|they)(?:'s|'re|\s+"
            r"is|\s+are)\s+(?:so\s+)?dead\s+(?:when|if|once)\s+i|you(?:'re|\s+are)\s+a\s+dead\s+man|"
            rf"want\s+(?:him|her|them)\s+dead|{_I_WILL}\s+(?:\w+\s+)?burn\s+(?:the|this|that|his|her|their|your|our)\s+(?:\w+\s+)?"
            rf"(?:office|school|building|house|place|campus|flat)\s+down|{_I_WILL}\s+(?:\w+\s+)?burn\s+down\s+"
            r"(?:the|this|that|his|her|their|your|our)\s+(?:\w+\s+)?(?:office|school|building|house|place|"
            r"campus|flat)|bring(?:ing)?\s+something\s+to\s+(?:sort|deal\s+with|"
            rf"teach|shut|take\s+care\s+of|settle)\s+(?:him|her|(?:that|the|my|this)\s+(?:\w+\s+)?"
            rf"(?:{_TARGETS}))|sort\s+(?:him|her|(?:that|the|this)\s+(?:\w+\s+)?(?:{_TARGETS}))\s+"
            r"out\s+for\s+good|shoot\s+(?:the|this|that)\s+(?:place|school|office|"
            r"building|class)\s+up|burn\s+(?:his|her|their|your)\s+(?:house|place|flat|car)\s+down|"
            r"(?:someone|somebody|people|you|he|she)\s+(?:is|are|'s|'re)\s+(?:going\s+to|gonna)\s+"
            r"get\s+hurt|(?:coming|going|heading)\s+(?:round\s+|around\s+|over\s+)?(?:there|to\s+(?:his|her|"
            r"their)\s+(?:house|place|flat))\s+with\s+(?:a|my)\s+(?:\w+\s+)?(?:hammer|crowbar|axe|machete|"
            r"baseball\s+bat|gun|knife|weapon|rifle)|coming\s+(?:in\s+|back\s+|over\s+)?with\s+(?:a|my)\s+"
            r"(?:\w+\s+)?(?:gun|knife|weapon|rifle)(?!\s+(?:class|object|instance|sprite|item))|"
            rf"{_I_WILL}\s+(?:\w+\s+)?(?:smash|break|bash|punch|kick|cave\s+in|slit)\s+{_HIS}\s+"
            rf"{_BODY}|bomb\s+threat|beat\s+the\s+(?:crap|shit|hell|life)\s+out\s+of\s+{_PEOPLE}|"
            r"find\s+(?:him|her|them)\s+and\s+(?:hurt|kill|beat|stab)|"
            r"bring(?:ing)?\s+(?:a|my|his|her|[\w]+'s)\s+(?!(?:nerf|glue|heat|water|toy|spray|"
            r"staple|nail|squirt|cap)\s)(?:[\w']+\s+)?(?:gun|knife|weapon|rifle|pistol|machete)"
            r"(?!\s+to\s+a\s+(?:gun|knife|sword)[\s-]*fight)|"
            rf"(?:shoot|blow)\s+up\s+(?:the|this|that|our|my)\s+(?:\w+\s+)?{_PLACE}|"
            r"put\s+(?:him|her|them|you)\s+in\s+(?:the\s+)?(?:hospital|grave|ground)|"
            r"make\s+(?:him|her|them)\s+(?:all\s+)?(?:regret|pay|suffer|bleed)|"
            r"watch\s+(?:his|her|their)\s+back(?![-\w])|"
            r"(?:he|she|they)(?:'re|\s+are|'s|\s+is|'ll|\s+will)\s+(?:going\s+to\s+|gonna\s+)?pay"
            r"\s+for\s+(?:(?:this|that|it)(?=\s*(?:[.!,;]|$|\n))|what\s+(?:he|she|they)\s+did)|"
            r"know\s+where\s+(?:he|she|they)\s+(?:lives?|parks?|sleeps?)|know\s+where\s+(?:the|"
            r"my|our|that|this)\s+(?:[\w'-]+\s+)"
            rf"{{0,3}}(?:{_TARGETS})\s+(?:lives|parks|sleeps)|(?:she|he|they)(?:'ll|\s+will|'s\s+going\s+"
            r"to|\s+is\s+going\s+to|'re\s+going\s+to|\s+are\s+going\s+to|'s\s+gonna|\s+is\s+gonna)\s+"
            r"regret\s+(?:it|this|that))\b"
        ),
        SafetyKind.THREAT,
        unless=_FIGURES[SafetyKind.THREAT],
    ),
    Rule(
        "harassment",
        _S,
        _re(
            r"\b(?:harass\w*|bull(?:y|ied|ying)|stalk(?:ed|ing)|sexual\w*\s+(?:comments?|"
            r"advances?|messages?|remarks?|jokes?)|threaten(?:ed|ing)\s+me|(?:i\s+was|i'?ve\s+been|i\s+"
            r"have\s+been|i'?m\s+being|i\s+am\s+being)\s+abused|abusive\s+(?:partner|relationship|"
            r"boyfriend|girlfriend|husband|wife|parents?|father|mother|dad|mum|mom|family|home|ex|"
            r"trainer|teacher|messages|behaviou?r|comments)|(?:he|she|they)(?:'s|\s+is|\s+was|'re|\s+"
            r"are|\s+were|\s+gets?|\s+got)\s+(?:so\s+|really\s+|very\s+)?abusive|unwanted\s+"
            r"(?:messages|advances|touching)|"
            rf"{_SOMEONE}[^.;!?]{{0,40}}\b(?:won'?t|doesn'?t|will\s+not|does\s+not|refuses?\s+to)"
            r"\s+(?:leave\s+me\s+alone|stop\s+(?:messaging|texting|dming|calling|following|"
            r"touching|contacting)\s+me)|send(?:s|ing)?\s+me\s+(?:\w+\s+)?(?:creepy|explicit|"
            r"sexual|inappropriate|threatening|disgusting|dirty|lewd|racist|sexist|homophobic|"
            r"transphobic|obscene|naked)\s+(?:pictures|pics|photos|images|messages|texts|dms|"
            r"videos|stuff|comments)|(?:dick|nude|naked|explicit)\s+pics?|(?:dm|messag|text)\w*\s+me\s+"
            r"(?:\w+\s+)?(?:creepy|explicit|sexual|inappropriate|threatening|disgusting|dirty|lewd|"
            r"obscene)\s+(?:pictures|pics|photos|messages|texts|stuff|things)|sent\s+me\s+(?:\w+\s+)?"
            r"porn|hitting\s+on\s+me|hit\s+on\s+me|asking\s+me\s+out\s+(?:\w+\s+){0,3}?even|"
            r"even\s+(?:though|after)\s+i\s+(?:said\s+no|blocked|told\s+(?:him|her|them)\s+(?:to\s+stop|"
            r"no))|(?:keep|keeps|kept)\s+calling\s+me\s+(?:names|stupid|ugly|fat|useless|\w+\s+names)|"
            r"tried\s+to\s+(?:kiss|touch|grab)\s+me|(?:asked|asks|asking)\s+(?:me\s+)?for\s+sex|"
            rf"sex\s+for\s+(?:a\s+)?(?:better\s+)?(?:grade|mark)|{_FAVOURS}|"
            r"unless\s+i\s+(?:go\s+on\s+a\s+date|sleep"
            r"\s+with|date)|fake\s+(?:account|profile)\s+(?:\w+\s+){0,3}?(?:pretending|posing)|"
            r"impersonat\w*\s+me|(?:waits?|waiting|waited)\s+(?:for\s+me\s+)?outside\s+my\s+(?:house|"
            r"flat|home|door|work|building)|shared\s+my\s+(?:\w+\s+)?(?:photos|pictures|pics|videos)\s+"
            r"without|"
            rf"{_SOMEONE}[^.;!?]{{0,60}}\b(?:makes?|made)\s+me\s+(?:feel\s+)?(?:so\s+|really\s+|very\s+)?"
            r"(?:uncomfortable|unsafe|scared)|"
            r"touched\s+me\s+(?:inappropriately|without|again|during|at|in|on|when|under|there)|"
            r"(?:groped|fondled)\s+me|grabbed\s+me\b(?!\s+(?:a|an|some|one)\b)|"
            r"(?:comments?|commenting|remarks?|jokes?)\s+(?:about|on)\s+my\s+(?:body|looks|"
            r"appearance|chest|breasts|legs|butt|boobs)(?!\s+(?:tag|element|object|size|html|css))|"
            r"nudes|(?:posted|leaked|published)\s+my\s+(?:home\s+address|address(?!\s*book)|"
            r"(?:phone\s+)?number|nudes|private\s+(?:photos|pictures|pics))|shared\s+my\s+(?:nudes|"
            r"private\s+(?:photos|pictures|pics))|dox+(?:ed|ing)?|"
            rf"{_SOMEONE}[^.;!?]{{0,40}}\bfollow(?:s|ed|ing)?\s+me\s+(?:home|around|to\s+my\s+(?:car|house|"
            r"flat|home|door)|to\s+the\s+(?:bus|train|station|car\s*park|parking))|"
            r"(?:racist|sexist|homophobic|transphobic|misogynist\w*)\s+(?:messages|comments|remarks|"
            r"slurs|abuse|insults|jokes)|call(?:s|ed|ing)?\s+me\s+(?:a\s+)?(?:racial\s+)?slurs?)\b"
        ),
        SafetyKind.HARASSMENT,
        unless=_FIGURES[SafetyKind.HARASSMENT],
    ),
    Rule(
        "abuse",
        _S,
        _re(
            rf"\b(?:my\s+{_HOUSEHOLD}\s+(?:(?:hits|beats|hurts|kicks|slaps|chokes|punches|locks)\s+me|"
            r"(?:keeps|kept|has\s+been|started)\s+(?:hitting|beating|hurting|kicking|slapping|choking|"
            r"punching)\s+me)|won'?t\s+let\s+me\s+leave\s+the\s+house|locks\s+me\s+(?:in|up)|domestic\s+"
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
            r"bleeding\s+(?:badly|heavily|a\s+lot)|(?:bleeding|nosebleed|nose\s+bleed)\s+(?:that\s+)?"
            r"(?:won'?t|will\s+not|doesn'?t|does\s+not|can'?t)\s+stop|passed\s+out|fainted|stroke\s+symptoms|"
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
        for match in rule.matches(text):
            return RuleMatch(rule, match.group(0))
    return None
