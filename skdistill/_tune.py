"""``tune="auto"``: choose temperature, alpha and the transfer set on an inner
validation split of the training rows, falling back to plain label training.

The rule (its evidence is in ``docs/benchmarks.md``):

1. Hold out ``VALIDATION_FRACTION`` of the training rows (stratified for
   classification, seeded by ``random_state``).
2. Fit the teacher once on the remaining rows, with the estimator's own
   target source (out-of-bag, out-of-fold or in-sample).
3. Fit one student per candidate of a small grid -- labels only
   (``alpha=1``), soft targets at temperature 1 and 2, and the same with a
   MUNGE transfer set of 10x the rows (at most ``MAX_TRANSFER_ROWS``) -- and
   score it on the held-out rows: accuracy to the *true* labels
   (classification) or R² (regression). Ties go to the higher fidelity to
   the teacher, then to the cheaper candidate (earlier in the grid, labels
   first).
4. Refit on all training rows with the winner.

Parameters the user set away from their defaults (``temperature != 1``,
``alpha != 0``, ``transfer is not None``) are kept fixed: the grid only varies
the ones left at their defaults. ``feature_budget``, ``transfer_rounds`` and
``X_unlabeled`` are not used while scoring candidates; the final fit applies
them.
"""

import numpy as np
from scipy import sparse
from sklearn.base import clone
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import ShuffleSplit, StratifiedShuffleSplit
from sklearn.utils import Bunch, _safe_indexing, check_random_state

from . import _strategies, _targets
from ._labeling import concatenate_rows, n_rows_of
from ._utils import fit_estimator
from .transfer import Munge
from .transfer import _fitting

TUNE_OPTIONS = (None, "auto")
VALIDATION_FRACTION = 0.2
# Below this many training rows the validation split is too small to choose
# anything; the parameters are used as given.
MIN_TUNE_ROWS = 100
# Synthetic rows per real row in the MUNGE candidates (Bucilua et al. 2006
# found the gains of MUNGE start at about 10x), capped so that students on
# large data are not fit on millions of rows; beyond the cap real data is
# plentiful and transfer rows bring little.
MUNGE_FACTOR = 10
MAX_TRANSFER_ROWS = 50_000
CANDIDATE_TEMPERATURES = (1.0, 2.0)


def candidate_grid(estimator, n_train, classification, generated=True):
    """The candidates tried by ``tune="auto"``: a list of dicts of
    ``temperature`` (classification), ``alpha`` and ``transfer``, cheapest
    first, duplicates removed, user-set parameters kept fixed."""
    default_transfer = getattr(estimator, "transfer", None) is None
    default_alpha = estimator.alpha == 0.0
    temperatures = (
        CANDIDATE_TEMPERATURES if classification and estimator.temperature == 1.0
        else ((estimator.temperature,) if classification else (None,))
    )
    transfers = [estimator.transfer]
    if default_transfer and generated:
        n_munge = min(MUNGE_FACTOR * n_train, MAX_TRANSFER_ROWS)
        if n_munge >= n_train:
            transfers.append(Munge(n_samples=int(n_munge)))
    grid = []
    if default_alpha:
        grid.append({"alpha": 1.0, "transfer": None, "temperature": temperatures[0]})
    for transfer in transfers:
        for temperature in temperatures:
            grid.append({"alpha": estimator.alpha, "transfer": transfer,
                         "temperature": temperature})
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
    if params.get("alpha") == 1.0:
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
    else:
        parts.append(f"transfer={transfer!r}")
    return ", ".join(parts)


def inner_split(y, classification, random_state):
    """Indices ``(train, validation)`` of the inner split."""
    seed = check_random_state(random_state).randint(np.iinfo(np.int32).max)
    n = len(y)
    if classification:
        try:
            splitter = StratifiedShuffleSplit(n_splits=1, test_size=VALIDATION_FRACTION,
                                              random_state=seed)
            return next(splitter.split(np.zeros(n), y))
        except ValueError:  # a class too rare to stratify on
            pass
    splitter = ShuffleSplit(n_splits=1, test_size=VALIDATION_FRACTION, random_state=seed)
    return next(splitter.split(np.zeros(n)))


def can_tune(y, classification):
    """Whether the training rows are enough to hold out a validation split."""
    if len(y) < MIN_TUNE_ROWS:
        return False
    if classification:
        _, counts = np.unique(y, return_counts=True)
        return bool(counts.min() >= 2)
    return True


