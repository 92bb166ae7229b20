"""Teacher -> targets: logits, temperature, alpha, target sources."""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from sklearn.datasets import make_classification, make_regression
from sklearn.ensemble import (
    ExtraTreesClassifier,
    GradientBoostingClassifier,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold
from sklearn.neighbors import KNeighborsClassifier
from sklearn.svm import SVC

from skdistill._targets import (
    align_columns,
    fit_teacher_and_outputs,
    regression_targets,
    resolve_source,
    soft_targets,
    softmax,
    teacher_logits,
)


def test_softmax_is_stable_and_tempered():
    logits = np.array([[1e4, 0.0, -1e4], [1.0, 2.0, 3.0]])
    proba = softmax(logits)
    assert np.all(np.isfinite(proba))
    assert_allclose(proba[0], [1.0, 0.0, 0.0])
    expected = np.exp([1.0, 2.0, 3.0]) / np.exp([1.0, 2.0, 3.0]).sum()
    assert_allclose(proba[1], expected)
    # A temperature of 2 is the softmax of halved logits.
    assert_allclose(softmax(logits[1:], 2.0)[0], softmax(logits[1:] / 2)[0])
    # Higher temperature -> flatter targets (higher entropy).
    assert softmax(logits[1:], 5.0).max() < proba[1].max()


def test_soft_targets_mix_one_hot_labels_by_alpha():
    logits = np.log(np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]]))
    y_idx = np.array([1, 2])
    targets = soft_targets(logits, y_idx, temperature=1.0, alpha=0.25)
    assert_allclose(targets[0], 0.75 * np.array([0.7, 0.2, 0.1]) + [0, 0.25, 0])
    assert_allclose(targets[1], 0.75 * np.array([0.1, 0.1, 0.8]) + [0, 0, 0.25])
    assert_allclose(targets.sum(axis=1), 1.0)
    # alpha=1 is plain training on the labels.
    assert_allclose(soft_targets(logits, y_idx, alpha=1.0), [[0, 1, 0], [0, 0, 1]])


def test_regression_targets_mix_teacher_and_y():
    y = np.array([1.0, 2.0, 3.0])
    teacher = np.array([2.0, 2.0, 2.0])
    assert_allclose(regression_targets(teacher, y, alpha=0.5), [1.5, 2.0, 2.5])
    assert_allclose(regression_targets(teacher, y), teacher)


def test_logits_use_decision_function_when_available():
    X, y = make_classification(n_samples=200, n_classes=3, n_informative=4, random_state=0)
    teacher = LogisticRegression(max_iter=1000).fit(X, y)
    logits = teacher_logits(teacher, X, teacher.classes_)
    assert_allclose(logits, teacher.decision_function(X))
    # softmax of the logistic regression's logits is its predict_proba
    assert_allclose(softmax(logits), teacher.predict_proba(X), atol=1e-10)


def test_binary_margin_becomes_two_logits():
    X, y = make_classification(n_samples=200, random_state=0)
    teacher = GradientBoostingClassifier(n_estimators=20, random_state=0).fit(X, y)
    logits = teacher_logits(teacher, X, teacher.classes_)
    assert logits.shape == (200, 2)
    assert_allclose(softmax(logits), teacher.predict_proba(X), atol=1e-10)


def test_logits_fall_back_to_log_proba_with_clipping():
    X, y = make_classification(n_samples=100, random_state=0)
    teacher = KNeighborsClassifier(n_neighbors=3).fit(X, y)
    logits = teacher_logits(teacher, X, teacher.classes_)
    assert np.all(np.isfinite(logits))  # some probabilities are exactly 0
    assert_allclose(softmax(logits), teacher.predict_proba(X), atol=1e-6)


# SVC(probability=True) is deprecated from scikit-learn 1.9 but is the one
# built-in teacher with both non-per-class scores and probabilities.
@pytest.mark.filterwarnings("ignore:The `probability` parameter:FutureWarning")
def test_ovo_decision_function_falls_back_or_fails_clearly():
    X, y = make_classification(n_samples=150, n_classes=4, n_informative=4, random_state=0)
    with_proba = SVC(decision_function_shape="ovo", probability=True, random_state=0)
    with_proba.fit(X, y)
    logits = teacher_logits(with_proba, X, with_proba.classes_)
    assert_allclose(softmax(logits), with_proba.predict_proba(X), atol=1e-6)
    without = SVC(decision_function_shape="ovo").fit(X, y)
    with pytest.raises(TypeError, match="one-vs-one scores"):
        teacher_logits(without, X, without.classes_)


def test_classes_the_teacher_never_saw_get_a_low_column():
    scores = np.array([[2.0, -1.0], [0.0, 3.0]])
    aligned = align_columns(scores, np.array(["a", "c"]), np.array(["a", "b", "c"]))
    assert_allclose(aligned[:, [0, 2]], scores)
    assert np.all(aligned[:, 1] < scores.min(axis=1) - 10)
    assert softmax(aligned)[:, 1].max() < 1e-6


