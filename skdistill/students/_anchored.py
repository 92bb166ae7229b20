"""Parameter transfer between linear models: a ridge regression anchored to a
reference model's parameters, the prior of a fitted model, and the
interpolation of two fitted linear models."""

import copy
import numbers

import numpy as np
from scipy import linalg
from sklearn.base import BaseEstimator, RegressorMixin, is_classifier
from sklearn.linear_model import Ridge
from sklearn.utils.validation import check_is_fitted, validate_data

from .._doc_link import DocLinkMixin
from .._validation import check_real, check_sample_weight
from ._logistic import _prior_array


class AnchoredRidge(DocLinkMixin, RegressorMixin, BaseEstimator):
    """Ridge regression that shrinks toward a reference model, not toward zero.

    Minimises

    .. math::

        \\sum_i w_i (y_i - x_i^\\top \\theta - b)^2
        + \\alpha \\lVert \\theta - \\theta_0 \\rVert^2
        \\;[\\, + \\alpha (b - b_0)^2 \\,],

    solved in closed form, :math:`\\theta = (X_c^\\top W X_c + \\alpha I)^{-1}
    (X_c^\\top W y_c + \\alpha \\theta_0)` on the weighted-centred data with
    :math:`b = \\bar y - \\bar x^\\top \\theta` (the intercept is not
    penalised), or on ``[X, 1]`` with the penalty on
    :math:`(\\theta, b) - (\\theta_0, b_0)` when ``intercept_prior`` is given.
    Without a prior it is :class:`~sklearn.linear_model.Ridge` with the same
    ``alpha``. With one it is the parameter-anchoring way to update a model
    without moving it more than the new data asks (``alpha -> inf`` gives the
    reference model, ``alpha -> 0`` the least-squares fit); pass a fitted
    reference with ``AnchoredRidge(**linear_prior(old_model), alpha=a)``.
    As a student of a :class:`~skdistill.DistilledRegressor` it learns the
    teacher's predictions like any regressor.

    Parameters
    ----------
    alpha : float, default=1.0
        Weight of the penalty (``Ridge``'s ``alpha``); >= 0.
    coef_prior : array-like of shape (n_features,) or (n_targets, n_features), default=None
        Reference coefficients :math:`\\theta_0`, laid out as ``coef_``;
        None means zeros (plain ridge).
    intercept_prior : float or array-like of shape (n_targets,), default=None
        Reference intercept :math:`b_0`; when given, the intercept is
        penalised toward it (needs ``fit_intercept=True``).
    fit_intercept : bool, default=True
        Whether to fit an intercept.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,) or (n_targets, n_features)
    intercept_ : float or ndarray of shape (n_targets,)
    n_features_in_ : int
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Only when ``X`` had string column names.

    See Also
    --------
    SoftLogisticRegression : The classifier with the same kind of prior.
    interpolate_linear : Mix two fitted linear models' parameters instead.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import Ridge
    >>> from skdistill.students import AnchoredRidge, linear_prior
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(50, 3))
    >>> y = X @ [1.0, 2.0, 3.0] + rng.normal(scale=0.1, size=50)
    >>> old = Ridge().fit(X[:25], y[:25])
    >>> plain = AnchoredRidge(alpha=0.5).fit(X, y)
    >>> bool(np.allclose(plain.coef_, Ridge(alpha=0.5).fit(X, y).coef_))
    True
    >>> stiff = AnchoredRidge(alpha=1e9, **linear_prior(old)).fit(X, y)
    >>> bool(np.allclose(stiff.coef_, old.coef_))
    True
    """

    def __init__(self, alpha=1.0, *, coef_prior=None, intercept_prior=None, fit_intercept=True):
        self.alpha = alpha
        self.coef_prior = coef_prior
        self.intercept_prior = intercept_prior
        self.fit_intercept = fit_intercept

    def fit(self, X, y, sample_weight=None):
        """Fit the anchored ridge in closed form.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_targets)
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative row weights.

        Returns
        -------
        self : AnchoredRidge
        """
        alpha = check_real(self.alpha, "alpha", low=0)
        if not isinstance(self.fit_intercept, (bool, np.bool_)):
            raise TypeError(f"fit_intercept must be a bool, got {self.fit_intercept!r}")
        X, y = validate_data(self, X, y, dtype=np.float64, multi_output=True, y_numeric=True)
        weight = check_sample_weight(sample_weight, X.shape[0], positive_sum=True)
        weight = np.ones(X.shape[0]) if weight is None else weight
        Y = y.reshape(len(y), -1)
        coef0, intercept0 = self._prior(X.shape[1], Y.shape[1])
        if intercept0 is not None:
            # The intercept is one more penalised coefficient on a column of ones.
            design = np.column_stack([X, np.ones(len(X))])
            theta = _anchored_solve(design, Y, weight, alpha, np.column_stack([coef0, intercept0]))
            coef, intercept = theta[:, :-1], theta[:, -1]
        elif self.fit_intercept:
            x_mean = np.average(X, axis=0, weights=weight)
            y_mean = np.average(Y, axis=0, weights=weight)
            coef = _anchored_solve(X - x_mean, Y - y_mean, weight, alpha, coef0)
            intercept = y_mean - coef @ x_mean
        else:
            coef = _anchored_solve(X, Y, weight, alpha, coef0)
            intercept = np.zeros(Y.shape[1])
        if y.ndim == 1:
            self.coef_, self.intercept_ = coef[0], float(intercept[0])
        else:
            self.coef_, self.intercept_ = coef, intercept
        return self

    def _prior(self, n_features, n_targets):
        """``(coef (n_targets, d), intercept (n_targets,) or None)``."""
        if self.coef_prior is None:
            coef = np.zeros((n_targets, n_features))
        else:
            coef = _prior_array(self.coef_prior, "coef_prior", (n_targets, n_features))
        if self.intercept_prior is None:
            return coef, None
        if not self.fit_intercept:
            raise ValueError("intercept_prior needs fit_intercept=True, got fit_intercept=False")
        return coef, _prior_array(self.intercept_prior, "intercept_prior", (n_targets,))

    def predict(self, X):
        """Predicted values ``X @ coef_.T + intercept_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_targets)
        """
        check_is_fitted(self)
        X = validate_data(self, X, reset=False, dtype=np.float64)
        return X @ self.coef_.T + self.intercept_

    def to_sklearn(self):
        """A fitted :class:`~sklearn.linear_model.Ridge` with the same
        coefficients, hence the same predictions.

        Returns
        -------
        model : Ridge
            Plain scikit-learn estimator (pickles without skdistill); its
            ``alpha`` is this model's, though a refit would shrink toward zero.
        """
        check_is_fitted(self)
        plain = Ridge(alpha=self.alpha, fit_intercept=self.fit_intercept)
        for attr in ("coef_", "intercept_", "n_features_in_", "feature_names_in_"):
            if hasattr(self, attr):
                setattr(plain, attr, copy.deepcopy(getattr(self, attr)))
        return plain

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags


def _anchored_solve(X, Y, weight, alpha, prior):
    """``(X' W X + alpha I)^-1 (X' W Y + alpha prior')``, transposed to
    (n_targets, n_features)."""
    weighted = X * weight[:, None]
    gram = weighted.T @ X + alpha * np.eye(X.shape[1])
    rhs = weighted.T @ Y + alpha * prior.T
    try:
        theta = linalg.solve(gram, rhs, assume_a="pos")
    except (linalg.LinAlgError, ValueError):  # alpha = 0 on rank-deficient data
        theta = linalg.lstsq(gram, rhs)[0]
    return np.atleast_2d(theta.T)


def linear_prior(model, *, intercept=True):
    """A fitted linear model's parameters as a prior for a new fit.

    Parameters
    ----------
    model : fitted linear estimator
        Anything with ``coef_`` and ``intercept_`` (``LogisticRegression``,
        ``Ridge``, ``LinearRegression``, :class:`SoftLogisticRegression`,
        :class:`AnchoredRidge`, ...).
    intercept : bool, default=True
        Also anchor the intercept (False leaves it unpenalised).

    Returns
    -------
    prior : dict
        ``{"coef_prior": ..., "intercept_prior": ...}`` (copies), to pass as
        ``SoftLogisticRegression(**linear_prior(old))``,
        ``AnchoredRidge(**linear_prior(old))`` or
        ``distilled.set_params(**{"student__" + k: v for k, v in ...})``.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.preprocessing import scale
    >>> from skdistill.students import SoftLogisticRegression, linear_prior
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> X = scale(X)
    >>> old = LogisticRegression().fit(X[:200], y[:200])
    >>> prior = linear_prior(old)
    >>> prior["coef_prior"].shape
    (1, 30)
    >>> new = SoftLogisticRegression(prior_strength=1e8, **prior).fit(X, y)
    >>> bool(abs(new.coef_ - old.coef_).max() < 1e-4)
    True
    """
    coef, intercept_value = _linear_params(model, "model")
    return {
        "coef_prior": coef.copy(),
        "intercept_prior": intercept_value.copy() if intercept else None,
    }


