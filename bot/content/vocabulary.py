"""A course's vocabulary: in how many chunks each term occurs, to tell course terms from others.

A question about ``asyncio`` is not covered by a course that never says ``asyncio``, however often
it says "python": a term's weight is its rarity in the course (inverse document frequency), so
the terms a course never uses weigh most. Learners misspell ("pyhton", "dictonary"), so a term the
course lacks is matched to a close course term first (one or two letters off, plural or -ing
forms). The vocabulary is derived data: each process builds it from the chunk texts once per
index of the course and keeps it while the course's index is unchanged.
"""

from __future__ import annotations

import asyncio
import difflib
import math
import re
from collections import Counter
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from wordfreq import zipf_frequency

from bot.content.languages import course_languages, languages_named
from store.repositories.course_text import CourseTextRepository

_WORD = re.compile(r"[a-z][a-z0-9_]*|[0-9]+")
# Function words and chat filler: they say nothing about what a question is about.
_STOPWORDS_TEXT = """
a about above after again all also am an and any are as at be because been before being but
by can cant could did didnt do does doesnt doing dont for from get gets getting got had has
have having he her here hers him his how i id if im in into is isnt it its ive just know
let like lol make me mean more most much my need no not now of off ok okay on once one only
or other our out over please pls plz really right same say see she should so some still
such sure than thank thanks that thats the their them then there these they thing things
think this those though to too try trying u up us use used using very want was way we well
were what whats when where which while who why will with without would wrong yeah yes you
your youre hey hi hello guys anyone someone something tell explain understand confused
getting work works working way ways actually basically again also
"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())


def terms(text: str) -> list[str]:
    """The content words of a text, lower-cased, in order, without stop words."""
    return [
        word
        for word in _WORD.findall(text.lower().replace("'", ""))
        if word not in STOPWORDS and len(word) > 1
    ]


# Zipf frequency (log10 of uses per billion words) from which a word is everyday English:
# "timeout" (3.2) and "shuffle" (3.5) are, "asyncio" (0), "pathlib" (0) and "yaml" (1.8) are not.
EVERYDAY_ZIPF = 3.0


def is_everyday(term: str) -> bool:
    """True for an ordinary English word, false for a technical term or a name."""
    return zipf_frequency(term, "en") >= EVERYDAY_ZIPF


def _variants(term: str) -> list[str]:
    forms = [term]
    for suffix, repl in (
        ("ies", "y"),
        ("es", ""),
        ("s", ""),
        ("ing", ""),
        ("ed", ""),
        ("ing", "e"),
    ):
        if term.endswith(suffix) and len(term) - len(suffix) >= 3:
            forms.append(term[: -len(suffix)] + repl)
    return forms


@dataclass(frozen=True)
class Vocabulary:
    """Document frequencies of a course's terms, and the languages it is about."""

    chunks: int
    df: dict[str, int]
    # The programming languages the course is about (``bot.content.languages``).
    languages: frozenset[str] = frozenset()

    @classmethod
    def of(cls, texts: list[str]) -> Vocabulary:
        """Count, for each term and each programming language, the texts it occurs in."""
        counts: Counter[str] = Counter()
        named: Counter[str] = Counter()
        for text in texts:
            counts.update(set(terms(text)))
            named.update(languages_named(text))
        return cls(len(texts), dict(counts), course_languages(named, len(texts)))

    def match(self, term: str) -> str | None:
        """The course's own spelling of ``term`` (itself, a plural or a near miss), or None."""
        for form in _variants(term):
            if form in self.df:
                return form
            for known in (form + "s", form + "es"):
                if known in self.df:
                    return known
        if len(term) >= 5:
            close = difflib.get_close_matches(term, self.df.keys(), n=1, cutoff=0.84)
            if close:
                return close[0]
        return None

    def weight(self, known: str | None) -> float:
        """Inverse document frequency of a term as ``match`` found it (None: the course never
        uses it, the highest weight)."""
        df = self.df.get(known, 0) if known else 0
        return math.log((self.chunks + 1) / (df + 0.5))


class VocabularyCache:
    """Each course's vocabulary, rebuilt when the course's index changes."""

    def __init__(self) -> None:
        self._built: dict[int, tuple[tuple[int, int, int], Vocabulary]] = {}
        self._lock = asyncio.Lock()

    async def get(self, sessions: async_sessionmaker[AsyncSession], course_id: int) -> Vocabulary:
        """The course's current vocabulary."""
        async with sessions() as session:
            texts = CourseTextRepository(session)
            fingerprint = await texts.fingerprint(course_id)
            cached = self._built.get(course_id)
            if cached is not None and cached[0] == fingerprint:
                return cached[1]
            async with self._lock:
                cached = self._built.get(course_id)
                if cached is not None and cached[0] == fingerprint:
                    return cached[1]
                all_texts = await texts.texts(course_id)
        vocabulary = await asyncio.to_thread(Vocabulary.of, all_texts)
        self._built[course_id] = (fingerprint, vocabulary)
        return vocabulary
