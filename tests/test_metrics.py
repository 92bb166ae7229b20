"""Fidelity metrics against hand-computed values, and the fidelity scorers."""

import math

import numpy as np
import pytest
from scipy.stats import entropy
from sklearn import config_context
from sklearn.datasets import load_iris, make_classification, make_regression
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import GridSearchCV, KFold, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from skdistill import DistilledClassifier, DistilledEstimator, DistilledRegressor, metrics
from skdistill.metrics import (
    SCORERS,
    brier_distance,
    fidelity_r2,
    fidelity_r2_scorer,
    fidelity_rmse,
    fidelity_score,
    fidelity_scorer,
    get_scorer,
    get_scorer_names,
    kl_divergence,
    kl_scorer,
    make_fidelity_scorer,
    regression_fidelity,
    resolve_scoring,
    total_variation,
)


# --------------------------------------------------------------------- hard
def test_fidelity_score_hand_values():
    assert fidelity_score([0, 1, 2, 1], [0, 1, 1, 1]) == 0.75
    assert fidelity_score(["a", "b"], ["b", "a"]) == 0.0
    # weights [1, 1, 2]: the disagreeing row carries half the weight
    assert fidelity_score([0, 1, 1], [0, 1, 0], sample_weight=[1, 1, 2]) == 0.5
    # zero weight removes a row
    assert fidelity_score([0, 1, 1], [0, 1, 0], sample_weight=[1, 1, 0]) == 1.0


def test_fidelity_score_multi_output_needs_every_output():
    teacher = np.array([[0, 1], [1, 1], [0, 0]])
    student = np.array([[0, 1], [1, 0], [0, 0]])
    assert fidelity_score(teacher, student) == pytest.approx(2 / 3)


@pytest.mark.parametrize(
    "teacher, student, match",
    [
        ([0, 1, 1], [0, 1], r"teacher_pred and student_pred must have the same shape"),
        ([], [], r"teacher_pred must not be empty"),
        (np.zeros((2, 2, 2)), np.zeros((2, 2, 2)), r"teacher_pred must be a 1d or 2d"),
    ],
)
def test_fidelity_score_errors(teacher, student, match):
    with pytest.raises(ValueError, match=match):
        fidelity_score(teacher, student)


@pytest.mark.parametrize(
    "teacher, student, match",
    [
        # 0 == "0" is False: before, a fidelity of 0.0 instead of an error
        (
            [0, 1, 2],
            ["0", "1", "2"],
            r"must hold labels of the same type, got numbers and strings",
        ),
        (
            np.array(["a", "b"], dtype=object),
            np.array([0, 1], dtype=object),
            r"got strings and numbers",
        ),
        (
            np.array([0, "a", 1], dtype=object),
            np.array([0, "a", 1], dtype=object),
            r"teacher_pred mixes label types \(numbers and strings\)",
        ),
        # NaN != NaN: before, identical inputs scored 0.5
        (
            [np.nan, 1.0],
            [np.nan, 1.0],
            r"teacher_pred must not contain missing labels \(NaN or None\), got 1 row",
        ),
        ([0, 1], np.array([None, 1], dtype=object), r"student_pred must not contain missing"),
        (
            np.array([["a", None], ["b", "c"]], dtype=object),
            [["a", "x"], ["b", "c"]],
            r"teacher_pred must not contain missing labels .* got 1 row\(s\) with one out of 2",
        ),
    ],
)
def test_fidelity_score_rejects_mixed_or_missing_labels(teacher, student, match):
    with pytest.raises(ValueError, match=match):
        fidelity_score(teacher, student)


def test_fidelity_score_accepts_one_label_kind_per_side():
    # bool and int labels are both numbers; bytes and str both strings
    assert fidelity_score([True, False], [1, 1]) == 0.5
    assert fidelity_score(np.array(["a", "b"], dtype=object), ["a", "c"]) == 0.5
    assert fidelity_score([1.5, 2.0], np.array([1.5, 2], dtype=object)) == 1.0


