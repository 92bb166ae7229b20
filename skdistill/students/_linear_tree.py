"""Shallow trees with a linear model in each leaf.

A depth-2 tree with a logistic model per leaf reads like four logistic
regressions chosen by two questions: far more accurate than a depth-2 tree
alone, still small enough to print. The partition is a scikit-learn
regression tree grown on the targets (the probability matrix for the
classifier, ``y`` for the regressor); each leaf then gets a soft logistic
model (:class:`SoftLogisticRegression`) or a ridge regression fitted to the
rows that reach it. Features are standardised (weighted mean and standard
deviation of the training rows) before the leaf fits, so ``C``/``alpha``
penalise standardised coefficients, and the coefficients are folded back to
the original feature scale afterwards: ``coef_`` applies to raw ``X``.

``to_sklearn()`` gives the same model as a plain scikit-learn Pipeline (see
:meth:`LinearTreeClassifier.to_sklearn`): leaf indicators next to the leaf
models' scores (or the features), their pairwise products, then one linear
model that keeps "leaf indicator times that leaf's scores".
"""

from copy import deepcopy

import numpy as np
from scipy.special import logsumexp
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.ensemble import RandomTreesEmbedding
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder, PolynomialFeatures
from sklearn.random_projection import GaussianRandomProjection
from sklearn.tree import DecisionTreeRegressor
from sklearn.utils.validation import (
    check_consistent_length,
    check_is_fitted,
    validate_data,
)
from threadpoolctl import threadpool_limits

from .._doc_link import DocLinkMixin
from .._validation import check_int, check_real
from ._base import SoftTargetClassifierMixin, soft_targets_from_y
from ._logistic import SoftLogisticRegression
from ._tree import (
    TREE_LEAF,
    _names,
    check_count_or_fraction,
    check_random_state_param,
    check_sample_weight,
    tree_rules_text,
)

# A class with no target mass in a leaf scores -inf there. The exported linear
# model needs finite coefficients (0 * -inf is NaN for the rows of the other
# leaves); this score is still so far below any real one, in float32 (ONNX)
# as in float64, that its probability exp(score - max) is exactly 0.
_EXCLUDED_SCORE = -1e30


