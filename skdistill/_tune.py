"""The ``"auto"`` defaults of ``temperature``, ``alpha`` and ``transfer``:
chosen on inner validation folds of the training rows, falling back to plain
label training.

The rule (its evidence is in ``docs/benchmarks.md``):

1. Split the training rows: ``INNER_FOLDS`` (3) stratified folds when a 20%
   split would hold fewer than ``MIN_VALIDATION_ROWS`` rows (so every row is
   validated once), else one 20% split. Seeded by ``random_state``.
2. Per fold, fit the teacher on the training part, with the estimator's own
   target source (out-of-bag, out-of-fold or in-sample).
3. Fit one student per candidate -- labels only (``alpha=1``), soft targets
   (``alpha=0``) at temperature 1 and 2, and the same with a MUNGE transfer
   set of 10x the rows (at most ``MAX_TRANSFER_ROWS``; not for linear
   students, sparse or non-finite X) -- and predict the validation part.
4. Pool the validation predictions; score by accuracy to the *true* labels
   (R² for regression). A distilled candidate is eligible only when its
   paired gain over labels-only exceeds ``MIN_GAIN_STD_ERRORS`` standard
   errors; the eligible candidate with the best score wins (ties: higher
   fidelity to the teacher, then the cheaper candidate).
5. Refit on all training rows with the winner.

Only parameters set to ``"auto"`` vary; numbers and generators set by the
user are kept. ``feature_budget``, ``transfer_rounds`` and ``X_unlabeled``
are not used while scoring candidates; the final fit applies them.
"""

import warnings

import numpy as np
from scipy import sparse
from sklearn.base import clone
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import (
    KFold,
    ShuffleSplit,
    StratifiedKFold,
    StratifiedShuffleSplit,
)
from sklearn.utils import Bunch, _safe_indexing, check_random_state
from sklearn.utils.parallel import Parallel, delayed

from . import _strategies, _targets
from ._utils import fit_estimator
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


def is_linear(student):
    """Whether the student (or a Pipeline's last step) is a linear model:
    MUNGE rows never helped those in the benchmarks (a linear boundary is
    fixed by the real rows), so ``transfer="auto"`` does not try them."""
    from .students import SoftLogisticRegression

    final = student
    while hasattr(final, "steps"):
        final = final.steps[-1][1]
    return isinstance(final, SoftLogisticRegression) or type(final).__module__.startswith(
        "sklearn.linear_model")


def munge_candidate(n_rows):
    """A MUNGE generator of ``MUNGE_FACTOR`` x the rows (at most
    ``MAX_TRANSFER_ROWS``), or None when the cap is below the data size."""
    if MUNGE_FACTOR * n_rows <= MAX_TRANSFER_ROWS:
        return Munge(size_factor=MUNGE_FACTOR)
    if MAX_TRANSFER_ROWS >= n_rows:
        return Munge(n_samples=MAX_TRANSFER_ROWS)
    return None


def candidate_grid(estimator, n_rows, classification, generated=True):
    """The candidates tried for the ``"auto"`` parameters: a list of dicts of
    ``temperature`` (classification), ``alpha`` and ``transfer``, cheapest
    first, duplicates removed; parameters not set to ``"auto"`` keep their
    value. ``n_rows`` is the number of training rows."""
    auto = set(auto_params(estimator))
    temperatures = (CANDIDATE_TEMPERATURES if "temperature" in auto
                    else (getattr(estimator, "temperature", 1.0),))
    if "transfer" in auto:
        transfers = [None]
        munge = munge_candidate(n_rows) if generated and not is_linear(
            estimator.student) else None
        if munge is not None:
            transfers.append(munge)
    else:
        transfers = [estimator.transfer]
    grid = []
    if "alpha" in auto:
        grid.append({"alpha": 1.0, "transfer": transfers[0], "temperature": temperatures[0]})
    alpha = FALLBACK["alpha"] if "alpha" in auto else estimator.alpha
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


def _splitter(folds, stratified, seed):
    if folds == 1:
        kind = StratifiedShuffleSplit if stratified else ShuffleSplit
        return kind(n_splits=1, test_size=VALIDATION_FRACTION, random_state=seed)
    kind = StratifiedKFold if stratified else KFold
    return kind(folds, shuffle=True, random_state=seed)


