"""A decision tree grown on probability vectors.

scikit-learn's classification criteria only count hard labels. A regression
tree with one output per class and squared error, grown on the target
probability matrix, minimises ``sum_k Var(p_k)``: on one-hot targets that is
the Gini impurity divided by the number of classes, so the splits are those of
a Gini tree, and on soft targets it is the natural extension (Breiman et al.
1984, section 4.3: Gini is the within-node variance of the class indicators).
The regressor's tree is then rewritten as a classifier tree (one output, one
value per class), so predictions, ``to_sklearn`` and export share one object.
"""

import numbers
from copy import deepcopy

import numpy as np
from scipy.sparse import issparse
from sklearn.base import BaseEstimator
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.validation import (
    check_consistent_length,
    check_is_fitted,
    validate_data,
)

from .._validation import check_int, check_option, check_real
from .._validation import check_sample_weight as _check_sample_weight
from ._base import SoftTargetClassifierMixin, soft_targets_from_y

TREE_LEAF = -1


# --------------------------------------------------------------------------
# Helpers shared by the tree-based students
# --------------------------------------------------------------------------
def check_sample_weight(sample_weight, n_samples):
    """``sample_weight`` as a float64 array of shape (n_samples,), all ones for None."""
    weight = _check_sample_weight(sample_weight, n_samples, allow_scalar=True, positive_sum=True)
    return np.ones(n_samples, dtype=np.float64) if weight is None else weight


def check_count_or_fraction(
    value, name, *, int_low, fraction_high_inclusive=True, allow_none=False
):
    """An int >= ``int_low`` or a float fraction in (0, 1] (or (0, 1))."""
    if value is None and allow_none:
        return None
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return check_int(value, name, low=int_low)
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return check_real(
            value,
            name,
            low=0.0,
            low_inclusive=False,
            high=1.0,
            high_inclusive=fraction_high_inclusive,
        )
    expected = f"an int >= {int_low} or a float in (0, 1"
    expected += "]" if fraction_high_inclusive else ")"
    if allow_none:
        expected += ", or None"
    raise TypeError(f"{name} must be {expected}, got {value!r} of type {type(value).__name__}")


def check_max_features(value):
    """``max_features`` as scikit-learn trees take it."""
    if value is None or isinstance(value, str):
        if value is not None:
            check_option(value, "max_features", ("sqrt", "log2"))
        return value
    return check_count_or_fraction(value, "max_features", int_low=1)


def check_tree_growth_params(estimator):
    """Validate the tree-growing parameters an estimator shares with sklearn trees."""
    check_int(estimator.max_depth, "max_depth", low=1, allow_none=True)
    check_count_or_fraction(estimator.min_samples_split, "min_samples_split", int_low=2)
    check_count_or_fraction(
        estimator.min_samples_leaf, "min_samples_leaf", int_low=1, fraction_high_inclusive=False
    )
    check_real(estimator.min_weight_fraction_leaf, "min_weight_fraction_leaf", low=0.0, high=0.5)
    check_max_features(estimator.max_features)
    check_int(estimator.max_leaf_nodes, "max_leaf_nodes", low=2, allow_none=True)
    check_real(estimator.min_impurity_decrease, "min_impurity_decrease", low=0.0)


def check_random_state_param(random_state):
    """``random_state`` must be None, an int or a RandomState (checked in fit)."""
    if random_state is None or isinstance(random_state, np.random.RandomState):
        return random_state
    if isinstance(random_state, numbers.Integral) and not isinstance(random_state, bool):
        return random_state
    raise TypeError(
        "random_state must be None, an int or a numpy RandomState, got "
        f"{random_state!r} of type {type(random_state).__name__}"
    )


def class_weighted_targets(targets, classes, class_weight):
    """Apply ``class_weight`` to a target matrix.

    Returns ``(targets, row_weight)``: with class weights ``c_k``, the row
    weight is ``sum_k c_k p_ik`` and the targets become ``c_k p_ik / row
    weight``, so that ``row_weight * p'_ik = c_k p_ik``: each class's share of
    every loss term is scaled by ``c_k``. On one-hot targets this is exactly
    scikit-learn's ``class_weight`` (weight ``c_{y_i}`` on row i, targets
    unchanged). ``"balanced"`` uses ``n / (K * sum_i p_ik)``.
    """
    n_samples, n_classes = targets.shape
    if isinstance(class_weight, str):
        check_option(class_weight, "class_weight", ("balanced",))
        mass = targets.sum(axis=0)
        with np.errstate(divide="ignore"):
            weights = np.where(mass > 0, n_samples / (n_classes * mass), 1.0)
    elif isinstance(class_weight, dict):
        # The labels themselves do not matter for a dict: pass the classes as y.
        weights = compute_class_weight(class_weight, classes=classes, y=classes)
        if not np.all(np.isfinite(weights)) or (weights < 0).any():
            raise ValueError(
                f"class_weight values must be finite and non-negative, got {class_weight!r}"
            )
    else:
        raise TypeError(
            'class_weight must be None, "balanced" or a dict {class: weight}, got '
            f"{class_weight!r} of type {type(class_weight).__name__}"
        )
    weighted = targets * weights[None, :]
    row_weight = weighted.sum(axis=1)
    positive = row_weight > 0
    out = targets.copy()
    out[positive] = weighted[positive] / row_weight[positive, None]
    return out, row_weight


