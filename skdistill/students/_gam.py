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

import numpy as np
from scipy.special import expit, log_expit
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils import Bunch, check_random_state
from sklearn.utils.validation import check_is_fitted, validate_data

from .._doc_link import DocLinkMixin
from .._validation import check_int, check_real
from ._base import SoftTargetClassifierMixin, soft_targets_from_y
from ._gam_docs import ATTRIBUTES_DOC, PARAMETERS_DOC
from ._gam_fitting import (
    SoftCrossEntropy,
    SquaredError,
    bin_edges,
    bin_indices,
    boosted_term,
    centred_tables,
    cyclic_boosting,
    feature_step,
    feature_thresholds,
    interaction_table,
    pair_step,
    row_part,
    shape_function,
    top_pairs,
    with_scores,
)
from ._soft_scores import init_score, model_proba, validation_split, weighted_prior
from ._tree import check_random_state_param, check_sample_weight


# Estimators
# --------------------------------------------------------------------------
class _BaseGAM(DocLinkMixin, BaseEstimator):
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
            return row_part(targets, weight, np.arange(len(weight)), init), None
        n_positive = int(np.count_nonzero(weight))
        if n_positive < 2:
            raise ValueError(
                "early_stopping=True holds out rows for validation and needs at least "
                f"2 rows of positive sample_weight, got n_samples={n_positive}; use "
                "more rows or early_stopping=False"
            )
        # The split stratifies on the argmax column: give regression one.
        split_targets = targets if targets.shape[1] > 1 else np.zeros_like(targets)
        rows, val_rows = validation_split(
            split_targets,
            weight,
            params.validation_fraction,
            check_random_state(self.random_state),
        )
        return row_part(targets, weight, rows, init), row_part(targets, weight, val_rows, init)

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
            mains.append(
                boosted_term(bin_indices(x, thresholds), len(thresholds) + 2, train, val, step)
            )
        tables, self.n_iter_, train_loss, val_loss = cyclic_boosting(
            mains, train, val, loss, params
        )
        pairs, pair_edges, pair_terms, pair_tables = [], [], [], []
        if params.interactions:
            train = with_scores(train, mains, tables, "slots")
            val = None if val is None else with_scores(val, mains, tables, "val_slots")
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
            bins.append(
                boosted_term(bin_indices(x, thresholds), len(thresholds) + 2, train, val, None)
            )
        pairs = top_pairs(bins, train, loss, params.interactions, params.l2_regularization)
        terms = []
        for i, j in pairs:
            shape = (bins[i].n_slots, bins[j].n_slots)
            step = partial(pair_step, shape=shape, l2=params.l2_regularization, factor=loss.factor)
            terms.append(
                boosted_term(
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
            table = np.vstack([shape["scores"], shape["missing_score"]])
            raw += table[bin_indices(X[:, j], shape["bin_edges"][1:-1])]
        for pair in self.interactions_:
            n_i, n_j = (len(e) for e in pair["bin_edges"])  # bins + 1 missing slot each
            grid = np.empty((n_i, n_j, raw.shape[1]))
            grid[:] = pair["missing_score"]
            grid[:-1, :-1] = pair["scores"]
            slots = [
                bin_indices(X[:, f], e[1:-1]) for f, e in zip(pair["features"], pair["bin_edges"])
            ]
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
                    shape["bin_weight"] @ np.abs(shape["scores"]).mean(axis=1)
                    + shape["missing_weight"] * np.abs(shape["missing_score"]).mean()
                )
                / (shape["bin_weight"].sum() + shape["missing_weight"])
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
            cuts = [f"{edge:.{decimals}f}" for edge in shape["bin_edges"][1:-1]]
            for low, high, scores in zip(["-inf", *cuts], [*cuts, "inf"], shape["scores"]):
                lines.append(f"  ({low}, {high}]: {fmt(scores)}")
            if shape["missing_weight"] > 0:
                lines.append(f"  missing: {fmt(shape['missing_score'])}")
        for pair in self.interactions_:
            i, j = pair["features"]
            lines.append(
                f"{names[i]} x {names[j]}: a {pair['scores'].shape[0]} x "
                f"{pair['scores'].shape[1]} table (interactions_)"
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
        + PARAMETERS_DOC
        + """
    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Labels seen in ``fit``, or ``arange(n_classes)`` for a probability matrix.
"""
        + ATTRIBUTES_DOC
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
    >>> shape["scores"].shape, shape["bin_edges"].shape
    ((64, 1), (65,))
    >>> bool(np.corrcoef(shape["scores"][:, 0], np.sin(shape["bin_edges"][:-1]))[0, 1] > 0.95)
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
        init = init_score(weighted_prior(targets, weight))
        self.classes_ = classes
        return self._fit_additive(
            X, modelled, weight, init, SoftCrossEntropy(modelled.shape[1]), params
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
        + PARAMETERS_DOC
        + """
    Attributes
    ----------"""
        + ATTRIBUTES_DOC
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
        return self._fit_additive(X, targets, weight, init, SquaredError(), params)

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
