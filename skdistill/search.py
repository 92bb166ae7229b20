"""The student search: the most faithful student that fits a budget.

:func:`search_students` fits the teacher once, computes its targets once,
and races students of several families (shallow soft trees, additive GAMs,
scaled logistic/linear models, trees with linear leaves, soft boosting),
each over a small size ladder, by successive halving on held-out fidelity.
It returns a :class:`StudentSearch`: every candidate tried, the Pareto
frontier of fidelity against size, the families skipped and why, and the
chosen student distilled on all rows.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import replace
from typing import Any

import numpy as np
from sklearn.base import clone, is_classifier, is_regressor
from sklearn.frozen import FrozenEstimator
from sklearn.utils import _safe_indexing, check_random_state
from sklearn.utils.multiclass import check_classification_targets

from . import _fit_steps as steps
from . import _params
from ._distill import DistilledClassifier, DistilledRegressor
from ._feature_budget import teacher_importances, top_features
from ._labeling import n_rows_of
from ._measure import model_outputs, performance, size
from ._search_budget import Budget, check_budget, over_budget
from ._search_families import build_student, check_families, describe, family_ladders
from ._search_race import Candidate, Pool, RaceContext, race
from ._search_result import COLUMNS, StudentSearch, pareto_frontier
from ._targets import fit_teacher
from ._typing import ArrayLike, Estimator, MatrixLike, RandomStateLike
from ._validation import check_int, check_n_jobs, check_real
from .size_search import _splits
from .transfer import _fitting

__all__ = ["StudentSearch", "search_students"]


# --------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------
def _check_settings(
    classification: bool, temperature: Any, alpha: Any, transfer: Any
) -> steps.Settings:
    """The fixed settings of every candidate. The "auto" tuner chooses per
    student by accuracy to the labels, so it is not run here: the search
    compares students at one setting, by fidelity."""
    for name, value in (("temperature", temperature), ("alpha", alpha), ("transfer", transfer)):
        if isinstance(value, str):
            raise ValueError(
                f"{name}={value!r}: search_students distils every candidate with fixed "
                f"settings; give {name} a value (defaults: temperature=1.0, alpha=0.0, "
                "transfer=None)"
            )
    temperature = check_real(temperature, "temperature", low=_params.MIN_TEMPERATURE)
    alpha = check_real(alpha, "alpha", low=0.0, high=1.0)
    return steps.Settings(
        temperature=temperature if classification else 1.0, alpha=alpha, transfer=transfer
    )


def _check_data(X: MatrixLike, y: ArrayLike, classification: bool) -> tuple[Any, np.ndarray]:
    X = _fitting.as_rows_container(_params.indexable_X(X))
    if _params.is_one_dimensional(X):
        raise ValueError(
            "X must be 2-D (n_samples, n_features); reshape a single feature with X.reshape(-1, 1)"
        )
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D (one label or value per row), got shape {y.shape}")
    if len(y) != n_rows_of(X):
        raise ValueError(
            f"X and y must have the same number of rows, got {n_rows_of(X)} and {len(y)}"
        )
    if classification:
        check_classification_targets(y)
    elif y.dtype.kind not in "biuf":
        raise ValueError(f"y must be numeric for a regression teacher, got dtype {y.dtype}")
    return X, y


def _task_of(teacher: Estimator, X: Any, y: np.ndarray, n_jobs: int | None) -> steps.Task:
    if not is_classifier(teacher):
        return steps.Task(X, y, None, None, None, "regression", n_jobs=n_jobs)
    classes, y_idx = steps.encode_labels(y, teacher)
    return steps.Task(X, y, None, classes, y_idx, "native", n_jobs=n_jobs)


def _logger(verbose: int) -> Any:
    def log(message: str) -> None:
        if verbose:
            print(f"[search_students] {message}")

    return log


# --------------------------------------------------------------------------
# Pools: the rows every candidate learns from, made once per split
# --------------------------------------------------------------------------
def _pool(
    task: steps.Task,
    teacher_fit: Any,
    split: tuple[np.ndarray, np.ndarray],
    settings: steps.Settings,
    rng: np.random.RandomState,
    seeded: bool,
) -> Pool:
    """The training rows of one split with the teacher's targets (computed
    once, from the teacher's outputs on all rows), any transfer rows, and the
    held-out rows with the teacher's outputs there."""
    train, test = split
    sub = replace(
        task,
        X=_safe_indexing(task.X, train),
        y=task.y[train],
        y_idx=None if task.y_idx is None else np.asarray(task.y_idx)[train],
    )
    targets = steps.training_targets(sub, teacher_fit.outputs[train], settings)
    generators, arrays, _ = steps.transfer_components(settings.transfer, rng, seeded)
    X_transfer = steps.transfer_rows(sub.X, generators, arrays)
    transfer_targets = None
    if X_transfer is not None:
        transfer_targets = steps.label_rows(
            sub, teacher_fit.teacher, X_transfer, settings.temperature
        )
    X_rows, row_targets, _ = steps.stack_rows(sub.X, targets, None, X_transfer, transfer_targets)
    X_test = _safe_indexing(task.X, test)
    return Pool(
        X=X_rows,
        targets=row_targets,
        order=rng.permutation(n_rows_of(X_rows)),
        X_test=X_test,
        y_test=task.y[test],
        teacher_test=model_outputs(teacher_fit.teacher, X_test, task.classification),
    )


