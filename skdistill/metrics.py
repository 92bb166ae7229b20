"""How closely a student follows its teacher: fidelity metrics and scorers.

Metric functions compare two sets of outputs, the teacher's first:

- hard fidelity: :func:`fidelity_score` (share of rows where the predicted
  labels agree);
- soft fidelity of class probabilities: :func:`kl_divergence`
  (KL(teacher || student)), :func:`total_variation`, :func:`brier_distance`;
- regression fidelity: :func:`fidelity_r2`, :func:`fidelity_rmse`, or both at
  once with :func:`regression_fidelity`;
- churn between a model and the one it replaces: :func:`churn_score` (share
  of changed predictions) and :func:`bad_churn_score` (changes from right to
  wrong), with scorers from :func:`make_churn_scorer`.

Scorers ``scorer(estimator, X, y=None)`` evaluate a *fitted* distilled
estimator (anything with ``teacher_`` and ``predict``, or a Pipeline ending in
one) by comparing its predictions on ``X`` with those of its own
``teacher_``; ``y`` is ignored. They plug into ``GridSearchCV(scoring=...)``
and ``cross_validate`` like scikit-learn's scorers, alone or in a dict next to
scikit-learn names. :func:`get_scorer` resolves skdistill names and falls back
to :func:`sklearn.metrics.get_scorer`.
"""

from __future__ import annotations

import copy
import numbers
from collections.abc import Callable, Iterable
from typing import Any, overload

import numpy as np
from sklearn.metrics import get_scorer as _sklearn_get_scorer
from sklearn.metrics import get_scorer_names as _sklearn_get_scorer_names
from sklearn.metrics import r2_score, root_mean_squared_error
from sklearn.pipeline import Pipeline
from sklearn.utils import Bunch
from sklearn.utils.metadata_routing import MetadataRequest
from sklearn.utils.validation import check_is_fitted

from ._typing import ArrayLike, Estimator, Float64Array, MatrixLike, NDArray
from ._validation import check_sample_weight

__all__ = [
    "SCORERS",
    "bad_churn_score",
    "brier_distance",
    "brier_scorer",
    "churn_score",
    "fidelity_r2",
    "fidelity_r2_scorer",
    "fidelity_rmse",
    "fidelity_rmse_scorer",
    "fidelity_score",
    "fidelity_scorer",
    "get_scorer",
    "get_scorer_names",
    "kl_divergence",
    "kl_scorer",
    "make_churn_scorer",
    "make_fidelity_scorer",
    "regression_fidelity",
    "resolve_scoring",
    "total_variation",
    "total_variation_scorer",
]

# Student probabilities are clipped to [KL_EPS, 1] before the log, so a class
# the student rules out costs at most -log(KL_EPS) ~ 16 nats per unit of
# teacher probability instead of an infinite divergence (same floor as the
# teacher logits in skdistill._targets).
KL_EPS = 1e-7
# Rows of a probability matrix must sum to 1 within this tolerance.
_PROBA_SUM_TOL = 1e-6


# --------------------------------------------------------------------------
# Input validation
# --------------------------------------------------------------------------
def _check_pair(
    teacher: ArrayLike, student: ArrayLike, teacher_name: str, student_name: str, *, numeric: bool
) -> tuple[NDArray[Any], NDArray[Any]]:
    teacher = np.asarray(teacher)
    student = np.asarray(student)
    for name, values in ((teacher_name, teacher), (student_name, student)):
        if values.ndim not in (1, 2):
            raise ValueError(
                f"{name} must be a 1d or 2d array, got an array of shape {values.shape}"
            )
        if values.shape[0] == 0:
            raise ValueError(f"{name} must not be empty, got shape {values.shape}")
        if numeric:
            if not np.issubdtype(values.dtype, np.number) or values.dtype.kind == "c":
                raise TypeError(f"{name} must hold real numbers, got dtype {values.dtype}")
            if not np.all(np.isfinite(values)):
                raise ValueError(f"{name} must not contain NaN or infinite values")
    if teacher.shape != student.shape:
        raise ValueError(
            f"{teacher_name} and {student_name} must have the same shape, got "
            f"{teacher.shape} and {student.shape}"
        )
    return teacher, student


def _label_kind(label: object) -> str:
    if isinstance(label, (str, bytes)):
        return "strings"
    if isinstance(label, numbers.Number):
        return "numbers"
    return f"{type(label).__name__} objects"


