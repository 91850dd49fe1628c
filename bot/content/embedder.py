"""The embedder contract shared by the local model and OpenAI-compatible endpoints."""

from __future__ import annotations

from typing import Protocol


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