def _candidates(
    ladders: dict[str, list[dict[str, Any]]], classification: bool, seed: int
) -> list[Candidate]:
    return [
        Candidate(
            family=family,
            params=params,
            student=build_student(family, params, classification, seed),
            name=describe(family, params),
        )
        for family, ladder in ladders.items()
        for params in ladder
    ]


# --------------------------------------------------------------------------
# Frontier and choice
# --------------------------------------------------------------------------
def _choose(records: list[dict[str, Any]], finished: list[int], target: float | None) -> int:
    """The most faithful finished candidate (ties: the smaller); with a
    target, the smallest that reaches it (a warning when none does)."""
    fidelity = np.array([records[i]["fidelity"] for i in finished])
    n_bytes = np.array([records[i]["n_bytes"] for i in finished])
    if target is not None:
        reaching = np.flatnonzero(fidelity >= target)
        if reaching.size:
            best = reaching[np.lexsort((-fidelity[reaching], n_bytes[reaching]))[0]]
            return finished[int(best)]
        warnings.warn(
            f"no student within the budget reaches target_fidelity={target} on held-out "
            f"rows; the best reaches {fidelity.max():.4f}; returning it.",
            UserWarning,
            stacklevel=3,
        )
    return finished[int(np.lexsort((n_bytes, -fidelity))[0])]


def _skipped_by_budget(candidates: list[Candidate], skipped: dict[str, str]) -> None:
    """Families none of whose candidates fit the budget, with the reason of
    the first."""
    for family in dict.fromkeys(c.family for c in candidates):
        own = [c for c in candidates if c.family == family]
        if all(c.status.startswith("over budget") for c in own):
            skipped[family] = f"every candidate over the budget ({own[0].status[13:]})"


def _record(candidate: Candidate) -> dict[str, Any]:
    return {
        "family": candidate.family,
        "params": candidate.params,
        "name": candidate.name,
        "status": candidate.status,
        "rung": candidate.rung,
        "n_rows": candidate.n_rows,
        **{name: candidate.results.get(name, np.nan) for name in COLUMNS},
    }


