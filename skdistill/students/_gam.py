"""Generalized additive students: one shape function per feature.

The model is ``F(x) = intercept + sum_j f_j(x_j)`` with each ``f_j`` a step
function over quantile bins of feature ``j``, learnt as InterpretML's
Explainable Boosting Machine learns it (Lou, Caruana & Gehrke, KDD 2012,
"Intelligible models for classification and regression"): cyclic boosting,
each round visiting the features in turn and adding to ``f_j`` a small step
function (a few runs of adjacent bins), with the gradient taken after the
previous feature's update. For the soft cross-entropy the step of a run of
bins is the Newton step ``sum w (t - p) / (sum w p (1 - p) + l2)`` over its
rows (times ``(K - 1) / K`` for K > 2 classes, as in Friedman 2001), which
needs the targets ``t`` only as probabilities, so the student learns a
teacher's soft targets as easily as labels. Tan, Caruana, Hooker & Lou
("Distill-and-Compare", AIES 2018) distil black boxes into such models.
Optionally, the pairs of features ranked first by FAST (Lou, Caruana,
Gehrke & Hooker, KDD 2013) get two-feature tables boosted after the main
effects (GA2M).

A GAM has no scikit-learn equivalent: there is no ``to_sklearn()``, and
:func:`skdistill.export.export_student` raises ``TypeError`` for it. Read it
through ``shape_functions_`` (tables), ``export_text`` (a scorecard) or
:func:`skdistill.plotting.plot_shape_functions`.
"""

from functools import partial
from itertools import combinations

import numpy as np
from scipy.special import expit, log_expit
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils import Bunch, check_random_state
from sklearn.utils.validation import check_is_fitted, validate_data

from .._loss import squared_error_loss_gradient
from .._validation import check_int, check_real
from ._base import SoftTargetClassifierMixin, soft_targets_from_y
from ._boosting import (
    MIN_HESSIAN,
    _init_score,
    _validation_split,
    _weighted_prior,
    model_proba,
    soft_cross_entropy,
)
from ._tree import check_random_state_param, check_sample_weight


# --------------------------------------------------------------------------
# Binning
# --------------------------------------------------------------------------
def feature_thresholds(x, weight, max_bins):
    """Cut points of one feature: midpoints between its distinct values when
    there are at most ``max_bins`` of them, else between the values at the
    weighted quantiles ``1/max_bins, 2/max_bins, ...``.

    Only rows of positive weight count, and a value's weight is the sum of its
    rows' weights, so integer weights give the cut points of repeated rows.
    """
    keep = ~np.isnan(x) & (weight > 0)
    values, inverse = np.unique(x[keep], return_inverse=True)
    if len(values) <= max_bins:
        return (values[:-1] + values[1:]) / 2
    cumulative = np.cumsum(np.bincount(inverse, weights=weight[keep]))
    levels = cumulative[-1] * np.arange(1, max_bins) / max_bins
    upper = np.unique(np.searchsorted(cumulative, levels, side="left"))
    upper = upper[upper < len(values) - 1]
    return (values[upper] + values[upper + 1]) / 2


def bin_indices(x, thresholds):
    """Bin of each value (x <= threshold goes left); NaN to the last slot,
    ``len(thresholds) + 1``, the missing-value bin."""
    bins = np.searchsorted(thresholds, x, side="left")
    bins[np.isnan(x)] = len(thresholds) + 1
    return bins


# --------------------------------------------------------------------------
# Losses: Newton terms (negative gradient, hessian) of each row and score
# --------------------------------------------------------------------------
class _SoftCrossEntropy:
    """Sigmoid (one score column) or softmax cross-entropy on soft targets."""

    def __init__(self, n_columns):
        self.factor = 1.0 if n_columns == 1 else (n_columns - 1) / n_columns

    def newton_terms(self, raw, targets):
        proba = model_proba(raw)
        return targets - proba, proba * (1.0 - proba)

    def mean_loss(self, raw, targets, weight):
        return soft_cross_entropy(raw, targets, weight)


class _SquaredError:
    factor = 1.0

    def newton_terms(self, raw, targets):
        return targets - raw, np.ones_like(raw)

    def mean_loss(self, raw, targets, weight):
        loss, _ = squared_error_loss_gradient(
            np.ascontiguousarray(raw[:, 0]), np.ascontiguousarray(targets[:, 0]), weight
        )
        return loss / float(np.sum(weight))


