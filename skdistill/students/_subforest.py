"""Sub-forest students: a few of the teacher forest's own trees, refitted.

A random forest of 500 trees is a library of sub-models, and its leaves are
a feature embedding. The student keeps ``n_estimators`` of the teacher's
trees, chosen greedily by how well their average matches the targets
(Caruana et al., "Ensemble Selection from Libraries of Models", ICML 2004),
then refits the leaf values of the chosen trees jointly on the targets
(Ren et al., "Global Refinement of Random Forest", CVPR 2015), pulled toward
the teacher's own leaf values. The result is a plain scikit-learn forest
(``forest_``, :meth:`to_sklearn`).

The teacher protocol: ``fit`` takes the fitted teacher as the keyword
``teacher``. :class:`skdistill.DistilledClassifier` and
:class:`~skdistill.DistilledRegressor` detect the keyword with
:func:`sklearn.utils.validation.has_fit_parameter` and pass the teacher they
fitted (the fold's teacher in the ``"auto"`` tuner).
"""

import numbers
from copy import deepcopy

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_consistent_length, check_is_fitted, column_or_1d

from .._doc_link import DocLinkMixin
from .._validation import check_int, check_real
from . import _subforest_solve as solve
from . import _subforest_teacher as parts
from ._base import SoftTargetClassifierMixin, soft_targets_from_y
from ._tree import check_sample_weight, validate_tree_X


# ------------------------------------------------------------ the estimators
class _BaseSubForest(DocLinkMixin, BaseEstimator):
    """Parameters, fit and export shared by the classifier and the regressor."""

    _forest_types: tuple = ()
    _classification = False

    def __init__(
        self,
        n_estimators=10,
        *,
        teacher_weight=0.0,
        leaf_penalty=1.0,
        max_samples=None,
        max_iter=200,
        tol=1e-7,
        random_state=None,
    ):
        self.n_estimators = n_estimators
        self.teacher_weight = teacher_weight
        self.leaf_penalty = leaf_penalty
        self.max_samples = max_samples
        self.max_iter = max_iter
        self.tol = tol
        self.random_state = random_state

    def _check_params(self):
        check_int(self.n_estimators, "n_estimators", low=1)
        check_real(self.teacher_weight, "teacher_weight", low=0.0, high=1.0)
        check_real(self.leaf_penalty, "leaf_penalty", low=0.0)
        check_int(self.max_iter, "max_iter", low=1)
        check_real(self.tol, "tol", low=0.0)
        if self.max_samples is not None:
            if isinstance(self.max_samples, numbers.Integral) and not isinstance(
                self.max_samples, bool
            ):
                check_int(self.max_samples, "max_samples", low=1)
            else:
                check_real(self.max_samples, "max_samples", low=0.0, low_inclusive=False, high=1.0)

    def _fit(self, X, targets, sample_weight, teacher):
        """Select, refit and build ``forest_`` (targets: (n, C) or (n,))."""
        forest = parts.teacher_forest(teacher, self._forest_types, self._kind)
        if self.n_estimators > len(forest.estimators_):
            raise ValueError(
                f"n_estimators={self.n_estimators} is larger than the teacher's "
                f"{len(forest.estimators_)} trees"
            )
        if forest.n_features_in_ != self.n_features_in_:
            raise ValueError(
                f"X has {self.n_features_in_} features, but the teacher was fitted on "
                f"{forest.n_features_in_}"
            )
        nodes = parts.node_ids(forest, X)
        chosen, self.selection_loss_ = self._select(forest, nodes, targets, sample_weight)
        trees = [forest.estimators_[i] for i in chosen]
        anchor, leaves = parts.stacked_values(trees, nodes[:, chosen], self._classification)
        values, self.n_iter_ = self._refit(anchor, leaves, targets, sample_weight)
        self.estimators_indices_ = chosen
        self.forest_ = self._build_forest(forest, trees, values)
        return self

    def _select(self, forest, nodes, targets, weights):
        """Greedy choice of the trees on all rows, or ``max_samples`` of them."""
        rows = np.arange(nodes.shape[0])
        if self.max_samples is not None:
            n_rows = self.max_samples
            if not isinstance(n_rows, numbers.Integral):
                n_rows = max(1, int(round(n_rows * len(rows))))
            if n_rows < len(rows):
                rng = check_random_state(self.random_state)
                rows = np.sort(rng.choice(len(rows), n_rows, replace=False))
        outputs = np.stack(
            [
                parts.tree_values(tree, self._classification)[nodes[rows, t]]
                for t, tree in enumerate(forest.estimators_)
            ]
        )
        return solve.greedy_select(
            outputs, targets[rows], weights[rows], self.n_estimators, self._classification
        )

    def _refit(self, anchor, leaves, targets, weights):
        """Leaf values ``lambda * teacher + (1 - lambda) * refit``."""
        lam = float(self.teacher_weight)
        if lam == 1.0:
            return anchor, 0
        if self._classification:
            refit, n_iter = solve.refit_proba(
                anchor, leaves, targets, weights, self.leaf_penalty, self.max_iter, self.tol
            )
        else:
            refit, n_iter = solve.refit_values(anchor, leaves, targets, weights, self.leaf_penalty)
        if lam == 0.0:
            return refit, n_iter
        return lam * anchor + (1.0 - lam) * refit, n_iter

    def _build_forest(self, forest, trees, values):
        """A fitted forest of the teacher's class with copies of ``trees``
        holding ``values``."""
        new = clone(forest).set_params(n_estimators=len(trees), oob_score=False, n_jobs=None)
        new.estimators_ = []
        offset = 0
        for tree in trees:
            tree = deepcopy(tree)
            n_nodes = tree.tree_.node_count
            block = values[offset : offset + n_nodes]
            tree.tree_.value[:, 0, :] = block if block.ndim == 2 else block[:, None]
            offset += n_nodes
            new.estimators_.append(tree)
        new.estimator_ = deepcopy(forest.estimator_)
        new.n_features_in_ = self.n_features_in_
        new.n_outputs_ = 1
        self._set_forest_targets(new)
        return new

    def _set_forest_targets(self, forest):
        """Target attributes of the built forest (none for a regressor)."""

    def to_sklearn(self):
        """The student as a plain fitted scikit-learn forest.

        A deep copy of ``forest_`` (the teacher's forest class, with the
        chosen trees and their refitted leaf values), with the feature names
        seen in ``fit``; its predictions equal the student's.

        Returns
        -------
        forest : RandomForestClassifier, ExtraTreesClassifier, \
RandomForestRegressor or ExtraTreesRegressor
        """
        check_is_fitted(self)
        forest = deepcopy(self.forest_)
        if hasattr(self, "feature_names_in_"):
            forest.feature_names_in_ = self.feature_names_in_.copy()
        return forest

    def _validated_X(self, X):
        check_is_fitted(self)
        return validate_tree_X(self, X, reset=False, sparse_format="csr")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.sparse = True
        return tags


