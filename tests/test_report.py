"""distillation_report, model_size, distill_path and select_student."""

import json
import pickle
import sys
import warnings

import joblib
import numpy as np
import pytest
from sklearn.base import BaseEstimator
from sklearn.datasets import load_iris, make_classification, make_regression
from sklearn.ensemble import (
    GradientBoostingClassifier,
    HistGradientBoostingClassifier,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.exceptions import NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    f1_score,
    r2_score,
    roc_auc_score,
    root_mean_squared_error,
)
from sklearn.multioutput import MultiOutputRegressor
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, LinearSVC
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from skdistill import (
    DistilledClassifier,
    DistilledEstimator,
    DistilledRegressor,
    distill_path,
    distillation_report,
    select_student,
)
from skdistill.metrics import fidelity_r2, fidelity_score, kl_divergence, total_variation
from skdistill.report import DistillationPath, DistillationReport, model_size


# ------------------------------------------------------------------ fixtures
@pytest.fixture(scope="module")
def binary_split():
    X, y = make_classification(n_samples=400, n_features=6, n_informative=4, random_state=0)
    return X[:300], X[300:], y[:300], y[300:]


@pytest.fixture(scope="module")
def binary_report(binary_split):
    X_train, X_test, y_train, y_test = binary_split
    model = DistilledClassifier(
        RandomForestClassifier(n_estimators=15, random_state=0),
        DecisionTreeClassifier(max_depth=3),
        random_state=0,
    ).fit(X_train, y_train)
    return model, distillation_report(model, X_test, y_test, n_repeats=2)


@pytest.fixture(scope="module")
def quadrant_data():
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(400, 2))
    y = ((X[:, 0] > 0) & (X[:, 1] > 0)).astype(int)
    return X, y


@pytest.fixture(scope="module")
def quadrant_path(quadrant_data):
    # teacher: a depth-2 tree, perfect on the quadrant labels; the student
    # tree copies it exactly from depth 2 on and cannot at depth 1.
    X, y = quadrant_data
    model = DistilledClassifier(
        DecisionTreeClassifier(max_depth=2, random_state=0),
        DecisionTreeClassifier(random_state=0),
        teacher_targets="in_sample",
    )
    return distill_path(model, X, y, values=[1, 2, 3, 4], random_state=0, n_repeats=1)


# -------------------------------------------------------------------- report
def test_binary_report_numbers_match_direct_computation(binary_split, binary_report):
    _, X_test, _, y_test = binary_split
    model, report = binary_report
    teacher = model.teacher_
    t_pred, s_pred = teacher.predict(X_test), model.predict(X_test)
    assert report.task == "classification" and report.n_samples == 100
    assert report.teacher_name == "RandomForestClassifier"
    assert report.student_name == "DecisionTreeClassifier"
    for stats, pred, proba in (
        (report.teacher, t_pred, teacher.predict_proba(X_test)),
        (report.student, s_pred, model.predict_proba(X_test)),
    ):
        assert stats["accuracy"] == accuracy_score(y_test, pred)
        assert stats["balanced_accuracy"] == balanced_accuracy_score(y_test, pred)
        assert stats["f1_macro"] == f1_score(y_test, pred, average="macro")
        assert stats["roc_auc"] == pytest.approx(roc_auc_score(y_test, proba[:, 1]))
    t_proba, s_proba = teacher.predict_proba(X_test), model.predict_proba(X_test)
    assert report.fidelity["fidelity"] == fidelity_score(t_pred, s_pred)
    assert report.fidelity["kl_divergence"] == pytest.approx(kl_divergence(t_proba, s_proba))
    assert report.fidelity["total_variation"] == pytest.approx(total_variation(t_proba, s_proba))