def validate_tree_X(estimator, X, *, reset, sparse_format):
    """X as float32 (dense, NaN allowed) or sparse ``sparse_format`` for sklearn trees."""
    X = validate_data(
        estimator,
        X,
        reset=reset,
        dtype=np.float32,
        accept_sparse=sparse_format,
        ensure_all_finite=True if issparse(X) else "allow-nan",
    )
    if issparse(X) and (X.indices.dtype != np.intc or X.indptr.dtype != np.intc):
        raise ValueError(
            "X must be a sparse matrix with 32-bit indices (scikit-learn trees have no "
            "support for int64-indexed sparse matrices)"
        )
    return X


# --------------------------------------------------------------------------
# The estimator
# --------------------------------------------------------------------------
class SoftDecisionTreeClassifier(SoftTargetClassifierMixin, BaseEstimator):
    """Decision tree classifier that learns from class-probability targets.

    ``fit(X, y)`` takes labels or an (n_samples, n_classes) probability matrix
    (e.g. a teacher's soft targets). The tree is grown by scikit-learn's
    :class:`~sklearn.tree.DecisionTreeRegressor` with squared error on the
    probability vectors, which on one-hot targets is the Gini criterion up to
    a constant factor; each leaf predicts the weighted mean probability
    vector of its rows.

    Parameters
    ----------
    max_depth : int, default=None
        Maximum depth; None grows until leaves are pure or hit the limits below.
    min_samples_split : int or float, default=2
        Minimum number (or fraction) of rows to split a node.
    min_samples_leaf : int or float, default=1
        Minimum number (or fraction) of rows in each leaf.
    min_weight_fraction_leaf : float, default=0.0
        Minimum fraction of the total sample weight in each leaf.
    max_features : int, float, {"sqrt", "log2"} or None, default=None
        Features considered at each split.
    max_leaf_nodes : int, default=None
        Grow best-first with at most this many leaves.
    min_impurity_decrease : float, default=0.0
        Split only if the weighted impurity decreases by at least this much.
        Impurity is on the Gini scale: ``sum_k Var(p_k)`` per node, which is
        the Gini index on one-hot targets.
    class_weight : dict, "balanced" or None, default=None
        Class weights ``c_k``. Row i gets weight ``sum_k c_k p_ik`` and its
        targets become ``c_k p_ik / sum_j c_j p_ij``: on labels this is
        exactly :class:`~sklearn.tree.DecisionTreeClassifier`'s class_weight.
        ``"balanced"``: ``n_samples / (n_classes * sum_i p_ik)``.
    ccp_alpha : float, default=0.0
        Minimal cost-complexity pruning, on the same (Gini) scale as
        ``DecisionTreeClassifier``.
    random_state : int, RandomState instance or None, default=None
        Breaks ties between equally good splits (features are permuted).

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Labels seen in ``fit``, or ``arange(n_classes)`` for a probability matrix.
    n_classes_ : int
        Number of classes.
    tree_ : sklearn.tree._tree.Tree
        The fitted tree in classifier layout: ``tree_.value[node, 0]`` is the
        probability vector of the node.
    max_features_ : int
        Features considered at each split.
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Feature names, when X had string column names.

    See Also
    --------
    sklearn.tree.DecisionTreeClassifier : the hard-label tree; see :meth:`to_sklearn`.

    Examples
    --------
    >>> import numpy as np
    >>> from skdistill.students import SoftDecisionTreeClassifier
    >>> X = np.array([[0.0], [1.0], [2.0], [3.0]])
    >>> P = np.array([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.1, 0.9]])
    >>> tree = SoftDecisionTreeClassifier(max_depth=1).fit(X, P)
    >>> tree.predict_proba([[0.5], [2.5]]).round(2)
    array([[0.85, 0.15],
           [0.2 , 0.8 ]])
    >>> print(tree.export_text(decimals=1))
    |--- feature_0 <= 1.5
    |   |--- class: 0 (p=0.8)
    |--- feature_0 >  1.5
    |   |--- class: 1 (p=0.8)
    <BLANKLINE>
    """

    def __init__(
        self,
        *,
        max_depth=None,
        min_samples_split=2,
        min_samples_leaf=1,
        min_weight_fraction_leaf=0.0,
        max_features=None,
        max_leaf_nodes=None,
        min_impurity_decrease=0.0,
        class_weight=None,
        ccp_alpha=0.0,
        random_state=None,
    ):
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf
        self.min_weight_fraction_leaf = min_weight_fraction_leaf
        self.max_features = max_features
        self.max_leaf_nodes = max_leaf_nodes
        self.min_impurity_decrease = min_impurity_decrease
        self.class_weight = class_weight
        self.ccp_alpha = ccp_alpha
        self.random_state = random_state

    def fit(self, X, y, sample_weight=None):
        """Grow the tree on labels or a probability matrix.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data (NaN allowed in dense X, as in scikit-learn trees).
        y : array-like of shape (n_samples,) or (n_samples, n_classes)
            Labels, or target probabilities (rows summing to 1).
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights.

        Returns
        -------
        self : object
            The fitted tree.
        """
        check_tree_growth_params(self)
        check_real(self.ccp_alpha, "ccp_alpha", low=0.0)
        check_random_state_param(self.random_state)
        X = validate_tree_X(self, X, reset=True, sparse_format="csc")
        targets, classes, _ = soft_targets_from_y(y)
        check_consistent_length(X, targets)
        sample_weight = check_sample_weight(sample_weight, targets.shape[0])
        if self.class_weight is not None:
            targets, row_weight = class_weighted_targets(targets, classes, self.class_weight)
            sample_weight = sample_weight * row_weight
        n_classes = targets.shape[1]
        # Squared error summed over K outputs is Gini / K: rescale the
        # Gini-scale thresholds for the regressor.
        regressor = DecisionTreeRegressor(
            criterion="squared_error",
            max_depth=self.max_depth,
            min_samples_split=self.min_samples_split,
            min_samples_leaf=self.min_samples_leaf,
            min_weight_fraction_leaf=self.min_weight_fraction_leaf,
            max_features=self.max_features,
            max_leaf_nodes=self.max_leaf_nodes,
            min_impurity_decrease=self.min_impurity_decrease / n_classes,
            ccp_alpha=self.ccp_alpha / n_classes,
            random_state=self.random_state,
        )
        # Two classes: p1 alone carries the same information (Var p0 = Var p1).
        regression_targets = targets[:, 1] if n_classes == 2 else targets
        regressor.fit(X, regression_targets, sample_weight=sample_weight)

        self.classes_ = classes
        self.n_classes_ = n_classes
        self.max_features_ = regressor.max_features_
        self.tree_ = _classifier_tree(regressor.tree_, self.n_features_in_, n_classes)
        return self

    # -------------------------------------------------------------- predict
    def predict_proba(self, X):
        """Class probabilities: the probability vector of each row's leaf.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns ordered as ``classes_``.
        """
        check_is_fitted(self)
        X = validate_tree_X(self, X, reset=False, sparse_format="csr")
        return self.tree_.predict(X)

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba` (``-inf`` for zero probabilities).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
        """
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    def predict(self, X):
        """Most probable class of each row.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
        """
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

    def apply(self, X):
        """Index of the leaf (node id in ``tree_``) that each row falls into.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        leaves : ndarray of shape (n_samples,)
        """
        check_is_fitted(self)
        X = validate_tree_X(self, X, reset=False, sparse_format="csr")
        return self.tree_.apply(X)

    # ----------------------------------------------------------- inspection
    def get_depth(self):
        """Depth of the tree (a single leaf has depth 0)."""
        check_is_fitted(self)
        return self.tree_.max_depth

    def get_n_leaves(self):
        """Number of leaves."""
        check_is_fitted(self)
        return int(np.sum(self.tree_.children_left == TREE_LEAF))

    @property
    def feature_importances_(self):
        """Normalised total impurity decrease brought by each feature."""
        check_is_fitted(self)
        return self.tree_.compute_feature_importances()

    def export_text(self, feature_names=None, class_names=None, decimals=2):
        """The tree as indented if/else rules; leaves show the most probable
        class and its probability.

        Parameters
        ----------
        feature_names : sequence of str, default=None
            Names of the features; defaults to ``feature_names_in_`` or
            ``feature_0, feature_1, ...``.
        class_names : sequence of str, default=None
            Names of the classes, in the order of ``classes_``.
        decimals : int, default=2
            Decimals of thresholds and probabilities.

        Returns
        -------
        text : str
        """
        check_is_fitted(self)
        decimals = check_int(decimals, "decimals", low=0)
        feature_names = _names(
            feature_names,
            "feature_names",
            self.n_features_in_,
            getattr(self, "feature_names_in_", None),
            "feature_",
        )
        class_names = _names(class_names, "class_names", self.n_classes_, self.classes_, None)
        return tree_rules_text(
            self.tree_,
            feature_names,
            decimals,
            lambda node: _leaf_label(self.tree_, node, class_names, decimals),
        )

    def to_sklearn(self):
        """An equivalent fitted :class:`~sklearn.tree.DecisionTreeClassifier`.

        Its ``predict_proba`` equals this tree's exactly (same tree object,
        copied), so it can be pickled, exported or inspected with any tool
        that knows scikit-learn trees. Its ``tree_.impurity`` is ``sum_k
        Var(p_k)`` per node (the Gini index on one-hot targets).

        Returns
        -------
        tree : DecisionTreeClassifier
        """
        check_is_fitted(self)
        clf = DecisionTreeClassifier(
            criterion="gini",
            max_depth=self.max_depth,
            min_samples_split=self.min_samples_split,
            min_samples_leaf=self.min_samples_leaf,
            min_weight_fraction_leaf=self.min_weight_fraction_leaf,
            max_features=self.max_features,
            max_leaf_nodes=self.max_leaf_nodes,
            min_impurity_decrease=self.min_impurity_decrease,
            class_weight=self.class_weight,
            ccp_alpha=self.ccp_alpha,
            random_state=self.random_state,
        )
        clf.n_features_in_ = self.n_features_in_
        if hasattr(self, "feature_names_in_"):
            clf.feature_names_in_ = self.feature_names_in_.copy()
        clf.n_outputs_ = 1
        clf.classes_ = self.classes_.copy()
        clf.n_classes_ = self.n_classes_
        clf.max_features_ = self.max_features_
        clf.tree_ = deepcopy(self.tree_)
        return clf

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.input_tags.allow_nan = True
        return tags


# --------------------------------------------------------------------------
# Tree rewriting and text export
# --------------------------------------------------------------------------
def _classifier_tree(regression_tree, n_features, n_classes):
    """A classifier-layout Tree (1 output, ``n_classes`` values per node)
    with the structure of a regression tree grown on probabilities."""
    state = regression_tree.__getstate__()
    values = state["values"]  # (n_nodes, n_outputs, 1)
    if n_classes == 2:
        p1 = np.clip(values[:, 0, 0], 0.0, 1.0)
        proba = np.column_stack([1.0 - p1, p1])
    else:
        proba = np.clip(values[:, :, 0], 0.0, None)
        proba /= proba.sum(axis=1, keepdims=True)
    nodes = state["nodes"].copy()
    # Regression impurity is Gini / K (see the module docstring).
    nodes["impurity"] *= n_classes
    new_state = dict(
        state, nodes=nodes, values=np.ascontiguousarray(proba[:, None, :], dtype=np.float64)
    )
    tree_class = type(regression_tree)
    tree = tree_class(n_features, np.array([n_classes], dtype=np.intp), 1)
    tree.__setstate__(new_state)
    return tree


def _names(names, param, expected_len, default, prefix):
    if names is None:
        if default is not None:
            return [str(name) for name in default]
        return [f"{prefix}{i}" for i in range(expected_len)]
    names = list(names)
    if len(names) != expected_len:
        raise ValueError(f"{param} must have {expected_len} entries, got {len(names)}")
    return [str(name) for name in names]


def _leaf_label(tree, node, class_names, decimals):
    proba = tree.value[node, 0]
    best = int(np.argmax(proba))
    return f"class: {class_names[best]} (p={proba[best]:.{decimals}f})"


def tree_rules_text(tree, feature_names, decimals, leaf_label):
    """Rules of a fitted sklearn ``Tree`` in ``sklearn.tree.export_text``'s
    layout, with ``leaf_label(node)`` written at each leaf."""
    lines = []
    left, right = tree.children_left, tree.children_right
    stack = [(0, 0, None)]  # (node, depth, line to write before descending)
    while stack:
        node, depth, header = stack.pop()
        indent = "|   " * depth
        if header is not None:
            lines.append(indent + header)
            depth += 1
            indent = "|   " * depth
        if left[node] == TREE_LEAF:
            lines.append(f"{indent}|--- {leaf_label(node)}")
            continue
        name = feature_names[tree.feature[node]]
        threshold = f"{tree.threshold[node]:.{decimals}f}"
        stack.append((right[node], depth, f"|--- {name} >  {threshold}"))
        stack.append((left[node], depth, f"|--- {name} <= {threshold}"))
    return "\n".join(lines) + "\n"
