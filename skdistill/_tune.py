"""The ``"auto"`` defaults of ``temperature``, ``alpha`` and ``transfer``:
chosen on validation folds of the training rows, falling back to plain label
training, at no teacher fit beyond those of the target source.

The rule (its evidence is in ``docs/benchmarks.md``):

1. Folds. Out-of-fold targets: the first ``INNER_FOLDS`` (3) folds of the
   target source's ``cv`` (one fold when a 20% split holds
   ``MIN_VALIDATION_ROWS``), each with the fold teacher fitted without it;
   the candidates learn that teacher's outputs on the fold's training rows
   (the out-of-fold outputs there came from teachers that saw the
   validation rows). Out-of-bag, in-sample or frozen teachers: seeded,
   stratified inner folds (one 20% split from 20 000 rows) and the one
   fitted teacher, whose targets of the training rows the candidates learn.
   That teacher has seen the validation rows, which makes distilled
   candidates look better than they are (``docs/benchmarks.md`` measures
   it), so there they must pass ``MIN_GAIN_STD_ERRORS_SEEN`` (2) standard
   errors instead of one.
2. Per fold, fit one student per candidate -- labels only (``alpha=1``),
   soft targets (``alpha=0``) at temperature 1 and 2 -- then, by successive
   halving, the MUNGE transfer set of 10x the rows (at most
   ``MAX_TRANSFER_ROWS``; not for linear students, sparse or non-finite X)
   at the temperature that won without it; predict the validation part.
3. Pool the validation predictions; score by accuracy to the *true* labels
   (R² for regression). A distilled candidate is eligible only when its
   paired gain over labels-only exceeds ``MIN_GAIN_STD_ERRORS`` (1)
   standard error (two, see above); the eligible candidate with the best
   score wins (ties: higher
   fidelity to the teacher, then the cheaper candidate).
4. The caller fits the student on all rows with the winner, reusing the
   teacher and its targets.

Only parameters set to ``"auto"`` vary; numbers and generators set by the
user are kept. ``feature_budget``, ``transfer_rounds`` and ``X_unlabeled``
are not used while scoring candidates; the final fit applies them.
"""

import time
import warnings

import numpy as np
from scipy import sparse
from sklearn.base import clone
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import (
    GroupKFold,
    GroupShuffleSplit,
    KFold,
    ShuffleSplit,
    StratifiedGroupKFold,
    StratifiedKFold,
    StratifiedShuffleSplit,
)
from sklearn.utils import Bunch, _safe_indexing, check_random_state
from sklearn.utils.parallel import Parallel, delayed

from . import _fit_steps as steps
from ._fit_steps import Settings
from .transfer import Munge, _fitting

AUTO = "auto"
TUNED_PARAMS = ("temperature", "alpha", "transfer")
# What an "auto" parameter becomes when there are too few rows to tune:
# Hinton's plain distillation.
FALLBACK = {"temperature": 1.0, "alpha": 0.0, "transfer": None}
VALIDATION_FRACTION = 0.2
# Validation rows needed for one split to tell candidates apart: accuracy
# differences of a point have a standard error of about 0.5 points on 4000
# rows. Smaller data sets are split into INNER_FOLDS folds instead, so that
# every training row is validated once (on letter.p2 with 4000 rows, one
# 800-row split picked candidates that lost up to 1 point on test).
MIN_VALIDATION_ROWS = 4000
INNER_FOLDS = 3
# Below this many training rows the validation split is too small to choose
# anything; "auto" parameters take their FALLBACK values.
MIN_TUNE_ROWS = 100
# Synthetic rows per real row in the MUNGE candidates (Bucilua et al. 2006
# found the gains of MUNGE start at about 10x), capped so that students on
# large data are not fit on millions of rows; beyond the cap real data is
# plentiful and transfer rows bring little.
MUNGE_FACTOR = 10
MAX_TRANSFER_ROWS = 50_000
CANDIDATE_TEMPERATURES = (1.0, 2.0)
# A distilled candidate replaces "labels only" only when its validation gain
# exceeds this many standard errors of the paired difference (a McNemar-style
# test on the rows where the two disagree). With a plain argmax, noise on an
# 800-row validation split picked candidates that lost up to 0.5 points on
# test (letter.p2, see docs/benchmarks.md).
MIN_GAIN_STD_ERRORS = 1.0
# When the one teacher that labels the folds has seen their validation rows
# (out-of-bag, in-sample or frozen teachers), its memory of them inflates
# the distilled candidates' validation scores: on magic a boosted student
# passed one standard error (z = 1.22) and lost 0.54 points on test. Such
# candidates must pass two.
MIN_GAIN_STD_ERRORS_SEEN = 2.0


