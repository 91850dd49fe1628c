"""A course's FAQ chunks through an ingest: kept, and re-embedded when the model changes.

FAQ entries are not in the course folder, so an ingest leaves their chunks out of its comparison
(``course_chunks``) and never removes them. With ``--reembed`` or a new embedding model the FAQ
chunks are embedded again with the folder's chunks, outside any transaction, and written in the
ingest's one transaction, so the course keeps one vector size and one model.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession

from bot.content.embedder import Embedder
from bot.content.faq_chunks import FAQ_SOURCE_PATH, faq_embedding_text
from bot.errors import ContentError
from store.repositories.content import StoredChunk
from store.repositories.faq import FaqRepository


def course_chunks(
    stored: Mapping[tuple[str, str], StoredChunk],
) -> dict[tuple[str, str], StoredChunk]:
    """The stored chunks that come from the course folder (every one but the FAQ's)."""
    return {key: chunk for key, chunk in stored.items() if key[0] != FAQ_SOURCE_PATH}


async def faq_to_embed(
    session: AsyncSession, course_id: int, model: str, reembed: bool
) -> dict[int, str]:
    """FAQ chunk id -> text to embed, for the FAQ chunks this ingest must embed again."""
    rows = await FaqRepository(session).chunk_texts(course_id)
    return {
        chunk_id: faq_embedding_text(section or text.split("\n\n", 1)[0])
        for chunk_id, (section, text, chunk_model) in rows.items()
        if reembed or chunk_model != model
    }


async def embed_faq(
    embedder: Embedder, texts: Mapping[int, str], dim: int
) -> dict[int, list[float]]:
    """The new vectors of the FAQ chunks, by chunk id."""
    if not texts:
        return {}
    ids = list(texts)
    vectors = await embedder.embed([texts[chunk_id] for chunk_id in ids])
    if len(vectors) != len(ids) or any(len(v) != dim for v in vectors):
        raise ContentError(
            f"The embedding model {embedder.model!r} returned vectors of an unexpected number "
            "or size."
        )
    return dict(zip(ids, vectors, strict=True))


async def write_faq_vectors(
    session: AsyncSession, course_id: int, model: str, vectors: Mapping[int, list[float]]
) -> None:
    """Store the FAQ chunks' new vectors; refuse when an FAQ chunk of another model appeared
    since they were embedded (it would leave the course with two vector sizes)."""
    repo = FaqRepository(session)
    rows = await repo.chunk_texts(course_id)
    if any(m != model and chunk_id not in vectors for chunk_id, (_, _, m) in rows.items()):
        raise ContentError(
            "A course FAQ entry was saved while the course was being re-embedded; run again."
        )
    await repo.set_chunk_vectors(
        [
            {"id": chunk_id, "embedding": vector, "embedding_model": model}
            for chunk_id, vector in vectors.items()
            if chunk_id in rows
        ]
    )
