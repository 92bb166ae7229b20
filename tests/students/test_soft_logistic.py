"""SoftLogisticRegression: a native soft-target student."""

import pickle
import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.datasets import (
    load_breast_cancer,
    load_digits,
    load_iris,
    load_wine,
    make_classification,
)
from sklearn.ensemble import RandomForestClassifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler
from sklearn.utils.estimator_checks import parametrize_with_checks

from skdistill import DistilledClassifier
from skdistill.students import SoftLogisticRegression


def _scaled(loader):
    X, y = loader(return_X_y=True)
    return StandardScaler().fit_transform(X), y


def _digits():
    X, y = load_digits(return_X_y=True)
    return StandardScaler().fit_transform(X[:600]), y[:600]


DATASETS = {
    "iris": lambda: _scaled(load_iris),  # 3 classes
    "breast_cancer": lambda: _scaled(load_breast_cancer),  # binary
    "wine": lambda: _scaled(load_wine),  # 3 classes
    "digits": _digits,  # 10 classes, 64 features
    "synthetic": lambda: make_classification(  # 4 classes, string labels
        n_samples=300, n_features=8, n_informative=5, n_classes=4, random_state=0
    ),
}


def _softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _teacher_proba(X, y):
    return RandomForestClassifier(n_estimators=30, random_state=0).fit(X, y).predict_proba(X)


@parametrize_with_checks([SoftLogisticRegression()])
def test_sklearn_compatible(estimator, check):
    check(estimator)


# --------------------------------------------------------------------------
# Same model as LogisticRegression(solver="lbfgs") on hard labels
# --------------------------------------------------------------------------
@pytest.mark.parametrize("dataset", sorted(DATASETS))
@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("weighted", [False, True])
def test_matches_sklearn_logistic_regression(dataset, fit_intercept, weighted):
    X, y = DATASETS[dataset]()
    if dataset == "synthetic":
        y = np.array(["ant", "bee", "cat", "dog"])[y]
    weight = np.random.default_rng(0).uniform(0.1, 3.0, len(y)) if weighted else None
    C = 0.5 if dataset == "digits" else 1.0
    ours = SoftLogisticRegression(C=C, fit_intercept=fit_intercept).fit(X, y, sample_weight=weight)
    ref = LogisticRegression(C=C, fit_intercept=fit_intercept, solver="lbfgs").fit(
        X, y, sample_weight=weight
    )
    assert_array_equal(ours.classes_, ref.classes_)
    assert ours.coef_.shape == ref.coef_.shape
    assert ours.intercept_.shape == ref.intercept_.shape
    assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-4)
    assert_allclose(ours.decision_function(X), ref.decision_function(X), atol=1e-3)
    assert_array_equal(ours.predict(X), ref.predict(X))


def test_binary_has_one_coefficient_vector_and_1d_scores():
    X, y = DATASETS["breast_cancer"]()
    model = SoftLogisticRegression().fit(X, y)
    assert model.coef_.shape == (1, X.shape[1])
    assert model.intercept_.shape == (1,)
    scores = model.decision_function(X)
    assert scores.shape == (len(y),)
    assert_allclose(model.predict_proba(X)[:, 1], 1 / (1 + np.exp(-scores)), rtol=1e-12)
    assert_array_equal(model.predict(X), model.classes_[(scores > 0).astype(int)])


def test_float32_is_kept_and_agrees_with_float64():
    X, y = DATASETS["wine"]()
    model64 = SoftLogisticRegression().fit(X, y)
    model32 = SoftLogisticRegression().fit(X.astype(np.float32), y)
    assert model32.coef_.dtype == np.float32
    assert model32.intercept_.dtype == np.float32
    assert_allclose(model32.predict_proba(X), model64.predict_proba(X), atol=1e-4)