def is_auto(value):
    return isinstance(value, str) and value == AUTO


def auto_params(estimator):
    """Names of the distillation parameters set to ``"auto"`` that apply
    (``temperature`` only to classification)."""
    params = estimator.get_params(deep=False)
    names = [name for name in TUNED_PARAMS if name in params and is_auto(params[name])]
    if not estimator._is_classification():
        names = [name for name in names if name != "temperature"]
    return names


def plain_settings(estimator):
    """The ``FALLBACK`` value of each of ``estimator``'s ``"auto"``
    parameters: set on a clone, it fits plain distillation, untuned."""
    return {name: FALLBACK[name] for name in auto_params(estimator)}


def fixed_settings(params, auto):
    """The Settings of a fit from its parameters: the given values, with the
    ``FALLBACK`` value for each ``"auto"`` one (temperature 1 for regression)."""
    values = {
        name: FALLBACK[name] if name in auto else params.get(name, FALLBACK[name])
        for name in TUNED_PARAMS
    }
    return Settings(**values)


def is_linear(student):
    """Whether the student (or a Pipeline's last step) is a linear model:
    MUNGE rows never helped those in the benchmarks (a linear boundary is
    fixed by the real rows), so ``transfer="auto"`` does not try them."""
    from .students import SoftLogisticRegression

    final = student
    while hasattr(final, "steps"):
        final = final.steps[-1][1]
    return isinstance(final, SoftLogisticRegression) or type(final).__module__.startswith(
        "sklearn.linear_model"
    )


def munge_candidate(n_rows):
    """A MUNGE generator of ``MUNGE_FACTOR`` x the rows (at most
    ``MAX_TRANSFER_ROWS``), or None when the cap is below the data size."""
    if MUNGE_FACTOR * n_rows <= MAX_TRANSFER_ROWS:
        return Munge(size_factor=MUNGE_FACTOR)
    if MAX_TRANSFER_ROWS >= n_rows:
        return Munge(n_samples=MAX_TRANSFER_ROWS)
    return None


def candidate_grid(fixed, auto, n_rows, classification, generated=True, linear=False):
    """The candidates tried for the ``"auto"`` parameters: a list of dicts of
    ``temperature`` (classification), ``alpha`` and ``transfer``, cheapest
    first, duplicates removed.

    ``fixed`` (a Settings) gives the values of the parameters not in
    ``auto``; ``n_rows`` is the number of training rows; ``generated``
    says whether MUNGE can draw rows around X and ``linear`` whether the
    student is linear (then no MUNGE candidate is tried).
    """
    temperatures = CANDIDATE_TEMPERATURES if "temperature" in auto else (fixed.temperature,)
    if "transfer" in auto:
        transfers = [None]
        munge = munge_candidate(n_rows) if generated and not linear else None
        if munge is not None:
            transfers.append(munge)
    else:
        transfers = [fixed.transfer]
    grid = []
    if "alpha" in auto:
        grid.append({"alpha": 1.0, "transfer": transfers[0], "temperature": temperatures[0]})
    alpha = FALLBACK["alpha"] if "alpha" in auto else fixed.alpha
    for transfer in transfers:
        for temperature in temperatures:
            grid.append({"alpha": alpha, "transfer": transfer, "temperature": temperature})
    if not classification:
        for params in grid:
            params.pop("temperature")
    unique = []
    for params in grid:
        if params not in unique:
            unique.append(params)
    return unique


def describe(params):
    """A short readable name of a candidate, for ``tune_results_`` and tables."""
    if params.get("alpha") == 1.0 and params.get("transfer") is None:
        return "labels only"
    parts = []
    if "temperature" in params:
        parts.append(f"T={params['temperature']:g}")
    if params.get("alpha"):
        parts.append(f"alpha={params['alpha']:g}")
    transfer = params.get("transfer")
    if transfer is None:
        parts.append("no transfer")
    elif isinstance(transfer, Munge) and transfer.n_samples is not None:
        parts.append(f"Munge {transfer.n_samples} rows")
    elif isinstance(transfer, Munge):
        parts.append(f"Munge {transfer.size_factor:g}x")
    else:
        parts.append(f"transfer={transfer!r}")
    return ", ".join(parts)


def n_inner_folds(n_rows):
    """One split when its validation part alone has ``MIN_VALIDATION_ROWS``;
    otherwise ``INNER_FOLDS`` folds, so that every row is validated once."""
    return 1 if VALIDATION_FRACTION * n_rows >= MIN_VALIDATION_ROWS else INNER_FOLDS


