"""Teacher vs student, measured: the distillation report and the size search.

- :func:`distillation_report`: performance, fidelity, size, latency and
  training time of a fitted distilled estimator's teacher and student, side
  by side (:class:`DistillationReport`).
- :func:`distill_path`: distil with a range of student sizes (e.g.
  ``student__max_depth``) and measure each on held-out rows
  (:class:`DistillationPath`); :func:`select_student` picks the smallest
  student that reaches a target fidelity.
- :func:`model_size`: bytes when pickled, learnt parameters, tree nodes and
  leaves of a fitted model.
"""

import html
import pickle
import time
import warnings
from dataclasses import dataclass, field

import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.frozen import FrozenEstimator
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    f1_score,
    r2_score,
    roc_auc_score,
    root_mean_squared_error,
)
from sklearn.model_selection import check_cv, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.utils import Bunch, _safe_indexing, check_random_state
from sklearn.utils.parallel import Parallel, delayed
from sklearn.utils.validation import check_is_fitted

from . import metrics
from ._targets import resolve_source
from ._utils import fit_estimator, seed_unset_random_states
from ._validation import check_int, check_n_jobs, check_real

__all__ = [
    "DistillationPath",
    "DistillationReport",
    "StudentSelection",
    "distill_path",
    "distillation_report",
    "model_size",
    "select_student",
]

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
        return sum(_size(getattr(estimator, name)) for name in
                   ("support_vectors_", "dual_coef_", "intercept_"))
    if hasattr(estimator, "coefs_") and hasattr(estimator, "intercepts_"):  # MLP
        return sum(_size(a) for a in estimator.coefs_) + sum(
            _size(a) for a in estimator.intercepts_)
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


def model_size(estimator):
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
def _n_rows(X):
    return X.shape[0] if hasattr(X, "shape") else len(X)


def _latency_rows(X):
    """``LATENCY_ROWS`` rows of X (cycling through X when it has fewer)."""
    return _safe_indexing(X, np.arange(LATENCY_ROWS) % _n_rows(X))


def _predict_ms_per_1k(predict, X_1k, n_repeats):
    """Median wall time of ``predict(X_1k)`` in milliseconds."""
    predict(X_1k)  # warm-up: lazy imports, caches, thread pools
    times = []
    for _ in range(n_repeats):
        start = time.perf_counter()
        predict(X_1k)
        times.append(time.perf_counter() - start)
    return 1000.0 * float(np.median(times)) * LATENCY_ROWS / _n_rows(X_1k)


# --------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------
# metric -> section; the order is the display order.
_SECTIONS = {
    "accuracy": "performance", "balanced_accuracy": "performance",
    "f1_macro": "performance", "roc_auc": "performance",
    "r2": "performance", "rmse": "performance",
    "fidelity": "fidelity", "kl_divergence": "fidelity", "total_variation": "fidelity",
    "fidelity_r2": "fidelity", "fidelity_rmse": "fidelity",
    "pickled_bytes": "size", "n_parameters": "size", "n_nodes": "size", "n_leaves": "size",
    "predict_ms_per_1k": "speed",
    "fit_seconds": "training",
}
_SECTION_TITLES = {
    "performance": "performance (vs y_test)",
    "fidelity": "fidelity (student vs teacher)",
    "size": "size",
    "speed": "predict latency (ms per 1000 rows, median)",
    "training": "training time (s)",
}


