"""Parameter anchoring and interpolation: SoftLogisticRegression's prior,
AnchoredRidge, linear_prior and interpolate_linear."""

import pickle

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris, make_classification
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from skdistill import DistilledClassifier
from skdistill.students import (
    AnchoredRidge,
    SoftLogisticRegression,
    interpolate_linear,
    linear_prior,
)


@pytest.fixture(scope="module")
def noisy_binary():
    # Label noise keeps the data non-separable, so the unpenalised fit exists.
    X, y = make_classification(
        n_samples=300, n_features=5, n_informative=3, flip_y=0.2, random_state=0
    )
    return X, y


@pytest.fixture(scope="module")
def regression():
    X, y = load_diabetes(return_X_y=True)
    return StandardScaler().fit_transform(X), y


def _rel(a, b):
    return float(np.abs(np.asarray(a) - np.asarray(b)).max())


# ------------------------------------------------------------ logistic prior
def test_logistic_prior_zero_matches_plain_fit(noisy_binary):
    X, y = noisy_binary
    plain = SoftLogisticRegression(C=0.3).fit(X, y)
    zero = SoftLogisticRegression(C=0.3, coef_prior=np.zeros(5)).fit(X, y)
    assert_allclose(zero.coef_, plain.coef_, atol=1e-10)
    # prior_strength scales 1/C: only C * prior_strength matters.
    scaled = SoftLogisticRegression(C=3.0, prior_strength=10.0, tol=1e-10).fit(X, y)
    reference = SoftLogisticRegression(C=0.3, tol=1e-10).fit(X, y)
    assert_allclose(scaled.coef_, reference.coef_, atol=1e-6)


def test_logistic_prior_limits(noisy_binary):
    X, y = noisy_binary
    reference = LogisticRegression(C=0.01).fit(X[:100], y[:100])
    prior = linear_prior(reference)
    stiff = SoftLogisticRegression(prior_strength=1e9, **prior).fit(X, y)
    assert _rel(stiff.coef_, reference.coef_) < 1e-5
    assert _rel(stiff.intercept_, reference.intercept_) < 1e-5
    assert_array_equal(stiff.predict(X), reference.predict(X))
    free = LogisticRegression(C=np.inf, tol=1e-10, max_iter=1000).fit(X, y)
    loose = SoftLogisticRegression(prior_strength=0.0, tol=1e-10, max_iter=1000, **prior).fit(X, y)
    assert _rel(loose.coef_, free.coef_) < 1e-4
    # In between, the coefficients move monotonically away from the reference.
    distances = [
        _rel(SoftLogisticRegression(prior_strength=s, **prior).fit(X, y).coef_, reference.coef_)
        for s in (100.0, 1.0, 0.01)
    ]
    assert distances[0] < distances[1] < distances[2]


def test_logistic_prior_stationarity(noisy_binary):
    """The fitted parameters solve the gradient equation of the documented
    objective: C * X'(p - y) + s (w - w0) = 0 and, with an intercept prior,
    C * sum(p - y) + s (b - b0) = 0."""
    X, y = noisy_binary
    w0, b0 = np.linspace(-1, 1, 5), np.array([0.5])
    C, s = 0.7, 3.0
    model = SoftLogisticRegression(
        C=C, coef_prior=w0, intercept_prior=b0, prior_strength=s, tol=1e-10, max_iter=1000
    ).fit(X, y)
    residual = model.predict_proba(X)[:, 1] - y
    assert_allclose(C * X.T @ residual + s * (model.coef_[0] - w0), 0, atol=1e-5)
    assert_allclose(C * residual.sum() + s * (model.intercept_ - b0), 0, atol=1e-5)
    # Without an intercept prior the intercept is free: its gradient is zero alone.
    free_b = SoftLogisticRegression(C=C, coef_prior=w0, prior_strength=s, tol=1e-10).fit(X, y)
    assert abs((free_b.predict_proba(X)[:, 1] - y).sum()) < 1e-4


def test_logistic_prior_with_temperature_and_multiclass():
    X, y = load_iris(return_X_y=True)
    X = StandardScaler().fit_transform(X)
    prior = np.arange(12.0).reshape(3, 4) / 10
    stiff = SoftLogisticRegression(coef_prior=prior, prior_strength=1e8, temperature=2.0)
    assert _rel(stiff.fit(X, y).coef_, prior) < 1e-4
    # At temperature T the solution is T times the T=1 solution with prior/T.
    hot = SoftLogisticRegression(coef_prior=prior, temperature=2.0, tol=1e-10).fit(X, y)
    cold = SoftLogisticRegression(coef_prior=prior / 2, tol=1e-10).fit(X, y)
    assert_allclose(hot.coef_, 2 * cold.coef_, atol=1e-5)


