"""How closely the best retrieved passages say what was asked, sentence by sentence.

A passage's embedding averages everything it says, so a question that shares the passage's
topic but asks something the passage never says ("how do I shuffle a list" against a section on
list methods) can sit as close to it as a question the passage answers. The sentence that
answers a question is usually much closer to it than the passage is; for a question the course
does not answer, no sentence is. So answerability also reads the similarity of the question to
the best single sentence (or code example) of the top passages.
"""

from __future__ import annotations

import logging
import re

import numpy as np
import openai

from bot.coach.course_markup import Kind, parse_blocks
from bot.coach.types import RetrievedChunk
from bot.content.embedder import Embedder
from bot.errors import CoachbotError

log = logging.getLogger(__name__)

PASSAGES = 3  # the top passages read, as for the passage coverage
MAX_UNITS = 60  # per question: bounds the embedding batch for very long passages
MIN_UNIT_WORDS = 3
UNIT_CHARS = 400  # the embedder reads about 256 tokens; a longer unit is cut
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`(\"'*_\d])")


def sentence_units(text: str) -> list[str]:
    """A passage's sentences and whole code examples, in reading order; headings left out."""
    units: list[str] = []
    for block in parse_blocks(text):
        if block.kind is Kind.CODE:
            candidates = ["\n".join(block.lines).strip()]
        elif block.kind is Kind.PROSE:
            candidates = _SENTENCE_END.split(" ".join(" ".join(block.lines).split()))
        else:
            continue
        units += [u[:UNIT_CHARS] for u in candidates if len(u.split()) >= MIN_UNIT_WORDS]
    return units


async def best_sentence_similarity(
    embedder: Embedder, question: str, retrieved: list[RetrievedChunk]
) -> float | None:
    """The cosine similarity of the question to the closest unit of the top passages; None
    when nothing was retrieved or the embedder fails (answerability then reads the passages)."""
    units = [u for chunk in retrieved[:PASSAGES] for u in sentence_units(chunk.text)]
    if not units:
        return None
    try:
        vectors = await embedder.embed([question, *units[:MAX_UNITS]])
    except (CoachbotError, openai.OpenAIError, OSError, TimeoutError, ValueError) as exc:
        log.warning("sentence similarity unavailable, passages only: %s", exc)
        return None
    matrix = np.asarray(vectors, dtype=np.float32)
    # Unit vectors both sides: the dot product is the cosine similarity.
    return float(max(0.0, float((matrix[1:] @ matrix[0]).max())))
