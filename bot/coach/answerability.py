"""Whether the course can answer a question, from signals neither the model nor the learner
controls, and how far an answerer's own judgement may move that.

Signals (each in [0, 1]):

    similarity        cosine similarity of the question to the best retrieved passage
    sentence          cosine similarity of the question to the best sentence or code example
                      of the top passages (``bot.coach.sentences``): a passage on the right
                      topic that never says what was asked has no sentence close to it
    course_coverage   share of the question's terms, weighted by their rarity in the course
                      (``bot.content.vocabulary``), that the course uses at all: low for a
                      question about ``asyncio`` in a course that never says it
    passage_coverage  the same share over the best three passages only: the words are in the
                      course, but are they where retrieval looked?
    unknown_term      1 when the question names a technical term (not everyday English, see
                      ``bot.content.vocabulary.is_everyday``) that the course never uses
    ranking_margin    how far the first passage leads the best passage of another file in the
                      re-ranking score (``bot.coach.rerank.scores``), clipped to
                      [0, MARGIN_SPAN] and scaled to [0, 1]; 1 when the candidates are all
                      from one file: an answer cited from a file that barely beat another is
                      often cited from the wrong one

A course FAQ entry among the retrieved passages (retrieval returns one only when its question
matches the learner's) adds its words to the course's for these signals.

    answerability = sigmoid(BIAS + W_SIM * similarity + W_SENTENCE * sentence
                            + W_COURSE * course_coverage + W_PASSAGE * passage_coverage
                            + W_UNKNOWN * unknown_term + W_MARGIN * ranking_margin)

The weights are a logistic regression fitted on the tuning split of ``bench/quality/eval_set.json``
(``bench/fit_answerability.py``; labels: "an answerable question whose answer cites the right
chapter or lab" against everything else), so answerability reads as the probability that a
posted answer is right; the held-out split is never used to fit them. The default escalation
threshold of 0.40 sits where the tuning sweep trades answered questions against wrong ones
(``bench/results/quality.md``).

The answerer's self-report (the model's ``grounding_score`` and citations) may lower the
confidence freely but raise it by at most ``RAISE_CAP``, and never from below the posting
threshold to above it: a model that always claims full grounding still cannot post an answer to
a question the course does not cover. A question whose best passage is far from it
(``similarity < OFF_TOPIC_SIMILARITY``) and whose terms the course mostly lacks is off-topic:
declined rather than escalated. So is a question far nearer to a bank of questions on other
subjects than to any sentence of the course (``bot.coach.subjects``), and one about another
programming language than the course's (``bot.content.languages``); one far nearer to a bank of
topics a course may not teach is uncovered. The answerability of each is capped at
``OUT_OF_SCOPE_CAP``, since no passage of this course answers it, so it is never posted at the
default threshold.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from bot.coach import rerank
from bot.coach.confidence import OUT_OF_SCOPE_CAP
from bot.coach.subjects import Bank, SubjectMatch
from bot.coach.types import RetrievedChunk
from bot.content.languages import other_language
from bot.content.vocabulary import Vocabulary, is_everyday, terms

# Fitted on the tuning split by bench/fit_answerability.py; see the module docstring. On the
# 416 course questions of that split that reach the answerer (264 of them answerable and cited
# right), ten-fold cross-validation gives a log loss of 0.402 with every signal and 0.408 to
# 0.438 with one left out (the ranking margin is worth most, then the sentence similarity). At
# 0.40 the cross-validated model posts 257 of the 264 and 65 others; the fitted sweep posts
# 97.3 % of the answerable questions cited right, and 20.2 % of the posted answers are not an
# answerable question cited right.
BIAS = -2.88
W_SIM = 1.40
W_SENTENCE = 1.63
W_COURSE = 1.08
W_PASSAGE = 1.17
W_UNKNOWN = -0.79
W_MARGIN = 1.58
# Re-ranking score units (bot.coach.rerank) at and above which a file's lead counts in full.
MARGIN_SPAN = 5.0
RAISE_CAP = 0.10
OFF_TOPIC_SIMILARITY = 0.25
OFF_TOPIC_COVERAGE = 0.60
PASSAGES = 3


@dataclass(frozen=True)
class Answerability:
    """The question's signals and the probability the course answers it."""

    similarity: float
    sentence_similarity: float
    course_coverage: float
    passage_coverage: float
    unknown_terms: tuple[str, ...]
    value: float
    ranking_margin: float = 1.0
    subjects: tuple[SubjectMatch, ...] = ()
    # Another programming language the question names, and none the course is about.
    other_language: str | None = None

    @property
    def off_topic(self) -> bool:
        """Far from every passage, with words the course does not use, clearly another
        subject's question, or one about another programming language: not about the course."""
        if self.fired(Bank.OTHER_SUBJECT) or self.other_language is not None:
            return True
        return self.similarity < OFF_TOPIC_SIMILARITY and self.course_coverage < OFF_TOPIC_COVERAGE

    @property
    def out_of_scope(self) -> bool:
        """Whether the question reads as one of the subject banks' (``bot.coach.subjects``) or
        is about another programming language: no passage of this course answers it."""
        return self.other_language is not None or any(match.fires for match in self.subjects)

    def fired(self, bank: Bank) -> bool:
        """Whether the question reads as that bank's (``bot.coach.subjects``)."""
        return any(match.bank is bank and match.fires for match in self.subjects)

    def signals(self) -> dict[str, float]:
        """The signals as stored with the response, for re-tuning from real feedback."""
        return {
            "similarity": round(self.similarity, 4),
            "sentence_similarity": round(self.sentence_similarity, 4),
            "course_coverage": round(self.course_coverage, 4),
            "passage_coverage": round(self.passage_coverage, 4),
            "unknown_term": 1.0 if self.unknown_terms else 0.0,
            "ranking_margin": round(self.ranking_margin, 4),
            "answerability": round(self.value, 4),
            **{match.bank.value: round(match.similarity, 4) for match in self.subjects},
            **({"other_language": 1.0} if self.other_language else {}),
        }


