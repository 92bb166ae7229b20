"""Teacher vs student on the same rows: the one measurement.

:func:`skdistill.distillation_report`, the ``skdistill report`` command, the
demo and the size search (:func:`skdistill.distill_path`) all measure through
:func:`compare_models` or its pieces, so that the same models on the same
rows give the same numbers everywhere: performance against the labels,
fidelity of the student to the teacher (KL divergence with the student's
probabilities clipped at :data:`skdistill.metrics.KL_EPS`), the pickled size
of the fitted model (never of a wrapper around it) and the predict latency
on ``LATENCY_ROWS`` rows after a warm-up call.
"""

import warnings

import numpy as np
from sklearn.base import is_classifier
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    f1_score,
    mean_absolute_error,
    r2_score,
    roc_auc_score,
    root_mean_squared_error,
)
from sklearn.utils import Bunch
from sklearn.utils.validation import check_is_fitted

from . import metrics
from ._model_size import latency_rows, model_size, predict_ms_per_1k


def model_outputs(model, X, classification):
    """What a fitted model says about X.

    Parameters
    ----------
    model : fitted estimator
    X : {array-like, sparse matrix, DataFrame}
        Rows in the form ``model`` expects.
    classification : bool

    Returns
    -------
    outputs : Bunch
        ``pred`` (``model.predict(X)``); for a classifier also ``classes``
        (``model.classes_``), ``proba`` (``predict_proba``, or None) and
        ``scores`` for ROC-AUC (the probabilities, else a binary
        ``decision_function``, else None); None for a regressor.
    """
    pred = model.predict(X)
    if not classification:
        return Bunch(pred=pred, classes=None, proba=None, scores=None)
    classes = np.asarray(model.classes_)
    proba = np.asarray(model.predict_proba(X)) if hasattr(model, "predict_proba") else None
    return Bunch(
        pred=pred, classes=classes, proba=proba, scores=_class_scores(model, X, classes, proba)
    )


def _class_scores(model, X, classes, proba):
    """Scores for ROC-AUC: probabilities, or a binary decision function."""
    if proba is not None:
        return proba
    if len(classes) == 2 and hasattr(model, "decision_function"):
        return np.asarray(model.decision_function(X))
    return None


def _roc_auc(y, scores, classes):
    if scores is None:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if len(classes) == 2:
                positive = scores[:, 1] if scores.ndim == 2 else scores
                auc = roc_auc_score(np.asarray(y) == classes[1], positive)
            else:
                auc = roc_auc_score(y, scores, multi_class="ovr", labels=classes)
    except ValueError:  # one class in y, or labels the model never saw
        return None
    # recent scikit-learn returns NaN (with a warning) where older versions raise
    return None if np.isnan(auc) else float(auc)


def performance(y, outputs):
    """Performance of one model against the true labels or values.

    Parameters
    ----------
    y : array-like of shape (n_samples,) or (n_samples, n_outputs)
    outputs : Bunch
        From :func:`model_outputs`.

    Returns
    -------
    performance : dict
        Classification: ``accuracy``, ``balanced_accuracy``, ``f1_macro``
        and ``roc_auc`` (None without scores or with one class in ``y``).
        Regression: ``r2``, ``rmse`` and ``mae``.
    """
    if outputs.classes is None:
        pred = np.asarray(outputs.pred).reshape(np.shape(y))
        return {
            "r2": float(r2_score(y, pred)),
            "rmse": float(root_mean_squared_error(y, pred)),
            "mae": float(mean_absolute_error(y, pred)),
        }
    with warnings.catch_warnings():
        # y lacking a class the model predicts is not worth a warning here.
        warnings.simplefilter("ignore")
        return {
            "accuracy": float(accuracy_score(y, outputs.pred)),
            "balanced_accuracy": float(balanced_accuracy_score(y, outputs.pred)),
            "f1_macro": float(f1_score(y, outputs.pred, average="macro", zero_division=0)),
            "roc_auc": _roc_auc(y, outputs.scores, outputs.classes),
        }


def fidelity(teacher, student):
    """How closely the student follows the teacher on the same rows.

    Parameters
    ----------
    teacher, student : Bunch
        From :func:`model_outputs`.

    Returns
    -------
    fidelity : dict
        Classification: ``fidelity`` (label agreement) and, when both give
        probabilities over compatible classes, ``kl_divergence``
        (KL(teacher || student)) and ``total_variation``. Regression:
        ``fidelity_r2`` and ``fidelity_rmse``.
    """
    if student.classes is None:
        return {
            "fidelity_r2": metrics.fidelity_r2(teacher.pred, student.pred),
            "fidelity_rmse": metrics.fidelity_rmse(teacher.pred, student.pred),
        }
    result = {"fidelity": metrics.fidelity_score(teacher.pred, student.pred)}
    teacher_proba = _teacher_proba(teacher, student.classes)
    if teacher_proba is not None and student.proba is not None:
        result["kl_divergence"] = metrics.kl_divergence(teacher_proba, student.proba)
        result["total_variation"] = metrics.total_variation(teacher_proba, student.proba)
    return result


