"""The coach's answer message: text, references, confidence and the feedback/escalate buttons."""

from __future__ import annotations

import re

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.blocks.ids import ActionId
from bot.blocks.mrkdwn import escape_mrkdwn
from bot.blocks.payloads import ResponseRef

SECTION_LIMIT = 3000
MESSAGE_BLOCK_LIMIT = 50
FALLBACK_LIMIT = 3000
REFERENCES_LIMIT = 2000
# A persona's bio is free text; keep its footer well inside a context element's 3000 chars.
FOOTER_LIMIT = 1000
# Blocks that always follow the text: divider, confidence, actions (references and the persona
# footer come on top when present).
_TRAILING_BLOCKS = 3
HIGH_CONFIDENCE = 0.75
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_HEADING = re.compile(r"^#{1,6}\s+(.+)$", re.MULTILINE)
_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
# A fenced code block; its "# comment" lines and "**" operators are code, not Markdown.
_CODE_BLOCK = re.compile(r"(```.*?```)", re.DOTALL)
# The info string of a fence ("```python"): Slack has no highlighting and would show the word.
_FENCE_LANGUAGE = re.compile(r"\A```[\w+#.-]+[ \t]*\n")


def to_mrkdwn(markdown: str) -> str:
    """Turn the Markdown models like to write into Slack mrkdwn (bold, headings, links).

    Everything is escaped first, code included (Slack shows ``&lt;`` as ``<`` there too): an
    answer may repeat what a learner or the course wrote, and ``<!channel>`` must stay text.
    Escaping twice changes nothing, so already escaped text (the offline extract) is safe.
    """
    parts = _CODE_BLOCK.split(markdown)
    # split() puts the code blocks at the odd positions.
    return "".join(
        escape_mrkdwn(_FENCE_LANGUAGE.sub("```\n", part))
        if i % 2
        else _prose_to_mrkdwn(escape_mrkdwn(part))
        for i, part in enumerate(parts)
    )


def _prose_to_mrkdwn(markdown: str) -> str:
    text = _HEADING.sub(r"*\1*", markdown)
    text = _BOLD.sub(r"*\1*", text)
    return _LINK.sub(r"<\2|\1>", text)


def split_text(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """Cut text into pieces of at most ``limit`` chars, preferring paragraph and line breaks."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"))
        if cut < limit // 2:
            cut = window.rfind(" ")
        if cut < limit // 2:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces


def confidence_label(confidence: float, threshold: float) -> str:
    """A traffic-light indicator such as "🟢 High confidence (0.82)"."""
    if confidence >= HIGH_CONFIDENCE:
        return f"🟢 High confidence ({confidence:.2f})"
    if confidence >= threshold:
        return f"🟡 Medium confidence ({confidence:.2f})"
    return f"🔴 Low confidence ({confidence:.2f})"


def answer_fallback_text(text: str) -> str:
    """The notification and screen-reader text sent alongside the blocks."""
    plain = " ".join(text.split())
    return plain if len(plain) <= FALLBACK_LIMIT else plain[: FALLBACK_LIMIT - 1] + "…"


def build_answer_blocks(
    text: str,
    reference_labels: list[str],
    confidence: float,
    response_id: int,
    *,
    threshold: float = 0.40,
    footer: str | None = None,
) -> list[Block]:
    """The answer's blocks; the text is split so no section passes Slack's limits.

    ``footer`` is a mrkdwn line naming the coach persona the answer is posted under, if any.
    """
    pieces = split_text(to_mrkdwn(text)) or ["(empty answer)"]
    room = MESSAGE_BLOCK_LIMIT - _TRAILING_BLOCKS - bool(reference_labels) - bool(footer)
    if len(pieces) > room:
        # An answer this long is very rare; keep the message valid and say it was cut.
        pieces = [*pieces[: room - 1], "_…the rest of this answer was too long for Slack._"]
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=piece)) for piece in pieces]
    return blocks + build_answer_footer_blocks(
        reference_labels, confidence, response_id, threshold=threshold, footer=footer
    )


def build_answer_footer_blocks(
    reference_labels: list[str],
    confidence: float,
    response_id: int,
    *,
    threshold: float = 0.40,
    footer: str | None = None,
) -> list[Block]:
    """What follows an answer's text: references, confidence, persona footer and the buttons.

    A streamed answer's text is the streamed message itself; these are the blocks
    ``chat.stopStream`` renders below it.
    """
    blocks: list[Block] = [DividerBlock()]
    if reference_labels:
        unique = list(dict.fromkeys(reference_labels))
        listed = "\n".join(f"• {label}" for label in unique)
        refs = f"📚 *References*\n{listed}"
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=refs[:REFERENCES_LIMIT])]))
    label = confidence_label(confidence, threshold)
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=label)]))
    blocks.extend(_footer(footer))
    value = ResponseRef(response_id=response_id).pack()
    blocks.append(
        ActionsBlock(
            block_id=f"answer_actions_{response_id}",
            elements=[
                ButtonElement(
                    text="👍 Helpful", action_id=ActionId.FEEDBACK_HELPFUL.value, value=value
                ),
                ButtonElement(
                    text="👎 Not helpful",
                    action_id=ActionId.FEEDBACK_NOT_HELPFUL.value,
                    value=value,
                ),
                _escalate_button(value),
            ],
        )
    )
    return blocks


def to_stream_markdown(text: str) -> str:
    """An answer's Markdown as it is streamed (``markdown_text``): Slack renders the Markdown
    itself, and ``<`` and ``>`` are escaped so a ``<!channel>`` the model repeats stays text.
    Each character is escaped on its own, so escaping piece by piece equals escaping the whole.
    """
    return text.replace("<", "&lt;").replace(">", "&gt;")


def _footer(footer: str | None) -> list[Block]:
    """The persona's footer line, clipped to Slack's limit; none without a persona."""
    if not footer:
        return []
    if len(footer) > FOOTER_LIMIT:
        footer = footer[: FOOTER_LIMIT - 1] + "…"
    return [ContextBlock(elements=[MarkdownTextObject(text=footer)])]


def _escalate_button(value: str) -> ButtonElement:
    return ButtonElement(
        text="🙋 Escalate to trainer", action_id=ActionId.ESCALATE.value, value=value
    )


DECLINE_TEXT = (
    "That question is outside what this course covers, so I can't answer it from the course "
    "material. Ask me anything about the course; if you think a trainer can help with this "
    "one, press the button."
)


def build_decline_blocks(response_id: int, *, footer: str | None = None) -> list[Block]:
    """A friendly "outside this course" reply that still offers the Escalate button."""
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text=DECLINE_TEXT))]
    blocks.extend(_footer(footer))
    value = ResponseRef(response_id=response_id).pack()
    blocks.append(
        ActionsBlock(block_id=f"decline_actions_{response_id}", elements=[_escalate_button(value)])
    )
    return blocks