def _refit(
    teacher: Estimator,
    student: Estimator,
    X: Any,
    y: np.ndarray,
    settings: steps.Settings,
    budget: Budget,
    random_state: RandomStateLike,
    n_jobs: int | None,
) -> Any:
    """The chosen student distilled on all rows with the search's teacher,
    frozen (no second teacher fit), and its settings."""
    frozen = teacher if isinstance(teacher, FrozenEstimator) else FrozenEstimator(teacher)
    model: Any = (
        DistilledClassifier(frozen, clone(student), temperature=settings.temperature)
        if is_classifier(teacher)
        else DistilledRegressor(frozen, clone(student))
    )
    model.set_params(
        alpha=settings.alpha,
        transfer=settings.transfer,
        teacher_targets="in_sample",
        feature_budget=budget.max_features,
        random_state=random_state,
        n_jobs=n_jobs,
    )
    return model.fit(X, y)


def _check_teacher(teacher: Estimator) -> bool:
    """Whether ``teacher`` is a classifier (else a regressor)."""
    _params.check_estimator_param(teacher, "teacher")
    if not (is_classifier(teacher) or is_regressor(teacher)):
        raise TypeError(
            f"teacher must be a scikit-learn classifier or regressor, got {type(teacher).__name__}"
        )
    return is_classifier(teacher)


def search_students(
    teacher: Estimator,
    X: MatrixLike,
    y: ArrayLike,
    *,
    budget: dict[str, Any] | None = None,
    target_fidelity: float | None = None,
    families: str | list[str] = "auto",
    cv: int | Any | None = None,
    validation_fraction: float = 0.25,
    temperature: float = 1.0,
    alpha: float = 0.0,
    transfer: Any = None,
    n_jobs: int | None = None,
    random_state: RandomStateLike = None,
    verbose: int = 0,
) -> StudentSearch:
    """The most faithful student that fits a budget, across families and sizes.

    The teacher is fitted once on all rows (a ``FrozenEstimator`` is used as
    is) and its outputs computed once. Candidates from each family's size
    ladder learn its targets on the training rows of each split and are
    measured on the held-out rows against the same teacher: fidelity (label
    agreement, or R² against the teacher for regression), accuracy or R²,
    size (pickled bytes, leaves, parameters) and predict latency. They race
    by successive halving: all on a third (or ninth...) of the rows, the
    most faithful third plus each family's best on three times as many, up
    to all of them. Candidates over the budget drop out; families that
    cannot meet it are skipped and said so. The chosen student is then
    distilled on all rows with the same (frozen) teacher.

    Every candidate uses the same fixed settings -- ``temperature``,
    ``alpha`` and ``transfer`` -- rather than the ``"auto"`` tuner, which
    would choose per student by accuracy to the labels at several times
    the cost.

    Parameters
    ----------
    teacher : classifier or regressor
        Unfitted (fitted here, once) or a fitted one in ``FrozenEstimator``.
    X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    budget : dict, default=None
        Any of ``max_leaves`` (trees, linear-leaf trees and boosting are
        built within it; models without leaves are not limited by it),
        ``max_bytes`` (pickled student), ``max_parameters``,
        ``max_predict_ms_per_1k`` (student predict on 1000 rows, measured),
        ``max_features`` (the student sees the teacher's most important
        features, as ``feature_budget``) and ``interpretable=True`` (trees,
        GAM, logistic/linear and linear-leaf trees only). None: no limit.
    target_fidelity : float, default=None
        When given, choose the smallest (in bytes) student reaching it
        (warning and the most faithful one when none does); else the most
        faithful student.
    families : "auto" or list of str, default="auto"
        Among ``"tree"`` (soft tree by ``max_leaf_nodes``), ``"gam"``,
        ``"linear"`` (scaled soft logistic / ridge), ``"linear_tree"`` and
        ``"boosting"`` (rounds x depth). ``"auto"``: all, each over a ladder
        fitted to the budget.
    cv : int, cross-validation generator or iterable, default=None
        None: one split holding out ``validation_fraction`` of the rows.
        Otherwise folds as in :func:`sklearn.model_selection.check_cv`,
        averaged (each candidate is fitted once per fold).
    validation_fraction : float in (0, 1), default=0.25
    temperature : float, default=1.0
        Classification only.
    alpha : float in [0, 1], default=0.0
    transfer : transfer set, default=None
        As the distilled estimators take it (e.g. ``Munge(size_factor=5)``);
        generated once per split and labelled once.
    n_jobs : int, default=None
        Candidates fitted in parallel (latencies are noisier then).
    random_state : int, RandomState instance or None, default=None
        Seeds the teacher, the split, the rung subsamples and the students.
    verbose : int, default=0
        1: print the race, rung by rung.

    Returns
    -------
    search : StudentSearch

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from skdistill import search_students
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> search = search_students(
    ...     RandomForestClassifier(n_estimators=30, random_state=0), X, y,
    ...     budget={"max_leaves": 8}, families=["tree", "linear"], random_state=0,
    ... )
    >>> [record["name"] for record in search.candidates]
    ['tree(max_leaf_nodes=4)', 'tree(max_leaf_nodes=8)', 'linear()']
    >>> search.best["name"], round(search.best["fidelity"], 3)
    ('linear()', 0.993)
    >>> search.best_estimator.predict(X[:3])
    array([0, 0, 0])
    """
    start = time.perf_counter()
    classification = _check_teacher(teacher)
    settings = _check_settings(classification, temperature, alpha, transfer)
    X, y = _check_data(X, y, classification)
    checked = check_budget(budget, _n_features(X))
    names = check_families(families)
    if target_fidelity is not None:
        target_fidelity = check_real(target_fidelity, "target_fidelity", high=1.0)
    check_real(
        validation_fraction,
        "validation_fraction",
        low=0,
        high=1,
        low_inclusive=False,
        high_inclusive=False,
    )
    check_n_jobs(n_jobs)
    check_int(verbose, "verbose", low=0)
    _params.check_random_state(random_state)
    if cv is not None:
        _params.check_cv(cv)
    fields = _search(
        teacher,
        X,
        y,
        checked,
        names,
        target_fidelity,
        (cv, validation_fraction),
        settings,
        n_jobs,
        random_state,
        _logger(verbose),
    )
    fields["search_time"] = time.perf_counter() - start
    return StudentSearch(**fields)