class DistillationReport:
    """Teacher and student of a fitted distilled estimator, side by side.

    Made by :func:`distillation_report`. ``print(report)`` gives an aligned
    table; notebooks show it as HTML.

    Attributes
    ----------
    task : {"classification", "regression"}
    n_samples : int
        Test rows used.
    teacher_name, student_name : str
        Class names of the fitted teacher and student (a Pipeline lists its
        steps: ``"Pipeline(StandardScaler, LogisticRegression)"``).
    teacher, student : dict
        Metric name -> value (None when not available): performance against
        ``y_test`` (when given), ``pickled_bytes``, ``n_parameters``,
        ``n_nodes``, ``n_leaves``, ``predict_ms_per_1k`` and
        ``fit_seconds``.
    fidelity : dict
        Student vs teacher on the test rows: ``fidelity`` (label agreement),
        ``kl_divergence`` and ``total_variation`` (classification, when both
        give probabilities); ``fidelity_r2`` and ``fidelity_rmse``
        (regression).
    speedup : float or None
        Teacher latency / student latency.
    compression : float or None
        Teacher pickled bytes / student pickled bytes.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skdistill import DistilledClassifier, distillation_report
    >>> from sklearn.model_selection import train_test_split
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
    >>> model = DistilledClassifier(
    ...     RandomForestClassifier(n_estimators=30, random_state=0),
    ...     DecisionTreeClassifier(max_depth=3), random_state=0,
    ... ).fit(X_train, y_train)
    >>> report = distillation_report(model, X_test, y_test, n_repeats=1)
    >>> report.fidelity["fidelity"] > 0.9
    True
    >>> report.student["n_leaves"] <= 8 < report.teacher["n_leaves"]
    True
    >>> report.compression > 10
    True
    """

    def __init__(self, *, task, n_samples, teacher_name, student_name, teacher,
                 student, fidelity, n_repeats):
        self.task = task
        self.n_samples = n_samples
        self.teacher_name = teacher_name
        self.student_name = student_name
        self.teacher = teacher
        self.student = student
        self.fidelity = fidelity
        self.n_repeats = n_repeats

    @staticmethod
    def _ratio(numerator, denominator):
        if numerator is None or denominator is None or denominator <= 0:
            return None
        return float(numerator) / float(denominator)

    @property
    def speedup(self):
        """Teacher latency / student latency (None when not measured)."""
        return self._ratio(self.teacher.get("predict_ms_per_1k"),
                           self.student.get("predict_ms_per_1k"))

    @property
    def compression(self):
        """Teacher pickled bytes / student pickled bytes."""
        return self._ratio(self.teacher.get("pickled_bytes"), self.student.get("pickled_bytes"))

    def _rows(self):
        """(section, metric, teacher, student, change) in display order."""
        rows = []
        for name, section in _SECTIONS.items():
            if section == "fidelity":
                if name in self.fidelity:
                    rows.append((section, name, None, self.fidelity[name], None))
                continue
            if name not in self.teacher and name not in self.student:
                continue
            teacher, student = self.teacher.get(name), self.student.get(name)
            change = None
            if section == "performance" and teacher is not None and student is not None:
                change = student - teacher
            elif section in ("size", "speed"):
                change = self._ratio(teacher, student)
            rows.append((section, name, teacher, student, change))
        return rows

    def to_dict(self):
        """Plain dict (JSON-friendly) of everything in the report.

        Returns
        -------
        report : dict
        """
        return {
            "task": self.task,
            "n_samples": self.n_samples,
            "teacher_name": self.teacher_name,
            "student_name": self.student_name,
            "teacher": dict(self.teacher),
            "student": dict(self.student),
            "fidelity": dict(self.fidelity),
            "speedup": self.speedup,
            "compression": self.compression,
        }

    def to_frame(self):
        """The report as a pandas DataFrame, one row per metric.

        Returns
        -------
        frame : pandas.DataFrame
            Index: metric names; columns ``section``, ``teacher``,
            ``student`` and ``change`` (student - teacher for performance,
            teacher / student for size and latency), NaN where missing.
        """
        pd = _import_pandas("DistillationReport.to_frame")
        rows = self._rows()
        return pd.DataFrame(
            {
                "section": [row[0] for row in rows],
                "teacher": [_nan(row[2]) for row in rows],
                "student": [_nan(row[3]) for row in rows],
                "change": [_nan(row[4]) for row in rows],
            },
            index=pd.Index([row[1] for row in rows], name="metric"),
        )

    def _cells(self):
        """Formatted (section title, [(metric, teacher, student, change)])."""
        grouped = {}
        for section, name, teacher, student, change in self._rows():
            if teacher is None and student is None:
                continue  # e.g. n_parameters of two tree models
            if section == "performance":
                change_text = "-" if change is None else f"{change:+.4f}"
            elif change is None:
                change_text = ""
            elif change >= 1:
                change_text = f"{change:.1f}x " + ("smaller" if section == "size" else "faster")
            else:
                change_text = f"{1 / change:.1f}x " + ("larger" if section == "size" else "slower")
            grouped.setdefault(section, []).append(
                (name, _format(name, teacher), _format(name, student), change_text)
            )
        title = dict(_SECTION_TITLES)
        title["speed"] = f"predict latency (ms per {LATENCY_ROWS} rows, median of {self.n_repeats})"
        return [(title[section], cells) for section, cells in grouped.items()]

    def __str__(self):
        header = ("", "teacher", "student", "change")
        sections = self._cells()
        rows = [cells for _, section_rows in sections for cells in section_rows]
        widths = [max(len(row[i]) for row in rows + [header]) for i in range(4)]
        widths[0] += 2  # metric names are indented under their section title
        lines = [
            f"Distillation report: {self.teacher_name} -> {self.student_name} "
            f"({self.task}, {self.n_samples} test rows)",
            "",
            f"{header[0]:<{widths[0]}}  {header[1]:>{widths[1]}}  "
            f"{header[2]:>{widths[2]}}  {header[3]}",
        ]
        for title, section_rows in sections:
            lines.append(title)
            for name, teacher, student, change in section_rows:
                lines.append(
                    f"  {name:<{widths[0] - 2}}  {teacher:>{widths[1]}}  "
                    f"{student:>{widths[2]}}  {change}".rstrip()
                )
        return "\n".join(lines)

    def __repr__(self):
        return (
            f"<DistillationReport {self.teacher_name} -> {self.student_name}, "
            f"{self.task}, {self.n_samples} rows>"
        )

    def _repr_html_(self):
        esc = html.escape
        parts = [
            "<table>",
            f"<caption>Distillation report: {esc(self.teacher_name)} &rarr; "
            f"{esc(self.student_name)} ({esc(self.task)}, {self.n_samples} test rows)"
            "</caption>",
            "<thead><tr><th></th><th>teacher</th><th>student</th><th>change</th></tr></thead>",
            "<tbody>",
        ]
        for title, section_rows in self._cells():
            parts.append(f'<tr><th colspan="4" style="text-align:left">{esc(title)}</th></tr>')
            for name, teacher, student, change in section_rows:
                parts.append(
                    f"<tr><td>{esc(name)}</td><td>{esc(teacher)}</td>"
                    f"<td>{esc(student)}</td><td>{esc(change)}</td></tr>"
                )
        parts.append("</tbody></table>")
        return "\n".join(parts)


