"""Re-rank the first passages of the fused retrieval by what each search and each sentence says.

Reciprocal rank fusion (``bot.coach.retrieval.fuse``) adds what the two searches think of each
chunk alone. Two things it cannot see decide many questions whose right file it ranks second:

* the file around a chunk: a question is answered by a file, and a chapter whose one chunk the
  vector search ranks first and whose other chunk the text search ranks first ("drop the negative
  numbers from a list with a comprehension": the del statement and list comprehensions, both in
  the lists chapter) is a better bet than a chunk both searches rank second;
* the single sentence or code example closest to the question (``bot.coach.sentences``): the
  passage that says what was asked has a sentence much closer to the question than a passage
  that only shares its topic.

Each of the first ``CANDIDATES`` fused passages is scored as a weighted sum of

    vector      1 / (RRF_K + its vector rank), 0 when vector search did not return it
    text        the same for its full-text rank
    sentence    the similarity of its closest sentence to the question, minus the best such
                similarity among the candidates (0 for the best, negative for the others)
    file_vector the best ``vector`` of the candidates from the same file (itself included)
    file_text   the best ``text`` of the candidates from the same file

and the candidates are put in order of that score (ties keep the fused order); passages after
the candidates keep their fused order behind them.

The weights are a conditional logit (softmax over each question's candidates, the likelihood of
those from an expected file) fitted on the tune split of ``bench/quality/eval_set.json`` by
``bench/fit_rerank.py``, on features standardised over the candidates, then divided back by each
feature's spread so that they apply to the raw features; a softmax ignores a constant, so there
is no bias. Ten-fold cross-validation on the tune split chose the features (the passage's own
cosine similarity, its normalised full-text score, and the share of the question's rare terms,
weighted by course IDF, in its text, its heading or its file did not help, and the passage's own
text rank does better left out, so its weight is 0) and the number of candidates (6: 12 or 18
did no better); see ``bench/results/rerank.md``. The file's vector weight is negative beside the
larger weight of a chunk's own vector rank: of two chunks of one file, the one vector search
ranks higher goes first, and a file is lifted above others by its text ranks. Re-ranking moves
nothing when the sentences cannot be embedded (the fused order stands).
"""

from __future__ import annotations

from dataclasses import replace

from bot.coach.types import RetrievedChunk

# Fitted by bench/fit_rerank.py on the 307 answerable questions of the tune split (L2 0.0003,
# chosen by ten-fold cross-validation over three shuffles). Cross-validated, the first passage is
# from a right file for 256 to 260 of them (0.841) with all five features against 250 (0.814) in
# fused order, and for 264 to 266 (0.863) without the passage's own text rank, which is therefore
# left out (weight 0): the file's text rank carries what it said. Leaving out the sentence instead
# drops it to 0.813, the file's text rank to 0.837, the file's vector rank to 0.840.
W_VECTOR = 7.73
W_TEXT = 0.0
W_SENTENCE = 12.77
W_FILE_VECTOR = -2.954
W_FILE_TEXT = 6.687
# The fused passages re-ranked; the engine's sentence similarity reads the first three of them.
CANDIDATES = 6
# The reciprocal rank constant of the features, the fusion's (bot.coach.retrieval.RRF_K).
FEATURE_RRF_K = 2

FEATURES = ("vector", "text", "sentence", "file_vector", "file_text")
WEIGHTS = (W_VECTOR, W_TEXT, W_SENTENCE, W_FILE_VECTOR, W_FILE_TEXT)


def _reciprocal(rank: int | None) -> float:
    return 0.0 if rank is None else 1.0 / (FEATURE_RRF_K + rank)


def features(candidates: list[RetrievedChunk]) -> list[tuple[float, ...]]:
    """Each candidate's features, in the order of ``FEATURES`` (see the module docstring)."""
    if not candidates:
        return []
    sentences = [chunk.sentence_similarity or 0.0 for chunk in candidates]
    best_sentence = max(sentences)
    file_vector: dict[str, float] = {}
    file_text: dict[str, float] = {}
    for chunk in candidates:
        path = chunk.source_path
        file_vector[path] = max(file_vector.get(path, 0.0), _reciprocal(chunk.vector_rank))
        file_text[path] = max(file_text.get(path, 0.0), _reciprocal(chunk.text_rank))
    return [
        (
            _reciprocal(chunk.vector_rank),
            _reciprocal(chunk.text_rank),
            sentence - best_sentence,
            file_vector[chunk.source_path],
            file_text[chunk.source_path],
        )
        for chunk, sentence in zip(candidates, sentences, strict=True)
    ]


def scores(candidates: list[RetrievedChunk], weights: tuple[float, ...] = WEIGHTS) -> list[float]:
    """Each candidate's re-ranking score: the weighted sum of its features."""
    return [sum(w * x for w, x in zip(weights, row, strict=True)) for row in features(candidates)]


def rerank(
    fused: list[RetrievedChunk], weights: tuple[float, ...] = WEIGHTS
) -> list[RetrievedChunk]:
    """The fused passages with the first ``CANDIDATES`` in order of their score, best first
    (each keeps its ``fused_score`` and is marked ``reranked``), the others behind them in
    fused order."""
    head, tail = fused[:CANDIDATES], fused[CANDIDATES:]
    scored = scores(head, weights)
    order = sorted(range(len(head)), key=lambda i: -scored[i])  # stable: ties stay fused
    return [replace(head[i], reranked=True) for i in order] + tail
