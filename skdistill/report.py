"""Teacher vs student, measured: :func:`distillation_report`.

Performance, fidelity, size, latency and training time of a fitted distilled
estimator's teacher and student, side by side (:class:`DistillationReport`).
The size search (:func:`distill_path`, :func:`select_student`) lives in
:mod:`skdistill.size_search` and is re-exported here.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import numpy as np
from sklearn.frozen import FrozenEstimator
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from ._measure import check_previous, compare_models
from ._model_size import LATENCY_ROWS, model_size, n_rows
from ._typing import ArrayLike, Estimator, MatrixLike
from ._validation import check_distilled, check_int, import_pandas

if TYPE_CHECKING:  # for linters and type checkers; imported lazily, see __getattr__
    import pandas as pd

    from .size_search import DistillationPath, StudentSelection, distill_path, select_student

__all__ = [
    "DistillationPath",
    "DistillationReport",
    "StudentSelection",
    "distill_path",
    "distillation_report",
    "model_size",
    "select_student",
]


# --------------------------------------------------------------------------
# The report
# --------------------------------------------------------------------------
# metric -> section; the order is the display order.
_SECTIONS = {
    "accuracy": "performance",
    "balanced_accuracy": "performance",
    "f1_macro": "performance",
    "roc_auc": "performance",
    "r2": "performance",
    "rmse": "performance",
    "mae": "performance",
    "fidelity": "fidelity",
    "kl_divergence": "fidelity",
    "total_variation": "fidelity",
    "fidelity_r2": "fidelity",
    "fidelity_rmse": "fidelity",
    "churn": "churn",
    "bad_churn": "churn",
    "pickled_bytes": "size",
    "n_parameters": "size",
    "n_nodes": "size",
    "n_leaves": "size",
    "predict_ms_per_1k": "speed",
    "fit_seconds": "training",
    "tune_seconds": "training",
}
_SECTION_TITLES = {
    "performance": "performance (vs y_test)",
    "fidelity": "fidelity (student vs teacher)",
    "churn": "churn (student vs previous model)",
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
        ``fit_seconds`` (and ``tune_seconds`` for the student: the time
        spent choosing the ``"auto"`` settings, ``tune_time_``).
    fidelity : dict
        Student vs teacher on the test rows: ``fidelity`` (label agreement),
        ``kl_divergence`` and ``total_variation`` (classification, when both
        give probabilities); ``fidelity_r2`` and ``fidelity_rmse``
        (regression).
    churn : dict
        Student vs the ``previous`` model given to
        :func:`distillation_report` (empty without one): ``churn`` (share of
        changed predictions) and, with ``y_test``, ``bad_churn`` (right to
        wrong, over all rows) and ``previous_accuracy``.
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

    def __init__(
        self,
        *,
        task: str,
        n_samples: int,
        teacher_name: str,
        student_name: str,
        teacher: dict[str, Any],
        student: dict[str, Any],
        fidelity: dict[str, float],
        n_repeats: int,
        churn: dict[str, float] | None = None,
    ) -> None:
        self.task = task
        self.n_samples = n_samples
        self.teacher_name = teacher_name
        self.student_name = student_name
        self.teacher = teacher
        self.student = student
        self.fidelity = fidelity
        self.n_repeats = n_repeats
        self.churn = {} if churn is None else churn

    @staticmethod
    def _ratio(numerator: float | None, denominator: float | None) -> float | None:
        if numerator is None or denominator is None or denominator <= 0:
            return None
        return float(numerator) / float(denominator)

    @property
    def speedup(self) -> float | None:
        """Teacher latency / student latency (None when not measured)."""
        return self._ratio(
            self.teacher.get("predict_ms_per_1k"), self.student.get("predict_ms_per_1k")
        )

    @property
    def compression(self) -> float | None:
        """Teacher pickled bytes / student pickled bytes."""
        return self._ratio(self.teacher.get("pickled_bytes"), self.student.get("pickled_bytes"))

    def _rows(self) -> list[tuple[str, str, Any, Any, Any]]:
        """(section, metric, teacher, student, change) in display order."""
        rows: list[tuple[str, str, Any, Any, Any]] = []
        for name, section in _SECTIONS.items():
            if section in ("fidelity", "churn"):
                values = self.fidelity if section == "fidelity" else self.churn
                if name in values:
                    rows.append((section, name, None, values[name], None))
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

    def to_dict(self) -> dict[str, Any]:
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
            "churn": dict(self.churn),
            "speedup": self.speedup,
            "compression": self.compression,
        }

    def to_frame(self) -> pd.DataFrame:
        """The report as a pandas DataFrame: one row per model, one column
        per metric, so that every column holds one quantity in one unit.

        Returns
        -------
        frame : pandas.DataFrame
            Index ``model``: ``"teacher"`` and ``"student"``. Columns in
            display order, named with their unit where they have one:
            performance scores, fidelity and churn (student row only;
            NaN for the teacher), ``pickled_bytes``, ``n_parameters``,
            ``n_nodes``, ``n_leaves``, ``predict_ms_per_1k``
            (milliseconds per 1000 rows), ``fit_seconds`` and
            ``tune_seconds``; NaN where missing. ``frame.attrs`` holds
            ``speedup`` and ``compression`` (ratios), ``n_samples`` and
            ``task``.
        """
        pd = import_pandas("DistillationReport.to_frame")
        rows = self._rows()
        frame = pd.DataFrame(
            {name: [_nan(teacher), _nan(student)] for _, name, teacher, student, _ in rows},
            index=pd.Index(["teacher", "student"], name="model"),
        )
        frame.attrs.update(
            speedup=self.speedup,
            compression=self.compression,
            n_samples=self.n_samples,
            task=self.task,
        )
        return frame

    def _cells(self) -> list[tuple[str, list[tuple[str, str, str, str]]]]:
        """Formatted (section title, [(metric, teacher, student, change)])."""
        grouped: dict[str, list[tuple[str, str, str, str]]] = {}
        for section, name, teacher, student, change in self._rows():
            if teacher is None and student is None:
                continue  # e.g. n_parameters of two tree models
            if section == "performance":
                change_text = "-" if change is None else f"{change:+.4f}"
            elif section == "churn":
                change_text = ""
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
        title["speed"] = (
            f"predict latency (ms per {LATENCY_ROWS} rows, median of {self.n_repeats})"
        )
        return [(title[section], cells) for section, cells in grouped.items()]

    def __str__(self) -> str:
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

    def __repr__(self) -> str:
        return (
            f"<DistillationReport {self.teacher_name} -> {self.student_name}, "
            f"{self.task}, {self.n_samples} rows>"
        )

    def _repr_html_(self) -> str:
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


def _model_name(estimator: Estimator) -> str:
    """Class name; a Pipeline shows its steps, a FrozenEstimator its content."""
    if isinstance(estimator, FrozenEstimator):
        return _model_name(estimator.estimator)
    if isinstance(estimator, Pipeline):
        steps = [
            _model_name(step) for _, step in estimator.steps if step not in (None, "passthrough")
        ]
        return f"Pipeline({', '.join(steps)})"
    return type(estimator).__name__


def _nan(value: float | None) -> float:
    return np.nan if value is None else float(value)


def _format(name: str, value: float | None) -> str:
    if value is None:
        return "-"
    if name == "pickled_bytes":
        for unit, scale in (("MB", 1e6), ("kB", 1e3)):
            if value >= scale:
                return f"{value / scale:.1f} {unit}"
        return f"{int(value)} B"
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}"
    if name in ("predict_ms_per_1k", "fit_seconds", "tune_seconds"):
        return f"{value:.4g}"
    return f"{value:.4f}"


def distillation_report(
    distilled: Estimator,
    X_test: MatrixLike,
    y_test: ArrayLike | None = None,
    *,
    n_repeats: int = 5,
    previous: Estimator | None = None,
) -> DistillationReport:
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
    previous : fitted classifier, default=None
        The model the distilled one would replace (e.g. the model in
        production before a retrain): the report adds a churn section with
        the share of test rows whose prediction changes from ``previous``
        to the distilled estimator and, with ``y_test``, the bad churn
        (right to wrong, over all rows; see
        :func:`skdistill.metrics.bad_churn_score`). Classification only.

    Returns
    -------
    report : DistillationReport
        Classification: accuracy, balanced accuracy, macro F1 and ROC-AUC
        (binary, or one-vs-rest from ``predict_proba``; None when the model
        gives no scores or ``y_test`` has a single class), fidelity (label
        agreement) and, when both models give probabilities, KL divergence
        and total variation. Regression: R², RMSE and MAE, and R²/RMSE of the
        student against the teacher. Both: pickled size, parameters, tree
        nodes and leaves (see :func:`model_size`), predict latency (the
        student through the distilled estimator's ``predict``), fit times;
        churn against ``previous`` when given.

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
    check_distilled(distilled)
    check_is_fitted(distilled, ["teacher_", "student_"])
    n_repeats = check_int(n_repeats, "n_repeats", low=1)
    n_samples = n_rows(X_test)
    if n_samples == 0:
        raise ValueError("X_test must have at least one row, got 0")
    if y_test is not None:
        n_y = len(y_test)  # type: ignore[arg-type]  # ArrayLike includes scalars, which fail here
        if n_y != n_samples:
            raise ValueError(
                f"y_test must have one value per row of X_test ({n_samples}), got {n_y}"
            )
    if previous is not None:
        check_previous(previous, distilled)
    measured = compare_models(
        distilled.teacher_, distilled, X_test, y_test, n_repeats=n_repeats, previous=previous
    )
    teacher_stats, student_stats = measured.teacher, measured.student
    teacher_stats["fit_seconds"] = float(getattr(distilled, "teacher_fit_time_", np.nan))
    student_stats["fit_seconds"] = float(getattr(distilled, "student_fit_time_", np.nan))
    # Choosing the "auto" settings is part of the student's training cost.
    teacher_stats["tune_seconds"] = None
    student_stats["tune_seconds"] = float(getattr(distilled, "tune_time_", 0.0))
    return DistillationReport(
        task=measured.task,
        n_samples=int(n_samples),
        teacher_name=_model_name(distilled.teacher_),
        student_name=_model_name(distilled.student_),
        teacher=teacher_stats,
        student=student_stats,
        fidelity=measured.fidelity,
        n_repeats=n_repeats,
        churn=measured.churn,
    )


# Re-exported for convenience (``from skdistill.report import distill_path``),
# lazily: the size search builds on the same measurement (skdistill._measure),
# never on this module, and importing it here up front made an import circle.
_SIZE_SEARCH_NAMES = ("DistillationPath", "StudentSelection", "distill_path", "select_student")


def __getattr__(name: str) -> Any:
    if name in _SIZE_SEARCH_NAMES:
        from . import size_search

        return getattr(size_search, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_SIZE_SEARCH_NAMES))
