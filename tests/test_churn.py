"""Churn-aware updates: churn metrics and scorers, the report's and the
path's churn, the churn-accuracy frontier plot, and the units of to_frame."""

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer
from sklearn.dummy import DummyClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.model_selection import GridSearchCV, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from skdistill import DistilledClassifier, DistilledRegressor, distill_path, distillation_report
from skdistill.metrics import bad_churn_score, churn_score, make_churn_scorer
from skdistill.students import SoftLogisticRegression, linear_prior


# --------------------------------------------------------------- metrics
def test_churn_score_hand_computed():
    previous = [0, 1, 2, 2, 1, 0]
    new = [0, 2, 2, 1, 1, 1]
    assert churn_score(previous, new) == pytest.approx(3 / 6)
    # weights 1,2,1,3,1,1: changed rows 1, 3, 5 weigh 2 + 3 + 1 = 6 of 9
    assert churn_score(previous, new, sample_weight=[1, 2, 1, 3, 1, 1]) == pytest.approx(6 / 9)
    assert churn_score(previous, previous) == 0.0
    # several outputs: a row changes when any output does
    assert churn_score([[0, 1], [1, 1]], [[0, 1], [1, 0]]) == 0.5


def test_bad_churn_score_hand_computed():
    y = np.array([0, 1, 1, 0, 1, 0, 1, 0])
    previous = np.array([0, 1, 1, 1, 0, 0, 1, 1])  # right on rows 0, 1, 2, 5, 6
    new = np.array([0, 0, 1, 0, 0, 1, 1, 0])  # 1 and 5: right -> wrong; 3, 7: wrong -> right
    assert bad_churn_score(y, previous, new) == pytest.approx(2 / 8)
    assert churn_score(previous, new) == pytest.approx(4 / 8)
    weights = [1, 3, 1, 1, 1, 1, 1, 1]  # row 1 counts three times: (3 + 1) / 10
    assert bad_churn_score(y, previous, new, sample_weight=weights) == pytest.approx(4 / 10)
    assert bad_churn_score(["a", "b"], ["a", "b"], ["b", "a"]) == 1.0


def test_churn_metric_errors():
    with pytest.raises(ValueError, match="previous_pred and new_pred must have the same shape"):
        churn_score([0, 1], [0, 1, 1])
    with pytest.raises(
        ValueError, match="previous_pred and new_pred must hold labels of the same"
    ):
        churn_score([0, 1], ["0", "1"])
    with pytest.raises(ValueError, match="y_true and new_pred must have the same shape"):
        bad_churn_score([0, 1], [0, 1], [0])
    with pytest.raises(ValueError, match="y_true and previous_pred must hold labels"):
        bad_churn_score(["a", "b"], [0, 1], [0, 1])
    with pytest.raises(ValueError, match="missing labels"):
        churn_score([0.0, np.nan], [0.0, 1.0])


# --------------------------------------------------------------- scorers
@pytest.fixture(scope="module")
def cancer():
    X, y = load_breast_cancer(return_X_y=True)
    return X, y


@pytest.fixture(scope="module")
def old_model(cancer):
    X, y = cancer
    return make_pipeline(StandardScaler(), LogisticRegression(C=0.01)).fit(X[:60], y[:60])


def test_churn_scorer_values(cancer, old_model):
    X, y = cancer
    new = make_pipeline(StandardScaler(), LogisticRegression()).fit(X, y)
    scorer = make_churn_scorer(old_model)
    bad = make_churn_scorer(old_model, bad=True)
    assert scorer(new, X, y) == -churn_score(old_model.predict(X), new.predict(X))
    assert bad(new, X, y) == -bad_churn_score(y, old_model.predict(X), new.predict(X))
    assert scorer(old_model, X) == 0.0  # -0.0
    weights = np.arange(len(y)) % 3
    assert scorer(new, X, y, sample_weight=weights) == pytest.approx(
        -churn_score(old_model.predict(X), new.predict(X), sample_weight=weights)
    )
    assert repr(bad) == "make_churn_scorer(Pipeline(...), bad=True)"
    with pytest.raises(ValueError, match="needs the true labels y"):
        bad(new, X)


def test_churn_scorer_in_model_selection(cancer, old_model):
    X, y = cancer
    previous = DummyClassifier(strategy="constant", constant=1).fit(X, y)
    grid = GridSearchCV(
        DummyClassifier(strategy="constant"),
        {"constant": [0, 1]},
        scoring={"neg_churn": make_churn_scorer(previous), "accuracy": "accuracy"},
        refit="neg_churn",
        cv=3,
    ).fit(X, y)
    assert grid.best_params_ == {"constant": 1}
    assert grid.cv_results_["mean_test_neg_churn"].tolist() == [-1.0, 0.0]
    result = cross_validate(
        make_pipeline(StandardScaler(), LogisticRegression()),
        X,
        y,
        scoring={
            "bad": make_churn_scorer(old_model, bad=True),
            "all": make_churn_scorer(old_model),
        },
        cv=3,
    )
    assert np.all(result["test_all"] <= result["test_bad"]) and np.all(result["test_all"] <= 0)


