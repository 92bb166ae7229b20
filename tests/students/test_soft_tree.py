"""SoftDecisionTreeClassifier: Gini-equivalence, soft targets, export, sklearn API."""

import pickle

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.estimator_checks import parametrize_with_checks

from skdistill import DistilledClassifier
from skdistill.students import SoftDecisionTreeClassifier


@parametrize_with_checks(
    [
        SoftDecisionTreeClassifier(random_state=0),
        SoftDecisionTreeClassifier(max_depth=3, class_weight="balanced", random_state=0),
    ]
)
def test_sklearn_compatible(estimator, check):
    check(estimator)


def _kl(p, q):
    p = np.clip(p, 1e-12, 1.0)
    q = np.clip(q, 1e-7, 1.0)
    return float(np.mean(np.sum(p * np.log(p / q), axis=1)))


@pytest.fixture(scope="module")
def teacher_split():
    """Breast cancer, a random forest teacher, its out-of-bag soft targets."""
    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, _y_test = train_test_split(
        X, y, test_size=0.5, random_state=0, stratify=y
    )
    teacher = RandomForestClassifier(
        n_estimators=50, min_samples_leaf=3, oob_score=True, random_state=0
    ).fit(X_train, y_train)
    targets = np.nan_to_num(teacher.oob_decision_function_, nan=0.5)
    targets /= targets.sum(axis=1, keepdims=True)
    return X_train, X_test, y_train, targets, teacher.predict_proba(X_test)


# ---------------------------------------------------------------- behaviour
@pytest.mark.parametrize("max_depth", [2, 4, None])
@pytest.mark.parametrize("dataset", [load_iris, load_breast_cancer])
def test_hard_labels_grow_the_gini_tree(dataset, max_depth):
    """On labels, squared error on one-hot vectors is Gini / K: same tree."""
    X, y = dataset(return_X_y=True)
    ours = SoftDecisionTreeClassifier(max_depth=max_depth, random_state=0).fit(X, y)
    ref = DecisionTreeClassifier(max_depth=max_depth, random_state=0).fit(X, y)
    assert ours.get_n_leaves() == ref.get_n_leaves()
    assert ours.get_depth() == ref.get_depth()
    np.testing.assert_array_equal(ours.tree_.feature, ref.tree_.feature)
    np.testing.assert_allclose(ours.tree_.threshold, ref.tree_.threshold)
    np.testing.assert_allclose(ours.tree_.impurity, ref.tree_.impurity, atol=1e-12)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-12)
    np.testing.assert_allclose(ours.feature_importances_, ref.feature_importances_, atol=1e-12)


@pytest.mark.parametrize(
    "params",
    [
        {"ccp_alpha": 0.01},
        {"min_impurity_decrease": 0.01},
        {"class_weight": "balanced", "max_depth": 3},
        {"class_weight": {0: 1.0, 1: 3.0, 2: 0.5}, "max_depth": 3},
    ],
)
def test_gini_scale_parameters_match_decision_tree_classifier(params):
    X, y = load_iris(return_X_y=True)
    ours = SoftDecisionTreeClassifier(random_state=0, **params).fit(X, y)
    ref = DecisionTreeClassifier(random_state=0, **params).fit(X, y)
    assert ours.get_n_leaves() == ref.get_n_leaves()
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-12)


def test_leaves_predict_the_mean_target_vector():
    X = np.arange(8, dtype=float).reshape(-1, 1)
    P = np.array([[0.9, 0.1, 0.0]] * 4 + [[0.1, 0.3, 0.6]] * 2 + [[0.0, 0.2, 0.8]] * 2)
    w = np.array([1, 1, 1, 1, 1, 3, 1, 1], dtype=float)
    tree = SoftDecisionTreeClassifier(max_depth=1).fit(X, P, sample_weight=w)
    assert tree.tree_.threshold[0] == pytest.approx(3.5)
    right = (3 * P[5] + P[4] + 2 * P[6]) / 6  # weights 1, 3, 1, 1 on rows 4..7
    np.testing.assert_allclose(tree.predict_proba([[0.0], [7.0]]), [P[0], right], atol=1e-12)
    np.testing.assert_array_equal(tree.classes_, [0, 1, 2])
    np.testing.assert_array_equal(tree.predict([[0.0], [7.0]]), [0, 2])