def _splitter(folds, stratified, seed, grouped=False):
    if folds == 1:
        if grouped:
            return GroupShuffleSplit(n_splits=1, test_size=VALIDATION_FRACTION, random_state=seed)
        kind = StratifiedShuffleSplit if stratified else ShuffleSplit
        return kind(n_splits=1, test_size=VALIDATION_FRACTION, random_state=seed)
    if grouped:
        kind = StratifiedGroupKFold if stratified else GroupKFold
    else:
        kind = StratifiedKFold if stratified else KFold
    return kind(folds, shuffle=True, random_state=seed)


def inner_splits(y, classification, random_state, groups=None):
    """``(train, validation)`` index pairs: one shuffled split (20% held out)
    for large data, else ``INNER_FOLDS`` folds; stratified for
    classification when every class has enough rows; seeded. With
    ``groups``, no group is split between a fold's training and validation
    rows (at most as many folds as groups)."""
    seed = check_random_state(random_state).randint(np.iinfo(np.int32).max)
    n = len(y)
    folds = n_inner_folds(n)
    grouped = groups is not None
    if grouped:
        groups = np.asarray(groups)
        folds = min(folds, len(np.unique(groups)))
    split_args = (np.zeros(n), y) + ((groups,) if grouped else ())
    if classification:
        try:
            with warnings.catch_warnings():
                # "The least populated class has only 2 members": stratified
                # as far as possible is still what we want.
                warnings.simplefilter("ignore", UserWarning)
                return list(_splitter(folds, True, seed, grouped).split(*split_args))
        except ValueError:  # a class too rare to stratify on
            pass
    return list(_splitter(folds, False, seed, grouped).split(*split_args))


def can_tune(y, classification, groups=None):
    """Whether the training rows are enough to hold out a validation split
    (and, with ``groups``, whole groups)."""
    if len(y) < MIN_TUNE_ROWS:
        return False
    if groups is not None and len(np.unique(np.asarray(groups))) < 2:
        return False
    if classification:
        _, counts = np.unique(y, return_counts=True)
        return bool(counts.min() >= 2)
    return True


def tune_settings(
    task, teacher_fit, student, fixed, auto, *, random_state=None, log=None, groups=None
):
    """Choose the ``"auto"`` settings on validation folds, reusing the
    teacher fits that the target source made anyway.

    Parameters
    ----------
    task : skdistill._fit_steps.Task
        The validated training rows, labels, weights, classes and strategy.
    teacher_fit : skdistill._targets.TeacherFit
        The fitted teacher and its outputs on the training rows. With
        out-of-fold targets its fold teachers serve as the validation
        folds' teachers; otherwise the one teacher labels every fold.
    student : estimator
        The prepared (cloned, seeded) student; cloned for every candidate.
    fixed : skdistill._fit_steps.Settings
        The values of the parameters that are not ``"auto"``.
    auto : collection of str
        The names of the ``"auto"`` parameters.
    random_state : int, RandomState instance or None
        Seeds the folds (when the target source has none) and MUNGE.
    log : callable or None
        Called with one line per candidate and fold, and the choice.
    groups : array-like of shape (n_samples,) or None
        Group labels (routed to ``cv.split``): the inner folds made here
        keep each group on one side (the target source's folds come from
        ``cv`` with the same groups).

    Returns
    -------
    settings : skdistill._fit_steps.Settings
    results : list of dict
        One per candidate scored: ``name``, ``params``, ``score``,
        ``fidelity``, ``gain`` and ``gain_std_error`` (see :func:`choose`).
    """
    say = log or (lambda message: None)
    grid = candidate_grid(
        fixed,
        auto,
        n_rows=len(task.y),
        classification=task.classification,
        generated=can_generate(task.X),
        linear=is_linear(student),
    )
    folds = tuning_folds(task, teacher_fit, random_state, groups)
    pooled = _pooled(task, teacher_fit, folds)
    first, later = _stages(grid, auto)
    results, losses = _score_candidates(task, student, first, folds, pooled, random_state)
    if later:
        later = _pruned(later, results)
        more, more_losses = _score_candidates(task, student, later, folds, pooled, random_state)
        results, losses = results + more, losses + more_losses
    best = choose(
        results,
        losses,
        pooled.weights,
        min_std_errors=(MIN_GAIN_STD_ERRORS if teacher_fit.folds else MIN_GAIN_STD_ERRORS_SEEN),
    )
    for result in results:
        say(
            f"auto candidate {result.name}: validation score {result.score:.4f}, gain "
            f"{result.gain:+.4f} (std error {result.gain_std_error:.4f})"
        )
    settings = Settings(**{**fixed.__dict__, **best.params})
    say(f"auto settings: {describe(best.params)}")
    # Plain dicts: a fitted attribute that skops loads without extra trust.
    return settings, [dict(result) for result in results]