@pytest.mark.parametrize(
    "weights, error, match",
    [
        ([1, 1], ValueError, r"sample_weight must have shape \(3,\)"),
        ([1, -1, 1], ValueError, r"sample_weight must be finite and non-negative"),
        ([1, np.nan, 1], ValueError, r"sample_weight must be finite"),
        ([0, 0, 0], ValueError, r"sample_weight must have a positive sum"),
        (["a", "b", "c"], TypeError, r"sample_weight must hold real numbers"),
    ],
)
def test_sample_weight_errors(weights, error, match):
    with pytest.raises(error, match=match):
        fidelity_score([0, 1, 1], [0, 1, 0], sample_weight=weights)
    with pytest.raises(error, match=match):
        kl_divergence([[1, 0]] * 3, [[0.5, 0.5]] * 3, sample_weight=weights)


# --------------------------------------------------------------------- soft
P = np.array([[0.5, 0.5], [1.0, 0.0]])
Q = np.array([[0.25, 0.75], [0.5, 0.5]])


def test_kl_divergence_hand_values():
    # row 0: 0.5 ln(0.5/0.25) + 0.5 ln(0.5/0.75); row 1: 1 * ln(1/0.5), 0 ln 0 = 0
    row0 = 0.5 * math.log(2.0) + 0.5 * math.log(2.0 / 3.0)
    row1 = math.log(2.0)
    assert kl_divergence(P[:1], Q[:1]) == pytest.approx(row0, abs=1e-12)
    assert row0 == pytest.approx(0.1438410362, abs=1e-9)
    assert kl_divergence(P, Q) == pytest.approx((row0 + row1) / 2, abs=1e-12)
    assert kl_divergence(P, Q, sample_weight=[3, 1]) == pytest.approx(
        (3 * row0 + row1) / 4, abs=1e-12
    )
    assert kl_divergence(P, P) == 0.0


def test_kl_divergence_is_asymmetric_and_finite_when_student_rules_out_a_class():
    # student gives 0 to a class the teacher believes in: clipped at 1e-7
    teacher, student = [[0.5, 0.5]], [[1.0, 0.0]]
    expected = 0.5 * math.log(0.5) + 0.5 * math.log(0.5 / 1e-7)
    assert kl_divergence(teacher, student) == pytest.approx(expected, rel=1e-9)
    # the other way round, the zero is the teacher's: 0 log 0 = 0
    assert kl_divergence(student, teacher) == pytest.approx(math.log(2.0))


def test_kl_divergence_matches_scipy_entropy_on_random_rows():
    rng = np.random.RandomState(0)
    p = rng.dirichlet(np.ones(4), size=50)
    q = rng.dirichlet(np.ones(4), size=50)
    w = rng.uniform(0.1, 2.0, size=50)
    expected = np.average(entropy(p, q, axis=1), weights=w)
    assert kl_divergence(p, q, sample_weight=w) == pytest.approx(expected, rel=1e-10)


def test_binary_probabilities_may_be_given_as_one_column():
    p1, q1 = np.array([0.5, 1.0]), np.array([0.75, 0.5])
    p2, q2 = np.column_stack([1 - p1, p1]), np.column_stack([1 - q1, q1])
    for metric in (kl_divergence, total_variation, brier_distance):
        assert metric(p1, q1) == pytest.approx(metric(p2, q2), abs=1e-15)


def test_total_variation_and_brier_hand_values():
    # row 0: 0.5 * (0.25 + 0.25) = 0.25; row 1: 0.5 * (0.5 + 0.5) = 0.5
    assert total_variation(P, Q) == pytest.approx(0.375)
    assert total_variation(P, Q, sample_weight=[1, 3]) == pytest.approx((0.25 + 1.5) / 4)
    # row 0: 0.0625 + 0.0625 = 0.125; row 1: 0.25 + 0.25 = 0.5
    assert brier_distance(P, Q) == pytest.approx(0.3125)
    assert brier_distance(P, Q, sample_weight=[1, 0]) == pytest.approx(0.125)
    three = [[0.2, 0.3, 0.5]]
    assert total_variation(three, [[0.5, 0.3, 0.2]]) == pytest.approx(0.3)
    assert brier_distance(three, [[0.5, 0.3, 0.2]]) == pytest.approx(0.18)


