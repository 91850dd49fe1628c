"""How closely the best retrieved passages say what was asked, sentence by sentence.

A passage's embedding averages everything it says, so a question that shares the passage's
topic but asks something the passage never says ("how do I shuffle a list" against a section on
list methods) can sit as close to it as a question the passage answers. The sentence that
answers a question is usually much closer to it than the passage is; for a question the course
does not answer, no sentence is. So answerability also reads the similarity of the question to
the best single sentence (or code example) of the top passages.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import OrderedDict

import numpy as np
import numpy.typing as npt

from bot.coach.course_markup import Kind, parse_blocks
from bot.coach.types import RetrievedChunk
from bot.content.embedder import EMBEDDING_FAILURES, Embedder, PerEmbedder

log = logging.getLogger(__name__)

PASSAGES = 3  # the top passages read, as for the passage coverage
MAX_UNITS = 60  # per passage: bounds the embedding batch for very long passages
MIN_UNIT_WORDS = 3
UNIT_CHARS = 400  # the embedder reads about 256 tokens; a longer unit is cut
# Passages whose sentence vectors a process keeps (about 30 kB each with a 384-dimension model):
# the same passages answer most questions of a course, so most questions embed only themselves.
CACHED_PASSAGES = 512
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


Matrix = npt.NDArray[np.float32]


class SentenceVectors:
    """The unit vectors of recently read passages, by the passage's text, most recent last."""

    def __init__(self, embedder: Embedder, capacity: int = CACHED_PASSAGES) -> None:
        self._embedder = embedder
        self._capacity = capacity
        self._vectors: OrderedDict[str, Matrix] = OrderedDict()

    async def per_passage(
        self, question: str, retrieved: list[RetrievedChunk], *, passages: int = PASSAGES
    ) -> list[float | None] | None:
        """For each of the first ``passages`` passages, the cosine similarity of the question to
        its closest unit (None for a passage without one); None when the embedder fails."""
        bodies = [chunk.text for chunk in retrieved[:passages]]
        if not bodies:
            return []
        keys = [hashlib.sha256(text.encode()).hexdigest() for text in bodies]
        units = {
            key: sentence_units(text)[:MAX_UNITS]
            for key, text in zip(keys, bodies, strict=True)
            if key not in self._vectors
        }
        batch = [question, *(unit for key in units for unit in units[key])]
        try:
            vectors = np.asarray(await self._embedder.embed(batch), dtype=np.float32)
        except EMBEDDING_FAILURES as exc:
            log.warning("sentence similarity unavailable, passages only: %s", exc)
            return None
        known = {key: self._vectors[key] for key in keys if key in self._vectors}
        start = 1
        for key, texts in units.items():
            known[key] = vectors[start : start + len(texts)]
            start += len(texts)
        for key in keys:
            self._remember(key, known[key])
        # Unit vectors both sides: the dot product is the cosine similarity.
        return [
            max(0.0, float((known[key] @ vectors[0]).max())) if len(known[key]) else None
            for key in keys
        ]

    def _remember(self, key: str, vectors: Matrix) -> None:
        self._vectors[key] = vectors
        self._vectors.move_to_end(key)
        while len(self._vectors) > self._capacity:
            self._vectors.popitem(last=False)


# The process's sentence vectors for each embedder.
sentence_vectors_for = PerEmbedder(SentenceVectors)
