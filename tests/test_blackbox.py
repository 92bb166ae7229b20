"""Black-box teachers: a function you can only call, distilled like a
frozen teacher (issue 12, "Black-box teachers")."""

import pickle

import numpy as np
import pytest
from sklearn.base import clone, is_classifier, is_regressor
from sklearn.datasets import make_classification, make_regression
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from sklearn.utils.validation import check_is_fitted

from skdistill import (
    BlackBoxTeacher,
    DistilledClassifier,
    DistilledEstimator,
    DistilledRegressor,
    Munge,
)

# Module-level "services" so that the teachers pickle (by reference).
X_FIT, Y_FIT = make_classification(
    n_samples=240, n_features=5, n_informative=3, n_classes=3, random_state=0
)
_REMOTE = LogisticRegression(max_iter=1000).fit(X_FIT, Y_FIT)
X_REG, Y_REG = make_regression(n_samples=200, n_features=4, noise=5.0, random_state=0)
_REMOTE_REG = LinearRegression().fit(X_REG, Y_REG)


def remote_proba(X):
    return _REMOTE.predict_proba(np.asarray(X, dtype=np.float64))


def remote_value(X):
    return _REMOTE_REG.predict(np.asarray(X, dtype=np.float64))


class CountingCalls:
    """A callable that records the rows it was asked about."""

    def __init__(self, fn):
        self.fn = fn
        self.rows = []

    def __call__(self, X):
        self.rows.append(np.asarray(X).shape[0])
        return self.fn(X)


def _plain(**params):
    return dict(temperature=2.0, alpha=0.0, transfer=None, random_state=0, **params)


# ------------------------------------------------------------ the teacher
def test_black_box_teacher_is_a_fitted_classifier_or_regressor():
    teacher = BlackBoxTeacher(remote_proba, classes=[0, 1, 2])
    assert is_classifier(teacher) and not is_regressor(teacher)
    assert teacher.fit(X_FIT, Y_FIT) is teacher
    check_is_fitted(teacher)  # usable frozen: FrozenEstimator(teacher) works too
    np.testing.assert_array_equal(teacher.classes_, [0, 1, 2])
    np.testing.assert_allclose(teacher.predict_proba(X_FIT), _REMOTE.predict_proba(X_FIT))
    np.testing.assert_array_equal(teacher.predict(X_FIT), _REMOTE.predict(X_FIT))
    assert teacher.score(X_FIT, Y_FIT) == pytest.approx(_REMOTE.score(X_FIT, Y_FIT))
    regressor = BlackBoxTeacher(predict_fn=remote_value)
    assert is_regressor(regressor) and not hasattr(regressor, "predict_proba")
    assert regressor.score(X_REG, Y_REG) == pytest.approx(_REMOTE_REG.score(X_REG, Y_REG))
    assert not hasattr(regressor, "classes_")


def test_clone_is_the_object_and_the_function_is_a_parameter():
    teacher = BlackBoxTeacher(remote_proba, classes=[0, 1, 2])
    assert clone(teacher) is teacher
    assert teacher.get_params()["predict_proba_fn"] is remote_proba
    again = pickle.loads(pickle.dumps(teacher))
    assert again.predict_proba_fn is remote_proba  # pickled by its importable name
    np.testing.assert_array_equal(again.predict(X_FIT[:5]), teacher.predict(X_FIT[:5]))


def test_distilling_a_black_box_never_fits_it_and_matches_a_frozen_teacher():
    calls = CountingCalls(remote_proba)
    teacher = BlackBoxTeacher(calls, classes=[0, 1, 2])
    student = DecisionTreeClassifier(max_depth=3)
    model = DistilledClassifier(teacher, student, **_plain()).fit(X_FIT, Y_FIT)
    frozen = DistilledClassifier(FrozenEstimator(_REMOTE), student, **_plain()).fit(X_FIT, Y_FIT)
    assert model.teacher_ is teacher
    assert model.target_summary_ == frozen.target_summary_
    assert model.target_summary_["source"] == "in_sample"
    np.testing.assert_allclose(model.predict_proba(X_FIT), frozen.predict_proba(X_FIT))
    assert sum(calls.rows) >= len(X_FIT)  # it labelled the training rows


def test_transfer_rows_are_labelled_through_the_function():
    calls = CountingCalls(remote_proba)
    teacher = BlackBoxTeacher(calls, classes=[0, 1, 2])
    model = DistilledClassifier(
        teacher,
        DecisionTreeClassifier(max_depth=4),
        temperature=1.0,
        alpha=0.0,
        transfer=Munge(size_factor=2),
        random_state=0,
    ).fit(X_FIT, Y_FIT)
    assert model.n_transfer_samples_ == 2 * len(X_FIT)
    # the training rows, the consistency check's rows, then the MUNGE rows
    assert 2 * len(X_FIT) in calls.rows


