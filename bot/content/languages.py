"""Programming languages and tools a question may name, and which of them a course is about.

"in c# does finally still run if i return inside the try block?" reads, to a small embedding
model, like a Python course's passage on ``finally``: the words and the idea are the same, only
the language differs. So a question that names another language (or a tool of one) and none that
its course is about is off-topic for that course, whatever its similarity.

A course is about a language when a fair share of its chunks name it (``COURSE_SHARE``): a
Python course says "python" in most of its passages, and "C" or "Java" in a few asides. A course
that names no language at all (cooking, statistics by hand) is about none, and this check does
not apply to it: a question naming a language is then left to the other signals.
"""

from __future__ import annotations

import re

# Each language with the words that name it in a learner's question. Only unambiguous names:
# "node" alone is a tree's node, "react" a verb, "go" a verb, and "C:" a Windows drive.
LANGUAGES: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern, re.IGNORECASE)
    for name, pattern in {
        "Python": r"\bpython\d?\b|\bpy(?:thon)?3\b|\bpip3?\b|\.py\b",
        "JavaScript": (
            r"\bjava\s?script\b|\bjs\b|\bnode\.?js\b|\bin\s+node\b|^\W*node\s*[:,-]\s|\bnpm\b|"
            r"\btypescript\b|"
            r"\breact\s+(?:component|hook|app|native|state|router)s?\b|\buse(?:state|effect)\b|"
            r"\bjquery\b|\bvue(?:\.?js)?\b|\bangular(?:js)?\b"
        ),
        "Java": r"\bjava\b(?!\s?script)|\bspring\s+boot\b|\bjvm\b",
        "C#": r"(?<![\w+])c#|\bc\s?sharp\b|\bdotnet\b|(?<![\w.])\.net\b|\blinq\b",
        "C++": r"(?<![\w+])c\+\+|\bcpp\b|\bstd::",
        "C": (
            r"\bin\s+c\b(?![+#:\\/])|\bc\s+(?:code|program|programming|language|compiler|file|printf|"
            r"scanf|pointer|struct|header)s?\b|^\W*c\s*[:,-]\s|"
            r"\bmalloc\b|\bgcc\b"
        ),
        "Rust": r"\brust(?:c|up|lang)?\b|\bcargo\s+(?:build|run|test|add)\b",
        "Go": r"\bgolang\b|\bgoroutines?\b|\bgo\s+(?:code|program|module|modules|struct|map)s?\b",
        "PHP": r"\bphp\b|\blaravel\b",
        "Ruby": r"\bruby\b|\brails\b",
        "Swift": r"\bswift(?:ui)?\b|\bxcode\b",
        "Kotlin": r"\bkotlin\b",
        "R": r"\bin\s+r\b(?![’'])|\bggplot2?\b|\bdplyr\b|\brstudio\b|\btidyverse\b",
        "MATLAB": r"\bmatlab\b",
        "SQL": r"\bsql\b|\bmysql\b|\bpostgres(?:ql)?\b|\bt-sql\b",
        "Bash": r"\bbash\b|\bzsh\b|\bpowershell\b",
        "Excel": (
            r"\bexcel\s+(?:formula|sheet|spreadsheet|cell|column|macro)s?\b|\bvba\b|"
            r"\bvlookup\b|\bgoogle\s+sheets\b"
        ),
        "CSS": r"\bcss\b|\bflexbox\b|\btailwind\b",
        "HTML": r"\bhtml5?\b",
    }.items()
}
# Words just before a language's name that compare it with the course's: "like in c", "the
# same as a constructor in java", "compared to a bash script". The question is then about the
# course's language, seen from the other one.
_COMPARED = re.compile(
    r"\b(?:like|compared\s+(?:to|with)|same\s+as|similar\s+to|than|unlike|from|equivalent\s+"
    r"(?:of|to|in)|instead\s+of|versus|vs\.?|rather\s+than|as\s+in)\s+(?:[\w'-]+\s+){0,4}?"
    r"(?:in\s+)?$",
    re.IGNORECASE,
)
# How far before a name the comparing words may start.
_COMPARED_REACH = 40
# The share of a course's chunks that must name a language for the course to be about it.
COURSE_SHARE = 0.10


def languages_named(text: str) -> frozenset[str]:
    """The languages ``text`` names."""
    return frozenset(name for name, pattern in LANGUAGES.items() if pattern.search(text))


def _asked_about(text: str, named: frozenset[str]) -> frozenset[str]:
    """Of the languages ``text`` names (``named``), those named other than to compare with
    ("like in c")."""
    return frozenset(
        name
        for name in named
        for found in LANGUAGES[name].finditer(text)
        if not _COMPARED.search(text[max(0, found.start() - _COMPARED_REACH) : found.start()])
    )


def course_languages(mentions: dict[str, int], chunks: int) -> frozenset[str]:
    """The languages a course is about, from how many of its ``chunks`` name each one."""
    if chunks <= 0:
        return frozenset()
    return frozenset(name for name, count in mentions.items() if count / chunks >= COURSE_SHARE)


def other_language(question: str, ours: frozenset[str]) -> str | None:
    """The language the question asks about, when it names one (not only to compare with) and
    none of the course's own (``ours``, from ``course_languages``); None otherwise, or when the
    course is about none."""
    if not ours:
        return None
    named = languages_named(question)
    if named & ours:
        return None
    asked = _asked_about(question, named)
    return min(asked) if asked else None
