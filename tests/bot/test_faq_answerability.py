"""A course FAQ entry's words count as course vocabulary for the question it was retrieved for,
and only then: retrieval returns an entry only when its question matches the learner's
(``bot.coach.faq_match``), so an entry never makes the course look as if it covered its words
for other questions."""

from __future__ import annotations

from bot.coach.answerability import assess
from bot.coach.types import RetrievedChunk
from bot.content.location import Location
from bot.content.vocabulary import Vocabulary

COURSE = [
    "Lists are mutable sequences. Use append() to add an item to the end of a list.",
    "The for statement iterates over the items of any sequence, such as a list or a string.",
]
FAQ_TEXT = "How do I cancel an asyncio task that hangs?\n\nWrap it in asyncio.wait_for."
QUESTION = "how can i cancel my asyncio task when it hangs"


def test_a_retrieved_faq_entry_covers_its_own_words() -> None:
    vocabulary = Vocabulary.of(COURSE)
    course = RetrievedChunk(1, 1, COURSE[0], Location(day=1), "a.md", 0.6)
    faq = RetrievedChunk(2, 1, FAQ_TEXT, Location(faq_by="Jane"), "faq", 0.2)

    without = assess(QUESTION, [course], vocabulary)
    with_faq = assess(QUESTION, [faq, course], vocabulary)

    assert without.unknown_terms == ("asyncio",)
    assert with_faq.unknown_terms == ()
    assert with_faq.course_coverage > without.course_coverage
    assert with_faq.value > without.value