def _model_name(estimator):
    """Class name; a Pipeline shows its steps, a FrozenEstimator its content."""
    if isinstance(estimator, FrozenEstimator):
        return _model_name(estimator.estimator)
    if isinstance(estimator, Pipeline):
        steps = [_model_name(step) for _, step in estimator.steps
                 if step not in (None, "passthrough")]
        return f"Pipeline({', '.join(steps)})"
    return type(estimator).__name__


def _nan(value):
    return np.nan if value is None else float(value)


def _format(name, value):
    if value is None:
        return "-"
    if name == "pickled_bytes":
        for unit, scale in (("MB", 1e6), ("kB", 1e3)):
            if value >= scale:
                return f"{value / scale:.1f} {unit}"
        return f"{int(value)} B"
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    if name in ("predict_ms_per_1k", "fit_seconds"):
        return f"{value:.4g}"
    return f"{value:.4f}"


def _import_pandas(caller):
    try:
        import pandas as pd
    except ImportError as exc:  # pragma: no cover - pandas is a test dependency
        raise ImportError(
            f"{caller} needs pandas; install it with: pip install pandas"
        ) from exc
    return pd


def _check_distilled(distilled, name="distilled"):
    if not (hasattr(distilled, "teacher") and hasattr(distilled, "student")
            and hasattr(distilled, "get_params")):
        raise TypeError(
            f"{name} must be a DistilledClassifier, DistilledRegressor or "
            f"DistilledEstimator, got {type(distilled).__name__}"
        )


def _class_scores(model, X, classes, proba=None):
    """Scores for ROC-AUC: probabilities, or a binary decision function."""
    if proba is not None:
        return proba
    if hasattr(model, "predict_proba"):
        return np.asarray(model.predict_proba(X))
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
    except ValueError:  # one class in y_test, or labels the model never saw
        return None
    # recent scikit-learn returns NaN (with a warning) where older versions raise
    return None if np.isnan(auc) else float(auc)


def _classification_performance(y, pred, scores, classes):
    with warnings.catch_warnings():
        # y_test lacking a class the model predicts is not worth a warning here.
        warnings.simplefilter("ignore")
        return {
            "accuracy": float(accuracy_score(y, pred)),
            "balanced_accuracy": float(balanced_accuracy_score(y, pred)),
            "f1_macro": float(f1_score(y, pred, average="macro", zero_division=0)),
            "roc_auc": _roc_auc(y, scores, classes),
        }