@pytest.mark.parametrize("metric", [kl_divergence, total_variation, brier_distance])
@pytest.mark.parametrize(
    "teacher, student, match",
    [
        ([[0.5, 0.6]], [[0.5, 0.5]], r"each row of teacher_proba must sum to 1; row 0"),
        ([[0.5, 0.5]], [[0.9, 0.2]], r"each row of student_proba must sum to 1"),
        ([[1.5, -0.5]], [[0.5, 0.5]], r"teacher_proba must hold probabilities in \[0, 1\]"),
        (
            [[0.5, 0.5]],
            [[0.3, 0.3, 0.4]],
            r"teacher_proba and student_proba must have the same shape",
        ),
        ([[np.nan, 0.5]], [[0.5, 0.5]], r"teacher_proba must not contain NaN"),
    ],
)
def test_soft_metric_errors(metric, teacher, student, match):
    with pytest.raises(ValueError, match=match):
        metric(teacher, student)


def test_row_sum_message_shows_the_exact_sum():
    # Off by 2e-6, just over the tolerance: a 6-digit format printed "1".
    with pytest.raises(ValueError, match=r"row 1 sums to 1\.000002 \(tolerance 1e-06\)"):
        kl_divergence([[0.5, 0.5], [0.5, 0.500002]], [[0.5, 0.5]] * 2)
    with pytest.raises(ValueError, match=r"student_proba must sum to 1; row 0 sums to 0\.99999 "):
        total_variation([[0.5, 0.5]], [[0.5, 0.49999]])


def test_soft_metric_rejects_non_numeric():
    with pytest.raises(TypeError, match="student_proba must hold real numbers"):
        kl_divergence([[0.5, 0.5]], [["a", "b"]])


# --------------------------------------------------------------- regression
def test_regression_fidelity_hand_values():
    teacher, student = [1.0, 2.0, 3.0], [1.0, 2.0, 4.0]
    # SS_res = 1, SS_tot = 2 -> R² = 0.5; RMSE = sqrt(1/3)
    assert fidelity_r2(teacher, student) == pytest.approx(0.5)
    assert fidelity_rmse(teacher, student) == pytest.approx(math.sqrt(1 / 3))
    # weights [1, 1, 2]: weighted mean 2.25, SS_tot = 1.5625 + 0.0625 + 2 * 0.5625
    # = 2.75, SS_res = 2 -> R² = 1 - 2 / 2.75; RMSE = sqrt(2 / 4)
    w = [1, 1, 2]
    assert fidelity_r2(teacher, student, sample_weight=w) == pytest.approx(1 - 2 / 2.75)
    assert fidelity_rmse(teacher, student, sample_weight=w) == pytest.approx(math.sqrt(0.5))
    both = regression_fidelity(teacher, student, sample_weight=w)
    assert both.r2 == pytest.approx(1 - 2 / 2.75) and both.rmse == pytest.approx(math.sqrt(0.5))


def test_regression_fidelity_multi_output_averages_outputs():
    teacher = np.array([[1.0, 0.0], [2.0, 0.0], [3.0, 0.0], [4.0, 0.0]])
    student = np.array([[1.0, 1.0], [2.0, -1.0], [3.0, 1.0], [4.0, -1.0]])
    # output 0 exact (RMSE 0), output 1 off by 1 everywhere (RMSE 1)
    assert fidelity_rmse(teacher, student) == pytest.approx(0.5)
    # output 0: R² 1; output 1: constant teacher, imperfect copy -> 0
    assert fidelity_r2(teacher, student) == pytest.approx(0.5)


