"""feature_budget against a student that selects its own columns: a clear
error naming feature_budget and the column the budget dropped."""

import numpy as np
import pytest
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.ensemble import RandomForestClassifier
from sklearn.pipeline import FeatureUnion, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.tree import DecisionTreeClassifier

from skdistill import DistilledClassifier
from skdistill._feature_budget import check_student_columns

pd = pytest.importorskip("pandas")


@pytest.fixture(scope="module")
def frame():
    rng = np.random.RandomState(0)
    X = pd.DataFrame(
        {
            "a": rng.normal(size=300),
            "b": rng.normal(size=300),
            "c": rng.randint(0, 3, size=300),
            "d": rng.normal(size=300) * 0.01,
        }
    )
    y = (X["a"] + X["b"] > 0).astype(int)  # 'c' and 'd' are noise
    return X, y


def _distilled(student, budget):
    return DistilledClassifier(
        RandomForestClassifier(n_estimators=20, random_state=0),
        student,
        feature_budget=budget,
        temperature=1.0,
        alpha=0.0,
        transfer=None,
        random_state=0,
    )


def _one_hot_c():
    return ColumnTransformer(
        [("onehot", OneHotEncoder(handle_unknown="ignore"), ["c"])], remainder="passthrough"
    )


def test_a_dropped_column_the_students_column_transformer_needs(frame):
    X, y = frame
    student = make_pipeline(_one_hot_c(), DecisionTreeClassifier(max_depth=3, random_state=0))
    model = _distilled(student, 2)
    message = (
        r"feature_budget=2 gives the student 2 columns \['a', 'b'\], but the student's "
        r"ColumnTransformer part 'onehot' selects 'c', which the budget dropped"
    )
    with pytest.raises(ValueError, match=message):
        model.fit(X, y)
    # a student whose ColumnTransformer uses kept columns only fits on them
    scaled = ColumnTransformer([("scale", StandardScaler(), ["a"])], remainder="passthrough")
    student = make_pipeline(scaled, DecisionTreeClassifier(max_depth=3, random_state=0))
    model = _distilled(student, 2).fit(X, y)
    assert list(model.student_feature_names_) == ["a", "b"]
    assert list(model.student_[0].feature_names_in_) == ["a", "b"]
    assert model.score(X, y) > 0.8


def test_nested_selections_positions_and_masks():
    names = np.array(["a", "b", "c", "d"], dtype=object)
    nested = FeatureUnion(
        [
            ("scaled", make_pipeline(StandardScaler())),
            ("picked", ColumnTransformer([("keep", "passthrough", ["a", "d"])])),
        ]
    )
    student = make_pipeline(nested, DecisionTreeClassifier())
    with pytest.raises(ValueError, match=r"part 'keep' selects 'd', which the budget dropped"):
        check_student_columns(student, 2, np.array([0, 1]), names)
    check_student_columns(student, 2, np.array([0, 3]), names)  # 'a' and 'd' kept

    by_position = ColumnTransformer([("tail", "passthrough", [0, 3])])
    with pytest.raises(ValueError, match=r"2 X columns \[0, 2\], but .* selects position 3"):
        check_student_columns(by_position, 2, np.array([0, 2]))
    check_student_columns(by_position, 4, np.arange(4))

    mask = ColumnTransformer([("m", "passthrough", [True, False, True, False])])
    with pytest.raises(ValueError, match="selects a boolean mask of 4 columns"):
        check_student_columns(mask, 3, np.array([0, 1, 2]))
    check_student_columns(mask, 4, np.arange(4))


def test_selectors_and_unknown_names_are_left_to_scikit_learn():
    names = np.array(["a", "b", "c"], dtype=object)
    selector = ColumnTransformer([("num", StandardScaler(), make_column_selector("a|b"))])
    sliced = ColumnTransformer([("s", "passthrough", slice(0, 1))])
    typo = ColumnTransformer([("t", "passthrough", ["typo"])])  # never an X column
    for student in (selector, sliced, typo, DecisionTreeClassifier()):
        check_student_columns(student, 1, np.array([0]), names)
