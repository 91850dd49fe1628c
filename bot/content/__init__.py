"""Course content: the Markdown folder format, its loader, chunker, embeddings and indexer."""

from bot.content.chunking import ContentChunk, Section, chunk_markdown, split_markdown
from bot.content.loader import CourseContent, load_course
from bot.content.location import Location

__all__ = [
    "ContentChunk",
    "CourseContent",
    "Location",
    "Section",
    "chunk_markdown",
    "load_course",
    "split_markdown",
]
