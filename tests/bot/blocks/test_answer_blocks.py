"""Answer and feedback blocks serialise within Slack's limits and carry the right values."""

from __future__ import annotations

import json

from slack_sdk.models.blocks import Block

from bot.blocks.answer import (
    FOOTER_LIMIT,
    MESSAGE_BLOCK_LIMIT,
    SECTION_LIMIT,
    answer_fallback_text,
    build_answer_blocks,
    confidence_label,
    split_text,
    to_mrkdwn,
)
from bot.blocks.feedback import FEEDBACK_REASONS, build_feedback_modal
from bot.blocks.ids import ActionId, BlockId, CallbackId
from bot.blocks.payloads import ResponseRef


def as_dicts(blocks: list[Block]) -> list[dict[str, object]]:
    # to_dict() validates every Block Kit limit recursively.
    return [block.to_dict() for block in blocks]


def test_answer_has_text_references_confidence_and_three_buttons() -> None:
    blocks = as_dicts(
        build_answer_blocks("Use **append**.", ["Day 2 › Lists", "Day 2 › Lists"], 0.82, 41)
    )
    assert blocks[0]["text"] == {"type": "mrkdwn", "text": "Use *append*."}
    rendered = str(blocks)
    assert rendered.count("Day 2 › Lists") == 1
    assert "🟢 High confidence (0.82)" in rendered
    actions = blocks[-1]["elements"]
    assert [a["action_id"] for a in actions] == [
        ActionId.FEEDBACK_HELPFUL,
        ActionId.FEEDBACK_NOT_HELPFUL,
        ActionId.ESCALATE,
    ]
    assert all(ResponseRef.unpack(a["value"]).response_id == 41 for a in actions)


def test_long_answers_are_split_below_limits() -> None:
    paragraph = "word " * 500
    text = "\n\n".join([paragraph] * 12)  # ~30,000 chars
    blocks = as_dicts(build_answer_blocks(text, [], 0.5, 1))
    sections = [b for b in blocks if b["type"] == "section"]
    assert len(sections) > 1
    assert all(len(b["text"]["text"]) <= SECTION_LIMIT for b in sections)  # type: ignore[index]
    assert len(blocks) <= MESSAGE_BLOCK_LIMIT


def test_absurdly_long_answer_is_cut_to_fifty_blocks() -> None:
    blocks = as_dicts(build_answer_blocks("x" * 200_000, ["Day 1"], 0.5, 1))
    assert len(blocks) == MESSAGE_BLOCK_LIMIT
    assert "too long for Slack" in str(blocks)


def test_split_prefers_line_breaks() -> None:
    pieces = split_text("a" * 10 + "\n" + "b" * 10, limit=15)
    assert pieces == ["a" * 10, "b" * 10]


def test_markdown_to_mrkdwn() -> None:
    assert to_mrkdwn("## Title\nsee [docs](https://x.io)") == "*Title*\nsee <https://x.io|docs>"


def test_code_blocks_are_not_converted() -> None:
    code = "```\n# a comment\nx = 2 ** 10 ** 2\nsee [a](https://x.io)\n```"
    assert to_mrkdwn(f"## Title\n{code}\nUse **pow**.") == f"*Title*\n{code}\nUse *pow*."


def test_a_code_fence_loses_its_language_word() -> None:
    # Slack has no syntax highlighting: "```python" would show the word "python" in the block.
    markdown = "Try:\n```python\nfor line in f:\n    print(line)\n```\nand ```py3 x = 1```"
    expected = "Try:\n```\nfor line in f:\n    print(line)\n```\nand ```py3 x = 1```"
    assert to_mrkdwn(markdown) == expected


def test_a_fence_without_a_language_keeps_its_first_line() -> None:
    assert to_mrkdwn("```\nprint(1)\n```") == "```\nprint(1)\n```"
    assert to_mrkdwn("```print(1)\nprint(2)```") == "```print(1)\nprint(2)```"


def test_confidence_bands() -> None:
    assert confidence_label(0.9, 0.4).startswith("🟢")
    assert confidence_label(0.5, 0.4).startswith("🟡")
    assert confidence_label(0.2, 0.4) == "🔴 Low confidence (0.20)"


def test_fallback_text_is_bounded() -> None:
    assert len(answer_fallback_text("y " * 5000)) <= 3000


def test_feedback_modal() -> None:
    view = build_feedback_modal(7).to_dict()
    assert view["callback_id"] == CallbackId.FEEDBACK
    assert ResponseRef.unpack(view["private_metadata"]).response_id == 7
    block_ids = [b.get("block_id") for b in view["blocks"]]
    assert BlockId.FEEDBACK_REASON in block_ids
    assert BlockId.FEEDBACK_COMMENT in block_ids
    options = view["blocks"][1]["element"]["options"]
    assert [o["value"] for o in options] == list(FEEDBACK_REASONS)


def test_persona_footer_is_the_last_context_line() -> None:
    blocks = as_dicts(build_answer_blocks("Hi", ["Day 1"], 0.8, 3, footer="Jane's AI Coach"))
    contexts = [b for b in blocks if b["type"] == "context"]
    assert contexts[-1]["elements"] == [{"type": "mrkdwn", "text": "Jane's AI Coach"}]
    assert blocks[-1]["type"] == "actions"
    without = as_dicts(build_answer_blocks("Hi", ["Day 1"], 0.8, 3))
    assert "Jane's AI Coach" not in str(without)
    assert len(without) == len(blocks) - 1


def test_absurdly_long_answer_with_a_footer_stays_within_fifty_blocks() -> None:
    long_footer = "Coach · " + "bio " * 600
    blocks = as_dicts(build_answer_blocks("x" * 200_000, ["Day 1"], 0.5, 1, footer=long_footer))
    assert len(blocks) == MESSAGE_BLOCK_LIMIT
    footer = blocks[-2]["elements"][0]["text"]  # type: ignore[index]
    assert footer.startswith("Coach · ")
    assert footer.endswith("…")
    assert len(footer) <= FOOTER_LIMIT


def test_mentions_in_an_answer_never_ping_anyone() -> None:
    # A model may repeat what a learner or the course text wrote; posted, it must stay text.
    text = (
        "Try this <!channel> and ask <@U0OTHER>.\n```\nprint('<!here>')\n```\n[docs](https://x.y)"
    )
    blocks = build_answer_blocks(text, [], 0.9, 1)
    rendered = json.dumps([b.to_dict() for b in blocks])
    assert "<!channel>" not in rendered
    assert "<!here>" not in rendered
    assert "<@U0OTHER>" not in rendered
    assert "&lt;!channel&gt;" in rendered
    assert "<https://x.y|docs>" in rendered
