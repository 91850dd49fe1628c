"""A logistic regression over message embeddings, for ``bench/intent_cv.py``.

Each intent gets a linear score over the embedding of a message part, fitted on the labelled
example bank: the positives of that intent against everything else (look-alikes and the other
intent's examples). A part's probability is the logistic of its score; a message takes the best
of its parts, as the nearest-example method does. Cross-validated, it did not beat the
nearest-example method, so the product does not use it.

The fit is Newton's method on the L2-penalised log loss, in numpy: with a few hundred
dimensions and about a thousand examples it converges in a handful of steps, always to the same
weights (the loss is strictly convex and nothing is random).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float64]
Vector = npt.NDArray[np.float64]

# Stop when no weight moves by more than this in a Newton step.
_TOLERANCE = 1e-8
_MAX_STEPS = 50


@dataclass(frozen=True)
class LogisticModel:
    """Weights and bias of a fitted logistic regression."""

    weights: Vector
    bias: float

    def probability(self, vectors: Matrix) -> Vector:
        """The probability of the positive class for each row."""
        scores = np.asarray(vectors, dtype=np.float64) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(scores, -50.0, 50.0)))


def fit_logistic(
    vectors: Matrix,
    labels: npt.NDArray[np.bool_],
    *,
    c: float,
    balanced: bool = True,
) -> LogisticModel:
    """Fit ``P(label | vector)``; ``c`` is the inverse strength of the L2 penalty on the weights
    (not on the bias). ``balanced`` weighs each class by the inverse of its size, so a bank with
    twice as many look-alikes as positives does not pull every score down."""
    x = np.asarray(vectors, dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    rows, dims = x.shape
    positives = float(y.sum())
    if positives in (0.0, float(rows)):
        raise ValueError("a logistic regression needs examples of both classes")
    if balanced:
        sample = np.where(y > 0, rows / (2 * positives), rows / (2 * (rows - positives)))
    else:
        sample = np.ones(rows)
    design = np.hstack([x, np.ones((rows, 1))])
    penalty = np.full(dims + 1, 1.0 / c)
    penalty[-1] = 0.0
    theta = np.zeros(dims + 1)
    for _ in range(_MAX_STEPS):
        p = 1.0 / (1.0 + np.exp(-np.clip(design @ theta, -50.0, 50.0)))
        gradient = design.T @ (sample * (p - y)) + penalty * theta
        curvature = sample * p * (1.0 - p)
        hessian = (design * curvature[:, None]).T @ design + np.diag(penalty)
        # A tiny ridge keeps the bias step defined when every probability saturates.
        step = np.linalg.solve(hessian + 1e-9 * np.eye(dims + 1), gradient)
        theta -= step
        if float(np.abs(step).max()) < _TOLERANCE:
            break
    return LogisticModel(theta[:-1].copy(), float(theta[-1]))