_PARAMETERS_DOC = """
    n_estimators : int, default=10
        Number of the teacher's trees to keep (at most the teacher's count).
    teacher_weight : float in [0, 1], default=0.0
        ``lambda`` of the parameter-transfer formula: the leaf values are
        ``lambda * teacher + (1 - lambda) * refit``. ``1`` keeps the chosen
        trees with the teacher's own leaf values (no refit); ``0`` keeps
        the refit alone.
    leaf_penalty : float >= 0, default=0.0 (classifier), 1.0 (regressor)
        Strength ``mu`` of the refit's pull toward the teacher's leaf values
        (see the objective above); ``0`` is the free joint refit.
    max_samples : int, float in (0, 1] or None, default=None
        Rows used for the greedy selection (a random subset, drawn with
        ``random_state``; the refit always uses every row). Selection
        holds an (n_rows, n_teacher_trees, n_classes) float64 array, so
        bound it on large data.
    max_iter : int, default=200
        Most refit iterations (EM for the classifier; the regressor's
        sparse solver stops on its own).
    tol : float, default=1e-7
        The classifier's refit stops when the objective decreases by less
        than ``tol`` times its value.
    random_state : int, RandomState instance or None, default=None
        Seeds the subset of ``max_samples`` rows; without ``max_samples``
        the fit is deterministic.
"""

_ATTRIBUTES_DOC = """
    forest_ : RandomForest* or ExtraTrees* (the teacher's class)
        The fitted scikit-learn forest that makes the predictions.
    estimators_indices_ : ndarray of shape (n_estimators,)
        Indices of the chosen trees in the teacher's ``estimators_``, in
        the order the greedy selection added them.
    selection_loss_ : ndarray of shape (n_estimators,)
        Weighted mean loss of the teacher's trees selected so far, after
        each addition (before the refit).
    n_iter_ : int
        Iterations of the refit (0 when ``teacher_weight=1``).
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Only when X had feature names.
"""