def tuning_folds(task, teacher_fit, random_state, groups=None):
    """The validation folds, each made once for every candidate: a Bunch of
    ``task`` (the fold's training part), ``valid`` (its validation row
    indices), ``X_valid``, ``teacher`` (it labels the fold's transfer rows)
    and ``outputs`` (its targets' source on the training part).

    Out-of-fold targets: the folds of the target source (at most as many as
    :func:`n_inner_folds` allows), each with the teacher fitted without its
    validation rows, whose outputs on the fold's training rows are the
    candidates' targets: the out-of-fold outputs there came from teachers
    that saw the validation rows, and students trained on them scored too
    well on validation (537_houses, depth-6 tree: chosen at -0.80 R² points
    on test). Otherwise seeded inner splits, all with the one teacher and
    its targets of the training rows (group-aware with ``groups``).
    """
    n_folds = n_inner_folds(len(task.y))
    if teacher_fit.folds:
        pairs = zip(teacher_fit.folds[:n_folds], teacher_fit.fold_teachers)
        return [_fold(task, train, valid, teacher) for (train, valid), teacher in pairs]
    splits = inner_splits(task.y, task.classification, random_state, groups)
    return [
        _fold(task, train, valid, teacher_fit.teacher, teacher_fit.outputs[train])
        for train, valid in splits
    ]


def _fold(task, train, valid, teacher, outputs=None):
    """One validation fold; ``outputs=None``: the fold teacher's own outputs
    on the training part."""
    sub = _sub_task(task, train)
    if outputs is None:
        outputs = steps.teacher_outputs_on(task, teacher, sub.X)
    return Bunch(
        task=sub,
        valid=valid,
        X_valid=_safe_indexing(task.X, valid),
        teacher=teacher,
        outputs=outputs,
    )


def _stages(grid, auto):
    """Candidates scored first, and the generated-transfer candidates scored
    after them (only when ``transfer`` is "auto")."""
    if "transfer" not in auto:
        return grid, []
    first = [p for p in grid if p["transfer"] is None]
    return first, [p for p in grid if p["transfer"] is not None]


def _pruned(later, results):
    """Successive halving over temperatures: a generated transfer set is
    scored only at the temperature that won without it (soft candidates,
    by score then fidelity); the MUNGE students are the costly ones."""
    soft = [r for r in results if r.params.get("alpha") != 1.0]
    if not soft or "temperature" not in later[0]:
        return later
    best = max(soft, key=lambda r: (r.score, r.fidelity))
    kept = [p for p in later if p["temperature"] == best.params["temperature"]]
    return kept or later


def _score_candidates(task, student, grid, folds, pooled, random_state):
    """Fit one student per candidate and fold; score the pooled validation
    rows: ``(results, per-row losses)``."""
    fold_results = Parallel(n_jobs=task.n_jobs)(
        delayed(_fold_predictions)(fold, student, grid, random_state, i, len(folds))
        for i, fold in enumerate(folds)
    )
    results, losses = [], []
    for k, params in enumerate(grid):
        pred = np.concatenate([predictions[k] for predictions in fold_results])
        result, loss = _scored(task, params, pred, pooled)
        results.append(result)
        losses.append(loss)
    return results, losses


def _pooled(task, teacher_fit, folds):
    """The validation rows of all folds: labels, weights, teacher outputs."""
    valid = np.concatenate([fold.valid for fold in folds])
    return Bunch(
        y=task.y[valid],
        weights=None if task.sample_weight is None else task.sample_weight[valid],
        teacher=teacher_fit.outputs[valid],
    )


def _scored(task, params, pred, pooled):
    """``(result, per-row loss)`` of one candidate's pooled predictions."""
    if task.classification:
        score = accuracy_score(pooled.y, pred, sample_weight=pooled.weights)
        fidelity = float(np.mean(pred == task.classes[pooled.teacher.argmax(axis=1)]))
        loss = (pred != pooled.y).astype(np.float64)
    else:
        score = r2_score(pooled.y, pred, sample_weight=pooled.weights)
        fidelity = float(r2_score(pooled.teacher.reshape(np.shape(pred)), pred))
        loss = np.reshape((pred - pooled.y) ** 2, (len(pooled.y), -1)).mean(axis=1)
    result = Bunch(name=describe(params), params=params, score=float(score), fidelity=fidelity)
    return result, loss


