"""Tests for skdistill.export: plain scikit-learn, ONNX and rules export."""

import copy
import pickle
import subprocess
import sys
import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from sklearn.base import BaseEstimator, is_classifier, is_regressor
from sklearn.datasets import load_diabetes, load_iris, make_classification
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
from sklearn.exceptions import NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge, SGDRegressor
from sklearn.model_selection import train_test_split
from sklearn.naive_bayes import GaussianNB
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from skdistill import DistilledClassifier, DistilledEstimator, DistilledRegressor
from skdistill.export import export_rules, export_student, to_onnx
from skdistill.students._base import SoftTargetClassifierMixin, soft_targets_from_y


# ---------------------------------------------------------------- fixtures
class ReplicatingSoftStudent(SoftTargetClassifierMixin, BaseEstimator):
    """A minimal native soft student for these tests: it learns a probability
    matrix by row replication into a scikit-learn model and gives that model
    back from ``to_sklearn`` (as skdistill's own students do)."""

    def __init__(self, base):
        self.base = base

    def fit(self, X, y, sample_weight=None):
        targets, self.classes_, _ = soft_targets_from_y(y)
        n, k = targets.shape
        rows = np.repeat(np.arange(n), k)
        cols = np.tile(np.arange(k), n)
        weight = targets.ravel()
        keep = weight > 0
        self.model_ = copy.deepcopy(self.base).fit(
            X[rows[keep]], self.classes_[cols[keep]], sample_weight=weight[keep]
        )
        return self

    def predict_proba(self, X):
        return self.model_.predict_proba(X)

    def predict(self, X):
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]

    def to_sklearn(self):
        return copy.deepcopy(self.model_)


@pytest.fixture(scope="module")
def iris_split():
    data = load_iris()
    y = data.target_names[data.target]  # string labels: the mapping matters
    return train_test_split(data.data, y, test_size=0.4, stratify=y, random_state=0)


@pytest.fixture(scope="module")
def binary_split():
    X, y = make_classification(n_samples=400, n_features=6, n_informative=4, random_state=0)
    y = np.where(y == 1, "yes", "no")
    return train_test_split(X, y, test_size=0.5, random_state=0)


@pytest.fixture(scope="module")
def forest():
    return RandomForestClassifier(n_estimators=25, random_state=0)


def assert_same_predictions(exported, distilled, X):
    assert type(exported).__module__.split(".")[0] == "sklearn"
    assert_array_equal(exported.predict(X), distilled.predict(X))
    if hasattr(exported, "predict_proba"):
        assert_allclose(
            exported.predict_proba(X), distilled.predict_proba(X), rtol=1e-10, atol=1e-12
        )
        assert_array_equal(exported.classes_, distilled.classes_)


# ------------------------------------------------------- export_student
@pytest.mark.parametrize(
    "student",
    [
        DecisionTreeClassifier(max_depth=3),
        make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)),
        GaussianNB(),
    ],
    ids=["tree", "scaled-logistic", "nb"],
)
def test_export_classifier_student_replication(student, iris_split, forest):
    X_train, X_test, y_train, _ = iris_split
    model = DistilledClassifier(forest, student, temperature=2.0, random_state=0)
    model.fit(X_train, y_train)
    assert model.student_fit_ == "replication"
    exported = export_student(model)
    assert exported is not model.student_
    assert_same_predictions(exported, model, X_test)
    # The copy is independent of the distilled model.
    assert pickle.loads(pickle.dumps(exported)).predict(X_test[:3]).shape == (3,)


def test_export_hard_student_missing_class_warns(iris_split):
    X_train, X_test, y_train, _ = iris_split
    # A frozen teacher that never saw (so never predicts) "versicolor".
    seen = y_train != "versicolor"
    teacher = FrozenEstimator(
        DecisionTreeClassifier(random_state=0).fit(X_train[seen], y_train[seen])
    )
    model = DistilledClassifier(
        teacher, DecisionTreeClassifier(max_depth=2), student_fit="hard", random_state=0
    ).fit(X_train, y_train)
    assert_array_equal(model.student_.classes_, ["setosa", "virginica"])
    with pytest.warns(UserWarning, match=r"never saw the classes \['versicolor'\]"):
        exported = export_student(model)
    assert_array_equal(exported.predict(X_test), model.predict(X_test))
    assert exported.predict_proba(X_test).shape == (len(X_test), 2)


def test_export_hard_student_all_classes_no_warning(iris_split, forest, recwarn):
    X_train, X_test, y_train, _ = iris_split
    model = DistilledClassifier(
        forest, DecisionTreeClassifier(max_depth=3), student_fit="hard", random_state=0
    ).fit(X_train, y_train)
    exported = export_student(model)
    assert not [w for w in recwarn if "never saw" in str(w.message)]
    assert_same_predictions(exported, model, X_test)


@pytest.mark.parametrize(
    "base",
    [
        LogisticRegression(max_iter=2000),
        DecisionTreeClassifier(max_depth=3, random_state=0),
    ],
    ids=["logistic", "tree"],
)
@pytest.mark.parametrize("split", ["iris_split", "binary_split"])
def test_export_native_student_maps_labels(base, split, request, forest):
    X_train, X_test, y_train, _ = request.getfixturevalue(split)
    model = DistilledClassifier(
        forest, ReplicatingSoftStudent(base), temperature=2.0, random_state=0
    ).fit(X_train, y_train)
    assert model.student_fit_ == "native"
    assert_array_equal(model.student_.classes_, np.arange(len(model.classes_)))
    exported = export_student(model)
    assert type(exported) is type(base)
    assert exported.classes_.dtype.kind == "U"
    assert_same_predictions(exported, model, X_test)
    # The distilled model's own student keeps its index classes.
    assert_array_equal(model.student_.classes_, np.arange(len(model.classes_)))


def test_export_native_student_in_pipeline(iris_split, forest):
    X_train, X_test, y_train, _ = iris_split
    student = make_pipeline(
        StandardScaler(), ReplicatingSoftStudent(LogisticRegression(max_iter=2000))
    )
    model = DistilledClassifier(forest, student, random_state=0).fit(X_train, y_train)
    assert model.student_fit_ == "native"
    exported = export_student(model)
    assert [type(step).__name__ for _, step in exported.steps] == [
        "StandardScaler",
        "LogisticRegression",
    ]
    assert_same_predictions(exported, model, X_test)


