"""Grouping unanswered questions by meaning: pure, deterministic, every question in one group."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.gaps.clustering import cluster


def _unit(*values: float) -> list[float]:
    norm = math.sqrt(sum(v * v for v in values))
    return [v / norm for v in values]


def test_close_vectors_share_a_cluster_and_far_ones_do_not() -> None:
    vectors = [
        _unit(1.0, 0.0, 0.0),
        _unit(0.0, 1.0, 0.0),
        _unit(0.95, 0.05, 0.0),
        _unit(0.0, 0.97, 0.1),
        _unit(0.9, 0.1, 0.0),
        _unit(0.0, 0.0, 1.0),
    ]
    groups = cluster(vectors, floor=0.8)
    # Largest first, then by the first question in each.
    assert groups == [[0, 2, 4], [1, 3], [5]]


def test_a_floor_of_one_keeps_every_different_question_apart() -> None:
    vectors = [_unit(1.0, 0.1), _unit(1.0, 0.2), _unit(1.0, 0.3)]
    assert cluster(vectors, floor=1.0) == [[0], [1], [2]]


def test_no_questions_no_clusters() -> None:
    assert cluster([], floor=0.5) == []


_vector = st.lists(st.floats(-1.0, 1.0, allow_nan=False), min_size=4, max_size=4).filter(
    lambda v: sum(x * x for x in v) > 1e-6
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_vector, max_size=40), st.floats(-1.0, 1.0))
def test_every_question_lands_in_exactly_one_cluster(raw: list[list[float]], floor: float) -> None:
    vectors = [_unit(*v) for v in raw]
    groups = cluster(vectors, floor=floor)
    members = sorted(i for group in groups for i in group)
    assert members == list(range(len(vectors)))
    assert all(group for group in groups)
    # The same input always gives the same grouping.
    assert cluster(vectors, floor=floor) == groups