def _coverage(wanted: dict[str, float], matched: dict[str, str], known: set[str]) -> float:
    """Share of the weight of ``wanted`` whose terms (as the course spells them) are known."""
    total = sum(wanted.values())
    if total <= 0:
        return 0.0
    return sum(w for t, w in wanted.items() if matched.get(t, t) in known) / total


def ranking_margin(retrieved: list[RetrievedChunk]) -> float:
    """How far the first passage leads the best candidate of another file, in [0, 1]."""
    candidates = retrieved[: rerank.CANDIDATES]
    scored = rerank.scores(candidates)
    others = [
        s
        for c, s in zip(candidates, scored, strict=True)
        if c.source_path != candidates[0].source_path
    ]
    if not others:
        return 1.0
    return min(max(scored[0] - max(others), 0.0), MARGIN_SPAN) / MARGIN_SPAN


def assess(
    question: str,
    retrieved: list[RetrievedChunk],
    vocabulary: Vocabulary,
    *,
    sentence_similarity: float | None = None,
    subjects: tuple[SubjectMatch, ...] = (),
) -> Answerability:
    """The answerability of ``question`` given what retrieval found; without a sentence
    similarity (the embedder failed) the best passage's similarity stands in for it.
    ``subjects`` are the question's nearest questions of the subject banks, when checked."""
    if not retrieved:
        return Answerability(0.0, 0.0, 0.0, 0.0, (), 0.0)
    similarity = max(0.0, max(chunk.similarity for chunk in retrieved))
    sentence = similarity if sentence_similarity is None else sentence_similarity
    # Matching a term the course lacks scans its whole vocabulary: once per term is enough.
    found = {term: vocabulary.match(term) for term in set(terms(question))}
    # A course FAQ entry is retrieved only when its question matches (bot.coach.faq_match): its
    # words are course vocabulary for this question, though the course vocabulary leaves them out.
    faq_terms = {t for chunk in retrieved if chunk.location.is_faq for t in terms(chunk.text)}
    found = {term: known or (term if term in faq_terms else None) for term, known in found.items()}
    matched = {term: known for term, known in found.items() if known}
    wanted = {term: vocabulary.weight(known) for term, known in found.items()}
    passage_terms: set[str] = set()
    for chunk in retrieved[:PASSAGES]:
        passage_terms.update(terms(chunk.text))
        passage_terms.update(terms(chunk.location.label()))
    course_coverage = _coverage(wanted, matched, set(matched.values()))
    passage_coverage = _coverage(wanted, matched, passage_terms)
    unknown = tuple(sorted(t for t in wanted if t not in matched and not is_everyday(t)))
    z = BIAS + W_SIM * similarity + W_SENTENCE * sentence
    z += W_COURSE * course_coverage + W_PASSAGE * passage_coverage
    z += W_UNKNOWN * (1.0 if unknown else 0.0)
    margin = ranking_margin(retrieved)
    z += W_MARGIN * margin
    value = 1.0 / (1.0 + math.exp(-z))
    language = other_language(question, vocabulary.languages)
    assessed = Answerability(
        similarity,
        sentence,
        course_coverage,
        passage_coverage,
        unknown,
        value,
        margin,
        subjects,
        language,
    )
    return (
        replace(assessed, value=min(value, OUT_OF_SCOPE_CAP)) if assessed.out_of_scope else assessed
    )


def combine(answerability: float, self_report: float | None, threshold: float) -> float:
    """The confidence: the answerer may lower answerability freely and raise it a little, but
    never from below the posting threshold: only the signals decide whether an answer is posted."""
    if self_report is None:
        return answerability
    ceiling = answerability + RAISE_CAP if answerability >= threshold else answerability
    return max(0.0, min(1.0, self_report, ceiling))