def test_report_sizes_latency_and_times(binary_report):
    model, report = binary_report
    assert isinstance(report, DistillationReport)
    forest, tree = model.teacher_, model.student_
    assert report.teacher["n_leaves"] == sum(t.tree_.n_leaves for t in forest.estimators_)
    assert report.teacher["n_nodes"] == sum(t.tree_.node_count for t in forest.estimators_)
    assert report.student["n_leaves"] == tree.tree_.n_leaves <= 8
    assert report.student["n_parameters"] is None
    n_bytes = len(pickle.dumps(tree, protocol=pickle.HIGHEST_PROTOCOL))
    assert report.student["pickled_bytes"] == n_bytes
    ratio = report.teacher["pickled_bytes"] / report.student["pickled_bytes"]
    assert report.compression == ratio > 5
    assert report.teacher["predict_ms_per_1k"] > 0 and report.student["predict_ms_per_1k"] > 0
    assert report.speedup == pytest.approx(
        report.teacher["predict_ms_per_1k"] / report.student["predict_ms_per_1k"]
    )
    assert report.teacher["fit_seconds"] == model.teacher_fit_time_
    assert report.student["fit_seconds"] == model.student_fit_time_


def test_report_text_html_dict_and_frame(binary_report):
    _, report = binary_report
    text = str(report)
    lines = text.splitlines()
    assert lines[0].startswith(
        "Distillation report: RandomForestClassifier -> DecisionTreeClassifier"
    )
    for name in (
        "accuracy",
        "roc_auc",
        "kl_divergence",
        "pickled_bytes",
        "n_leaves",
        "predict_ms_per_1k",
        "fit_seconds",
        "x faster",
        "x smaller",
    ):
        assert name in text
    assert "n_parameters" not in text  # unknown for both tree models: row hidden
    # aligned: the teacher column ends at the same character on every metric row
    metric_rows = [line for line in lines if line.startswith("  ")]
    header = lines[2]
    end = header.index("teacher") + len("teacher")
    assert all(row[end - 1] != " " and row[end] == " " for row in metric_rows)
    html = report._repr_html_()
    assert html.startswith("<table>") and html.count("<tr>") >= 12
    assert "RandomForestClassifier &rarr; DecisionTreeClassifier" in html
    as_dict = report.to_dict()
    json.dumps(as_dict)  # plain types only
    assert as_dict["fidelity"] == report.fidelity and as_dict["speedup"] == report.speedup
    frame = report.to_frame()
    # one row per model, one column per metric: each column has one unit
    assert list(frame.index) == ["teacher", "student"]
    assert list(frame.columns[:2]) == ["accuracy", "balanced_accuracy"]
    assert "predict_ms_per_1k" in frame.columns and "section" not in frame.columns
    assert frame.loc["student", "accuracy"] == report.student["accuracy"]
    assert frame.loc["teacher", "accuracy"] == report.teacher["accuracy"]
    assert frame.loc["student", "fidelity"] == report.fidelity["fidelity"]
    assert np.isnan(frame.loc["teacher", "fidelity"])
    assert frame.loc["teacher", "pickled_bytes"] == report.teacher["pickled_bytes"]
    assert frame.attrs["compression"] == pytest.approx(report.compression)
    assert frame.attrs["speedup"] == report.speedup
    assert "DistillationReport" in repr(report)


def test_report_to_frame_without_pandas(binary_report, monkeypatch):
    _, report = binary_report
    monkeypatch.setitem(sys.modules, "pandas", None)
    message = "to_frame needs pandas; install it with: pip install pandas"
    with pytest.raises(ImportError, match=message):
        report.to_frame()


def test_multiclass_report_uses_one_vs_rest_auc():
    X, y = load_iris(return_X_y=True)
    rng = np.random.RandomState(0)
    order = rng.permutation(len(y))
    train, test = order[:100], order[100:]
    model = DistilledClassifier(
        GradientBoostingClassifier(n_estimators=10, random_state=0),
        LogisticRegression(max_iter=500),
        temperature=2.0,
        random_state=0,
        cv=3,
    ).fit(X[train], y[train])
    report = distillation_report(model, X[test], y[test], n_repeats=1)
    expected = roc_auc_score(y[test], model.predict_proba(X[test]), multi_class="ovr")
    assert report.student["roc_auc"] == pytest.approx(expected)
    assert report.student["n_parameters"] == 3 * 4 + 3
    gbm = model.teacher_
    assert report.teacher["n_leaves"] == sum(t.tree_.n_leaves for t in gbm.estimators_.ravel())
    expected = fidelity_score(gbm.predict(X[test]), model.predict(X[test]))
    assert report.fidelity["fidelity"] == expected