# --------------------------------------------------------------------------
# Cyclic boosting
# --------------------------------------------------------------------------
def bin_sums(bins, n_slots, residual, hessian, weight):
    """Per-bin sums ``sum w r`` and ``sum w h``, each (n_slots, n_columns)."""
    shape = (n_slots, residual.shape[1])
    grad, hess = np.empty(shape), np.empty(shape)
    for k in range(residual.shape[1]):
        grad[:, k] = np.bincount(bins, weights=weight * residual[:, k], minlength=n_slots)
        hess[:, k] = np.bincount(bins, weights=weight * hessian[:, k], minlength=n_slots)
    return grad, hess


def newton_step(grad, hess, l2, factor):
    """``factor * grad / (hess + l2)``, 0 where the denominator vanishes."""
    denominator = hess + l2
    ok = denominator > MIN_HESSIAN
    return np.divide(factor * grad, denominator, out=np.zeros_like(grad), where=ok)


def best_split(grad, hess, l2):
    """``(position, gain)`` of the best cut of a run of ordered bins into a
    left part ``[:position]`` and a right part, by the Newton gain
    ``G_L^2 / (H_L + l2) + G_R^2 / (H_R + l2) - G^2 / (H + l2)`` summed over
    score columns; position 0 when no cut helps."""
    if len(grad) < 2:
        return 0, 0.0
    left_g, left_h = np.cumsum(grad, axis=0)[:-1], np.cumsum(hess, axis=0)[:-1]
    total_g, total_h = grad.sum(axis=0), hess.sum(axis=0)

    def score(g, h):
        return np.divide(g * g, h + l2, out=np.zeros_like(g), where=h + l2 > MIN_HESSIAN)

    gain = (
        score(left_g, left_h) + score(total_g - left_g, total_h - left_h) - score(total_g, total_h)
    ).sum(axis=1)
    position = int(np.argmax(gain))
    return position + 1, float(gain[position])


def feature_step(grad, hess, l2, factor, max_leaves):
    """(n_slots, n_columns) update of one feature's scores.

    The ordered bins (every slot but the last, the missing-value bin) are cut
    greedily into at most ``max_leaves`` runs of adjacent bins, each taking one
    Newton step, as EBM grows a small tree per feature per round: a run of
    bins shares the step, so a few rows in one bin cannot chase their noise.
    ``max_leaves=None`` gives every bin its own step. The missing-value bin
    always takes its own step.
    """
    if max_leaves is None:
        return newton_step(grad, hess, l2, factor)
    runs, gains = [(0, len(grad) - 1)], {}
    while len(runs) < max_leaves:
        for run in runs:
            if run not in gains:
                gains[run] = best_split(grad[run[0] : run[1]], hess[run[0] : run[1]], l2)
        start, end = max(runs, key=lambda run: gains[run][1])
        position, gain = gains[(start, end)]
        if gain <= 0:
            break
        runs.remove((start, end))
        runs += [(start, start + position), (start + position, end)]
    step = np.empty_like(grad)
    for start, end in runs:
        step[start:end] = newton_step(
            grad[start:end].sum(axis=0), hess[start:end].sum(axis=0), l2, factor
        )
    step[-1] = newton_step(grad[-1], hess[-1], l2, factor)
    return step


def best_quadrants(grad, hess, l2):
    """``(a, c, gain)`` of the best cut of a grid of (n_i, n_j, n_columns)
    sums into the four quadrants ``rows < a`` or not times ``columns < c`` or
    not, by the Newton gain (as :func:`best_split`); gain 0 when the grid
    cannot be cut. This is the FAST pair score (Lou, Caruana, Gehrke &
    Hooker, KDD 2013), computed for every cut at once from 2-D prefix sums."""
    if grad.shape[0] < 2 or grad.shape[1] < 2:
        return 0, 0, 0.0

    def quadrants(sums):
        prefix = sums.cumsum(axis=0).cumsum(axis=1)
        top_left, top, left = prefix[:-1, :-1], prefix[:-1, -1:], prefix[-1:, :-1]
        total = prefix[-1, -1]
        return (top_left, top - top_left, left - top_left, total - top - left + top_left), total

    def score(g, h):
        return np.divide(
            g * g, h + l2, out=np.zeros(np.broadcast(g, h).shape), where=h + l2 > MIN_HESSIAN
        )

    (g_parts, g_total), (h_parts, h_total) = quadrants(grad), quadrants(hess)
    gain = sum(score(g, h) for g, h in zip(g_parts, h_parts)) - score(g_total, h_total)
    gain = gain.sum(axis=2)
    a, c = np.unravel_index(np.argmax(gain), gain.shape)
    return int(a) + 1, int(c) + 1, float(gain[a, c])


