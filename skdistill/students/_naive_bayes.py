"""Gaussian naive Bayes fitted to class-probability targets.

Gaussian NB's maximum-likelihood fit is a weighted average per class; with a
probability matrix the weight of row i in class k is ``w_i * p_ik``, which is
exactly the M-step of EM for a Gaussian mixture with known responsibilities:
the teacher's probabilities play the responsibilities. On one-hot targets the
fit is :class:`sklearn.naive_bayes.GaussianNB`'s.
"""

import numpy as np
from scipy.special import logsumexp
from sklearn.base import BaseEstimator
from sklearn.naive_bayes import GaussianNB
from sklearn.utils.validation import (
    check_consistent_length,
    check_is_fitted,
    validate_data,
)

from .._validation import check_real
from ._base import SoftTargetClassifierMixin, soft_targets_from_y
from ._tree import check_sample_weight


def _checked_variances(var, var_smoothing):
    """``var``, or a ValueError when a variance is 0: a Gaussian of zero
    width gives a density of 0 or infinity, hence NaN probabilities. Only
    ``var_smoothing=0`` leaves a zero there."""
    zero = np.argwhere(var <= 0)
    if len(zero):
        k, j = zero[0]
        raise ValueError(
            f"var_smoothing={var_smoothing!r} leaves feature {j} of class {k} with a "
            "variance of 0 (the feature is constant in that class), which gives NaN "
            "probabilities; use var_smoothing > 0"
        )
    return var