def test_sparse_equals_dense():
    X, y = DATASETS["iris"]()
    X = np.where(np.abs(X) < 0.5, 0.0, X)  # genuinely sparse
    weight = np.random.default_rng(1).uniform(0.5, 2.0, len(y))
    dense = SoftLogisticRegression().fit(X, y, sample_weight=weight)
    sparse = SoftLogisticRegression().fit(sp.csr_matrix(X), y, sample_weight=weight)
    assert_allclose(sparse.coef_, dense.coef_, rtol=1e-8, atol=1e-10)
    assert_allclose(sparse.predict_proba(sp.csr_matrix(X)), dense.predict_proba(X), atol=1e-10)


# --------------------------------------------------------------------------
# Soft targets
# --------------------------------------------------------------------------
@pytest.mark.parametrize("dataset", ["iris", "breast_cancer"])
def test_soft_targets_match_the_replication_trick(dataset):
    """Cross-entropy on soft targets == weighted log-loss on one row per class."""
    X, y = DATASETS[dataset]()
    targets = _teacher_proba(X, y)
    weight = np.random.default_rng(2).uniform(0.2, 2.0, len(y))
    ours = SoftLogisticRegression().fit(X, targets, sample_weight=weight)

    n, k = targets.shape
    X_rep = np.repeat(X, k, axis=0)
    y_rep = np.tile(np.arange(k), n)
    w_rep = (targets * weight[:, None]).ravel()
    ref = LogisticRegression().fit(X_rep, y_rep, sample_weight=w_rep)
    assert_array_equal(ours.classes_, np.arange(k))
    assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-3)


def test_fit_does_not_modify_inputs():
    X, y = DATASETS["iris"]()
    targets = _teacher_proba(X, y)
    weight = np.ones(len(y))
    copies = X.copy(), targets.copy(), weight.copy()
    SoftLogisticRegression().fit(X, targets, sample_weight=weight)
    for before, after in zip(copies, (X, targets, weight)):
        assert_array_equal(before, after)


@pytest.mark.parametrize("temperature", [0.5, 3.0])
@pytest.mark.parametrize("dataset", ["iris", "breast_cancer"])
def test_fit_minimises_the_documented_objective(dataset, temperature):
    """At the solution the gradient of
    C T^2 sum_i w_i CE(t_i, softmax(z_i / T)) + ||W||^2 / 2 vanishes."""
    X, y = DATASETS[dataset]()
    targets = _teacher_proba(X, y)
    weight = np.random.default_rng(3).uniform(0.5, 2.0, len(y))
    C = 2.0
    model = SoftLogisticRegression(C=C, temperature=temperature, tol=1e-10, max_iter=2000).fit(
        X, targets, sample_weight=weight
    )
    W, b = model.coef_, model.intercept_
    if targets.shape[1] == 2:  # one score z for class 1: softmax over (0, z)
        W, b = np.vstack([np.zeros_like(W), W]), np.r_[0.0, b]
    p = _softmax((X @ W.T + b) / temperature)
    # d/dz of T^2 * CE(t, softmax(z / T)) is T * (p - t).
    residual = C * temperature * weight[:, None] * (p - targets)
    grad_W = residual.T @ X + W
    grad_b = residual.sum(axis=0)
    if targets.shape[1] == 2:
        grad_W, grad_b = grad_W[1:], grad_b[1:]
    scale = C * weight.sum()
    assert np.abs(grad_W).max() / scale < 1e-7
    assert np.abs(grad_b).max() / scale < 1e-7


def test_temperature_scales_the_solution():
    X, y = DATASETS["wine"]()
    targets = _teacher_proba(X, y)
    base = SoftLogisticRegression().fit(X, targets)
    hot = SoftLogisticRegression(temperature=4.0).fit(X, targets)
    assert_allclose(hot.coef_, 4.0 * base.coef_, rtol=1e-12)
    assert_allclose(hot.intercept_, 4.0 * base.intercept_, rtol=1e-12, atol=1e-14)
    # predict_proba works at temperature 1: sharper than the targets.
    assert hot.predict_proba(X).max(axis=1).mean() > base.predict_proba(X).max(axis=1).mean()


