"""Split a Markdown document into heading-aware chunks small enough to embed."""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from dataclasses import dataclass, field, replace

from bot.content.location import Location
from bot.content.markdown import (
    FENCE,
    HEADING,
    fit_block,
    paragraph_blocks,
    plain_heading,
    slugify,
    track_fence,
)

PREAMBLE_ANCHOR = "_preamble"
# A section whose body is shorter than this (a heading and a line or so) joins the next one.
TINY_SECTION_CHARS = 160
CHARS_PER_TOKEN = 4


@dataclass(frozen=True)
class Section:
    """One chunk of a Markdown document, before it is placed in a course."""

    anchor: str
    headings: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class ContentChunk:
    """A piece of course text with a stable identity and the place it belongs to."""

    source_path: str
    anchor: str
    ordinal: int
    location: Location
    text: str
    content_hash: str
    token_estimate: int


@dataclass
class _Raw:
    """A heading (or the text before the first heading) and the body under it."""

    trail: tuple[tuple[int, str], ...]
    anchor: str
    body: str
    # Heading lines in the order they were written, so merged sections keep their structure.
    lines: list[str] = field(default_factory=list)


def split_markdown(text: str, *, max_chars: int = 1800, overlap_chars: int = 200) -> list[Section]:
    """Split Markdown on #, ## and ### headings, then split long sections with overlap."""
    if max_chars < 200:
        raise ValueError("max_chars must be at least 200")
    if not 0 <= overlap_chars <= max_chars // 4:
        raise ValueError("overlap_chars must be between 0 and a quarter of max_chars")
    sections: list[Section] = []
    for group in _merge_tiny(_parse(text)):
        sections.extend(_render(group, max_chars, overlap_chars))
    return sections


def chunk_markdown(
    text: str,
    *,
    source_path: str,
    location: Location,
    max_chars: int = 1800,
    overlap_chars: int = 200,
) -> list[ContentChunk]:
    """Split one file's Markdown into chunks placed at ``location``, one section each."""
    chunks: list[ContentChunk] = []
    for ordinal, section in enumerate(
        split_markdown(text, max_chars=max_chars, overlap_chars=overlap_chars)
    ):
        title = plain_heading(section.headings[-1]) if section.headings else None
        where = replace(location, section=title)
        chunks.append(
            ContentChunk(
                source_path=source_path,
                anchor=section.anchor,
                ordinal=ordinal,
                location=where,
                text=section.text,
                content_hash=content_hash(section.text, where),
                token_estimate=math.ceil(len(section.text) / CHARS_PER_TOKEN),
            )
        )
    return chunks