def test_churn_scorer_errors(old_model):
    with pytest.raises(TypeError, match="previous must be a fitted estimator with predict"):
        make_churn_scorer("model")
    with pytest.raises(TypeError, match="bad must be a bool"):
        make_churn_scorer(old_model, bad="yes")
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        make_churn_scorer(LogisticRegression())


# ---------------------------------------------------------------- report
def _update(old, student=None, alpha=0.0):
    return DistilledClassifier(
        FrozenEstimator(old),
        student if student is not None else make_pipeline(StandardScaler(), LogisticRegression()),
        temperature=1.0,
        alpha=alpha,
        transfer=None,
        random_state=0,
    )


def test_report_with_previous(cancer, old_model):
    X, y = cancer
    model = _update(old_model, alpha=1.0).fit(X[:400], y[:400])
    X_test, y_test = X[400:], y[400:]
    report = distillation_report(model, X_test, y_test, n_repeats=1, previous=old_model)
    old_pred, new_pred = old_model.predict(X_test), model.predict(X_test)
    assert report.churn["churn"] == churn_score(old_pred, new_pred)
    assert report.churn["bad_churn"] == bad_churn_score(y_test, old_pred, new_pred)
    assert report.churn["previous_accuracy"] == pytest.approx(np.mean(old_pred == y_test))
    assert report.churn["churn"] > 0
    text = str(report)
    assert "churn (student vs previous model)" in text and "bad_churn" in text
    assert report.to_dict()["churn"] == report.churn
    frame = report.to_frame()
    assert frame.loc["student", "churn"] == report.churn["churn"]
    assert np.isnan(frame.loc["teacher", "bad_churn"])
    # without labels: churn only
    unlabeled = distillation_report(model, X_test, n_repeats=1, previous=old_model)
    assert set(unlabeled.churn) == {"churn"}
    assert distillation_report(model, X_test, y_test, n_repeats=1).churn == {}


def test_report_previous_errors(cancer, old_model):
    X, y = cancer
    model = _update(old_model).fit(X[:200], y[:200])
    with pytest.raises(TypeError, match="previous must be a fitted classifier"):
        distillation_report(model, X, y, previous=object())
    regressor = DistilledRegressor(
        FrozenEstimator(Ridge().fit(X, y)), DecisionTreeRegressor(max_depth=2), alpha=0.0
    ).fit(X, y)
    with pytest.raises(ValueError, match="previous is for classifiers"):
        distillation_report(regressor, X, y, previous=old_model)


# ------------------------------------------------------------------ path
def test_distill_path_churn_over_alpha(cancer, old_model):
    X, y = cancer
    X_new, y_new = X[60:], y[60:]
    # alpha=0: the student learns the old model's own outputs, so (a linear
    # student of a linear teacher) it changes almost nothing.
    path = distill_path(
        _update(old_model),
        X_new,
        y_new,
        param="alpha",
        values=[0.0, 0.5, 1.0],
        previous=old_model,
        random_state=0,
        n_repeats=1,
    )
    assert path.has_churn
    assert path.churn[0] < 0.02 < path.churn[2]
    assert np.all(path.bad_churn <= path.churn)
    assert path.previous_score == pytest.approx(path.teacher_score)  # the old model is the teacher
    frame = path.to_frame()
    assert list(frame.columns[:7]) == [
        "alpha",
        "fidelity",
        "fidelity_std",
        "accuracy",
        "kl_divergence",
        "churn",
        "bad_churn",
    ]
    assert frame["churn"].tolist() == path.churn.tolist()
    assert frame.attrs["previous_score"] == path.previous_score
    assert "bad churn" in str(path)
    # the churn is the held-out rows' churn: rebuild it for alpha=1
    assert np.allclose(1 - path.fidelity, path.churn)  # frozen teacher == previous model


def test_distill_path_churn_over_prior_strength(cancer, old_model):
    X, y = cancer
    X_old = StandardScaler().fit(X[:60]).transform(X)
    old = SoftLogisticRegression(C=0.1).fit(X_old[:60], y[:60])
    model = DistilledClassifier(
        LogisticRegression(),
        SoftLogisticRegression(**linear_prior(old), max_iter=1000),
        alpha=1.0,
        temperature=1.0,
        transfer=None,
        teacher_targets="in_sample",
        random_state=0,
    )
    path = distill_path(
        model,
        X_old[60:],
        y[60:],
        param="student__prior_strength",
        values=[1e-3, 1e6],
        previous=old,
        random_state=0,
        n_repeats=1,
    )
    # a loose anchor fits the new rows (changing many of the old model's
    # mistakes), an extreme one reproduces the old model
    assert path.churn[0] > 0.1 and path.score[0] > path.previous_score + 0.05
    assert path.churn[1] == 0.0 and path.score[1] == path.previous_score
    assert np.all(path.bad_churn <= path.churn)