def _n_features(X: Any) -> int:
    return int(X.shape[1]) if hasattr(X, "shape") else len(X[0])


def _fit_shared_teacher(
    teacher: Estimator,
    X: Any,
    y: np.ndarray,
    rng: np.random.RandomState,
    seeded: bool,
    n_jobs: int | None,
) -> tuple[steps.Task, Any, float]:
    """The one teacher fit of the search, and its outputs on every row."""
    teacher, _ = steps.prepare_estimators(teacher, teacher, rng, None, seeded)
    task = _task_of(teacher, X, y, n_jobs)
    start = time.perf_counter()
    teacher_fit = fit_teacher(teacher, X, y, source="in_sample", classes=task.classes)
    return task, teacher_fit, time.perf_counter() - start


def _race(
    teacher: Estimator,
    X: Any,
    y: np.ndarray,
    budget: Budget,
    names: list[str],
    split_args: tuple[Any, float],
    settings: steps.Settings,
    n_jobs: int | None,
    random_state: RandomStateLike,
    log: Any,
) -> dict[str, Any]:
    """Fit the teacher once, make the pools and race the candidates."""
    rng = check_random_state(random_state)
    seeded = random_state is not None
    task, teacher_fit, teacher_fit_time = _fit_shared_teacher(teacher, X, y, rng, seeded, n_jobs)
    log(f"teacher fitted once in {teacher_fit_time:.2f}s")
    n_classes = 0 if task.classes is None else len(np.asarray(task.classes))
    n_trees = n_classes if n_classes > 2 else 1
    ladders, skipped = family_ladders(
        names,
        classification=task.classification,
        max_leaves=budget.max_leaves,
        interpretable=budget.interpretable,
        n_trees=n_trees,
    )
    if not ladders:
        raise ValueError(f"no student family can meet the budget {budget.as_dict()}: {skipped}")
    features = None
    if budget.max_features is not None:
        importances, _ = teacher_importances(
            teacher_fit.teacher, X, _n_features(X), random_state=rng, n_jobs=n_jobs
        )
        features = top_features(importances, budget.max_features)
    seed = int(rng.randint(np.iinfo(np.int32).max))
    splits = _splits(X, y, task.classification, split_args[0], split_args[1], seed)
    pools = [_pool(task, teacher_fit, split, settings, rng, seeded) for split in splits]
    deployed = settings.temperature if settings.alpha < 1 else 1.0
    context = RaceContext(task, pools, features, deployed, budget, n_jobs, log)
    candidates = _candidates(ladders, task.classification, seed)
    rung_rows = race(context, candidates)
    _skipped_by_budget(candidates, skipped)
    score_name = "accuracy" if task.classification else "r2"
    teacher_scores = [performance(p.y_test, p.teacher_test)[score_name] for p in pools]
    return dict(
        candidates=candidates,
        teacher=teacher_fit.teacher,
        skipped=skipped,
        rung_rows=rung_rows,
        score_name=score_name,
        teacher_score=float(np.mean(teacher_scores)),
        teacher_fit_time=teacher_fit_time,
    )


