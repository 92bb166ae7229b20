"""Teacher -> training targets for the student.

Classification: the teacher's logits (``decision_function`` when it exists,
else ``log(predict_proba)``), divided by a temperature and softmaxed, then
mixed with the one-hot true labels by ``alpha``. Regression: the teacher's
predictions mixed with ``y`` by ``alpha``.

Where the teacher's outputs come from is the *target source*:

- ``"in_sample"``: the teacher is fit on all rows and labels the same rows.
- ``"oof"``: out-of-fold outputs from ``cv`` clones, then a final teacher is
  refit on all rows. The student learns the teacher's honest beliefs rather
  than its memory of the training rows.
- ``"oob"``: out-of-bag outputs of a bagging ensemble (random forest, extra
  trees with ``bootstrap=True``, bagging), free with the single fit.
"""

import warnings
from dataclasses import dataclass, field

import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import check_cv
from sklearn.utils import _safe_indexing
from sklearn.utils.parallel import Parallel, delayed

from ._blackbox import BlackBoxTeacher
from ._labeling import n_rows_of
from ._utils import final_estimator, fit_estimator

# Probabilities are clipped to [PROBA_EPS, 1] before taking logs, so that a
# teacher that is certain (p = 0 for a class) gives a finite logit of ~-16.
PROBA_EPS = 1e-7
# A class the teacher never saw gets a logit this far below the row's lowest.
MISSING_CLASS_GAP = -np.log(PROBA_EPS)

TARGET_SOURCES = ("auto", "in_sample", "oof", "oob")


# --------------------------------------------------------------------------
# Pure functions on arrays
# --------------------------------------------------------------------------
def softmax(logits, temperature=1.0):
    """Row-wise softmax of ``logits / temperature`` (max-shifted, stable)."""
    z = np.asarray(logits, dtype=np.float64)
    # Shift before dividing: with a tiny temperature, logits / T overflows
    # to inf and inf - inf is NaN, while (logits - max) / T stays <= 0.
    z = (z - z.max(axis=1, keepdims=True)) / temperature
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)
    return z


def untempered_proba(proba, temperature):
    """Probabilities learnt at ``temperature``, taken back to temperature 1:
    ``proba ** temperature``, renormalised (the logits times the
    temperature). The largest entry of a row is at least 1/K, so no row
    underflows to zero."""
    if temperature == 1.0:
        return proba
    sharpened = np.power(np.asarray(proba, dtype=np.float64), temperature)
    return sharpened / sharpened.sum(axis=1, keepdims=True)


def log_proba(proba):
    """``log`` of probabilities clipped away from zero."""
    return np.log(np.clip(np.asarray(proba, dtype=np.float64), PROBA_EPS, 1.0))


def align_columns(scores, source_classes, classes):
    """Reorder the columns of ``scores`` (one per ``source_classes``) to
    ``classes``; a class missing from ``source_classes`` gets a score
    ``MISSING_CLASS_GAP`` below the row's minimum."""
    source_classes = np.asarray(source_classes)
    if len(source_classes) == len(classes) and np.array_equal(source_classes, classes):
        return scores
    positions = np.searchsorted(classes, source_classes)
    out = np.empty((scores.shape[0], len(classes)), dtype=np.float64)
    out[:] = (scores.min(axis=1) - MISSING_CLASS_GAP)[:, None]
    out[:, positions] = scores
    return out


def one_hot(y_idx, n_classes):
    """(n, K) indicator matrix of encoded labels."""
    out = np.zeros((len(y_idx), n_classes), dtype=np.float64)
    out[np.arange(len(y_idx)), y_idx] = 1.0
    return out


def soft_targets(logits, y_idx, *, temperature=1.0, alpha=0.0):
    """Training targets for a classification student.

    ``(1 - alpha) * softmax(logits / temperature) + alpha * onehot(y)``.
    """
    targets = softmax(logits, temperature)
    if alpha > 0:
        targets *= 1.0 - alpha
        targets[np.arange(len(y_idx)), y_idx] += alpha
    return targets


