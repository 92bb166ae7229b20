"""Successive halving over student candidates, on targets computed once.

Every candidate learns the same teacher targets (computed once per split
by :mod:`skdistill.search`) through the steps of one distilled fit
(:func:`skdistill._fit_steps.fit_student`), and is measured on the held-out
rows with the one measurement (:mod:`skdistill._measure`). A rung fits the
live candidates on the first rows of a fixed shuffle of the training pool;
the most faithful third, plus the best of each family (so that every
family reaches the last rung and the frontier covers it), go on to three
times as many rows; the last rung uses the whole pool.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from sklearn.base import clone
from sklearn.utils import Bunch, _safe_indexing
from sklearn.utils.parallel import Parallel, delayed

from . import _fit_steps as steps
from . import _strategies
from ._measure import fidelity, performance, size
from ._model_size import latency_rows, predict_ms_per_1k
from ._search_budget import Budget, over_budget
from ._targets import untempered_proba

# Successive halving: each rung gives the survivors ETA times the rows.
ETA = 3
# The first rung fits on at least this many rows (or the whole pool): on
# fewer, fidelities differ by noise more than by student.
MIN_ROWS = 1000
LATENCY_REPEATS = 3


@dataclass
class Pool:
    """The rows of one split: candidates train on ``X``/``targets`` (training
    rows, then transfer rows) in the order ``order``, and are measured on
    ``X_test`` against the teacher's outputs there (``teacher_test``)."""

    X: Any
    targets: np.ndarray
    order: np.ndarray
    X_test: Any
    y_test: np.ndarray
    teacher_test: Bunch

    @property
    def n_rows(self) -> int:
        return len(self.order)


@dataclass
class Candidate:
    """One student to race, and what the race learnt about it."""

    family: str
    params: dict[str, Any]
    student: Any
    name: str
    rung: int = -1
    n_rows: int = 0
    results: dict[str, float] = field(default_factory=dict)
    status: str = "not fitted"