class _BaseLinearTree(DocLinkMixin, BaseEstimator):
    """Partition by a regression tree, then one model per leaf."""

    def _check_partition_params(self):
        check_int(self.max_depth, "max_depth", low=1, allow_none=True)
        check_count_or_fraction(
            self.min_samples_leaf, "min_samples_leaf", int_low=1, fraction_high_inclusive=False
        )
        check_int(self.max_leaf_nodes, "max_leaf_nodes", low=2, allow_none=True)
        check_random_state_param(self.random_state)

    def _fit_partition(self, X, partition_targets, sample_weight):
        """Fit ``partition_`` and return the leaf index (0..n_leaves-1) of each row."""
        self.partition_ = DecisionTreeRegressor(
            max_depth=self.max_depth,
            min_samples_leaf=self.min_samples_leaf,
            max_leaf_nodes=self.max_leaf_nodes,
            random_state=self.random_state,
        ).fit(X, partition_targets, sample_weight=sample_weight)
        is_leaf = self.partition_.tree_.children_left == TREE_LEAF
        self.leaf_nodes_ = np.flatnonzero(is_leaf)
        return self._leaf_index(X)

    def _leaf_index(self, X):
        nodes = self.partition_.apply(X)
        return np.searchsorted(self.leaf_nodes_, nodes)

    def _standardize(self, X, sample_weight):
        """Weighted mean and scale of the features (scale 1 for constants)."""
        mean = np.average(X, axis=0, weights=sample_weight)
        std = np.sqrt(np.average((X - mean) ** 2, axis=0, weights=sample_weight))
        std[std <= np.finfo(np.float64).eps * np.maximum(1.0, np.abs(mean))] = 1.0
        return mean, std

    @staticmethod
    def _unscale(coef, intercept, mean, std):
        """Coefficients for standardised features -> for raw features."""
        raw_coef = coef / std
        return raw_coef, intercept - raw_coef @ mean

    def get_n_leaves(self):
        """Number of leaves (of leaf models)."""
        check_is_fitted(self)
        return len(self.leaf_nodes_)

    def get_depth(self):
        """Depth of the partition tree."""
        check_is_fitted(self)
        return self.partition_.get_depth()

    def apply(self, X):
        """Index of the leaf model used for each row (``0 .. n_leaves - 1``,
        the first axis of ``coef_``).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        leaf : ndarray of shape (n_samples,)
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return self._leaf_index(X)

    def _leaf_embedding(self):
        """A fitted RandomTreesEmbedding holding a copy of ``partition_``: its
        transform is the one-hot leaf of each row, columns in ``leaf_nodes_``
        order (the order of ``coef_``)."""
        embedding = RandomTreesEmbedding(
            n_estimators=1, max_depth=self.max_depth, sparse_output=False
        )
        # What fit would leave: the (unfitted) template tree, then the trees.
        embedding.estimator_ = clone(embedding.estimator)
        embedding.estimators_ = [_single_output_copy(self.partition_)]
        leaves = self.leaf_nodes_.reshape(-1, 1)
        embedding.one_hot_encoder_ = OneHotEncoder(
            categories=[self.leaf_nodes_.copy()], sparse_output=False
        ).fit(leaves)
        embedding.n_features_in_ = self.n_features_in_
        if hasattr(self, "feature_names_in_"):
            embedding.feature_names_in_ = self.feature_names_in_.copy()
        embedding.n_outputs_ = 1
        return embedding

    def _sklearn_design(self, n_outputs, coef, intercept):
        """The steps that expand X and the coefficients of one linear model
        on the expansion that equals the leaf models.

        ``coef`` is (n_leaves, n_outputs, n_features), ``intercept``
        (n_leaves, n_outputs), both finite. The expansion is ``[one-hot
        leaf, G]`` and its pairwise products, where G is either X itself or,
        when narrower, every leaf model's scores ``X @ coef[leaf].T`` (a
        fixed linear map). The linear model puts each leaf's intercept on
        its indicator and, on "indicator times G", the leaf's coefficients
        (G = X) or 1 on its own scores (G = scores); every other column gets
        0.
        """
        n_leaves, n_features = len(self.leaf_nodes_), self.n_features_in_
        by_scores = n_leaves * n_outputs < n_features
        if by_scores:
            signals = self._leaf_scores(coef.reshape(n_leaves * n_outputs, n_features))
            slopes = np.zeros((n_leaves, n_outputs, n_leaves * n_outputs))
            for leaf in range(n_leaves):
                own = slice(leaf * n_outputs, (leaf + 1) * n_outputs)
                slopes[leaf, :, own] = np.eye(n_outputs)
        else:
            signals, slopes = ("features", FunctionTransformer()), coef
        width = n_leaves + slopes.shape[2]
        products = PolynomialFeatures(degree=2, interaction_only=True, include_bias=False)
        products.fit(np.zeros((1, width)))
        column = {tuple(np.flatnonzero(p)): i for i, p in enumerate(products.powers_)}
        full = np.zeros((n_outputs, products.n_output_features_))
        for leaf in range(n_leaves):
            full[:, leaf] = intercept[leaf]
            pairs = [column[(leaf, n_leaves + g)] for g in range(slopes.shape[2])]
            full[:, pairs] = slopes[leaf]
        union = FeatureUnion([("leaf", self._leaf_embedding()), signals])
        return [("leaf_features", union), ("leaf_products", products)], full

    def _leaf_scores(self, components):
        """``("leaf_scores", projection)``: a fitted GaussianRandomProjection
        whose components are the leaf models' coefficients, i.e. the fixed
        linear map ``X @ components.T``."""
        projection = GaussianRandomProjection(n_components=components.shape[0])
        projection.components_ = components.copy()
        projection.n_components_ = components.shape[0]
        projection.n_features_in_ = self.n_features_in_
        if hasattr(self, "feature_names_in_"):
            projection.feature_names_in_ = self.feature_names_in_.copy()
        return ("leaf_scores", projection)

    def export_text(self, feature_names=None, decimals=2):
        """The partition as indented rules, each leaf followed by its model.

        Parameters
        ----------
        feature_names : sequence of str, default=None
            Defaults to ``feature_names_in_`` or ``feature_0, feature_1, ...``.
        decimals : int, default=2
            Decimals of thresholds and coefficients.

        Returns
        -------
        text : str
        """
        check_is_fitted(self)
        decimals = check_int(decimals, "decimals", low=0)
        names = _names(
            feature_names,
            "feature_names",
            self.n_features_in_,
            getattr(self, "feature_names_in_", None),
            "feature_",
        )
        leaf_of_node = {node: i for i, node in enumerate(self.leaf_nodes_)}
        return tree_rules_text(
            self.partition_.tree_,
            names,
            decimals,
            lambda node: self._leaf_text(leaf_of_node[node], names, decimals),
        )


def _single_output_copy(tree):
    """A copy of a fitted DecisionTreeRegressor with its first output only:
    same nodes and thresholds, hence the same ``apply``. skl2onnx (1.20)
    builds a wrong ONNX graph for the leaf ids of a multi-output tree, and
    only the leaf ids of the partition are exported."""
    single = deepcopy(tree)
    state = tree.tree_.__getstate__()
    values = np.ascontiguousarray(state["values"][:, :1, :])
    single.tree_ = type(tree.tree_)(tree.n_features_in_, np.array([1], dtype=np.intp), 1)
    single.tree_.__setstate__(dict(state, values=values))
    single.n_outputs_ = 1
    return single


def _single_threaded_blas():
    """Leaf problems are small: BLAS threads only add overhead, and on a busy
    machine their spinning made leaf fits several times slower (measured 5x)."""
    return threadpool_limits(limits=1, user_api="blas")


def _linear_text(coef, intercept, names, decimals):
    terms = [f"{intercept:.{decimals}f}"]
    for c, name in zip(coef, names):
        if round(float(c), decimals) != 0:
            sign = "-" if c < 0 else "+"
            terms.append(f"{sign} {abs(c):.{decimals}f}*{name}")
    return " ".join(terms)


class LinearTreeClassifier(SoftTargetClassifierMixin, _BaseLinearTree):
    """Shallow tree with a soft logistic model in each leaf.

    ``fit(X, y)`` takes labels or an (n_samples, n_classes) probability
    matrix. A regression tree grown on the target probabilities (as
    :class:`SoftDecisionTreeClassifier` grows it) splits the data into a few
    regions; in each one a :class:`SoftLogisticRegression` is fitted to the
    soft targets of its rows. A leaf where fewer than two classes have any
    target mass predicts its mean probability vector; classes without mass
    in a leaf get probability 0 there.

    Parameters
    ----------
    max_depth : int or None, default=2
        Depth of the partition tree.
    min_samples_leaf : int or float, default=20
        Minimum rows (or fraction of rows) per leaf: each leaf must hold
        enough rows for its logistic model.
    max_leaf_nodes : int, default=None
        Grow the partition best-first with at most this many leaves.
    C : float, default=1.0
        Inverse L2 penalty of the leaf models, on standardised features.
    max_iter : int, default=200
        L-BFGS iterations per leaf model.
    random_state : int, RandomState instance or None, default=None
        Breaks ties between equally good splits of the partition tree.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Labels seen in ``fit``, or ``arange(n_classes)`` for a probability matrix.
    partition_ : DecisionTreeRegressor
        The partition tree (on raw features).
    leaf_nodes_ : ndarray of shape (n_leaves,)
        Node ids of ``partition_.tree_`` that are leaves, in the order of ``coef_``.
    coef_ : ndarray of shape (n_leaves, n_classes, n_features)
        Per-leaf class scores are ``X @ coef_[leaf].T + intercept_[leaf]``
        (softmaxed), on the raw feature scale.
    intercept_ : ndarray of shape (n_leaves, n_classes)
        Per-leaf intercepts; ``-inf`` for a class with no target mass in the leaf.
    n_iter_ : int
        Largest number of L-BFGS iterations among the leaf models (0 when
        every leaf is pure).
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Feature names, when X had string column names.

    See Also
    --------
    LinearTreeRegressor : the same with ridge models, for regression.
    SoftDecisionTreeClassifier : constant leaves.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from skdistill.students import LinearTreeClassifier
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> model = LinearTreeClassifier(max_depth=1, random_state=0).fit(X, y)
    >>> model.get_n_leaves(), model.coef_.shape
    (2, (2, 2, 30))
    >>> round(model.score(X, y), 2)
    0.99
    """

    def __init__(
        self,
        *,
        max_depth=2,
        min_samples_leaf=20,
        max_leaf_nodes=None,
        C=1.0,
        max_iter=200,
        random_state=None,
    ):
        self.max_depth = max_depth
        self.min_samples_leaf = min_samples_leaf
        self.max_leaf_nodes = max_leaf_nodes
        self.C = C
        self.max_iter = max_iter
        self.random_state = random_state

    def fit(self, X, y, sample_weight=None):
        """Partition the data, then fit a soft logistic model per leaf.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
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
        self._check_partition_params()
        C = check_real(self.C, "C", low=0.0, low_inclusive=False)
        max_iter = check_int(self.max_iter, "max_iter", low=1)
        X = validate_data(self, X, dtype=np.float64)
        targets, classes, _ = soft_targets_from_y(y)
        check_consistent_length(X, targets)
        sample_weight = check_sample_weight(sample_weight, targets.shape[0])
        n_classes = targets.shape[1]

        leaf = self._fit_partition(X, targets[:, 1] if n_classes == 2 else targets, sample_weight)
        mean, std = self._standardize(X, sample_weight)
        Z = (X - mean) / std
        n_leaves = len(self.leaf_nodes_)
        coef = np.zeros((n_leaves, n_classes, X.shape[1]))
        intercept = np.full((n_leaves, n_classes), -np.inf)
        n_iter = 0
        with _single_threaded_blas():
            for i in range(n_leaves):
                rows = np.flatnonzero(leaf == i)
                coef[i], intercept[i], leaf_iter = _leaf_logistic(
                    Z[rows], targets[rows], sample_weight[rows], C, max_iter
                )
                coef[i], intercept[i] = self._unscale(coef[i], intercept[i], mean, std)
                n_iter = max(n_iter, leaf_iter)
        self.classes_ = classes
        self.n_iter_ = n_iter
        self.coef_ = coef
        self.intercept_ = intercept
        return self

    def _scores(self, X):
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        leaf = self._leaf_index(X)
        scores = np.empty((X.shape[0], len(self.classes_)))
        for i in range(len(self.leaf_nodes_)):
            rows = leaf == i
            if rows.any():
                with np.errstate(invalid="ignore"):
                    scores[rows] = X[rows] @ self.coef_[i].T + self.intercept_[i]
        return scores

    def predict_log_proba(self, X):
        """Log of :meth:`predict_proba` (``-inf`` where a leaf rules a class out).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
        """
        scores = self._scores(X)
        return scores - logsumexp(scores, axis=1, keepdims=True)

    def predict_proba(self, X):
        """Class probabilities from each row's leaf model.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        return np.exp(self.predict_log_proba(X))

    def predict(self, X):
        """Most probable class of each row.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        scores = self._scores(X)
        return self.classes_[np.argmax(scores, axis=1)]

    def to_sklearn(self):
        """The same model as a fitted scikit-learn Pipeline.

        The Pipeline's steps are ``leaf_features``, ``leaf_products`` and
        ``leaf_models``:

        - ``leaf_features``, a FeatureUnion of a
          :class:`~sklearn.ensemble.RandomTreesEmbedding` holding a copy of
          ``partition_`` (the one-hot leaf of each row) and of every leaf
          model's scores ``X @ coef_[leaf].T``, computed by a
          :class:`~sklearn.random_projection.GaussianRandomProjection` whose
          ``components_`` are those coefficients (a fixed linear map; when
          the features are fewer than ``n_leaves * n_classes``, the features
          themselves instead, through an identity
          :class:`~sklearn.preprocessing.FunctionTransformer`);
        - ``leaf_products``, their pairwise products
          (:class:`~sklearn.preprocessing.PolynomialFeatures`);
        - ``leaf_models``, a :class:`~sklearn.linear_model.LogisticRegression`
          with coefficient 1 on "leaf indicator times that leaf's scores" (or
          the leaf's coefficients on "indicator times feature") and each
          leaf's intercept on its indicator (-1e30 for a class the leaf rules
          out); every other column gets 0.

        Every row's decision function is then its leaf model's scores, so
        probabilities and predictions are equal (up to float rounding).
        Every step is one skl2onnx converts, so the Pipeline also exports to
        ONNX. The expansion has ``w * (w + 1) / 2`` columns for ``w =
        n_leaves * (1 + n_scores)``, where a leaf has one score for two
        classes and ``n_classes`` otherwise (36 for 4 leaves and two classes,
        whatever the number of features).

        Returns
        -------
        model : Pipeline
            Plain scikit-learn estimators (pickles without skdistill).

        Examples
        --------
        >>> from sklearn.datasets import load_breast_cancer
        >>> from skdistill.students import LinearTreeClassifier
        >>> X, y = load_breast_cancer(return_X_y=True)
        >>> model = LinearTreeClassifier(max_depth=1, random_state=0).fit(X, y)
        >>> plain = model.to_sklearn()
        >>> [name for name, _ in plain.steps]
        ['leaf_features', 'leaf_products', 'leaf_models']
        >>> bool(abs(plain.predict_proba(X) - model.predict_proba(X)).max() < 1e-9)
        True
        """
        check_is_fitted(self)
        leaf_coef = self.coef_
        leaf_intercept = np.where(np.isfinite(self.intercept_), self.intercept_, _EXCLUDED_SCORE)
        if len(self.classes_) == 2:
            # One margin, class 1 against class 0, as LogisticRegression has it.
            leaf_coef = leaf_coef[:, 1:] - leaf_coef[:, :1]
            leaf_intercept = leaf_intercept[:, 1:] - leaf_intercept[:, :1]
        steps, coef = self._sklearn_design(leaf_coef.shape[1], leaf_coef, leaf_intercept)
        model = LogisticRegression(C=self.C, max_iter=self.max_iter)
        model.classes_ = self.classes_.copy()
        model.coef_ = coef
        model.intercept_ = np.zeros(coef.shape[0])
        model.n_iter_ = np.array([self.n_iter_], dtype=np.int32)
        model.n_features_in_ = coef.shape[1]
        return Pipeline([*steps, ("leaf_models", model)])

    def _leaf_text(self, i, names, decimals):
        finite = np.isfinite(self.intercept_[i])
        parts = []
        for k in np.flatnonzero(finite):
            formula = _linear_text(self.coef_[i, k], self.intercept_[i, k], names, decimals)
            parts.append(f"score[{self.classes_[k]}] = {formula}")
        return "; ".join(parts)