def distillation_report(distilled, X_test, y_test=None, *, n_repeats=5):
    """Compare the teacher and the student of a fitted distilled estimator.

    Parameters
    ----------
    distilled : fitted DistilledClassifier, DistilledRegressor or DistilledEstimator
    X_test : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
        Rows not used for training.
    y_test : array-like of shape (n_samples,) or (n_samples, n_outputs), default=None
        True labels or values; without them only fidelity, size, latency and
        training time are reported.
    n_repeats : int, default=5
        Timed repeats of each model's ``predict`` on 1000 rows of
        ``X_test`` (cycled when there are fewer); the median is reported.

    Returns
    -------
    report : DistillationReport
        Classification: accuracy, balanced accuracy, macro F1 and ROC-AUC
        (binary, or one-vs-rest from ``predict_proba``; None when the model
        gives no scores or ``y_test`` has a single class), fidelity (label
        agreement) and, when both models give probabilities, KL divergence
        and total variation. Regression: R² and RMSE, and R²/RMSE of the
        student against the teacher. Both: pickled size, parameters, tree
        nodes and leaves (see :func:`model_size`), predict latency (the
        student through the distilled estimator's ``predict``), fit times.

    Examples
    --------
    >>> from sklearn.datasets import load_diabetes
    >>> from sklearn.ensemble import RandomForestRegressor
    >>> from sklearn.linear_model import Ridge
    >>> from skdistill import DistilledRegressor, distillation_report
    >>> X, y = load_diabetes(return_X_y=True)
    >>> model = DistilledRegressor(
    ...     RandomForestRegressor(n_estimators=20, random_state=0), Ridge(),
    ...     random_state=0,
    ... ).fit(X[:300], y[:300])
    >>> report = distillation_report(model, X[300:], y[300:], n_repeats=1)
    >>> sorted(report.fidelity)
    ['fidelity_r2', 'fidelity_rmse']
    >>> report.student["n_parameters"]
    11
    """
    _check_distilled(distilled)
    check_is_fitted(distilled, ["teacher_", "student_"])
    n_repeats = check_int(n_repeats, "n_repeats", low=1)
    n_samples = _n_rows(X_test)
    if n_samples == 0:
        raise ValueError("X_test must have at least one row, got 0")
    if y_test is not None and len(y_test) != n_samples:
        raise ValueError(
            f"y_test must have one value per row of X_test ({n_samples}), got {len(y_test)}"
        )
    classification = is_classifier(distilled)
    teacher = distilled.teacher_
    teacher_pred = teacher.predict(X_test)
    student_pred = distilled.predict(X_test)
    teacher_stats, student_stats = {}, {}

    if classification:
        classes = distilled.classes_
        teacher_proba = (np.asarray(teacher.predict_proba(X_test))
                         if hasattr(teacher, "predict_proba") else None)
        student_proba = (np.asarray(distilled.predict_proba(X_test))
                         if hasattr(distilled, "predict_proba") else None)
        fidelity = {"fidelity": metrics.fidelity_score(teacher_pred, student_pred)}
        if teacher_proba is not None and student_proba is not None:
            aligned = metrics._align_proba(teacher_proba, teacher.classes_, classes)
            fidelity["kl_divergence"] = metrics.kl_divergence(aligned, student_proba)
            fidelity["total_variation"] = metrics.total_variation(aligned, student_proba)
        if y_test is not None:
            teacher_stats.update(_classification_performance(
                y_test, teacher_pred,
                _class_scores(teacher, X_test, teacher.classes_, teacher_proba),
                teacher.classes_,
            ))
            student_stats.update(_classification_performance(
                y_test, student_pred,
                _class_scores(distilled, X_test, classes, student_proba), classes,
            ))
    else:
        fidelity = {
            "fidelity_r2": metrics.fidelity_r2(teacher_pred, student_pred),
            "fidelity_rmse": metrics.fidelity_rmse(teacher_pred, student_pred),
        }
        if y_test is not None:
            for stats, pred in ((teacher_stats, teacher_pred), (student_stats, student_pred)):
                pred = np.asarray(pred).reshape(np.shape(y_test))
                stats["r2"] = float(r2_score(y_test, pred))
                stats["rmse"] = float(root_mean_squared_error(y_test, pred))

    for stats, model in ((teacher_stats, teacher), (student_stats, distilled.student_)):
        size = model_size(model)
        stats["pickled_bytes"] = size.n_bytes
        stats["n_parameters"] = size.n_parameters
        stats["n_nodes"] = size.n_nodes
        stats["n_leaves"] = size.n_leaves

    X_1k = _latency_rows(X_test)
    teacher_stats["predict_ms_per_1k"] = _predict_ms_per_1k(teacher.predict, X_1k, n_repeats)
    student_stats["predict_ms_per_1k"] = _predict_ms_per_1k(distilled.predict, X_1k, n_repeats)
    teacher_stats["fit_seconds"] = float(getattr(distilled, "teacher_fit_time_", np.nan))
    student_stats["fit_seconds"] = float(getattr(distilled, "student_fit_time_", np.nan))

    return DistillationReport(
        task="classification" if classification else "regression",
        n_samples=int(n_samples),
        teacher_name=_model_name(teacher),
        student_name=_model_name(distilled.student_),
        teacher=teacher_stats,
        student=student_stats,
        fidelity=fidelity,
        n_repeats=n_repeats,
    )


# --------------------------------------------------------------------------
# Size search
# --------------------------------------------------------------------------
_DEFAULT_DEPTHS = (1, 2, 3, 4, 5, 6, 8, 10)


