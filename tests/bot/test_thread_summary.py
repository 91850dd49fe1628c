"""The extractive summary of a learner's thread, for the trainer's card."""

from __future__ import annotations

from bot.escalation.summary import (
    ThreadFacts,
    ThreadMessage,
    ThreadSummary,
    similarity_text,
    summarise,
)


def _facts(*messages: tuple[str, str], **overrides: object) -> ThreadFacts:
    values: dict[str, object] = {
        "question": messages[0][1] if messages else "",
        "messages": [ThreadMessage(role, text) for role, text in messages],
        "ai_answer": None,
        "references": [],
        "reasons": ["Low confidence: 0.21 is below 0.40"],
    }
    values.update(overrides)
    return ThreadFacts(**values)  # type: ignore[arg-type]


def test_wants_is_the_question_cleaned() -> None:
    facts = _facts(
        ("learner", "hi there!   how do I   cancel an asyncio task?\n```\ntask.cancel()\n```"),
    )
    assert summarise(facts).wants == "how do I cancel an asyncio task?"


def test_tried_keeps_what_the_learner_says_they_tried_code_and_errors() -> None:
    question = (
        "My loop never stops. I tried adding a break but nothing changed. Any idea?\n"
        "```\nwhile True:\n    x += 1\n```\n"
        "Traceback (most recent call last):\n  File \"a.py\", line 2\nNameError: name 'x' is "
        "not defined"
    )
    tried = summarise(_facts(("learner", question))).tried
    assert "I tried adding a break but nothing changed." in tried
    assert "pasted code: `while True:`" in tried
    assert "got `NameError: name 'x' is not defined`" in tried
    assert not any("Any idea" in item for item in tried)


def test_tried_reads_every_learner_message_not_the_assistant() -> None:
    facts = _facts(
        ("learner", "How do I sort a dict by value?"),
        ("assistant", "I used sorted() with a key."),
        ("learner", "I used sorted(d) but it gives only keys"),
    )
    assert summarise(facts).tried == ["I used sorted(d) but it gives only keys"]


def test_answered_is_the_answers_first_sentences_and_places() -> None:
    answer = "Use sorted(d.items(), key=lambda kv: kv[1]). That sorts pairs. " + "More. " * 50
    facts = _facts(
        ("learner", "How do I sort a dict by value?"),
        ai_answer=answer,
        references=["Day 3 › Dicts"],
    )
    summary = summarise(facts)
    assert summary.answered == "Use sorted(d.items(), key=lambda kv: kv[1]). That sorts pairs."
    assert summary.answered_from == ["Day 3 › Dicts"]


def test_still_open_is_the_last_learner_message_after_the_answer() -> None:
    facts = _facts(
        ("learner", "How do I sort a dict by value?"),
        ("assistant", "Use sorted with a key."),
        ("learner", "ok"),
        ("learner", "but what about ties?"),
        ai_answer="Use sorted with a key.",
    )
    assert summarise(facts).still_open == "but what about ties?"


def test_still_open_is_why_it_escalated_when_the_learner_said_nothing_since() -> None:
    facts = _facts(("learner", "How do I sort a dict by value?"))
    assert summarise(facts).still_open == "Escalated: Low confidence: 0.21 is below 0.40"


def test_round_trips_through_its_stored_form() -> None:
    summary = summarise(_facts(("learner", "I tried x. How?"), ai_answer="Do y."))
    assert ThreadSummary.from_dict(summary.to_dict()) == summary
    assert summary.source == "extractive"


def test_similarity_text_is_the_words_or_the_errors_of_a_pasted_traceback() -> None:
    assert similarity_text("Hello! how do I slice a list?\n```\nx[1:2]\n```") == (
        "how do I slice a list?"
    )
    pasted = (
        '[file: t.txt]\n```\nTraceback (most recent call last):\n  File "a.py", line 3\n'
        "IndexError: list index out of range\n```"
    )
    assert similarity_text(pasted) == "IndexError: list index out of range"