def test_path_to_frame_units(cancer):
    X, y = cancer
    model = DistilledClassifier(
        DecisionTreeClassifier(max_depth=3, random_state=0),
        DecisionTreeClassifier(random_state=0),
        teacher_targets="in_sample",
    )
    path = distill_path(model, X, y, values=[1, 2], random_state=0, n_repeats=1)
    frame = path.to_frame()
    assert not path.has_churn and "churn" not in frame.columns
    assert {"size_bytes", "latency_ms_per_1k", "fit_seconds"} <= set(frame.columns)
    assert not {"n_bytes", "latency_ms", "fit_time"} & set(frame.columns)
    assert frame["size_bytes"].tolist() == path.n_bytes.tolist()
    assert frame["latency_ms_per_1k"].tolist() == path.latency_ms.tolist()
    assert "previous_score" not in frame.attrs
    with pytest.raises(ValueError, match="previous is for classifiers"):
        distill_path(
            DistilledRegressor(Ridge(), DecisionTreeRegressor()),
            X,
            y.astype(float),
            values=[1],
            previous=DummyClassifier().fit(X, y),
        )


# ------------------------------------------------------------------ plot
def test_churn_frontier_plot(cancer, old_model):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from skdistill.plotting import ChurnFrontierDisplay, plot_churn_frontier

    X, y = cancer
    path = distill_path(
        _update(old_model),
        X[60:],
        y[60:],
        param="alpha",
        values=[0.0, 1.0],
        previous=old_model,
        random_state=0,
        n_repeats=1,
    )
    display = ChurnFrontierDisplay.from_paths({"distillation": path}, bad=True)
    line = display.lines_["distillation"]
    assert np.allclose(line.get_xdata(), path.bad_churn)
    assert np.allclose(line.get_ydata(), path.score)
    assert display.previous_line_.get_ydata()[0] == pytest.approx(path.previous_score)
    assert "bad churn" in display.ax_.get_xlabel()
    fig, ax = plt.subplots()
    assert plot_churn_frontier(path, ax=ax) is ax
    assert ax.get_lines()[0].get_label() == "alpha (alpha)"
    plain = distill_path(
        _update(old_model), X[60:], y[60:], param="alpha", values=[0.0], n_repeats=1
    )
    with pytest.raises(ValueError, match="has no churn"):
        plot_churn_frontier({"plain": plain})
    with pytest.raises(TypeError, match="paths must be a DistillationPath"):
        plot_churn_frontier([path])
    with pytest.raises(TypeError, match="bad must be a bool"):
        plot_churn_frontier(path, bad=1)
    plt.close("all")


# ------------------------------------------------------------- benchmark
def test_bench_churn_summary_and_render():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import bench_churn

    def row(method, setting, accuracy, churn):
        return {
            "old model on": "half",
            "model": "logistic",
            "method": method,
            "setting": setting,
            "accuracy": accuracy,
            "accuracy sd": 0.0,
            "churn": churn,
            "bad churn": churn / 2,
        }

    rows = [
        row("old model", "", 0.80, 0.0),
        row("retrain", "", 0.85, 0.10),
        row("distillation", "alpha=0", 0.8495, 0.02),  # within 0.2 points
        row("distillation", "alpha=0.5", 0.86, 0.05),
        row("anchoring", "s=1", 0.84, 0.03),  # too inaccurate; dominated by alpha=0
        row("anchoring", "s=10", 0.855, 0.06),  # dominated by alpha=0.5
    ]
    best = {r["method"]: r for r in bench_churn.summary(rows)}
    assert best["distillation"]["best setting"] == "alpha=0"
    assert best["distillation"]["churn / retrain churn"] == pytest.approx(0.2)
    assert best["anchoring"]["best setting"] == "s=10"
    assert bench_churn.dominated(rows, ("half", "logistic"), "anchoring", "distillation") == (2, 2)
    assert bench_churn.dominated(rows, ("half", "logistic"), "distillation", "anchoring") == (0, 2)
    text = bench_churn.render({"quick": True, "n_seeds": 1, "rows": rows})
    assert "least churn at equal accuracy 0.0200 (distillation) vs 0.0600" in text
    assert "(distillation dominating anchoring) holds." in text


def test_churn_scorer_metadata_routing(cancer, old_model):
    from sklearn import config_context
    from sklearn.model_selection import KFold

    X, y = cancer
    w = np.random.RandomState(0).uniform(0, 2, size=len(y))
    cv = KFold(3, shuffle=True, random_state=0)
    with config_context(enable_metadata_routing=True):
        scores = cross_validate(
            LogisticRegression(max_iter=5000).set_fit_request(sample_weight=False),
            X,
            y,
            cv=cv,
            return_estimator=True,
            params={"sample_weight": w},
            scoring={
                "weighted": make_churn_scorer(old_model).set_score_request(sample_weight=True),
                "plain": make_churn_scorer(old_model),
            },
        )
    for fold, (_, test) in enumerate(cv.split(X)):
        old_pred = old_model.predict(X[test])
        new_pred = scores["estimator"][fold].predict(X[test])
        assert scores["test_weighted"][fold] == pytest.approx(
            -churn_score(old_pred, new_pred, sample_weight=w[test])
        )
        assert scores["test_plain"][fold] == pytest.approx(-churn_score(old_pred, new_pred))
    assert not np.allclose(scores["test_weighted"], scores["test_plain"])
