"""The bundled local model and the OpenAI-compatible embedder (against the fake server)."""

from __future__ import annotations

import importlib.util
import math
from collections.abc import AsyncIterator

import pytest

from bot.content.embeddings import LocalEmbedder, OpenAIEmbedder, create_embedder
from bot.errors import ConfigError
from bot.settings import Settings
from tests.content.ingest_support import local_embedder
from tests.fakes.llm import FakeLLM


def cosine(a: list[float], b: list[float]) -> float:
    """Dot product of two unit vectors."""
    return sum(x * y for x, y in zip(a, b, strict=True))


@pytest.fixture
async def fake_llm() -> AsyncIterator[FakeLLM]:
    """A fresh fake OpenAI-compatible server."""
    async with FakeLLM(dim=48) as llm:
        yield llm


def test_default_backend_is_the_local_model(settings: Settings) -> None:
    embedder = create_embedder(settings)

    assert isinstance(embedder, LocalEmbedder)
    assert embedder.model == "all-MiniLM-L6-v2"


async def test_local_model_gives_normalised_384_dim_vectors() -> None:
    embedder = local_embedder()

    vectors = await embedder.embed(["How do I open a file?", "for loops", ""])

    assert await embedder.dimension() == 384
    assert [len(v) for v in vectors] == [384, 384, 384]
    assert all(math.isclose(math.sqrt(sum(x * x for x in v)), 1.0, abs_tol=1e-4) for v in vectors)
    assert await embedder.embed([]) == []


async def test_local_model_ranks_a_paraphrase_above_an_unrelated_sentence() -> None:
    question, paraphrase, unrelated = await local_embedder().embed(
        [
            "How do I read the contents of a text file in Python?",
            "Open the file and call read() to get its text.",
            "The train to Lyon leaves at nine in the morning.",
        ]
    )

    assert cosine(question, paraphrase) > cosine(question, unrelated) + 0.2


async def test_openai_backend_batches_and_learns_dimension(
    settings: Settings, fake_llm: FakeLLM
) -> None:
    embedder = create_embedder(
        settings.model_copy(
            update={"embedding_backend": "openai", "embedding_base_url": fake_llm.base_url}
        )
    )
    assert isinstance(embedder, OpenAIEmbedder)
    texts = [f"text number {i}" for i in range(600)]
    try:
        vectors = await embedder.embed(texts)
        assert await embedder.dimension() == 48
    finally:
        await embedder.close()

    assert embedder.model == "text-embedding-3-small"
    assert [len(call.inputs) for call in fake_llm.embedding_calls] == [256, 256, 88]
    assert vectors[599] == pytest.approx(fake_llm.embed("text number 599"))


async def test_openai_backend_rejected_key_is_a_config_error(
    settings: Settings, fake_llm: FakeLLM
) -> None:
    fake_llm.inject(401, endpoint="embeddings")
    embedder = OpenAIEmbedder.from_settings(
        settings.model_copy(
            update={"embedding_backend": "openai", "openai_base_url": fake_llm.base_url}
        )
    )
    try:
        with pytest.raises(ConfigError, match="API key"):
            await embedder.embed(["hello"])
    finally:
        await embedder.close()


def test_openai_backend_needs_a_key_or_url(settings: Settings) -> None:
    with pytest.raises(ConfigError, match="EMBEDDING_API_KEY"):
        create_embedder(settings.model_copy(update={"embedding_backend": "openai"}))


def test_missing_local_package_is_a_config_error(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = importlib.util.find_spec

    def without_model(name: str, *args: object) -> object:
        return None if name == "sentence_transformers" else real(name)

    monkeypatch.setattr(importlib.util, "find_spec", without_model)

    with pytest.raises(ConfigError, match=r"coachbot\[local-embeddings\]"):
        create_embedder(settings)