class SubForestClassifier(SoftTargetClassifierMixin, _BaseSubForest):
    __doc__ = (
        """A few of a teacher forest's trees, with leaf distributions refitted
    on soft targets.

    ``fit(X, y, teacher=forest)`` takes a fitted
    :class:`~sklearn.ensemble.RandomForestClassifier` or
    :class:`~sklearn.ensemble.ExtraTreesClassifier` (possibly in a
    :class:`~sklearn.frozen.FrozenEstimator`) with one output and one
    column per target class, in the order of the target columns.

    1. Selection: greedy forward selection without replacement of
       ``n_estimators`` trees, each step adding the tree whose average with
       the trees chosen so far has the lowest weighted cross-entropy to the
       targets. A tree added twice would cost as much to store and run as a
       new one while adding no new leaves to refit, hence no replacement.
    2. Refit, in probability space: scikit-learn forests average their
       trees' leaf distributions, so the student refits those distributions
       ``V`` (each leaf a probability vector) by minimising

       ``sum_i w_i KL(q_i || p_i) + mu * sum_leaves KL(v_teacher || v)``,
       ``p_i = (1/k) sum_t v_t(leaf of row i)``

       with EM (the mixture's responsibilities; ``mu`` acts as ``mu``
       pseudo-rows of the teacher's leaf distribution in every leaf).
       Leaves no row reaches keep the teacher's values.
    3. ``V = teacher_weight * V_teacher + (1 - teacher_weight) * V_refit``.

    The result is an ordinary forest: :meth:`to_sklearn` returns it.
    Temperature: used in a :class:`~skdistill.DistilledClassifier` at
    ``temperature > 1``, the student learns softened targets and the
    distilled model sharpens its probabilities (as for every native
    student); a forest cannot sharpen an average of trees, so the exported
    forest keeps the training temperature in ``predict_proba`` (with a
    warning; its predictions are the same). Prefer ``temperature=1.0``.

    Parameters
    ----------"""
        + _PARAMETERS_DOC
        + """
    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Sorted labels, or the column indices ``0..n_classes-1`` when fitted
        on a probability matrix."""
        + _ATTRIBUTES_DOC
        + """
    See Also
    --------
    SubForestRegressor : The same for regression forests.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from skdistill.students import SubForestClassifier
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> teacher = RandomForestClassifier(n_estimators=50, random_state=0).fit(X, y)
    >>> soft = teacher.predict_proba(X)
    >>> student = SubForestClassifier(n_estimators=5).fit(X, soft, teacher=teacher)
    >>> len(student.to_sklearn().estimators_)
    5
    >>> bool((student.predict(X) == soft.argmax(axis=1)).mean() > 0.97)
    True
    """
    )

    _forest_types = parts.CLASSIFIER_FORESTS
    _classification = True
    _kind = "classification"

    # On magic (RF(200) teacher, 10 trees) the free refit raised test
    # fidelity from 0.945 (greedy) to 0.959 and mu=1 lowered it to 0.936.
    def __init__(
        self,
        n_estimators=10,
        *,
        teacher_weight=0.0,
        leaf_penalty=0.0,
        max_samples=None,
        max_iter=200,
        tol=1e-7,
        random_state=None,
    ):
        super().__init__(
            n_estimators,
            teacher_weight=teacher_weight,
            leaf_penalty=leaf_penalty,
            max_samples=max_samples,
            max_iter=max_iter,
            tol=tol,
            random_state=random_state,
        )

    def fit(self, X, y, sample_weight=None, *, teacher=None):
        """Choose and refit ``n_estimators`` of the teacher's trees.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The (transfer) rows, with the teacher's features.
        y : array-like of shape (n_samples,) or (n_samples, n_classes)
            Labels, or target probabilities whose columns follow the
            teacher's ``classes_``.
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights.
        teacher : RandomForestClassifier or ExtraTreesClassifier
            The fitted teacher (a FrozenEstimator of one is unwrapped).

        Returns
        -------
        self : object
            The fitted student.
        """
        self._check_params()
        X = validate_tree_X(self, X, reset=True, sparse_format="csr")
        targets, classes, soft = soft_targets_from_y(y)
        check_consistent_length(X, targets)
        sample_weight = check_sample_weight(sample_weight, targets.shape[0])
        forest = parts.teacher_forest(teacher, self._forest_types, self._kind)
        parts.check_teacher_classes(forest, classes, soft)
        self.classes_ = classes
        self.n_classes_ = len(classes)
        return self._fit(X, targets, sample_weight, forest)

    def _set_forest_targets(self, forest):
        forest.classes_ = self.classes_.copy()
        forest.n_classes_ = self.n_classes_
        for tree in forest.estimators_:
            tree.classes_ = self.classes_.copy()
            tree.n_classes_ = np.intp(self.n_classes_)

    def predict_proba(self, X):
        """Class probabilities: the mean of the chosen trees' leaf distributions.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns ordered as ``classes_``.
        """
        return self.forest_.predict_proba(self._validated_X(X))

    def predict(self, X):
        """The class of highest probability.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        y : ndarray of shape (n_samples,)
        """
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]