def test_temperature_recovers_the_teacher_sharpness():
    """Targets softened at T, student fit at T: predicts the unsoftened model."""
    rng = np.random.default_rng(4)
    X = rng.normal(size=(400, 3))
    true_logits = X @ np.array([[2.0, -1.0, 0.5], [-1.0, 1.5, 0.0], [0.0, 0.0, -2.0]]).T
    soft = _softmax(true_logits / 3.0)
    student = SoftLogisticRegression(C=1e4, temperature=3.0, max_iter=1000).fit(X, soft)
    assert_allclose(student.predict_proba(X), _softmax(true_logits), atol=1e-3)


def test_probability_matrix_gives_index_classes_and_proper_probabilities():
    X, y = DATASETS["synthetic"]()
    targets = _teacher_proba(X, y)
    model = SoftLogisticRegression().fit(X, targets)
    assert_array_equal(model.classes_, np.arange(4))
    proba = model.predict_proba(X)
    assert_allclose(proba.sum(axis=1), 1.0)
    assert_allclose(model.predict_log_proba(X), np.log(proba), rtol=1e-10)
    assert_array_equal(model.predict(X), proba.argmax(axis=1))
    # A linear student cannot copy a forest exactly, but is far above chance (0.25).
    assert np.mean(model.predict(X) == targets.argmax(axis=1)) > 0.5


def test_log_proba_is_finite_when_probabilities_underflow():
    X = np.array([[-1000.0], [-1.0], [1.0], [1000.0]])
    y = np.array([0, 0, 1, 1])
    for y_fit in (y, np.array([0, 0, 1, 2])):
        model = SoftLogisticRegression(C=1e6).fit(X, y_fit)
        log_proba = model.predict_log_proba(X)
        assert np.all(np.isfinite(log_proba))
        assert log_proba.min() < -100  # would be -inf through log(predict_proba)


# --------------------------------------------------------------------------
# Estimator behaviour
# --------------------------------------------------------------------------
def test_pickle_round_trip():
    X, y = DATASETS["iris"]()
    model = SoftLogisticRegression().fit(X, _teacher_proba(X, y))
    clone = pickle.loads(pickle.dumps(model))
    assert_array_equal(clone.predict_proba(X), model.predict_proba(X))
    assert_array_equal(clone.classes_, model.classes_)


def test_warm_start_reduces_iterations():
    X, y = DATASETS["digits"]()
    cold = SoftLogisticRegression(C=0.5).fit(X, y)
    warm = SoftLogisticRegression(C=0.5, warm_start=True)
    warm.fit(X, y)
    first = warm.n_iter_[0]
    warm.set_params(C=0.6).fit(X, y)
    recold = SoftLogisticRegression(C=0.6).fit(X, y)
    assert first == cold.n_iter_[0]
    assert warm.n_iter_[0] < recold.n_iter_[0] / 2
    # Same optimum up to the (loose, tol=1e-4) stopping rule of either start.
    assert_allclose(warm.predict_proba(X), recold.predict_proba(X), atol=0.05)


def test_warm_start_ignores_a_solution_of_another_shape():
    X, y = DATASETS["iris"]()
    model = SoftLogisticRegression(warm_start=True).fit(X, y)
    model.fit(X, y % 2)  # binary now: the (3, d) coefficients do not fit
    assert model.coef_.shape == (1, X.shape[1])
    ref = LogisticRegression().fit(X, y % 2)
    assert_allclose(model.predict_proba(X), ref.predict_proba(X), atol=1e-4)


def test_convergence_warning_and_verbose_output(capsys):
    X, y = DATASETS["digits"]()
    with pytest.warns(ConvergenceWarning, match="max_iter"):
        model = SoftLogisticRegression(max_iter=2, verbose=2).fit(X, y)
    assert model.n_iter_[0] == 2
    out = capsys.readouterr().out
    assert "iteration 1: loss" in out and "2 L-BFGS iterations" in out