def _search(
    teacher: Estimator,
    X: Any,
    y: np.ndarray,
    budget: Budget,
    names: list[str],
    target_fidelity: float | None,
    split_args: tuple[Any, float],
    settings: steps.Settings,
    n_jobs: int | None,
    random_state: RandomStateLike,
    log: Any,
) -> dict[str, Any]:
    fields = _race(teacher, X, y, budget, names, split_args, settings, n_jobs, random_state, log)
    candidates = fields.pop("candidates")
    records = [_record(c) for c in candidates]
    finished = [i for i, r in enumerate(records) if r["status"] == "finished"]
    if not finished:
        raise ValueError(
            f"no candidate student fits the budget {budget.as_dict()}: "
            + "; ".join(f"{r['name']}: {r['status']}" for r in records[:5])
        )
    best_index = _choose(records, finished, target_fidelity)
    log(f"chosen: {records[best_index]['name']}; distilling it on all {len(y)} rows")
    start = time.perf_counter()
    best_estimator = _refit(
        fields.pop("teacher"),
        candidates[best_index].student,
        X,
        y,
        settings,
        budget,
        random_state,
        n_jobs,
    )
    refit_time = time.perf_counter() - start
    fidelity = np.array([records[i]["fidelity"] for i in finished])
    n_bytes = np.array([records[i]["n_bytes"] for i in finished], dtype=np.float64)
    return dict(
        fields,
        candidates=records,
        frontier=[finished[i] for i in pareto_frontier(fidelity, n_bytes)],
        best_index=best_index,
        best_estimator=best_estimator,
        refit_size=_refit_size(best_estimator, budget),
        budget=budget.as_dict(),
        target_fidelity=target_fidelity,
        settings=_settings_dict(settings, fields["score_name"] == "accuracy"),
        refit_time=refit_time,
    )


def _refit_size(model: Any, budget: Budget) -> dict[str, float]:
    """Sizes of the refit student; a warning when the rows added since the
    race made it outgrow the budget (bytes of trees grow with their leaves)."""
    measured = size(model.student_)
    sizes = {
        "n_bytes": float(measured["pickled_bytes"]),
        "n_leaves": np.nan if measured["n_leaves"] is None else float(measured["n_leaves"]),
        "n_parameters": (
            np.nan if measured["n_parameters"] is None else float(measured["n_parameters"])
        ),
    }
    reason = over_budget(budget, sizes)
    if reason:
        warnings.warn(
            f"the chosen student, distilled on all rows, is over the budget: {reason}",
            UserWarning,
            stacklevel=4,
        )
    return sizes


def _settings_dict(settings: steps.Settings, classification: bool) -> dict[str, Any]:
    values = {"alpha": settings.alpha, "transfer": settings.transfer}
    if classification:
        values = {"temperature": settings.temperature, **values}
    return values
