"""The offline answer's text: an extract of the one passage that best answers the question.

Sentences picked from several passages read as a collage and cite more than they say, so the
extract quotes one chunk: the first passage when re-ranking put it first (``bot.coach.rerank``
weighed its searches, its file and its closest sentence) and it shares a word with the question;
otherwise, among the closest few, the one whose words match the question best (a word counts
more the fewer retrieved chunks contain it), with closeness in retrieval as the other part of
the choice. Inside it the best-matching paragraph leads, with the code example that
follows it and the neighbouring paragraphs that match too, in reading order, under the section
heading, within a size that always fits one Slack section.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.blocks.mrkdwn import clip
from bot.coach.course_markup import (
    Block,
    Kind,
    heading_text,
    parse_blocks,
    render_code,
    render_heading,
    render_prose,
    words_of,
)
from bot.coach.types import RetrievedChunk
from bot.content.location import SEPARATOR

CANDIDATES = 3  # chunks considered, closest first
LEXICAL_WEIGHT = 0.5  # the rest is closeness in retrieval
DISTANCE_SPAN = 0.10  # this much further than the closest chunk earns no closeness credit
# BM25's k1: how soon more mentions of a word stop adding. In a paragraph, covering more of the
# question's words matters more than repeating one.
CHUNK_SATURATION = 1.2
UNIT_SATURATION = 0.5
CODE_WEIGHT = 0.5  # a question word in code counts half: identifiers match by accident
LEAD_SHARE = 0.8  # an earlier paragraph this close to the best one leads: it introduces it
NEXT_SHARE = 0.25  # a following paragraph joins if it scores this share of the best one
PREVIOUS_SHARE = 0.5  # a preceding one must match more, so that the best content leads
# Size: about 900 characters of prose and two code blocks, well inside a section's 3,000.
PROSE_LIMIT = 900
MAX_CODE_BLOCKS = 2
CODE_LINES = 16
CODE_CHARS = 700
CODE_LINE_CHARS = 160
HEADING_CHARS = 150

_WORD = re.compile(r"[a-z0-9]+")
_STOPWORDS_TEXT = """
a an and are as at be but by can could do does did for from how i if in into is it its me my of
on or our should so than that the their them then there these this to was we what when where
which who why will with would you your about have has please any get got tell explain show know
want need mean means way work works use used using example examples also just some
"""
_STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
_SUFFIXES = (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""))


@dataclass(frozen=True)
class Extract:
    """Slack mrkdwn quoting one chunk, that chunk (the answer's only reference) and its heading."""

    text: str
    chunk: RetrievedChunk
    heading: str | None


@dataclass
class _Unit:
    """A paragraph with the code blocks right after it (its example), or code on its own."""

    titles: tuple[str, ...]
    segment: int
    prose: Block | None
    code: list[Block] = field(default_factory=list)
    score: float = 0.0
    rendered: str = ""


def build_extract(
    question: str,
    chunks: list[RetrievedChunk],
    *,
    prose_only: Callable[[RetrievedChunk], bool] | None = None,
) -> Extract | None:
    """The best passage's most relevant part as mrkdwn, or None when no passage matches; a
    passage ``prose_only`` says yes to is quoted without its code blocks (a lab's solution)."""
    wanted = set(_terms(question))
    if not wanted or not chunks:
        return None
    bags = [Counter(_terms(chunk.text)) for chunk in chunks]
    weights = _rarity(wanted, bags)
    best = _best_chunk(chunks[:CANDIDATES], bags, weights)
    if best is None:
        return None
    chunk = chunks[best]
    units = _units(chunk, code=not (prose_only and prose_only(chunk)))
    if not units:
        return None
    for unit in units:
        unit.score = _unit_score(unit, weights)
    return _compose(chunk, [units[i] for i in _window(units)])


def _terms(text: str) -> list[str]:
    """Content words, lower-cased and lightly stemmed ("slicing", "slices" and "slice" match)."""
    return [
        _stem(word)
        for word in _WORD.findall(text.lower())
        if word not in _STOPWORDS and len(word) > 1
    ]


def _stem(word: str) -> str:
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            word = word[: -len(suffix)] + replacement
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def _rarity(wanted: set[str], bags: list[Counter[str]]) -> dict[str, float]:
    """BM25's inverse document frequency of each question word over the retrieved chunks."""
    total = len(bags)
    weights: dict[str, float] = {}
    for term in wanted:
        found = sum(1 for bag in bags if bag[term])
        if found:
            weights[term] = math.log(1 + (total - found + 0.5) / (found + 0.5))
    return weights


def _match(counts: dict[str, float], weights: dict[str, float], saturation: float) -> float:
    return sum(
        weight * counts[term] * (1 + saturation) / (counts[term] + saturation)
        for term, weight in weights.items()
        if counts.get(term)
    )


def _best_chunk(
    candidates: list[RetrievedChunk], bags: list[Counter[str]], weights: dict[str, float]
) -> int | None:
    lexical = [_match(dict(bags[i]), weights, CHUNK_SATURATION) for i in range(len(candidates))]
    top = max(lexical)
    if top <= 0:
        return None
    if candidates[0].reranked and lexical[0] > 0:
        # Re-ranking weighed more than words and closeness: choosing again undoes it (tune split:
        # 9.8% of posted answers cite the wrong place this way, 12.3% choosing again).
        return 0
    sentences = [chunk.sentence_similarity for chunk in candidates]
    if all(s is not None for s in sentences):
        # The engine measured each passage's best sentence: a passage that says what was asked
        # is closer than one that is only about the same thing.
        distances = [1.0 - (s or 0.0) for s in sentences]
    else:
        distances = [chunk.distance for chunk in candidates]
    closest = min(distances)

    def relevance(i: int) -> float:
        closeness = max(0.0, 1 - (distances[i] - closest) / DISTANCE_SPAN)
        return LEXICAL_WEIGHT * lexical[i] / top + (1 - LEXICAL_WEIGHT) * closeness

    matching = [i for i in range(len(candidates)) if lexical[i] > 0]
    return max(matching, key=lambda i: (relevance(i), -i))


def _units(chunk: RetrievedChunk, *, code: bool = True) -> list[_Unit]:
    """The chunk's paragraphs with their examples (none when not ``code``); a heading inside the
    chunk starts a segment."""
    path: list[tuple[int, str]] = []
    units: list[_Unit] = []
    open_unit: _Unit | None = None
    segment = 0
    started = False
    for block in parse_blocks(chunk.text):
        if block.kind is Kind.HEADING:
            segment += started
            path = [(level, t) for level, t in path if level < block.level]
            path.append((block.level, heading_text(block.lines[0])))
            open_unit = None
            continue
        titles = tuple(t for _, t in path if t) or _fallback_titles(chunk)
        if block.kind is Kind.PROSE:
            if not started and block.lines[0].lstrip().startswith("…"):
                # The end of the previous part, repeated by the chunker: it starts mid-sentence.
                started, open_unit = True, None
                continue
            open_unit = _Unit(titles, segment, block)
            units.append(open_unit)
        elif not code or not any(line.strip() for line in block.lines):
            continue
        elif open_unit is not None and len(open_unit.code) < MAX_CODE_BLOCKS:
            open_unit.code.append(block)
        else:
            open_unit = _Unit(titles, segment, None, [block])
            units.append(open_unit)
        started = True
    return units


def _fallback_titles(chunk: RetrievedChunk) -> tuple[str, ...]:
    section = chunk.location.section
    return (heading_text(section),) if section else ()


def _unit_score(unit: _Unit, weights: dict[str, float]) -> float:
    counts: dict[str, float] = {}
    if unit.prose is not None:
        counts.update(Counter(_terms(words_of(unit.prose))))
    for block in unit.code:
        for term, n in Counter(_terms(words_of(block))).items():
            counts[term] = counts.get(term, 0.0) + CODE_WEIGHT * n
    return _match(counts, weights, UNIT_SATURATION)


def _window(units: list[_Unit]) -> list[int]:
    """The leading unit and the matching neighbours of its segment that fit, in reading order."""
    anchor = _lead(units)
    best = max(unit.score for unit in units)
    low = high = anchor
    prose_used = _prose_cost(units[anchor])
    code_used = len(units[anchor].code)
    while True:
        options = []
        for i, share in ((low - 1, PREVIOUS_SHARE), (high + 1, NEXT_SHARE)):
            if not 0 <= i < len(units) or units[i].segment != units[anchor].segment:
                continue
            unit = units[i]
            fits = (
                prose_used + _prose_cost(unit) <= PROSE_LIMIT
                and code_used + len(unit.code) <= MAX_CODE_BLOCKS
            )
            # Code on its own never comes first: without its lead-in it explains nothing.
            leads = i > high or unit.prose is not None
            relevant = unit.score > 0 and unit.score >= share * best
            if fits and leads and (relevant or (i > high and _runs_on(units[high]))):
                options.append(i)
        if not options:
            return list(range(low, high + 1))
        chosen = max(options, key=lambda i: units[i].score)
        prose_used += _prose_cost(units[chosen])
        code_used += len(units[chosen].code)
        low, high = min(low, chosen), max(high, chosen)


def _runs_on(unit: _Unit) -> bool:
    """True when the next unit completes this one: "for several reasons:" and no example yet,
    or a sentence that goes on after its example ("…, so that [code] will print 5.")."""
    if unit.prose is None:
        return False
    end = unit.prose.lines[-1].rstrip()
    if not unit.code:
        return end.endswith(":")
    return not end.endswith((".", "!", "?", ":", ")"))


def _lead(units: list[_Unit]) -> int:
    """The first paragraph nearly as relevant as the best one (code alone only if nothing else)."""
    worded = [i for i, unit in enumerate(units) if unit.prose is not None and unit.score > 0]
    candidates = worded or list(range(len(units)))
    best = max(units[i].score for i in candidates)
    return next(i for i in candidates if units[i].score >= LEAD_SHARE * best)


def _prose_cost(unit: _Unit) -> int:
    """Characters the unit's prose takes in the extract, with the line break before it."""
    return len(_prose(unit)) + 2 if unit.prose is not None else 0


def _prose(unit: _Unit) -> str:
    """The unit's paragraph as mrkdwn, rendered once."""
    if unit.prose is not None and not unit.rendered:
        unit.rendered = render_prose(unit.prose.lines, PROSE_LIMIT)
    return unit.rendered


def _compose(chunk: RetrievedChunk, units: list[_Unit]) -> Extract:
    titles = units[0].titles[-2:]
    heading = clip(SEPARATOR.join(titles), HEADING_CHARS) if titles else None
    pieces: list[str] = [render_heading(heading, HEADING_CHARS)] if heading else []
    last_was_prose = False
    for unit in units:
        if prose := _prose(unit):
            pieces.append(("\n" if last_was_prose else "") + prose)
            last_was_prose = True
        for block in unit.code:
            code = render_code(
                block.lines, max_lines=CODE_LINES, max_chars=CODE_CHARS, line_chars=CODE_LINE_CHARS
            )
            pieces.append(code)
            last_was_prose = False
    return Extract(text="\n".join(pieces), chunk=chunk, heading=heading)
