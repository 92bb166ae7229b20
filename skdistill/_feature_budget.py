"""Feature budget: the student sees only the features the teacher relies on most.

The teacher's reliance on each input column is read from
``feature_importances_`` when the teacher (or the estimator inside a
``FrozenEstimator``) has one with one entry per input column (forests,
boosting: impurity-based importances). Otherwise it is the permutation
importance of the teacher against its own predictions: how much the
teacher's accuracy to its own unpermuted labels (R² to its own predictions
for regression) drops when a column is shuffled. This measures reliance,
not accuracy, so it needs no held-out labels; it is computed on rows the
teacher was not fit on when there are any (the transfer rows), else on the
training rows.
"""

import numpy as np
from scipy import sparse
from sklearn.inspection import permutation_importance
from sklearn.utils import _safe_indexing

# Rows used for permutation importance, and shuffles per column.
PERMUTATION_ROWS = 2000
PERMUTATION_REPEATS = 5


def teacher_importances(teacher, X_rows, n_features, *, random_state, n_jobs=None):
    """``(importances, source)``: one non-negative score per input column and
    ``"feature_importances_"`` or ``"permutation"``."""
    try:
        native = getattr(teacher, "feature_importances_", None)
    except Exception:  # some estimators raise on the attribute (e.g. not applicable)
        native = None
    if native is not None:
        native = np.asarray(native, dtype=np.float64)
        if native.shape == (n_features,) and np.all(np.isfinite(native)):
            return native, "feature_importances_"
    n_rows = X_rows.shape[0]
    rows = np.arange(n_rows)
    if n_rows > PERMUTATION_ROWS:
        rows = np.sort(random_state.choice(n_rows, PERMUTATION_ROWS, replace=False))
    X_sample = _safe_indexing(X_rows, rows)
    if sparse.issparse(X_sample):
        X_sample = X_sample.toarray()
    reference = teacher.predict(X_sample)
    result = permutation_importance(
        teacher,
        X_sample,
        reference,
        n_repeats=PERMUTATION_REPEATS,
        random_state=int(random_state.randint(np.iinfo(np.int32).max)),
        n_jobs=n_jobs,
    )
    return np.maximum(result.importances_mean, 0.0), "permutation"


def top_features(importances, budget):
    """Indices (sorted ascending) of the ``budget`` largest importances; ties
    go to the earlier column."""
    budget = min(int(budget), len(importances))
    order = np.argsort(-np.asarray(importances), kind="stable")[:budget]
    return np.sort(order)