def test_logistic_prior_as_student_parameter(noisy_binary):
    X, y = noisy_binary
    old = SoftLogisticRegression().fit(X[:150], y[:150])
    student = SoftLogisticRegression(**linear_prior(old), prior_strength=1e9)
    model = DistilledClassifier(
        LogisticRegression(), student, temperature=1.0, alpha=1.0, random_state=0
    ).fit(X, y)
    assert_array_equal(model.predict(X), old.predict(X))
    # the prior is stored unchanged (clone-safe) and not modified by fit
    assert model.student.coef_prior is student.coef_prior


@pytest.mark.parametrize(
    ("params", "error", "match"),
    [
        ({"coef_prior": np.zeros(4)}, ValueError, r"coef_prior must have shape \(1, 5\)"),
        ({"coef_prior": np.zeros((2, 5))}, ValueError, "coef_prior must have shape"),
        ({"coef_prior": [np.nan] * 5}, ValueError, "coef_prior must not contain NaN"),
        ({"coef_prior": ["a"] * 5}, TypeError, "coef_prior must be an array of numbers"),
        ({"intercept_prior": [0.0, 1.0]}, ValueError, "intercept_prior must have shape"),
        (
            {"intercept_prior": 0.0, "fit_intercept": False},
            ValueError,
            "intercept_prior needs fit_intercept=True",
        ),
        ({"prior_strength": -1.0}, ValueError, "prior_strength"),
    ],
)
def test_logistic_prior_errors(noisy_binary, params, error, match):
    X, y = noisy_binary
    with pytest.raises(error, match=match):
        SoftLogisticRegression(**params).fit(X, y)


# ------------------------------------------------------------ anchored ridge
def test_anchored_ridge_without_prior_is_ridge(regression):
    X, y = regression
    weight = np.random.RandomState(0).uniform(0.5, 2.0, size=len(y))
    for fit_intercept in (True, False):
        ours = AnchoredRidge(alpha=3.0, fit_intercept=fit_intercept).fit(X, y, weight)
        theirs = Ridge(alpha=3.0, fit_intercept=fit_intercept).fit(X, y, weight)
        assert_allclose(ours.coef_, theirs.coef_, rtol=1e-8)
        assert_allclose(ours.intercept_, theirs.intercept_, rtol=1e-8, atol=1e-8)
        assert_allclose(ours.predict(X), theirs.predict(X), rtol=1e-8)


def test_anchored_ridge_matches_closed_form(regression):
    X, y = regression
    rng = np.random.RandomState(1)
    theta0, b0, alpha = rng.normal(size=X.shape[1]), 150.0, 40.0
    weight = rng.uniform(0.5, 2.0, size=len(y))
    # Anchored intercept: the normal equations on [X, 1], all penalised.
    design = np.column_stack([X, np.ones(len(X))])
    W = np.diag(weight)
    expected = np.linalg.solve(
        design.T @ W @ design + alpha * np.eye(design.shape[1]),
        design.T @ W @ y + alpha * np.append(theta0, b0),
    )
    model = AnchoredRidge(alpha=alpha, coef_prior=theta0, intercept_prior=b0)
    model.fit(X, y, sample_weight=weight)
    assert_allclose(model.coef_, expected[:-1], rtol=1e-8)
    assert model.intercept_ == pytest.approx(expected[-1], rel=1e-10)
    # Free intercept: the objective's gradient in theta vanishes, and in b too.
    free = AnchoredRidge(alpha=alpha, coef_prior=theta0).fit(X, y, sample_weight=weight)
    residual = y - free.predict(X)
    assert_allclose(X.T @ (weight * residual), alpha * (free.coef_ - theta0), atol=1e-6)
    assert abs(weight @ residual) < 1e-6


def test_anchored_ridge_limits_and_multioutput(regression):
    X, y = regression
    Y = np.column_stack([y, -2 * y + 5])
    old = Ridge(alpha=100.0).fit(X[:100], Y[:100])
    stiff = AnchoredRidge(alpha=1e12, **linear_prior(old)).fit(X, Y)
    assert_allclose(stiff.coef_, old.coef_, atol=1e-6)
    assert_allclose(stiff.predict(X), old.predict(X), atol=1e-5)
    free = AnchoredRidge(alpha=0.0, **linear_prior(old)).fit(X, Y)
    assert_allclose(free.predict(X), LinearRegression().fit(X, Y).predict(X), rtol=1e-8)
    assert stiff.coef_.shape == (2, X.shape[1]) and stiff.intercept_.shape == (2,)
    with pytest.raises(ValueError, match=r"coef_prior must have shape \(2, 10\)"):
        AnchoredRidge(coef_prior=np.zeros(10)).fit(X, Y)
    with pytest.raises(ValueError, match="intercept_prior needs fit_intercept=True"):
        AnchoredRidge(intercept_prior=0.0, fit_intercept=False).fit(X, y)
    with pytest.raises(ValueError, match="alpha"):
        AnchoredRidge(alpha=-1).fit(X, y)


