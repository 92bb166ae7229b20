"""LeafRefill: transfer rounds that refill a tree student's sparse leaves."""

import numpy as np
import pytest
from sklearn.datasets import make_classification, make_regression
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from skdistill import DistilledClassifier, DistilledRegressor
from skdistill.students import LinearTreeRegressor, SoftDecisionTreeClassifier
from skdistill.transfer import LeafRefill

PLAIN = {"temperature": 1.0, "alpha": 0.0}


@pytest.fixture(scope="module")
def starved():
    # 300 rows for a depth-8 tree: most leaves hold a handful of rows.
    X, y = make_classification(n_samples=2300, n_features=10, n_informative=6, random_state=0)
    return X[:300], y[:300], X[300:]


def _fidelity(model, X):
    return float(np.mean(model.predict(X) == model.teacher_.predict(X)))


@pytest.mark.parametrize(
    "student", [DecisionTreeClassifier(max_depth=8), SoftDecisionTreeClassifier(max_depth=8)]
)
def test_refilled_leaves_raise_fidelity_of_a_starved_tree(starved, student):
    X, y, X_test = starved
    teacher = RandomForestClassifier(n_estimators=50, random_state=0)
    base = DistilledClassifier(teacher, student, transfer=None, random_state=0, **PLAIN).fit(X, y)
    refill = DistilledClassifier(
        teacher,
        student,
        transfer=LeafRefill(min_rows=20),
        transfer_rounds=3,
        random_state=0,
        **PLAIN,
    ).fit(X, y)
    assert refill.best_transfer_round_ >= 1
    assert refill.transfer_fidelity_[refill.best_transfer_round_] > (refill.transfer_fidelity_[0])
    assert refill.n_transfer_samples_ > 0
    assert _fidelity(refill, X_test) > _fidelity(base, X_test) + 0.02


def test_select_fills_each_sparse_leaf_up_to_min_rows():
    X = np.array([[0.0], [0.1], [0.2], [5.0]])
    tree = DecisionTreeClassifier(max_depth=1).fit(X, [0, 0, 0, 1])
    cand = np.array([[5.1], [0.3], [5.2], [5.3], [5.4]])
    picked, note = LeafRefill(min_rows=3).select(tree, X, cand, None, None, n_add=10)
    # the right leaf holds 1 row: 2 candidates refill it; the left holds 3
    assert picked.tolist() == [0, 2]
    assert note == "1 leaves under 3 rows"
    assert LeafRefill(min_rows=3).select(tree, X, cand, None, None, n_add=1)[0].tolist() == [0]


def test_regression_and_linear_tree_students():
    X, y = make_regression(n_samples=300, n_features=5, noise=1.0, random_state=0)
    teacher = RandomForestRegressor(n_estimators=20, random_state=0)
    for student in (
        DecisionTreeRegressor(max_depth=6),
        LinearTreeRegressor(max_depth=2),
        make_pipeline(StandardScaler(), DecisionTreeRegressor(max_depth=6)),
    ):
        model = DistilledRegressor(
            teacher,
            student,
            alpha=0.0,
            transfer=LeafRefill(min_rows=40),
            transfer_rounds=2,
            random_state=0,
        ).fit(X, y)
        assert len(model.transfer_fidelity_) >= 2


def test_students_without_a_tree_are_refused(starved):
    X, y, _ = starved
    model = DistilledClassifier(
        RandomForestClassifier(n_estimators=10),
        LogisticRegression(),
        transfer=LeafRefill(),
        transfer_rounds=1,
        **PLAIN,
    )
    with pytest.raises(TypeError, match="LeafRefill needs a tree student"):
        model.fit(X, y)


def test_min_rows_is_checked(starved):
    X, y, _ = starved
    model = DistilledClassifier(
        RandomForestClassifier(n_estimators=10),
        DecisionTreeClassifier(),
        transfer=LeafRefill(min_rows=0),
        transfer_rounds=1,
        **PLAIN,
    )
    with pytest.raises(ValueError, match="min_rows"):
        model.fit(X, y)