def regression_targets(predictions, y, *, alpha=0.0):
    """``(1 - alpha) * teacher predictions + alpha * y``, with y's shape."""
    predictions = np.asarray(predictions, dtype=np.float64).reshape(np.shape(y))
    if alpha == 0:
        return predictions
    return (1.0 - alpha) * predictions + alpha * np.asarray(y, dtype=np.float64)


# --------------------------------------------------------------------------
# Teacher outputs
# --------------------------------------------------------------------------
def teacher_logits(teacher, X, classes):
    """(n, K) logits of a fitted classifier, columns aligned to ``classes``.

    ``decision_function`` is used when available and gives one score per
    class (or the binary margin); otherwise ``log(predict_proba)``.
    """
    teacher_classes = teacher.classes_
    scores = None
    if hasattr(teacher, "decision_function") and not _one_vs_one(teacher, teacher_classes):
        scores = np.asarray(teacher.decision_function(X), dtype=np.float64)
        if scores.ndim == 1:
            # Binary margin d = logit(p1): logits [0, d] softmax to sigmoid(d).
            scores = np.column_stack([np.zeros_like(scores), scores])
        if scores.shape[1] != len(teacher_classes):
            # e.g. SVC(decision_function_shape="ovo"): not one score per class
            scores = None
    if scores is None:
        if not hasattr(teacher, "predict_proba"):
            pairwise = (
                " gives one-vs-one scores (decision_function_shape='ovo'), "
                "which are not class scores, and has no predict_proba"
                if _one_vs_one(teacher, teacher_classes)
                else " must implement decision_function (one score per class) or "
                "predict_proba to give soft targets"
            )
            raise TypeError(
                f"teacher {type(teacher).__name__}{pairwise}; use a probabilistic "
                "teacher, e.g. CalibratedClassifierCV(SVC(), ensemble=False), or set "
                "decision_function_shape='ovr'."
            )
        scores = log_proba(teacher.predict_proba(X))
    if not np.all(np.isfinite(scores)):
        raise ValueError(
            f"teacher {type(teacher).__name__} produced non-finite scores; "
            "check the input data for NaN or infinite values."
        )
    return align_columns(scores, teacher_classes, classes)


def _one_vs_one(teacher, teacher_classes):
    """True when ``decision_function`` gives pairwise (one-vs-one) scores,
    e.g. ``SVC(decision_function_shape="ovo")``, also inside a Pipeline or a
    FrozenEstimator: with 3 classes they have one column per class but are
    not class scores."""
    final = final_estimator(teacher)
    shape = getattr(final, "decision_function_shape", None)
    return shape == "ovo" and len(teacher_classes) > 2


# Rows on which the teacher's scores are checked against its predictions.
CONSISTENCY_ROWS = 1000
MIN_SCORE_AGREEMENT = 0.9


def check_scores_follow_predict(teacher, X, classes):
    """Raise when the argmax of the teacher's logits disagrees with its own
    ``predict`` on the first rows of X: the scores are then not class
    scores (e.g. one-vs-one votes), and distilling them would be silently
    wrong."""
    rows = _safe_indexing(X, slice(0, min(CONSISTENCY_ROWS, n_rows_of(X))))
    predicted = np.asarray(teacher.predict(rows))
    from_scores = classes[teacher_logits(teacher, rows, classes).argmax(axis=1)]
    agreement = float(np.mean(from_scores == predicted))
    if agreement < MIN_SCORE_AGREEMENT:
        raise ValueError(
            f"the teacher {type(final_estimator(teacher)).__name__}'s scores do not "
            f"follow its predictions (their argmax agrees with predict on "
            f"{agreement:.0%} of the training rows), so they cannot be used as class "
            "logits; wrap the teacher in sklearn.calibration.CalibratedClassifierCV "
            "(e.g. CalibratedClassifierCV(SVC(), ensemble=False)) to give it "
            "predict_proba."
        )


def teacher_outputs(teacher, X, classes=None):
    """Logits for a classification teacher (``classes`` given), predictions
    (float array) for a regression teacher."""
    if classes is not None:
        return teacher_logits(teacher, X, classes)
    return np.asarray(teacher.predict(X), dtype=np.float64)


