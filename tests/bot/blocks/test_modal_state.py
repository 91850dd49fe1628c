"""Reading modal submissions: every shape Slack may send reads safely."""

from __future__ import annotations

import json
from pathlib import Path

from bot.blocks.ids import ActionId, BlockId
from bot.blocks.modal_state import ModalState
from tests.fakes.slack_contract import SLACK_REFERENCE


def test_inputs_of_each_kind_are_read() -> None:
    state = ModalState.of(
        {
            "state": {
                "values": {
                    "note": {"note": {"type": "plain_text_input", "value": "  please help  "}},
                    "who": {"who": {"type": "users_select", "selected_user": "U0NEW"}},
                    "many": {
                        "pick": {"type": "multi_users_select", "selected_users": ["U1", "U2"]}
                    },
                    "why": {"why": {"type": "static_select", "selected_option": {"value": "dup"}}},
                }
            }
        }
    )
    assert state.text("note") == "please help"
    assert state.user("who") == "U0NEW"
    assert state.users("many", "pick") == ["U1", "U2"]
    assert state.option("why") == "dup"


def test_missing_empty_and_odd_values_read_as_nothing() -> None:
    empty = ModalState.of({"state": {"values": {"note": {"note": {"value": "   "}}}}})
    assert empty.text("note") is None
    for view in ({}, {"state": None}, {"state": {"values": {"note": "not a dict"}}}):
        state = ModalState.of(view)
        assert state.text("note") is None
        assert state.user("note") is None
        assert state.users("note") == []
        assert state.option("note") is None
    unselected = ModalState.of({"state": {"values": {"why": {"why": {"selected_option": None}}}}})
    assert unselected.option("why") is None


def test_a_real_view_submission_payload_reads() -> None:
    path = Path(SLACK_REFERENCE) / "payloads" / "bolt-python" / "test_view_submission__body.json"
    body = json.loads(path.read_text())
    state = ModalState.of(body["view"])
    [(block, actions)] = body["view"]["state"]["values"].items()
    [(action, element)] = actions.items()
    assert state.text(block, action) == (element.get("value") or "").strip() or None
    # Names the bot never uses read as nothing, not as an error.
    assert state.text(BlockId.FEEDBACK_COMMENT, ActionId.FEEDBACK_COMMENT_INPUT) is None