def inner_splits(y, classification, random_state):
    """``(train, validation)`` index pairs: one shuffled split (20% held out)
    for large data, else ``INNER_FOLDS`` folds; stratified for
    classification when every class has enough rows; seeded."""
    seed = check_random_state(random_state).randint(np.iinfo(np.int32).max)
    n = len(y)
    folds = n_inner_folds(n)
    if classification:
        try:
            with warnings.catch_warnings():
                # "The least populated class has only 2 members": stratified
                # as far as possible is still what we want.
                warnings.simplefilter("ignore", UserWarning)
                return list(_splitter(folds, True, seed).split(np.zeros(n), y))
        except ValueError:  # a class too rare to stratify on
            pass
    return list(_splitter(folds, False, seed).split(np.zeros(n)))


def can_tune(y, classification):
    """Whether the training rows are enough to hold out a validation split."""
    if len(y) < MIN_TUNE_ROWS:
        return False
    if classification:
        _, counts = np.unique(y, return_counts=True)
        return bool(counts.min() >= 2)
    return True


def tune_parameters(estimator, X, y, sample_weight, classes=None):
    """Score the candidates of :func:`candidate_grid` on the inner splits.

    Parameters
    ----------
    estimator : DistilledClassifier or DistilledRegressor (or Estimator)
        Its parameters give the teacher, student, target source and the
        fixed parameters; it is not modified.
    X : indexable rows (validated)
    y : ndarray, validated labels or values
    sample_weight : ndarray or None
    classes : ndarray or None
        Sorted classes of the full training set (classification).

    Returns
    -------
    best : dict
        The winning parameters (``temperature``, ``alpha``, ``transfer``).
    results : list of Bunch
        One per candidate: ``name``, ``params``, ``score`` (accuracy or R²
        on the pooled validation rows), ``fidelity`` (agreement with the
        inner teachers there; R² to their predictions for regression),
        ``gain`` and ``gain_std_error`` (see :func:`choose`).
    """
    classification = classes is not None
    grid = candidate_grid(estimator, len(y), classification, can_generate(X))
    predictions = [[] for _ in grid]
    valid_rows, teacher_rows = [], []
    splits = inner_splits(y, classification, estimator.random_state)
    # Folds are independent and seeded alike, so running them in parallel
    # (n_jobs) gives the same choice as running them in turn.
    folds = Parallel(n_jobs=estimator.n_jobs)(
        delayed(_score_fold)(estimator, grid, X, y, sample_weight, classes, train, valid)
        for train, valid in splits)
    for (_, valid), (teacher_valid, fold_predictions) in zip(splits, folds):
        valid_rows.append(valid)
        teacher_rows.append(teacher_valid)
        for store, pred in zip(predictions, fold_predictions):
            store.append(pred)
    valid = np.concatenate(valid_rows)
    y_val = y[valid]
    w_val = None if sample_weight is None else sample_weight[valid]
    teacher_val = np.concatenate(teacher_rows)
    results, losses = [], []
    for params, parts in zip(grid, predictions):
        pred = np.concatenate(parts)
        if classification:
            score = accuracy_score(y_val, pred, sample_weight=w_val)
            fidelity = float(np.mean(pred == classes[teacher_val.argmax(axis=1)]))
            loss = (pred != y_val).astype(np.float64)
        else:
            score = r2_score(y_val, pred, sample_weight=w_val)
            fidelity = float(r2_score(teacher_val.reshape(np.shape(pred)), pred))
            loss = np.reshape((pred - y_val) ** 2, (len(y_val), -1)).mean(axis=1)
        results.append(Bunch(name=describe(params), params=params, score=float(score),
                             fidelity=fidelity))
        losses.append(loss)
    best = choose(results, losses, w_val)
    return dict(best.params), results