class SubForestRegressor(RegressorMixin, _BaseSubForest):
    __doc__ = (
        """A few of a teacher forest's trees, with leaf values refitted on the
    targets by ridge regression toward the teacher's values.

    ``fit(X, y, teacher=forest)`` takes a fitted single-output
    :class:`~sklearn.ensemble.RandomForestRegressor` or
    :class:`~sklearn.ensemble.ExtraTreesRegressor` (possibly in a
    :class:`~sklearn.frozen.FrozenEstimator`).

    1. Selection: greedy forward selection without replacement of
       ``n_estimators`` trees by weighted squared error of their average to
       the targets (see :class:`SubForestClassifier`).
    2. Refit: the leaf values ``v`` of the chosen trees minimise

       ``sum_i w_i (y_i - p_i)^2 + (mu / k) * ||v - v_teacher||^2``,
       ``p_i = (1/k) sum_t v_t(leaf of row i)``

       solved exactly as a damped sparse least-squares problem (LSQR) on
       the rows' one-hot leaf embedding. With ``mu=0`` it is the
       least-squares solution closest to the teacher's values.
    3. ``v = teacher_weight * v_teacher + (1 - teacher_weight) * v_refit``.

    Parameters
    ----------"""
        + _PARAMETERS_DOC
        + """
    Attributes
    ----------"""
        + _ATTRIBUTES_DOC
        + """
    See Also
    --------
    SubForestClassifier : The same for classification forests.

    Examples
    --------
    >>> from sklearn.datasets import load_diabetes
    >>> from sklearn.ensemble import RandomForestRegressor
    >>> from skdistill.students import SubForestRegressor
    >>> X, y = load_diabetes(return_X_y=True)
    >>> teacher = RandomForestRegressor(n_estimators=50, random_state=0).fit(X, y)
    >>> student = SubForestRegressor(n_estimators=5).fit(
    ...     X, teacher.predict(X), teacher=teacher)
    >>> student.to_sklearn().n_estimators
    5
    >>> bool(student.score(X, teacher.predict(X)) > 0.95)
    True
    """
    )

    _forest_types = parts.REGRESSOR_FORESTS
    _kind = "regression"

    def fit(self, X, y, sample_weight=None, *, teacher=None):
        """Choose and refit ``n_estimators`` of the teacher's trees.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            The (transfer) rows, with the teacher's features.
        y : array-like of shape (n_samples,)
            Target values (e.g. the teacher's predictions).
        sample_weight : array-like of shape (n_samples,), default=None
            Row weights.
        teacher : RandomForestRegressor or ExtraTreesRegressor
            The fitted teacher (a FrozenEstimator of one is unwrapped).

        Returns
        -------
        self : object
            The fitted student.
        """
        self._check_params()
        X = validate_tree_X(self, X, reset=True, sparse_format="csr")
        y = column_or_1d(y, warn=True).astype(np.float64)
        check_consistent_length(X, y)
        if not np.all(np.isfinite(y)):
            raise ValueError("y must be finite")
        sample_weight = check_sample_weight(sample_weight, len(y))
        return self._fit(X, y, sample_weight, teacher)

    def predict(self, X):
        """The mean of the chosen trees' leaf values.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        y : ndarray of shape (n_samples,)
        """
        return self.forest_.predict(self._validated_X(X))
