"""LinearTreeClassifier / LinearTreeRegressor: leaf models, soft targets, API."""

import pickle

import numpy as np
import pytest
from scipy.special import softmax
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.linear_model import Ridge
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeRegressor
from sklearn.utils.estimator_checks import parametrize_with_checks

from skdistill import DistilledClassifier, DistilledRegressor
from skdistill.students import (
    LinearTreeClassifier,
    LinearTreeRegressor,
    SoftLogisticRegression,
)

MIN_SAMPLES_LEAF_REASON = (
    "min_samples_leaf counts rows, not weight: repeating a row lets splits that "
    "weighting forbids (as for any scikit-learn tree with min_samples_leaf > 1)"
)


def _expected_failed_checks(estimator):
    # With the default min_samples_leaf=20 the check's 15 rows make one leaf.
    if estimator.min_samples_leaf < 20:
        return {"check_sample_weight_equivalence_on_dense_data": MIN_SAMPLES_LEAF_REASON}
    return {}


@parametrize_with_checks(
    [
        LinearTreeClassifier(random_state=0),
        LinearTreeClassifier(max_depth=1, min_samples_leaf=5, random_state=0),
        LinearTreeRegressor(random_state=0),
        LinearTreeRegressor(max_depth=3, min_samples_leaf=5, random_state=0),
    ],
    expected_failed_checks=_expected_failed_checks,
)
def test_sklearn_compatible(estimator, check):
    check(estimator)


def _kl(p, q):
    p = np.clip(p, 1e-12, 1.0)
    q = np.clip(q, 1e-7, 1.0)
    return float(np.mean(np.sum(p * np.log(p / q), axis=1)))


# ------------------------------------------------------------ classifier
def test_single_leaf_is_soft_logistic_regression_on_standardised_features():
    X, y = load_breast_cancer(return_X_y=True)
    P = RandomForestClassifier(n_estimators=20, random_state=0).fit(X, y).predict_proba(X)
    model = LinearTreeClassifier(min_samples_leaf=len(y), C=0.5).fit(X, P)
    assert model.get_n_leaves() == 1
    ref = make_pipeline(StandardScaler(), SoftLogisticRegression(C=0.5, max_iter=200))
    ref.fit(X, P)
    np.testing.assert_allclose(model.predict_proba(X), ref.predict_proba(X), atol=1e-8)


def test_probabilities_are_the_softmax_of_the_leaf_formulas():
    X, y = load_iris(return_X_y=True)
    model = LinearTreeClassifier(max_depth=2, min_samples_leaf=10, random_state=0).fit(X, y)
    leaf = model.apply(X)
    with np.errstate(invalid="ignore"):
        scores = np.einsum("nd,nkd->nk", X, model.coef_[leaf]) + model.intercept_[leaf]
    np.testing.assert_allclose(model.predict_proba(X), softmax(scores, axis=1), atol=1e-12)
    np.testing.assert_array_equal(model.partition_.apply(X), model.leaf_nodes_[leaf])


def test_pure_leaf_predicts_a_constant_and_rules_out_absent_classes():
    X, y = load_iris(return_X_y=True)
    model = LinearTreeClassifier(max_depth=1, random_state=0).fit(X, y)
    setosa_leaf = model.apply(X[y == 0])
    assert len(set(setosa_leaf)) == 1
    i = setosa_leaf[0]
    np.testing.assert_array_equal(model.coef_[i], 0.0)
    assert model.intercept_[i, 0] == 0.0 and np.isneginf(model.intercept_[i, 1:]).all()
    np.testing.assert_array_equal(model.predict_proba(X[y == 0]), [[1.0, 0.0, 0.0]] * 50)
    # The other leaf never predicts setosa: it has no setosa mass.
    other = model.predict_proba(X[y > 0])
    np.testing.assert_array_equal(other[:, 0], 0.0)
    assert model.score(X, y) > 0.95


def test_soft_targets_bring_the_student_closer_to_the_teacher():
    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, _ = train_test_split(X, y, test_size=0.5, random_state=0, stratify=y)
    teacher = RandomForestClassifier(
        n_estimators=50, min_samples_leaf=3, oob_score=True, random_state=0
    ).fit(X_train, y_train)
    targets = np.nan_to_num(teacher.oob_decision_function_, nan=0.5)
    teacher_test = teacher.predict_proba(X_test)
    soft = LinearTreeClassifier(max_depth=1, random_state=0).fit(X_train, targets)
    hard = LinearTreeClassifier(max_depth=1, random_state=0).fit(X_train, y_train)
    kl_soft = _kl(teacher_test, soft.predict_proba(X_test))
    kl_hard = _kl(teacher_test, hard.predict_proba(X_test))
    # Measured: 0.032 vs 0.129.
    assert kl_soft < 0.05
    assert kl_soft < 0.5 * kl_hard


def test_classifier_sample_weight_equals_repetition():
    X, y = load_iris(return_X_y=True)
    w = np.random.RandomState(0).randint(1, 4, len(y))
    params = {"max_depth": 1, "min_samples_leaf": 1, "C": 1.0, "random_state": 0}
    weighted = LinearTreeClassifier(**params).fit(X, y, sample_weight=w)
    repeated = LinearTreeClassifier(**params).fit(np.repeat(X, w, axis=0), np.repeat(y, w))
    np.testing.assert_allclose(weighted.predict_proba(X), repeated.predict_proba(X), atol=1e-3)