def _leaf_logistic(Z, targets, sample_weight, C, max_iter):
    """(coef (K, d), intercept (K,), L-BFGS iterations) of one leaf on
    standardised features."""
    n_classes = targets.shape[1]
    coef = np.zeros((n_classes, Z.shape[1]))
    intercept = np.full(n_classes, -np.inf)
    mass = sample_weight @ targets
    present = np.flatnonzero(mass > 0)
    if len(present) < 2:
        # Pure leaf (or no weight at all): the mean probability vector.
        if len(present) == 0:
            present = np.arange(n_classes)
            mass = np.ones(n_classes)
        intercept[present] = np.log(mass[present] / mass[present].sum())
        return coef, intercept, 0
    sub = targets[:, present]
    totals = sub.sum(axis=1, keepdims=True)
    # A zero-weight row may carry mass only on absent classes: make it uniform.
    sub = np.where(totals > 0, sub / np.where(totals > 0, totals, 1.0), 1.0 / len(present))
    model = SoftLogisticRegression(C=C, max_iter=max_iter).fit(Z, sub, sample_weight=sample_weight)
    if len(present) == 2:
        # One score for class present[1]; class present[0] scores 0.
        coef[present[1]] = model.coef_[0]
        intercept[present] = [0.0, model.intercept_[0]]
    else:
        coef[present] = model.coef_
        intercept[present] = model.intercept_
    return coef, intercept, int(model.n_iter_[0])