def rung_sizes(n_rows: int, n_candidates: int) -> list[int]:
    """Rows per rung, growing by ``ETA`` up to ``n_rows``; as many rungs as
    thinning ``n_candidates`` by ``ETA`` would need and ``MIN_ROWS`` allows."""
    by_candidates = 1 + math.ceil(math.log(max(n_candidates, 1), ETA))
    by_rows = 1 + int(math.floor(math.log(max(n_rows / MIN_ROWS, 1.0), ETA)))
    n_rungs = max(1, min(by_candidates, by_rows))
    return [max(1, n_rows // ETA ** (n_rungs - 1 - r)) for r in range(n_rungs)]


def _student_outputs(
    task: steps.Task, student: Any, X: Any, features: Any, temperature: float
) -> Bunch:
    """What the fitted student says about X, as :func:`_measure.model_outputs`
    would say it of the deployed distilled model (probabilities taken back to
    temperature 1)."""
    if not task.classification:
        pred = steps.student_predictions(task, student, X, features)
        return Bunch(pred=pred, classes=None, proba=None, scores=None)
    pred = steps.student_predictions(task, student, X, features)
    proba = None
    if _strategies.accepts_soft_targets(student) or hasattr(student, "predict_proba"):
        proba = steps.student_outputs(task.strategy, student, task.classes, features, True, X)
        proba = untempered_proba(proba, temperature)
    return Bunch(pred=pred, classes=task.classes, proba=proba, scores=proba)


def score_candidate(
    task: steps.Task,
    student: Any,
    pool: Pool,
    n_rows: int,
    features: Any,
    temperature: float,
    with_latency: bool,
) -> dict[str, float]:
    """Fit ``student`` on the first ``n_rows`` of the pool and measure it on
    the pool's held-out rows (module-level so that workers can unpickle it)."""
    rows = pool.order[:n_rows]
    start = time.perf_counter()
    fitted = steps.fit_student(
        task, clone(student), _safe_indexing(pool.X, rows), pool.targets[rows], None, features
    )
    fit_time = time.perf_counter() - start
    outputs = _student_outputs(task, fitted, pool.X_test, features, temperature)
    agreement = fidelity(pool.teacher_test, outputs)
    measured = size(fitted)
    result = {
        "fidelity": agreement["fidelity" if task.classification else "fidelity_r2"],
        "score": performance(pool.y_test, outputs)["accuracy" if task.classification else "r2"],
        "kl_divergence": agreement.get("kl_divergence", np.nan),
        "n_bytes": measured["pickled_bytes"],
        "fit_seconds": fit_time,
        "predict_ms_per_1k": np.nan,
    }
    for name in ("n_parameters", "n_nodes", "n_leaves"):
        result[name] = np.nan if measured[name] is None else measured[name]
    if with_latency:
        result["predict_ms_per_1k"] = predict_ms_per_1k(
            lambda X: steps.student_predictions(task, fitted, X, features),
            latency_rows(pool.X_test),
            LATENCY_REPEATS,
        )
    return result


def _task_for(task: steps.Task, student: Any) -> steps.Task:
    if not task.classification:
        return task
    return replace(task, strategy=_strategies.resolve_student_fit(student, "auto"))


def _mean_results(split_results: list[dict[str, float]]) -> dict[str, float]:
    names = split_results[0]
    with np.errstate(all="ignore"):
        return {
            name: float(np.nanmean([r[name] for r in split_results]))
            if not all(np.isnan(r[name]) for r in split_results)
            else np.nan
            for name in names
        }


@dataclass
class RaceContext:
    """What every rung needs: the task, the pools (one per split), the
    student's features, the training temperature and the budget."""

    task: steps.Task
    pools: list[Pool]
    features: Any
    temperature: float
    budget: Budget
    n_jobs: int | None
    log: Any


def _run_rung(
    context: RaceContext, live: list[Candidate], rung: int, n_rows: int, last: bool
) -> None:
    """Fit and measure the live candidates on ``n_rows`` rows of every pool."""
    with_latency = last or context.budget.max_predict_ms_per_1k is not None
    jobs = [
        delayed(score_candidate)(
            _task_for(context.task, candidate.student),
            candidate.student,
            pool,
            min(n_rows, pool.n_rows),
            context.features,
            context.temperature,
            with_latency,
        )
        for candidate in live
        for pool in context.pools
    ]
    results = Parallel(n_jobs=context.n_jobs)(jobs)
    n_pools = len(context.pools)
    for i, candidate in enumerate(live):
        candidate.rung, candidate.n_rows = rung, n_rows
        candidate.results = _mean_results(results[i * n_pools : (i + 1) * n_pools])
        reason = over_budget(context.budget, candidate.results)
        candidate.status = f"over budget: {reason}" if reason else "fitted"
        context.log(
            f"  {candidate.name:<40} fidelity {candidate.results['fidelity']:.4f}  "
            f"{candidate.results['n_bytes']:>9,.0f} bytes"
            + (f"  ({candidate.status})" if reason else "")
        )


def _survivors(live: list[Candidate], rung: int) -> list[Candidate]:
    """Per family, the most faithful in-budget candidate and every larger
    point of its ladder; the smaller ones are marked eliminated.

    A larger student gains more from more rows than a smaller one (a
    64-leaf tree overfits 300 rows, not 3000), so a subsample can only
    say which sizes are too small: ranking sizes, or families, by their
    fidelity on a third of the rows eliminated the students that win on
    all of them in the benchmark (letter.p1: the 64-leaf tree).
    """
    keep: list[Candidate] = []
    for family in dict.fromkeys(c.family for c in live):
        own = [c for c in live if c.family == family]  # ladder order: smallest first
        fitted = [c for c in own if c.status == "fitted"]
        if not fitted:
            continue
        best = max(fitted, key=lambda c: (c.results["fidelity"], -c.results["n_bytes"]))
        larger = fitted[fitted.index(best) :]
        keep += larger
        for candidate in fitted:
            if candidate not in larger:
                candidate.status = f"eliminated at rung {rung + 1}"
    return keep


def race(context: RaceContext, candidates: list[Candidate]) -> list[int]:
    """Run successive halving; returns the rows of each rung. Each
    candidate's ``status`` ends as ``"finished"`` (measured on the whole
    pool), ``"eliminated at rung k"`` or ``"over budget: ..."``."""
    sizes = rung_sizes(min(pool.n_rows for pool in context.pools), len(candidates))
    live = list(candidates)
    for rung, n_rows in enumerate(sizes):
        last = rung == len(sizes) - 1
        context.log(
            f"rung {rung + 1}/{len(sizes)}: {len(live)} candidates on {n_rows} rows"
            f" x {len(context.pools)} split(s)"
        )
        _run_rung(context, live, rung, n_rows, last)
        if last:
            break
        live = _survivors(live, rung)
    for candidate in live:
        if candidate.status == "fitted":
            candidate.status = "finished"
    return sizes