class DistillationPath:
    """Fidelity, performance and size of students along one parameter.

    Made by :func:`distill_path`; every array has one entry per value, the
    mean over the validation split (or the ``cv`` folds).

    Attributes
    ----------
    param : str
        The parameter that was varied.
    values : list
        Its values, in the order given.
    task : {"classification", "regression"}
    fidelity : ndarray of shape (n_values,)
        Held-out fidelity: label agreement (classification) or R² against
        the teacher (regression).
    fidelity_std : ndarray of shape (n_values,)
        Standard deviation over folds (0 for a single split).
    score, score_std : ndarray of shape (n_values,)
        Held-out accuracy (classification) or R² (regression) of the student.
    score_name : {"accuracy", "r2"}
    teacher_score : float
        Held-out accuracy or R² of the teacher.
    kl_divergence : ndarray of shape (n_values,)
        Held-out KL(teacher || student) (NaN for regression or without
        probabilities).
    fidelity_rmse : ndarray of shape (n_values,)
        Held-out RMSE against the teacher (NaN for classification).
    size : ndarray of shape (n_values,)
        The size measure named by ``size_name``: ``"n_leaves"`` when every
        student has tree leaves, else ``"n_parameters"``, else ``"n_bytes"``.
    n_leaves, n_nodes, n_parameters, n_bytes : ndarray of shape (n_values,)
        Student sizes (NaN where not applicable; see :func:`model_size`).
    latency_ms : ndarray of shape (n_values,)
        Median predict time for 1000 held-out rows, in milliseconds.
    fit_time : ndarray of shape (n_values,)
        Seconds to fit each distilled estimator (student only when the
        teacher was reused).
    n_splits : int
    teacher_reused : bool
        Whether one teacher fit per split was shared by all values.
    teacher_fit_time : float
        Seconds spent fitting the shared teachers (0 when not reused).
    split_results : dict of str -> ndarray of shape (n_values, n_splits)
        The per-split numbers behind the means.

    Examples
    --------
    See :func:`distill_path`.
    """

    _ARRAYS = ("fidelity", "score", "kl_divergence", "fidelity_rmse", "n_leaves",
               "n_nodes", "n_parameters", "n_bytes", "latency_ms", "fit_time")

    def __init__(self, *, param, values, task, split_results, teacher_score,
                 teacher_reused, teacher_fit_time):
        self.param = param
        self.values = list(values)
        self.task = task
        self.split_results = split_results
        self.teacher_score = float(teacher_score)
        self.teacher_reused = bool(teacher_reused)
        self.teacher_fit_time = float(teacher_fit_time)
        self.n_splits = split_results["fidelity"].shape[1]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows
            for name in self._ARRAYS:
                setattr(self, name, np.nanmean(split_results[name], axis=1))
            self.fidelity_std = np.std(split_results["fidelity"], axis=1)
            self.score_std = np.std(split_results["score"], axis=1)
        self.score_name = "accuracy" if task == "classification" else "r2"
        for name in ("n_leaves", "n_parameters"):
            if np.all(np.isfinite(getattr(self, name))):
                self.size_name = name
                break
        else:
            self.size_name = "n_bytes"
        self.size = getattr(self, self.size_name)

    def __len__(self):
        return len(self.values)

    def to_dict(self):
        """Column name -> list of per-value numbers (NaN where missing).

        Returns
        -------
        columns : dict
        """
        columns = {self.param: list(self.values), "fidelity": self.fidelity.tolist(),
                   "fidelity_std": self.fidelity_std.tolist(),
                   self.score_name: self.score.tolist()}
        extra = "kl_divergence" if self.task == "classification" else "fidelity_rmse"
        columns[extra] = getattr(self, extra).tolist()
        for name in ("n_leaves", "n_nodes", "n_parameters", "n_bytes", "latency_ms",
                     "fit_time"):
            columns[name] = getattr(self, name).tolist()
        return columns

    def to_frame(self):
        """The path as a pandas DataFrame, one row per value.

        Returns
        -------
        frame : pandas.DataFrame
            The columns of :meth:`to_dict`; ``frame.attrs["teacher_score"]``
            holds the teacher's held-out score.
        """
        pd = _import_pandas("DistillationPath.to_frame")
        frame = pd.DataFrame(self.to_dict())
        frame.attrs["teacher_score"] = self.teacher_score
        return frame

    def __repr__(self):
        return (
            f"<DistillationPath {self.param}: {len(self)} values, {self.n_splits} "
            f"split(s), teacher {self.score_name}={self.teacher_score:.4f}>"
        )

    def __str__(self):
        header = [self.param, "fidelity", self.score_name, self.size_name, "ms/1k rows"]
        rows = [
            [repr(value), f"{fid:.4f}", f"{score:.4f}",
             "-" if not np.isfinite(size) else f"{size:,.0f}", f"{latency:.3g}"]
            for value, fid, score, size, latency in zip(
                self.values, self.fidelity, self.score, self.size, self.latency_ms)
        ]
        widths = [max(len(row[i]) for row in rows + [header]) for i in range(len(header))]
        lines = [
            f"Distillation path over {self.param} (teacher {self.score_name} "
            f"{self.teacher_score:.4f}, {self.n_splits} split(s))",
            "  ".join(f"{cell:>{width}}" for cell, width in zip(header, widths)),
        ]
        lines += ["  ".join(f"{cell:>{width}}" for cell, width in zip(row, widths))
                  for row in rows]
        return "\n".join(lines)