class NoExportSoftStudent(SoftTargetClassifierMixin, BaseEstimator):
    """A native student without to_sklearn."""

    def __init__(self, base=None):
        self.base = base

    fit = ReplicatingSoftStudent.fit
    predict_proba = ReplicatingSoftStudent.predict_proba
    predict = ReplicatingSoftStudent.predict


def test_export_native_student_without_to_sklearn(iris_split, forest):
    X_train, _, y_train, _ = iris_split
    model = DistilledClassifier(
        forest, NoExportSoftStudent(LogisticRegression(max_iter=500)), random_state=0
    ).fit(X_train, y_train)
    assert model.student_fit_ == "native"
    with pytest.raises(TypeError, match="NoExportSoftStudent.*no to_sklearn"):
        export_student(model)


@pytest.mark.parametrize(
    "student",
    [
        Ridge(alpha=1.0),
        LinearRegression(),
        make_pipeline(StandardScaler(), Ridge(alpha=0.1)),
        SGDRegressor(random_state=0, max_iter=2000, tol=1e-6),
    ],
    ids=["ridge", "ols", "scaled-ridge", "sgd-multioutput"],
)
@pytest.mark.parametrize("split", ["iris_split", "binary_split"])
def test_export_logit_regression_linear_to_logistic(student, split, request):
    X_train, X_test, y_train, _ = request.getfixturevalue(split)
    if isinstance(student, SGDRegressor):
        scaler = StandardScaler().fit(X_train)
        X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    teacher = GradientBoostingClassifier(n_estimators=20, random_state=0)
    model = DistilledClassifier(teacher, student, temperature=3.0, random_state=0).fit(
        X_train, y_train
    )
    assert model.student_fit_ == "logit_regression"
    exported = export_student(model)
    final = exported.steps[-1][1] if hasattr(exported, "steps") else exported
    assert isinstance(final, LogisticRegression)
    assert_same_predictions(exported, model, X_test)
    if len(model.classes_) > 2:  # decision_function is the same logits
        assert_allclose(
            exported.decision_function(X_test),
            model.decision_function(X_test),
            rtol=1e-10,
            atol=1e-10,
        )


def test_export_logit_regression_nonlinear_raises(binary_split, forest):
    X_train, _, y_train, _ = binary_split
    model = DistilledClassifier(forest, DecisionTreeRegressor(max_depth=3), random_state=0).fit(
        X_train, y_train
    )
    assert model.student_fit_ == "logit_regression"
    with pytest.raises(
        TypeError, match="only when it is a linear regressor.*DecisionTreeRegressor"
    ):
        export_student(model)


def test_export_proba_regression_raises(binary_split, forest):
    X_train, _, y_train, _ = binary_split
    model = DistilledClassifier(
        forest, Ridge(), student_fit="proba_regression", random_state=0
    ).fit(X_train, y_train)
    with pytest.raises(TypeError, match="proba_regression"):
        export_student(model)


def test_export_regressor_student():
    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, _ = train_test_split(X, y, random_state=0)
    from sklearn.ensemble import RandomForestRegressor

    teacher = RandomForestRegressor(n_estimators=20, random_state=0)
    for cls in (DistilledRegressor, DistilledEstimator):
        model = cls(teacher, DecisionTreeRegressor(max_depth=4), random_state=0)
        model.fit(X_train, y_train)
        exported = export_student(model)
        assert type(exported) is DecisionTreeRegressor
        assert exported is not model.student_
        assert_array_equal(exported.predict(X_test), model.predict(X_test))


def test_export_keeps_feature_names_and_leaves_model_unchanged(binary_split, forest):
    pd = pytest.importorskip("pandas")
    X_train, X_test, y_train, _ = binary_split
    columns = [f"col{i}" for i in range(X_train.shape[1])]
    frame_train = pd.DataFrame(X_train, columns=columns)
    frame_test = pd.DataFrame(X_test, columns=columns)
    model = DistilledClassifier(forest, Ridge(), random_state=0).fit(frame_train, y_train)
    before = model.predict_proba(frame_test)
    student = model.student_
    exported = export_student(model)
    assert_array_equal(exported.feature_names_in_, columns)
    assert model.student_ is student
    assert_array_equal(model.predict_proba(frame_test), before)
    assert_same_predictions(exported, model, frame_test)


def test_export_frozen_teacher(iris_split, forest):
    X_train, X_test, y_train, _ = iris_split
    fitted = RandomForestClassifier(n_estimators=10, random_state=0).fit(X_train, y_train)
    model = DistilledEstimator(
        FrozenEstimator(fitted), DecisionTreeClassifier(max_depth=3), random_state=0
    ).fit(X_train, y_train)
    assert_same_predictions(export_student(model), model, X_test)


def test_export_rejects_bad_input(iris_split, forest):
    with pytest.raises(TypeError, match="distilled must be a fitted DistilledClassifier"):
        export_student(DecisionTreeClassifier())
    with pytest.raises(NotFittedError):
        export_student(DistilledClassifier(forest, DecisionTreeClassifier()))


def _students_with_to_sklearn(kind):
    students = pytest.importorskip("skdistill.students")
    found = [getattr(students, name) for name in students.__all__]
    return [
        cls
        for cls in found
        if isinstance(cls, type) and hasattr(cls, "to_sklearn") and kind(cls())
    ]