def _linear_params(model, name):
    """``(coef_, intercept_ as an array)`` of a fitted linear model."""
    if not hasattr(model, "coef_") or not hasattr(model, "intercept_"):
        raise TypeError(
            f"{name} must be a fitted linear model with coef_ and intercept_ "
            f"(e.g. LogisticRegression, Ridge), got {type(model).__name__}"
        )
    coef = np.asarray(model.coef_, dtype=np.float64)
    return coef, np.atleast_1d(np.asarray(model.intercept_, dtype=np.float64))


def _plain_sklearn(model, name):
    """``model`` as a scikit-learn linear model (converted when it is one of
    skdistill's)."""
    if hasattr(model, "to_sklearn") and hasattr(model, "coef_"):
        return model.to_sklearn()
    _linear_params(model, name)
    return copy.deepcopy(model)


def interpolate_linear(model_a, model_b, weight):
    """The linear model with parameters ``weight * theta_a + (1 - weight) * theta_b``.

    The parameter-space counterpart of distillation's target mixing: with
    ``model_a`` the new model and ``model_b`` the one in production,
    ``weight`` trades the new model's accuracy against churn (changed
    predictions). Logits and predictions of the result are the same
    mixture of the two models' *scores*, not of their probabilities.

    Parameters
    ----------
    model_a, model_b : fitted linear estimators
        Both classifiers (same ``classes_``) or both regressors, with
        ``coef_`` of the same shape and the same features: scikit-learn's
        ``LogisticRegression``, ``Ridge``, ``LinearRegression`` and the like,
        :class:`SoftLogisticRegression` or :class:`AnchoredRidge`.
    weight : float in [0, 1]
        :math:`\\lambda`; 1 gives ``model_a``, 0 ``model_b``.

    Returns
    -------
    model : scikit-learn estimator
        A copy of ``model_a`` as a plain scikit-learn model (a
        ``SoftLogisticRegression`` becomes a ``LogisticRegression``, an
        ``AnchoredRidge`` a ``Ridge``) with the interpolated ``coef_`` and
        ``intercept_``; it pickles and predicts without skdistill.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skdistill.students import interpolate_linear
    >>> X, y = load_iris(return_X_y=True)
    >>> a = LogisticRegression(max_iter=500).fit(X[::2], y[::2])
    >>> b = LogisticRegression(C=0.01, max_iter=500).fit(X[1::2], y[1::2])
    >>> half = interpolate_linear(a, b, 0.5)
    >>> bool(np.allclose(half.coef_, (a.coef_ + b.coef_) / 2))
    True
    >>> bool((interpolate_linear(a, b, 1.0).predict(X) == a.predict(X)).all())
    True
    """
    if not isinstance(weight, numbers.Real) or isinstance(weight, (bool, np.bool_)):
        raise TypeError(f"weight must be a real number in [0, 1], got {weight!r}")
    weight = check_real(weight, "weight", low=0, high=1)
    plain_a = _plain_sklearn(model_a, "model_a")
    plain_b = _plain_sklearn(model_b, "model_b")
    _check_same_kind(plain_a, plain_b)
    coef_a, intercept_a = _linear_params(plain_a, "model_a")
    coef_b, intercept_b = _linear_params(plain_b, "model_b")
    if coef_a.shape != coef_b.shape or intercept_a.shape != intercept_b.shape:
        raise ValueError(
            "model_a and model_b must have coef_ of the same shape, got "
            f"{coef_a.shape} and {coef_b.shape}"
        )
    coef = weight * coef_a + (1.0 - weight) * coef_b
    intercept = weight * intercept_a + (1.0 - weight) * intercept_b
    plain_a.coef_ = coef.astype(np.asarray(plain_a.coef_).dtype, copy=False)
    if np.ndim(plain_a.intercept_) == 0:
        plain_a.intercept_ = float(intercept[0])
    else:
        plain_a.intercept_ = intercept.astype(np.asarray(plain_a.intercept_).dtype, copy=False)
    return plain_a


def _check_same_kind(model_a, model_b):
    """Both classifiers with the same classes, or both regressors, on the
    same features."""
    if is_classifier(model_a) != is_classifier(model_b):
        raise ValueError(
            "model_a and model_b must both be classifiers or both regressors, got "
            f"{type(model_a).__name__} and {type(model_b).__name__}"
        )
    if is_classifier(model_a) and not np.array_equal(model_a.classes_, model_b.classes_):
        raise ValueError(
            "model_a and model_b must have the same classes_, got "
            f"{model_a.classes_!r} and {model_b.classes_!r}"
        )
    names_a = getattr(model_a, "feature_names_in_", None)
    names_b = getattr(model_b, "feature_names_in_", None)
    if names_a is not None and names_b is not None and not np.array_equal(names_a, names_b):
        raise ValueError("model_a and model_b were fitted on different feature names")