class SoftGaussianNB(SoftTargetClassifierMixin, BaseEstimator):
    """Gaussian naive Bayes that learns from class-probability targets.

    ``fit(X, y)`` takes labels or an (n_samples, n_classes) probability
    matrix. Each row counts towards class k with weight
    ``sample_weight_i * p_ik``: the class counts, means and variances are
    those weighted sums, so that on labels the model equals
    :class:`sklearn.naive_bayes.GaussianNB`.

    Parameters
    ----------
    priors : array-like of shape (n_classes,), default=None
        Prior probabilities of the classes; by default the weighted target
        mass of each class, ``class_count_ / class_count_.sum()``.
    var_smoothing : float, default=1e-9
        Share of the largest feature variance added to every variance, for
        stability (as in GaussianNB). When every feature of X is constant
        (a single row, say) the largest variance is 0 and ``var_smoothing``
        itself is added, so that probabilities stay finite where GaussianNB
        returns NaN. 0 is allowed only if no feature is constant within a
        class.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Labels seen in ``fit``, or ``arange(n_classes)`` for a probability matrix.
    class_count_ : ndarray of shape (n_classes,)
        Weighted target mass of each class, ``sum_i w_i p_ik``.
    class_prior_ : ndarray of shape (n_classes,)
        Class priors used for prediction.
    theta_ : ndarray of shape (n_classes, n_features)
        Per-class feature means.
    var_ : ndarray of shape (n_classes, n_features)
        Per-class feature variances, ``epsilon_`` included.
    epsilon_ : float
        The absolute amount added to the variances: ``var_smoothing`` times
        the largest feature variance of X, or times 1 if that is 0.
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Feature names, when X had string column names.

    Notes
    -----
    A class with zero target mass (a column of zeros) gets the overall
    weighted mean and variance and, unless ``priors`` says otherwise, a prior
    of 0: it is never predicted.

    Examples
    --------
    >>> import numpy as np
    >>> from skdistill.students import SoftGaussianNB
    >>> X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
    >>> P = np.array([[1.0, 0.0], [0.5, 0.5], [0.5, 0.5], [0.0, 1.0]])
    >>> nb = SoftGaussianNB().fit(X, P)
    >>> nb.class_count_
    array([2., 2.])
    >>> nb.theta_.ravel()
    array([-1.,  1.])
    >>> nb.predict([[-3.0], [3.0]])
    array([0, 1])
    """

    def __init__(self, *, priors=None, var_smoothing=1e-9):
        self.priors = priors
        self.var_smoothing = var_smoothing

    def fit(self, X, y, sample_weight=None):
        """Fit the per-class Gaussians on labels or a probability matrix.

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
        check_real(self.var_smoothing, "var_smoothing", low=0.0)
        X = validate_data(self, X, dtype=np.float64)
        targets, classes, _ = soft_targets_from_y(y)
        check_consistent_length(X, targets)
        sample_weight = check_sample_weight(sample_weight, targets.shape[0])
        n_classes = targets.shape[1]
        priors = self._check_priors(n_classes)

        self.epsilon_ = self._epsilon(X)
        weights = targets * sample_weight[:, None]  # (n, K): row i's mass in class k
        class_count = weights.sum(axis=0)
        overall_mean = np.average(X, axis=0, weights=sample_weight)
        overall_var = np.average((X - overall_mean) ** 2, axis=0, weights=sample_weight)
        theta = np.empty((n_classes, X.shape[1]))
        var = np.empty((n_classes, X.shape[1]))
        for k in range(n_classes):
            if class_count[k] > 0:
                theta[k] = weights[:, k] @ X / class_count[k]
                var[k] = weights[:, k] @ (X - theta[k]) ** 2 / class_count[k]
            else:
                theta[k], var[k] = overall_mean, overall_var

        self.classes_ = classes
        self.class_count_ = class_count
        self.theta_ = theta
        self.var_ = _checked_variances(var + self.epsilon_, self.var_smoothing)
        self.class_prior_ = priors if priors is not None else class_count / class_count.sum()
        return self

    def _epsilon(self, X):
        """``var_smoothing`` times the unweighted variance of the widest
        feature (as GaussianNB), or times 1 when every feature is constant
        (one row, constant columns): GaussianNB's epsilon of 0 there gives
        zero variances and all-NaN probabilities."""
        widest = float(np.max(np.var(X, axis=0)))
        return float(self.var_smoothing) * (widest if widest > 0 else 1.0)

    def _check_priors(self, n_classes):
        if self.priors is None:
            return None
        try:
            priors = np.asarray(self.priors, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise TypeError(
                f"priors must be None or an array of {n_classes} probabilities, got "
                f"{self.priors!r}"
            ) from exc
        if priors.shape != (n_classes,):
            raise ValueError(
                f"priors must have one entry per class ({n_classes}), got shape {priors.shape}"
            )
        if not np.all(np.isfinite(priors)) or (priors < 0).any():
            raise ValueError(f"priors must be finite and non-negative, got {self.priors!r}")
        if not np.isclose(priors.sum(), 1.0):
            raise ValueError(f"priors must sum to 1, got a sum of {priors.sum():.6g}")
        return priors

    # -------------------------------------------------------------- predict
    def predict_joint_log_proba(self, X):
        """``log P(c) + log P(x | c)`` for every row and class.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        joint_log_proba : ndarray of shape (n_samples, n_classes)
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        with np.errstate(divide="ignore"):
            log_prior = np.log(self.class_prior_)
        log_norm = -0.5 * np.sum(np.log(2.0 * np.pi * self.var_), axis=1)
        jll = np.empty((X.shape[0], len(self.classes_)))
        for k in range(len(self.classes_)):
            jll[:, k] = -0.5 * np.sum((X - self.theta_[k]) ** 2 / self.var_[k], axis=1)
        return jll + (log_prior + log_norm)[None, :]

    def predict_log_proba(self, X):
        """Log of the posterior class probabilities.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
        """
        jll = self.predict_joint_log_proba(X)
        return jll - logsumexp(jll, axis=1, keepdims=True)

    def predict_proba(self, X):
        """Posterior class probabilities, columns ordered as ``classes_``.

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
        jll = self.predict_joint_log_proba(X)
        return self.classes_[np.argmax(jll, axis=1)]

    def to_sklearn(self):
        """An equivalent fitted :class:`~sklearn.naive_bayes.GaussianNB`.

        Returns
        -------
        nb : GaussianNB
            Same ``theta_``, ``var_``, ``class_prior_``, ``class_count_`` and
            ``epsilon_``, hence the same predictions.
        """
        check_is_fitted(self)
        nb = GaussianNB(priors=self.priors, var_smoothing=self.var_smoothing)
        nb.classes_ = self.classes_.copy()
        nb.n_features_in_ = self.n_features_in_
        if hasattr(self, "feature_names_in_"):
            nb.feature_names_in_ = self.feature_names_in_.copy()
        nb.theta_ = self.theta_.copy()
        nb.var_ = self.var_.copy()
        nb.class_count_ = self.class_count_.copy()
        nb.class_prior_ = self.class_prior_.copy()
        nb.epsilon_ = self.epsilon_
        return nb
