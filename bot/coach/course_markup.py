"""Course Markdown as blocks (headings, paragraphs, fenced code) and as safe Slack mrkdwn.

Slack decodes ``&amp;``, ``&lt;`` and ``&gt;`` everywhere, code included, and parses ``<...>``
(mentions, ``<!channel>``) before any formatting, so code is entity-escaped like prose: it
displays exactly as written and can never ping. Only prose gets Markdown turned into mrkdwn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from bot.blocks.mrkdwn import ELLIPSIS, clip, escape_mrkdwn
from bot.content.markdown import plain_heading, track_fence

# Every ATX heading, deeper ones included (the chunker only cuts at #, ## and ###).
_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
_ITEM = re.compile(r"^(?:[-*+][ \t]+|\d{1,3}[.)][ \t]+)")
_BULLET = re.compile(r"^[-*+][ \t]+")
_QUOTE = re.compile(r"^(?:>[ \t]?)+")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_LINK = re.compile(r"!?\[([^\[\]\n]*)\]\(([^()\s]*)(?:[ \t]+\"[^\"\n]*\")?\)")
_SAFE_URL = re.compile(r"^(?:https?://|mailto:)[^\s<>|]{1,500}$")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*]+?)(?<=[^\s*])\*(?![\w*])")
_FENCE_RUN = re.compile(r"`{3,}")
# Placeholders for rendered spans; characters from this private-use range are dropped from input.
_PRIVATE = re.compile("[\ue000-\ue0ff]")
_SLOT = re.compile("\ue000(\\d+)\ue001")
_STRONG = "\ue002"
_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+")


class Kind(Enum):
    """What a block of Markdown is."""

    HEADING = "heading"
    PROSE = "prose"
    CODE = "code"


@dataclass(frozen=True)
class Block:
    """A heading (level and title), a paragraph (its lines) or a fenced code block (its lines)."""

    kind: Kind
    lines: tuple[str, ...]
    level: int = 0


def parse_blocks(text: str) -> list[Block]:
    """Split Markdown into blocks; an unclosed fence runs to the end of the text."""
    blocks: list[Block] = []
    prose: list[str] = []
    code: list[str] = []
    fence: str | None = None

    def end_paragraph() -> None:
        if prose:
            blocks.append(Block(Kind.PROSE, tuple(prose)))
            prose.clear()

    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        was_open = fence is not None
        fence, in_code = track_fence(line, fence)
        if in_code and not was_open:
            end_paragraph()
        elif in_code and fence is None:
            blocks.append(Block(Kind.CODE, tuple(code)))
            code.clear()
        elif in_code:
            code.append(line)
        elif (heading := _HEADING.match(line)) is not None:
            end_paragraph()
            blocks.append(Block(Kind.HEADING, (heading.group(2),), len(heading.group(1))))
        elif line.strip():
            prose.append(line)
        else:
            end_paragraph()
    if fence is not None:
        blocks.append(Block(Kind.CODE, tuple(code)))
    end_paragraph()
    return blocks


def heading_text(title: str) -> str:
    """A heading's plain words (no Markdown decoration, no placeholders)."""
    return plain_heading(_PRIVATE.sub("", title))


def render_heading(title: str, limit: int) -> str:
    """A heading as a bold mrkdwn line of at most ``limit`` characters."""
    return f"*{clip(escape_mrkdwn(title), limit - 2)}*"


def words_of(block: Block) -> str:
    """The text of a block that a question's words are matched against."""
    return "\n".join(block.lines)


def render_code(lines: tuple[str, ...], *, max_lines: int, max_chars: int, line_chars: int) -> str:
    """A fenced block in Slack's form (no language word), its first lines if it is too long."""
    body = list(lines)
    while body and not body[-1].strip():
        body.pop()
    while body and not body[0].strip():
        body.pop(0)
    shown: list[str] = []
    size = 0
    for line in body:
        rendered = clip(_defuse(_escape(line.rstrip())), line_chars)
        if len(shown) == max_lines or size + len(rendered) + 1 > max_chars:
            shown.append(ELLIPSIS)
            break
        shown.append(rendered)
        size += len(rendered) + 1
    return "```\n" + "\n".join(shown) + "\n```"


def render_prose(lines: tuple[str, ...], limit: int) -> str:
    """A paragraph as mrkdwn within ``limit`` characters, cut after a sentence if it must be."""
    logical = _reflow(lines)
    rendered = "\n".join(_inline(line) for line in logical)
    if len(rendered) <= limit:
        return rendered
    room = limit - len(ELLIPSIS) - 1
    flat = " ".join(logical)
    taken = ""
    for sentence in _SENTENCE_END.split(flat):
        candidate = f"{taken} {sentence}".strip()
        if len(_inline(candidate)) > room:
            break
        taken = candidate
    if not taken:
        # Not even one sentence fits: cut at a word, shrinking until the rendered text fits.
        size = room
        while size > 0 and not taken:
            cut = flat[:size]
            cut = cut.rsplit(" ", 1)[0] if " " in cut[size // 2 :] else cut
            taken = cut if len(_inline(cut)) <= room else ""
            size = size * 3 // 4
    return f"{_inline(taken)} {ELLIPSIS}".strip()


def _reflow(lines: tuple[str, ...]) -> list[str]:
    """Hard-wrapped lines joined into one line per paragraph, list item or table row."""
    logical: list[str] = []
    for raw in lines:
        line = _QUOTE.sub("", _PRIVATE.sub("", raw.strip()))
        if not line:
            continue
        starts_row = bool(_ITEM.match(line)) or line.startswith("|")
        if logical and not starts_row and not logical[-1].startswith("|"):
            logical[-1] = f"{logical[-1]} {line}"
        else:
            logical.append(_BULLET.sub("• ", line))
    return logical


def _inline(line: str) -> str:
    """One line of Markdown prose as mrkdwn: code spans and links kept, emphasis translated."""
    slots: list[str] = []

    def keep(rendered: str) -> str:
        slots.append(rendered)
        return f"\ue000{len(slots) - 1}\ue001"

    def code_span(match: re.Match[str]) -> str:
        inner = match.group(2).replace("`", "'").strip() or "'"
        return keep(f"`{_escape(inner)}`")

    def link(match: re.Match[str]) -> str:
        label, url = match.group(1).strip(), match.group(2)
        shown = escape_mrkdwn(label).replace("<", "&lt;").replace(">", "&gt;")
        if _SAFE_URL.match(url):
            return keep(f"<{url}|{shown or url}>")
        return keep(shown)

    text = _CODE_SPAN.sub(code_span, line)
    text = _LINK.sub(link, text)
    text = _BOLD.sub(lambda m: f"{_STRONG}{m.group(1)}{_STRONG}", text)
    text = _ITALIC.sub(r"_\1_", text).replace(_STRONG, "*")
    text = _defuse(escape_mrkdwn(text))
    return _SLOT.sub(lambda m: slots[int(m.group(1))], text)


def _escape(text: str) -> str:
    """Entity-escape text that is shown literally (code, link labels)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _defuse(text: str) -> str:
    """Three backticks in a row would open or close a Slack code block: separate them."""
    return _FENCE_RUN.sub(lambda m: "\u200b".join(m.group()), text)