def test_regression_fidelity_errors():
    with pytest.raises(ValueError, match="teacher_pred and student_pred must have the same shape"):
        fidelity_r2([1.0, 2.0], [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="student_pred must not contain NaN"):
        fidelity_rmse([1.0, 2.0], [1.0, np.inf])
    with pytest.raises(TypeError, match="teacher_pred must hold real numbers"):
        fidelity_r2(["a", "b"], [1.0, 2.0])
    with pytest.raises(ValueError, match=r"sample_weight must have shape \(2,\)"):
        regression_fidelity([1.0, 2.0], [1.0, 2.0], sample_weight=[1.0])


def test_fidelity_r2_needs_two_rows():
    # r2_score warns and returns NaN on one row
    with pytest.raises(ValueError, match=r"fidelity_r2 needs at least two rows .* got 1"):
        fidelity_r2([1.0], [1.0])
    with pytest.raises(ValueError, match=r"at least two rows"):
        regression_fidelity([[1.0, 2.0]], [[1.0, 2.0]])
    assert fidelity_rmse([1.0], [3.0]) == 2.0
    assert fidelity_r2([1.0, 2.0], [1.0, 2.0]) == 1.0


# ------------------------------------------------------------------ scorers
@pytest.fixture(scope="module")
def quadrant_data():
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(300, 2))
    y = ((X[:, 0] > 0) & (X[:, 1] > 0)).astype(int)
    return X, y


@pytest.fixture(scope="module")
def fitted_classifier():
    X, y = load_iris(return_X_y=True)
    model = DistilledClassifier(
        LogisticRegression(max_iter=500),
        DecisionTreeClassifier(max_depth=2),
        temperature=2.0,
        teacher_targets="in_sample",
        random_state=0,
    ).fit(X, y)
    return model, X, y


def test_scorers_compare_student_with_own_teacher(fitted_classifier):
    model, X, _ = fitted_classifier
    teacher_pred, student_pred = model.teacher_.predict(X), model.predict(X)
    expected = fidelity_score(teacher_pred, student_pred)
    assert 0.8 < expected < 1.0  # a depth-2 tree does not copy the teacher exactly
    assert fidelity_scorer(model, X) == expected
    assert fidelity_scorer(model, X, np.zeros(len(X))) == expected  # y is ignored
    kl = kl_divergence(model.teacher_.predict_proba(X), model.predict_proba(X))
    assert kl > 0
    assert kl_scorer(model, X) == pytest.approx(-kl)
    assert SCORERS["neg_total_variation"](model, X) == pytest.approx(
        -total_variation(model.teacher_.predict_proba(X), model.predict_proba(X))
    )
    w = np.linspace(0.0, 1.0, len(X))
    assert fidelity_scorer(model, X, sample_weight=w) == pytest.approx(
        fidelity_score(teacher_pred, student_pred, sample_weight=w)
    )


def test_kl_scorer_aligns_teacher_columns_to_classes(quadrant_data):
    # The frozen-teacher path can give a distilled estimator more classes than
    # its teacher; the teacher's missing class gets probability 0.
    proba = np.array([[0.2, 0.8], [0.6, 0.4]])
    aligned = metrics._align_proba(proba, np.array([0, 2]), np.array([0, 1, 2]))
    np.testing.assert_array_equal(aligned, [[0.2, 0.0, 0.8], [0.6, 0.0, 0.4]])
    with pytest.raises(ValueError, match="classes_ are not all among"):
        metrics._align_proba(proba, np.array([0, 5]), np.array([0, 1, 2]))


def test_regression_scorers():
    X, y = make_regression(n_samples=200, n_features=4, noise=5.0, random_state=0)
    model = DistilledRegressor(
        DecisionTreeRegressor(max_depth=5, random_state=0),
        Ridge(),
        teacher_targets="in_sample",
    ).fit(X, y)
    teacher_pred, student_pred = model.teacher_.predict(X), model.predict(X)
    assert fidelity_r2_scorer(model, X) == pytest.approx(fidelity_r2(teacher_pred, student_pred))
    assert get_scorer("neg_fidelity_rmse")(model, X) == pytest.approx(
        -fidelity_rmse(teacher_pred, student_pred)
    )