def test_soft_targets_bring_the_student_closer_to_the_teacher(teacher_split):
    X_train, X_test, y_train, targets, teacher_test = teacher_split
    soft = SoftDecisionTreeClassifier(max_depth=4, random_state=0).fit(X_train, targets)
    hard = SoftDecisionTreeClassifier(max_depth=4, random_state=0).fit(X_train, y_train)
    kl_soft = _kl(teacher_test, soft.predict_proba(X_test))
    kl_hard = _kl(teacher_test, hard.predict_proba(X_test))
    # Measured: 0.031 vs 1.46 (hard leaves are often pure: p = 0 where the
    # teacher is unsure).
    assert kl_soft < 0.06
    assert kl_soft < 0.2 * kl_hard
    agreement = np.mean(soft.predict(X_test) == teacher_test.argmax(axis=1))
    assert agreement > 0.94


def test_sample_weight_equals_repetition():
    X, y = load_iris(return_X_y=True)
    w = np.random.RandomState(0).randint(1, 4, len(y))
    weighted = SoftDecisionTreeClassifier(max_depth=3, random_state=0).fit(X, y, w)
    repeated = SoftDecisionTreeClassifier(max_depth=3, random_state=0).fit(
        np.repeat(X, w, axis=0), np.repeat(y, w)
    )
    np.testing.assert_allclose(weighted.predict_proba(X), repeated.predict_proba(X), atol=1e-12)


def test_random_state_makes_max_features_deterministic():
    X, y = load_breast_cancer(return_X_y=True)
    fits = [
        SoftDecisionTreeClassifier(max_features=3, max_depth=5, random_state=s)
        .fit(X, y)
        .tree_.feature
        for s in (1, 1, 2)
    ]
    np.testing.assert_array_equal(fits[0], fits[1])
    assert not np.array_equal(fits[0], fits[2])


def test_missing_values_follow_sklearn_trees():
    X, y = load_iris(return_X_y=True)
    X = X.copy()
    X[::7, 2] = np.nan
    ours = SoftDecisionTreeClassifier(max_depth=3, random_state=0).fit(X, y)
    ref = DecisionTreeClassifier(max_depth=3, random_state=0).fit(X, y)
    np.testing.assert_allclose(ours.predict_proba(X), ref.predict_proba(X), atol=1e-12)


# ------------------------------------------------------- export / inspection
def test_to_sklearn_gives_identical_probabilities(teacher_split):
    X_train, X_test, _, targets, _ = teacher_split
    tree = SoftDecisionTreeClassifier(max_depth=5, class_weight="balanced", random_state=0).fit(
        X_train, targets
    )
    clf = tree.to_sklearn()
    assert type(clf) is DecisionTreeClassifier
    np.testing.assert_array_equal(clf.predict_proba(X_test), tree.predict_proba(X_test))
    np.testing.assert_array_equal(clf.predict(X_test), tree.predict(X_test))
    np.testing.assert_array_equal(clf.apply(X_test), tree.apply(X_test))
    assert clf.get_n_leaves() == tree.get_n_leaves()
    # The copy is independent and survives pickling.
    clf = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(clf.predict_proba(X_test), tree.predict_proba(X_test))
    assert clf.tree_ is not tree.tree_


def test_to_sklearn_keeps_labels_and_feature_names():
    pd = pytest.importorskip("pandas")
    X, y = load_iris(return_X_y=True, as_frame=True)
    labels = np.array(["setosa", "versicolor", "virginica"])[y]
    tree = SoftDecisionTreeClassifier(max_depth=2).fit(X, labels)
    clf = tree.to_sklearn()
    np.testing.assert_array_equal(clf.predict(X), tree.predict(X))
    assert list(clf.feature_names_in_) == list(X.columns)
    assert isinstance(X, pd.DataFrame)