def test_auto_settings_and_verbose_say_the_teacher_is_used_as_is(capsys):
    model = DistilledClassifier(
        BlackBoxTeacher(remote_proba, classes=[0, 1, 2]),
        DecisionTreeClassifier(max_depth=3),
        random_state=0,
        verbose=1,
    ).fit(X_FIT, Y_FIT)
    out = capsys.readouterr().out
    assert "BlackBoxTeacher teacher used as is (in_sample targets" in out
    assert model.tune_results_ and set(model.tuned_params_) == {"temperature", "alpha", "transfer"}


def test_regression_black_box_and_distilled_estimator_follow_its_type():
    teacher = BlackBoxTeacher(predict_fn=remote_value)
    model = DistilledRegressor(teacher, DecisionTreeRegressor(max_depth=4), alpha=0.0)
    model.fit(X_REG, Y_REG)
    assert model.target_summary_["teacher_r2"] == pytest.approx(_REMOTE_REG.score(X_REG, Y_REG))
    assert is_regressor(DistilledEstimator(teacher, DecisionTreeRegressor()))
    proba_teacher = BlackBoxTeacher(remote_proba, classes=[0, 1, 2])
    assert is_classifier(DistilledEstimator(proba_teacher, DecisionTreeClassifier()))


def test_string_classes_in_any_column_order():
    names = np.array(["c", "a", "b"])  # the service's column order, not sorted
    labels = names[Y_FIT]
    teacher = BlackBoxTeacher(remote_proba, classes=names)
    model = DistilledClassifier(teacher, DecisionTreeClassifier(max_depth=3), **_plain())
    model.fit(X_FIT, labels)
    assert list(model.classes_) == ["a", "b", "c"]
    assert np.mean(model.predict(X_FIT) == teacher.predict(X_FIT)) > 0.8


def test_sample_weight_is_accepted_and_ignored_by_the_black_box():
    w = np.linspace(0.5, 2.0, len(Y_FIT))
    teacher = BlackBoxTeacher(remote_proba, classes=[0, 1, 2])
    model = DistilledClassifier(teacher, DecisionTreeClassifier(max_depth=3), **_plain())
    weighted = model.fit(X_FIT, Y_FIT, sample_weight=w).predict_proba(X_FIT)
    plain = clone(model).fit(X_FIT, Y_FIT).predict_proba(X_FIT)
    assert not np.allclose(weighted, plain)  # the student used them


def test_rounded_probabilities_are_renormalised():
    def rounded(X):
        return np.round(remote_proba(X), 3)

    proba = BlackBoxTeacher(rounded, classes=[0, 1, 2]).predict_proba(X_FIT)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


# ------------------------------------------------------------ bad inputs
def _fit_with(fn, classes=(0, 1, 2), **params):
    teacher = BlackBoxTeacher(fn, classes=list(classes))
    model = DistilledClassifier(teacher, DecisionTreeClassifier(max_depth=2), **_plain(**params))
    return model.fit(X_FIT, Y_FIT)


def _row_seven_off(X):
    proba = remote_proba(X)
    proba[7] *= 0.9
    return proba


@pytest.mark.parametrize(
    "fn, match",
    [
        (lambda X: remote_proba(X)[:, :2], r"shape \(240, 2\) for 240 rows; expected \(240, 3\)"),
        (lambda X: remote_proba(X)[:-1], r"shape \(239, 3\) for 240 rows"),
        (lambda X: remote_proba(X) * 2, "outside \\[0, 1\\]"),
        (_row_seven_off, "row 7 sums to 0.9 "),
        (lambda X: np.full((len(X), 3), np.nan), "720 NaN or infinite values"),
        (lambda X: [["a", "b", "c"]] * len(X), "must return numbers"),
    ],
)
def test_bad_outputs_are_refused_naming_the_teacher(fn, match):
    with pytest.raises(ValueError, match="teacher BlackBoxTeacher") as info:
        _fit_with(fn)
    assert info.match(match)


def test_bad_parameters_are_refused_naming_the_teacher():
    with pytest.raises(TypeError, match="teacher BlackBoxTeacher: predict_proba_fn must be a"):
        _fit_with("not a function")
    with pytest.raises(ValueError, match="classes is required"):
        DistilledClassifier(BlackBoxTeacher(remote_proba), DecisionTreeClassifier()).fit(
            X_FIT, Y_FIT
        )
    with pytest.raises(ValueError, match="at least two distinct labels"):
        _fit_with(remote_proba, classes=(0, 0, 1))
    with pytest.raises(ValueError, match="both are None"):
        BlackBoxTeacher().fit()
    with pytest.raises(ValueError, match="classes is given but predict_proba_fn is None"):
        BlackBoxTeacher(predict_fn=remote_value, classes=[0, 1]).fit()
    with pytest.raises(ValueError, match=r"predict_fn returned shape \(3,\) for 200 rows"):
        BlackBoxTeacher(predict_fn=lambda X: np.zeros(3)).predict(X_REG)