def test_scorer_on_pipeline_ending_in_distilled(fitted_classifier):
    _, X, y = fitted_classifier
    pipe = make_pipeline(
        StandardScaler(),
        DistilledClassifier(
            LogisticRegression(max_iter=500),
            DecisionTreeClassifier(max_depth=2),
            teacher_targets="in_sample",
            random_state=0,
        ),
    ).fit(X, y)
    distilled, Xt = pipe[-1], pipe[:-1].transform(X)
    expected = fidelity_score(distilled.teacher_.predict(Xt), pipe.predict(X))
    assert fidelity_scorer(pipe, X) == expected


def test_scorer_errors(fitted_classifier):
    model, X, y = fitted_classifier
    with pytest.raises(TypeError, match="fidelity scorers need a distilled estimator"):
        fidelity_scorer(LogisticRegression(max_iter=500).fit(X, y), X)
    with pytest.raises(NotFittedError):
        fidelity_scorer(DistilledClassifier(LogisticRegression(), DecisionTreeClassifier()), X)
    no_proba = DistilledClassifier(
        LogisticRegression(max_iter=500), LinearSVC(), teacher_targets="in_sample"
    ).fit(X, y)
    assert not hasattr(no_proba, "predict_proba")
    with pytest.raises(TypeError, match="has no predict_proba"):
        kl_scorer(no_proba, X)
    with pytest.raises(TypeError, match="metric must be callable"):
        make_fidelity_scorer("accuracy")
    with pytest.raises(ValueError, match="response must be 'predict' or 'predict_proba'"):
        make_fidelity_scorer(fidelity_score, response="decision_function")


def test_get_scorer_names_and_fallback(fitted_classifier):
    model, X, y = fitted_classifier
    fidelity = get_scorer("fidelity")
    assert fidelity is not SCORERS["fidelity"]  # a copy, as sklearn.metrics.get_scorer
    assert fidelity(model, X) == fidelity_scorer(model, X)
    assert get_scorer("accuracy")(model, X, y) == model.score(X, y)
    assert get_scorer(fidelity_scorer) is fidelity_scorer and get_scorer(None) is None
    names = get_scorer_names()
    assert set(SCORERS) <= set(names) and "roc_auc" in names
    assert len(names) == len(set(names))
    with pytest.raises(ValueError, match=r"scoring='fidelty' is neither a skdistill scorer"):
        get_scorer("fidelty")
    with pytest.raises(TypeError, match="scoring must be a str, a callable or None"):
        get_scorer(3)
    assert repr(kl_scorer) == (
        "make_fidelity_scorer(kl_divergence, response='predict_proba', greater_is_better=False)"
    )


def test_resolve_scoring(fitted_classifier):
    model, X, y = fitted_classifier
    resolved = resolve_scoring(["fidelity", "accuracy"])
    assert resolved["fidelity"](model, X, y) == fidelity_scorer(model, X)
    assert resolved["accuracy"](model, X, y) == model.score(X, y)
    resolved = resolve_scoring({"fid": "fidelity", "kl": kl_scorer})
    assert resolved["kl"] is kl_scorer and resolved["fid"](model, X) == fidelity_scorer(model, X)
    assert resolve_scoring("neg_kl_divergence")(model, X) == kl_scorer(model, X)
    with pytest.raises(ValueError, match="distinct strings"):
        resolve_scoring(["fidelity", "fidelity"])
    with pytest.raises(TypeError, match="scoring must be a str, a callable, a list"):
        resolve_scoring(1.5)


