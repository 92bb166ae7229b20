"""One fit path: the teacher fits a fit costs, the settings it resolves, and
the modules the steps may import."""

import ast
import dataclasses
from pathlib import Path

import numpy as np
import pytest
from sklearn.datasets import make_classification, make_regression
from sklearn.ensemble import RandomForestClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import KFold
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from skdistill import DistilledClassifier, DistilledRegressor
from skdistill._fit_steps import Settings

PACKAGE = Path(__file__).resolve().parents[1] / "skdistill"
FITS = []


class CountingLogistic(LogisticRegression):
    def fit(self, X, y, sample_weight=None):
        FITS.append(type(self).__name__)
        return super().fit(X, y, sample_weight=sample_weight)


class CountingForest(RandomForestClassifier):
    def fit(self, X, y, sample_weight=None):
        FITS.append(type(self).__name__)
        return super().fit(X, y, sample_weight=sample_weight)


class CountingRidge(Ridge):
    def fit(self, X, y, sample_weight=None):
        FITS.append(type(self).__name__)
        return super().fit(X, y, sample_weight=sample_weight)


@pytest.fixture(scope="module")
def data():
    return make_classification(n_samples=600, n_features=8, n_informative=5, random_state=0)


def _teacher_fits(model, X, y):
    FITS.clear()
    model.fit(X, y)
    return len(FITS)


@pytest.mark.parametrize(
    "teacher_targets, cv, expected",
    [("in_sample", 5, 1), ("oof", 5, 6), ("oof", 3, 4), ("auto", 4, 5)],
)
def test_defaults_fit_the_teacher_only_as_often_as_the_target_source_needs(
    data, teacher_targets, cv, expected
):
    X, y = data
    model = DistilledClassifier(
        CountingLogistic(),
        DecisionTreeClassifier(max_depth=3),
        teacher_targets=teacher_targets,
        cv=cv,
        random_state=0,
    )
    assert _teacher_fits(model, X, y) == expected
    assert model.tune_results_  # the defaults were tuned, for no extra teacher fit
    plain = model.set_params(temperature=1.0, alpha=0.0, transfer=None)
    assert _teacher_fits(plain, X, y) == expected


def test_out_of_bag_and_frozen_teachers_are_fitted_once_or_never(data):
    X, y = data
    forest = DistilledClassifier(
        CountingForest(n_estimators=20, random_state=0),
        DecisionTreeClassifier(max_depth=3),
        random_state=0,
    )
    assert _teacher_fits(forest, X, y) == 1
    assert forest.target_summary_["source"] == "oob" and forest.tune_results_
    fitted = CountingLogistic().fit(X, y)
    frozen = DistilledClassifier(
        FrozenEstimator(fitted), DecisionTreeClassifier(max_depth=3), random_state=0
    )
    assert _teacher_fits(frozen, X, y) == 0
    assert frozen.tune_results_


def test_regression_defaults_fit_the_teacher_cv_plus_one_times():
    X, y = make_regression(n_samples=300, n_features=5, noise=5.0, random_state=0)
    model = DistilledRegressor(CountingRidge(), DecisionTreeRegressor(max_depth=3), random_state=0)
    assert _teacher_fits(model, X, y) == 6
    assert [r["name"] for r in model.tune_results_][:2] == ["labels only", "no transfer"]


def test_out_of_fold_tuning_uses_the_target_folds(data):
    # The tuner validates on the folds of the out-of-fold targets, each
    # against the teacher fitted without them: "labels only" is then exactly
    # a label-trained tree per fold, scored against y and the OOF teacher.
    X, y = data
    folds = list(KFold(3).split(X))
    model = DistilledClassifier(
        LogisticRegression(),
        DecisionTreeClassifier(max_depth=3),
        teacher_targets="oof",
        cv=KFold(3),
        transfer=None,
        random_state=0,
    ).fit(X, y)
    seed = model.student_.random_state
    student_pred = np.concatenate(
        [
            DecisionTreeClassifier(max_depth=3, random_state=seed).fit(X[tr], y[tr]).predict(X[te])
            for tr, te in folds
        ]
    )
    teacher_pred = np.concatenate(
        [LogisticRegression().fit(X[tr], y[tr]).predict(X[te]) for tr, te in folds]
    )
    labels_only = model.tune_results_[0]
    assert labels_only["name"] == "labels only"
    assert labels_only["score"] == pytest.approx(np.mean(student_pred == y))
    assert labels_only["fidelity"] == pytest.approx(np.mean(student_pred == teacher_pred))


def test_tune_time_and_report(data):
    from skdistill import distillation_report

    X, y = data
    model = DistilledClassifier(
        LogisticRegression(), DecisionTreeClassifier(max_depth=3), transfer=None, random_state=0
    ).fit(X, y)
    assert model.tune_time_ > 0
    plain = DistilledClassifier(
        LogisticRegression(),
        DecisionTreeClassifier(max_depth=3),
        temperature=1.0,
        alpha=0.0,
        transfer=None,
    ).fit(X, y)
    assert plain.tune_time_ == 0.0
    report = distillation_report(model, X, y, n_repeats=1)
    assert report.student["tune_seconds"] == pytest.approx(model.tune_time_)
    assert "tune_seconds" in str(report)


def test_verbose_prints_every_candidate_per_fold(data, capsys):
    X, y = data
    DistilledClassifier(
        LogisticRegression(),
        DecisionTreeClassifier(max_depth=3),
        transfer=None,
        verbose=1,
        random_state=0,
    ).fit(X, y)
    out = capsys.readouterr().out
    assert out.count("[auto] fold ") == 3 * 3  # 3 folds x 3 candidates
    assert "fold 1/3: labels only" in out and "auto settings:" in out


def test_settings_replace():
    settings = Settings(temperature=2.0)
    assert dataclasses.replace(settings, alpha=0.5) == Settings(temperature=2.0, alpha=0.5)
    assert settings.alpha == 0.0


def _imported_modules(path):
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            names.add(node.module or "")
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize(
    "module, forbidden",
    [
        ("_tune.py", "_distill"),
        ("_fit_steps.py", "_distill"),
        ("_rounds.py", "_distill"),
        ("_fit_steps.py", "_tune"),
    ],
)
def test_no_import_circles(module, forbidden):
    assert not any(forbidden in name for name in _imported_modules(PACKAGE / module))


def test_no_function_over_sixty_lines_in_the_fit_path():
    for module in ("_distill.py", "_tune.py", "_fit_steps.py", "_rounds.py", "_targets.py"):
        tree = ast.parse((PACKAGE / module).read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef):
                body_start = node.body[0].lineno
                if isinstance(node.body[0], ast.Expr):  # docstring
                    body_start = node.body[0].end_lineno + 1
                assert node.end_lineno - body_start < 60, (module, node.name)