def _check_param(distilled, param):
    if not isinstance(param, str):
        raise TypeError(f"param must be a parameter name (str), got {param!r}")
    params = distilled.get_params(deep=True)
    if param not in params:
        prefix = param.split("__")[0]
        related = sorted(name for name in params if name.split("__")[0] == prefix)
        hint = f"; parameters starting with {prefix!r}: {related}" if related else ""
        raise ValueError(
            f"param={param!r} is not a parameter of {type(distilled).__name__}{hint}"
        )


def _splits(X, y, classification, cv, validation_fraction, random_state):
    y_array = np.asarray(y)
    if cv is not None:
        splitter = check_cv(cv, y_array, classifier=classification)
        return list(splitter.split(X, y_array))
    indices = np.arange(len(y_array))
    stratify = y_array if classification and y_array.ndim == 1 else None
    try:
        train, test = train_test_split(indices, test_size=validation_fraction,
                                       random_state=random_state, stratify=stratify)
    except ValueError:  # a class too rare to stratify on
        train, test = train_test_split(indices, test_size=validation_fraction,
                                       random_state=random_state)
    return [(train, test)]


def _shared_teacher(distilled, X, y, train):
    """Fit ``distilled``'s teacher once on ``train`` and return it frozen,
    with a student clone seeded exactly as ``distilled.fit`` would seed it
    (random states are drawn for the teacher first, then the student), so
    that reusing the teacher changes nothing but the time spent."""
    template = clone(distilled)
    teacher, student = clone(template.teacher), clone(template.student)
    if template.random_state is not None:
        rng = check_random_state(template.random_state)
        seed_unset_random_states(teacher, rng)
        seed_unset_random_states(student, rng)
    start = time.perf_counter()
    fitted = fit_estimator(teacher, _safe_indexing(X, train), _safe_indexing(y, train))
    return FrozenEstimator(fitted), student, time.perf_counter() - start


def _evaluate(model, X, y, train, test, n_repeats):
    """Fit one distilled estimator on ``train``, measure it on ``test``."""
    X_test, y_test = _safe_indexing(X, test), _safe_indexing(y, test)
    start = time.perf_counter()
    model.fit(_safe_indexing(X, train), _safe_indexing(y, train))
    fit_time = time.perf_counter() - start
    teacher_pred = model.teacher_.predict(X_test)
    student_pred = model.predict(X_test)
    result = dict.fromkeys(DistillationPath._ARRAYS, np.nan)
    if is_classifier(model):
        result["fidelity"] = metrics.fidelity_score(teacher_pred, student_pred)
        result["score"] = accuracy_score(y_test, student_pred)
        result["teacher_score"] = accuracy_score(y_test, teacher_pred)
        if hasattr(model.teacher_, "predict_proba") and hasattr(model, "predict_proba"):
            result["kl_divergence"] = metrics.kl_divergence(
                metrics._teacher_proba(model, X_test), model.predict_proba(X_test))
    else:
        result["fidelity"] = metrics.fidelity_r2(teacher_pred, student_pred)
        result["fidelity_rmse"] = metrics.fidelity_rmse(teacher_pred, student_pred)
        shape = np.shape(y_test)
        result["score"] = r2_score(y_test, np.reshape(student_pred, shape))
        result["teacher_score"] = r2_score(y_test, np.reshape(teacher_pred, shape))
    size = model_size(model.student_)
    for name in ("n_leaves", "n_nodes", "n_parameters", "n_bytes"):
        result[name] = np.nan if size[name] is None else size[name]
    result["latency_ms"] = _predict_ms_per_1k(model.predict, _latency_rows(X_test), n_repeats)
    result["fit_time"] = fit_time
    return result


