"""How the additive student is learnt: quantile binning, the soft
cross-entropy and squared-error Newton terms, the per-feature and per-pair
step functions, cyclic boosting with early stopping, FAST pair ranking, and
the centred public tables (see :mod:`skdistill.students._gam`)."""

from itertools import combinations

import numpy as np
from sklearn.utils import Bunch

from .._loss import squared_error_loss_gradient
from ._soft_scores import MIN_HESSIAN, model_proba, soft_cross_entropy


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
class SoftCrossEntropy:
    """Sigmoid (one score column) or softmax cross-entropy on soft targets."""

    def __init__(self, n_columns):
        self.factor = 1.0 if n_columns == 1 else (n_columns - 1) / n_columns

    def newton_terms(self, raw, targets):
        proba = model_proba(raw)
        return targets - proba, proba * (1.0 - proba)

    def mean_loss(self, raw, targets, weight):
        return soft_cross_entropy(raw, targets, weight)


class SquaredError:
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
    """The public table of one feature (see ``shape_functions_``): a plain
    dict, so that skops loads a fitted GAM without extra trust."""
    return dict(
        bin_edges=edges,
        scores=table[:-1].copy(),
        missing_score=table[-1].copy(),
        bin_weight=slot_weight[:-1],
        missing_weight=float(slot_weight[-1]),
    )


def interaction_table(pair, edges, table, slot_weight):
    """The public table of one pair (see ``interactions_``), a plain dict."""
    shape = (len(edges[0]), len(edges[1]))  # bins + 1 missing slot per feature
    grid = table.reshape(*shape, -1)
    return dict(
        features=pair,
        bin_edges=edges,
        scores=grid[:-1, :-1].copy(),
        missing_score=grid[-1, -1].copy(),
        bin_weight=slot_weight.reshape(shape)[:-1, :-1],
    )


def boosted_term(slots, n_slots, train, val, step):
    """A boosted term: the slot of every row, of the training and of the
    validation rows, and its update rule."""
    return Bunch(
        all_slots=slots,
        slots=slots[train.rows],
        n_slots=n_slots,
        step=step,
        val_slots=None if val is None else slots[val.rows],
    )


def row_part(targets, weight, rows, init):
    return Bunch(
        rows=rows,
        targets=np.ascontiguousarray(targets[rows]),
        weight=weight[rows],
        raw=np.tile(init, (len(rows), 1)),
    )


def with_scores(part, terms, tables, slots):
    """``part`` with ``raw`` raised by the terms' scores at its rows."""
    raw = part.raw.copy()
    for term, table in zip(terms, tables):
        raw += table[term[slots]]
    return Bunch(**{**part, "raw": raw})


# --------------------------------------------------------------------------
