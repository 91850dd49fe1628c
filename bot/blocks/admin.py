"""Block Kit for ``/coach`` replies: notices, paginated lists, stats, the bulk-enrol modal."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    SectionBlock,
    UserMultiSelectElement,
)
from slack_sdk.models.views import View

from bot.blocks.ids import ActionId, BlockId, CallbackId
from bot.blocks.mrkdwn import (
    HEADER_LIMIT,
    MESSAGE_BLOCK_LIMIT,
    MESSAGE_TEXT_LIMIT,
    clip,
    pack_lines,
)
from bot.blocks.payloads import EnrolForm, PageRef
from bot.blocks.replies import Listing, Notice, Reply, StatsReport
from bot.blocks.stats import build_stats_blocks, stats_fallback_text

PAGE_SIZE = 15
SECTION_LIMIT = 2900
# A button value holds 2000 characters; the command text is all a page button needs to carry.
MAX_COMMAND_IN_BUTTON = 1500
BUTTON_VALUE_LIMIT = 2000


def page_count(listing: Listing) -> int:
    """How many pages the listing has (at least one)."""
    return max(1, -(-len(listing.lines) // PAGE_SIZE))


def _sections(lines: list[str], limit: int = MESSAGE_BLOCK_LIMIT) -> list[Block]:
    """Pack lines into at most ``limit`` sections under Slack's 3000-character section limit."""
    pieces = [piece for piece in pack_lines(lines, SECTION_LIMIT) if piece.strip()]
    if len(pieces) > limit:
        pieces = [*pieces[: limit - 1], "_…the rest was too long for one message._"]
    return [SectionBlock(text=piece) for piece in pieces]


def _page_value(command: str, page: int) -> str:
    """The packed page button value, its command cut until the JSON fits a button value."""
    value = PageRef(command=command, page=page).pack()
    while len(value) > BUTTON_VALUE_LIMIT:
        command = command[: len(command) - (len(value) - BUTTON_VALUE_LIMIT)]
        value = PageRef(command=command, page=page).pack()
    return value


def build_listing_blocks(listing: Listing) -> list[Block]:
    """One page of a listing with Previous / Next buttons when there are more."""
    pages = page_count(listing)
    page = min(max(listing.page, 1), pages)
    start = (page - 1) * PAGE_SIZE
    shown = list(listing.lines[start : start + PAGE_SIZE])
    blocks: list[Block] = [HeaderBlock(text=clip(listing.title, HEADER_LIMIT))]
    blocks += _sections(shown) or [SectionBlock(text=listing.empty)]
    if pages > 1:
        command = listing.command[:MAX_COMMAND_IN_BUTTON]
        buttons = []
        if page > 1:
            value = _page_value(command, page - 1)
            buttons.append(
                ButtonElement(text="◀ Previous", action_id=f"{ActionId.PAGE}_prev", value=value)
            )
        if page < pages:
            value = _page_value(command, page + 1)
            buttons.append(
                ButtonElement(text="Next ▶", action_id=f"{ActionId.PAGE}_next", value=value)
            )
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=f"Page {page} of {pages}")]))
        blocks.append(ActionsBlock(elements=buttons))
    return blocks


def build_reply(reply: Reply) -> tuple[str, list[Block]]:
    """Fallback text and blocks for a command reply."""
    if isinstance(reply, Notice):
        return clip(reply.text, MESSAGE_TEXT_LIMIT), _sections(reply.text.split("\n"))
    if isinstance(reply, Listing):
        return clip(reply.title, MESSAGE_TEXT_LIMIT), build_listing_blocks(reply)
    if isinstance(reply, StatsReport):
        return stats_fallback_text(reply), build_stats_blocks(reply)
    raise TypeError(f"no builder for {type(reply).__name__}")


def build_enrol_modal(course_slug: str) -> View:
    """A modal to pick many learners at once for a course."""
    return View(
        type="modal",
        callback_id=CallbackId.BULK_ENROL,
        private_metadata=EnrolForm(course_slug=course_slug).pack(),
        title="Enrol learners",
        submit="Enrol",
        close="Cancel",
        blocks=[
            SectionBlock(text=f"Learners to enrol in *{course_slug}*:"),
            InputBlock(
                block_id=BlockId.BULK_ENROL_USERS,
                label="Learners",
                element=UserMultiSelectElement(
                    action_id=ActionId.BULK_ENROL_USERS, placeholder="Pick or paste people"
                ),
            ),
        ],
    )