def tune_parameters(estimator, X, y, sample_weight, classes=None):
    """Score the candidates of :func:`candidate_grid` on an inner split.

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
        One per candidate: ``name``, ``params``, ``score`` (validation
        accuracy or R²), ``fidelity`` (agreement with the inner teacher on
        the validation rows; R² to its predictions for regression).
    """
    classification = classes is not None
    train, valid = inner_split(y, classification, estimator.random_state)
    X_tr, X_val = _safe_indexing(X, train), _safe_indexing(X, valid)
    y_tr, y_val = y[train], y[valid]
    w_tr = None if sample_weight is None else sample_weight[train]
    w_val = None if sample_weight is None else sample_weight[valid]
    X_tr = _fitting.as_rows_container(X_tr)

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

    generated = not sparse.issparse(X_tr)
    results = []
    for params in candidate_grid(estimator, len(train), classification, generated):
        X_rows, targets, weights = X_tr, None, w_tr
        if classification:
            targets = _targets.soft_targets(outputs, y_idx, temperature=params["temperature"],
                                            alpha=params["alpha"])
        else:
            targets = _targets.regression_targets(outputs, y_tr, alpha=params["alpha"])
        X_transfer = _candidate_transfer_rows(params["transfer"], X_tr, estimator.random_state)
        if X_transfer is not None:
            transfer_out = _targets.teacher_outputs(teacher_, X_transfer, classes)
            if classification:
                transfer_targets = _targets.softmax(transfer_out, params["temperature"])
            else:
                transfer_targets = transfer_out.reshape((-1,) + np.shape(y_tr)[1:])
            X_rows = concatenate_rows([X_tr, X_transfer])
            targets = np.concatenate([targets, transfer_targets])
            if weights is not None:
                weights = np.concatenate([weights, np.ones(n_rows_of(X_transfer))])
        fitted = clone(student)
        if classification:
            fitted = _strategies.fit_student(strategy, fitted, X_rows, targets, classes,
                                             weights)
            pred = _strategies.student_predict(strategy, fitted, X_val, classes)
            score = accuracy_score(y_val, pred, sample_weight=w_val)
            fidelity = float(np.mean(pred == classes[teacher_val.argmax(axis=1)]))
        else:
            fitted = fit_estimator(fitted, X_rows, targets, weights)
            pred = fitted.predict(X_val)
            score = r2_score(y_val, pred, sample_weight=w_val)
            fidelity = float(r2_score(teacher_val.reshape(np.shape(pred)), pred))
        results.append(Bunch(name=describe(params), params=params, score=float(score),
                             fidelity=fidelity))
    # max() keeps the first of equal keys: the cheaper candidate.
    best = max(results, key=lambda r: (r.score, r.fidelity))
    return dict(best.params), results


def _candidate_transfer_rows(transfer, X_tr, random_state):
    if transfer is None:
        return None
    generators, arrays, _ = _fitting.split_transfer(transfer)
    rng = check_random_state(random_state)
    generators, _ = _fitting.seeded_clones(generators, None, rng, random_state is not None)
    return _fitting.transfer_rows(X_tr, generators, arrays, None)


def fit_tuned(estimator, X, y, sample_weight=None, X_unlabeled=None):
    """Fit ``estimator`` (``tune="auto"``): tune on an inner split, then fit a
    clone with ``tune=None`` and the winning parameters on all rows, and copy
    its fitted attributes onto ``estimator`` together with ``tuned_params_``
    and ``tune_results_``."""
    from sklearn.utils.validation import validate_data

    from ._distill import _check_sample_weight, _indexable_X

    estimator._check_params()
    classification = estimator._is_classification()
    X_checked, y_checked = validate_data(estimator, X, y, skip_check_array=True)
    X_checked = _indexable_X(X_checked)
    y_checked = estimator._check_y(y_checked, classification)
    weights = _check_sample_weight(sample_weight, len(y_checked))
    final = clone(estimator).set_params(tune=None)
    results = []
    best = {}
    if can_tune(y_checked, classification) and (y_checked.ndim == 1 or not classification):
        classes = None
        if classification:
            classes, _ = estimator._encode_labels(y_checked, clone(estimator.teacher))
        best, results = tune_parameters(estimator, X_checked, y_checked, weights, classes)
        final.set_params(**best)
    final.fit(X, y, sample_weight=sample_weight, X_unlabeled=X_unlabeled)
    for key in [k for k in vars(estimator) if k.endswith("_") and not k.startswith("_")]:
        del estimator.__dict__[key]
    for key, value in vars(final).items():
        if key.endswith("_") and not key.startswith("__"):
            setattr(estimator, key, value)
    estimator.tuned_params_ = best
    estimator.tune_results_ = results
    return estimator
