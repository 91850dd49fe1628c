"""Replies about files the coach did not read: within Block Kit's limits, naming each file."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from bot.blocks.file_notices import (
    MAX_LISTED,
    Unreadable,
    UnreadFile,
    build_files_skipped_notice,
    build_files_unread_notice,
    size_label,
)
from bot.blocks.ids import ActionId
from bot.blocks.payloads import ResponseRef
from tests.bot.blocks.test_block_limits import PROPERTY, assert_valid_message, texts

_UNREAD = st.builds(
    UnreadFile,
    name=texts(500),
    why=st.sampled_from(list(Unreadable)),
    limit_bytes=st.integers(1, 20 * 1024 * 1024),
)


@PROPERTY
@given(st.lists(_UNREAD, min_size=1, max_size=40), st.booleans(), st.integers(1, 2**40))
def test_file_replies_stay_inside_block_kits_limits(
    unread: list[UnreadFile], vision: bool, response_id: int
) -> None:
    notice = build_files_unread_notice(unread, accepts_images=vision, response_id=response_id)
    assert_valid_message(notice.text, notice.blocks)
    skipped = build_files_skipped_notice(unread, accepts_images=vision)
    assert_valid_message(skipped.text, skipped.blocks)


def test_the_reply_names_each_file_and_offers_a_trainer() -> None:
    unread = [
        UnreadFile("error.png", Unreadable.IMAGE),
        UnreadFile("slides.pdf", Unreadable.KIND),
        UnreadFile("huge.log", Unreadable.TOO_BIG, 256 * 1024),
        UnreadFile("<!channel>.py", Unreadable.DOWNLOAD),
    ]
    notice = build_files_unread_notice(unread, accepts_images=False, response_id=7)
    rendered = json.dumps([block.to_dict() for block in notice.blocks])
    assert "*error.png*: I can't see images" in rendered
    assert "*slides.pdf*: I can't read this kind of file" in rendered
    assert "bigger than the 256 KB I can read" in rendered
    assert "<!channel>" not in rendered  # a file name cannot ping anyone
    assert "screenshots" not in notice.text
    [button] = notice.blocks[-1].to_dict()["elements"]
    assert button["action_id"] == ActionId.ESCALATE
    assert ResponseRef.unpack(button["value"]).response_id == 7
    with_vision = build_files_unread_notice(unread, accepts_images=True, response_id=7)
    assert "screenshots (PNG, JPEG, GIF, WebP)" in with_vision.text


def test_a_long_list_is_cut_with_a_count() -> None:
    unread = [UnreadFile(f"f{n}.pdf", Unreadable.KIND) for n in range(MAX_LISTED + 3)]
    rendered = json.dumps(build_files_skipped_notice(unread, accepts_images=False).args())
    assert "and 3 more" in rendered


def test_sizes_read_as_people_say_them() -> None:
    assert size_label(5 * 1024 * 1024) == "5 MB"
    assert size_label(256 * 1024) == "256 KB"
    assert size_label(1024) == "1 KB"
    assert size_label(900) == "900 bytes"
