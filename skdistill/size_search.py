"""The size search: the smallest student that is good enough.

:func:`distill_path` distils with a range of student sizes (e.g.
``student__max_depth``) and measures each on held-out rows
(:class:`DistillationPath`); :func:`select_student` picks the smallest
student that reaches a target fidelity (:class:`StudentSelection`).
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from sklearn.base import clone, is_classifier
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import check_cv, train_test_split
from sklearn.utils import _safe_indexing, check_random_state
from sklearn.utils.parallel import Parallel, delayed

from . import _fit_steps as steps
from ._measure import check_previous, churn, fidelity, latency, model_outputs, performance, size
from ._model_size import n_rows
from ._targets import resolve_source
from ._tune import plain_settings
from ._typing import ArrayLike, Estimator, Float64Array, MatrixLike, NDArray, RandomStateLike
from ._utils import fit_estimator
from ._validation import check_distilled as _check_distilled
from ._validation import check_int, check_n_jobs, check_real
from ._validation import import_pandas as _import_pandas

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["DistillationPath", "StudentSelection", "distill_path", "select_student"]


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
    churn, bad_churn : ndarray of shape (n_values,)
        Held-out share of predictions changed from the ``previous`` model
        given to :func:`distill_path`, and of those changed from right to
        wrong (over all held-out rows); NaN without ``previous``.
    previous_score : float
        Held-out accuracy of the ``previous`` model (NaN without one).
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

    _ARRAYS = (
        "fidelity",
        "score",
        "kl_divergence",
        "fidelity_rmse",
        "n_leaves",
        "n_nodes",
        "n_parameters",
        "n_bytes",
        "latency_ms",
        "fit_time",
        "churn",
        "bad_churn",
    )

    # Set from split_results in __init__ (one per name in _ARRAYS).
    fidelity: Float64Array
    score: Float64Array
    kl_divergence: Float64Array
    fidelity_rmse: Float64Array
    n_leaves: Float64Array
    n_nodes: Float64Array
    n_parameters: Float64Array
    n_bytes: Float64Array
    latency_ms: Float64Array
    fit_time: Float64Array
    churn: Float64Array
    bad_churn: Float64Array

    def __init__(
        self,
        *,
        param: str,
        values: Iterable[Any],
        task: str,
        split_results: dict[str, Float64Array],
        teacher_score: float,
        teacher_reused: bool,
        teacher_fit_time: float,
        previous_score: float = np.nan,
    ) -> None:
        self.param = param
        self.values = list(values)
        self.task = task
        self.split_results = split_results
        self.teacher_score = float(teacher_score)
        self.teacher_reused = bool(teacher_reused)
        self.teacher_fit_time = float(teacher_fit_time)
        self.previous_score = float(previous_score)
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

    def __len__(self) -> int:
        return len(self.values)

    @property
    def has_churn(self) -> bool:
        """Whether churn against a previous model was measured."""
        return bool(np.isfinite(self.churn).any())

    def to_dict(self) -> dict[str, list[Any]]:
        """Column name -> list of per-value numbers (NaN where missing).

        Each column holds one quantity in one unit, named in the column
        where it has one: ``size_bytes`` (pickled bytes),
        ``latency_ms_per_1k`` (median milliseconds to predict 1000 rows),
        ``fit_seconds``; fidelity, accuracy, churn and bad churn are shares
        in [0, 1], ``kl_divergence`` is in nats and ``fidelity_rmse`` in
        the units of the target. ``churn`` and ``bad_churn`` are present
        only when a ``previous`` model was given.

        Returns
        -------
        columns : dict
        """
        columns = {
            self.param: list(self.values),
            "fidelity": self.fidelity.tolist(),
            "fidelity_std": self.fidelity_std.tolist(),
            self.score_name: self.score.tolist(),
        }
        extra = "kl_divergence" if self.task == "classification" else "fidelity_rmse"
        columns[extra] = getattr(self, extra).tolist()
        if self.has_churn:
            columns["churn"] = self.churn.tolist()
            columns["bad_churn"] = self.bad_churn.tolist()
        for name, column in _UNIT_COLUMNS.items():
            columns[column] = getattr(self, name).tolist()
        return columns

    def to_frame(self) -> pd.DataFrame:
        """The path as a pandas DataFrame, one row per value.

        Returns
        -------
        frame : pandas.DataFrame
            The columns of :meth:`to_dict` (one unit each);
            ``frame.attrs["teacher_score"]`` holds the teacher's held-out
            score, and ``frame.attrs["previous_score"]`` the previous
            model's when churn was measured.
        """
        pd = _import_pandas("DistillationPath.to_frame")
        frame = pd.DataFrame(self.to_dict())
        frame.attrs["teacher_score"] = self.teacher_score
        if self.has_churn:
            frame.attrs["previous_score"] = self.previous_score
        return frame

    def __repr__(self) -> str:
        return (
            f"<DistillationPath {self.param}: {len(self)} values, {self.n_splits} "
            f"split(s), teacher {self.score_name}={self.teacher_score:.4f}>"
        )

    def __str__(self) -> str:
        header = [self.param, "fidelity", self.score_name, self.size_name, "ms/1k rows"]
        rows = [
            [
                repr(value),
                f"{fid:.4f}",
                f"{score:.4f}",
                "-" if not np.isfinite(size) else f"{size:,.0f}",
                f"{latency:.3g}",
            ]
            for value, fid, score, size, latency in zip(
                self.values, self.fidelity, self.score, self.size, self.latency_ms
            )
        ]
        if self.has_churn:
            header += ["churn", "bad churn"]
            for row, changed, bad in zip(rows, self.churn, self.bad_churn):
                row += [f"{changed:.4f}", f"{bad:.4f}"]
        widths = [max(len(row[i]) for row in rows + [header]) for i in range(len(header))]
        lines = [
            f"Distillation path over {self.param} (teacher {self.score_name} "
            f"{self.teacher_score:.4f}, {self.n_splits} split(s))",
            "  ".join(f"{cell:>{width}}" for cell, width in zip(header, widths)),
        ]
        lines += [
            "  ".join(f"{cell:>{width}}" for cell, width in zip(row, widths)) for row in rows
        ]
        return "\n".join(lines)


# attribute -> column of to_dict / to_frame: named with the unit it is in.
_UNIT_COLUMNS = {
    "n_leaves": "n_leaves",
    "n_nodes": "n_nodes",
    "n_parameters": "n_parameters",
    "n_bytes": "size_bytes",
    "latency_ms": "latency_ms_per_1k",
    "fit_time": "fit_seconds",
}


def _check_param(distilled: Estimator, param: str) -> None:
    if not isinstance(param, str):
        raise TypeError(f"param must be a parameter name (str), got {param!r}")
    params = distilled.get_params(deep=True)
    if param not in params:
        prefix = param.split("__")[0]
        related = sorted(name for name in params if name.split("__")[0] == prefix)
        hint = f"; parameters starting with {prefix!r}: {related}" if related else ""
        raise ValueError(f"param={param!r} is not a parameter of {type(distilled).__name__}{hint}")


def _splits(
    X: MatrixLike,
    y: ArrayLike,
    classification: bool,
    cv: Any,
    validation_fraction: float,
    random_state: RandomStateLike,
) -> list[tuple[NDArray[np.intp], NDArray[np.intp]]]:
    y_array = np.asarray(y)
    if cv is not None:
        splitter = check_cv(cv, y_array, classifier=classification)
        return list(splitter.split(X, y_array))
    indices = np.arange(len(y_array))
    stratify = y_array if classification and y_array.ndim == 1 else None
    try:
        train, test = train_test_split(
            indices, test_size=validation_fraction, random_state=random_state, stratify=stratify
        )
    except ValueError:  # a class too rare to stratify on
        train, test = train_test_split(
            indices, test_size=validation_fraction, random_state=random_state
        )
    return [(train, test)]


def _shared_teacher(
    distilled: Estimator, X: MatrixLike, y: ArrayLike, train: NDArray[np.intp]
) -> tuple[Estimator, Estimator, float]:
    """Fit ``distilled``'s teacher once on ``train`` and return it frozen,
    with a student clone seeded exactly as ``distilled.fit`` would seed it
    (random states are drawn for the teacher first, then the student), so
    that reusing the teacher changes nothing but the time spent."""
    rng = check_random_state(distilled.random_state)
    teacher, student = steps.prepare_estimators(
        distilled.teacher, distilled.student, rng, None, distilled.random_state is not None
    )
    start = time.perf_counter()
    fitted = fit_estimator(teacher, _safe_indexing(X, train), _safe_indexing(y, train))
    return FrozenEstimator(fitted), student, time.perf_counter() - start


def _evaluate(
    model: Estimator,
    X: MatrixLike,
    y: ArrayLike,
    train: NDArray[np.intp],
    test: NDArray[np.intp],
    n_repeats: int,
    previous: Estimator | None = None,
) -> dict[str, float]:
    """Fit one distilled estimator on ``train``, measure it on ``test`` (the
    measurement of :func:`skdistill.distillation_report`)."""
    X_test, y_test = _safe_indexing(X, test), _safe_indexing(y, test)
    start = time.perf_counter()
    model.fit(_safe_indexing(X, train), _safe_indexing(y, train))
    fit_time = time.perf_counter() - start
    classification = is_classifier(model)
    teacher = model_outputs(model.teacher_, X_test, classification)
    student = model_outputs(model, X_test, classification)
    agreement = fidelity(teacher, student)
    score = "accuracy" if classification else "r2"
    sizes = size(model.student_)
    result = {
        "fidelity": agreement["fidelity" if classification else "fidelity_r2"],
        "score": performance(y_test, student)[score],
        "teacher_score": performance(y_test, teacher)[score],
        "kl_divergence": agreement.get("kl_divergence", np.nan),
        "fidelity_rmse": agreement.get("fidelity_rmse", np.nan),
        "n_bytes": sizes.pop("pickled_bytes"),
        "latency_ms": latency(model, X_test, n_repeats),
        "fit_time": fit_time,
    }
    changes = (
        {} if previous is None else churn(model_outputs(previous, X_test, False), student, y_test)
    )
    result["churn"] = changes.get("churn", np.nan)
    result["bad_churn"] = changes.get("bad_churn", np.nan)
    result["previous_score"] = changes.get("previous_accuracy", np.nan)
    for name, value in sizes.items():
        result[name] = np.nan if value is None else value
    return result


def distill_path(
    distilled: Estimator,
    X: MatrixLike,
    y: ArrayLike,
    *,
    param: str = "student__max_depth",
    values: Iterable[Any] | None = None,
    cv: int | Any | None = None,
    validation_fraction: float = 0.25,
    reuse_teacher: bool | str = "auto",
    n_repeats: int = 3,
    n_jobs: int | None = None,
    random_state: RandomStateLike = None,
    previous: Estimator | None = None,
) -> DistillationPath:
    """Distil with each value of one parameter and measure the students.

    For each value, a clone of ``distilled`` with ``param`` set to it is fit
    on the training rows and measured on held-out rows: fidelity to its
    teacher, accuracy (or R²), size and predict latency. Settings of
    ``distilled`` left ``"auto"`` (``temperature``, ``alpha``, ``transfer``)
    are fixed to plain distillation (1, 0, no transfer set) in the clones:
    the path is about fidelity to the teacher, and "auto" chooses by
    accuracy to the labels, possibly training on the labels alone; set them
    to numbers (e.g. a ``Munge`` transfer set) to study other settings. Pass the result to
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
    previous : fitted classifier, default=None
        A model the students would replace (e.g. the one in production):
        each student's churn and bad churn against it are measured on the
        held-out rows, giving the churn-accuracy frontier of ``param``
        (e.g. ``alpha`` with the previous model as a frozen teacher, or
        ``student__prior_strength`` with a prior from it); draw it with
        :func:`skdistill.plotting.plot_churn_frontier`. Classification only.

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
        check_real(
            validation_fraction,
            "validation_fraction",
            low=0,
            high=1,
            low_inclusive=False,
            high_inclusive=False,
        )
    if reuse_teacher not in ("auto", True, False):
        raise ValueError(f"reuse_teacher must be 'auto', True or False, got {reuse_teacher!r}")
    n_repeats = check_int(n_repeats, "n_repeats", low=1)
    check_n_jobs(n_jobs)
    if previous is not None:
        check_previous(previous, distilled)
    n_samples = n_rows(X)
    n_y = len(y)  # type: ignore[arg-type]  # ArrayLike includes scalars, which fail here
    if n_y != n_samples:
        raise ValueError(f"X and y must have the same number of rows, got {n_samples} and {n_y}")

    classification = is_classifier(distilled)
    splits = _splits(X, y, classification, cv, validation_fraction, random_state)
    reuse = _should_reuse_teacher(distilled, param, reuse_teacher)
    parallel = Parallel(n_jobs=n_jobs)
    teacher_fit_time = 0.0
    models = {}
    if reuse:
        shared = parallel(delayed(_shared_teacher)(distilled, X, y, train) for train, _ in splits)
        teacher_fit_time = float(sum(fit_time for _, _, fit_time in shared))
    # The path measures fidelity to the teacher, while "auto" chooses by
    # accuracy to the labels (and may train on the labels alone).
    plain = plain_settings(distilled)
    for i, value in enumerate(values):
        for j in range(len(splits)):
            model = clone(distilled).set_params(**plain)
            if reuse:
                teacher, student, _ = shared[j]
                model.set_params(
                    teacher=teacher, student=clone(student), teacher_targets="in_sample"
                )
            models[i, j] = model.set_params(**{param: value})
    results = parallel(
        delayed(_evaluate)(models[i, j], X, y, train, test, n_repeats, previous)
        for i in range(len(values))
        for j, (train, test) in enumerate(splits)
    )
    names = DistillationPath._ARRAYS + ("teacher_score", "previous_score")
    split_results = {
        name: np.array([result[name] for result in results], dtype=np.float64).reshape(
            len(values), len(splits)
        )
        for name in names
    }
    teacher_score = float(np.mean(split_results.pop("teacher_score")))
    # one value per split, repeated for every value of param
    previous_score = float(np.mean(split_results.pop("previous_score")[0]))
    return DistillationPath(
        param=param,
        values=values,
        task="classification" if classification else "regression",
        split_results=split_results,
        teacher_score=teacher_score,
        teacher_reused=reuse,
        teacher_fit_time=teacher_fit_time,
        previous_score=previous_score,
    )


def _should_reuse_teacher(distilled: Estimator, param: str, reuse_teacher: bool | str) -> bool:
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
    def params(self) -> dict[str, object]:
        """``{param: value}``, ready for ``distilled.set_params(**selection.params)``."""
        return {self.param: self.value}


def select_student(
    path: DistillationPath, target_fidelity: float = 0.98, *, strict: bool = False
) -> StudentSelection:
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
        raise TypeError(
            f"path must be a DistillationPath from distill_path, got {type(path).__name__}"
        )
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
        param=path.param,
        value=path.values[index],
        index=index,
        fidelity=float(fidelity[index]),
        score=float(path.score[index]),
        size=float(size[index]),
        size_name=path.size_name,
        target_fidelity=target_fidelity,
        met=met,
    )