def test_export_text_shows_rules_and_leaf_probabilities():
    X, y = load_iris(return_X_y=True)
    tree = SoftDecisionTreeClassifier(max_depth=2, random_state=0).fit(X, y)
    text = tree.export_text(
        feature_names=["sl", "sw", "pl", "pw"], class_names=["setosa", "versicolor", "virginica"]
    )
    assert text == (
        "|--- pw <= 0.80\n"
        "|   |--- class: setosa (p=1.00)\n"
        "|--- pw >  0.80\n"
        "|   |--- pw <= 1.75\n"
        "|   |   |--- class: versicolor (p=0.91)\n"
        "|   |--- pw >  1.75\n"
        "|   |   |--- class: virginica (p=0.98)\n"
    )
    with pytest.raises(ValueError, match="feature_names must have 4 entries, got 2"):
        tree.export_text(feature_names=["a", "b"])


def test_pickle_round_trip(teacher_split):
    X_train, X_test, _, targets, _ = teacher_split
    tree = SoftDecisionTreeClassifier(max_depth=4).fit(X_train, targets)
    clone = pickle.loads(pickle.dumps(tree))
    np.testing.assert_array_equal(clone.predict_proba(X_test), tree.predict_proba(X_test))


# ------------------------------------------------------------- bad inputs
@pytest.mark.parametrize(
    "params, error, match",
    [
        ({"max_depth": 0}, ValueError, "max_depth must be in the range"),
        ({"max_depth": 2.5}, TypeError, "max_depth must be an int or None"),
        ({"min_samples_leaf": 0}, ValueError, "min_samples_leaf must be in the range"),
        ({"min_samples_leaf": 1.0}, ValueError, "min_samples_leaf must be in the range"),
        ({"min_samples_split": 1}, ValueError, "min_samples_split must be in the range"),
        ({"max_features": "auto"}, ValueError, "max_features must be one of"),
        ({"max_leaf_nodes": 1}, ValueError, "max_leaf_nodes must be in the range"),
        ({"ccp_alpha": -1.0}, ValueError, "ccp_alpha must be in the range"),
        ({"class_weight": "uniform"}, ValueError, "class_weight must be one of"),
        ({"class_weight": [1, 2]}, TypeError, "class_weight must be None"),
        ({"random_state": "0"}, TypeError, "random_state must be None, an int"),
    ],
)
def test_bad_parameters_are_named(params, error, match):
    X, y = load_iris(return_X_y=True)
    with pytest.raises(error, match=match):
        SoftDecisionTreeClassifier(**params).fit(X, y)


def test_bad_targets_and_weights():
    X, y = load_iris(return_X_y=True)
    P = np.full((len(y), 3), 0.5)
    with pytest.raises(ValueError, match="rows summing to 1"):
        SoftDecisionTreeClassifier().fit(X, P)
    with pytest.raises(ValueError, match=r"sample_weight must have shape \(150,\)"):
        SoftDecisionTreeClassifier().fit(X, y, sample_weight=np.ones(3))
    with pytest.raises(ValueError, match="finite and non-negative"):
        SoftDecisionTreeClassifier().fit(X, y, sample_weight=-np.ones(150))


# ---------------------------------------------------------- distillation
def test_native_student_of_distilled_classifier():
    X, y = load_iris(return_X_y=True)
    labels = np.array(["a", "b", "c"])[y]
    model = DistilledClassifier(
        RandomForestClassifier(n_estimators=20, random_state=0),
        SoftDecisionTreeClassifier(max_depth=3),
        random_state=0,
    ).fit(X, labels)
    assert model.student_fit_ == "native"
    np.testing.assert_array_equal(model.student_.classes_, [0, 1, 2])
    # The student learnt soft targets: some leaves are not pure.
    assert (model.student_.tree_.value.max(axis=2) < 0.999).any()
    assert set(model.predict(X)) <= {"a", "b", "c"}
    assert model.score(X, labels) > 0.93
    np.testing.assert_allclose(model.predict_proba(X), model.student_.predict_proba(X))