def is_prefitted(teacher):
    """True for a teacher used as is, never fitted: a FrozenEstimator or a
    :class:`~skdistill.BlackBoxTeacher`."""
    return isinstance(teacher, (FrozenEstimator, BlackBoxTeacher))


def resolve_source(teacher, teacher_targets):
    """Turn ``teacher_targets`` into the source actually used.

    ``"auto"``: ``"in_sample"`` for a FrozenEstimator or a BlackBoxTeacher
    (they cannot be refit), ``"oob"`` for a bagging ensemble that
    bootstraps, else ``"oof"``.
    """
    frozen = is_prefitted(teacher)
    if teacher_targets == "auto":
        if frozen:
            return "in_sample"
        return "oob" if supports_oob(teacher) else "oof"
    if frozen and teacher_targets != "in_sample":
        raise ValueError(
            f"teacher_targets={teacher_targets!r} needs to refit the teacher, but "
            f"the teacher is a {type(teacher).__name__}, used as is; use "
            "teacher_targets='in_sample' (or 'auto')."
        )
    if teacher_targets == "oob" and not supports_oob(teacher):
        raise ValueError(
            "teacher_targets='oob' needs a bagging teacher with an oob_score "
            "parameter and bootstrap=True (RandomForest*, ExtraTrees*(bootstrap="
            f"True), Bagging*); got {type(teacher).__name__}. Use 'oof' instead."
        )
    return teacher_targets


def supports_oob(teacher):
    """True for an ensemble that can give out-of-bag predictions."""
    if is_prefitted(teacher):
        return False
    params = teacher.get_params(deep=False)
    return "oob_score" in params and params.get("bootstrap", True) is True


@dataclass
class TeacherFit:
    """A fitted teacher and its outputs on the training rows.

    ``folds`` and ``fold_teachers`` are set for out-of-fold targets only:
    the ``(train, test)`` index pairs and the teacher fitted on each
    ``train`` part. The "auto" tuner reuses them as its validation folds, so
    that choosing the settings costs no teacher fit of its own.
    """

    teacher: object
    outputs: np.ndarray
    source: str
    folds: list = field(default_factory=list)
    fold_teachers: list = field(default_factory=list)


def fit_teacher(
    teacher,
    X,
    y,
    *,
    source,
    classes=None,
    sample_weight=None,
    cv=5,
    n_jobs=None,
    fit_params=None,
    split_params=None,
):
    """Fit the teacher (a clone, or a prefitted teacher as is) and return a
    :class:`TeacherFit` with outputs from ``source``.

    ``classes`` is given for classification (outputs are aligned logits) and
    None for regression (outputs are predictions). ``fit_params``: other
    metadata routed to the teacher's ``fit`` (row-aligned arrays are sliced
    for the out-of-fold fits); ``split_params``: metadata routed to
    ``cv.split`` (e.g. ``groups``).
    """
    fit_params = dict(fit_params or {})
    if source == "in_sample":
        fitted = _fit(teacher, X, y, sample_weight, fit_params)
        fit = TeacherFit(fitted, teacher_outputs(fitted, X, classes), source)
    elif source == "oob":
        fit = TeacherFit(
            *_fit_with_oob_outputs(teacher, X, y, classes, sample_weight, fit_params), source
        )
    else:
        fit = _fit_with_oof_outputs(
            teacher, X, y, classes, (sample_weight, fit_params), (cv, split_params), n_jobs
        )
    if classes is not None:
        check_scores_follow_predict(fit.teacher, X, classes)
    return fit


def fit_teacher_and_outputs(
    teacher, X, y, *, source, classes=None, sample_weight=None, cv=5, n_jobs=None
):
    """``(fitted_teacher, outputs)`` of :func:`fit_teacher`."""
    fit = fit_teacher(
        teacher,
        X,
        y,
        source=source,
        classes=classes,
        sample_weight=sample_weight,
        cv=cv,
        n_jobs=n_jobs,
    )
    return fit.teacher, fit.outputs