def test_report_without_probabilities_or_labels():
    X, y = load_iris(return_X_y=True)
    model = DistilledClassifier(
        LogisticRegression(max_iter=500),
        LinearSVC(),
        teacher_targets="in_sample",
    ).fit(X, y)
    report = distillation_report(model, X, y, n_repeats=1)
    assert report.student["roc_auc"] is None  # multiclass, no predict_proba
    assert report.teacher["roc_auc"] is not None
    assert set(report.fidelity) == {"fidelity"}  # no soft fidelity without probabilities
    assert report.student["n_parameters"] == 3 * 4 + 3
    unlabeled = distillation_report(model, X, n_repeats=1)
    assert "accuracy" not in unlabeled.teacher and "fidelity" in unlabeled.fidelity
    assert "performance" not in str(unlabeled)


def test_binary_roc_auc_from_decision_function(binary_split):
    X_train, X_test, y_train, y_test = binary_split
    model = DistilledClassifier(
        LogisticRegression(), LinearSVC(), teacher_targets="in_sample"
    ).fit(X_train, y_train)
    report = distillation_report(model, X_test, y_test, n_repeats=1)
    assert report.student["roc_auc"] == pytest.approx(
        roc_auc_score(y_test, model.decision_function(X_test))
    )
    # a single class in y_test: AUC undefined, reported as None
    one_class = y_test == 1
    report = distillation_report(model, X_test[one_class], y_test[one_class], n_repeats=1)
    assert report.student["roc_auc"] is None and report.student["accuracy"] is not None


@pytest.mark.parametrize("Distilled", [DistilledRegressor, DistilledEstimator])
def test_regression_report(Distilled):
    X, y = make_regression(n_samples=300, n_features=5, noise=10.0, random_state=0)
    model = Distilled(
        RandomForestRegressor(n_estimators=10, random_state=0),
        Ridge(),
        random_state=0,
    ).fit(X[:200], y[:200])
    report = distillation_report(model, X[200:], y[200:], n_repeats=1)
    t_pred, s_pred = model.teacher_.predict(X[200:]), model.predict(X[200:])
    assert report.task == "regression"
    assert report.teacher["r2"] == pytest.approx(r2_score(y[200:], t_pred))
    assert report.student["rmse"] == pytest.approx(root_mean_squared_error(y[200:], s_pred))
    assert report.fidelity["fidelity_r2"] == pytest.approx(fidelity_r2(t_pred, s_pred))
    assert set(report.fidelity) == {"fidelity_r2", "fidelity_rmse"}
    assert report.student["n_parameters"] == 5 + 1
    assert "fidelity_rmse" in str(report)


def test_report_for_distilled_estimator_with_frozen_teacher(binary_split):
    X_train, X_test, y_train, y_test = binary_split
    teacher = RandomForestClassifier(n_estimators=10, random_state=0).fit(X_train, y_train)
    model = DistilledEstimator(FrozenEstimator(teacher), GaussianNB()).fit(X_train, y_train)
    report = distillation_report(model, X_test, y_test, n_repeats=1)
    assert report.teacher_name == "RandomForestClassifier"
    assert report.teacher["accuracy"] == teacher.score(X_test, y_test)
    assert report.student["n_parameters"] == 2 * 6 * 2 + 2  # theta_, var_, class_prior_


def test_report_names_pipeline_steps_and_says_when_the_student_is_larger(binary_split):
    X_train, X_test, y_train, y_test = binary_split
    model = DistilledClassifier(
        make_pipeline(StandardScaler(), LogisticRegression()),
        DecisionTreeClassifier(random_state=0),
        teacher_targets="in_sample",
    ).fit(X_train, y_train)
    report = distillation_report(model, X_test, y_test, n_repeats=1)
    assert report.teacher_name == "Pipeline(StandardScaler, LogisticRegression)"
    assert report.teacher["n_parameters"] == 6 + 1
    assert report.compression < 1
    size_line = next(line for line in str(report).splitlines() if "pickled_bytes" in line)
    assert size_line.endswith(f"{1 / report.compression:.1f}x larger")