def _check_labels(values: NDArray[Any], name: str) -> str:
    """The kind of labels in ``values`` ("numbers", "strings", ...); raise on
    missing labels (NaN, None) and on a mix of kinds, as scikit-learn's
    ``unique_labels`` does for ``accuracy_score``."""
    if values.dtype.kind == "f":
        missing = np.isnan(values)
    elif values.dtype.kind == "O":
        # NaN is the one value unequal to itself; None is missing too (numpy's
        # stubs do not list None as a ufunc operand, though object arrays take it).
        missing = (values != values) | np.equal(values, None)  # type: ignore[call-overload]
    else:
        missing = np.zeros(values.shape, dtype=bool)
    if missing.any():
        n_rows = int(missing.reshape(len(missing), -1).any(axis=1).sum())
        raise ValueError(
            f"{name} must not contain missing labels (NaN or None), got {n_rows} "
            f"row(s) with one out of {len(missing)}"
        )
    if values.dtype.kind in "biufc":
        return "numbers"
    if values.dtype.kind in "US":
        return "strings"
    if values.dtype.kind != "O":
        return {"M": "datetimes", "m": "timedeltas"}.get(values.dtype.kind, "other values")
    try:
        kinds = {_label_kind(label) for label in set(values.ravel().tolist())}
    except TypeError as exc:
        raise TypeError(f"{name} must hold hashable labels: {exc}") from None
    if len(kinds) > 1:
        raise ValueError(
            f"{name} mixes label types ({' and '.join(sorted(kinds))}); labels must "
            "be all numbers or all strings"
        )
    return kinds.pop()


def _check_label_pair(
    teacher: NDArray[Any],
    student: NDArray[Any],
    names: tuple[str, str] = ("teacher_pred", "student_pred"),
) -> None:
    teacher_kind = _check_labels(teacher, names[0])
    student_kind = _check_labels(student, names[1])
    if teacher_kind != student_kind:
        raise ValueError(
            f"{names[0]} and {names[1]} must hold labels of the same type, got "
            f"{teacher_kind} and {student_kind} (the label 1 never equals '1'; "
            "convert one side first)"
        )


def _check_sample_weight(sample_weight: ArrayLike | None, n_samples: int) -> Float64Array | None:
    # Stricter than the estimators: like the predictions, the weights must
    # already be numbers (no strings that happen to parse).
    if sample_weight is not None:
        dtype = np.asarray(sample_weight).dtype
        if not np.issubdtype(dtype, np.number):
            raise TypeError(f"sample_weight must hold real numbers, got dtype {dtype}")
    return check_sample_weight(
        sample_weight, n_samples, match="the predictions", positive_sum=True
    )


def _check_proba(proba: ArrayLike, name: str) -> Float64Array:
    """(n, K) float probabilities; a 1d array is P(second class) of a binary task."""
    proba = np.asarray(proba, dtype=np.float64)
    if proba.ndim == 1:
        proba = np.column_stack([1.0 - proba, proba])
    if (proba < 0).any() or (proba > 1).any():
        raise ValueError(f"{name} must hold probabilities in [0, 1]")
    deviation = np.abs(proba.sum(axis=1) - 1.0)
    worst = int(np.argmax(deviation))
    if deviation[worst] > _PROBA_SUM_TOL:
        # 12 digits: a row off by just over the tolerance must not print as "1".
        raise ValueError(
            f"each row of {name} must sum to 1; row {worst} sums to "
            f"{proba[worst].sum():.12g} (tolerance {_PROBA_SUM_TOL:g})"
        )
    return proba


def _check_probas(
    teacher_proba: ArrayLike, student_proba: ArrayLike
) -> tuple[Float64Array, Float64Array]:
    teacher_proba, student_proba = _check_pair(
        teacher_proba, student_proba, "teacher_proba", "student_proba", numeric=True
    )
    return _check_proba(teacher_proba, "teacher_proba"), _check_proba(
        student_proba, "student_proba"
    )


def _weighted_mean(per_row: NDArray[Any], sample_weight: ArrayLike | None) -> float:
    return float(np.average(per_row, weights=_check_sample_weight(sample_weight, len(per_row))))


# --------------------------------------------------------------------------
# Metrics
# --------------------------------------------------------------------------
def fidelity_score(
    teacher_pred: ArrayLike, student_pred: ArrayLike, *, sample_weight: ArrayLike | None = None
) -> float:
    """Share of rows where the student predicts the teacher's label.

    Parameters
    ----------
    teacher_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Labels predicted by the teacher.
    student_pred : array-like of the same shape
        Labels predicted by the student. With several outputs a row agrees
        only when every output does.
    sample_weight : array-like of shape (n_samples,), default=None
        Row weights; the result is the weighted share of agreeing rows.

    Returns
    -------
    fidelity : float
        In [0, 1]; 1 means the student reproduces every teacher decision.

    Raises
    ------
    ValueError
        For missing labels (NaN or None), and when the labels are not all of
        one kind (numbers or strings) within and across the two arrays:
        ``1`` and ``"1"`` would never agree, so, as in
        :func:`sklearn.metrics.accuracy_score`, a mix is an error rather
        than a fidelity of 0.

    Examples
    --------
    >>> from skdistill.metrics import fidelity_score
    >>> fidelity_score(["a", "b", "b", "a"], ["a", "b", "a", "a"])
    0.75
    >>> fidelity_score([0, 1, 1], [0, 1, 0], sample_weight=[1, 1, 2])
    0.5
    """
    teacher_pred, student_pred = _check_pair(
        teacher_pred, student_pred, "teacher_pred", "student_pred", numeric=False
    )
    _check_label_pair(teacher_pred, student_pred)
    agree = teacher_pred == student_pred
    if agree.ndim == 2:
        agree = agree.all(axis=1)
    return _weighted_mean(agree.astype(np.float64), sample_weight)


