"""An extractive summary of a learner's thread for the trainer's card, with no model.

Four parts, each taken from the stored thread (learner, assistant and trainer messages; internal
notes are never stored as messages): what the learner *wants* (the escalated question, cleaned),
what they *tried* (their sentences that say so, the code they pasted, the errors they got), what
the AI *answered* (the stored answer's first sentences and the places it cites), and what is
*still open* (the learner's last message after the last answer, or why the thread escalated).
``bot.escalation.summary_model`` writes the same parts with a model when one is configured.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

WANTS_CHARS = 400
ITEM_CHARS = 200
ANSWER_CHARS = 400
TRIED_ITEMS = 4

_FENCE = re.compile(r"```(.*?)(?:```|$)", re.S)
_FILE_BLOCK = re.compile(r"\[file: [^\]]*\]")
_GREETING = re.compile(
    r"^\s*(?:hi|hello|hey|hiya|good (?:morning|afternoon|evening))\b[\s,!.]*"
    r"(?:there|all|everyone|team)?[\s,!.]*",
    re.I,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_TRIED = re.compile(
    r"\b(?:I|we)(?:'ve| have)?\s+(?:already\s+|also\s+)?"
    r"(?:tried|used|ran|run|attempted|wrote|added|changed|installed|tested|checked|followed)\b"
    r"|\b(?:doesn't|does not|didn't|did not|won't|isn't) work",
    re.I,
)
_ERROR = re.compile(r"\b([A-Z]\w*(?:Error|Exception|Warning)\b(?::[^\n]*)?)")
_TRACE_LINE = re.compile(r"^\s*(?:Traceback \(most recent|File \")")


@dataclass(frozen=True)
class ThreadMessage:
    """One stored message of the thread: ``learner``, ``assistant`` or ``trainer``."""

    role: str
    text: str


@dataclass(frozen=True)
class ThreadFacts:
    """What a summary is made from: the escalation and its thread, oldest message first."""

    question: str
    messages: list[ThreadMessage]
    ai_answer: str | None = None
    references: list[str] = field(default_factory=list)
    # Why it escalated, one line per trigger ("Low confidence: 0.21 is below 0.40").
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ThreadSummary:
    """The four parts of a card's summary, and who wrote it (``extractive`` or ``model``)."""

    wants: str
    tried: list[str]
    answered: str | None
    answered_from: list[str]
    still_open: str | None
    source: str = "extractive"

    def to_dict(self) -> dict[str, Any]:
        """The stored form."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ThreadSummary:
        """Back from the stored form."""
        return cls(
            wants=str(data.get("wants") or ""),
            tried=[str(t) for t in data.get("tried") or []],
            answered=data.get("answered"),
            answered_from=[str(r) for r in data.get("answered_from") or []],
            still_open=data.get("still_open"),
            source=str(data.get("source") or "extractive"),
        )


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _prose(text: str) -> str:
    """The text without fenced code and file blocks."""
    return _FILE_BLOCK.sub(" ", _FENCE.sub(" ", text))


def clean_question(question: str) -> str:
    """The question without greetings, pasted code and files, on one line."""
    prose = " ".join(_prose(question).split())
    prose = _GREETING.sub("", prose).strip()
    if not prose:  # only code: its first line says what it is about
        prose = next((line.strip() for line in question.splitlines() if line.strip()), "")
    return _cut(prose, WANTS_CHARS)


def similarity_text(question: str) -> str:
    """What a question is compared by for similar tickets: its words without greetings, code and
    files; for a pasted traceback or file alone, the errors in it (else its first line)."""
    prose = _GREETING.sub("", " ".join(_prose(question).split())).strip()
    if prose:
        return prose
    errors = _ERROR.findall(question)
    if errors:
        return " ".join(dict.fromkeys(errors))
    return clean_question(question)


def _tried_in(text: str) -> list[str]:
    items: list[str] = []
    prose_lines = [line for line in _prose(text).splitlines() if not _TRACE_LINE.match(line)]
    for sentence in _SENTENCE.split("\n".join(prose_lines)):
        if _TRIED.search(sentence) and not _ERROR.search(sentence):
            items.append(_cut(sentence, ITEM_CHARS))
    for block in _FENCE.findall(text):
        first = next((line.strip() for line in block.splitlines() if line.strip()), "")
        if first:
            items.append(f"pasted code: `{_cut(first, ITEM_CHARS)}`")
    for error in _ERROR.findall(text):
        items.append(f"got `{_cut(error, ITEM_CHARS)}`")
    return items


def _first_sentences(answer: str) -> str:
    """The answer's first two sentences (a trainer reads the rest on the card)."""
    sentences = [s.strip() for s in _SENTENCE.split(_prose(answer).strip()) if s.strip()]
    return _cut(" ".join(sentences[:2]), ANSWER_CHARS)


def _still_open(facts: ThreadFacts) -> str | None:
    last_answer = max(
        (i for i, m in enumerate(facts.messages) if m.role in ("assistant", "trainer")),
        default=None,
    )
    after = facts.messages[last_answer + 1 :] if last_answer is not None else facts.messages[1:]
    learner = [m.text for m in after if m.role == "learner" and m.text.strip()]
    if learner:
        return _cut(_prose(learner[-1]) or learner[-1], ITEM_CHARS * 2)
    if facts.reasons:
        return _cut("Escalated: " + "; ".join(facts.reasons), ITEM_CHARS * 2)
    return None


def summarise(facts: ThreadFacts) -> ThreadSummary:
    """The extractive summary of a thread."""
    tried: list[str] = []
    for message in facts.messages:
        if message.role != "learner":
            continue
        for item in _tried_in(message.text):
            if item not in tried:
                tried.append(item)
    return ThreadSummary(
        wants=clean_question(facts.question),
        tried=tried[:TRIED_ITEMS],
        answered=_first_sentences(facts.ai_answer) if facts.ai_answer else None,
        answered_from=list(facts.references),
        still_open=_still_open(facts),
    )