@parametrize_with_checks([AnchoredRidge(), AnchoredRidge(alpha=0.1, fit_intercept=False)])
def test_anchored_ridge_estimator_checks(estimator, check):
    check(estimator)


# --------------------------------------------------------------- interpolation
def test_interpolate_logistic_limits_and_midpoint():
    X, y = load_iris(return_X_y=True)
    a = LogisticRegression(max_iter=1000).fit(X[::2], y[::2])
    b = SoftLogisticRegression(C=0.05, max_iter=1000).fit(X[1::2], y[1::2])
    for weight, source in ((1.0, a), (0.0, b)):
        mixed = interpolate_linear(a, b, weight)
        assert type(mixed) is LogisticRegression
        assert_array_equal(mixed.predict(X), source.predict(X))
        assert_allclose(mixed.predict_proba(X), source.predict_proba(X), rtol=1e-12)
    mixed = interpolate_linear(a, b, 0.25)
    assert_allclose(mixed.coef_, 0.25 * a.coef_ + 0.75 * b.coef_)
    assert_allclose(
        mixed.decision_function(X), 0.25 * a.decision_function(X) + 0.75 * (b.decision_function(X))
    )
    assert a.coef_ is not mixed.coef_  # a copy: the inputs are untouched
    pickle.loads(pickle.dumps(mixed))


def test_interpolate_regressors(regression):
    X, y = regression
    a = AnchoredRidge(alpha=2.0).fit(X, y)
    b = LinearRegression().fit(X[:200], y[:200])
    mixed = interpolate_linear(a, b, 0.6)
    assert type(mixed) is Ridge and mixed.alpha == 2.0
    assert_allclose(mixed.predict(X), 0.6 * a.predict(X) + 0.4 * b.predict(X))
    assert_allclose(interpolate_linear(b, a, 0.0).predict(X), a.predict(X))


def test_interpolate_errors(regression, noisy_binary):
    X, y = regression
    Xc, yc = noisy_binary
    ridge = Ridge().fit(X, y)
    clf = LogisticRegression().fit(Xc, yc)
    with pytest.raises(ValueError, match="same shape"):
        interpolate_linear(ridge, Ridge().fit(X[:, :5], y), 0.5)
    with pytest.raises(ValueError, match="both be classifiers or both regressors"):
        interpolate_linear(ridge, clf, 0.5)
    with pytest.raises(ValueError, match="same classes_"):
        interpolate_linear(clf, LogisticRegression().fit(Xc, yc + 1), 0.5)
    with pytest.raises(ValueError, match="weight"):
        interpolate_linear(ridge, ridge, 1.5)
    with pytest.raises(TypeError, match="weight must be a real number"):
        interpolate_linear(ridge, ridge, "half")
    with pytest.raises(TypeError, match="model_b must be a fitted linear model"):
        interpolate_linear(ridge, Ridge(), 0.5)
    X_breast, y_breast = load_breast_cancer(return_X_y=True, as_frame=True)
    named = LogisticRegression(max_iter=50).fit(X_breast.iloc[:, :3], y_breast)
    renamed = LogisticRegression(max_iter=50).fit(X_breast.iloc[:, 3:6], y_breast)
    with pytest.raises(ValueError, match="different feature names"):
        interpolate_linear(named, renamed, 0.5)


def test_anchored_ridge_exports_as_ridge(regression):
    from sklearn.ensemble import RandomForestRegressor

    from skdistill import DistilledRegressor
    from skdistill.export import export_student

    X, y = regression
    old = Ridge().fit(X[:200], y[:200])
    model = DistilledRegressor(
        RandomForestRegressor(n_estimators=10, random_state=0),
        AnchoredRidge(alpha=50.0, **linear_prior(old)),
        alpha=0.0,
        random_state=0,
    ).fit(X, y)
    exported = export_student(model)
    assert type(exported) is Ridge
    assert_allclose(exported.predict(X), model.predict(X), rtol=1e-12)
    assert type(pickle.loads(pickle.dumps(exported))) is Ridge
