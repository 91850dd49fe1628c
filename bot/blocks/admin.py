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
from bot.blocks.payloads import EnrolForm, PageRef
from bot.blocks.replies import Listing, Notice, Reply, StatsReport
from bot.blocks.stats import build_stats_blocks, stats_fallback_text

PAGE_SIZE = 15
SECTION_LIMIT = 2900
# A button value holds 2000 characters; the command text is all a page button needs to carry.
MAX_COMMAND_IN_BUTTON = 1500


def page_count(listing: Listing) -> int:
    """How many pages the listing has (at least one)."""
    return max(1, -(-len(listing.lines) // PAGE_SIZE))


def _sections(lines: list[str]) -> list[Block]:
    """Pack lines into sections under Slack's 3000-character section limit."""
    blocks: list[Block] = []
    current = ""
    for line in lines:
        line = line[:SECTION_LIMIT]
        if current and len(current) + len(line) + 1 > SECTION_LIMIT:
            blocks.append(SectionBlock(text=current))
            current = ""
        current = f"{current}\n{line}" if current else line
    if current:
        blocks.append(SectionBlock(text=current))
    return blocks


def build_listing_blocks(listing: Listing) -> list[Block]:
    """One page of a listing with Previous / Next buttons when there are more."""
    pages = page_count(listing)
    page = min(max(listing.page, 1), pages)
    start = (page - 1) * PAGE_SIZE
    shown = list(listing.lines[start : start + PAGE_SIZE])
    blocks: list[Block] = [HeaderBlock(text=listing.title[:150])]
    blocks += _sections(shown) if shown else [SectionBlock(text=listing.empty)]
    if pages > 1:
        command = listing.command[:MAX_COMMAND_IN_BUTTON]
        buttons = []
        if page > 1:
            value = PageRef(command=command, page=page - 1).pack()
            buttons.append(
                ButtonElement(text="◀ Previous", action_id=f"{ActionId.PAGE}_prev", value=value)
            )
        if page < pages:
            value = PageRef(command=command, page=page + 1).pack()
            buttons.append(
                ButtonElement(text="Next ▶", action_id=f"{ActionId.PAGE}_next", value=value)
            )
        blocks.append(ContextBlock(elements=[MarkdownTextObject(text=f"Page {page} of {pages}")]))
        blocks.append(ActionsBlock(elements=buttons))
    return blocks


def build_reply(reply: Reply) -> tuple[str, list[Block]]:
    """Fallback text and blocks for a command reply."""
    if isinstance(reply, Notice):
        return reply.text[:3000], _sections(reply.text.split("\n"))
    if isinstance(reply, Listing):
        return reply.title, build_listing_blocks(reply)
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