def test_grid_search_refit_on_fidelity(quadrant_data):
    # teacher: depth-2 tree, perfect on the quadrant labels -> a depth-2
    # student copies it exactly, a depth-1 student cannot.
    X, y = quadrant_data
    model = DistilledClassifier(
        DecisionTreeClassifier(max_depth=2, random_state=0),
        DecisionTreeClassifier(random_state=0),
        teacher_targets="in_sample",
    )
    search = GridSearchCV(
        model,
        {"temperature": [1.0, 3.0], "student__max_depth": [1, 2]},
        scoring={"fidelity": fidelity_scorer, "accuracy": "accuracy", "kl": kl_scorer},
        refit="fidelity",
        cv=3,
    ).fit(X, y)
    results = search.cv_results_
    depth = np.array(results["param_student__max_depth"], dtype=int)
    fidelity = results["mean_test_fidelity"]
    assert np.all(np.isfinite(fidelity)) and np.all(np.isfinite(results["mean_test_kl"]))
    assert np.all(fidelity[depth == 2] > 0.98)
    assert np.all(fidelity[depth == 1] < 0.9)
    assert search.best_params_["student__max_depth"] == 2
    assert search.best_score_ == fidelity.max()
    assert search.score(X, y) == fidelity_scorer(search.best_estimator_, X)


def test_cross_validate_with_scoring_dict_and_names(quadrant_data):
    X, y = quadrant_data
    model = DistilledEstimator(
        DecisionTreeClassifier(max_depth=2, random_state=0),
        DecisionTreeClassifier(max_depth=1, random_state=0),
        teacher_targets="in_sample",
    )
    cv = KFold(3, shuffle=True, random_state=0)
    scores = cross_validate(
        model,
        X,
        y,
        cv=cv,
        return_estimator=True,
        scoring=resolve_scoring(["fidelity", "neg_kl_divergence", "accuracy"]),
    )
    for fold, (_, test) in enumerate(cv.split(X)):
        estimator = scores["estimator"][fold]
        assert scores["test_fidelity"][fold] == fidelity_score(
            estimator.teacher_.predict(X[test]), estimator.predict(X[test])
        )
        assert scores["test_neg_kl_divergence"][fold] < 0
        assert scores["test_accuracy"][fold] == estimator.score(X[test], y[test])


def test_scorer_receives_sample_weight_through_metadata_routing(quadrant_data):
    X, y = quadrant_data
    w = np.random.RandomState(1).uniform(0, 2, size=len(y))
    cv = KFold(3, shuffle=True, random_state=0)
    with config_context(enable_metadata_routing=True):
        # fit routes sample_weight to the teacher and the student that
        # request it: here neither, so only the weighted scorer gets them
        model = DistilledClassifier(
            DecisionTreeClassifier(max_depth=2, random_state=0).set_fit_request(
                sample_weight=False
            ),
            DecisionTreeClassifier(max_depth=1, random_state=0).set_fit_request(
                sample_weight=False
            ),
            teacher_targets="in_sample",
        )
        scores = cross_validate(
            model,
            X,
            y,
            cv=cv,
            return_estimator=True,
            params={"sample_weight": w},
            scoring={
                "fidelity": fidelity_scorer.set_score_request(sample_weight=True),
                "unweighted": fidelity_scorer,
            },
        )
    for fold, (_, test) in enumerate(cv.split(X)):
        estimator = scores["estimator"][fold]
        t, s = estimator.teacher_.predict(X[test]), estimator.predict(X[test])
        assert scores["test_fidelity"][fold] == pytest.approx(
            fidelity_score(t, s, sample_weight=w[test])
        )
        assert scores["test_unweighted"][fold] == pytest.approx(fidelity_score(t, s))
    # the weights made a difference, so the weighted numbers were routed
    assert not np.allclose(scores["test_fidelity"], scores["test_unweighted"])
    assert fidelity_scorer._sample_weight_request is None  # set_score_request copied


def test_multiclass_fidelity_with_classifier_data():
    X, y = make_classification(n_samples=200, n_classes=3, n_informative=4, random_state=0)
    model = DistilledClassifier(
        LogisticRegression(max_iter=500),
        LogisticRegression(C=0.01, max_iter=500),
        teacher_targets="in_sample",
    ).fit(X, y)
    value = fidelity_scorer(model, X)
    assert 0.5 < value <= 1.0
    assert kl_scorer(model, X) < 0