def pair_step(grad, hess, shape, l2, factor):
    """((n_i + 1) * (n_j + 1), n_columns) update of one pair's scores: one
    Newton step per quadrant of the best cut (:func:`best_quadrants`). The
    last row and column (a missing value) are not updated: the main effects
    model missing values."""
    n_columns = grad.shape[1]
    grad, hess = (s.reshape(*shape, n_columns)[:-1, :-1] for s in (grad, hess))
    step = np.zeros((*shape, n_columns))
    a, c, gain = best_quadrants(grad, hess, l2)
    if gain > 0:
        for rows in (slice(0, a), slice(a, shape[0] - 1)):
            for cols in (slice(0, c), slice(c, shape[1] - 1)):
                step[rows, cols] = newton_step(
                    grad[rows, cols].sum(axis=(0, 1)),
                    hess[rows, cols].sum(axis=(0, 1)),
                    l2,
                    factor,
                )
    return step.reshape(-1, n_columns)


def cyclic_boosting(terms, train, val, loss, params):
    """Score tables (one (n_slots, n_columns) array per term) after
    ``params.max_rounds`` rounds, or those of the round with the lowest
    validation loss when ``val`` is given.

    Each term is a Bunch of ``slots`` and ``val_slots`` (the slot of each
    training and validation row), ``n_slots`` and ``step``, a function of the
    per-slot sums of the Newton terms returning the update. ``train`` and
    ``val`` are Bunches of ``targets`` (n, n_columns), ``weight`` and ``raw``,
    the scores boosting starts from. Returns the tables, the number of rounds
    they contain and the per-round train and validation losses.
    """
    tables = [np.zeros((term.n_slots, train.raw.shape[1])) for term in terms]
    raw = train.raw.copy()
    raw_val = None if val is None else val.raw.copy()
    train_loss, val_loss = [], []
    best, best_tables, best_round, stale = np.inf, tables, 0, 0
    for round_ in range(1, params.max_rounds + 1):
        for term, table in zip(terms, tables):
            grad, hess = bin_sums(
                term.slots, term.n_slots, *loss.newton_terms(raw, train.targets), train.weight
            )
            step = params.learning_rate * term.step(grad, hess)
            table += step
            raw += step[term.slots]
            if val is not None:
                raw_val += step[term.val_slots]
        train_loss.append(loss.mean_loss(raw, train.targets, train.weight))
        if val is None:
            continue
        val_loss.append(loss.mean_loss(raw_val, val.targets, val.weight))
        if val_loss[-1] < best - params.tol:
            best, best_round, stale = val_loss[-1], round_, 0
            best_tables = [table.copy() for table in tables]
        else:
            stale += 1
            if stale >= params.n_iter_no_change:
                break
    if val is None:
        return tables, params.max_rounds, train_loss, val_loss
    return best_tables, best_round, train_loss, val_loss


def top_pairs(pair_bins, train, loss, n_pairs, l2):
    """The ``n_pairs`` feature pairs of largest FAST gain at the residuals of
    ``train.raw`` (the main-effects model), best first; pairs of gain 0 are
    left out. ``pair_bins`` are the coarser per-feature bins of the pairs."""
    residual, hessian = loss.newton_terms(train.raw, train.targets)
    gains = []
    for i, j in combinations(range(len(pair_bins)), 2):
        shape = (pair_bins[i].n_slots, pair_bins[j].n_slots)
        slots = pair_bins[i].slots * shape[1] + pair_bins[j].slots
        grad, hess = bin_sums(slots, shape[0] * shape[1], residual, hessian, train.weight)
        grad, hess = (s.reshape(*shape, -1)[:-1, :-1] for s in (grad, hess))
        gains.append((best_quadrants(grad, hess, l2)[2], (i, j)))
    gains.sort(key=lambda item: -item[0])
    return [pair for gain, pair in gains[:n_pairs] if gain > 0]


def centred_tables(tables, intercept, slot_weights, unseen_missing_to_zero):
    """Tables with a zero weighted mean over the training rows (the mean moves
    into the intercept), as EBM reports them: each shape function then reads
    as the change from the average prediction. With several score columns
    (softmax), each bin's scores are also centred across classes, which does
    not change the probabilities. With ``unseen_missing_to_zero``, a
    missing-value bin (the last slot) that no training row reached scores 0:
    the average."""
    intercept = np.array(intercept, dtype=np.float64)
    centred = []
    for table, weight in zip(tables, slot_weights):
        mean = weight @ table / weight.sum()
        table = table - mean
        intercept += mean
        if unseen_missing_to_zero and weight[-1] == 0:
            table[-1] = 0.0
        if table.shape[1] > 1:
            table -= table.mean(axis=1, keepdims=True)
        centred.append(table)
    if len(intercept) > 1:
        intercept -= intercept.mean()
    return centred, intercept


