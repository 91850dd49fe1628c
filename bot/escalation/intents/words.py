"""The English words of the request rules: who a learner may ask for, and what they ask them
to do (``rules``, ``rules_meeting``)."""

from __future__ import annotations

ARTICLES = r"(?:(?:a|an|the|my|our|some|your|one\s+of\s+the|real|actual|live|human)\s+)*"
# People who teach: what a pronoun later in the message may stand for.
TEACHERS = (
    r"(?:trainers?|instruc?tors?|teachers?|tutors?|mentors?|coach(?:es)?(?!\s+(?:class|object|"
    r"instance|seats?|tickets?|trip|bus))|lecturers?|professors?|staff\s+member|"
    r"tas?\b(?![-\s]+(?:da|lib\w*|library|indicators?|package|module|for\s+the)\b)|"
    r"teaching\s+assistants?)"
)
# Whoever marks or runs the course, not whoever runs a script or manages a thread pool.
_WHOEVER = (
    r"whoever(?:'s|\s+is)?\s+(?:(?:marks|grades|runs|teaches|reviews|organi[sz]es|handles|manages|"
    r"(?:is\s+)?(?:marking|grading|running|teaching|reviewing|handling|managing))\s+(?:(?:the|my|"
    r"our|this)\s+)?(?:course|cohort|assignments?|homework|submissions?|exams?|program(?:me)?|"
    r"bootcamp|extensions?|grades|grading|marks|marking|deadlines|certificates|"
    r"enrol(?:l)?ments?|refunds?)|(?:marks|grades|runs|teaches|reviews|(?:is\s+)?(?:marking|grading|"
    r"running|teaching|reviewing))\s+(?:the|our|this)\s+(?:labs?|sessions?|lectures?|exercises?|"
    r"workshops?)|(?:marks|grades|runs|teaches|reviews|(?:is\s+)?(?:marking|grading|running|"
    r"teaching|reviewing))\s+(?:the|our|this)\s+day\s+\d+\s+(?:labs?|sessions?|exercises?)|"
    r"(?:wrote|set|made|designed|built)\s+(?:the|this|that)\s+(?:auto-?)?(?:grader|brief|"
    r"lab|exercise|assignment|quiz|task)|signs\s+(?:\w+\s+){0,2}?off|issues\s+(?:the\s+)?certificates|"
    r"in\s+charge)\b"
)
# Words that are also code ("the operator module", "an agent that calls tools", "the context
# manager") count only with a word that makes them people.
STAFF = (
    r"(?:human(?:\s+being)?(?!\s+(?:player|input|readable|to\s+(?:pick|reply|enter|type|choose|"
    r"play|guess|input|press|click|move)))|"
    rf"{TEACHERS}|staff(?:\s+member)?|member\s+of\s+(?:the\s+)?staff|"
    r"(?:support|human|live|real|customer\s+service)\s+(?:agent|operator|representative)|"
    r"support\s+team|teaching\s+team|course\s+team|course\s+coordinator|coordinator|"
    r"(?:course|program(?:me)?|training)\s+manager|your\s+(?:manager|supervisor|boss)|"
    r"(?:course|program(?:me)?|module|teaching)\s+(?:lead|leader|director|head)|head\s+of\s+"
    r"(?:the\s+)?(?:program(?:me)?|course|school|department|teaching)|"
    r"expert(?!\s+(?:solution|mode|system|level|version|answer)s?\b)|real\s+person|"
    r"(?:actual|real|human)\s+(?:markers?|graders?|assessors?)|"
    r"assessors?|examiners?|(?:lab|day|exercise|assignment)\s+\d+\s+(?:markers?|graders?)|"
    rf"actual\s+person|{_WHOEVER})"
)
ANYONE = (
    rf"(?:{STAFF}|person|people|someone|somebody|anyone|anybody|"
    r"agent(?!\s+(?:api|sdk|framework|class|object|loop|tools?)))"
)
# What a person is asked to do ("could a trainer look..."); "can a human read this" is not asked.
ACT = (
    r"(?:look|check|review|help|call|jump|hop|message|dm|email|contact|reach|go\s+over|sit|"
    r"mark|grade|explain|talk|speak|chat|meet|join|reply|respond|get\s+back|walk|assist|"
    r"take\s+a\s+look|give\s+me|ping|text|ring|spare|see\s+me|confirm|double[-\s]?check|"
    r"do\s+a|have\s+a\s+look|have\s+(?:another|a\s+second|a\s+quick)\s+look|go\s+through|weigh\s+in|chime\s+in|step\s+in|pitch\s+in|"
    r"take\s+over|tell\s+me|sanity[-\s]?check|eyeball|advise|clarify|do\s+(?:one|it|this|that)\s+for\s+me)\b"
)
# Which one, between the article and the person: "the day 2 instructor", "a real trainer".
WHICH = r"(?:(?:real|actual|day\s+\d+|lab\s+\d+|python|course|[\w-]+'s)\s+)*"
# Where a named person is from ("the mentor from yesterday's session").
FROM = (
    r"(?:\s+from\s+(?:[\w']+\s+){0,2}?(?:session|class|call|lab|lecture|workshop|team|course)|"
    r"\s+who\s+(?:wrote|set|made|marked|graded|designed|reviewed)\s+(?:it|this|that|the\s+\w+))?"
)
# Whom a request asks for, or how it reaches them: a part of a message read as a request by
# similarity must say one of these ("settle it pls" is near "human pls" but asks nobody).
REACHES = (
    rf"(?:{ANYONE}|him|her|them|they|she|he|who|whom|whoever|team|humans|people|ppl|tas?|"
    r"teaching\s+assistants?|hoo?mann?|support|representative|course\s+lead|manager|supervisor|"
    r"admins?|dr|prof|mrs?|ms|miss|sir|madam|call|zoom|meet\w*|session|1[:-]1|one[-\s]on[-\s]one|"
    r"appointment|office\s+hours|contact|e-?mail|reach|escalat\w*|ticket|phone|ring|dm|slot|"
    r"book|transfer|real|actual|live|some1|sum1|somone|sb)"
)

