"""How a student consumes soft targets.

scikit-learn classifiers only take hard labels (scikit-learn#16248), so each
kind of student gets the targets in the form it can learn from:

``"native"``
    Students of :mod:`skdistill.students` take the (n, K) probability matrix
    directly; their ``classes_`` are the column indices ``0..K-1``.
``"logit_regression"``
    A regressor learns the centred log-probabilities (the tempered teacher
    logits when ``alpha=0``; a single logit margin for binary problems);
    predictions are softmaxed back into probabilities.
``"proba_regression"``
    A regressor learns the probabilities (p1 only for binary problems);
    predictions are clipped to [0, 1] and renormalised.
``"replication"``
    A classifier that accepts ``sample_weight`` sees each row once per class
    with weight = target probability x sample weight. Its weighted log-loss is
    exactly the soft-target cross-entropy; rows with a probability below
    ``REPLICATION_MIN_PROBA`` are dropped and each row's kept weights are
    rescaled to the row's total.
``"hard"``
    Any classifier: the argmax of the targets as labels.
"""

import numpy as np
from sklearn.base import is_classifier, is_regressor
from sklearn.multioutput import MultiOutputRegressor
from sklearn.utils import _safe_indexing, get_tags

from ._targets import align_columns, log_proba, softmax
from ._utils import accepts_sample_weight, final_estimator, fit_estimator

STUDENT_FIT_OPTIONS = (
    "auto",
    "native",
    "logit_regression",
    "proba_regression",
    "replication",
    "hard",
)
# Below this target probability a replicated row carries too little weight to
# matter; dropping it keeps the replicated data set close to n rows.
REPLICATION_MIN_PROBA = 1e-3


def accepts_soft_targets(student):
    """True for a student that learns from an (n, K) probability matrix.

    Native soft students declare ``_accepts_soft_targets = True``; a Pipeline
    ending in one qualifies too.
    """
    return bool(getattr(final_estimator(student), "_accepts_soft_targets", False))


def resolve_student_fit(student, student_fit):
    """The strategy used for ``student`` given the ``student_fit`` parameter."""
    if student_fit == "auto":
        if accepts_soft_targets(student):
            return "native"
        if is_regressor(student):
            return "logit_regression"
        if is_classifier(student):
            return "replication" if accepts_sample_weight(student) else "hard"
        raise TypeError(
            "student must be a scikit-learn classifier or regressor (or a native "
            f"soft student); got {type(student).__name__}, which is neither."
        )
    requirement = {
        "native": (
            accepts_soft_targets,
            "a native soft-target student (e.g. skdistill.students.SoftLogisticRegression)",
        ),
        "logit_regression": (is_regressor, "a regressor"),
        "proba_regression": (is_regressor, "a regressor"),
        "replication": (
            lambda s: is_classifier(s) and accepts_sample_weight(s),
            "a classifier whose fit accepts sample_weight",
        ),
        "hard": (is_classifier, "a classifier"),
    }[student_fit]
    check, description = requirement
    if not check(student):
        raise TypeError(
            f"student_fit={student_fit!r} needs {description}; got "
            f"{type(student).__name__}. Use student_fit='auto' to pick a strategy "
            "that fits the student."
        )
    return student_fit


class Strategy:
    """How one kind of student learns soft targets and gives outputs back.

    Subclasses implement ``fit``; ``proba``, ``logits`` and ``predict``
    default to a classifier student's own methods, aligned to ``classes``;
    ``export`` returns a plain scikit-learn estimator (see
    :func:`skdistill.export.export_student`).
    """

    name: str | None = None  # each subclass names itself

    def fit(self, student, X, targets, classes, sample_weight=None):
        raise NotImplementedError

    def student_classes(self, student, classes):
        """The student's classes as values of ``classes``."""
        return np.asarray(student.classes_)

    def proba(self, student, X, classes):
        proba = np.asarray(student.predict_proba(X), dtype=np.float64)
        student_classes = self.student_classes(student, classes)
        if len(student_classes) == len(classes):
            return proba
        out = np.zeros((proba.shape[0], len(classes)))
        out[:, np.searchsorted(classes, student_classes)] = proba
        return out

    def logits(self, student, X, classes):
        scores = np.asarray(student.decision_function(X), dtype=np.float64)
        if scores.ndim == 1:
            scores = np.column_stack([np.zeros_like(scores), scores])
        return align_columns(scores, self.student_classes(student, classes), classes)

    def predict(self, student, X, classes):
        if hasattr(student, "predict_proba"):
            return classes[np.argmax(self.proba(student, X, classes), axis=1)]
        return np.asarray(student.predict(X))

    def export(self, student, classes):
        from .export import _plain_estimator, _warn_missing_classes

        exported = _plain_estimator(student, self.name)
        _warn_missing_classes(exported, classes)
        return exported


class Native(Strategy):
    """The student takes the (n, K) probability matrix; its classes are the
    column indices 0..K-1."""

    name = "native"

    def fit(self, student, X, targets, classes, sample_weight=None):
        return fit_estimator(student, X, targets, sample_weight)

    def student_classes(self, student, classes):
        return classes[np.asarray(student.classes_, dtype=np.intp)]

    def export(self, student, classes):
        from .export import _plain_estimator

        return _plain_estimator(student, self.name, classes=classes)