def _fit(teacher, X, y, sample_weight, fit_params):
    """``teacher`` fitted with its weights and any other routed metadata."""
    if not fit_params:
        return fit_estimator(teacher, X, y, sample_weight)
    if sample_weight is not None:
        fit_params = {**fit_params, "sample_weight": sample_weight}
    return teacher.fit(X, y, **fit_params)


def rows_of_params(params, rows, n_samples):
    """``params`` for some rows: row-aligned values (one entry per sample)
    indexed by ``rows``, others kept as they are (as scikit-learn's
    cross-validation does with fit parameters)."""
    return {
        key: _safe_indexing(value, rows)
        if hasattr(value, "__len__") and not isinstance(value, str) and len(value) == n_samples
        else value
        for key, value in params.items()
    }


def _fit_with_oob_outputs(teacher, X, y, classes, sample_weight, fit_params=None):
    teacher.set_params(oob_score=True)
    with warnings.catch_warnings():
        # Rows that were in every bootstrap sample are handled below.
        warnings.filterwarnings("ignore", message=".*do not have OOB scores.*")
        warnings.filterwarnings("ignore", message=".*OOB estimate.*")
        fitted = _fit(teacher, X, y, sample_weight, fit_params)
    if classes is not None:
        oob = align_columns(log_proba(fitted.oob_decision_function_), fitted.classes_, classes)
    else:
        oob = np.asarray(fitted.oob_prediction_, dtype=np.float64)
    never_out = _rows_never_out_of_bag(fitted, len(y))
    if never_out.any():
        rows = np.flatnonzero(never_out)
        oob[rows] = teacher_outputs(fitted, _safe_indexing(X, rows), classes)
    return fitted, oob


def _rows_never_out_of_bag(ensemble, n_samples):
    in_every_bag = np.ones(n_samples, dtype=bool)
    for sample_indices in ensemble.estimators_samples_:
        in_bag = np.zeros(n_samples, dtype=bool)
        in_bag[sample_indices] = True
        in_every_bag &= in_bag
    return in_every_bag


def _fit_fold(teacher, X, y, weights, train, test, classes):
    sample_weight, fit_params = weights
    X_train, y_train = _safe_indexing(X, train), _safe_indexing(y, train)
    sw = None if sample_weight is None else sample_weight[train]
    fold_params = rows_of_params(fit_params, train, len(y))
    fitted = _fit(clone(teacher), X_train, y_train, sw, fold_params)
    return fitted, teacher_outputs(fitted, _safe_indexing(X, test), classes)


def _fit_with_oof_outputs(teacher, X, y, classes, weights, splitting, n_jobs):
    """Out-of-fold outputs: ``weights`` is ``(sample_weight, fit_params)``
    and ``splitting`` is ``(cv, split_params)``."""
    cv, split_params = splitting
    splitter = check_cv(cv, y, classifier=classes is not None and is_classifier(teacher))
    folds = list(splitter.split(X, y, **(split_params or {})))
    jobs = [
        delayed(_fit_fold)(teacher, X, y, weights, train, test, classes) for train, test in folds
    ]
    jobs.append(delayed(_fit)(teacher, X, y, *weights))
    *fold_fits, fitted = Parallel(n_jobs=n_jobs)(jobs)
    fold_teachers = [fold_teacher for fold_teacher, _ in fold_fits]
    fold_outputs = [output for _, output in fold_fits]
    n = len(y)
    first = fold_outputs[0]
    outputs = np.empty((n,) + first.shape[1:], dtype=np.float64)
    covered = np.zeros(n, dtype=bool)
    for (_, test), fold_output in zip(folds, fold_outputs):
        outputs[test] = fold_output
        covered[test] = True
    if not covered.all():
        raise ValueError(
            "cv must give every row one test fold to produce out-of-fold teacher "
            "targets (a partition such as KFold); got a splitter that leaves "
            f"{int((~covered).sum())} rows out."
        )
    return TeacherFit(fitted, outputs, "oof", folds, fold_teachers)
