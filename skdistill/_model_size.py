"""How big and how fast a fitted model is: bytes, parameters, nodes, leaves, latency.

Per model; :mod:`skdistill._measure` puts them side by side for a teacher and
a student (:func:`skdistill.distillation_report`, :func:`skdistill.distill_path`,
the ``skdistill report`` command).
"""

from __future__ import annotations

import pickle
import time

import numpy as np
from sklearn.frozen import FrozenEstimator
from sklearn.pipeline import Pipeline
from sklearn.utils import Bunch, _safe_indexing
from sklearn.utils.validation import check_is_fitted

from ._typing import Estimator

# Latency is always measured on this many rows (test rows repeated when there
# are fewer), so that per-call overhead is amortised the same way for both.
LATENCY_ROWS = 1000


# --------------------------------------------------------------------------
# Model size
# --------------------------------------------------------------------------
_UNKNOWN = (None, None, None)


def _add_counts(counts):
    """Sum (n_parameters, n_nodes, n_leaves) triples component-wise, a
    component staying None only when it is None everywhere."""
    total = []
    for parts in zip(*counts):
        known = [part for part in parts if part is not None]
        total.append(int(sum(known)) if known else None)
    return tuple(total)


def _flatten(members):
    if isinstance(members, np.ndarray):
        return list(members.ravel())
    if isinstance(members, (list, tuple)):
        return [leaf for member in members for leaf in _flatten(member)]
    return [members]


def _ensemble_members(estimator):
    """Fitted sub-models whose sizes add up to the estimator's, or None."""
    if hasattr(estimator, "estimators_"):  # forests, boosting, bagging, voting, multi-output
        members = _flatten(estimator.estimators_)
        final = getattr(estimator, "final_estimator_", None)  # stacking
        return members + ([final] if final is not None else [])
    if hasattr(estimator, "calibrated_classifiers_"):
        return [calibrated.estimator for calibrated in estimator.calibrated_classifiers_]
    if hasattr(estimator, "regressor_"):  # TransformedTargetRegressor
        return [estimator.regressor_]
    return None


def _size(array):
    return int(array.nnz) if hasattr(array, "nnz") else int(np.size(array))


def _parameter_count(estimator):
    """Learnt numbers of common non-tree models, or None when unknown."""
    if hasattr(estimator, "support_vectors_"):  # SVMs: support vectors and their weights
        return sum(
            _size(getattr(estimator, name))
            for name in ("support_vectors_", "dual_coef_", "intercept_")
        )
    if hasattr(estimator, "coefs_") and hasattr(estimator, "intercepts_"):  # MLP
        return sum(_size(a) for a in estimator.coefs_) + sum(
            _size(a) for a in estimator.intercepts_
        )
    if hasattr(estimator, "coef_"):
        count = _size(estimator.coef_)
        if hasattr(estimator, "intercept_") and getattr(estimator, "fit_intercept", True):
            count += _size(estimator.intercept_)
        return count
    if hasattr(estimator, "theta_") and hasattr(estimator, "var_"):  # GaussianNB
        return _size(estimator.theta_) + _size(estimator.var_) + _size(estimator.class_prior_)
    if hasattr(estimator, "feature_log_prob_"):  # discrete naive Bayes
        return _size(estimator.feature_log_prob_) + _size(estimator.class_log_prior_)
    return None


def _hist_gradient_boosting_counts(estimator):
    # HistGradientBoosting* keep their trees in a private attribute, read
    # defensively: a size is a nicety, never worth an error.
    try:
        predictors = _flatten(estimator._predictors)
        n_nodes = sum(len(predictor.nodes) for predictor in predictors)
        n_leaves = sum(int(predictor.get_n_leaf_nodes()) for predictor in predictors)
    except Exception:  # noqa: BLE001 - private layout changed
        return _UNKNOWN
    return (None, int(n_nodes), n_leaves)