class LogitRegression(Strategy):
    """A regressor learns the centred log-probabilities (one margin for two
    classes); its predictions are softmaxed back."""

    name = "logit_regression"

    def fit(self, student, X, targets, classes, sample_weight=None):
        return _fit_regressor(student, X, _regression_values(self.name, targets), sample_weight)

    def logits(self, student, X, classes):
        values = np.asarray(student.predict(X), dtype=np.float64)
        if values.ndim == 1:
            return np.column_stack([np.zeros_like(values), values])
        return values

    def proba(self, student, X, classes):
        return softmax(self.logits(student, X, classes))

    def predict(self, student, X, classes):
        return classes[np.argmax(self.logits(student, X, classes), axis=1)]

    def export(self, student, classes):
        from .export import _logistic_from_logit_regressor

        return _logistic_from_logit_regressor(student, classes)


class ProbaRegression(LogitRegression):
    """A regressor learns the probabilities (p1 for two classes), clipped to
    [0, 1] and renormalised at predict time."""

    name = "proba_regression"

    def proba(self, student, X, classes):
        values = np.asarray(student.predict(X), dtype=np.float64)
        if values.ndim == 1:
            values = np.column_stack([1.0 - values, values])
        values = np.clip(values, 0.0, 1.0)
        totals = values.sum(axis=1, keepdims=True)
        values = np.where(totals > 0, values, 1.0)  # no mass at all: uniform
        return values / values.sum(axis=1, keepdims=True)

    def logits(self, student, X, classes):
        return log_proba(self.proba(student, X, classes))

    def export(self, student, classes):
        raise TypeError(
            "a student trained with student_fit='proba_regression' cannot be exported "
            "to plain scikit-learn: its probabilities are regression outputs clipped "
            "to [0, 1] and renormalised, which no scikit-learn classifier computes. "
            "Keep the DistilledClassifier (it needs skdistill to load), or distil "
            "into a linear regressor with student_fit='logit_regression', or into a "
            "classifier."
        )


class Replication(Strategy):
    """Each row once per class, weighted by the target probability: the
    exact soft cross-entropy for a classifier with ``sample_weight``."""

    name = "replication"

    def fit(self, student, X, targets, classes, sample_weight=None):
        X_rep, y_rep, w_rep = replicate_rows(X, targets, classes, sample_weight)
        return fit_estimator(student, X_rep, y_rep, w_rep)


class Hard(Strategy):
    """The argmax of the targets as labels."""

    name = "hard"

    def fit(self, student, X, targets, classes, sample_weight=None):
        return fit_estimator(student, X, classes[np.argmax(targets, axis=1)], sample_weight)


STRATEGIES = {
    cls.name: cls() for cls in (Native, LogitRegression, ProbaRegression, Replication, Hard)
}


def get_strategy(name):
    """The :class:`Strategy` object of a ``student_fit_`` name."""
    return STRATEGIES[name]


def _fit_regressor(student, X, values, sample_weight):
    if values.ndim == 2 and not get_tags(student).target_tags.multi_output:
        student = MultiOutputRegressor(student)
    return fit_estimator(student, X, values, sample_weight)


def fit_student(strategy, student, X, targets, classes, sample_weight=None):
    """Fit ``student`` (a clone) on soft ``targets`` (n, K) with ``strategy``."""
    return STRATEGIES[strategy].fit(student, X, targets, classes, sample_weight)


def _regression_values(strategy, targets):
    if strategy == "logit_regression":
        logits = log_proba(targets)
        if targets.shape[1] == 2:
            return logits[:, 1] - logits[:, 0]
        return logits - logits.mean(axis=1, keepdims=True)
    return targets[:, 1] if targets.shape[1] == 2 else targets


def replicate_rows(X, targets, classes, sample_weight=None):
    """Rows repeated once per class with weight = probability x sample weight.

    Returns ``(X_rep, y_rep, weight_rep)``; rows with a target probability
    below ``REPLICATION_MIN_PROBA`` are left out and each row's kept weights
    are rescaled to sum to the row's original weight.
    """
    keep = targets >= REPLICATION_MIN_PROBA
    # Every row keeps at least its most likely class.
    keep[np.arange(len(targets)), np.argmax(targets, axis=1)] = True
    kept = np.where(keep, targets, 0.0)
    kept /= kept.sum(axis=1, keepdims=True)
    if sample_weight is not None:
        kept *= np.asarray(sample_weight, dtype=np.float64)[:, None]
    rows, cols = np.nonzero(keep)  # row-major: each row's classes together
    return _safe_indexing(X, rows), classes[cols], kept[rows, cols]


def student_proba(strategy, student, X, classes):
    """(n, K) probabilities of a fitted student, aligned to ``classes``."""
    return STRATEGIES[strategy].proba(student, X, classes)


def student_logits(strategy, student, X, classes):
    """(n, K) scores of a fitted student whose argmax is its prediction."""
    return STRATEGIES[strategy].logits(student, X, classes)


def student_predict(strategy, student, X, classes):
    """Predicted labels (values of ``classes``) of a fitted student."""
    return STRATEGIES[strategy].predict(student, X, classes)
