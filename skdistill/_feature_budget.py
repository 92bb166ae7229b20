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


def _column_selections(estimator, path="student"):
    """``(where, columns)`` for each explicit column selection of a
    ColumnTransformer inside ``estimator`` (itself, a pipeline step, a
    nested transformer...)."""
    from sklearn.compose import ColumnTransformer

    if isinstance(estimator, ColumnTransformer):
        for name, transformer, columns in estimator.transformers:
            yield f"{path}'s ColumnTransformer part {name!r}", columns
            yield from _column_selections(transformer, path)
        yield from _column_selections(estimator.remainder, path)
        return
    if not hasattr(estimator, "get_params") or isinstance(estimator, type):
        return
    for value in estimator.get_params(deep=False).values():
        for item in value if isinstance(value, (list, tuple)) else [value]:
            for part in item if isinstance(item, tuple) else [item]:
                yield from _column_selections(part, path)


def _missing_columns(columns, kept_names, dropped_names, n_kept):
    """The columns of one selection that the student's input lacks: names
    dropped by the budget, positions or masks of the full width."""
    if callable(columns) or isinstance(columns, slice):
        return []  # selectors pick among the columns that are there
    items = [columns] if np.ndim(columns) == 0 else list(np.asarray(columns, dtype=object))
    if items and all(isinstance(item, (bool, np.bool_)) for item in items):
        return [] if len(items) == n_kept else [f"a boolean mask of {len(items)} columns"]
    missing = []
    for item in items:
        if isinstance(item, str):
            if kept_names is not None and item not in kept_names and item in dropped_names:
                missing.append(repr(item))
        elif isinstance(item, (int, np.integer)) and not -n_kept <= item < n_kept:
            missing.append(f"position {int(item)}")
    return missing


def check_student_columns(student, budget, features, feature_names=None):
    """Raise when a ColumnTransformer of the student selects a column that
    ``feature_budget`` dropped (by name), or a position / mask beyond the
    ``len(features)`` columns the student sees.

    Raises
    ------
    ValueError
        Naming ``feature_budget``, the missing column and where it is needed.
    """
    kept_names = dropped_names = None
    if feature_names is not None:
        names = np.asarray(feature_names, dtype=object)
        kept_names = set(names[features])
        dropped_names = set(names) - kept_names
    n_kept = len(features)
    for where, columns in _column_selections(student):
        missing = _missing_columns(columns, kept_names, dropped_names or set(), n_kept)
        if missing:
            if feature_names is None:
                kept = f"X columns {[int(j) for j in features]}"
            else:
                kept = f"columns {[str(name) for name in names[features]]}"
            raise ValueError(
                f"feature_budget={budget} gives the student {n_kept} {kept}, but the "
                f"{where} selects {', '.join(missing)}, which the budget dropped; raise "
                "feature_budget, set it to None, or select columns the student keeps"
            )
