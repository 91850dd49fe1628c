"""Every builder in bot.blocks stays inside Block Kit's limits whatever text it is given.

Text is as long as a learner message may be (``max_message_chars``), with any number of lines
and any characters: mrkdwn markers, quotes, ``\\r``, entities and mentions included. Each result
is re-parsed with slack_sdk.models (which raises SlackObjectFormationError on what it checks)
and walked for the limits slack_sdk leaves unchecked.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.blocks.admin import build_reply
from bot.blocks.answer import answer_fallback_text, build_answer_blocks
from bot.blocks.escalation_card import (
    CardFacts,
    CardStatus,
    CardTrigger,
    build_card_text,
    build_escalation_card,
)
from bot.blocks.feedback import build_feedback_thanks_view
from bot.blocks.home import Audience, HomeData, TicketLine, build_home_view
from bot.blocks.learner_notices import build_trainer_alert
from bot.blocks.replies import Breakdown, Listing, Notice, StatsReport
from bot.settings import Settings

MAX_CHARS = Settings.model_fields["max_message_chars"].default
SECTION = 3000
CONTEXT_ELEMENT = 2000
FIELD = 2000
HEADER = 150
BUTTON_VALUE = 2000
FALLBACK = 4000
MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
PRIVATE_METADATA = 3000
PROPERTY = settings(max_examples=60, deadline=None)

_SPICE = st.sampled_from(
    ["\n", "\r", "\r\n", ">", "`", "```", "*", "_", "~", "&", "<", "<!channel>", "<@U1>", " "]
)
_CHARS = st.characters(exclude_categories=("Cs",))
_PIECE = st.one_of(_SPICE, st.text(_CHARS, max_size=40), st.just("line\n" * 30))


@st.composite
def texts(draw: st.DrawFn, max_size: int = MAX_CHARS) -> str:
    """Any text up to ``max_size`` characters, often many short lines and markup."""
    pieces = draw(st.lists(_PIECE, max_size=400))
    if draw(st.booleans()):
        pieces.append(draw(st.sampled_from(["x", "\n", "ab\n", ">\n"])) * max_size)
    return "".join(pieces)[:max_size]


def _check_text(kind: str, text: str) -> None:
    limits = {"section": SECTION, "field": FIELD, "context": CONTEXT_ELEMENT, "header": HEADER}
    assert len(text) <= limits[kind], (kind, len(text))


def _walk(block: dict[str, Any]) -> None:
    kind = block["type"]
    if kind == "section":
        if "text" in block:
            _check_text("section", block["text"]["text"])
        for field in block.get("fields", []):
            _check_text("field", field["text"])
        assert len(block.get("fields", [])) <= 10
        accessory = block.get("accessory")
        if accessory and "value" in accessory:
            assert len(accessory["value"]) <= BUTTON_VALUE
    elif kind == "context":
        assert len(block["elements"]) <= 10
        for element in block["elements"]:
            if "text" in element:
                _check_text("context", element["text"])
    elif kind == "header":
        _check_text("header", block["text"]["text"])
    elif kind == "actions":
        for element in block["elements"]:
            assert len(element.get("value", "")) <= BUTTON_VALUE


def assert_valid_message(text: str, blocks: list[Block]) -> None:
    assert 0 < len(text) <= FALLBACK
    assert 0 < len(blocks) <= MESSAGE_BLOCKS
    for block in blocks:
        parsed = Block.parse(block.to_dict())
        assert parsed is not None
        _walk(parsed.to_dict())


def assert_valid_view(view: View) -> None:
    data = view.to_dict()
    again = View(**data)  # raises on invalid views
    assert len(again.blocks) <= VIEW_BLOCKS
    assert len(data.get("private_metadata", "")) <= PRIVATE_METADATA
    for block in data["blocks"]:
        Block.parse(block)
        _walk(block)


_IDS = st.from_regex(r"\AU[0-9A-Z]{8}\Z")
_STATUS = st.sampled_from(list(CardStatus))


@st.composite
def cards(draw: st.DrawFn) -> CardFacts:
    optional = st.one_of(st.none(), texts())
    return CardFacts(
        escalation_id=draw(st.integers(1, 2**31)),
        ticket=draw(st.integers(1, 10**9)),
        status=draw(_STATUS),
        learner_id=draw(_IDS),
        question=draw(texts()),
        course_title=draw(st.one_of(st.none(), texts(500))),
        ai_answer=draw(optional),
        ai_confidence=draw(st.one_of(st.none(), st.floats(0, 1))),
        triggers=[
            CardTrigger(label, detail)
            for label, detail in draw(st.lists(st.tuples(texts(200), texts(500)), max_size=8))
        ],
        reference_labels=draw(st.lists(texts(300), max_size=20)),
        learner_note=draw(optional),
        suggested_trainer_id=draw(st.one_of(st.none(), _IDS)),
        assignee_id=draw(st.one_of(st.none(), _IDS)),
        admin_ids=draw(st.lists(_IDS, max_size=30)),
        resolved_by=draw(st.one_of(st.none(), _IDS)),
        resolution_notes=draw(optional),
        minutes_to_resolve=draw(st.one_of(st.none(), st.floats(0, 10**6))),
        dismissed_reason=draw(st.one_of(st.none(), texts(3000))),
        ai_correction=draw(optional),
        corrected_by=draw(st.one_of(st.none(), _IDS)),
    )


@PROPERTY
@given(cards())
def test_escalation_card_is_always_valid(card: CardFacts) -> None:
    assert_valid_message(build_card_text(card), build_escalation_card(card))


def test_a_question_of_many_short_lines_builds_a_valid_card() -> None:
    # The reported failure: clipped first, then '>' added to each line, past 3000 characters.
    card = CardFacts(
        escalation_id=1,
        ticket=1001,
        status=CardStatus.PENDING,
        learner_id="U0LEARN01",
        question="\n".join(f"line {n}" for n in range(150)) + "\ncan I talk to a trainer",
        ai_answer="ok\n" * 1500,
        learner_note="x\n" * 1000,
    )
    blocks = build_escalation_card(card)
    assert_valid_message(build_card_text(card), blocks)
    assert "line 149" in str([b.to_dict() for b in blocks])  # split, not cut


@PROPERTY
@given(texts(), texts(500), _IDS, st.integers(1, 10**9))
def test_trainer_alert_is_always_valid(
    question: str, course: str, learner: str, ticket: int
) -> None:
    notice = build_trainer_alert(
        ticket, learner_id=learner, course_title=course, question=question, where="<#C1>"
    )
    assert_valid_message(notice.text, notice.blocks)


@PROPERTY
@given(texts(), st.lists(texts(300), max_size=30), st.floats(0, 1), st.one_of(st.none(), texts()))
def test_answer_is_always_valid(
    text: str, references: list[str], confidence: float, footer: str | None
) -> None:
    blocks = build_answer_blocks(text, references, confidence, 42, footer=footer)
    assert_valid_message(answer_fallback_text(text) or "answer", blocks)


@PROPERTY
@given(texts(), st.lists(texts(400), max_size=40), st.integers(-5, 10), texts(3000))
def test_command_replies_are_always_valid(
    notice: str, lines: list[str], page: int, command: str
) -> None:
    for reply in (
        Notice(notice if notice.strip() else "ok"),
        Listing(
            title=notice if notice.strip() else "t", lines=tuple(lines), command=command, page=page
        ),
    ):
        text, blocks = build_reply(reply)
        assert_valid_message(text, blocks)


@st.composite
def ticket_lines(draw: st.DrawFn) -> TicketLine:
    return TicketLine(
        escalation_id=draw(st.integers(1, 2**31)),
        ticket=draw(st.integers(1, 10**9)),
        status=draw(st.sampled_from([s.value for s in CardStatus])),
        course_slug=draw(st.one_of(st.none(), texts(100))),
        learner_id=draw(_IDS),
        question=draw(texts()),
    )


@PROPERTY
@given(st.sampled_from(list(Audience)), st.lists(ticket_lines(), max_size=40), st.integers(0))
def test_home_view_is_always_valid(audience: Audience, rows: list[TicketLine], total: int) -> None:
    data = HomeData(
        user_id="U0USER001",
        audience=audience,
        my_questions=tuple(rows),
        claimed=tuple(rows[:10]),
        unclaimed=tuple(rows),
        resolved=tuple(rows),
        open_queue=tuple(rows),
        open_total=total,
        trainer_channel_id="C0TRAINERS",
    )
    assert_valid_view(build_home_view(data))


@PROPERTY
@given(texts())
def test_feedback_thanks_view_is_always_valid(text: str) -> None:
    assert_valid_view(build_feedback_thanks_view(text or "thanks"))


_MINUTES = st.one_of(st.none(), st.floats(0, 10**7))


@st.composite
def breakdowns(draw: st.DrawFn) -> Breakdown:
    return Breakdown(
        name=draw(texts(300)),
        questions=draw(st.integers(0)),
        escalations=draw(st.integers(0)),
        resolved=draw(st.integers(0)),
        median_claim_minutes=draw(_MINUTES),
        median_resolve_minutes=draw(_MINUTES),
    )


@PROPERTY
@given(
    st.one_of(st.none(), texts(500)),
    st.lists(st.tuples(texts(300), st.integers(0)), max_size=30),
    st.lists(breakdowns(), max_size=30),
)
def test_stats_reply_is_always_valid(
    course: str | None, triggers: list[tuple[str, int]], rows: list[Breakdown]
) -> None:
    report = StatsReport(
        days=7,
        course_slug=course,
        questions=10,
        answered_by_ai=5,
        escalations=3,
        top_triggers=tuple(triggers),
        claim_minutes=(1.0, None),
        resolve_minutes=(None, 500.0),
        helpful=1,
        not_helpful=0,
        per_course=tuple(rows),
        per_trainer=tuple(rows),
    )
    text, blocks = build_reply(report)
    assert_valid_message(text, blocks)