@pytest.mark.parametrize(
    "cls", _students_with_to_sklearn(is_classifier), ids=lambda cls: cls.__name__
)
def test_export_every_classifier_student_with_to_sklearn(cls, iris_split, forest):
    """At T=2 the export gives the distilled model's probabilities, or (for
    a model whose logits cannot be scaled, such as a forest's averaged
    probabilities) says that it keeps the training temperature."""
    X_train, X_test, y_train, _ = iris_split
    model = DistilledClassifier(forest, cls(), temperature=2.0, random_state=0).fit(
        X_train, y_train
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        exported = export_student(model)
    assert not _is_skdistill(exported)
    assert b"skdistill" not in pickle.dumps(exported)
    assert_array_equal(exported.predict(X_test), model.predict(X_test))
    assert_array_equal(exported.classes_, model.classes_)
    if any("training temperature 2" in str(w.message) for w in caught):
        return
    assert_allclose(
        exported.predict_proba(X_test), model.predict_proba(X_test), rtol=1e-7, atol=1e-9
    )


@pytest.mark.parametrize(
    "cls", _students_with_to_sklearn(is_regressor), ids=lambda cls: cls.__name__
)
def test_export_every_regressor_student_with_to_sklearn(cls):
    from sklearn.ensemble import RandomForestRegressor

    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, _ = train_test_split(X, y, random_state=0)
    model = DistilledRegressor(
        RandomForestRegressor(n_estimators=20, random_state=0), cls(), random_state=0
    ).fit(X_train, y_train)
    exported = export_student(model)
    assert not _is_skdistill(exported)
    assert b"skdistill" not in pickle.dumps(exported)
    assert_allclose(exported.predict(X_test), model.predict(X_test), rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize(
    "cls", _students_with_to_sklearn(is_classifier), ids=lambda cls: cls.__name__
)
def test_to_onnx_every_classifier_student(cls, iris_split, forest):
    pytest.importorskip("skl2onnx")
    X_train, X_test, y_train, _ = _float32_split(iris_split)
    model = DistilledClassifier(forest, cls(), temperature=1.0, random_state=0).fit(
        X_train, y_train
    )
    labels, proba = _onnx_run(to_onnx(model, X_train[:5]), X_test)
    assert_array_equal(labels, model.predict(X_test))
    assert_allclose(proba, model.predict_proba(X_test), atol=1e-5)


@pytest.mark.parametrize(
    "cls", _students_with_to_sklearn(is_regressor), ids=lambda cls: cls.__name__
)
def test_to_onnx_every_regressor_student(cls):
    pytest.importorskip("skl2onnx")
    from sklearn.ensemble import RandomForestRegressor

    X, y = load_diabetes(return_X_y=True)
    X = X.astype(np.float32).astype(np.float64)
    model = DistilledRegressor(
        RandomForestRegressor(n_estimators=20, random_state=0), cls(), random_state=0
    ).fit(X, y)
    outputs = _onnx_run(to_onnx(model, X[:5]), X)
    assert len(outputs) == 1
    assert_allclose(outputs[0].ravel(), model.predict(X), rtol=1e-4, atol=1e-3)


def _is_skdistill(estimator):
    steps = estimator.steps if hasattr(estimator, "steps") else [(None, estimator)]
    return any(type(step).__module__.startswith("skdistill") for _, step in steps)


# ------------------------------------------------------------------ ONNX
def _onnx_run(onx, X):
    ort = pytest.importorskip("onnxruntime")
    session = ort.InferenceSession(onx.SerializeToString(), providers=["CPUExecutionProvider"])
    return session.run(None, {session.get_inputs()[0].name: X.astype(np.float32)})


@pytest.mark.parametrize(
    "student",
    [
        DecisionTreeClassifier(max_depth=4),
        LogisticRegression(max_iter=2000),
        Ridge(alpha=1.0),
        make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)),
    ],
    ids=["tree", "logistic", "ridge-logits", "scaled-logistic"],
)
@pytest.mark.parametrize("split", ["iris_split", "binary_split"])
def test_to_onnx_matches_sklearn(student, split, request, forest):
    pytest.importorskip("skl2onnx")
    pytest.importorskip("onnxruntime")
    X_train, X_test, y_train, _ = request.getfixturevalue(split)
    # float32-representable inputs: ONNX computes in float32.
    X_train = X_train.astype(np.float32).astype(np.float64)
    X_test = X_test.astype(np.float32).astype(np.float64)
    model = DistilledClassifier(forest, student, temperature=2.0, random_state=0).fit(
        X_train, y_train
    )
    onx = to_onnx(model, X_train[:5])
    labels, proba = _onnx_run(onx, X_test)
    assert_array_equal(labels, model.predict(X_test))
    assert_allclose(proba, model.predict_proba(X_test), atol=1e-5)


@pytest.mark.parametrize(
    "name", ["SoftLogisticRegression", "SoftDecisionTreeClassifier", "SoftGaussianNB"]
)
def test_to_onnx_native_students(name, iris_split, forest):
    pytest.importorskip("skl2onnx")
    students = pytest.importorskip("skdistill.students")
    if not hasattr(students, name):
        pytest.skip(f"skdistill.students has no {name} yet")
    X_train, X_test, y_train, _ = iris_split
    X_train = X_train.astype(np.float32).astype(np.float64)
    X_test = X_test.astype(np.float32).astype(np.float64)
    params = {
        "SoftLogisticRegression": {"C": 1.0, "max_iter": 500},
        "SoftDecisionTreeClassifier": {"max_depth": 3},
        "SoftGaussianNB": {},
    }[name]
    model = DistilledClassifier(
        forest, getattr(students, name)(**params), temperature=2.0, random_state=0
    ).fit(X_train, y_train)
    assert model.student_fit_ == "native"
    labels, proba = _onnx_run(to_onnx(model, X_train[:5]), X_test)
    assert_array_equal(labels, model.predict(X_test))
    assert_allclose(proba, model.predict_proba(X_test), atol=1e-5)


def test_export_and_onnx_with_reused_frozen_preprocessing():
    """A student reusing the teacher's fitted ColumnTransformer (frozen) on a
    DataFrame with a string column: the export unwraps the frozen step and
    ONNX takes one input per column."""
    pd = pytest.importorskip("pandas")
    from sklearn.compose import make_column_transformer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder

    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "a": rng.normal(size=300).astype(np.float32).astype(np.float64),
            "c": rng.choice(["x", "y", "z"], 300),
        }
    )
    y = np.where(frame.a + (frame.c == "x") > 0.5, "hi", "lo")
    teacher = make_pipeline(
        make_column_transformer((OneHotEncoder(), ["c"]), remainder=StandardScaler()),
        RandomForestClassifier(n_estimators=20, random_state=0),
    ).fit(frame, y)
    student = Pipeline(
        [
            ("preprocessing", FrozenEstimator(teacher[:-1])),
            ("tree", DecisionTreeClassifier(max_depth=3)),
        ]
    )
    model = DistilledEstimator(FrozenEstimator(teacher), student, random_state=0).fit(frame, y)
    exported = export_student(model)
    assert not any(isinstance(step, FrozenEstimator) for _, step in exported.steps)
    assert exported.steps[0][1] is not model.student_.steps[0][1].estimator  # a copy
    assert_array_equal(exported.predict(frame), model.predict(frame))
    pytest.importorskip("skl2onnx")
    ort = pytest.importorskip("onnxruntime")
    session = ort.InferenceSession(
        to_onnx(model, frame[:5]).SerializeToString(), providers=["CPUExecutionProvider"]
    )
    assert [(i.name, i.type) for i in session.get_inputs()] == [
        ("a", "tensor(float)"),
        ("c", "tensor(string)"),
    ]
    labels, proba = session.run(
        None, {"a": frame[["a"]].to_numpy(np.float32), "c": frame[["c"]].to_numpy(object)}
    )
    assert_array_equal(labels, model.predict(frame))
    assert_allclose(proba, model.predict_proba(frame), atol=1e-5)