def test_to_sklearn_gives_the_same_predictions():
    pd = pytest.importorskip("pandas")
    for dataset in ("iris", "breast_cancer"):
        X, y = DATASETS[dataset]()
        frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
        for y_fit in (y, _teacher_proba(X, y)):
            model = SoftLogisticRegression(C=0.3).fit(frame, y_fit)
            plain = model.to_sklearn()
            assert type(plain) is LogisticRegression
            assert_array_equal(plain.feature_names_in_, frame.columns)
            assert plain.n_features_in_ == X.shape[1]
            assert plain.C == 0.3
            with warnings.catch_warnings():
                warnings.simplefilter("error")  # no feature-name warning either
                assert_allclose(
                    plain.predict_proba(frame), model.predict_proba(frame), rtol=1e-12, atol=1e-15
                )
                assert_array_equal(plain.predict(frame), model.predict(frame))
            # The plain model must not share arrays with the student.
            plain.coef_[...] = 0.0
            assert np.abs(model.coef_).max() > 0


def test_inside_distilled_classifier_is_native():
    X, y = DATASETS["wine"]()
    model = DistilledClassifier(
        RandomForestClassifier(n_estimators=30, random_state=0),
        SoftLogisticRegression(temperature=2.0),
        temperature=2.0,
        random_state=0,
    ).fit(X, y)
    assert model.student_fit_ == "native"
    assert isinstance(model.student_, SoftLogisticRegression)
    assert_array_equal(model.student_.classes_, np.arange(3))
    proba = model.predict_proba(X)
    assert proba.shape == (len(y), 3)
    assert model.score(X, y) > 0.9


# --------------------------------------------------------------------------
# Bad inputs
# --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "params, error, match",
    [
        ({"C": 0.0}, ValueError, r"C must be in the range \(0, inf\], got 0.0"),
        ({"C": -1}, ValueError, "C must be in the range"),
        ({"C": "1"}, TypeError, "C must be a real number"),
        ({"temperature": 0}, ValueError, "temperature must be in the range"),
        ({"max_iter": -1}, ValueError, "max_iter must be in the range"),
        ({"max_iter": 1.5}, TypeError, "max_iter must be an int"),
        ({"tol": -1e-3}, ValueError, "tol must be in the range"),
        ({"fit_intercept": "yes"}, TypeError, "fit_intercept must be a bool"),
        ({"warm_start": None}, TypeError, "warm_start must be a bool"),
        ({"verbose": -1}, ValueError, "verbose must be in the range"),
    ],
)
def test_bad_parameters(params, error, match):
    X, y = DATASETS["iris"]()
    with pytest.raises(error, match=match):
        SoftLogisticRegression(**params).fit(X, y)


@pytest.mark.parametrize(
    "make_targets, match",
    [
        (lambda t: t - 0.5, "finite and non-negative"),
        (lambda t: t * 2.0, "rows summing to 1"),
        (lambda t: np.where(t > 0.5, np.nan, t), "y contains NaN"),
        (lambda t: t > 0.5, "got a 2-D y of dtype bool"),
    ],
)
def test_bad_probability_matrix(make_targets, match):
    X, y = DATASETS["iris"]()
    targets = make_targets(_teacher_proba(X, y))
    with pytest.raises(ValueError, match=match):
        SoftLogisticRegression().fit(X, targets)


def test_bad_sample_weight():
    X, y = DATASETS["iris"]()
    with pytest.raises(ValueError, match=r"sample_weight must have shape \(150,\)"):
        SoftLogisticRegression().fit(X, y, sample_weight=np.ones(10))
    with pytest.raises(ValueError, match="finite and non-negative"):
        SoftLogisticRegression().fit(X, y, sample_weight=-np.ones(150))
    with pytest.raises(ValueError, match="must not be all zero"):
        SoftLogisticRegression().fit(X, y, sample_weight=np.zeros(150))