def distill_path(distilled, X, y, *, param="student__max_depth", values=None, cv=None,
                 validation_fraction=0.25, reuse_teacher="auto", n_repeats=3,
                 n_jobs=None, random_state=None):
    """Distil with each value of one parameter and measure the students.

    For each value, a clone of ``distilled`` with ``param`` set to it is fit
    on the training rows and measured on held-out rows: fidelity to its
    teacher, accuracy (or R²), size and predict latency. Pass the result to
    :func:`select_student` to pick the smallest faithful student, or to
    :func:`skdistill.plotting.plot_fidelity_curve`.

    Parameters
    ----------
    distilled : DistilledClassifier, DistilledRegressor or DistilledEstimator
        The template (fitted or not; it is cloned, never modified).
    X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
    y : array-like of shape (n_samples,) or (n_samples, n_outputs)
    param : str, default="student__max_depth"
        A parameter of ``distilled`` (``get_params(deep=True)`` name).
    values : sequence, default=None
        Values of ``param``, from the smallest student to the largest. None
        is allowed only for ``*max_depth`` parameters and means
        ``(1, 2, 3, 4, 5, 6, 8, 10)``.
    cv : int, cross-validation generator or iterable, default=None
        None: one split holding out ``validation_fraction`` of the rows
        (stratified for classification when possible). Otherwise folds as
        in :func:`sklearn.model_selection.cross_validate`; numbers are
        averaged over folds.
    validation_fraction : float in (0, 1), default=0.25
        Held-out share of the rows when ``cv`` is None.
    reuse_teacher : {"auto", True, False}, default="auto"
        Fit the teacher once per split and give it, wrapped in
        ``FrozenEstimator``, to every clone, so that the search costs one
        teacher fit per split. A frozen teacher gives in-sample targets, so
        ``"auto"`` reuses it only when that changes nothing: ``param`` does
        not start with ``"teacher"`` (nor is ``random_state``) and
        ``distilled`` already uses in-sample targets; with ``"oof"``/``"oob"``
        targets the teacher is refit for every value (correct, slower).
        ``True`` also reuses it in that case, switching the clones to
        in-sample targets (fast, but students then learn the teacher's
        in-sample outputs). ``False`` never reuses it.
    n_repeats : int, default=3
        Timed repeats for the latency (median).
    n_jobs : int, default=None
        Parallel fits over (value, split) pairs, through
        :class:`sklearn.utils.parallel.Parallel`. Latencies measured in
        parallel jobs are noisier.
    random_state : int, RandomState instance or None, default=None
        Seeds the validation split (``distilled.random_state`` seeds the
        models).

    Returns
    -------
    path : DistillationPath

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skdistill import DistilledClassifier, distill_path, select_student
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> model = DistilledClassifier(
    ...     RandomForestClassifier(n_estimators=30, random_state=0),
    ...     DecisionTreeClassifier(), teacher_targets="in_sample", random_state=0,
    ... )
    >>> path = distill_path(model, X, y, values=[1, 2, 4, 8], random_state=0,
    ...                     n_repeats=1)
    >>> path.teacher_reused, path.size_name, len(path)
    (True, 'n_leaves', 4)
    >>> choice = select_student(path, target_fidelity=0.9)
    >>> choice.params == {"student__max_depth": choice.value}
    True
    """
    _check_distilled(distilled)
    _check_param(distilled, param)
    if values is None:
        if not param.endswith("max_depth"):
            raise ValueError(f"values must be given for param={param!r}")
        values = _DEFAULT_DEPTHS
    if isinstance(values, str) or not hasattr(values, "__iter__"):
        raise TypeError(f"values must be a sequence of parameter values, got {values!r}")
    values = list(values)
    if not values:
        raise ValueError("values must hold at least one value, got an empty sequence")
    if cv is None:
        check_real(validation_fraction, "validation_fraction", low=0, high=1,
                   low_inclusive=False, high_inclusive=False)
    if reuse_teacher not in ("auto", True, False):
        raise ValueError(f"reuse_teacher must be 'auto', True or False, got {reuse_teacher!r}")
    n_repeats = check_int(n_repeats, "n_repeats", low=1)
    check_n_jobs(n_jobs)
    n_samples = _n_rows(X)
    if len(y) != n_samples:
        raise ValueError(f"X and y must have the same number of rows, got {n_samples} "
                         f"and {len(y)}")

    classification = is_classifier(distilled)
    splits = _splits(X, y, classification, cv, validation_fraction, random_state)
    reuse = _should_reuse_teacher(distilled, param, reuse_teacher)
    parallel = Parallel(n_jobs=n_jobs)
    teacher_fit_time = 0.0
    models = {}
    if reuse:
        shared = parallel(delayed(_shared_teacher)(distilled, X, y, train)
                          for train, _ in splits)
        teacher_fit_time = float(sum(fit_time for _, _, fit_time in shared))
    for i, value in enumerate(values):
        for j in range(len(splits)):
            model = clone(distilled)
            if reuse:
                teacher, student, _ = shared[j]
                model.set_params(teacher=teacher, student=clone(student),
                                 teacher_targets="in_sample")
            models[i, j] = model.set_params(**{param: value})
    results = parallel(
        delayed(_evaluate)(models[i, j], X, y, train, test, n_repeats)
        for i in range(len(values)) for j, (train, test) in enumerate(splits)
    )
    names = DistillationPath._ARRAYS + ("teacher_score",)
    split_results = {
        name: np.array([result[name] for result in results], dtype=np.float64)
        .reshape(len(values), len(splits)) for name in names
    }
    teacher_score = np.mean(split_results.pop("teacher_score"))
    return DistillationPath(
        param=param, values=values,
        task="classification" if classification else "regression",
        split_results=split_results, teacher_score=teacher_score,
        teacher_reused=reuse, teacher_fit_time=teacher_fit_time,
    )