def content_hash(text: str, location: Location) -> str:
    """sha256 of the normalised text and the location label, so moving a chunk changes it; a
    lab's coaching mode counts too, so that changing it reaches the stored chunks."""
    payload = f"{location.label()}\n\n{normalise(text)}"
    if location.coaching:
        payload = f"coaching: {location.coaching}\n{payload}"
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def normalise(text: str) -> str:
    """Text with Unicode, line endings, trailing spaces and blank-line runs made canonical."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _parse(text: str) -> list[_Raw]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    raws: list[_Raw] = []
    stack: list[tuple[int, str]] = []
    body: list[str] = []
    seen: dict[str, int] = {}
    fence: str | None = None

    def flush() -> None:
        content = "\n".join(body).strip("\n")
        if not stack and not content.strip():
            return  # nothing before the first heading
        path = "/".join(slugify(title) for _, title in stack) or PREAMBLE_ANCHOR
        seen[path] = seen.get(path, 0) + 1
        anchor = path if seen[path] == 1 else f"{path}#{seen[path]}"
        raws.append(_Raw(trail=tuple(stack), anchor=anchor, body=content))

    for line in lines:
        fence, in_code = track_fence(line, fence)
        heading = None if in_code else HEADING.match(line)
        if heading is None:
            body.append(line)
            continue
        flush()
        body = []
        level = len(heading.group(1))
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, heading.group(2)))
    flush()
    return raws


def _merge_tiny(raws: list[_Raw]) -> list[list[_Raw]]:
    groups: list[list[_Raw]] = []
    for raw in raws:
        if groups and _is_tiny(groups[-1]) and _shares_parent(groups[-1][0], raw):
            groups[-1].append(raw)
        else:
            groups.append([raw])
    return groups


def _is_tiny(group: list[_Raw]) -> bool:
    return sum(len(raw.body.strip()) for raw in group) < TINY_SECTION_CHARS


def _shares_parent(first: _Raw, raw: _Raw) -> bool:
    """True when ``raw`` is a sibling or a descendant of ``first``."""
    parent = first.trail[:-1]
    return raw.trail[: len(parent)] == parent


def _heading_lines(trail: tuple[tuple[int, str], ...]) -> list[str]:
    return [f"{'#' * level} {title}" for level, title in trail]


def _render(group: list[_Raw], max_chars: int, overlap_chars: int) -> list[Section]:
    """Join a group into one text and split it when it is too long."""
    first, last = group[0], group[-1]
    blocks = ["\n".join(_heading_lines(first.trail))] if first.trail else []
    previous = first.trail
    for index, raw in enumerate(group):
        if index:
            common = _common_prefix(previous, raw.trail)
            trail_lines = "\n".join(_heading_lines(raw.trail[common:]))
            if group[index - 1].body.strip():
                blocks.append(trail_lines)
            else:  # consecutive headings read as one trail
                blocks[-1] = f"{blocks[-1]}\n{trail_lines}"
            previous = raw.trail
        blocks.extend(paragraph_blocks(raw.body))
    blocks = [block for block in blocks if block.strip()]
    headings = tuple(title for _, title in last.trail)
    whole = "\n\n".join(blocks)
    if len(whole) <= max_chars:
        return [Section(anchor=last.anchor, headings=headings, text=whole)]

    # Every continuation repeats the heading trail so that each part stands on its own.
    header = "\n".join(_heading_lines(last.trail))
    budget = max(max_chars - len(header) - overlap_chars - 4, max_chars // 4)
    pieces = [piece for block in blocks for piece in fit_block(block, budget)]
    parts = _pack(pieces, budget)
    sections: list[Section] = []
    for number, part in enumerate(parts, start=1):
        body = list(part)
        if number > 1:
            tail = _tail(parts[number - 2], overlap_chars)
            body = ([header] if header else []) + ([tail] if tail else []) + body
        anchor = last.anchor if number == 1 else f"{last.anchor}~{number}"
        sections.append(Section(anchor=anchor, headings=headings, text="\n\n".join(body)))
    return sections


def _common_prefix(a: tuple[tuple[int, str], ...], b: tuple[tuple[int, str], ...]) -> int:
    count = 0
    for left, right in zip(a, b, strict=False):
        if left != right:
            break
        count += 1
    return count


def _pack(pieces: list[str], budget: int) -> list[list[str]]:
    parts: list[list[str]] = []
    current: list[str] = []
    size = 0
    for piece in pieces:
        if current and size + len(piece) > budget:
            # A sentence ending in ":" introduces what follows; keep it with that (a code example).
            lead_in = current[-1].endswith(":") and any(
                not block.startswith("#") for block in current[:-1]
            )
            carried = [current.pop()] if lead_in else []
            parts.append(current)
            current, size = carried, sum(len(block) + 2 for block in carried)
        current.append(piece)
        size += len(piece) + 2
    if current:
        parts.append(current)
    return parts


def _tail(part: list[str], overlap_chars: int) -> str:
    """The end of the previous part, repeated so that a thought cut in two keeps its context."""
    if overlap_chars == 0:
        return ""
    taken: list[str] = []
    size = 0
    for piece in reversed(part):
        if size + len(piece) > overlap_chars or piece.startswith("#"):
            break
        taken.insert(0, piece)
        size += len(piece) + 2
    if taken:
        return "\n\n".join(taken)
    last = part[-1]
    if FENCE.match(last) or last.lstrip().startswith("#"):
        return ""  # half a code block or a bare heading would mislead more than help
    start = last.find(" ", len(last) - overlap_chars)
    return "…" + last[start:].strip() if start != -1 else ""
