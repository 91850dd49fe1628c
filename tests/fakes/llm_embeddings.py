"""Deterministic embeddings: the same text always gives the same vector, shared words overlap."""

from __future__ import annotations

import base64
import hashlib
import math
import re
import struct
from dataclasses import dataclass, field
from typing import Any

DEFAULT_DIM = 384
_WORD = re.compile(r"\w+")


@dataclass
class EmbeddingRequest:
    """One POST /v1/embeddings, with its input normalised to a list of strings."""

    model: str
    inputs: list[str]
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    at: float = 0.0  # time.monotonic() on arrival


def embed(text: str, dim: int = DEFAULT_DIM) -> list[float]:
    """An L2-normalised bag of hashed words (a "hashing trick" vector)."""
    vector = [0.0] * dim
    words = _WORD.findall(text.lower()) or [""]
    for word in words:
        digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
        index = int.from_bytes(digest[:4], "little") % dim
        vector[index] += 1.0 if digest[4] & 1 else -1.0
    norm = math.sqrt(sum(x * x for x in vector))
    if norm == 0.0:  # words cancelled out exactly; any fixed unit vector will do
        vector[0], norm = 1.0, 1.0
    return [x / norm for x in vector]


def normalise_input(raw: object) -> list[str]:
    """OpenAI's `input`: a string, strings, token ids or lists of token ids."""
    if isinstance(raw, str):
        return [raw]
    if isinstance(raw, list) and raw and all(isinstance(t, int) for t in raw):
        return [" ".join(map(str, raw))]
    if isinstance(raw, list):
        return [x if isinstance(x, str) else " ".join(map(str, x)) for x in raw]
    raise ValueError("`input` must be a string, a list of strings or token ids")


def encode(vector: list[float], encoding_format: str) -> list[float] | str:
    """The vector as JSON floats, or base64 of little-endian float32 like OpenAI's."""
    if encoding_format == "base64":
        return base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode()
    return vector