# A titled name ("dr. okafor", "prof anna lindqvist"), not a product named like one ("ms office",
# "mr. robot", "dr. java").
TITLED = (
    r"(?:(?:dr|prof|mr|mrs|mx|ms)\.?|professor|miss)\s+(?!(?:office|teams|excel|word|outlook|"
    r"access|paint|edge|sql|dos|windows|robot|java|python|seuss|who|strange|bean|pepper|visual|vs|"
    r"power|azure|copilot|onenote|onedrive|powerpoint|sharepoint|linux|project|forms|store|defender|"
    r"publisher|planner|todo|bing|dynamics|365|sql)\b)"
    r"[a-z][\w'-]*(?:\s+[a-z][\w'-]*){0,2}?"
)

# When, or what for, a person is asked to be free: "today", "on monday", "for a quick chat".
WHEN = (
    r"(?:today|now|right\s+now|yet|please|pls|tomorrow|tonight|later|at\s+all|at\s+the\s+moment|"
    r"atm|i|this\s+(?:morning|afternoon|evening|week)|next\s+\w+|on\s+(?:mon|tues|wednes|thurs|fri|"
    r"satur|sun)day|on\s+(?:zoom|slack|teams|discord)|in\s+the\s+(?:morning|afternoon|evening)|"
    r"after\s+(?:class|\d|the\s+\w+)|at\s+\d|to\s+\w+|for\s+(?:office\s+hours|questions|(?:a\s+)?"
    r"(?:quick\s+|short\s+)?(?:chat|call|question|word|meeting|minute|sec)))\b"
)

# The bot asked to pass a message on: "could you let priya know", "can you ask the trainers";
# not "how would you ping them" or "can you get cron to email me".
YOU = r"(?<!how\s)(?<!why\s)\b(?:can|could|would)\s+(?:you|u)\s+(?:please\s+|pls\s+)?"

NOT_A_NAME = (
    r"(?:it|this|that|the|a|an|my|our|your|python|pip|cron|django|flask|git|github|jenkins|slack|"
    r"gmail|outlook|windows|linux|docker|node|npm|script|users?|people|everyone|them|me|us|him|her)"
)

# A person word as data: "the examiner to be able to add questions", "a teacher object".
NOT_DATA = (
    r"(?!\s+(?:objects?|class(?:es)?|instances?|models?|fields?|columns?|attributes?|tables?|"
    r"records?|rows?|foreign\s+key|library|indicators?|to\s+be|to\s+accept|to\s+have\s+a)\b)"
)