def bin_edges(x, weight, thresholds):
    """The smallest training value, the cut points and the largest value."""
    finite = x[~np.isnan(x) & (weight > 0)]
    low, high = (finite.min(), finite.max()) if len(finite) else (np.nan, np.nan)
    return np.concatenate([[low], thresholds, [high]])


def shape_function(edges, table, slot_weight):
    """The public table of one feature (see ``shape_functions_``)."""
    return Bunch(
        bin_edges=edges,
        scores=table[:-1].copy(),
        missing_score=table[-1].copy(),
        bin_weight=slot_weight[:-1],
        missing_weight=float(slot_weight[-1]),
    )


def interaction_table(pair, edges, table, slot_weight):
    """The public table of one pair (see ``interactions_``)."""
    shape = (len(edges[0]), len(edges[1]))  # bins + 1 missing slot per feature
    grid = table.reshape(*shape, -1)
    return Bunch(
        features=pair,
        bin_edges=edges,
        scores=grid[:-1, :-1].copy(),
        missing_score=grid[-1, -1].copy(),
        bin_weight=slot_weight.reshape(shape)[:-1, :-1],
    )


def _term(slots, n_slots, train, val, step):
    """A boosted term: the slot of every row, of the training and of the
    validation rows, and its update rule."""
    return Bunch(
        all_slots=slots,
        slots=slots[train.rows],
        n_slots=n_slots,
        step=step,
        val_slots=None if val is None else slots[val.rows],
    )


def _rows(targets, weight, rows, init):
    return Bunch(
        rows=rows,
        targets=np.ascontiguousarray(targets[rows]),
        weight=weight[rows],
        raw=np.tile(init, (len(rows), 1)),
    )


def _with_scores(part, terms, tables, slots):
    """``part`` with ``raw`` raised by the terms' scores at its rows."""
    raw = part.raw.copy()
    for term, table in zip(terms, tables):
        raw += table[term[slots]]
    return Bunch(**{**part, "raw": raw})