def test_to_onnx_regressor():
    pytest.importorskip("skl2onnx")
    X, y = load_diabetes(return_X_y=True)
    X = X.astype(np.float32).astype(np.float64)
    from sklearn.ensemble import RandomForestRegressor

    model = DistilledRegressor(
        RandomForestRegressor(n_estimators=10, random_state=0),
        DecisionTreeRegressor(max_depth=4),
        random_state=0,
    ).fit(X, y)
    (values,) = _onnx_run(to_onnx(model, X[:3]), X)
    assert_allclose(values.ravel(), model.predict(X), rtol=1e-5)


def test_to_onnx_missing_skl2onnx(monkeypatch, iris_split, forest):
    X_train, _, y_train, _ = iris_split
    model = DistilledClassifier(forest, DecisionTreeClassifier(max_depth=2), random_state=0).fit(
        X_train, y_train
    )
    monkeypatch.setitem(sys.modules, "skl2onnx", None)
    with pytest.raises(ImportError, match=r"pip install skdistill\[onnx\]"):
        to_onnx(model, X_train[:2])


def test_to_onnx_bad_sample(iris_split, forest):
    pytest.importorskip("skl2onnx")
    X_train, _, y_train, _ = iris_split
    model = DistilledClassifier(forest, DecisionTreeClassifier(max_depth=2), random_state=0).fit(
        X_train, y_train
    )
    with pytest.raises(ValueError, match="X_sample must be a non-empty 2-D"):
        to_onnx(model, X_train[0])


def test_to_onnx_sample_with_other_columns_is_refused(iris_split, forest):
    # Before: skl2onnx typed the input from the sample alone and built a
    # graph with a (None, 3) input that fails on every real row.
    pytest.importorskip("skl2onnx")
    X_train, _, y_train, _ = iris_split
    model = DistilledClassifier(forest, DecisionTreeClassifier(max_depth=2), random_state=0).fit(
        X_train, y_train
    )
    with pytest.raises(
        ValueError,
        match=r"X_sample must have the 4 features the model "
        r"was fitted on, got 3 \(shape \(5, 3\)\)",
    ):
        to_onnx(model, X_train[:5, :3])
    with pytest.raises(ValueError, match=r"the 4 features .* got 5"):
        to_onnx(model, np.hstack([X_train[:5], X_train[:5, :1]]))
    with pytest.raises(ValueError, match=r"X_sample must be a non-empty 2-D .* \(0, 4\)"):
        to_onnx(model, X_train[:0])


def test_to_onnx_dataframe_sample_needs_the_fitted_column_names():
    pd = pytest.importorskip("pandas")
    pytest.importorskip("skl2onnx")
    from sklearn.compose import make_column_transformer
    from sklearn.preprocessing import OneHotEncoder

    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.normal(size=100), "c": rng.choice(["x", "y"], 100)})
    y = np.where(frame.a > 0, "hi", "lo")
    student = make_pipeline(
        make_column_transformer((OneHotEncoder(), ["c"]), remainder="passthrough"),
        DecisionTreeClassifier(max_depth=2),
    )
    model = DistilledEstimator(
        FrozenEstimator(
            make_pipeline(
                make_column_transformer((OneHotEncoder(), ["c"]), remainder="passthrough"),
                DecisionTreeClassifier(max_depth=3),
            ).fit(frame, y)
        ),
        student,
        random_state=0,
    ).fit(frame, y)
    with pytest.raises(
        ValueError,
        match=r"X_sample's columns must be the model's "
        r"feature_names_in_ in the same order, \['a', 'c'\], "
        r"got \['c', 'a'\]",
    ):
        to_onnx(model, frame[["c", "a"]][:5])
    with pytest.raises(ValueError, match=r"the 2 features .* got 1"):
        to_onnx(model, frame[["a"]][:5])
    assert len(to_onnx(model, frame[:5]).graph.input) == 2


# ----------------------------------------------------------------- rules
def test_export_rules_tree_uses_real_labels(iris_split, forest):
    X_train, _, y_train, _ = iris_split
    model = DistilledClassifier(forest, DecisionTreeClassifier(max_depth=2), random_state=0).fit(
        X_train, y_train
    )
    names = ["sl", "sw", "pl", "pw"]
    rules = export_rules(model, names)
    assert rules.startswith("# DecisionTreeClassifier student (depth 2")
    assert "RandomForestClassifier teacher" in rules
    assert "class: setosa" in rules
    assert "class: 0" not in rules
    used = {line.split("|--- ")[1].split()[0] for line in rules.splitlines() if "<=" in line}
    assert used <= set(names)
    # Thresholds printed are the tree's own (to 3 decimals).
    root = model.student_.tree_
    assert f"{names[root.feature[0]]} <= {root.threshold[0]:.3f}" in rules


def test_export_rules_linear_table(iris_split, forest):
    X_train, _, y_train, _ = iris_split
    model = DistilledClassifier(forest, LogisticRegression(max_iter=2000), random_state=0).fit(
        X_train, y_train
    )
    rules = export_rules(model, ["sl", "sw", "pl", "pw"], decimals=4)
    lines = rules.splitlines()
    assert [c.strip() for c in lines[1].split("|")[2:5]] == ["setosa", "versicolor", "virginica"]
    row = next(line for line in lines if line.startswith("| pl "))
    values = [float(cell) for cell in row.strip("|").split("|")[1:]]
    assert_allclose(values, model.student_.coef_[:, 2], atol=1e-4)
    intercept = next(line for line in lines if line.startswith("| (intercept)"))
    assert_allclose(
        [float(c) for c in intercept.strip("|").split("|")[1:]],
        model.student_.intercept_,
        atol=1e-4,
    )


