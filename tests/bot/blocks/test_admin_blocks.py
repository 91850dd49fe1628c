"""Builders of ``/coach`` replies and the Home tab, checked by slack_sdk's own limits."""

from __future__ import annotations

from slack_sdk.models.blocks import Block

from bot.blocks.admin import PAGE_SIZE, build_reply
from bot.blocks.home import Audience, HomeData, TicketLine, build_home_view
from bot.blocks.payloads import PageRef
from bot.blocks.replies import Listing, Notice


def _dicts(blocks: list[Block]) -> list[dict[str, object]]:
    return [b.to_dict() for b in blocks]


def test_listing_paginates_with_typed_buttons() -> None:
    lines = tuple(f"line {i}" for i in range(PAGE_SIZE * 2 + 3))
    _, blocks = build_reply(Listing("Things", lines, "escalations course=py101", page=2))
    data = _dicts(blocks)
    text = str(data)
    assert "line 15" in text
    assert "line 14'" not in text
    assert "line 30" not in text
    buttons = data[-1]["elements"]  # type: ignore[index]
    pages = [PageRef.unpack(b["value"]).page for b in buttons]  # type: ignore[index]
    assert pages == [1, 3]
    assert "Page 2 of 3" in text


def test_long_notice_is_split_under_section_limit() -> None:
    _, blocks = build_reply(Notice("\n".join("x" * 200 for _ in range(40))))
    assert len(blocks) > 1
    _dicts(blocks)  # raises if a section is over 3000 characters


def _row(i: int) -> TicketLine:
    return TicketLine(i, 1000 + i, "pending", "py101", "UL", "q" * 400)


def test_home_view_stays_under_100_blocks() -> None:
    rows = tuple(_row(i) for i in range(150))
    view = build_home_view(HomeData("UT", Audience.TRAINER, unclaimed=rows, claimed=rows))
    assert len(view.to_dict()["blocks"]) <= 100