# --------------------------------------------------------------------------
# Estimators
# --------------------------------------------------------------------------
class _BaseGAM(BaseEstimator):
    """Parameters, fit and the additive score shared by the classifier and
    the regressor."""

    def __init__(
        self,
        *,
        max_bins=64,
        max_leaves=3,
        interactions=0,
        max_interaction_bins=32,
        learning_rate=0.1,
        max_rounds=1000,
        l2_regularization=1.0,
        early_stopping=True,
        validation_fraction=0.15,
        n_iter_no_change=20,
        tol=1e-6,
        random_state=None,
    ):
        self.max_bins = max_bins
        self.max_leaves = max_leaves
        self.interactions = interactions
        self.max_interaction_bins = max_interaction_bins
        self.learning_rate = learning_rate
        self.max_rounds = max_rounds
        self.l2_regularization = l2_regularization
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.random_state = random_state

    def _check_params(self):
        if not isinstance(self.early_stopping, (bool, np.bool_)):
            raise TypeError(
                f"early_stopping must be a bool, got {self.early_stopping!r} of type "
                f"{type(self.early_stopping).__name__}"
            )
        check_random_state_param(self.random_state)
        return Bunch(
            max_bins=check_int(self.max_bins, "max_bins", low=2, high=65535),
            max_leaves=check_int(self.max_leaves, "max_leaves", low=2, allow_none=True),
            interactions=check_int(self.interactions, "interactions", low=0),
            max_interaction_bins=check_int(
                self.max_interaction_bins, "max_interaction_bins", low=2, high=65535
            ),
            learning_rate=check_real(
                self.learning_rate, "learning_rate", low=0.0, low_inclusive=False
            ),
            max_rounds=check_int(self.max_rounds, "max_rounds", low=1),
            l2_regularization=check_real(self.l2_regularization, "l2_regularization", low=0.0),
            validation_fraction=check_real(
                self.validation_fraction,
                "validation_fraction",
                low=0.0,
                low_inclusive=False,
                high=1.0,
                high_inclusive=False,
            ),
            n_iter_no_change=check_int(self.n_iter_no_change, "n_iter_no_change", low=1),
            tol=check_real(self.tol, "tol", low=0.0),
        )

    def _validate_X(self, X, reset):
        return validate_data(self, X, reset=reset, dtype=np.float64, ensure_all_finite="allow-nan")

    def _split(self, targets, weight, init, params):
        """Training and validation rows (None without early stopping)."""
        if not self.early_stopping:
            return _rows(targets, weight, np.arange(len(weight)), init), None
        n_positive = int(np.count_nonzero(weight))
        if n_positive < 2:
            raise ValueError(
                "early_stopping=True holds out rows for validation and needs at least "
                f"2 rows of positive sample_weight, got n_samples={n_positive}; use "
                "more rows or early_stopping=False"
            )
        # The split stratifies on the argmax column: give regression one.
        split_targets = targets if targets.shape[1] > 1 else np.zeros_like(targets)
        rows, val_rows = _validation_split(
            split_targets,
            weight,
            params.validation_fraction,
            check_random_state(self.random_state),
        )
        return _rows(targets, weight, rows, init), _rows(targets, weight, val_rows, init)

    def _fit_additive(self, X, targets, weight, init, loss, params):
        """Bin, boost the main effects, then the pairs, and centre; sets every
        fitted attribute but the classes."""
        train, val = self._split(targets, weight, init, params)
        step = partial(
            feature_step,
            l2=params.l2_regularization,
            factor=loss.factor,
            max_leaves=params.max_leaves,
        )
        edges, mains = [], []
        for x in X.T:
            thresholds = feature_thresholds(x, weight, params.max_bins)
            edges.append(bin_edges(x, weight, thresholds))
            mains.append(_term(bin_indices(x, thresholds), len(thresholds) + 2, train, val, step))
        tables, self.n_iter_, train_loss, val_loss = cyclic_boosting(
            mains, train, val, loss, params
        )
        pairs, pair_edges, pair_terms, pair_tables = [], [], [], []
        if params.interactions:
            train = _with_scores(train, mains, tables, "slots")
            val = None if val is None else _with_scores(val, mains, tables, "val_slots")
            pairs, pair_edges, pair_terms = self._pair_terms(X, weight, train, val, loss, params)
        self.n_interaction_iter_ = 0
        if pair_terms:
            pair_tables, self.n_interaction_iter_, pair_train, pair_val = cyclic_boosting(
                pair_terms, train, val, loss, params
            )
            train_loss, val_loss = train_loss + pair_train, val_loss + pair_val
        weights = [
            np.bincount(t.all_slots, weights=weight, minlength=t.n_slots)
            for t in mains + pair_terms
        ]
        tables, self.intercept_ = centred_tables(tables, init, weights[: len(mains)], True)
        pair_tables, self.intercept_ = centred_tables(
            pair_tables, self.intercept_, weights[len(mains) :], False
        )
        self.shape_functions_ = [shape_function(*parts) for parts in zip(edges, tables, weights)]
        self.interactions_ = [
            interaction_table(*parts)
            for parts in zip(pairs, pair_edges, pair_tables, weights[len(mains) :])
        ]
        self.train_score_ = np.asarray(train_loss)
        if self.early_stopping:
            self.validation_score_ = np.asarray(val_loss)
        return self

    def _pair_terms(self, X, weight, train, val, loss, params):
        """The pairs chosen by FAST at the main-effects model, their bin edges
        and their boosted terms."""
        edges, bins = [], []
        for x in X.T:
            thresholds = feature_thresholds(x, weight, params.max_interaction_bins)
            edges.append(bin_edges(x, weight, thresholds))
            bins.append(_term(bin_indices(x, thresholds), len(thresholds) + 2, train, val, None))
        pairs = top_pairs(bins, train, loss, params.interactions, params.l2_regularization)
        terms = []
        for i, j in pairs:
            shape = (bins[i].n_slots, bins[j].n_slots)
            step = partial(pair_step, shape=shape, l2=params.l2_regularization, factor=loss.factor)
            terms.append(
                _term(
                    bins[i].all_slots * shape[1] + bins[j].all_slots,
                    shape[0] * shape[1],
                    train,
                    val,
                    step,
                )
            )
        return pairs, [(edges[i], edges[j]) for i, j in pairs], terms

    def _raw_score(self, X):
        """(n_samples, n_columns) additive scores of validated ``X``."""
        check_is_fitted(self)
        X = self._validate_X(X, reset=False)
        raw = np.tile(self.intercept_, (X.shape[0], 1))
        for j, shape in enumerate(self.shape_functions_):
            table = np.vstack([shape.scores, shape.missing_score])
            raw += table[bin_indices(X[:, j], shape.bin_edges[1:-1])]
        for pair in self.interactions_:
            n_i, n_j = (len(e) for e in pair.bin_edges)  # bins + 1 missing slot each
            grid = np.empty((n_i, n_j, raw.shape[1]))
            grid[:] = pair.missing_score
            grid[:-1, :-1] = pair.scores
            slots = [bin_indices(X[:, f], e[1:-1]) for f, e in zip(pair.features, pair.bin_edges)]
            raw += grid.reshape(n_i * n_j, -1)[slots[0] * n_j + slots[1]]
        return raw

    @property
    def feature_importances_(self):
        """Mean absolute score of each feature over the training rows
        (averaged over score columns), normalised to sum to 1."""
        check_is_fitted(self)
        mean_abs = np.array(
            [
                (
                    shape.bin_weight @ np.abs(shape.scores).mean(axis=1)
                    + shape.missing_weight * np.abs(shape.missing_score).mean()
                )
                / (shape.bin_weight.sum() + shape.missing_weight)
                for shape in self.shape_functions_
            ]
        )
        total = mean_abs.sum()
        return mean_abs / total if total > 0 else mean_abs

    def export_text(self, feature_names=None, *, decimals=3):
        """The model as a scorecard: what the scores mean, the intercept, then
        every feature's bins (``(low, high]``) and their scores, one column
        per score column. A row's score is the intercept plus one line of
        each feature (and the pair tables of ``interactions_``, listed by
        name only).

        Parameters
        ----------
        feature_names : list of str, default=None
            Defaults to ``feature_names_in_`` or ``x0, x1, ...``.
        decimals : int, default=3
            Digits after the decimal point of cut points and scores.

        Returns
        -------
        text : str
        """
        check_is_fitted(self)
        check_int(decimals, "decimals", low=0)
        names = _feature_names(self, feature_names)

        def fmt(values):
            return "  ".join(f"{v:+.{decimals}f}" for v in np.atleast_1d(values))

        lines = [
            f"# {type(self).__name__}, scores: {self._score_meaning()}",
            f"intercept: {fmt(self.intercept_)}",
        ]
        for name, shape in zip(names, self.shape_functions_):
            lines.append(f"{name}:")
            cuts = [f"{edge:.{decimals}f}" for edge in shape.bin_edges[1:-1]]
            for low, high, scores in zip(["-inf", *cuts], [*cuts, "inf"], shape.scores):
                lines.append(f"  ({low}, {high}]: {fmt(scores)}")
            if shape.missing_weight > 0:
                lines.append(f"  missing: {fmt(shape.missing_score)}")
        for pair in self.interactions_:
            i, j = pair.features
            lines.append(
                f"{names[i]} x {names[j]}: a {pair.scores.shape[0]} x "
                f"{pair.scores.shape[1]} table (interactions_)"
            )
        return "\n".join(lines) + "\n"

    def _score_meaning(self):
        classes = getattr(self, "classes_", None)
        if classes is None:
            return "the predicted value"
        # .item(): NumPy 2 scalars print as np.str_('a').
        labels = [c.item() if isinstance(c, np.generic) else c for c in classes]
        if len(labels) == 2:
            return f"log-odds of class {labels[1]!r}"
        return f"one column per class {labels}"

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags


def _part(bins, targets, weight, rows):
    return Bunch(
        bins=[b[rows] for b in bins],
        targets=np.ascontiguousarray(targets[rows]),
        weight=weight[rows],
    )


def _feature_names(model, feature_names):
    if feature_names is None:
        if hasattr(model, "feature_names_in_"):
            return [str(name) for name in model.feature_names_in_]
        return [f"x{j}" for j in range(model.n_features_in_)]
    names = [str(name) for name in feature_names]
    if len(names) != model.n_features_in_:
        raise ValueError(
            f"feature_names must have one name per feature ({model.n_features_in_}), "
            f"got {len(names)}"
        )
    return names


_PARAMETERS_DOC = """
    Parameters
    ----------
    max_bins : int, default=64
        Most bins per feature (quantile bins; one bin per distinct value when
        a feature has at most ``max_bins`` values). Missing values (NaN) get
        a bin of their own.
    max_leaves : int or None, default=3
        Each round, a feature's bins are cut into at most this many runs of
        adjacent bins (greedily, by Newton gain), each run taking one step:
        EBM's small tree per feature. None gives every bin its own step
        (faster to fit the training rows, quicker to overfit them).
    interactions : int, default=0
        Number of feature pairs to model after the main effects (GA2M, Lou
        et al., KDD 2013): the pairs with the largest FAST gain at the
        residuals of the main-effects model, each boosted like a feature with
        one cut on each of its two features per round (four quadrants). 0
        keeps the model a pure scorecard.
    max_interaction_bins : int, default=32
        Most quantile bins per feature inside a pair.
    learning_rate : float, default=0.1
        Shrinkage of each Newton step. Small steps let features that share
        information split it instead of the first one visited taking all.
    max_rounds : int, default=1000
        Most boosting rounds; each round updates every feature once.
    l2_regularization : float, default=1.0
        Added to every bin's hessian sum (in units of sample weight): bins
        with few rows, or rows predicted with certainty, take smaller steps.
    early_stopping : bool, default=True
        Hold out ``validation_fraction`` of the rows, stop when their loss has
        not improved by ``tol`` for ``n_iter_no_change`` rounds, and keep the
        round with the lowest held-out loss.
    validation_fraction : float in (0, 1), default=0.15
        Share of the (positive-weight) rows held out for early stopping.
    n_iter_no_change : int, default=20
        Patience of early stopping, in rounds.
    tol : float, default=1e-6
        Minimum improvement of the held-out loss.
    random_state : int, RandomState instance or None, default=None
        Seeds the early-stopping split.
"""