def test_export_rules_binary_ridge_and_regressor(binary_split, forest):
    X_train, _, y_train, _ = binary_split
    model = DistilledClassifier(forest, Ridge(), random_state=0).fit(X_train, y_train)
    rules = export_rules(model)
    assert rules.startswith(
        "# LogisticRegression student (exported from Ridge) of a RandomForestClassifier teacher"
    )
    assert "log-odds of yes" in rules
    assert "| feature_0 " in rules
    X, y = load_diabetes(return_X_y=True)
    from sklearn.ensemble import RandomForestRegressor

    reg = DistilledRegressor(
        RandomForestRegressor(n_estimators=10, random_state=0), LinearRegression(), random_state=0
    ).fit(X, y)
    table = export_rules(reg, [f"x{i}" for i in range(X.shape[1])])
    assert [c.strip() for c in table.splitlines()[1].split("|")[1:3]] == ["feature", "coefficient"]
    row = next(line for line in table.splitlines() if line.startswith("| x3 "))
    assert_allclose(float(row.split("|")[2]), reg.student_.coef_[3], atol=1e-3)
    tree_reg = DistilledRegressor(
        RandomForestRegressor(n_estimators=10, random_state=0),
        DecisionTreeRegressor(max_depth=2),
        random_state=0,
    )
    assert "value: [" in export_rules(tree_reg.fit(X, y))


def test_export_rules_dataframe_and_pipeline_names(binary_split, forest):
    pd = pytest.importorskip("pandas")
    X_train, _, y_train, _ = binary_split
    frame = pd.DataFrame(X_train, columns=[f"c{i}" for i in range(X_train.shape[1])])
    model = DistilledClassifier(
        forest,
        make_pipeline(StandardScaler(), DecisionTreeClassifier(max_depth=2)),
        random_state=0,
    ).fit(frame, y_train)
    rules = export_rules(model)
    assert "preprocessing steps ['standardscaler']" in rules
    assert any(f"c{i} <=" in rules for i in range(X_train.shape[1]))


def test_export_rules_errors(iris_split, forest):
    X_train, _, y_train, _ = iris_split
    nb = DistilledClassifier(forest, GaussianNB(), random_state=0).fit(X_train, y_train)
    with pytest.raises(TypeError, match="decision tree or linear student, got GaussianNB"):
        export_rules(nb)
    tree = DistilledClassifier(forest, DecisionTreeClassifier(max_depth=2), random_state=0).fit(
        X_train, y_train
    )
    with pytest.raises(ValueError, match=r"one name per input feature \(4\), got 2"):
        export_rules(tree, ["a", "b"])
    with pytest.raises(TypeError, match="feature_names must be a list"):
        export_rules(tree, "abcd")
    with pytest.raises(ValueError, match="decimals"):
        export_rules(tree, decimals=-1)


def test_export_with_feature_budget_selects_the_same_columns():
    from sklearn.datasets import make_classification
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.tree import DecisionTreeClassifier

    from skdistill import DistilledClassifier
    from skdistill.export import export_student

    X, y = make_classification(n_samples=300, n_features=10, n_informative=3, random_state=0)
    model = DistilledClassifier(
        RandomForestClassifier(n_estimators=20, random_state=0),
        DecisionTreeClassifier(max_depth=3, random_state=0),
        feature_budget=3,
        random_state=0,
    ).fit(X, y)
    assert len(model.student_features_) == 3
    exported = export_student(model)
    assert type(exported).__module__.startswith("sklearn")
    np.testing.assert_array_equal(exported.predict(X), model.predict(X))
    np.testing.assert_allclose(exported.predict_proba(X), model.predict_proba(X))


# ------------------------------------------------ boosted native student
def _soft_boosting_model(X, y, forest, *, early_stopping=False, temperature=1.0):
    from skdistill.students import SoftGradientBoostingClassifier

    student = SoftGradientBoostingClassifier(
        n_estimators=200 if early_stopping else 20,
        max_depth=2,
        early_stopping=early_stopping,
        n_iter_no_change=3,
    )
    model = DistilledClassifier(
        forest, student, temperature=temperature, alpha=0.5, random_state=0
    ).fit(X, y)
    assert model.student_fit_ == "native"
    return model


@pytest.mark.parametrize("early_stopping", [False, True], ids=["rounds", "early-stopping"])
@pytest.mark.parametrize("split", ["iris_split", "binary_split"])
def test_export_soft_boosting_student(split, early_stopping, request, forest):
    X_train, X_test, y_train, _ = request.getfixturevalue(split)
    model = _soft_boosting_model(X_train, y_train, forest, early_stopping=early_stopping)
    rounds = model.student_.n_estimators_
    assert (rounds < 200) if early_stopping else (rounds == 20)
    exported = export_student(model)
    assert type(exported) is GradientBoostingClassifier
    assert exported.n_estimators_ == rounds
    assert exported.classes_.dtype.kind == "U"
    assert_same_predictions(exported, model, X_test)
    assert_allclose(
        exported.decision_function(X_test), model.decision_function(X_test), atol=1e-12
    )
    blob = pickle.dumps(exported)
    assert b"skdistill" not in blob  # loads where skdistill is not installed
    assert_same_predictions(pickle.loads(blob), model, X_test)


@pytest.mark.parametrize("split", ["iris_split", "binary_split"])
def test_to_onnx_soft_boosting_student(split, request, forest):
    pytest.importorskip("skl2onnx")
    X_train, X_test, y_train, _ = request.getfixturevalue(split)
    X_train = X_train.astype(np.float32).astype(np.float64)
    X_test = X_test.astype(np.float32).astype(np.float64)
    model = _soft_boosting_model(X_train, y_train, forest)
    labels, proba = _onnx_run(to_onnx(model, X_train[:5]), X_test)
    assert_array_equal(labels, model.predict(X_test))
    assert_allclose(proba, model.predict_proba(X_test), atol=1e-5)