def _should_reuse_teacher(distilled, param, reuse_teacher):
    if isinstance(distilled.teacher, FrozenEstimator) or reuse_teacher is False:
        return False  # a frozen teacher costs no fit anyway
    changes_teacher = param.startswith("teacher") or param == "random_state"
    if reuse_teacher is True:
        if changes_teacher:
            raise ValueError(
                f"reuse_teacher=True cannot be used with param={param!r}: its values "
                "change the teacher, which must then be refit for each of them"
            )
        return True
    if changes_teacher:
        return False
    try:
        source = resolve_source(distilled.teacher, distilled.teacher_targets)
    except (ValueError, TypeError, AttributeError):
        return False  # fit will report the invalid setting
    return source == "in_sample"


@dataclass
class StudentSelection:
    """The student chosen by :func:`select_student`.

    Attributes
    ----------
    param : str
    value : object
        The chosen value of ``param``.
    index : int
        Its position in ``path.values``.
    fidelity, score : float
        Held-out fidelity and accuracy (or R²).
    size : float
        Its size in ``size_name`` units (NaN when unknown).
    size_name : str
    target_fidelity : float
    met : bool
        Whether ``fidelity >= target_fidelity``.
    """

    param: str
    value: object
    index: int
    fidelity: float
    score: float
    size: float
    size_name: str
    target_fidelity: float
    met: bool = field(default=True)

    @property
    def params(self):
        """``{param: value}``, ready for ``distilled.set_params(**selection.params)``."""
        return {self.param: self.value}


def select_student(path, target_fidelity=0.98, *, strict=False):
    """The smallest student of a path whose held-out fidelity reaches a target.

    Parameters
    ----------
    path : DistillationPath
        From :func:`distill_path`.
    target_fidelity : float, default=0.98
        Minimum held-out fidelity (label agreement for classification, R²
        against the teacher for regression).
    strict : bool, default=False
        When no student reaches the target: False returns the most faithful
        one with a ``UserWarning`` naming the best fidelity reached; True
        raises ``ValueError``.

    Returns
    -------
    selection : StudentSelection
        Among the values that reach the target, the one with the smallest
        ``path.size`` (ties: higher fidelity, then earlier in ``values``);
        when some size is unknown, the first such value in the order of
        ``path.values``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skdistill import DistilledClassifier, distill_path, select_student
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(-1, 1, size=(400, 2))
    >>> y = (X[:, 0] > 0) ^ (X[:, 1] > 0)
    >>> model = DistilledClassifier(
    ...     DecisionTreeClassifier(max_depth=2, random_state=0),
    ...     DecisionTreeClassifier(random_state=0), teacher_targets="in_sample",
    ... )
    >>> path = distill_path(model, X, y, values=[1, 2, 3], random_state=0, n_repeats=1)
    >>> select_student(path, target_fidelity=0.99).value
    2
    """
    if not isinstance(path, DistillationPath):
        raise TypeError(f"path must be a DistillationPath from distill_path, got "
                        f"{type(path).__name__}")
    target_fidelity = check_real(target_fidelity, "target_fidelity", high=1.0)
    fidelity, size = path.fidelity, path.size
    candidates = np.flatnonzero(fidelity >= target_fidelity)
    met = candidates.size > 0
    if not met:
        best = int(np.nanargmax(fidelity))
        message = (
            f"no student in the path over {path.param} reaches fidelity "
            f"{target_fidelity} on held-out rows; the best reaches "
            f"{fidelity[best]:.4f} ({path.param}={path.values[best]!r})"
        )
        if strict:
            raise ValueError(message)
        warnings.warn(message + "; returning it.", UserWarning, stacklevel=2)
        candidates = np.flatnonzero(fidelity == fidelity[best])
    if np.all(np.isfinite(size[candidates])):
        # smallest size, then highest fidelity, then earliest value
        order = np.lexsort((candidates, -fidelity[candidates], size[candidates]))
        index = int(candidates[order[0]])
    else:
        index = int(candidates[0])
    return StudentSelection(
        param=path.param, value=path.values[index], index=index,
        fidelity=float(fidelity[index]), score=float(path.score[index]),
        size=float(size[index]), size_name=path.size_name,
        target_fidelity=target_fidelity, met=met,
    )
