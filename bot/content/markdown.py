"""Just enough Markdown syntax for chunking: ATX headings, code fences and paragraphs."""

from __future__ import annotations

import re

# Only #, ## and ### start a chunk; deeper headings stay inside their parent's text.
HEADING = re.compile(r"^ {0,3}(#{1,3})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def plain_heading(title: str) -> str:
    """Heading text without Markdown decoration: "`for` Statements" becomes "for Statements"."""
    text = _LINK.sub(r"\1", title)
    return re.sub(r"\s+", " ", text.replace("`", "").replace("*", "")).strip()


def slugify(title: str) -> str:
    """A lowercase, dash-separated identifier for a heading."""
    return re.sub(r"[\W_]+", "-", plain_heading(title).casefold()).strip("-") or "section"


def track_fence(line: str, fence: str | None) -> tuple[str | None, bool]:
    """Return the open fence after ``line`` and whether ``line`` is part of a code block."""
    match = FENCE.match(line)
    if fence is None:
        return (match.group(1), True) if match else (None, False)
    closes = (
        match is not None
        and match.group(1)[0] == fence[0]
        and len(match.group(1)) >= len(fence)
        and line.strip() == match.group(1)
    )
    return (None if closes else fence), True


def document_title(text: str) -> str | None:
    """The first level-one heading outside code blocks, without Markdown decoration."""
    fence: str | None = None
    for line in text.replace("\r\n", "\n").split("\n"):
        fence, in_code = track_fence(line, fence)
        heading = None if in_code else HEADING.match(line)
        if heading and len(heading.group(1)) == 1:
            return plain_heading(heading.group(2)) or None
    return None


def paragraph_blocks(body: str) -> list[str]:
    """Paragraph-level blocks; a fenced code block stays one block even with blank lines."""
    blocks: list[str] = []
    current: list[str] = []
    fence: str | None = None
    for line in body.split("\n"):
        fence, in_code = track_fence(line, fence)
        if not in_code and not line.strip():
            if current:
                blocks.append("\n".join(current))
            current = []
        else:
            current.append(line)
    if current:
        blocks.append("\n".join(current))
    return blocks


def fit_block(block: str, budget: int) -> list[str]:
    """Cut a block that is longer than ``budget``: at lines, re-fencing code, then at words."""
    if len(block) <= budget:
        return [block]
    lines = block.split("\n")
    opener = FENCE.match(lines[0])
    if opener and len(lines) > 2 and FENCE.match(lines[-1]):
        inner_budget = budget - len(lines[0]) - len(lines[-1]) - 2
        return [
            f"{lines[0]}\n{piece}\n{lines[-1]}"
            for piece in _pack_lines(lines[1:-1], max(inner_budget, 40))
        ]
    return _pack_lines(lines, budget)


def _pack_lines(lines: list[str], budget: int) -> list[str]:
    pieces: list[str] = []
    current = ""
    for line in lines:
        for segment in _cut_line(line, budget):
            if current and len(current) + 1 + len(segment) > budget:
                pieces.append(current)
                current = segment
            else:
                current = f"{current}\n{segment}" if current else segment
    if current:
        pieces.append(current)
    return pieces


def _cut_line(line: str, budget: int) -> list[str]:
    segments: list[str] = []
    while len(line) > budget:
        cut = line.rfind(" ", 0, budget)
        cut = cut if cut > budget // 2 else budget
        segments.append(line[:cut].rstrip())
        line = line[cut:].lstrip()
    segments.append(line)
    return segments