@pytest.mark.parametrize("split", ["iris_split", "binary_split"])
def test_export_soft_boosting_student_at_temperature_2(split, request, forest):
    X_train, X_test, y_train, _ = request.getfixturevalue(split)
    model = _soft_boosting_model(X_train, y_train, forest, temperature=2.0)
    assert model._deployed_temperature() == 2.0
    exported = export_student(model)
    assert_same_predictions(exported, model, X_test)


@pytest.mark.parametrize("split", ["iris_split", "binary_split"])
def test_to_onnx_soft_boosting_student_at_temperature_2(split, request, forest):
    pytest.importorskip("skl2onnx")
    X_train, X_test, y_train, _ = request.getfixturevalue(split)
    X_train = X_train.astype(np.float32).astype(np.float64)
    X_test = X_test.astype(np.float32).astype(np.float64)
    model = _soft_boosting_model(X_train, y_train, forest, temperature=2.0)
    labels, proba = _onnx_run(to_onnx(model, X_train[:5]), X_test)
    assert_array_equal(labels, model.predict(X_test))
    assert_allclose(proba, model.predict_proba(X_test), atol=1e-5)


# ------------------------------------------------------- linear-tree students
def _float32_split(split):
    X_train, X_test, y_train, y_test = split
    return (
        X_train.astype(np.float32).astype(np.float64),
        X_test.astype(np.float32).astype(np.float64),
        y_train,
        y_test,
    )


def _linear_tree_model(split, forest, temperature, *, scaled=False):
    from skdistill.students import LinearTreeClassifier

    X_train, _, y_train, _ = split
    student = LinearTreeClassifier(max_depth=2, min_samples_leaf=10, random_state=0)
    if scaled:
        student = make_pipeline(StandardScaler(), student)
    model = DistilledClassifier(
        forest, student, temperature=temperature, alpha=0.5, random_state=0
    ).fit(X_train, y_train)
    assert model.student_fit_ == "native"
    return model


@pytest.mark.parametrize("scaled", [False, True], ids=["bare", "scaled"])
@pytest.mark.parametrize("temperature", [1.0, 2.0])
@pytest.mark.parametrize("split", ["iris_split", "binary_split"])
def test_export_linear_tree_classifier(split, temperature, scaled, request, forest):
    data = request.getfixturevalue(split)
    model = _linear_tree_model(data, forest, temperature, scaled=scaled)
    exported = export_student(model)
    names = [name for name, _ in exported.steps]
    assert names[-3:-1] == ["leaf_features", "leaf_products"]
    assert names[:-3] == (["standardscaler"] if scaled else [])
    assert type(exported.steps[-1][1]) is LogisticRegression
    assert_same_predictions(exported, model, data[1])
    blob = pickle.dumps(exported)
    assert b"skdistill" not in blob  # loads where skdistill is not installed
    assert_same_predictions(pickle.loads(blob), model, data[1])


def test_linear_tree_to_sklearn_rules_out_classes_like_the_leaf_models(iris_split):
    """A pure leaf gives the other classes probability exactly 0, in the
    export as in the model (score -inf there, -1e30 in the export)."""
    from skdistill.students import LinearTreeClassifier

    X_train, X_test, y_train, _ = iris_split
    model = LinearTreeClassifier(max_depth=2, min_samples_leaf=5, random_state=0)
    model.fit(X_train, y_train)
    assert np.isinf(model.intercept_).any()
    plain = model.to_sklearn()
    proba = plain.predict_proba(X_test)
    assert_array_equal(proba == 0, model.predict_proba(X_test) == 0)
    assert (proba == 0).any()
    assert_allclose(proba, model.predict_proba(X_test), rtol=1e-10, atol=1e-14)
    assert_array_equal(plain.predict(X_test), model.predict(X_test))


@pytest.mark.parametrize("n_targets", [1, 2])
def test_export_linear_tree_regressor(n_targets):
    pd = pytest.importorskip("pandas")
    from sklearn.ensemble import RandomForestRegressor

    from skdistill.students import LinearTreeRegressor

    X, y = load_diabetes(return_X_y=True, as_frame=True)
    y = y if n_targets == 1 else pd.concat([y, -2 * y], axis=1)
    X_train, X_test, y_train, _ = train_test_split(X, y, random_state=0)
    model = DistilledRegressor(
        RandomForestRegressor(n_estimators=10, random_state=0),
        LinearTreeRegressor(max_depth=2, random_state=0),
        random_state=0,
    ).fit(X_train, y_train)
    exported = export_student(model)
    assert type(exported.steps[-1][1]) is LinearRegression
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # fitted on names: no feature-name warning
        predicted = exported.predict(X_test)
    assert predicted.shape == model.predict(X_test).shape
    assert_allclose(predicted, model.predict(X_test), rtol=1e-10, atol=1e-9)


def test_export_linear_tree_regressor_on_logits(iris_split, forest):
    from skdistill.students import LinearTreeRegressor

    X_train, X_test, y_train, _ = iris_split
    model = DistilledClassifier(
        forest, LinearTreeRegressor(max_depth=2), temperature=2.0, random_state=0
    ).fit(X_train, y_train)
    assert model.student_fit_ == "logit_regression"
    exported = export_student(model)
    assert type(exported.steps[-1][1]) is LogisticRegression
    assert_same_predictions(exported, model, X_test)


@pytest.mark.parametrize("temperature", [1.0, 2.0])
@pytest.mark.parametrize("split", ["iris_split", "binary_split"])
def test_to_onnx_linear_tree_classifier(split, temperature, request, forest):
    pytest.importorskip("skl2onnx")
    ort = pytest.importorskip("onnxruntime")
    data = _float32_split(request.getfixturevalue(split))
    model = _linear_tree_model(data, forest, temperature)
    onx = to_onnx(model, data[0][:5])
    session = ort.InferenceSession(onx.SerializeToString(), providers=["CPUExecutionProvider"])
    # skl2onnx's RandomTreesEmbedding leaks its leaf indicators as an output.
    assert [o.name for o in session.get_outputs()] == ["label", "probabilities"]
    labels, proba = session.run(None, {"X": data[1].astype(np.float32)})
    assert_array_equal(labels, model.predict(data[1]))
    assert_allclose(proba, model.predict_proba(data[1]), atol=1e-6)


