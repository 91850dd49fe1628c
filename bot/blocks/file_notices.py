"""What a learner is told about files the coach could not read, and what it can read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from slack_sdk.models.blocks import ActionsBlock, ButtonElement, MarkdownTextObject, SectionBlock

from bot.blocks.ids import ActionId
from bot.blocks.learner_notices import Notice
from bot.blocks.mrkdwn import clip, escape_mrkdwn
from bot.blocks.payloads import ResponseRef

# Files listed by name in one reply; a message with more gets "and N more".
MAX_LISTED = 10


class Unreadable(StrEnum):
    """Why a shared file was not read."""

    KIND = "kind"  # PDF, archive, video...: not something the coach reads
    IMAGE = "image"  # an image, and the model does not read images
    TOO_BIG = "too_big"
    TOO_MUCH = "too_much"  # the message's other files already filled what one question holds
    DOWNLOAD = "download"  # Slack did not hand it over


@dataclass(frozen=True)
class UnreadFile:
    """A file left unread, and why; ``limit_bytes`` for one that was too big."""

    name: str
    why: Unreadable
    limit_bytes: int = 0


def size_label(count: int) -> str:
    """A byte count as people say it: "256 KB", "5 MB"."""
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.3g} MB"
    if count >= 1024:
        return f"{count / 1024:.3g} KB"
    return f"{count} bytes"


def _why(unread: UnreadFile) -> str:
    if unread.why is Unreadable.IMAGE:
        return "I can't see images with the model I use"
    if unread.why is Unreadable.TOO_BIG:
        return f"it is bigger than the {size_label(unread.limit_bytes)} I can read of a file"
    if unread.why is Unreadable.TOO_MUCH:
        return "the files before it already filled what I can read of one message"
    if unread.why is Unreadable.DOWNLOAD:
        return "I couldn't download it from Slack"
    return "I can't read this kind of file"


def what_i_read(accepts_images: bool) -> str:
    """The kinds of input the coach reads, in one sentence."""
    images = " and screenshots (PNG, JPEG, GIF, WebP)" if accepts_images else ""
    return (
        "I can read what you type (paste code or an error message straight in), text files "
        f"such as a `.py` file, a log or a traceback{images}."
    )


def _listing(unread: Sequence[UnreadFile]) -> str:
    lines = [
        f"• *{clip(escape_mrkdwn(item.name), 150)}*: {_why(item)}" for item in unread[:MAX_LISTED]
    ]
    if len(unread) > MAX_LISTED:
        lines.append(f"• and {len(unread) - MAX_LISTED} more")
    return "\n".join(lines)


def build_files_unread_notice(
    unread: Sequence[UnreadFile], *, accepts_images: bool, response_id: int
) -> Notice:
    """The reply to a message with nothing the coach could read: why, what it can read, and
    the Escalate button for a trainer, who can look at the file themselves."""
    lead = "I couldn't read what you sent:" if len(unread) > 1 else "I couldn't read your file:"
    offer = (
        f"{what_i_read(accepts_images)} Could you paste the part that matters as text? "
        "Or press the button and a trainer will take a look."
    )
    body = f"{lead}\n{_listing(unread)}"
    value = ResponseRef(response_id=response_id).pack()
    return Notice(
        f"{lead} {offer}",
        [
            SectionBlock(text=MarkdownTextObject(text=body)),
            SectionBlock(text=MarkdownTextObject(text=offer)),
            ActionsBlock(
                block_id=f"files_actions_{response_id}",
                elements=[
                    ButtonElement(
                        text="🙋 Escalate to trainer",
                        action_id=ActionId.ESCALATE.value,
                        value=value,
                    )
                ],
            ),
        ],
    )


def build_files_skipped_notice(unread: Sequence[UnreadFile], *, accepts_images: bool) -> Notice:
    """Said before the answer to a message whose text was read but some of its files were not."""
    lead = "I'll answer what I could read, but I couldn't read:"
    tail = (
        f"{what_i_read(accepts_images)} If the answer misses something in the file, paste that "
        "part as text, or press *Escalate to trainer* on my answer."
    )
    body = f"{lead}\n{_listing(unread)}\n{tail}"
    return Notice(f"{lead} {tail}", [SectionBlock(text=MarkdownTextObject(text=body))])
