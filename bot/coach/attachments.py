"""A learner's text file as part of their question: fenced, cut to size, and focused for search.

A file's text joins the question the learner typed as a block that opens with a marker line
(``[file: name.py]``) and a code fence, so the model, a trainer reading the history and the
search below all see where it starts and ends. A long file is cut in the middle (its start says
what it is, its end is where a traceback says what went wrong), with a note saying how much was
left out.

A file that was not read (or a screenshot, whose pixels only a vision model sees) leaves a note
line instead, ``[screenshot: error.png]``, so the thread's history says it was there.

Searching the course with a whole file would drown the learner's words in code, so retrieval
uses the question with each file reduced to its most telling lines (for a traceback its last
lines, the failing line and the exception; for anything else its first lines) and without the
notes, whose words ("screenshot", "png") say nothing about the course. Whether the course can
answer is judged on what the learner typed, when they typed anything: a file's own names
(variables, paths) are words no course uses, and would make any question look off-topic.
"""

from __future__ import annotations

import re

# Characters of one file kept in the question (about 250 lines of code), and of all the files
# of one message: with the typed text it stays inside what one Slack message (a relay to a
# trainer) and a small model's context hold.
MAX_FILE_CHARS = 12_000
MAX_FILES_CHARS = 24_000
# Lines of a file that retrieval searches with; of a traceback, the failing line and the error.
FOCUS_LINES = 6
TRACEBACK_LINES = 3
MARKER = "[file: {name}]"

_FENCE = "```"
_BLOCK = re.compile(r"^\[file: [^\]\n]*\]\n```[^\n]*\n(.*?)\n```$", re.MULTILINE | re.DOTALL)
_NOTE = re.compile(r"^\[(?:file|screenshot): [^\]\n]*\]\n?", re.MULTILINE)
_TRACEBACK = re.compile(r"^Traceback \(most recent call last\):", re.MULTILINE)


def cut(text: str, limit: int = MAX_FILE_CHARS) -> tuple[str, bool]:
    """``text`` within ``limit`` characters, whole lines from its start and its end, and
    whether anything was left out."""
    if len(text) <= limit:
        return text, False
    head_budget, tail_budget = limit // 3, limit - limit // 3
    head = text[:head_budget].rsplit("\n", 1)[0]
    tail = text[-tail_budget:].split("\n", 1)[-1]
    left_out = text[len(head) : len(text) - len(tail)].count("\n")
    return f"{head}\n… ({left_out:,} lines left out) …\n{tail}", True


def fence(name: str, text: str, *, language: str = "", limit: int = MAX_FILE_CHARS) -> str:
    """The file as it joins the question: a marker line, then its (cut) text in a code fence."""
    kept, was_cut = cut(text.strip("\n"), limit)
    # A fence inside the file would close the block early: break it up.
    kept = kept.replace(_FENCE, "`\u200b``")
    safe_name = name.replace("]", ")").replace("\n", " ")
    note = f" (cut to {limit:,} characters)" if was_cut else ""
    return f"{MARKER.format(name=safe_name)}{note}\n{_FENCE}{language}\n{kept}\n{_FENCE}"


def note(name: str, *, screenshot: bool = False, read: bool = True) -> str:
    """The line a file leaves in the message when its content is not part of it."""
    label = "screenshot" if screenshot else "file"
    safe_name = name.replace("]", ")").replace("\n", " ")
    return f"[{label}: {safe_name}]" if read else f"[{label}: {safe_name}, not read]"


def telling_part(text: str, lines: int = FOCUS_LINES) -> str:
    """The lines of a file that say most about the learner's problem."""
    rows = [row for row in text.splitlines() if row.strip() and "lines left out" not in row]
    if _TRACEBACK.search(text):
        return "\n".join(rows[-min(lines, TRACEBACK_LINES) :])
    return "\n".join(rows[:lines])


def typed_part(question: str) -> str:
    """The question without its files and notes: what the learner typed."""
    return _NOTE.sub("", _BLOCK.sub("", question)).strip()


def judged_words(question: str) -> str:
    """The words answerability is judged on: the typed part, or the files' telling parts when
    the learner typed nothing."""
    return typed_part(question) or focus(question)


def focus(question: str) -> str:
    """The question with every fenced file reduced to its telling part, and without the notes
    of files not read, for retrieval."""
    focused = _BLOCK.sub(lambda found: telling_part(found.group(1)), question)
    return _NOTE.sub("", focused).strip()