def test_to_onnx_linear_tree_regressor():
    pytest.importorskip("skl2onnx")
    from sklearn.ensemble import RandomForestRegressor

    from skdistill.students import LinearTreeRegressor

    X, y = load_diabetes(return_X_y=True)
    X = X.astype(np.float32).astype(np.float64)
    model = DistilledRegressor(
        RandomForestRegressor(n_estimators=10, random_state=0),
        LinearTreeRegressor(max_depth=2, random_state=0),
        random_state=0,
    ).fit(X, y)
    outputs = _onnx_run(to_onnx(model, X[:3]), X)
    assert len(outputs) == 1
    assert_allclose(outputs[0].ravel(), model.predict(X), rtol=1e-5)


# ------------------------------------------------ skl2onnx registration
def _session(onx):
    ort = pytest.importorskip("onnxruntime")
    return ort.InferenceSession(onx.SerializeToString(), providers=["CPUExecutionProvider"])


@pytest.mark.parametrize("student", ["tree", "linear-tree"])
@pytest.mark.parametrize("in_pipeline", [False, True], ids=["alone", "pipeline"])
def test_skl2onnx_converts_a_distilled_classifier(student, in_pipeline, iris_split, forest):
    skl2onnx = pytest.importorskip("skl2onnx")
    from skdistill.export import register_onnx_converters
    from skdistill.students import LinearTreeClassifier

    X_train, X_test, y_train, _ = _float32_split(iris_split)
    students = {
        "tree": DecisionTreeClassifier(max_depth=3, random_state=0),
        "linear-tree": LinearTreeClassifier(max_depth=2, min_samples_leaf=10, random_state=0),
    }
    model = DistilledClassifier(forest, students[student], temperature=2.0, random_state=0)
    estimator = make_pipeline(StandardScaler(), model) if in_pipeline else model
    estimator.fit(X_train, y_train)
    register_onnx_converters()
    register_onnx_converters()  # again: harmless
    onx = skl2onnx.to_onnx(
        estimator, X_train[:5].astype(np.float32), options={id(model): {"zipmap": False}}
    )
    session = _session(onx)
    assert [o.name for o in session.get_outputs()] == ["label", "probabilities"]
    labels, proba = session.run(None, {"X": X_test.astype(np.float32)})
    assert_array_equal(labels, estimator.predict(X_test))
    assert_allclose(proba, estimator.predict_proba(X_test), atol=1e-6)


def test_skl2onnx_distilled_classifier_zipmap_and_integer_labels(binary_split, forest):
    skl2onnx = pytest.importorskip("skl2onnx")
    from skdistill.export import register_onnx_converters

    X_train, X_test, y_train, _ = _float32_split(binary_split)
    y_train = (y_train == "yes").astype(np.int64)
    model = DistilledClassifier(
        forest, LogisticRegression(max_iter=2000), temperature=2.0, random_state=0
    ).fit(X_train, y_train)
    register_onnx_converters()
    onx = skl2onnx.to_onnx(model, X_train[:5].astype(np.float32))  # ZipMap by default
    labels, proba = _session(onx).run(None, {"X": X_test.astype(np.float32)})
    assert labels.dtype == np.int64
    assert_array_equal(labels, model.predict(X_test))
    expected = model.predict_proba(X_test)
    assert_allclose([[row[0], row[1]] for row in proba], expected, atol=1e-6)


def test_skl2onnx_converts_a_distilled_regressor():
    skl2onnx = pytest.importorskip("skl2onnx")
    from sklearn.ensemble import RandomForestRegressor

    from skdistill.export import register_onnx_converters

    X, y = load_diabetes(return_X_y=True)
    X = X.astype(np.float32).astype(np.float64)
    model = DistilledRegressor(
        RandomForestRegressor(n_estimators=10, random_state=0),
        DecisionTreeRegressor(max_depth=4),
        random_state=0,
    )
    pipeline = make_pipeline(StandardScaler(), model).fit(X, y)
    register_onnx_converters()
    for estimator in (model, pipeline):
        onx = skl2onnx.to_onnx(estimator, X[:5].astype(np.float32))
        (values,) = _session(onx).run(None, {"X": X.astype(np.float32)})
        assert values.shape == (len(X), 1)
        assert_allclose(values.ravel(), estimator.predict(X), rtol=1e-5)


def test_register_onnx_converters_without_skl2onnx(monkeypatch):
    from skdistill.export import register_onnx_converters

    monkeypatch.setitem(sys.modules, "skl2onnx", None)
    with pytest.raises(ImportError, match="register_onnx_converters needs skl2onnx"):
        register_onnx_converters()