def test_refit_sources_are_refused():
    for source in ("oof", "oob"):
        with pytest.raises(ValueError, match="teacher is a BlackBoxTeacher, used as is"):
            _fit_with(remote_proba, teacher_targets=source)


def test_a_plain_function_as_teacher_points_to_the_wrapper():
    with pytest.raises(TypeError, match=r"wrap a function you can only call in .*BlackBoxTeacher"):
        DistilledClassifier(remote_proba, DecisionTreeClassifier()).fit(X_FIT, Y_FIT)


def test_classes_are_the_union_of_the_labels_and_the_black_box_classes():
    y = np.where(Y_FIT == 2, 5, Y_FIT)  # a label the service never heard of
    model = DistilledClassifier(
        BlackBoxTeacher(remote_proba, classes=[0, 1, 2]),
        DecisionTreeClassifier(max_depth=2),
        **_plain(),
    ).fit(X_FIT, y)
    # The union of the classes: 5 is learnt from the labels only.
    assert list(model.classes_) == [0, 1, 2, 5]


def test_predict_fn_that_disagrees_with_its_probabilities_is_caught():
    def wrong_labels(X):
        return (remote_proba(X).argmax(axis=1) + 1) % 3

    teacher = BlackBoxTeacher(remote_proba, predict_fn=wrong_labels, classes=[0, 1, 2])
    with pytest.raises(ValueError, match="scores do not follow its predictions"):
        DistilledClassifier(teacher, DecisionTreeClassifier(), **_plain()).fit(X_FIT, Y_FIT)


# --------------------------------------------------------------- the CLI
@pytest.mark.parametrize("kind", ["classification", "regression"])
def test_command_line_distils_a_pickled_black_box(tmp_path, capsys, kind):
    # In-process (main): the pickle names this test module's function, which
    # a subprocess could not import.
    import joblib
    import pandas as pd

    from skdistill.cli import main

    if kind == "classification":
        teacher, X, y = BlackBoxTeacher(remote_proba, classes=[0, 1, 2]), X_FIT, Y_FIT
    else:
        teacher, X, y = BlackBoxTeacher(predict_fn=remote_value), X_REG, Y_REG
    joblib.dump(teacher, tmp_path / "teacher.joblib")
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])]).assign(target=y)
    frame.to_csv(tmp_path / "train.csv", index=False)
    argv = [
        "distill",
        "--teacher",
        str(tmp_path / "teacher.joblib"),
        "--data",
        str(tmp_path / "train.csv"),
        "--target",
        "target",
        "--student",
        "tree:max_depth=4",
        "--out",
        str(tmp_path / "student.joblib"),
        "--quiet",
    ]
    assert main(argv) == 2  # a pickle needs --trust
    assert "--trust" in capsys.readouterr().err
    assert main(argv + ["--trust"]) == 0, capsys.readouterr().err
    model = joblib.load(tmp_path / "student.joblib")
    assert model.teacher_.estimator.get_params() == teacher.get_params()
    assert model.target_summary_["source"] == "in_sample"
    if kind == "classification":
        assert np.mean(model.predict(X) == teacher.predict(X)) > 0.8
    else:
        assert model.score(X, teacher.predict(X)) > 0.5


# ------------------------------------------------ with the other features
def test_feature_budget_rounds_and_parallel_labelling_work_through_the_function():
    teacher = BlackBoxTeacher(remote_proba, classes=[0, 1, 2])
    budget = DistilledClassifier(
        teacher, DecisionTreeClassifier(max_depth=3), feature_budget=2, **_plain()
    ).fit(X_FIT, Y_FIT)
    assert budget.feature_importance_source_ == "permutation"  # no feature_importances_
    assert len(budget.student_features_) == 2
    rounds = DistilledClassifier(
        teacher, DecisionTreeClassifier(max_depth=3), transfer_rounds=1, **_plain()
    ).fit(X_FIT, Y_FIT)
    # a round ran: the teacher labelled the candidates the student got wrong
    assert len(rounds.transfer_fidelity_) == 2 and rounds.best_transfer_round_ in (0, 1)
    serial, parallel = (
        DistilledClassifier(
            teacher,
            DecisionTreeClassifier(max_depth=3),
            temperature=2.0,
            alpha=0.0,
            transfer=Munge(size_factor=2),
            batch_size=100,
            n_jobs=n_jobs,
            random_state=0,
        ).fit(X_FIT, Y_FIT)
        for n_jobs in (1, 2)
    )
    np.testing.assert_array_equal(serial.predict_proba(X_FIT), parallel.predict_proba(X_FIT))