def _teacher_proba(teacher, classes):
    """The teacher's probabilities with one column per student class, or
    None when it has none or knows a class the student does not."""
    if teacher.proba is None:
        return None
    try:
        return metrics._align_proba(teacher.proba, teacher.classes, classes)
    except ValueError:  # e.g. a plain student fit on a subset of the classes
        return None


def churn(previous, new, y=None):
    """How many predictions change from a previous model to a new one.

    Parameters
    ----------
    previous, new : Bunch
        From :func:`model_outputs` on the same rows.
    y : array-like, default=None
        True labels; needed for the bad churn and the previous accuracy.

    Returns
    -------
    churn : dict
        ``churn`` (:func:`skdistill.metrics.churn_score`) and, with ``y``,
        ``bad_churn`` (:func:`skdistill.metrics.bad_churn_score`) and
        ``previous_accuracy``.
    """
    result = {"churn": metrics.churn_score(previous.pred, new.pred)}
    if y is not None:
        result["bad_churn"] = metrics.bad_churn_score(y, previous.pred, new.pred)
        result["previous_accuracy"] = float(accuracy_score(y, previous.pred))
    return result


def check_previous(previous, distilled):
    """A fitted classifier to measure churn against a distilled classifier."""
    if not is_classifier(distilled):
        raise ValueError(
            "previous is for classifiers (churn counts changed labels); "
            f"{type(distilled).__name__} is not one"
        )
    if not hasattr(previous, "predict"):
        raise TypeError(
            f"previous must be a fitted classifier with predict, got {type(previous).__name__}"
        )
    if hasattr(previous, "fit"):
        check_is_fitted(previous)


def size(model):
    """``pickled_bytes``, ``n_parameters``, ``n_nodes`` and ``n_leaves`` of a
    fitted model (see :func:`skdistill.report.model_size`)."""
    measured = model_size(model)
    return {
        "pickled_bytes": measured.n_bytes,
        "n_parameters": measured.n_parameters,
        "n_nodes": measured.n_nodes,
        "n_leaves": measured.n_leaves,
    }


def latency(model, X, n_repeats):
    """Median milliseconds of ``model.predict`` on ``LATENCY_ROWS`` rows of X."""
    return predict_ms_per_1k(model.predict, latency_rows(X), n_repeats)


def compare_models(teacher, student, X, y=None, *, X_student=None, n_repeats=5, previous=None):
    """Measure a teacher and a student on the same rows.

    Parameters
    ----------
    teacher : fitted estimator
        A ``FrozenEstimator`` is sized by the model inside it.
    student : fitted estimator
        What is compared with the teacher: a distilled estimator (whose
        ``predict`` is measured and whose ``student_`` is sized) or a plain
        student.
    X : {array-like, sparse matrix, DataFrame}
        The rows, as the teacher sees them.
    y : array-like, default=None
        True labels or values; None leaves performance out.
    X_student : same as X, default=None
        The same rows as the student sees them (e.g. columns in its order);
        None means ``X``.
    n_repeats : int, default=5
        Timed repeats of each ``predict`` (median).
    previous : fitted classifier, default=None
        A model the student would replace, given the rows as the student
        sees them; its churn to the student is measured.

    Returns
    -------
    measured : Bunch
        ``task`` (``"classification"`` or ``"regression"``), ``teacher`` and
        ``student`` (dicts: :func:`performance` when ``y`` is given, then
        :func:`size`, then ``predict_ms_per_1k``), ``fidelity``
        (:func:`fidelity`) and ``churn`` (:func:`churn`; empty without
        ``previous``).
    """
    classification = is_classifier(student)
    # The deployable part of a distilled estimator is its fitted student_.
    pairs = (
        ("teacher", teacher, teacher, X),
        (
            "student",
            student,
            getattr(student, "student_", student),
            X if X_student is None else X_student,
        ),
    )
    stats, outputs = {}, {}
    for name, model, fitted, rows in pairs:
        outputs[name] = model_outputs(model, rows, classification)
        stats[name] = {} if y is None else performance(y, outputs[name])
        stats[name].update(size(fitted))
        stats[name]["predict_ms_per_1k"] = latency(model, rows, n_repeats)
    changes = {}
    if previous is not None:
        rows = X if X_student is None else X_student
        changes = churn(model_outputs(previous, rows, False), outputs["student"], y)
    return Bunch(
        task="classification" if classification else "regression",
        teacher=stats["teacher"],
        student=stats["student"],
        fidelity=fidelity(outputs["teacher"], outputs["student"]),
        churn=changes,
    )