def test_import_skdistill_does_not_import_skl2onnx(tmp_path):
    code = (
        "import sys, skdistill, skdistill.export; "
        "sys.exit('skl2onnx' in sys.modules or 'onnx' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, check=False)
    assert result.returncode == 0


@pytest.mark.parametrize("kind", ["classifier", "regressor"])
def test_skl2onnx_converts_a_distilled_estimator(kind, iris_split, forest):
    skl2onnx = pytest.importorskip("skl2onnx")
    from sklearn.ensemble import RandomForestRegressor

    from skdistill.export import register_onnx_converters

    if kind == "classifier":
        X, _, y, _ = _float32_split(iris_split)
        teacher, student = forest, LogisticRegression(max_iter=2000)
    else:
        X, y = load_diabetes(return_X_y=True)
        X = X.astype(np.float32).astype(np.float64)
        teacher, student = RandomForestRegressor(n_estimators=10, random_state=0), Ridge()
    model = DistilledEstimator(teacher, student, temperature=2.0, random_state=0)
    pipeline = make_pipeline(StandardScaler(), model).fit(X, y)
    register_onnx_converters()
    for estimator in (model, pipeline):
        session = _session(skl2onnx.to_onnx(estimator, X[:5].astype(np.float32)))
        outputs = session.run(None, {"X": X.astype(np.float32)})
        if kind == "classifier":
            assert [o.name for o in session.get_outputs()] == ["label", "probabilities"]
            assert_array_equal(outputs[0], estimator.predict(X))
            assert_allclose(outputs[1], estimator.predict_proba(X), atol=1e-6)
        else:
            assert [o.name for o in session.get_outputs()] == ["variable"]
            assert_allclose(outputs[0].ravel(), estimator.predict(X), rtol=1e-5)


def test_skl2onnx_distilled_regressor_with_two_targets():
    skl2onnx = pytest.importorskip("skl2onnx")
    from sklearn.ensemble import RandomForestRegressor

    from skdistill.export import register_onnx_converters

    X, y = load_diabetes(return_X_y=True)
    X = X.astype(np.float32).astype(np.float64)
    Y = np.column_stack([y, -0.5 * y])
    model = DistilledRegressor(
        RandomForestRegressor(n_estimators=10, random_state=0), Ridge(), random_state=0
    ).fit(X, Y)
    register_onnx_converters()
    onx = skl2onnx.to_onnx(model, X[:5].astype(np.float32))
    assert onx.graph.output[0].type.tensor_type.shape.dim[1].dim_value == 2
    (values,) = _session(onx).run(None, {"X": X.astype(np.float32)})
    assert_allclose(values, model.predict(X), rtol=1e-4, atol=1e-3)


@pytest.mark.parametrize("distilled", ["classifier", "regressor"])
def test_export_gam_student_says_it_has_no_plain_equivalent(distilled, iris_split, forest):
    from sklearn.ensemble import RandomForestRegressor

    from skdistill.students import SoftGAMClassifier, SoftGAMRegressor

    X_train, _, y_train, _ = iris_split
    if distilled == "classifier":
        model = DistilledClassifier(
            forest, SoftGAMClassifier(max_rounds=10), temperature=2.0, random_state=0
        ).fit(X_train, y_train)
    else:
        model = DistilledRegressor(
            RandomForestRegressor(n_estimators=10, random_state=0),
            SoftGAMRegressor(max_rounds=10),
            random_state=0,
        ).fit(X_train[:, 1:], X_train[:, 0])
    with pytest.raises(TypeError, match=r"SoftGAM\w+ .*it has no to_sklearn\(\)"):
        export_student(model)


@pytest.mark.parametrize("n_features", [4, 20], ids=["features", "leaf-scores"])
def test_linear_tree_to_sklearn_both_expansions(n_features):
    """Few features: the products use the features themselves; many: the
    leaf models' scores (a fixed projection), so the width does not grow
    with the features. Both equal the model, pure leaves included."""
    from sklearn.random_projection import GaussianRandomProjection

    from skdistill.students import LinearTreeClassifier

    X, y = make_classification(
        n_samples=400,
        n_features=n_features,
        n_informative=4,
        n_redundant=0,
        n_classes=3,
        random_state=0,
    )
    model = LinearTreeClassifier(max_depth=2, min_samples_leaf=5, random_state=0).fit(X, y)
    plain = model.to_sklearn()
    signals = plain.named_steps["leaf_features"].transformer_list[1][1]
    n_leaves = model.get_n_leaves()
    if n_features < 3 * n_leaves:
        assert not isinstance(signals, GaussianRandomProjection)
        width = n_leaves + n_features
    else:
        assert isinstance(signals, GaussianRandomProjection)
        width = n_leaves * (1 + 3)
    assert plain[-1].coef_.shape == (3, width + width * (width - 1) // 2)
    assert_allclose(plain.predict_proba(X), model.predict_proba(X), rtol=1e-10, atol=1e-14)
    assert_array_equal(plain.predict(X), model.predict(X))


def test_export_linear_tree_step_names_do_not_collide(iris_split, forest):
    from sklearn.pipeline import Pipeline

    from skdistill.students import LinearTreeClassifier

    X_train, X_test, y_train, _ = iris_split
    student = Pipeline(
        [("leaf_features", StandardScaler()), ("tree", LinearTreeClassifier(random_state=0))]
    )
    model = DistilledClassifier(forest, student, temperature=2.0, random_state=0).fit(
        X_train, y_train
    )
    exported = export_student(model)
    assert [name for name, _ in exported.steps] == [
        "leaf_features",
        "leaf_features_",
        "leaf_products",
        "tree",
    ]
    assert_same_predictions(exported, model, X_test)


def test_skl2onnx_distilled_model_on_dataframes():
    """skl2onnx gives a DataFrame one input per column: numeric columns are
    joined for the student; string columns reach a student Pipeline that
    encodes them."""
    skl2onnx = pytest.importorskip("skl2onnx")
    pd = pytest.importorskip("pandas")
    from sklearn.compose import make_column_transformer
    from sklearn.preprocessing import OneHotEncoder

    from skdistill.export import register_onnx_converters

    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "a": rng.normal(size=300).astype(np.float32),
            "n": rng.integers(0, 5, size=300),
            "c": rng.choice(["x", "y", "z"], 300),
        }
    )
    y = np.where(frame.a + (frame.c == "x") + 0.3 * frame.n > 1.0, "hi", "lo")
    forest = RandomForestClassifier(n_estimators=20, random_state=0)
    numeric = DistilledClassifier(forest, DecisionTreeClassifier(max_depth=3), random_state=0)
    numeric.fit(frame[["a", "n"]], y)
    encoded = DistilledClassifier(
        make_pipeline(
            make_column_transformer((OneHotEncoder(), ["c"]), remainder="passthrough"), forest
        ),
        make_pipeline(
            make_column_transformer((OneHotEncoder(), ["c"]), remainder="passthrough"),
            DecisionTreeClassifier(max_depth=3),
        ),
        random_state=0,
    ).fit(frame, y)
    register_onnx_converters()
    for model, X in ((numeric, frame[["a", "n"]]), (encoded, frame)):
        session = _session(skl2onnx.to_onnx(model, X[:5], options={"zipmap": False}))
        feeds = {i.name: X[[i.name]].to_numpy() for i in session.get_inputs()}
        feeds = {k: v.astype(np.float32) if v.dtype.kind == "f" else v for k, v in feeds.items()}
        feeds = {k: v.astype(object) if v.dtype.kind == "O" else v for k, v in feeds.items()}
        labels, proba = session.run(None, feeds)
        assert_array_equal(labels, model.predict(X))
        assert_allclose(proba, model.predict_proba(X), atol=1e-6)
