"""The offline answerer: an extract of the best passage, without a language model."""

from __future__ import annotations

import re
import time

from bot.coach.coaching import Coaching
from bot.coach.confidence import compute_confidence
from bot.coach.extract import build_extract
from bot.coach.faq_answer import quote_faq
from bot.coach.types import Answer, HistoryTurn, Intent, Reference, RetrievedChunk
from bot.content.coaching import CoachingMode

OFFLINE_MODEL = "offline-extractive"
MAX_PASSAGES = 3
NOT_FOUND = "I could not find this in the course material."

_WORD = re.compile(r"[a-z0-9_]+")
_STOPWORDS_TEXT = """
a an and are as at be but by can could do does did for from how i if in into is it its me my of
on or our should so than that the their them then there these this to was we what when where
which who why will with would you your about have has please any
"""
_STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
_STRUGGLE = re.compile(
    r"\b(stuck|can'?t|cannot|doesn'?t work|not working|still|again|error|fails?|failing|"
    r"frustrat\w*|give up|tried|no idea)\b"
)
# A lab section that gives its answers away, left out of a hint or socratic extract.
_SOLUTION = re.compile(r"\b(solutions?|answer key|answers)\b", re.IGNORECASE)
# Said before (hint) or after (socratic) an extract of a lab the learner should solve themselves.
HINT_LEAD = "_A hint rather than the solution: this part of the lab shows what to aim for._"
SOCRATIC_QUESTIONS = (
    "_Before you write code: what exactly does the exercise ask for, and which part of this "
    "section tells you how to do the first step?_"
)
_NAVIGATION = re.compile(r"\b(where|which (day|chapter|lab)|find|located|when do we)\b")


def terms(text: str) -> set[str]:
    """Content words of a text, lower-cased, without stop words."""
    return {
        word for word in _WORD.findall(text.lower()) if word not in _STOPWORDS and len(word) > 1
    }


def lexical_overlap(question: str, passages: list[str]) -> float:
    """Share of the question's content words that occur in the passages (0 when it has none)."""
    wanted = terms(question)
    if not wanted:
        return 0.0
    found = set().union(*(terms(p) for p in passages)) if passages else set()
    return len(wanted & found) / len(wanted)


def guess_intent(question: str, chunks: list[RetrievedChunk]) -> Intent:
    """A keyword judgement of what the learner wants."""
    lowered = question.lower()
    about_lab = "lab" in lowered or any(c.location.is_lab for c in chunks[:1])
    if about_lab and _STRUGGLE.search(lowered):
        return Intent.LAB_STRUGGLE
    if _NAVIGATION.search(lowered):
        return Intent.NAVIGATION
    if about_lab:
        return Intent.LAB_GUIDANCE
    return Intent.COURSE_CONTENT


class OfflineAnswerer:
    """Composes an answer by quoting the course; confidence from the same formula as the LLM's."""

    async def answer(
        self,
        question: str,
        history: list[HistoryTurn],
        retrieved: list[RetrievedChunk],
        *,
        coaching: Coaching | None = None,
        images: list[str] | None = None,
    ) -> Answer:
        """An extract of the best passage (``history`` and ``images`` are not read offline); a
        lab in hint or socratic mode is quoted without its code or solution sections."""
        started = time.monotonic()
        coaching = coaching or Coaching()
        passages = retrieved[:MAX_PASSAGES]

        def withheld(chunk: RetrievedChunk) -> bool:
            return coaching.of(chunk.location) is not CoachingMode.ANSWER

        candidates = [
            c for c in retrieved if not (withheld(c) and _SOLUTION.search(c.location.section or ""))
        ]
        # One passage quoted, and cited: the references are exactly what the text quotes.
        extract = build_extract(question, candidates, prose_only=withheld)
        used = [extract.chunk] if extract is not None else []
        text = extract.text if extract is not None else NOT_FOUND
        if extract is not None and extract.chunk.location.is_faq:
            text = quote_faq(extract.chunk)
        if extract is not None and withheld(extract.chunk):
            mode = coaching.of(extract.chunk.location)
            text = (
                f"{HINT_LEAD}\n{text}"
                if mode is CoachingMode.HINT
                else f"{text}\n\n{SOCRATIC_QUESTIONS}"
            )
        intent = guess_intent(question, passages)
        grounding = lexical_overlap(question, [c.text for c in used])
        cited = [c.chunk_id for c in used]
        confidence = compute_confidence(
            retrieved,
            cited_ids=cited,
            grounded=bool(used) and grounding >= 0.5,
            grounding_score=grounding,
            intent=intent,
        )
        references = [Reference(c.chunk_id, c.location, c.source_path) for c in used]
        lab_id = next((c.location.lab_id for c in used if c.location.lab_id), None)
        return Answer(
            text=text,
            references=references,
            confidence=confidence.value,
            confidence_signals=confidence.signals,
            grounded=bool(used) and grounding >= 0.5,
            intent=intent,
            model=OFFLINE_MODEL,
            latency_ms=int((time.monotonic() - started) * 1000),
            lab_id=lab_id,
            retrieved=retrieved,
        )