_ATTRIBUTES_DOC = """
    shape_functions_ : list of Bunch, one per feature
        ``bin_edges`` (n_bins + 1,): the smallest training value, the cut
        points (a value equal to a cut point belongs to the bin on its left)
        and the largest value; values beyond the ends fall in the end bins.
        ``scores`` (n_bins, n_columns): the feature's additive score per bin;
        ``missing_score`` (n_columns,): the score of NaN (0, the average, when
        training had no NaN); ``bin_weight`` (n_bins,) and ``missing_weight``:
        training weight per bin. Each feature's scores have a weighted mean of
        0 over the training rows.
    interactions_ : list of Bunch, one per modelled pair
        ``features`` (i, j); ``bin_edges`` (edges of i, edges of j), as in
        ``shape_functions_`` but with ``max_interaction_bins``; ``scores``
        (n_bins_i, n_bins_j, n_columns); ``missing_score``: the score when
        either value is missing (pairs learn nothing from missing values);
        ``bin_weight`` (n_bins_i, n_bins_j). Scores are centred like the
        shape functions but not purified: a pair may hold part of a main
        effect. Empty when ``interactions=0``.
    intercept_ : ndarray of shape (n_columns,)
        Score of the average row: ``decision_function`` is the intercept plus
        each feature's score.
    n_iter_ : int
        Rounds of main effects in the final model (the best round with early
        stopping).
    n_interaction_iter_ : int
        Rounds of pair terms in the final model, boosted after the main
        effects (0 without pairs).
    train_score_ : ndarray of shape (n_rounds_run,)
        Training loss after each round run, main-effect rounds then pair
        rounds.
    validation_score_ : ndarray of shape (n_rounds_run,)
        Held-out loss after each round run (early stopping only).
    feature_importances_ : ndarray of shape (n_features_in_,)
        Mean absolute main-effect score per feature over the training rows,
        normalised to sum to 1 (pairs not included).
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Feature names, when X had string column names.
"""


