"""What every native soft student shares: the soft-target contract.

A native student's ``fit(X, y)`` takes either

- ``y`` of shape (n_samples,): ordinary labels of any type; ``classes_`` are
  the sorted unique labels; or
- ``y`` of shape (n_samples, n_classes): a probability matrix (non-negative,
  rows summing to 1); ``classes_`` are the column indices ``0..n_classes-1``.

and ``predict_proba`` returns one column per entry of ``classes_``. The class
attribute ``_accepts_soft_targets = True`` tells
:class:`skdistill.DistilledClassifier` to hand it the matrix directly.
"""

import numpy as np
from sklearn.base import ClassifierMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import column_or_1d

from .._doc_link import DocLinkMixin

# Rows of a probability matrix must sum to 1 within this tolerance.
ROW_SUM_TOLERANCE = 1e-6


class SoftTargetClassifierMixin(DocLinkMixin, ClassifierMixin):
    """Mixin for classifiers that learn from probability matrices (and
    whose HTML repr links to their API reference)."""

    _accepts_soft_targets = True


def soft_targets_from_y(y):
    """Return ``(targets, classes, is_soft)`` for a student's ``fit``.

    ``targets`` is always an (n_samples, n_classes) float64 matrix: the
    probability matrix itself, or the one-hot encoding of labels.

    Raises
    ------
    ValueError
        When a 2-D ``y`` is not a probability matrix, or fewer than two
        classes are present.
    """
    y_array = np.asarray(y)
    if y_array.ndim == 2 and y_array.shape[1] > 1:
        if not np.issubdtype(y_array.dtype, np.number) or y_array.dtype == bool:
            raise ValueError(
                "y must be labels of shape (n_samples,) or a probability matrix of "
                f"shape (n_samples, n_classes); got a 2-D y of dtype {y_array.dtype}"
            )
        targets = y_array.astype(np.float64)
        if not np.all(np.isfinite(targets)) or (targets < 0).any():
            raise ValueError("y as a probability matrix must be finite and non-negative")
        row_sums = targets.sum(axis=1)
        if np.abs(row_sums - 1.0).max(initial=0.0) > ROW_SUM_TOLERANCE * targets.shape[1]:
            raise ValueError(
                "y as a probability matrix must have rows summing to 1; got row sums "
                f"between {row_sums.min():.6g} and {row_sums.max():.6g}"
            )
        return targets / row_sums[:, None], np.arange(targets.shape[1]), True
    y_array = column_or_1d(y, warn=True)
    check_classification_targets(y_array)
    classes, y_idx = np.unique(y_array, return_inverse=True)
    if len(classes) < 2:
        raise ValueError(
            f"y must contain at least two classes; got only one class: {classes[0]!r}"
        )
    targets = np.zeros((len(y_array), len(classes)))
    targets[np.arange(len(y_array)), y_idx] = 1.0
    return targets, classes, False