def churn_score(
    previous_pred: ArrayLike, new_pred: ArrayLike, *, sample_weight: ArrayLike | None = None
) -> float:
    """Share of rows whose predicted label changes between two models.

    The churn of a model update (Fard et al., 2016, "Launch and iterate:
    reducing prediction churn"; Jiang et al., 2022, "Churn reduction via
    distillation"): ``1 - fidelity_score(previous_pred, new_pred)``.

    Parameters
    ----------
    previous_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Labels predicted by the model in use (e.g. ``old.predict(X)``).
    new_pred : array-like of the same shape
        Labels predicted by its replacement on the same rows. With several
        outputs a row changes when any output does.
    sample_weight : array-like of shape (n_samples,), default=None
        Row weights; the result is the weighted share of changed rows.

    Returns
    -------
    churn : float
        In [0, 1]; 0 when the new model changes no prediction.

    Examples
    --------
    >>> from skdistill.metrics import churn_score
    >>> churn_score([0, 1, 1, 0], [0, 1, 0, 1])
    0.5
    >>> churn_score(["a", "b", "b"], ["a", "b", "a"], sample_weight=[1, 1, 2])
    0.5
    """
    previous_pred, new_pred = _check_pair(
        previous_pred, new_pred, "previous_pred", "new_pred", numeric=False
    )
    _check_label_pair(previous_pred, new_pred, ("previous_pred", "new_pred"))
    changed = _changed_rows(previous_pred, new_pred)
    return _weighted_mean(changed.astype(np.float64), sample_weight)


def _changed_rows(previous_pred: NDArray[Any], new_pred: NDArray[Any]) -> NDArray[np.bool_]:
    changed = previous_pred != new_pred
    return changed.any(axis=1) if changed.ndim == 2 else changed


def bad_churn_score(
    y_true: ArrayLike,
    previous_pred: ArrayLike,
    new_pred: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
) -> float:
    """Share of rows the previous model got right and the new one gets wrong.

    The harmful part of :func:`churn_score`: the denominator is *all* rows
    (Jiang et al., 2022), so churn = bad churn + good churn (wrong to
    right) + changes between two wrong labels. Divide by the previous
    model's accuracy for the share of its correct predictions that are lost.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,) or (n_samples, n_outputs)
        True labels. With several outputs a row is right only when every
        output is.
    previous_pred : array-like of the same shape
        Labels predicted by the model in use.
    new_pred : array-like of the same shape
        Labels predicted by its replacement.
    sample_weight : array-like of shape (n_samples,), default=None
        Row weights.

    Returns
    -------
    bad_churn : float
        In [0, 1], at most :func:`churn_score` of the same predictions.

    Examples
    --------
    >>> from skdistill.metrics import bad_churn_score
    >>> # row 2 goes right -> wrong, row 3 wrong -> right
    >>> bad_churn_score([0, 1, 1, 0], [0, 1, 1, 1], [0, 1, 0, 0])
    0.25
    """
    y_true, previous_pred = _check_pair(
        y_true, previous_pred, "y_true", "previous_pred", numeric=False
    )
    _, new_pred = _check_pair(y_true, new_pred, "y_true", "new_pred", numeric=False)
    _check_label_pair(y_true, previous_pred, ("y_true", "previous_pred"))
    _check_label_pair(y_true, new_pred, ("y_true", "new_pred"))
    was_wrong = _changed_rows(y_true, previous_pred)
    now_wrong = _changed_rows(y_true, new_pred)
    return _weighted_mean((~was_wrong & now_wrong).astype(np.float64), sample_weight)