def _score_fold(estimator, grid, X, y, sample_weight, classes, train, valid):
    """Fit the teacher on ``train`` and one student per candidate; return the
    teacher's outputs and each student's predictions on ``valid``."""
    classification = classes is not None
    X_tr = _fitting.as_rows_container(_safe_indexing(X, train))
    X_val = _safe_indexing(X, valid)
    y_tr = y[train]
    w_tr = None if sample_weight is None else sample_weight[train]
    rng = check_random_state(estimator.random_state)
    teacher, student = estimator._prepare_estimators(rng, sample_weight)
    source = _targets.resolve_source(teacher, estimator.teacher_targets)
    teacher_, outputs = _targets.fit_teacher_and_outputs(
        teacher, X_tr, y_tr, source=source, classes=classes, sample_weight=w_tr,
        cv=estimator.cv, n_jobs=estimator.n_jobs,
    )
    teacher_val = _targets.teacher_outputs(teacher_, X_val, classes)
    strategy = (_strategies.resolve_student_fit(student, estimator.student_fit)
                if classification else None)
    y_idx = np.searchsorted(classes, y_tr) if classification else None
    from ._distill import _stack_rows

    predictions = []
    for params in grid:
        if classification:
            targets = _targets.soft_targets(outputs, y_idx, temperature=params["temperature"],
                                            alpha=params["alpha"])
        else:
            targets = _targets.regression_targets(outputs, y_tr, alpha=params["alpha"])
        X_transfer = _candidate_transfer_rows(params["transfer"], X_tr, estimator.random_state)
        transfer_targets = None
        if X_transfer is not None:
            transfer_out = _targets.teacher_outputs(teacher_, X_transfer, classes)
            if classification:
                transfer_targets = _targets.softmax(transfer_out, params["temperature"])
            else:
                transfer_targets = transfer_out.reshape((-1,) + np.shape(y_tr)[1:])
        X_rows, targets, weights = _stack_rows(X_tr, targets, w_tr, X_transfer,
                                               transfer_targets)
        fitted = clone(student)
        if classification:
            fitted = _strategies.fit_student(strategy, fitted, X_rows, targets, classes,
                                             weights)
            predictions.append(_strategies.student_predict(strategy, fitted, X_val, classes))
        else:
            fitted = fit_estimator(fitted, X_rows, targets, weights)
            predictions.append(np.asarray(fitted.predict(X_val), dtype=np.float64))
    return teacher_val, predictions


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


def choose(results, losses, weights=None):
    """The winning candidate: the best validation score among the candidates
    whose gain over "labels only" (when it is in the grid) exceeds
    ``MIN_GAIN_STD_ERRORS`` standard errors; ties go to the higher fidelity,
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
        if gain > MIN_GAIN_STD_ERRORS * error and gain > 0:
            eligible.append(result)
    # max() keeps the first of equal keys: the cheaper candidate.
    return max(eligible, key=lambda r: (r.score, r.fidelity))


def _candidate_transfer_rows(transfer, X_tr, random_state):
    if transfer is None:
        return None
    generators, arrays, _ = _fitting.split_transfer(transfer)
    rng = check_random_state(random_state)
    generators, _ = _fitting.seeded_clones(generators, None, rng, random_state is not None)
    return _fitting.transfer_rows(X_tr, generators, arrays, None)


def fit_tuned(estimator, X, y, sample_weight=None, X_unlabeled=None):
    """Fit ``estimator`` whose ``"auto"`` parameters are chosen on an inner
    split: fit a clone with the winning values on all rows (the fallback
    values with too few rows), and copy its fitted attributes onto
    ``estimator`` together with ``tuned_params_`` and ``tune_results_``."""
    from sklearn.utils.validation import validate_data

    from ._distill import _check_sample_weight, _indexable_X

    # The caller (fit) has checked the parameters.
    classification = estimator._is_classification()
    X_checked, y_checked = validate_data(estimator, X, y, skip_check_array=True)
    X_checked = _indexable_X(X_checked)
    y_checked = estimator._check_y(y_checked, classification)
    weights = _check_sample_weight(sample_weight, len(y_checked))
    results = []
    if can_tune(y_checked, classification) and (y_checked.ndim == 1 or not classification):
        classes = None
        if classification:
            classes, _ = estimator._encode_labels(y_checked, clone(estimator.teacher))
        best, results = tune_parameters(estimator, X_checked, y_checked, weights, classes)
        auto = auto_params(estimator)
        best = {name: value for name, value in best.items() if name in auto}
        for result in results:
            estimator._log(f"auto candidate {result.name}: validation score "
                           f"{result.score:.4f}, gain {result.gain:+.4f} "
                           f"(std error {result.gain_std_error:.4f})")
        estimator._log(f"auto settings: {describe(best)}")
    else:
        best = plain_settings(estimator)
        estimator._log(f"too few rows to tune; auto settings: {describe(best)}")
    final = clone(estimator).set_params(**best)
    final.fit(X, y, sample_weight=sample_weight, X_unlabeled=X_unlabeled)
    for key in [k for k in vars(estimator) if k.endswith("_") and not k.startswith("_")]:
        del estimator.__dict__[key]
    for key, value in vars(final).items():
        if key.endswith("_") and not key.startswith("__"):
            setattr(estimator, key, value)
    estimator.tuned_params_ = best
    estimator.tune_results_ = results
    return estimator