def test_report_errors(binary_split):
    X_train, X_test, y_train, y_test = binary_split
    unfitted = DistilledClassifier(LogisticRegression(), DecisionTreeClassifier())
    with pytest.raises(NotFittedError):
        distillation_report(unfitted, X_test)
    with pytest.raises(TypeError, match="distilled must be a DistilledClassifier"):
        distillation_report(LogisticRegression().fit(X_train, y_train), X_test)
    fitted = unfitted.fit(X_train, y_train)
    with pytest.raises(ValueError, match=r"y_test must have one value per row of X_test \(100\)"):
        distillation_report(fitted, X_test, y_test[:10])
    with pytest.raises(ValueError, match="n_repeats must be in the range"):
        distillation_report(fitted, X_test, n_repeats=0)
    with pytest.raises(ValueError, match="X_test must have at least one row"):
        distillation_report(fitted, X_test[:0])


# ---------------------------------------------------------------- model_size
@pytest.fixture(scope="module")
def small_data():
    return make_classification(
        n_samples=120, n_features=5, n_informative=3, n_classes=3, random_state=0
    )


def test_model_size_of_common_models(small_data):
    X, y = small_data
    pipe = make_pipeline(StandardScaler(), LogisticRegression(max_iter=500)).fit(X, y)
    assert model_size(pipe).n_parameters == 3 * 5 + 3  # scaler not counted
    mlp = MLPClassifier(hidden_layer_sizes=(4,), max_iter=20, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mlp.fit(X, y)
    assert model_size(mlp).n_parameters == 5 * 4 + 4 + 4 * 3 + 3
    svc = SVC().fit(X, y)
    assert model_size(svc).n_parameters == (
        svc.support_vectors_.size + svc.dual_coef_.size + svc.intercept_.size
    )
    knn = KNeighborsClassifier().fit(X, y)
    size = model_size(knn)
    assert (size.n_parameters, size.n_nodes, size.n_leaves) == (None, None, None)
    assert size.n_bytes > 0
    hgb = HistGradientBoostingClassifier(max_iter=3, max_leaf_nodes=4, random_state=0).fit(X, y)
    size = model_size(hgb)
    assert 3 * 3 * 2 <= size.n_leaves <= 3 * 3 * 4  # 3 iterations x 3 classes
    assert size.n_nodes == 2 * size.n_leaves - 1 * 9  # binary trees: nodes = 2 leaves - 1


class _LinearLeavesTree(BaseEstimator):
    """Stand-in for a tree with a linear model per leaf: a ``partition_``
    tree and one row of ``coef_``/``intercept_`` per leaf."""

    def fit(self, X, y):
        self.partition_ = DecisionTreeRegressor(max_depth=2, random_state=0).fit(X, y)
        n_leaves = self.partition_.get_n_leaves()
        self.coef_ = np.zeros((n_leaves, X.shape[1]))
        self.intercept_ = np.zeros(n_leaves)
        return self


def test_model_size_of_tree_with_linear_leaves():
    X, y = make_regression(n_samples=80, n_features=3, random_state=0)
    size = model_size(_LinearLeavesTree().fit(X, y))
    assert (size.n_nodes, size.n_leaves, size.n_parameters) == (7, 4, 4 * 3 + 4)


def test_model_size_of_multi_output_and_frozen():
    X, Y = make_regression(n_samples=80, n_features=3, n_targets=2, random_state=0)
    multi = MultiOutputRegressor(DecisionTreeRegressor(max_depth=2)).fit(X, Y)
    size = model_size(multi)
    assert size.n_leaves == sum(e.tree_.n_leaves for e in multi.estimators_) == 8
    tree = DecisionTreeRegressor(max_depth=3).fit(X, Y[:, 0])
    assert model_size(FrozenEstimator(tree)) == model_size(tree)
    with pytest.raises(NotFittedError):
        model_size(DecisionTreeRegressor())
    with pytest.raises(TypeError, match="estimator must be a fitted scikit-learn estimator"):
        model_size("tree")


# -------------------------------------------------------------- size search
def test_distill_path_finds_the_known_depth(quadrant_path):
    path = quadrant_path
    assert isinstance(path, DistillationPath)
    assert path.param == "student__max_depth" and path.values == [1, 2, 3, 4]
    assert path.teacher_reused and path.n_splits == 1 and path.size_name == "n_leaves"
    assert path.fidelity[0] < 0.9
    np.testing.assert_array_equal(path.fidelity[1:], 1.0)
    np.testing.assert_array_equal(path.score[1:], path.teacher_score)
    assert path.teacher_score > 0.95
    np.testing.assert_array_equal(path.n_leaves, [2, 3, 3, 3])  # quadrant: 3 leaves suffice
    choice = select_student(path, target_fidelity=0.99)
    assert (choice.value, choice.index, choice.fidelity, choice.size) == (2, 1, 1.0, 3.0)
    assert choice.met and choice.params == {"student__max_depth": 2}
    assert choice.size_name == "n_leaves"


def test_select_student_prefers_the_smallest_size_not_the_first_value():
    def path_with(fidelity, n_leaves):
        n = len(fidelity)
        results = {name: np.full((n, 1), np.nan) for name in DistillationPath._ARRAYS}
        results["fidelity"] = np.reshape(fidelity, (n, 1))
        results["score"] = np.reshape(fidelity, (n, 1))
        results["n_leaves"] = np.reshape(n_leaves, (n, 1)).astype(float)
        return DistillationPath(
            param="p",
            values=["a", "b", "c"],
            task="classification",
            split_results=results,
            teacher_score=1.0,
            teacher_reused=False,
            teacher_fit_time=0.0,
        )

    path = path_with([0.90, 0.990, 0.995], [4, 8, 6])
    assert select_student(path, 0.98).value == "c"
    assert select_student(path, 0.80).value == "a"
    tied = path_with([0.99, 0.995, 0.90], [5, 5, 1])
    assert select_student(tied, 0.98).value == "b"  # same size: the more faithful
    with pytest.warns(UserWarning, match=r"the best reaches 0.9950 \(p='c'\)"):
        best = select_student(path, 0.999)
    assert best.value == "c" and not best.met
    with pytest.raises(ValueError, match="no student in the path over p reaches fidelity 0.999"):
        select_student(path, 0.999, strict=True)
    with pytest.raises(ValueError, match="target_fidelity must be in the range"):
        select_student(path, 1.5)
    with pytest.raises(TypeError, match="path must be a DistillationPath"):
        select_student({"fidelity": [1.0]})


def test_shared_teacher_gives_the_same_students_as_refitting(quadrant_data):
    X, y = quadrant_data
    model = DistilledClassifier(
        RandomForestClassifier(n_estimators=8),
        DecisionTreeClassifier(),
        teacher_targets="in_sample",
        temperature=2.0,
        alpha=0.0,
        transfer=None,
        random_state=3,
    )
    before = model.get_params()
    shared = distill_path(model, X, y, values=[1, 3, None], random_state=0, n_repeats=1)
    refit = distill_path(
        model, X, y, values=[1, 3, None], random_state=0, n_repeats=1, reuse_teacher=False
    )
    assert shared.teacher_reused and not refit.teacher_reused
    assert shared.teacher_fit_time > 0 and refit.teacher_fit_time == 0
    for name in ("fidelity", "score", "kl_divergence", "n_leaves"):
        np.testing.assert_array_equal(getattr(shared, name), getattr(refit, name))
    assert shared.teacher_score == refit.teacher_score
    assert model.get_params() == before and not hasattr(model, "teacher_")


def test_out_of_fold_targets_are_refit_unless_reuse_is_forced(quadrant_data):
    X, y = quadrant_data
    model = DistilledClassifier(
        DecisionTreeClassifier(max_depth=2, random_state=0),
        DecisionTreeClassifier(random_state=0),
        cv=3,
    )  # teacher_targets="auto" -> out-of-fold for a plain tree
    auto = distill_path(model, X, y, values=[1, 2], random_state=0, n_repeats=1)
    assert not auto.teacher_reused
    forced = distill_path(
        model, X, y, values=[1, 2], random_state=0, n_repeats=1, reuse_teacher=True
    )
    assert forced.teacher_reused
    assert auto.fidelity[1] > 0.97 and forced.fidelity[1] == 1.0
    message = "reuse_teacher=True cannot be used with param='teacher__max_depth'"
    with pytest.raises(ValueError, match=message):
        distill_path(model, X, y, param="teacher__max_depth", values=[1, 2], reuse_teacher=True)


def test_distill_path_over_teacher_param_with_cv_folds(quadrant_data):
    X, y = quadrant_data
    model = DistilledClassifier(
        DecisionTreeClassifier(random_state=0),
        DecisionTreeClassifier(max_depth=2, random_state=0),
        teacher_targets="in_sample",
    )
    path = distill_path(model, X, y, param="teacher__max_depth", values=[2, 8], cv=3, n_repeats=1)
    assert not path.teacher_reused and path.n_splits == 3
    assert path.split_results["fidelity"].shape == (2, 3)
    np.testing.assert_allclose(path.fidelity, path.split_results["fidelity"].mean(axis=1))
    assert path.fidelity[0] == 1.0 and path.fidelity_std[0] == 0.0


def test_regression_path_and_frame():
    X, y = make_regression(n_samples=300, n_features=3, noise=1.0, random_state=0)
    model = DistilledRegressor(
        DecisionTreeRegressor(max_depth=6, random_state=0),
        DecisionTreeRegressor(random_state=0),
        teacher_targets="in_sample",
        alpha=0.0,
        transfer=None,
    )
    path = distill_path(model, X, y, values=[1, 3, 6], random_state=0, n_repeats=1)
    assert path.task == "regression" and path.score_name == "r2"
    assert path.fidelity[0] < path.fidelity[1] < path.fidelity[2]
    assert path.fidelity[2] > 0.99
    assert path.score[2] == pytest.approx(path.teacher_score, abs=0.02)
    assert np.all(path.fidelity_rmse[:2] > 0) and np.all(np.isnan(path.kl_divergence))
    frame = path.to_frame()
    assert list(frame.columns[:5]) == [
        "student__max_depth",
        "fidelity",
        "fidelity_std",
        "r2",
        "fidelity_rmse",
    ]
    assert frame["n_leaves"].tolist() == path.n_leaves.tolist()
    assert frame.attrs["teacher_score"] == path.teacher_score
    text = str(path)
    assert text.splitlines()[0].startswith("Distillation path over student__max_depth")
    assert len(text.splitlines()) == 2 + 3


def test_distill_path_parallel_matches_sequential(quadrant_data):
    X, y = quadrant_data
    model = DistilledClassifier(
        DecisionTreeClassifier(max_depth=2, random_state=0),
        DecisionTreeClassifier(random_state=0),
        teacher_targets="in_sample",
    )
    kwargs = dict(values=[1, 2], random_state=0, n_repeats=1)
    sequential = distill_path(model, X, y, **kwargs)
    with joblib.parallel_backend("threading"):  # processes would take seconds to start
        parallel = distill_path(model, X, y, n_jobs=2, **kwargs)
    np.testing.assert_array_equal(sequential.fidelity, parallel.fidelity)
    np.testing.assert_array_equal(sequential.n_leaves, parallel.n_leaves)


def test_distill_path_errors(quadrant_data):
    X, y = quadrant_data
    model = DistilledClassifier(DecisionTreeClassifier(), DecisionTreeClassifier())
    message = r"param='student__max_dept' is not a parameter.*'student__max_depth'"
    with pytest.raises(ValueError, match=message):
        distill_path(model, X, y, param="student__max_dept", values=[1])
    with pytest.raises(ValueError, match="values must be given for param='temperature'"):
        distill_path(model, X, y, param="temperature")
    with pytest.raises(ValueError, match="values must hold at least one value"):
        distill_path(model, X, y, values=[])
    with pytest.raises(TypeError, match="values must be a sequence"):
        distill_path(model, X, y, values=3)
    with pytest.raises(ValueError, match=r"validation_fraction must be in the range \(0, 1\)"):
        distill_path(model, X, y, values=[1], validation_fraction=1.0)
    with pytest.raises(ValueError, match="reuse_teacher must be 'auto', True or False"):
        distill_path(model, X, y, values=[1], reuse_teacher="yes")
    with pytest.raises(ValueError, match="X and y must have the same number of rows"):
        distill_path(model, X, y[:10], values=[1])
    with pytest.raises(TypeError, match="distilled must be a DistilledClassifier"):
        distill_path(DecisionTreeClassifier(), X, y, values=[1])


# --------------------------------------------------------- one measurement
def test_size_search_measures_as_the_report_does(binary_split):
    from skdistill.size_search import _evaluate

    X_train, X_test, y_train, y_test = binary_split
    X, y = np.vstack([X_train, X_test]), np.concatenate([y_train, y_test])
    model = DistilledClassifier(
        RandomForestClassifier(n_estimators=15, random_state=0),
        DecisionTreeClassifier(max_depth=3),
        temperature=1.0,
        alpha=0.0,
        transfer=None,
        random_state=0,
    )
    result = _evaluate(model, X, y, np.arange(300), np.arange(300, 400), n_repeats=1)
    report = distillation_report(model, X_test, y_test, n_repeats=1)
    assert result["fidelity"] == report.fidelity["fidelity"] < 1
    assert result["kl_divergence"] == report.fidelity["kl_divergence"] > 0
    assert result["score"] == report.student["accuracy"]
    assert result["teacher_score"] == report.teacher["accuracy"]
    assert result["n_bytes"] == report.student["pickled_bytes"]
    assert result["n_leaves"] == report.student["n_leaves"] <= 8
    assert np.isnan(result["n_parameters"]) and np.isnan(result["fidelity_rmse"])
    assert result["latency_ms"] > 0


def test_size_search_measures_regression_as_the_report_does():
    from sklearn.metrics import mean_absolute_error

    from skdistill.size_search import _evaluate

    X, y = make_regression(n_samples=300, n_features=5, noise=10.0, random_state=0)
    model = DistilledRegressor(
        RandomForestRegressor(n_estimators=10, random_state=0),
        Ridge(),
        alpha=0.0,
        transfer=None,
        random_state=0,
    )
    result = _evaluate(model, X, y, np.arange(200), np.arange(200, 300), n_repeats=1)
    report = distillation_report(model, X[200:], y[200:], n_repeats=1)
    assert result["fidelity"] == report.fidelity["fidelity_r2"]
    assert result["fidelity_rmse"] == report.fidelity["fidelity_rmse"] > 0
    assert result["score"] == report.student["r2"]
    assert result["teacher_score"] == report.teacher["r2"]
    assert result["n_parameters"] == report.student["n_parameters"] == 6
    assert result["n_bytes"] == report.student["pickled_bytes"]
    assert np.isnan(result["kl_divergence"]) and np.isnan(result["n_leaves"])
    assert report.student["mae"] == pytest.approx(
        mean_absolute_error(y[200:], model.predict(X[200:]))
    )


def _modules_loaded_by(statement):
    """skdistill modules loaded by ``statement`` in a fresh interpreter, with
    the package's ``__init__`` skipped (it imports report for the top-level
    names), so that only the module's own imports count."""
    import ast
    import subprocess

    code = (
        "import importlib.util, sys, types\n"
        "spec = importlib.util.find_spec('skdistill')\n"
        "package = types.ModuleType('skdistill')\n"
        "package.__path__ = list(spec.submodule_search_locations)\n"
        "sys.modules['skdistill'] = package\n"
        f"{statement}\n"
        "print(sorted(name for name in sys.modules if name.startswith('skdistill.')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    return set(ast.literal_eval(result.stdout.strip().splitlines()[-1]))


def test_size_search_imports_nothing_from_report():
    loaded = _modules_loaded_by("import skdistill.size_search")
    assert {"skdistill.size_search", "skdistill._measure"} <= loaded
    assert "skdistill.report" not in loaded


def test_report_imports_the_size_search_only_when_asked():
    assert "skdistill.size_search" not in _modules_loaded_by("import skdistill.report")
    loaded = _modules_loaded_by(
        "from skdistill.report import distill_path\n"
        "import skdistill.size_search as s\n"
        "assert distill_path is s.distill_path"
    )
    assert "skdistill.size_search" in loaded


def test_report_module_reexports_the_size_search():
    import skdistill.report as report_module
    import skdistill.size_search as size_search

    for name in ("DistillationPath", "StudentSelection", "distill_path", "select_student"):
        assert getattr(report_module, name) is getattr(size_search, name)
        assert name in report_module.__all__ and name in dir(report_module)
    with pytest.raises(AttributeError, match="has no attribute 'nope'"):
        report_module.nope  # noqa: B018