def _counts(estimator):
    """(n_parameters, n_nodes, n_leaves) of a fitted estimator."""
    if isinstance(estimator, FrozenEstimator):
        return _counts(estimator.estimator)
    if isinstance(estimator, Pipeline):
        steps = [step for _, step in estimator.steps if step not in (None, "passthrough")]
        if not steps or estimator.steps[-1][1] in (None, "passthrough"):
            return _UNKNOWN
        final = _counts(steps[-1])
        if final == _UNKNOWN:
            return _UNKNOWN
        # Transformers of unknown size (scalers, encoders) are not counted.
        return _add_counts([final] + [_counts(step) for step in steps[:-1]])
    tree = getattr(estimator, "tree_", None)
    if tree is not None and hasattr(tree, "node_count"):
        return (None, int(tree.node_count), int(tree.n_leaves))
    partition = getattr(estimator, "partition_", None)
    if partition is not None and hasattr(partition, "tree_"):
        # trees with a model per leaf (skdistill.students' linear trees)
        _, n_nodes, n_leaves = _counts(partition)
        return (_parameter_count(estimator), n_nodes, n_leaves)
    members = _ensemble_members(estimator)
    if members is not None:
        counts = [_counts(member) for member in members]
        if not counts or any(count == _UNKNOWN for count in counts):
            return _UNKNOWN
        return _add_counts(counts)
    if hasattr(estimator, "_predictors"):
        return _hist_gradient_boosting_counts(estimator)
    n_parameters = _parameter_count(estimator)
    return _UNKNOWN if n_parameters is None else (n_parameters, None, None)


def model_size(estimator: Estimator) -> Bunch:
    """Size of a fitted model.

    Parameters
    ----------
    estimator : fitted estimator
        Any model; a ``FrozenEstimator`` is measured by its inner estimator.

    Returns
    -------
    size : Bunch
        ``n_bytes``: length of ``pickle.dumps(estimator)`` (highest protocol);
        ``n_parameters``: learnt numbers of linear models (``coef_.size +
        intercept_.size``), MLPs, SVMs and naive Bayes; ``n_nodes`` and
        ``n_leaves``: nodes and leaves of decision trees, summed over the
        trees of ensembles (forests, gradient boosting, bagging) and over
        the members of multi-output/one-vs-rest/voting/stacking models.
        Trees with a linear model per leaf (a ``partition_`` tree and
        ``coef_``) give all three.
        Counts that do not apply, or models of unknown structure, give
        None. In a Pipeline the final step is counted (plus steps of known
        size; scalers and encoders are not counted).

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skdistill.report import model_size
    >>> X, y = load_iris(return_X_y=True)
    >>> model_size(LogisticRegression(max_iter=500).fit(X, y)).n_parameters
    15
    >>> size = model_size(DecisionTreeClassifier(max_depth=1).fit(X, y))
    >>> size.n_nodes, size.n_leaves, size.n_parameters
    (3, 2, None)
    """
    inner = estimator.estimator if isinstance(estimator, FrozenEstimator) else estimator
    if not hasattr(inner, "fit"):
        raise TypeError(
            f"estimator must be a fitted scikit-learn estimator, got {type(inner).__name__}"
        )
    check_is_fitted(inner)
    n_parameters, n_nodes, n_leaves = _counts(inner)
    return Bunch(
        n_bytes=len(pickle.dumps(inner, protocol=pickle.HIGHEST_PROTOCOL)),
        n_parameters=n_parameters,
        n_nodes=n_nodes,
        n_leaves=n_leaves,
    )


# --------------------------------------------------------------------------
# Latency
# --------------------------------------------------------------------------
def n_rows(X):
    return X.shape[0] if hasattr(X, "shape") else len(X)


def latency_rows(X):
    """``LATENCY_ROWS`` rows of X (cycling through X when it has fewer)."""
    return _safe_indexing(X, np.arange(LATENCY_ROWS) % n_rows(X))


def predict_ms_per_1k(predict, X_1k, n_repeats):
    """Median wall time of ``predict(X_1k)`` in milliseconds."""
    predict(X_1k)  # warm-up: lazy imports, caches, thread pools
    times = []
    for _ in range(n_repeats):
        start = time.perf_counter()
        predict(X_1k)
        times.append(time.perf_counter() - start)
    return 1000.0 * float(np.median(times)) * LATENCY_ROWS / n_rows(X_1k)