class LinearTreeRegressor(RegressorMixin, _BaseLinearTree):
    """Shallow regression tree with a ridge model in each leaf.

    A regression tree grown on ``y`` splits the data into a few regions; in
    each a :class:`~sklearn.linear_model.Ridge` is fitted to the rows that
    reach it (on standardised features; ``coef_`` is on the raw scale).
    Multi-output ``y`` is supported.

    Parameters
    ----------
    max_depth : int or None, default=2
        Depth of the partition tree.
    min_samples_leaf : int or float, default=20
        Minimum rows (or fraction of rows) per leaf.
    max_leaf_nodes : int, default=None
        Grow the partition best-first with at most this many leaves.
    alpha : float, default=1.0
        L2 penalty of the leaf models, on standardised features.
    random_state : int, RandomState instance or None, default=None
        Breaks ties between equally good splits of the partition tree.

    Attributes
    ----------
    partition_ : DecisionTreeRegressor
        The partition tree (on raw features).
    leaf_nodes_ : ndarray of shape (n_leaves,)
        Node ids of ``partition_.tree_`` that are leaves, in the order of ``coef_``.
    coef_ : ndarray of shape (n_leaves, n_features) or (n_leaves, n_targets, n_features)
        Per-leaf coefficients on the raw feature scale.
    intercept_ : ndarray of shape (n_leaves,) or (n_leaves, n_targets)
        Per-leaf intercepts.
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Feature names, when X had string column names.

    See Also
    --------
    LinearTreeClassifier : the same with soft logistic models.

    Examples
    --------
    >>> import numpy as np
    >>> from skdistill.students import LinearTreeRegressor
    >>> X = np.linspace(-1, 1, 200).reshape(-1, 1)
    >>> y = np.where(X[:, 0] < 0, -X[:, 0], 2 + X[:, 0])   # two linear pieces
    >>> model = LinearTreeRegressor(max_depth=1, alpha=1e-6).fit(X, y)
    >>> model.coef_.round(2).ravel()
    array([-1.,  1.])
    >>> print(model.export_text())
    |--- feature_0 <= 0.00
    |   |--- value = 0.00 - 1.00*feature_0
    |--- feature_0 >  0.00
    |   |--- value = 2.00 + 1.00*feature_0
    <BLANKLINE>
    """

    def __init__(
        self,
        *,
        max_depth=2,
        min_samples_leaf=20,
        max_leaf_nodes=None,
        alpha=1.0,
        random_state=None,
    ):
        self.max_depth = max_depth
        self.min_samples_leaf = min_samples_leaf
        self.max_leaf_nodes = max_leaf_nodes
        self.alpha = alpha
        self.random_state = random_state

    def fit(self, X, y, sample_weight=None):
        """Partition the data, then fit a ridge model per leaf.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
            Target values.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights.

        Returns
        -------
        self : object
            The fitted model.
        """
        self._check_partition_params()
        alpha = check_real(self.alpha, "alpha", low=0.0)
        X, y = validate_data(self, X, y, dtype=np.float64, multi_output=True, y_numeric=True)
        sample_weight = check_sample_weight(sample_weight, X.shape[0])
        leaf = self._fit_partition(X, y, sample_weight)
        mean, std = self._standardize(X, sample_weight)
        Z = (X - mean) / std
        Y = y.reshape(len(y), -1)
        n_leaves, n_outputs = len(self.leaf_nodes_), Y.shape[1]
        coef = np.zeros((n_leaves, n_outputs, X.shape[1]))
        intercept = np.zeros((n_leaves, n_outputs))
        with _single_threaded_blas():
            for i in range(n_leaves):
                rows = np.flatnonzero(leaf == i)
                ridge = Ridge(alpha=alpha).fit(Z[rows], Y[rows], sample_weight=sample_weight[rows])
                coef[i], intercept[i] = self._unscale(
                    ridge.coef_.reshape(n_outputs, -1),
                    np.ravel(ridge.intercept_),
                    mean,
                    std,
                )
        if y.ndim == 1:
            coef, intercept = coef[:, 0], intercept[:, 0]
        self.coef_ = coef
        self.intercept_ = intercept
        return self

    def predict(self, X):
        """Predictions of each row's leaf model.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_targets)
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        leaf = self._leaf_index(X)
        out = np.empty((X.shape[0],) + self.intercept_.shape[1:])
        for i in range(len(self.leaf_nodes_)):
            rows = leaf == i
            if rows.any():
                out[rows] = X[rows] @ self.coef_[i].T + self.intercept_[i]
        return out

    def to_sklearn(self):
        """The same model as a fitted scikit-learn Pipeline.

        The steps are those of :meth:`LinearTreeClassifier.to_sklearn` (one
        score per leaf and target), the last one (``leaf_models``) a
        :class:`~sklearn.linear_model.LinearRegression` that keeps "leaf
        indicator times that leaf's predictions" and each leaf's intercept on
        its indicator: every row's prediction is its leaf model's (up to float
        rounding).

        Returns
        -------
        model : Pipeline
            Plain scikit-learn estimators (pickles without skdistill).

        Examples
        --------
        >>> import numpy as np
        >>> from skdistill.students import LinearTreeRegressor
        >>> X = np.linspace(-1, 1, 200).reshape(-1, 1)
        >>> y = np.where(X[:, 0] < 0, -X[:, 0], 2 + X[:, 0])
        >>> model = LinearTreeRegressor(max_depth=1, alpha=1e-6).fit(X, y)
        >>> plain = model.to_sklearn()
        >>> bool(np.allclose(plain.predict(X), model.predict(X)))
        True
        """
        check_is_fitted(self)
        n_leaves = len(self.leaf_nodes_)
        coef = self.coef_.reshape(n_leaves, -1, self.n_features_in_)
        intercept = self.intercept_.reshape(n_leaves, -1)
        steps, full = self._sklearn_design(coef.shape[1], coef, intercept)
        model = LinearRegression()
        single = self.intercept_.ndim == 1
        model.coef_ = full[0] if single else full
        model.intercept_ = 0.0 if single else np.zeros(full.shape[0])
        model.n_features_in_ = full.shape[1]
        return Pipeline([*steps, ("leaf_models", model)])

    def _leaf_text(self, i, names, decimals):
        coef = self.coef_[i].reshape(-1, self.n_features_in_)
        intercept = np.ravel(self.intercept_[i])
        formulas = [_linear_text(c, b, names, decimals) for c, b in zip(coef, intercept)]
        if len(formulas) == 1:
            return f"value = {formulas[0]}"
        return "; ".join(f"value[{j}] = {f}" for j, f in enumerate(formulas))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags
