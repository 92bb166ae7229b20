"""Gradient boosting on soft cross-entropy.

Friedman's gradient tree boosting for the multinomial deviance (Friedman 2001,
"Greedy Function Approximation", algorithm 6; Friedman, Hastie & Tibshirani
2000) needs the targets only through the negative gradient ``p - q`` of the
cross-entropy with respect to the raw scores, where ``q = softmax(F)``. That
gradient is just as well defined for a probability vector ``p`` as for a
one-hot label, so the student learns a teacher's soft targets directly. Each
round fits one scikit-learn regression tree per class to ``p_k - q_k`` and
replaces its leaf values by one Newton step ``sum w (p - q) / sum w q (1 - q)``
(times ``(K - 1) / K`` for K > 2 classes, as in the papers and in
:class:`sklearn.ensemble.GradientBoostingClassifier`). On one-hot labels with
``subsample=1`` and without early stopping the model is scikit-learn's
``GradientBoostingClassifier`` (``criterion="squared_error"``, the default
from scikit-learn 1.9).

Shallow trees with shrinkage need many rounds, and more on soft targets than
on labels: a target of 0.9 asks for a smaller step than a label (at q = 0.5,
0.4 / 0.25 against 0.5 / 0.25), so an underfitted soft student lags behind
the same model on labels (issue 11: 30 rounds of depth 3). Early stopping on
the held-out soft cross-entropy, on by default above 10000 rows as in
``HistGradientBoostingClassifier``, chooses the number of rounds.
"""

from collections import deque

import numpy as np
from scipy.sparse import issparse
from scipy.special import logsumexp
from sklearn.base import BaseEstimator
from sklearn.tree import DecisionTreeRegressor
from sklearn.utils import check_random_state
from sklearn.utils.validation import (
    check_consistent_length,
    check_is_fitted,
    validate_data,
)

from .._validation import check_int, check_real
from ._base import SoftTargetClassifierMixin, soft_targets_from_y
from ._boosting_export import to_gradient_boosting
from ._soft_scores import (
    MIN_HESSIAN,
    init_score,
    loss_gradient,
    model_proba,
    soft_cross_entropy,
    validation_split,
    weighted_prior,
)
from ._tree import (
    TREE_LEAF,
    check_random_state_param,
    check_sample_weight,
    check_tree_growth_params,
)

# early_stopping="auto" holds out rows above this many, as scikit-learn's
# HistGradientBoosting does.
AUTO_EARLY_STOPPING_ROWS = 10_000


class SoftGradientBoostingClassifier(SoftTargetClassifierMixin, BaseEstimator):
    """Gradient-boosted trees trained on soft cross-entropy.

    ``fit(X, y)`` takes labels or an (n_samples, n_classes) probability matrix.
    The model keeps raw scores ``F`` (one column for two classes, sigmoid link;
    one per class otherwise, softmax link), starts from the log of the
    weighted class prior and adds, each round and for each class, a
    regression tree fitted to the negative gradient ``p - q`` whose leaves are
    set by a Newton step. On labels with ``subsample=1`` and without early
    stopping it reproduces :class:`sklearn.ensemble.GradientBoostingClassifier`.

    Parameters
    ----------
    learning_rate : float, default=0.1
        Shrinkage of each tree's contribution.
    n_estimators : int, default=100
        Number of boosting rounds (one tree per class per round, one tree per
        round for two classes).
    subsample : float in (0, 1], default=1.0
        Fraction of rows drawn without replacement to fit each round's trees
        (stochastic gradient boosting).
    max_depth : int or None, default=3
        Depth of each tree.
    min_samples_split : int or float, default=2
        Minimum number (or fraction) of rows to split a node.
    min_samples_leaf : int or float, default=1
        Minimum number (or fraction) of rows per leaf.
    min_weight_fraction_leaf : float, default=0.0
        Minimum fraction of the total sample weight per leaf.
    min_impurity_decrease : float, default=0.0
        Minimum decrease of the squared error of the gradient to split.
    max_features : int, float, {"sqrt", "log2"} or None, default=None
        Features considered at each split.
    max_leaf_nodes : int, default=None
        Grow trees best-first with at most this many leaves.
    early_stopping : "auto" or bool, default="auto"
        Hold out ``validation_fraction`` of the rows and stop when their soft
        cross-entropy has not improved by ``tol`` for ``n_iter_no_change``
        rounds; ``n_estimators`` is then a cap. ``"auto"`` turns it on when
        ``fit`` gets more than 10000 rows, as
        :class:`~sklearn.ensemble.HistGradientBoostingClassifier` does (a
        transfer set usually takes a distillation fit past that).
    validation_fraction : float in (0, 1), default=0.1
        Share of rows held out for early stopping (stratified on the most
        probable class when every class has at least two rows).
    n_iter_no_change : int, default=10
        Patience of early stopping, in rounds.
    tol : float, default=1e-4
        Minimum improvement of the validation loss.
    random_state : int, RandomState instance or None, default=None
        Seeds subsampling, the validation split and the trees' tie-breaking.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Labels seen in ``fit``, or ``arange(n_classes)`` for a probability matrix.
    n_classes_ : int
        Number of classes.
    n_trees_per_iteration_ : int
        1 for two classes, else ``n_classes_``.
    estimators_ : ndarray of DecisionTreeRegressor of shape (n_estimators_, n_trees_per_iteration_)
        The fitted trees; their leaf values are Newton steps (before ``learning_rate``).
    n_estimators_ : int
        Rounds actually fitted (fewer than ``n_estimators`` after early stopping).
    do_early_stopping_ : bool
        Whether this fit held out rows and stopped on them.
    prior_ : ndarray of shape (n_classes,)
        Weighted mean of the training targets.
    init_score_ : ndarray of shape (n_trees_per_iteration_,)
        Raw score before any tree: ``logit(prior_[1])`` for two classes, else
        the centred ``log(prior_)``.
    train_score_ : ndarray of shape (n_estimators_,)
        Weighted soft cross-entropy on the (in-bag) training rows after each round.
    validation_score_ : ndarray of shape (n_estimators_,)
        Soft cross-entropy on the held-out rows after each round (only when
        ``do_early_stopping_``).
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Feature names, when X had string column names.

    See Also
    --------
    sklearn.ensemble.GradientBoostingClassifier : the hard-label model.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skdistill.students import SoftGradientBoostingClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> P = LogisticRegression(max_iter=1000).fit(X, y).predict_proba(X)
    >>> student = SoftGradientBoostingClassifier(n_estimators=20, max_depth=2,
    ...                                          random_state=0).fit(X, P)
    >>> student.estimators_.shape
    (20, 3)
    >>> float(abs(student.predict_proba(X) - P).max()) < 0.25
    True
    """

    def __init__(
        self,
        *,
        learning_rate=0.1,
        n_estimators=100,
        subsample=1.0,
        max_depth=3,
        min_samples_split=2,
        min_samples_leaf=1,
        min_weight_fraction_leaf=0.0,
        min_impurity_decrease=0.0,
        max_features=None,
        max_leaf_nodes=None,
        early_stopping="auto",
        validation_fraction=0.1,
        n_iter_no_change=10,
        tol=1e-4,
        random_state=None,
    ):
        self.learning_rate = learning_rate
        self.n_estimators = n_estimators
        self.subsample = subsample
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_fraction_leaf = min_weight_fraction_leaf
        self.min_impurity_decrease = min_impurity_decrease
        self.max_features = max_features
        self.max_leaf_nodes = max_leaf_nodes
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.tol = tol
        self.random_state = random_state

    # ------------------------------------------------------------------ fit
    def _check_params(self):
        check_real(self.learning_rate, "learning_rate", low=0.0, low_inclusive=False)
        check_int(self.n_estimators, "n_estimators", low=1)
        check_real(self.subsample, "subsample", low=0.0, low_inclusive=False, high=1.0)
        check_tree_growth_params(self)
        if not (
            isinstance(self.early_stopping, (bool, np.bool_))
            or (isinstance(self.early_stopping, str) and self.early_stopping == "auto")
        ):
            raise TypeError(
                f"early_stopping must be 'auto' or a bool, got {self.early_stopping!r} "
                f"of type {type(self.early_stopping).__name__}"
            )
        check_real(
            self.validation_fraction,
            "validation_fraction",
            low=0.0,
            low_inclusive=False,
            high=1.0,
            high_inclusive=False,
        )
        check_int(self.n_iter_no_change, "n_iter_no_change", low=1)
        check_real(self.tol, "tol", low=0.0)
        check_random_state_param(self.random_state)

    def fit(self, X, y, sample_weight=None):
        """Boost trees on labels or a probability matrix.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_classes)
            Labels, or target probabilities (rows summing to 1).
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights.

        Returns
        -------
        self : object
            The fitted model.
        """
        self._check_params()
        X = validate_data(self, X, dtype=np.float32, accept_sparse=["csr", "csc", "coo"])
        if issparse(X):
            X = X.tocsr()
        targets, classes, _ = soft_targets_from_y(y)
        # The loss kernels need C order; HistGradientBoostingClassifier's
        # predict_proba (more than two classes) returns Fortran order.
        targets = np.ascontiguousarray(targets)
        check_consistent_length(X, targets)
        sample_weight = check_sample_weight(sample_weight, targets.shape[0])
        rng = check_random_state(self.random_state)
        self.classes_ = classes
        self.n_classes_ = targets.shape[1]
        self.do_early_stopping_ = self._early_stopping_on(X.shape[0])
        # Binary: one raw column, the logit of class 1.
        modelled = targets[:, 1:] if self.n_classes_ == 2 else targets
        self.n_trees_per_iteration_ = modelled.shape[1]

        val = None
        if self.do_early_stopping_:
            train, val = validation_split(targets, sample_weight, self.validation_fraction, rng)
            val = (X[val], modelled[val], sample_weight[val])
            X, targets, modelled = X[train], targets[train], modelled[train]
            sample_weight = sample_weight[train]
        self.prior_ = weighted_prior(targets, sample_weight)
        self.init_score_ = init_score(self.prior_)
        trees, train_scores, val_scores = self._boost(X, modelled, sample_weight, val, rng)

        self.estimators_ = np.empty((len(trees), self.n_trees_per_iteration_), dtype=object)
        for i, stage in enumerate(trees):
            self.estimators_[i, :] = stage
        self.n_estimators_ = len(trees)
        self.train_score_ = np.asarray(train_scores)
        if self.do_early_stopping_:
            self.validation_score_ = np.asarray(val_scores)
        return self

    def _early_stopping_on(self, n_samples):
        """Whether this fit holds out rows to stop on (``"auto"``: above
        ``AUTO_EARLY_STOPPING_ROWS`` rows, as HistGradientBoosting decides)."""
        if isinstance(self.early_stopping, str):  # "auto"
            return n_samples > AUTO_EARLY_STOPPING_ROWS
        return bool(self.early_stopping)

    def _boost(self, X, targets, sample_weight, val, rng):
        """Fit the rounds; return the stages and the per-round training and
        validation losses. ``val`` is ``(X, targets, sample_weight)`` of the
        held-out rows, or None (no early stopping)."""
        raw = np.tile(self.init_score_, (X.shape[0], 1))
        raw_val = None if val is None else np.tile(self.init_score_, (val[0].shape[0], 1))
        trees, train_scores, val_scores = [], [], []
        # sklearn trees fit sparse data in CSC and apply it in CSR.
        X_fit = _tree_fit_matrix(X)
        loss_history = np.full(self.n_iter_no_change, np.inf)
        for i in range(self.n_estimators):
            in_bag = self._in_bag_rows(sample_weight, rng)
            stage = self._fit_stage(X_fit, X, targets, sample_weight, raw, in_bag, rng)
            trees.append(stage)
            bag = slice(None) if in_bag is None else in_bag
            train_scores.append(soft_cross_entropy(raw[bag], targets[bag], sample_weight[bag]))
            if val is None:
                continue
            for k, tree in enumerate(stage):
                raw_val[:, k] += self.learning_rate * tree.predict(val[0], check_input=False)
            val_loss = soft_cross_entropy(raw_val, val[1], val[2])
            val_scores.append(val_loss)
            # sklearn's rule: continue while better (by tol) than some
            # loss of the last n_iter_no_change rounds.
            if np.any(val_loss + self.tol < loss_history):
                loss_history[i % len(loss_history)] = val_loss
            else:
                break
        return trees, train_scores, val_scores

    def _in_bag_rows(self, sample_weight, rng):
        """Rows the round's trees are fitted on (None: all of them).

        Rows of zero weight are left out: a tree would otherwise place
        thresholds midway to them, and weight 0 would not mean "removed".
        """
        n_samples = len(sample_weight)
        rows = None
        if self.subsample < 1.0:
            n_in_bag = max(1, int(self.subsample * n_samples))
            rows = np.sort(rng.choice(n_samples, size=n_in_bag, replace=False))
        if (sample_weight == 0).any():
            positive = np.flatnonzero(sample_weight > 0)
            rows = positive if rows is None else np.intersect1d(rows, positive)
            if len(rows) == 0:  # a subsample of zero-weight rows only
                rows = positive[:1]
        return rows

    def _fit_stage(self, X_fit, X_apply, targets, sample_weight, raw, in_bag, rng):
        """Fit one tree per raw column on ``targets - q``; update ``raw`` in place."""
        _, gradient = loss_gradient(raw, targets)
        residual = -gradient  # p - q
        proba = targets + gradient
        hessian = proba * (1.0 - proba)
        n_columns = raw.shape[1]
        factor = 1.0 if n_columns == 1 else (n_columns - 1) / n_columns
        if in_bag is not None:
            X_fit = _tree_fit_matrix(X_apply[in_bag])
            residual_fit, hessian_fit = residual[in_bag], hessian[in_bag]
            w_fit = sample_weight[in_bag]
        else:
            residual_fit, hessian_fit, w_fit = residual, hessian, sample_weight
        stage = []
        for k in range(n_columns):
            tree = DecisionTreeRegressor(
                criterion="squared_error",
                max_depth=self.max_depth,
                min_samples_split=self.min_samples_split,
                min_samples_leaf=self.min_samples_leaf,
                min_weight_fraction_leaf=self.min_weight_fraction_leaf,
                min_impurity_decrease=self.min_impurity_decrease,
                max_features=self.max_features,
                max_leaf_nodes=self.max_leaf_nodes,
                random_state=rng,
            )
            tree.fit(X_fit, residual_fit[:, k], sample_weight=w_fit, check_input=False)
            leaves = tree.apply(X_apply, check_input=False)
            leaves_fit = leaves if in_bag is None else leaves[in_bag]
            node_count = tree.tree_.node_count
            numerator = np.bincount(
                leaves_fit, weights=w_fit * residual_fit[:, k], minlength=node_count
            )
            denominator = np.bincount(
                leaves_fit, weights=w_fit * hessian_fit[:, k], minlength=node_count
            )
            ok = np.abs(denominator) >= MIN_HESSIAN
            step = np.zeros(node_count)
            step[ok] = factor * numerator[ok] / denominator[ok]
            is_leaf = tree.tree_.children_left == TREE_LEAF
            tree.tree_.value[is_leaf, 0, 0] = step[is_leaf]
            raw[:, k] += self.learning_rate * step[leaves]
            stage.append(tree)
        return stage

    # -------------------------------------------------------------- predict
    def _validate_X_predict(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float32, accept_sparse="csr")
        if issparse(X) and (X.indices.dtype != np.intc or X.indptr.dtype != np.intc):
            raise ValueError(
                "X must be a sparse matrix with 32-bit indices (scikit-learn trees have "
                "no support for int64-indexed sparse matrices)"
            )
        return X

    def _staged_raw(self, X):
        raw = np.tile(self.init_score_, (X.shape[0], 1))
        for stage in self.estimators_:
            for k, tree in enumerate(stage):
                raw[:, k] += self.learning_rate * tree.predict(X, check_input=False)
            yield raw

    def _raw_predict(self, X):
        # _staged_raw updates one array in place: its last state is the model's.
        return deque(self._staged_raw(X), maxlen=1)[0]

    def decision_function(self, X):
        """Raw scores: the logit of ``classes_[1]`` for two classes (shape
        (n_samples,)), else one log-probability up to a row constant per class.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples,) or (n_samples, n_classes)
        """
        raw = self._raw_predict(self._validate_X_predict(X))
        return raw[:, 0] if raw.shape[1] == 1 else raw

    def _proba_from_raw(self, raw):
        proba = model_proba(raw)
        if raw.shape[1] == 1:
            return np.column_stack([1.0 - proba[:, 0], proba[:, 0]])
        return proba

    def predict_proba(self, X):
        """Class probabilities, columns ordered as ``classes_``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        return self._proba_from_raw(self._raw_predict(self._validate_X_predict(X)))

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
        """
        raw = self._raw_predict(self._validate_X_predict(X))
        if raw.shape[1] == 1:
            z = raw[:, 0]
            return np.column_stack([-np.logaddexp(0.0, z), -np.logaddexp(0.0, -z)])
        return raw - logsumexp(raw, axis=1, keepdims=True)

    def predict(self, X):
        """Most probable class of each row.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        raw = self._raw_predict(self._validate_X_predict(X))
        if raw.shape[1] == 1:
            # A score of exactly 0 goes to classes_[1], as in
            # GradientBoostingClassifier (and so in to_sklearn()'s model).
            return self.classes_[(raw[:, 0] >= 0).astype(np.intp)]
        return self.classes_[np.argmax(raw, axis=1)]

    def staged_predict_proba(self, X):
        """Class probabilities after each boosting round.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Yields
        ------
        proba : ndarray of shape (n_samples, n_classes)
        """
        for raw in self._staged_raw(self._validate_X_predict(X)):
            yield self._proba_from_raw(raw)

    @property
    def feature_importances_(self):
        """Impurity-based importances summed over all trees, normalised to 1."""
        check_is_fitted(self)
        total = np.zeros(self.n_features_in_)
        for tree in self.estimators_.ravel():
            if tree.tree_.node_count > 1:
                total += tree.tree_.compute_feature_importances(normalize=False)
        norm = total.sum()
        return total / norm if norm > 0 else total

    def to_sklearn(self):
        """An equivalent fitted :class:`~sklearn.ensemble.GradientBoostingClassifier`.

        Its ``decision_function``, ``predict_proba`` and ``predict`` equal
        this model's (to rounding, about 1e-15): the trees are copies of
        ``estimators_`` in the same layout, its ``init_`` is a
        :class:`~sklearn.dummy.DummyClassifier` predicting ``prior_``, and
        its parameters are this model's (``n_estimators`` = the rounds
        fitted). It pickles and loads without skdistill and converts to ONNX
        with skl2onnx.

        ``GradientBoostingClassifier`` cannot be given fitted parts through
        public API, so this sets the attributes its ``fit`` sets, including
        the private loss object ``_loss`` (from its own ``_get_loss``), as
        in scikit-learn 1.6 to 1.9. Before 1.8 it clips the prior to
        ``[eps, 1 - eps]`` with float32's eps (1.2e-7), since then with
        float64's: a class prior below 1.2e-7 (a class the targets never
        give) is clipped there in ``init_`` on every version, and the
        difference of initial scores is added to the first round's trees.

        Returns
        -------
        gbc : GradientBoostingClassifier
            Plain scikit-learn estimator. Its ``train_score_`` is this
            model's soft cross-entropy, doubled for two classes as
            scikit-learn reports the binomial loss.

        Examples
        --------
        >>> from sklearn.datasets import load_iris
        >>> from skdistill.students import SoftGradientBoostingClassifier
        >>> X, y = load_iris(return_X_y=True)
        >>> student = SoftGradientBoostingClassifier(n_estimators=10).fit(X, y)
        >>> gbc = student.to_sklearn()
        >>> type(gbc).__name__, gbc.estimators_.shape
        ('GradientBoostingClassifier', (10, 3))
        >>> float(abs(gbc.predict_proba(X) - student.predict_proba(X)).max()) < 1e-12
        True
        """
        check_is_fitted(self)
        return to_gradient_boosting(self)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags


def _tree_fit_matrix(X):
    """X as sklearn trees fit it without input checks: dense, or CSC with
    sorted indices (row-indexing a CSC matrix leaves its indices unsorted,
    which the sparse splitter does not expect)."""
    if not issparse(X):
        return X
    X = X.tocsc(copy=True)
    X.sort_indices()
    return X
