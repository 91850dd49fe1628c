"""Text for Block Kit, safe by construction: escaping, clipping, quoting and splitting.

Text one person wrote (a learner, a trainer, the model, a course) goes through ``escape_mrkdwn``
before anyone else sees it, so a ``<!channel>`` or ``<@U…>`` it contains shows as text instead of
pinging; the bot's own mentions are written around the escaped text. Builders escape and format
first and clip (or split) last, so the markup they add (a ``>`` per quoted line, a bold title)
can never push a text object past its limit.
"""

from __future__ import annotations

import re

# Slack's limits on text (characters).
SECTION_LIMIT = 3000
FIELD_LIMIT = 2000
CONTEXT_ELEMENT_LIMIT = 2000
HEADER_LIMIT = 150
MESSAGE_TEXT_LIMIT = 4000
MESSAGE_BLOCK_LIMIT = 50
VIEW_BLOCK_LIMIT = 100
ELLIPSIS = "…"


# A link Slack sent (<https://...|label>, <mailto:...>): it pings nobody, so it stays clickable.
_LINK = re.compile(r"<(?:https?://|mailto:)[^<>]*>")
# An ampersand that does not start one of the three entities Slack itself writes.
_BARE_AMPERSAND = re.compile(r"&(?!(?:amp|lt|gt);)")
_PARTIAL_ENTITY = re.compile(r"&[a-z]{0,3}$")


def _escape(text: str) -> str:
    return _BARE_AMPERSAND.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")


def escape_mrkdwn(text: str) -> str:
    """Slack's mrkdwn escaping of ``&``, ``<`` and ``>``: mentions and commands become plain text.

    Slack delivers message text already escaped (a typed ``<`` arrives as ``&lt;``), so entities
    are kept as they are and escaping twice changes nothing; links stay links.
    """
    parts: list[str] = []
    end = 0
    for link in _LINK.finditer(text):
        parts += [_escape(text[end : link.start()]), link.group()]
        end = link.end()
    parts.append(_escape(text[end:]))
    return "".join(parts)


def clip(text: str, limit: int) -> str:
    """``text`` if it fits in ``limit`` characters, else its start and an ellipsis."""
    if len(text) <= limit:
        return text
    return _PARTIAL_ENTITY.sub("", text[: limit - 1]).rstrip() + ELLIPSIS


def quote_pieces(text: str, limit: int) -> list[str]:
    """``text`` as a block quote (``>`` before every line) cut into pieces of ``limit`` chars.

    Pieces end at line breaks; a line longer than a piece is wrapped, each part quoted again.
    Every line break Python knows (``\\r``, ``\\r\\n``...) starts a new quoted line.
    """
    width = max(limit - 1, 1)
    quoted: list[str] = []
    for line in text.splitlines() or [""]:
        parts = [line[i : i + width] for i in range(0, len(line), width)] or [""]
        quoted.extend(f">{part}" for part in parts)
    return pack_lines(quoted, limit)


def pack_lines(lines: list[str], limit: int) -> list[str]:
    """Join lines into as few pieces of at most ``limit`` chars as fit (long lines clipped)."""
    pieces: list[str] = []
    current: str | None = None
    for line in lines:
        line = clip(line, limit)
        if current is not None and len(current) + 1 + len(line) <= limit:
            current = f"{current}\n{line}"
            continue
        if current is not None:
            pieces.append(current)
        current = line
    if current is not None:
        pieces.append(current)
    return pieces


def titled_quote(
    title: str, text: str, *, max_pieces: int, limit: int = SECTION_LIMIT
) -> list[str]:
    """A bold-titled quote in at most ``max_pieces`` texts of ``limit`` chars, marked if cut."""
    cut_note = f"\n_{ELLIPSIS}cut: too long to show here_"
    room = limit - len(title) - 1 - len(cut_note)
    pieces = quote_pieces(text, room)
    if len(pieces) > max_pieces:
        pieces = pieces[:max_pieces]
        pieces[-1] += cut_note
    pieces[0] = f"{title}\n{pieces[0]}"
    return pieces