def test_in_sample_forest_targets_are_nearly_one_hot_unlike_oob_and_oof():
    # The reason teacher_targets exists: a forest memorises its training rows.
    X, y = make_classification(n_samples=400, n_features=10, flip_y=0.1, random_state=0)
    forest = RandomForestClassifier(n_estimators=100, random_state=0)
    classes = np.array([0, 1])
    confidence = {}
    accuracy = {}
    for source in ("in_sample", "oob", "oof"):
        teacher = forest.__class__(**forest.get_params())
        _, logits = fit_teacher_and_outputs(teacher, X, y, source=source, classes=classes)
        proba = softmax(logits)
        confidence[source] = proba.max(axis=1).mean()
        accuracy[source] = np.mean(proba.argmax(axis=1) == y)
    assert confidence["in_sample"] > 0.9
    assert accuracy["in_sample"] > 0.99  # it reproduces the (noisy) labels
    for honest in ("oob", "oof"):
        assert confidence[honest] < confidence["in_sample"] - 0.05
        assert accuracy[honest] < 0.95  # it disagrees with the flipped labels


def test_oof_targets_come_from_models_that_did_not_see_the_row():
    X, y = make_regression(n_samples=60, n_features=3, noise=1.0, random_state=0)
    cv = KFold(3)
    teacher = RandomForestRegressor(n_estimators=10, random_state=0)
    fitted, outputs = fit_teacher_and_outputs(teacher, X, y, source="oof", cv=cv)
    for train, test in cv.split(X):
        fold_model = RandomForestRegressor(n_estimators=10, random_state=0)
        fold_model.fit(X[train], y[train])
        assert_allclose(outputs[test], fold_model.predict(X[test]))
    # The returned teacher is refit on all rows.
    full = RandomForestRegressor(n_estimators=10, random_state=0).fit(X, y)
    assert_allclose(fitted.predict(X), full.predict(X))


def test_oob_rows_never_out_of_bag_get_in_sample_outputs():
    X, y = make_classification(n_samples=30, random_state=0)
    teacher = RandomForestClassifier(n_estimators=2, random_state=0)
    fitted, logits = fit_teacher_and_outputs(teacher, X, y, source="oob", classes=np.array([0, 1]))
    assert np.all(np.isfinite(logits))
    proba = softmax(logits)
    assert_allclose(proba.sum(axis=1), 1.0)


def test_oof_refuses_a_splitter_that_leaves_rows_out():
    X, y = make_classification(n_samples=40, random_state=0)
    folds = [(np.arange(20), np.arange(20, 30))]
    with pytest.raises(ValueError, match="cv must give every row one test fold"):
        fit_teacher_and_outputs(
            LogisticRegression(), X, y, source="oof", classes=np.array([0, 1]), cv=folds
        )


def test_resolve_source_auto_rules():
    X, y = make_classification(n_samples=50, random_state=0)
    assert resolve_source(RandomForestClassifier(), "auto") == "oob"
    assert resolve_source(ExtraTreesClassifier(), "auto") == "oof"  # no bootstrap
    assert resolve_source(ExtraTreesClassifier(bootstrap=True), "auto") == "oob"
    assert resolve_source(LogisticRegression(), "auto") == "oof"
    frozen = FrozenEstimator(LogisticRegression().fit(X, y))
    assert resolve_source(frozen, "auto") == "in_sample"
    with pytest.raises(ValueError, match="FrozenEstimator"):
        resolve_source(frozen, "oof")
    with pytest.raises(ValueError, match="teacher_targets='oob' needs a bagging"):
        resolve_source(LogisticRegression(), "oob")


def test_softmax_is_stable_for_tiny_temperatures():
    # (logits - max) / T instead of logits / T - max: no inf - inf = NaN.
    logits = np.array([[1.0, 3.0, -2.0], [0.5, 0.5, 0.0]])
    out = softmax(logits, 1e-300)
    assert np.all(np.isfinite(out))
    assert_allclose(out, [[0.0, 1.0, 0.0], [0.5, 0.5, 0.0]])


def test_three_class_ovo_teacher_is_not_read_as_logits():
    # 3 classes: K(K-1)/2 = K pairwise columns, which used to be read as class
    # logits (the student agreed with the teacher on 39% of rows, no error).
    from sklearn.datasets import load_wine
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.tree import DecisionTreeClassifier

    from skdistill import DistilledClassifier

    X, y = load_wine(return_X_y=True)
    plain = {"temperature": 1.0, "alpha": 0.0, "transfer": None}
    for teacher in (
        SVC(decision_function_shape="ovo"),
        make_pipeline(StandardScaler(), SVC(decision_function_shape="ovo")),
        FrozenEstimator(SVC(decision_function_shape="ovo").fit(X, y)),
    ):
        with pytest.raises(TypeError, match="one-vs-one scores"):
            DistilledClassifier(teacher, DecisionTreeClassifier(), **plain).fit(X, y)


class _ScrambledScores(LogisticRegression):
    """A classifier whose decision_function is not its class scores."""

    def decision_function(self, X):
        return -super().decision_function(X)

    def predict(self, X):
        return self.classes_[(super().decision_function(X) > 0).astype(int)]


def test_scores_that_contradict_predict_are_refused():
    from sklearn.tree import DecisionTreeClassifier

    from skdistill import DistilledClassifier

    X, y = make_classification(n_samples=200, random_state=0)
    with pytest.raises(ValueError, match="scores do not follow its predictions"):
        DistilledClassifier(
            _ScrambledScores(),
            DecisionTreeClassifier(),
            temperature=1.0,
            alpha=0.0,
            transfer=None,
            teacher_targets="in_sample",
        ).fit(X, y)