def kl_divergence(
    teacher_proba: ArrayLike, student_proba: ArrayLike, *, sample_weight: ArrayLike | None = None
) -> float:
    """Mean Kullback-Leibler divergence KL(teacher || student), in nats.

    ``sum_k p_k log(p_k / q_k)`` per row, with ``0 log 0 = 0`` and the
    student's probabilities clipped to ``[1e-7, 1]`` so that a class the
    student rules out gives a large but finite divergence.

    Parameters
    ----------
    teacher_proba : array-like of shape (n_samples, n_classes) or (n_samples,)
        Teacher class probabilities (rows summing to 1); a 1d array is the
        probability of the second class of a binary problem.
    student_proba : array-like of the same shape
        Student class probabilities, columns in the same class order.
    sample_weight : array-like of shape (n_samples,), default=None
        Row weights for the mean.

    Returns
    -------
    kl : float
        Non-negative; 0 when the two distributions are equal on every row.

    Examples
    --------
    >>> from skdistill.metrics import kl_divergence
    >>> round(kl_divergence([[0.5, 0.5]], [[0.25, 0.75]]), 6)
    0.143841
    >>> kl_divergence([[1.0, 0.0]], [[1.0, 0.0]])
    0.0
    """
    p, q = _check_probas(teacher_proba, student_proba)
    log_q = np.log(np.clip(q, KL_EPS, 1.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        p_log_p = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    per_row = (p_log_p - p * log_q).sum(axis=1)
    # Clipping q can push a row a hair below 0; KL is non-negative.
    return _weighted_mean(np.maximum(per_row, 0.0), sample_weight)


def total_variation(
    teacher_proba: ArrayLike, student_proba: ArrayLike, *, sample_weight: ArrayLike | None = None
) -> float:
    """Mean total variation distance ``0.5 * sum_k |p_k - q_k|``.

    Parameters
    ----------
    teacher_proba : array-like of shape (n_samples, n_classes) or (n_samples,)
        Teacher class probabilities; 1d means binary (second class).
    student_proba : array-like of the same shape
        Student class probabilities.
    sample_weight : array-like of shape (n_samples,), default=None
        Row weights for the mean.

    Returns
    -------
    tv : float
        In [0, 1]: the largest difference in probability the two models give
        to any set of classes, averaged over rows.

    Examples
    --------
    >>> from skdistill.metrics import total_variation
    >>> total_variation([[0.5, 0.5], [1.0, 0.0]], [[0.25, 0.75], [1.0, 0.0]])
    0.125
    """
    p, q = _check_probas(teacher_proba, student_proba)
    return _weighted_mean(0.5 * np.abs(p - q).sum(axis=1), sample_weight)


def brier_distance(
    teacher_proba: ArrayLike, student_proba: ArrayLike, *, sample_weight: ArrayLike | None = None
) -> float:
    """Mean squared distance ``sum_k (p_k - q_k)**2`` between probability rows.

    The Brier score of the student with the teacher's probabilities as the
    (soft) truth.

    Parameters
    ----------
    teacher_proba : array-like of shape (n_samples, n_classes) or (n_samples,)
        Teacher class probabilities; 1d means binary (second class).
    student_proba : array-like of the same shape
        Student class probabilities.
    sample_weight : array-like of shape (n_samples,), default=None
        Row weights for the mean.

    Returns
    -------
    distance : float
        In [0, 2].

    Examples
    --------
    >>> from skdistill.metrics import brier_distance
    >>> brier_distance([[0.5, 0.5]], [[0.25, 0.75]])
    0.125
    """
    p, q = _check_probas(teacher_proba, student_proba)
    return _weighted_mean(((p - q) ** 2).sum(axis=1), sample_weight)


def _check_regression_pair(
    teacher_pred: ArrayLike, student_pred: ArrayLike, sample_weight: ArrayLike | None
) -> tuple[NDArray[Any], NDArray[Any], Float64Array | None]:
    teacher_pred, student_pred = _check_pair(
        teacher_pred, student_pred, "teacher_pred", "student_pred", numeric=True
    )
    return teacher_pred, student_pred, _check_sample_weight(sample_weight, len(teacher_pred))


def fidelity_r2(
    teacher_pred: ArrayLike, student_pred: ArrayLike, *, sample_weight: ArrayLike | None = None
) -> float:
    """R² of the student's predictions, with the teacher's as the truth.

    Parameters
    ----------
    teacher_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Teacher predictions.
    student_pred : array-like of the same shape
        Student predictions.
    sample_weight : array-like of shape (n_samples,), default=None
        Row weights.

    Returns
    -------
    r2 : float
        1 for a perfect copy; several outputs are averaged uniformly. When
        the teacher is constant the score is 1 for an exact copy, else 0
        (as :func:`sklearn.metrics.r2_score`).

    Raises
    ------
    ValueError
        With fewer than two rows: R² compares the errors with the spread of
        the teacher's predictions, which one row does not have.
        :func:`sklearn.metrics.r2_score` warns and returns NaN there; a NaN
        would silently poison a mean over folds or a model selection.

    Examples
    --------
    >>> from skdistill.metrics import fidelity_r2
    >>> fidelity_r2([1.0, 2.0, 3.0], [1.0, 2.0, 4.0])
    0.5
    """
    teacher_pred, student_pred, sample_weight = _check_regression_pair(
        teacher_pred, student_pred, sample_weight
    )
    if len(teacher_pred) < 2:
        raise ValueError(
            "fidelity_r2 needs at least two rows (R² is undefined for one), got "
            f"{len(teacher_pred)}; use fidelity_rmse for a single prediction"
        )
    return float(r2_score(teacher_pred, student_pred, sample_weight=sample_weight))


def fidelity_rmse(
    teacher_pred: ArrayLike, student_pred: ArrayLike, *, sample_weight: ArrayLike | None = None
) -> float:
    """Root mean squared difference between student and teacher predictions.

    Parameters
    ----------
    teacher_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Teacher predictions.
    student_pred : array-like of the same shape
        Student predictions.
    sample_weight : array-like of shape (n_samples,), default=None
        Row weights.

    Returns
    -------
    rmse : float
        In the units of the target; several outputs: the mean of the
        per-output RMSEs (as :func:`sklearn.metrics.root_mean_squared_error`).

    Examples
    --------
    >>> from skdistill.metrics import fidelity_rmse
    >>> fidelity_rmse([0.0, 0.0, 0.0, 0.0], [1.0, -1.0, 1.0, -1.0])
    1.0
    """
    teacher_pred, student_pred, sample_weight = _check_regression_pair(
        teacher_pred, student_pred, sample_weight
    )
    return float(root_mean_squared_error(teacher_pred, student_pred, sample_weight=sample_weight))


def regression_fidelity(
    teacher_pred: ArrayLike, student_pred: ArrayLike, *, sample_weight: ArrayLike | None = None
) -> Bunch:
    """Both regression fidelities: R² and RMSE of the student against the teacher.

    Parameters
    ----------
    teacher_pred : array-like of shape (n_samples,) or (n_samples, n_outputs)
        Teacher predictions.
    student_pred : array-like of the same shape
        Student predictions.
    sample_weight : array-like of shape (n_samples,), default=None
        Row weights.

    Returns
    -------
    result : Bunch
        ``r2`` (:func:`fidelity_r2`) and ``rmse`` (:func:`fidelity_rmse`).

    Examples
    --------
    >>> from skdistill.metrics import regression_fidelity
    >>> result = regression_fidelity([1.0, 2.0, 3.0], [1.0, 2.0, 4.0])
    >>> result.r2, round(result.rmse, 4)
    (0.5, 0.5774)
    """
    return Bunch(
        r2=fidelity_r2(teacher_pred, student_pred, sample_weight=sample_weight),
        rmse=fidelity_rmse(teacher_pred, student_pred, sample_weight=sample_weight),
    )


# --------------------------------------------------------------------------
# Scorers
# --------------------------------------------------------------------------
def _distilled_and_X(estimator: Estimator, X: MatrixLike) -> tuple[Estimator, MatrixLike]:
    """The fitted distilled estimator inside ``estimator`` and X as it sees it."""
    if isinstance(estimator, Pipeline) and not hasattr(estimator, "teacher_"):
        last = estimator.steps[-1][1]
        if hasattr(last, "teacher") and hasattr(last, "student"):
            check_is_fitted(estimator)
            return last, estimator[:-1].transform(X)
    if not (hasattr(estimator, "teacher") and hasattr(estimator, "student")):
        raise TypeError(
            "fidelity scorers need a distilled estimator (DistilledClassifier, "
            "DistilledRegressor, DistilledEstimator, or a Pipeline ending in one) "
            f"to compare its student with its teacher_; got {type(estimator).__name__}"
        )
    check_is_fitted(estimator, ["teacher_", "student_"])
    return estimator, X


def _teacher_proba(distilled: Estimator, X: MatrixLike) -> Float64Array:
    """``distilled.teacher_.predict_proba(X)`` with one column per class of
    ``distilled.classes_`` (zeros for classes the teacher never saw)."""
    teacher = distilled.teacher_
    return _align_proba(teacher.predict_proba(X), teacher.classes_, distilled.classes_)


def _align_proba(proba: ArrayLike, teacher_classes: ArrayLike, classes: ArrayLike) -> Float64Array:
    """Columns of ``proba`` (one per ``teacher_classes``) reordered to
    ``classes``; classes missing from ``teacher_classes`` get probability 0."""
    proba = np.asarray(proba, dtype=np.float64)
    classes = np.asarray(classes)
    teacher_classes = np.asarray(teacher_classes)
    if len(teacher_classes) == len(classes) and np.array_equal(teacher_classes, classes):
        return proba
    if not np.isin(teacher_classes, classes).all():
        raise ValueError(
            "the teacher's classes_ are not all among the distilled estimator's "
            f"classes_ ({teacher_classes!r} vs {classes!r})"
        )
    out = np.zeros((proba.shape[0], len(classes)), dtype=np.float64)
    out[:, np.searchsorted(classes, teacher_classes)] = proba
    return out


def _responses(distilled: Estimator, X: MatrixLike, response: str) -> tuple[Any, Any]:
    if response == "predict":
        return distilled.teacher_.predict(X), distilled.predict(X)
    for name, model in (("teacher_", distilled.teacher_), ("student", distilled)):
        if not hasattr(model, "predict_proba"):
            raise TypeError(
                "this fidelity scorer compares class probabilities, but the "
                f"{name} of {type(distilled).__name__} has no predict_proba"
            )
    return _teacher_proba(distilled, X), distilled.predict_proba(X)


class _FidelityScorer:
    """Scorer comparing a fitted distilled estimator with its own teacher."""

    def __init__(
        self,
        metric: Callable[..., Any],
        response: str,
        sign: float,
        kwargs: dict[str, Any],
        name: str | None = None,
    ) -> None:
        self._metric = metric
        self._response = response
        self._sign = sign
        self._kwargs = kwargs
        self._name = name
        self._sample_weight_request: bool | str | None = None

    def __call__(
        self,
        estimator: Estimator,
        X: MatrixLike,
        y: object = None,
        sample_weight: ArrayLike | None = None,
    ) -> float:
        """Score ``estimator``'s student against its teacher on ``X``.

        Parameters
        ----------
        estimator : fitted distilled estimator, or Pipeline ending in one
        X : array-like of shape (n_samples, n_features)
        y : ignored
            Present for the scorer API; fidelity needs no true labels.
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        score : float
            Greater is better (a divergence is returned negated).
        """
        distilled, X = _distilled_and_X(estimator, X)
        teacher_out, student_out = _responses(distilled, X, self._response)
        kwargs = dict(self._kwargs)
        if sample_weight is not None:
            kwargs["sample_weight"] = sample_weight
        return self._sign * float(self._metric(teacher_out, student_out, **kwargs))

    def __repr__(self) -> str:
        name = getattr(self._metric, "__name__", repr(self._metric))
        extra = "".join(f", {key}={value!r}" for key, value in self._kwargs.items())
        sign = "" if self._sign > 0 else ", greater_is_better=False"
        response = "" if self._response == "predict" else f", response={self._response!r}"
        return f"make_fidelity_scorer({name}{response}{sign}{extra})"

    # Metadata routing (scikit-learn >= 1.3): only requested when asked for.
    def set_score_request(self, *, sample_weight: bool | str | None = None) -> _FidelityScorer:
        """Request ``sample_weight`` from metadata routing (returns a copy).

        Parameters
        ----------
        sample_weight : bool, str or None, default=None
            True to receive the ``sample_weight`` given to e.g.
            ``cross_validate(..., params={"sample_weight": w})`` when
            ``sklearn.set_config(enable_metadata_routing=True)``; a string is
            an alias.

        Returns
        -------
        scorer : a new scorer with the request set
        """
        new = copy.copy(self)
        new._sample_weight_request = sample_weight
        return new

    def get_metadata_routing(self) -> MetadataRequest:
        """Metadata requested by the scorer (``sample_weight`` when set)."""
        request = MetadataRequest(owner=type(self).__name__)
        if self._sample_weight_request is not None:
            request.score.add_request(param="sample_weight", alias=self._sample_weight_request)
        return request

    def _accept_sample_weight(self) -> bool:
        # scikit-learn's multimetric scorer asks its scorers this (1.7+) before
        # passing sample_weight without metadata routing.
        return True


def make_fidelity_scorer(
    metric: Callable[..., Any],
    *,
    response: str = "predict",
    greater_is_better: bool = True,
    **kwargs: Any,
) -> _FidelityScorer:
    """Turn a metric of (teacher output, student output) into a scorer.

    The scorer is called as ``scorer(estimator, X, y=None)`` on a fitted
    distilled estimator: it computes the teacher's and the student's outputs
    on ``X`` and returns ``metric(teacher_out, student_out, **kwargs)``,
    negated when ``greater_is_better=False`` (as scikit-learn's
    ``neg_*`` scorers).

    Parameters
    ----------
    metric : callable
        ``metric(teacher_out, student_out, **kwargs) -> float``; any
        scikit-learn metric ``(y_true, y_pred)`` works, with the teacher
        in the place of the truth.
    response : {"predict", "predict_proba"}, default="predict"
        Which outputs to compare. With ``"predict_proba"`` the teacher's
        columns are aligned to the distilled estimator's ``classes_``.
    greater_is_better : bool, default=True
        False for losses and divergences.
    **kwargs
        Extra arguments for ``metric``.

    Returns
    -------
    scorer : callable

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.metrics import cohen_kappa_score
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skdistill import DistilledClassifier
    >>> from skdistill.metrics import make_fidelity_scorer
    >>> X, y = load_iris(return_X_y=True)
    >>> model = DistilledClassifier(
    ...     DecisionTreeClassifier(max_depth=2, random_state=0),
    ...     DecisionTreeClassifier(max_depth=2, random_state=0),
    ...     teacher_targets="in_sample",
    ... ).fit(X, y)
    >>> kappa = make_fidelity_scorer(cohen_kappa_score)
    >>> kappa(model, X)
    1.0
    """
    if not callable(metric):
        raise TypeError(f"metric must be callable, got {metric!r}")
    if response not in ("predict", "predict_proba"):
        raise ValueError(f"response must be 'predict' or 'predict_proba', got {response!r}")
    if not isinstance(greater_is_better, (bool, np.bool_)):
        raise TypeError(f"greater_is_better must be a bool, got {greater_is_better!r}")
    return _FidelityScorer(metric, response, 1.0 if greater_is_better else -1.0, kwargs)


class _ChurnScorer(_FidelityScorer):
    """Scorer comparing a fitted model's predictions with a previous model's."""

    def __init__(self, previous: Estimator, bad: bool) -> None:
        metric = bad_churn_score if bad else churn_score
        super().__init__(metric, "predict", -1.0, {})
        self._previous = previous
        self._bad = bad

    def __call__(
        self,
        estimator: Estimator,
        X: MatrixLike,
        y: object = None,
        sample_weight: ArrayLike | None = None,
    ) -> float:
        """Negated churn (or bad churn) of ``estimator`` against the previous
        model on ``X``.

        Parameters
        ----------
        estimator : fitted estimator with ``predict``
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,), default=None
            True labels; needed for bad churn, ignored otherwise.
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        score : float
            ``-churn``: greater is better, as scikit-learn's ``neg_*`` scorers.
        """
        previous_pred = self._previous.predict(X)
        new_pred = estimator.predict(X)
        if not self._bad:
            return -churn_score(previous_pred, new_pred, sample_weight=sample_weight)
        if y is None:
            raise ValueError("the bad churn scorer needs the true labels y, got y=None")
        return -bad_churn_score(
            np.asarray(y), previous_pred, new_pred, sample_weight=sample_weight
        )

    def __repr__(self) -> str:
        bad = ", bad=True" if self._bad else ""
        return f"make_churn_scorer({type(self._previous).__name__}(...){bad})"


def make_churn_scorer(previous: Estimator, *, bad: bool = False) -> _FidelityScorer:
    """A scorer of the churn of a model against the model it would replace.

    ``scorer(estimator, X, y)`` returns ``-churn_score(previous.predict(X),
    estimator.predict(X))`` (or ``-bad_churn_score(y, ...)`` with
    ``bad=True``): negated so that greater is better, as scikit-learn's
    ``neg_*`` scorers, for ``cross_validate``, ``GridSearchCV(scoring=...,
    refit=...)`` and the like. It supports ``sample_weight`` and
    ``set_score_request`` like skdistill's fidelity scorers.

    Parameters
    ----------
    previous : fitted estimator
        The model in use (anything with ``predict``: a Pipeline, a
        distilled estimator...). It is not refit; the scorer keeps a
        reference to it.
    bad : bool, default=False
        Score bad churn (right to wrong changes over all rows) instead of
        all changes.

    Returns
    -------
    scorer : callable

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.model_selection import cross_validate
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skdistill.metrics import make_churn_scorer
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> old = make_pipeline(StandardScaler(), LogisticRegression()).fit(X[:100], y[:100])
    >>> scoring = {
    ...     "accuracy": "accuracy",
    ...     "neg_churn": make_churn_scorer(old),
    ...     "neg_bad_churn": make_churn_scorer(old, bad=True),
    ... }
    >>> new = make_pipeline(StandardScaler(), LogisticRegression())
    >>> result = cross_validate(new, X[100:], y[100:], scoring=scoring, cv=3)
    >>> bool((-result["test_neg_churn"] >= -result["test_neg_bad_churn"]).all())
    True
    """
    if not hasattr(previous, "predict"):
        raise TypeError(
            f"previous must be a fitted estimator with predict, got {type(previous).__name__}"
        )
    if hasattr(previous, "fit"):
        check_is_fitted(previous)
    if not isinstance(bad, (bool, np.bool_)):
        raise TypeError(f"bad must be a bool, got {bad!r}")
    return _ChurnScorer(previous, bool(bad))


fidelity_scorer = make_fidelity_scorer(fidelity_score)
kl_scorer = make_fidelity_scorer(kl_divergence, response="predict_proba", greater_is_better=False)
total_variation_scorer = make_fidelity_scorer(
    total_variation, response="predict_proba", greater_is_better=False
)
brier_scorer = make_fidelity_scorer(
    brier_distance, response="predict_proba", greater_is_better=False
)
fidelity_r2_scorer = make_fidelity_scorer(fidelity_r2)
fidelity_rmse_scorer = make_fidelity_scorer(fidelity_rmse, greater_is_better=False)

#: skdistill's scorers by name (greater is better for all of them).
SCORERS = {
    "fidelity": fidelity_scorer,
    "neg_kl_divergence": kl_scorer,
    "neg_total_variation": total_variation_scorer,
    "neg_brier_distance": brier_scorer,
    "fidelity_r2": fidelity_r2_scorer,
    "neg_fidelity_rmse": fidelity_rmse_scorer,
}


def get_scorer_names() -> list[str]:
    """Names accepted by :func:`get_scorer`: skdistill's, then scikit-learn's.

    Returns
    -------
    names : list of str

    Examples
    --------
    >>> from skdistill.metrics import get_scorer_names
    >>> "fidelity" in get_scorer_names() and "accuracy" in get_scorer_names()
    True
    """
    return sorted(SCORERS) + sorted(set(_sklearn_get_scorer_names()) - set(SCORERS))


@overload
def get_scorer(scoring: None) -> None: ...
@overload
def get_scorer(scoring: str | Callable[..., Any]) -> Callable[..., Any]: ...
def get_scorer(scoring: str | Callable[..., Any] | None) -> Callable[..., Any] | None:
    """A scorer from a name: skdistill's (see ``SCORERS``) or scikit-learn's.

    Parameters
    ----------
    scoring : str, callable or None
        A name such as ``"fidelity"``, ``"neg_kl_divergence"``,
        ``"fidelity_r2"`` or any :func:`sklearn.metrics.get_scorer` name.
        Callables and None are returned as is.

    Returns
    -------
    scorer : callable or None
        A new object for names (changing it leaves ``SCORERS`` intact).

    Examples
    --------
    >>> from skdistill.metrics import get_scorer
    >>> get_scorer("fidelity")
    make_fidelity_scorer(fidelity_score)
    >>> get_scorer("accuracy")
    make_scorer(accuracy_score, response_method='predict')
    """
    if scoring is None or callable(scoring):
        return scoring
    if not isinstance(scoring, str):
        raise TypeError(
            f"scoring must be a str, a callable or None, got {scoring!r} of type "
            f"{type(scoring).__name__}"
        )
    if scoring in SCORERS:
        return copy.deepcopy(SCORERS[scoring])
    try:
        return _sklearn_get_scorer(scoring)
    except ValueError:
        raise ValueError(
            f"scoring={scoring!r} is neither a skdistill scorer ({sorted(SCORERS)}) "
            "nor a scikit-learn one (see sklearn.metrics.get_scorer_names())"
        ) from None


def resolve_scoring(
    scoring: str | Callable[..., Any] | Iterable[str] | dict[str, Any] | None,
) -> Callable[..., Any] | dict[str, Any] | None:
    """Translate skdistill scorer names so scikit-learn tools accept them.

    ``GridSearchCV`` and ``cross_validate`` accept callables and their own
    names; this turns a name, a list of names or a dict of names/callables
    into scorers they accept.

    Parameters
    ----------
    scoring : str, callable, list/tuple/set of str, dict or None
        What you would pass as ``scoring=``, with skdistill names allowed.

    Returns
    -------
    scoring : callable, dict of name -> callable, or None

    Examples
    --------
    >>> from skdistill.metrics import resolve_scoring
    >>> sorted(resolve_scoring(["fidelity", "accuracy"]))
    ['accuracy', 'fidelity']
    """
    if scoring is None or callable(scoring) or isinstance(scoring, str):
        return get_scorer(scoring)
    if isinstance(scoring, dict):
        return {name: get_scorer(value) for name, value in scoring.items()}
    if isinstance(scoring, (list, tuple, set, frozenset)):
        names = list(scoring)
        if not all(isinstance(name, str) for name in names) or len(set(names)) != len(names):
            raise ValueError(
                f"a list of scoring names must hold distinct strings, got {scoring!r}"
            )
        return {name: get_scorer(name) for name in names}
    raise TypeError(
        "scoring must be a str, a callable, a list of names, a dict or None, got "
        f"{scoring!r} of type {type(scoring).__name__}"
    )
