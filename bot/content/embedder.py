"""The embedder contract shared by the local model and OpenAI-compatible endpoints."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

import openai

from bot.errors import CoachbotError

T = TypeVar("T")

# What a failed embedding raises, from the local model or an endpoint: code that can do without
# its vectors (falling back to rules, or to the passages alone) catches these.
EMBEDDING_FAILURES = (CoachbotError, openai.OpenAIError, OSError, TimeoutError, ValueError)


class Embedder(Protocol):
    """Turns texts into vectors of a fixed dimension."""

    @property
    def model(self) -> str:
        """The model's name, stored with every chunk it embeds."""
        ...

    async def dimension(self) -> int:
        """The vector size the model produces."""
        ...

    async def embed(self, texts: list[str]) -> list[list[float]]:
        """One L2-normalised vector per text, in order."""
        ...


class PerEmbedder(Generic[T]):
    """One object per embedder in a process (an index of its vectors, say), made on first use
    and dropped with the embedder."""

    def __init__(self, make: Callable[[Embedder], T]) -> None:
        self._make = make
        self._made: weakref.WeakKeyDictionary[Embedder, T] = weakref.WeakKeyDictionary()

    def __call__(self, embedder: Embedder) -> T:
        """This process's object for ``embedder``."""
        made = self._made.get(embedder)
        if made is None:
            made = self._made[embedder] = self._make(embedder)
        return made
