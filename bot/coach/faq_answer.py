"""The offline answer from a course FAQ entry: the trainer's approved answer, whole.

A course passage is quoted by its best-matching paragraphs (``bot.coach.extract``); an FAQ entry
is one question and the answer a trainer approved for it, so the answer is quoted in full under
the question, not cut down to the paragraphs that share the learner's words.
"""

from __future__ import annotations

from bot.blocks.mrkdwn import clip
from bot.coach.types import RetrievedChunk

QUESTION_CHARS = 300
ANSWER_CHARS = 2500


def quote_faq(chunk: RetrievedChunk) -> str:
    """The entry's question in bold, then its answer (the chunk text is "question\\n\\nanswer")."""
    question, _, answer = chunk.text.partition("\n\n")
    heading = " ".join(question.split()).replace("*", "")
    return f"*{clip(heading, QUESTION_CHARS)}*\n{clip(answer.strip(), ANSWER_CHARS)}"