class SoftGAMClassifier(SoftTargetClassifierMixin, _BaseGAM):
    __doc__ = (
        """Generalized additive model trained on soft cross-entropy.

    ``fit(X, y)`` takes labels or an (n_samples, n_classes) probability
    matrix (a teacher's ``predict_proba``). The score of a row is an
    intercept plus one step function of each feature, learnt by cyclic
    boosting of per-feature histograms (the Explainable Boosting Machine's
    algorithm without interactions): one score column, the log-odds of
    ``classes_[1]``, for two classes (sigmoid); one per class otherwise
    (softmax). Each feature's contribution can be read from a table or a
    plot, like a scorecard, yet the model follows most of what an ensemble
    teacher learnt (Tan et al., "Distill-and-Compare", AIES 2018).

    There is no scikit-learn equivalent, so no ``to_sklearn()``:
    :func:`skdistill.export.export_student` and
    :func:`~skdistill.export.export_rules` raise ``TypeError`` for a GAM
    student; use :meth:`export_text`, ``shape_functions_`` or
    :func:`skdistill.plotting.plot_shape_functions` to read it, and keep the
    fitted model (it needs skdistill to load). With ``interactions=k`` it is
    a GA2M: k two-feature tables are added after the main effects.
"""
        + _PARAMETERS_DOC
        + """
    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Labels seen in ``fit``, or ``arange(n_classes)`` for a probability matrix.
"""
        + _ATTRIBUTES_DOC
        + """
    See Also
    --------
    SoftGAMRegressor : The same model for regression targets.
    SoftLogisticRegression : One straight line per feature instead of a step function.

    Examples
    --------
    >>> import numpy as np
    >>> from skdistill.students import SoftGAMClassifier
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(-3, 3, size=(2000, 2))
    >>> P1 = 1 / (1 + np.exp(-(np.sin(X[:, 0]) + X[:, 1] ** 2 / 3 - 1)))
    >>> gam = SoftGAMClassifier(random_state=0).fit(X, np.column_stack([1 - P1, P1]))
    >>> gam.classes_
    array([0, 1])
    >>> bool(np.abs(gam.predict_proba(X)[:, 1] - P1).max() < 0.05)
    True
    >>> shape = gam.shape_functions_[0]     # the learnt sin(x0), centred
    >>> shape.scores.shape, shape.bin_edges.shape
    ((64, 1), (65,))
    >>> bool(np.corrcoef(shape.scores[:, 0], np.sin(shape.bin_edges[:-1]))[0, 1] > 0.95)
    True
    """
    )

    def fit(self, X, y, sample_weight=None):
        """Boost the shape functions on labels or a probability matrix.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data; NaN is a value of its own (the missing-value bin).
        y : array-like of shape (n_samples,) or (n_samples, n_classes)
            Labels, or target probabilities (rows summing to 1).
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights.

        Returns
        -------
        self : SoftGAMClassifier
            The fitted model.
        """
        params = self._check_params()
        X = self._validate_X(X, reset=True)
        targets, classes, _ = soft_targets_from_y(y)
        if len(targets) != X.shape[0]:
            raise ValueError(f"X has {X.shape[0]} rows but y has {len(targets)}")
        weight = check_sample_weight(sample_weight, X.shape[0])
        # Two classes: one score column, the log-odds of class 1.
        modelled = targets[:, 1:] if len(classes) == 2 else targets
        init = _init_score(_weighted_prior(targets, weight))
        self.classes_ = classes
        return self._fit_additive(
            X, modelled, weight, init, _SoftCrossEntropy(modelled.shape[1]), params
        )

    def decision_function(self, X):
        """Additive scores: the log-odds of ``classes_[1]`` for two classes
        (shape (n_samples,)), else one centred log-probability per class.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
        """
        raw = self._raw_score(X)
        return raw[:, 0] if raw.shape[1] == 1 else raw

    def predict_proba(self, X):
        """Class probabilities, columns ordered as ``classes_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        raw = self._raw_score(X)
        if raw.shape[1] == 1:
            p1 = expit(raw[:, 0])
            return np.column_stack([1.0 - p1, p1])
        return model_proba(raw)

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`, computed stably.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
        """
        raw = self._raw_score(X)
        if raw.shape[1] == 1:
            return np.column_stack([log_expit(-raw[:, 0]), log_expit(raw[:, 0])])
        shifted = raw - raw.max(axis=1, keepdims=True)
        return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))

    def predict(self, X):
        """Most probable class of each row.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        raw = self._raw_score(X)
        if raw.shape[1] == 1:
            return self.classes_[(raw[:, 0] > 0).astype(np.intp)]
        return self.classes_[np.argmax(raw, axis=1)]


class SoftGAMRegressor(RegressorMixin, _BaseGAM):
    __doc__ = (
        """Generalized additive regression model (squared error).

    The regression counterpart of :class:`SoftGAMClassifier`: an intercept
    plus one step function per feature, learnt by cyclic boosting of
    per-feature histograms on the squared error (each run of bins steps by
    its weighted mean residual, shrunk by ``l2_regularization``). A student
    for :class:`skdistill.DistilledRegressor`; it has no ``to_sklearn()``.
    The loss of ``train_score_``, ``validation_score_`` and early stopping is
    half the weighted mean squared error.
"""
        + _PARAMETERS_DOC
        + """
    Attributes
    ----------"""
        + _ATTRIBUTES_DOC
        + """
    See Also
    --------
    SoftGAMClassifier : The same model for classification.

    Examples
    --------
    >>> import numpy as np
    >>> from skdistill.students import SoftGAMRegressor
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(-3, 3, size=(1000, 2))
    >>> y = np.sin(X[:, 0]) + 0.5 * X[:, 1] + 0.1 * rng.normal(size=1000)
    >>> gam = SoftGAMRegressor(random_state=0).fit(X, y)
    >>> round(gam.score(X, y), 2)
    0.99
    >>> gam.intercept_.shape
    (1,)
    """
    )

    def fit(self, X, y, sample_weight=None):
        """Boost the shape functions on a numeric target.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data; NaN is a value of its own (the missing-value bin).
        y : array-like of shape (n_samples,)
            Target values.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights.

        Returns
        -------
        self : SoftGAMRegressor
            The fitted model.
        """
        params = self._check_params()
        X, y = validate_data(
            self, X, y, dtype=np.float64, y_numeric=True, ensure_all_finite="allow-nan"
        )
        weight = check_sample_weight(sample_weight, X.shape[0])
        targets = y.astype(np.float64)[:, None]
        init = np.array([np.average(targets[:, 0], weights=weight)])
        return self._fit_additive(X, targets, weight, init, _SquaredError(), params)

    def predict(self, X):
        """Predicted values: the intercept plus each feature's score.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        return self._raw_score(X)[:, 0]