def test_classifier_export_text():
    X, y = load_iris(return_X_y=True)
    model = LinearTreeClassifier(max_depth=1, random_state=0).fit(X, y)
    text = model.export_text(feature_names=["sl", "sw", "pl", "pw"], decimals=1)
    lines = text.splitlines()
    assert lines[0] == "|--- pw <= 0.8"
    assert lines[1] == "|   |--- score[0] = 0.0"
    assert lines[2] == "|--- pw >  0.8"
    assert lines[3].startswith("|   |--- score[1] = 0.0; score[2] = ")
    assert "*pw" in lines[3]


# ------------------------------------------------------------- regressor
def test_regressor_recovers_piecewise_linear_function():
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(400, 2))
    # A jump at x0 = 0, where a piecewise-constant split (the partition's
    # criterion) also cuts.
    y = np.where(X[:, 0] < 0, 3 + 2 * X[:, 1], -3 + 3 * X[:, 0] - X[:, 1])
    model = LinearTreeRegressor(max_depth=1, alpha=1e-8).fit(X, y)
    assert model.get_n_leaves() == 2
    assert model.partition_.tree_.threshold[0] == pytest.approx(0.0, abs=0.02)
    np.testing.assert_allclose(np.sort(model.intercept_), [-3.0, 3.0], atol=1e-3)
    assert model.score(X, y) > 0.999
    assert DecisionTreeRegressor(max_depth=1).fit(X, y).score(X, y) < 0.9


def test_regressor_leaf_is_ridge_on_standardised_features():
    X, y = load_diabetes(return_X_y=True)
    w = np.random.RandomState(0).uniform(0.5, 2, len(y))
    model = LinearTreeRegressor(min_samples_leaf=len(y), alpha=3.0).fit(X, y)
    ref = make_pipeline(StandardScaler(), Ridge(alpha=3.0)).fit(X, y)
    np.testing.assert_allclose(model.predict(X), ref.predict(X), rtol=1e-8)
    # Multi-output: one formula per target; sample_weight reaches the leaves.
    Y = np.column_stack([y, -2 * y])
    multi = LinearTreeRegressor(max_depth=2, random_state=0).fit(X, Y, sample_weight=w)
    assert multi.coef_.shape == (multi.get_n_leaves(), 2, X.shape[1])
    np.testing.assert_allclose(multi.predict(X)[:, 1], -2 * multi.predict(X)[:, 0], rtol=1e-8)


def test_regressor_export_text():
    X = np.linspace(-1, 1, 200).reshape(-1, 1)
    y = np.where(X[:, 0] < 0, -X[:, 0], 2 + X[:, 0])
    model = LinearTreeRegressor(max_depth=1, alpha=1e-6).fit(X, y)
    assert model.export_text(feature_names=["x"]) == (
        "|--- x <= 0.00\n"
        "|   |--- value = 0.00 - 1.00*x\n"
        "|--- x >  0.00\n"
        "|   |--- value = 2.00 + 1.00*x\n"
    )


# ---------------------------------------------------------------- common
@pytest.mark.parametrize("Model", [LinearTreeClassifier, LinearTreeRegressor])
def test_pickle_and_determinism(Model):
    X, y = load_breast_cancer(return_X_y=True)
    first = Model(max_depth=3, max_leaf_nodes=5, random_state=0).fit(X, y)
    second = Model(max_depth=3, max_leaf_nodes=5, random_state=0).fit(X, y)
    method = "predict_proba" if Model is LinearTreeClassifier else "predict"
    np.testing.assert_array_equal(getattr(first, method)(X), getattr(second, method)(X))
    clone = pickle.loads(pickle.dumps(first))
    np.testing.assert_array_equal(getattr(clone, method)(X), getattr(first, method)(X))
    assert first.get_n_leaves() <= 5
    assert first.get_depth() <= 3


@pytest.mark.parametrize(
    "Model, params, error, match",
    [
        (LinearTreeClassifier, {"max_depth": 0}, ValueError, "max_depth must be in the range"),
        (
            LinearTreeClassifier,
            {"min_samples_leaf": 0},
            ValueError,
            "min_samples_leaf must be in the range",
        ),
        (LinearTreeClassifier, {"C": 0.0}, ValueError, "C must be in the range"),
        (LinearTreeClassifier, {"max_iter": 0}, ValueError, "max_iter must be in the range"),
        (
            LinearTreeClassifier,
            {"max_leaf_nodes": 1},
            ValueError,
            "max_leaf_nodes must be in the range",
        ),
        (LinearTreeRegressor, {"alpha": -1.0}, ValueError, "alpha must be in the range"),
        (
            LinearTreeRegressor,
            {"min_samples_leaf": "many"},
            TypeError,
            "min_samples_leaf must be an int",
        ),
    ],
)
def test_bad_parameters_are_named(Model, params, error, match):
    X, y = load_iris(return_X_y=True)
    with pytest.raises(error, match=match):
        Model(**params).fit(X, y)


# ---------------------------------------------------------- distillation
def test_native_student_of_distilled_classifier():
    X, y = load_breast_cancer(return_X_y=True)
    model = DistilledClassifier(
        RandomForestClassifier(n_estimators=20, random_state=0),
        LinearTreeClassifier(max_depth=1),
        random_state=0,
    ).fit(X, np.where(y == 1, "benign", "malignant"))
    assert model.student_fit_ == "native"
    np.testing.assert_array_equal(model.student_.classes_, [0, 1])
    assert model.score(X, np.where(y == 1, "benign", "malignant")) > 0.95


def test_student_of_distilled_regressor():
    X, y = load_diabetes(return_X_y=True)
    model = DistilledRegressor(
        RandomForestRegressor(n_estimators=20, random_state=0),
        LinearTreeRegressor(max_depth=1),
        random_state=0,
    ).fit(X, y)
    assert isinstance(model.student_, LinearTreeRegressor)
    assert model.score(X, y) > 0.4
