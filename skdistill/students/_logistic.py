"""Logistic regression that learns from soft targets (probability matrices)."""

import warnings

import numpy as np
from scipy import optimize, sparse
from scipy.special import expit, log_expit, log_softmax, softmax
from sklearn.base import BaseEstimator
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted, validate_data
from threadpoolctl import threadpool_limits

from .._loss._soft_loss import binary_loss_gradient, multinomial_loss_gradient
from .._validation import check_int, check_real, check_sample_weight
from ._base import SoftTargetClassifierMixin, soft_targets_from_y

# Below this many matrix entries (rows x features) the solver runs with one
# BLAS thread.
SMALL_PROBLEM_SIZE = 200_000


class SoftLogisticRegression(SoftTargetClassifierMixin, BaseEstimator):
    """L2-regularised logistic regression fit on labels or soft targets.

    ``fit(X, y)`` takes class labels, like
    :class:`~sklearn.linear_model.LogisticRegression`, or an (n_samples,
    n_classes) matrix of target probabilities (e.g. a teacher's
    ``predict_proba``), and minimises the soft-target cross-entropy

    .. math::

        C\\,T^2 \\sum_i w_i \\sum_k t_{ik}\\,(-\\log \\mathrm{softmax}(z_i / T)_k)
        + \\tfrac{s}{2} \\lVert W - W_0 \\rVert_F^2
        \\;[\\, + \\tfrac{s}{2} \\lVert b - b_0 \\rVert^2 \\,],
        \\qquad z_i = W x_i + b,

    with :math:`T` = ``temperature``, :math:`w_i` the sample weights,
    :math:`s` = ``prior_strength`` and :math:`W_0` = ``coef_prior`` (zero
    when not given). The intercept :math:`b` is penalised only when
    ``intercept_prior`` (:math:`b_0`) is given. With the defaults (no prior,
    ``prior_strength=1``), labels as one-hot targets and ``temperature=1``
    this is exactly the objective of ``LogisticRegression(C=C,
    solver="lbfgs")``, solved the same way (L-BFGS-B on the objective divided
    by ``C * sum(w)``, the same tolerances and a zero start), so the two give
    the same model. Two classes use one score (sigmoid), more use one per
    class (softmax, the over-parametrised multinomial, as scikit-learn does).

    **Anchoring to a reference model.** A prior turns the usual shrinkage
    toward zero into shrinkage toward a reference model's parameters, e.g.
    the model in production when it is retrained (churn reduction by
    anchoring): ``SoftLogisticRegression(**linear_prior(old_model),
    prior_strength=s)`` (see :func:`linear_prior`). ``C`` weighs the data
    and ``prior_strength`` the prior, so only ``C * prior_strength``
    matters for the solution: ``prior_strength -> 0`` gives the
    unpenalised fit, ``prior_strength -> inf`` the reference model itself
    (its coefficients, and its intercept when ``intercept_prior`` is given),
    and ``prior_strength=1`` anchors exactly as hard as ``C`` alone shrinks
    toward zero.

    Parameters
    ----------
    C : float, default=1.0
        Inverse of the L2 regularisation strength; must be > 0.
    fit_intercept : bool, default=True
        Whether to fit an (unpenalised) intercept.
    max_iter : int, default=100
        Maximum number of L-BFGS iterations.
    tol : float, default=1e-4
        L-BFGS stops when the largest component of the projected gradient
        of the scaled objective (as in scikit-learn) falls below ``tol``.
    temperature : float, default=1.0
        Temperature of the *fit* (Hinton et al., 2015, "Distilling the
        knowledge in a neural network"): the model's scores are divided by
        ``temperature`` when they are matched to the targets, and the
        cross-entropy is multiplied by ``temperature**2`` (the paper's
        gradient correction). ``predict_proba`` and the other prediction
        methods always use temperature 1. For this linear model the result
        is exact: ``coef_`` and ``intercept_`` are ``temperature`` times
        those of the ``temperature=1`` fit on the same targets. Fit on a
        teacher's probabilities softened at temperature T, a student with
        ``temperature=T`` predicts at the teacher's original sharpness.
    coef_prior : array-like of shape (n_features,) or (n_rows, n_features), default=None
        Coefficients :math:`W_0` the penalty pulls toward, laid out as
        ``coef_`` (``n_rows`` is 1 for two classes, where a 1d array is
        accepted, else n_classes); None means zeros, the usual L2 penalty.
        The fit starts from the prior.
    intercept_prior : float or array-like of shape (n_rows,), default=None
        Intercepts :math:`b_0`; when given, the intercept is penalised
        toward them with the same ``prior_strength`` (needs
        ``fit_intercept=True``). None leaves the intercept unpenalised.
    prior_strength : float, default=1.0
        Weight :math:`s \\ge 0` of the penalty, relative to ``1 / C``; 0
        removes it (beware: separable data then has no finite solution).
    warm_start : bool, default=False
        Start from the previous ``coef_`` and ``intercept_`` when their
        shapes fit the new problem.
    verbose : int, default=0
        1 prints a summary of the fit, 2 also each iteration's loss.

    Attributes
    ----------
    coef_ : ndarray of shape (1, n_features) for two classes, else (n_classes, n_features)
        Coefficients; float32 when ``X`` is float32.
    intercept_ : ndarray of shape (1,) or (n_classes,)
        Intercepts (zeros when ``fit_intercept=False``).
    classes_ : ndarray of shape (n_classes,)
        The sorted labels, or ``arange(n_classes)`` for a probability matrix.
    n_iter_ : ndarray of shape (1,)
        Number of L-BFGS iterations run.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Feature names, only when ``X`` had string column names.

    See Also
    --------
    sklearn.linear_model.LogisticRegression : The hard-label model;
        :meth:`to_sklearn` converts a fitted student into one.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from skdistill.students import SoftLogisticRegression
    >>> X, y = load_iris(return_X_y=True)
    >>> model = SoftLogisticRegression(max_iter=500).fit(X, y)
    >>> model.predict(X[:3])
    array([0, 0, 0])
    >>> soft = model.predict_proba(X)          # a probability matrix as targets
    >>> student = SoftLogisticRegression(C=10.0, max_iter=500).fit(X, soft)
    >>> student.classes_
    array([0, 1, 2])
    >>> bool(np.abs(student.predict_proba(X) - soft).max() < 0.05)
    True
    """

    def __init__(
        self,
        C=1.0,
        *,
        fit_intercept=True,
        max_iter=100,
        tol=1e-4,
        temperature=1.0,
        coef_prior=None,
        intercept_prior=None,
        prior_strength=1.0,
        warm_start=False,
        verbose=0,
    ):
        self.C = C
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.temperature = temperature
        self.coef_prior = coef_prior
        self.intercept_prior = intercept_prior
        self.prior_strength = prior_strength
        self.warm_start = warm_start
        self.verbose = verbose

    def fit(self, X, y, sample_weight=None):
        """Fit the model to class labels or to a probability matrix.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Training data; float32 data is kept float32, sparse data as CSR.
        y : array-like of shape (n_samples,) or (n_samples, n_classes)
            Class labels, or target probabilities (non-negative rows summing
            to 1); then ``classes_`` is ``arange(n_classes)``.
        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative row weights.

        Returns
        -------
        self : SoftLogisticRegression
            The fitted estimator.
        """
        C = check_real(self.C, "C", low=0, low_inclusive=False)
        max_iter = check_int(self.max_iter, "max_iter", low=0)
        tol = check_real(self.tol, "tol", low=0)
        temperature = check_real(self.temperature, "temperature", low=0, low_inclusive=False)
        prior_strength = check_real(self.prior_strength, "prior_strength", low=0)
        verbose = check_int(self.verbose, "verbose", low=0)
        for name in ("fit_intercept", "warm_start"):
            if not isinstance(getattr(self, name), (bool, np.bool_)):
                raise TypeError(f"{name} must be a bool, got {getattr(self, name)!r}")
        X, y = validate_data(
            self,
            X,
            y,
            accept_sparse="csr",
            dtype=[np.float64, np.float32],
            order="C",
            multi_output=True,
            y_numeric=False,
        )
        targets, classes, _ = soft_targets_from_y(y)
        weight = _sample_weight(sample_weight, X.shape[0])
        dtype = X.dtype
        n_features, n_classes = X.shape[1], len(classes)
        binary = n_classes == 2
        prior = _check_prior(
            self.coef_prior, self.intercept_prior, self.fit_intercept, n_features, n_classes
        )

        objective = _LogisticObjective(
            X,
            targets,
            weight,
            C=C,
            fit_intercept=self.fit_intercept,
            binary=binary,
            # The optimiser works at temperature 1, where the solution is the
            # temperature-T one divided by T: so is the prior.
            prior=None if prior is None else (prior[0] / temperature, _div(prior[1], temperature)),
            prior_strength=prior_strength,
        )
        x0 = self._initial_params(objective, temperature, n_features, n_classes)
        callback = _IterationPrinter(objective) if verbose >= 2 else None
        # Small products gain nothing from BLAS threads, and on a busy
        # machine their spin-waiting made small fits ~5x slower.
        blas_threads = 1 if X.shape[0] * n_features < SMALL_PROBLEM_SIZE else None
        with threadpool_limits(limits=blas_threads, user_api="blas"):
            result = optimize.minimize(
                objective.loss_gradient,
                x0,
                method="L-BFGS-B",
                jac=True,
                callback=callback,
                # scikit-learn's LogisticRegression settings, for identical fits.
                options={
                    "maxiter": max_iter,
                    "maxls": 50,
                    "gtol": tol,
                    "ftol": 64 * np.finfo(float).eps,
                },
            )
        n_iter = min(int(result.nit), max_iter)
        if result.status != 0:
            warnings.warn(  # noqa: B028 - scikit-learn's ConvergenceWarning style
                f"L-BFGS failed to converge after {n_iter} iteration(s) "
                f"(status={result.status}): {result.message}. Increase max_iter "
                f"(currently {max_iter}) or scale the data.",
                ConvergenceWarning,
            )
        coef, intercept = objective.unpack(result.x)
        # The fit at temperature T is T times the fit at temperature 1 (see
        # the temperature parameter); the optimiser always works at T = 1.
        self.coef_ = (temperature * coef).astype(dtype, copy=False)
        self.intercept_ = (temperature * intercept).astype(dtype, copy=False)
        self.classes_ = classes
        self.n_iter_ = np.array([n_iter], dtype=np.int32)
        if verbose:
            print(
                f"[SoftLogisticRegression] {n_iter} L-BFGS iterations, "
                f"loss {result.fun:.6g}, status {result.status}: {result.message}"
            )
        return self

    def _initial_params(self, objective, temperature, n_features, n_classes):
        """The previous solution (at temperature 1) on warm start, else the
        prior (zeros without one)."""
        n_rows = 1 if n_classes == 2 else n_classes
        coef = getattr(self, "coef_", None)
        if self.warm_start and coef is not None and coef.shape == (n_rows, n_features):
            return objective.pack(
                np.asarray(coef, dtype=np.float64) / temperature,
                np.asarray(self.intercept_, dtype=np.float64) / temperature,
            )
        return objective.reference.copy()

    # ----------------------------------------------------------- prediction
    def decision_function(self, X):
        """Scores (logits at temperature 1).

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples,) for two classes (the logit of
            ``classes_[1]``), else (n_samples, n_classes)
        """
        check_is_fitted(self)
        X = validate_data(
            self, X, reset=False, accept_sparse="csr", dtype=[np.float64, np.float32]
        )
        scores = np.asarray(X @ self.coef_.T) + self.intercept_
        return scores[:, 0] if scores.shape[1] == 1 else scores

    def predict_proba(self, X):
        """Class probabilities, one column per entry of ``classes_``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        scores = self.decision_function(X)
        if scores.ndim == 1:
            p1 = expit(scores)
            return np.column_stack([1.0 - p1, p1])
        return softmax(scores, axis=1)

    def predict_log_proba(self, X):
        """Logarithm of :meth:`predict_proba`, computed stably.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
        """
        scores = self.decision_function(X)
        if scores.ndim == 1:
            return np.column_stack([log_expit(-scores), log_expit(scores)])
        return log_softmax(scores, axis=1)

    def predict(self, X):
        """Most probable class of each row.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Values of ``classes_``.
        """
        scores = self.decision_function(X)
        if scores.ndim == 1:
            return self.classes_[(scores > 0).astype(np.intp)]
        return self.classes_[np.argmax(scores, axis=1)]

    def to_sklearn(self):
        """A fitted :class:`~sklearn.linear_model.LogisticRegression` with the
        same coefficients, hence the same predictions and probabilities.

        Returns
        -------
        model : LogisticRegression
            Plain scikit-learn estimator (pickles without skdistill).
        """
        check_is_fitted(self)
        # The prior has no LogisticRegression counterpart: the exported model
        # carries the fitted coefficients, which already include its effect.
        model = LogisticRegression(
            C=self.C,
            fit_intercept=self.fit_intercept,
            max_iter=self.max_iter,
            tol=self.tol,
            warm_start=self.warm_start,
            verbose=self.verbose,
        )
        model.classes_ = self.classes_.copy()
        model.coef_ = self.coef_.copy()
        model.intercept_ = self.intercept_.copy()
        model.n_iter_ = self.n_iter_.copy()
        model.n_features_in_ = self.n_features_in_
        if hasattr(self, "feature_names_in_"):
            model.feature_names_in_ = self.feature_names_in_.copy()
        return model

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags


class _LogisticObjective:
    """The scaled objective ``f(params)`` minimised by L-BFGS, with gradient.

    ``f = sum_i (w_i / sum(w)) CE_i + l2 / 2 * ||W - W_0||^2``,
    ``l2 = prior_strength / (C sum(w))``: scikit-learn's
    ``LogisticRegression`` objective divided by ``C * sum(w)`` when there is
    no prior and ``prior_strength=1``. With an intercept prior the intercept
    is penalised too.
    Multinomial parameters are laid out as scikit-learn's: the
    (n_classes, n_features + 1) matrix ravelled in Fortran order, so that
    ``params[:n_features * n_classes]`` is W.T in C order.
    """

    def __init__(
        self, X, targets, weight, *, C, fit_intercept, binary, prior=None, prior_strength=1.0
    ):
        self.X = X
        self.dtype = X.dtype
        n_samples, self.n_features = X.shape
        total = n_samples if weight is None else float(weight.sum())
        self.weight = None if weight is None else (weight / total).astype(self.dtype)
        self.l2 = prior_strength / (C * total)
        self.fit_intercept = fit_intercept
        self.binary = binary
        if binary:
            self.n_outputs = 1
            self.targets = np.ascontiguousarray(targets[:, 1], dtype=self.dtype)
        else:
            self.n_outputs = targets.shape[1]
            self.targets = np.ascontiguousarray(targets, dtype=self.dtype)
        self.n_params = (self.n_features + int(fit_intercept)) * self.n_outputs
        self.last_loss = np.nan
        self._set_reference(prior)

    def _set_reference(self, prior):
        """``reference`` (the prior in parameter layout, zeros without one)
        and ``penalised`` (the slice of parameters the penalty covers)."""
        n_coef = self.n_features * self.n_outputs
        self.penalised = slice(0, n_coef)
        if prior is None:
            self.reference = np.zeros(self.n_params)
            return
        coef, intercept = prior
        if intercept is not None:
            self.penalised = slice(0, self.n_params)
        else:
            intercept = np.zeros(self.n_outputs)
        self.reference = self.pack(coef, intercept)

    def unpack(self, params):
        """``(coef, intercept)`` of shapes (n_outputs, d) and (n_outputs,)."""
        n_coef = self.n_features * self.n_outputs
        coef = params[:n_coef].reshape(self.n_features, self.n_outputs).T
        intercept = params[n_coef:] if self.fit_intercept else np.zeros(self.n_outputs)
        return np.ascontiguousarray(coef), intercept.copy()

    def pack(self, coef, intercept):
        parts = [coef.T.ravel()]
        if self.fit_intercept:
            parts.append(intercept.ravel())
        return np.concatenate(parts)

    def loss_gradient(self, params):
        d, K = self.n_features, self.n_outputs
        coef_t = params[: d * K].reshape(d, K).astype(self.dtype, copy=False)
        if self.binary:
            raw = np.asarray(self.X @ coef_t[:, 0])
        else:
            raw = np.asarray(self.X @ coef_t)
        if self.fit_intercept:
            raw += params[d * K :].astype(self.dtype, copy=False)
        raw = np.ascontiguousarray(raw)
        kernel = binary_loss_gradient if self.binary else multinomial_loss_gradient
        loss, grad_raw = kernel(raw, self.targets, self.weight, out=raw)
        if sparse.issparse(self.X):
            grad_coef = np.asarray(self.X.T @ grad_raw)
        else:
            grad_coef = self.X.T @ grad_raw
        # The kernel already divided by sum(w) when weights were given.
        scale = 1.0 if self.weight is not None else 1.0 / self.X.shape[0]
        grad = np.empty_like(params)
        grad[: d * K] = scale * grad_coef.ravel()
        if self.fit_intercept:
            grad[d * K :] = scale * grad_raw.sum(axis=0, dtype=np.float64)
        shift = params[self.penalised] - self.reference[self.penalised]
        grad[self.penalised] += self.l2 * shift
        loss = scale * loss + 0.5 * self.l2 * float(shift @ shift)
        self.last_loss = loss
        return loss, grad


class _IterationPrinter:
    def __init__(self, objective):
        self.objective = objective
        self.iteration = 0

    def __call__(self, xk):
        self.iteration += 1
        print(
            f"[SoftLogisticRegression] iteration {self.iteration}: "
            f"loss {self.objective.last_loss:.8g}"
        )


def _div(value, by):
    return None if value is None else value / by


def _check_prior(coef_prior, intercept_prior, fit_intercept, n_features, n_classes):
    """``(coef (n_rows, d), intercept (n_rows,) or None)`` as float64, or
    None without a prior; ``n_rows`` is 1 for two classes."""
    if coef_prior is None and intercept_prior is None:
        return None
    n_rows = 1 if n_classes == 2 else n_classes
    if coef_prior is None:
        coef = np.zeros((n_rows, n_features))
    else:
        coef = _prior_array(coef_prior, "coef_prior", (n_rows, n_features))
    intercept = None
    if intercept_prior is not None:
        if not fit_intercept:
            raise ValueError("intercept_prior needs fit_intercept=True, got fit_intercept=False")
        intercept = _prior_array(intercept_prior, "intercept_prior", (n_rows,))
    return coef, intercept


def _prior_array(value, name, shape):
    """``value`` as a finite float64 array of ``shape`` (a single row may be
    given flat)."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be an array of numbers, got {value!r}") from None
    if shape[0] == 1 and array.ndim < len(shape) and array.size == int(np.prod(shape)):
        array = array.reshape(shape)  # one row (two classes) may be given flat
    if array.shape != shape:
        raise ValueError(
            f"{name} must have shape {shape} (as the fitted coef_/intercept_ of this "
            f"problem), got shape {np.shape(value)}"
        )
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must not contain NaN or infinite values")
    return array


def _sample_weight(sample_weight, n_samples):
    """Validated float64 weights, or None for unit weights."""
    return check_sample_weight(sample_weight, n_samples, allow_scalar=True, positive_sum=True)
