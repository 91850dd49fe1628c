"""A bag-of-words embedder over a fixed vocabulary: identical texts are identical vectors, and
how near two texts are is plain to see from their words."""

from __future__ import annotations

import math
import re


class WordEmbedder:
    """Unit vectors of word counts over ``words`` (a text with none of them is the zero vector);
    ``fail`` makes every call raise as an unreachable endpoint would. ``batches`` records
    every call's texts."""

    model = "words"

    def __init__(self, words: list[str], *, fail: bool = False) -> None:
        self.words = words
        self.fail = fail
        self.batches: list[list[str]] = []

    async def dimension(self) -> int:
        """One dimension per word."""
        return len(self.words)

    async def embed(self, texts: list[str]) -> list[list[float]]:
        """One unit vector per text."""
        if self.fail:
            raise OSError("embedding endpoint unreachable")
        self.batches.append(texts)
        return [self.vector(text) for text in texts]

    def vector(self, text: str) -> list[float]:
        """The unit vector of ``text``'s counts of the vocabulary's words."""
        found = re.findall(r"[a-z]+", text.lower())
        counts = [float(found.count(word)) for word in self.words]
        norm = math.sqrt(sum(c * c for c in counts)) or 1.0
        return [c / norm for c in counts]