def _fold_predictions(fold, student, grid, random_state, index, n_folds):
    """Each candidate's student, fitted on the fold's training rows (the
    teacher's targets there, plus transfer rows the fold's teacher labels),
    predicting the fold's validation rows."""
    sub = fold.task
    transfer_cache = {}
    predictions = []
    for params in grid:
        start = time.perf_counter()
        settings = Settings(**params)
        targets = steps.training_targets(sub, fold.outputs, settings)
        X_transfer, transfer_targets = _candidate_transfer(
            sub, fold.teacher, settings, random_state, transfer_cache
        )
        rows = steps.stack_rows(sub.X, targets, sub.sample_weight, X_transfer, transfer_targets)
        fitted = steps.fit_student(sub, clone(student), *rows, teacher=fold.teacher)
        predictions.append(steps.student_predictions(sub, fitted, fold.X_valid))
        if sub.verbose:
            print(
                f"[auto] fold {index + 1}/{n_folds}: {describe(params)} "
                f"({time.perf_counter() - start:.2f}s)",
                flush=True,
            )
    return predictions


def _sub_task(task, rows):
    """The task restricted to some training rows (for one fold)."""
    return steps.Task(
        X=_fitting.as_rows_container(_safe_indexing(task.X, rows)),
        y=task.y[rows],
        sample_weight=None if task.sample_weight is None else task.sample_weight[rows],
        classes=task.classes,
        y_idx=None if task.y_idx is None else task.y_idx[rows],
        strategy=task.strategy,
        batch_size=task.batch_size,
        n_jobs=None,
        verbose=task.verbose,
    )


def _candidate_transfer(sub, teacher, settings, random_state, cache):
    """The fold's transfer rows for a candidate and the teacher's targets on
    them; rows and raw teacher outputs are made once per fold and transfer
    value, and only re-tempered for other temperatures."""
    if settings.transfer is None:
        return None, None
    key = id(settings.transfer)
    if key not in cache:
        rng = check_random_state(random_state)
        generators, arrays, _ = steps.transfer_components(
            settings.transfer, rng, random_state is not None
        )
        X_transfer = steps.transfer_rows(sub.X, generators, arrays)
        outputs = (
            None if X_transfer is None else steps.teacher_outputs_on(sub, teacher, X_transfer)
        )
        cache[key] = (X_transfer, outputs)
    X_transfer, outputs = cache[key]
    if X_transfer is None:
        return None, None
    return X_transfer, steps.rows_targets(sub, outputs, settings.temperature)


def can_generate(X):
    """Whether MUNGE can draw rows around X: dense, numeric and finite (it
    raises on anything else; ``"auto"`` then simply does not try it)."""
    if sparse.issparse(X):
        return False
    try:
        values = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return bool(np.isfinite(values).all())


def paired_gain(loss_base, loss_other, weights=None):
    """Mean per-row loss reduction of ``other`` over ``base`` on the
    validation rows and its standard error (paired: both are scored on the
    same rows, so only the rows where they differ count)."""
    diff = np.asarray(loss_base, dtype=np.float64) - np.asarray(loss_other, dtype=np.float64)
    w = np.ones_like(diff) if weights is None else np.asarray(weights, dtype=np.float64)
    total = w.sum()
    if total <= 0:
        return 0.0, 0.0
    mean = float(np.sum(w * diff) / total)
    # The effective number of rows of weighted data (Kish) sets the error.
    n_eff = total**2 / np.sum(w**2)
    variance = float(np.sum(w * (diff - mean) ** 2) / total)
    return mean, float(np.sqrt(variance / max(n_eff - 1.0, 1.0)))


def choose(results, losses, weights=None, min_std_errors=MIN_GAIN_STD_ERRORS):
    """The winning candidate: the best validation score among the candidates
    whose gain over "labels only" (when it is in the grid) exceeds
    ``min_std_errors`` standard errors; ties go to the higher fidelity,
    then to the cheaper candidate. Records ``gain`` and ``gain_std_error``
    on each result."""
    base = next((i for i, r in enumerate(results) if r.name == "labels only"), None)
    eligible = []
    for i, result in enumerate(results):
        if base is None or i == base:
            result.gain, result.gain_std_error = 0.0, 0.0
            eligible.append(result)
            continue
        gain, error = paired_gain(losses[base], losses[i], weights)
        result.gain, result.gain_std_error = gain, error
        if gain > min_std_errors * error and gain > 0:
            eligible.append(result)
    # max() keeps the first of equal keys: the cheaper candidate.
    return max(eligible, key=lambda r: (r.score, r.fidelity))
