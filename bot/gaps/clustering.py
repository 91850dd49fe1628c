"""Leader clustering of question vectors: one pass, deterministic, a cosine floor.

Each question, in the order given, joins the cluster whose centroid it is most similar to when
that similarity reaches the floor, and starts a cluster of its own otherwise; the centroid then
moves to the mean of its members. The order given is the order questions were asked, so the same
questions always give the same clusters. Vectors are expected L2-normalised (every embedder's are).
The floor is tuned in ``bench/gaps_bench.py`` on labelled groups of questions.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# Tuned on bench/gaps/questions.json with the local model (see bench/results/gaps.md).
DEFAULT_FLOOR = 0.475


def cluster(vectors: Sequence[Sequence[float]], *, floor: float = DEFAULT_FLOOR) -> list[list[int]]:
    """Indices of ``vectors`` grouped into clusters, largest first (ties: earliest first)."""
    if not vectors:
        return []
    matrix = np.asarray(vectors, dtype=np.float64)
    sums = np.zeros_like(matrix)  # one row per cluster, the first ``count`` in use
    centroids = np.zeros_like(matrix)
    members: list[list[int]] = []
    for index, vector in enumerate(matrix):
        count = len(members)
        if count:
            similarity = centroids[:count] @ vector
            best = int(np.argmax(similarity))
            if similarity[best] >= floor:
                members[best].append(index)
                sums[best] += vector
                norm = float(np.linalg.norm(sums[best]))
                centroids[best] = sums[best] / norm if norm > 0 else sums[best]
                continue
        members.append([index])
        sums[count] = vector
        norm = float(np.linalg.norm(vector))
        centroids[count] = vector / norm if norm > 0 else vector
    return sorted(members, key=lambda group: (-len(group), group[0]))
