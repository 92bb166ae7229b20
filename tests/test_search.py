"""search_students: families raced under a budget, one teacher fit."""

import numpy as np
import pytest
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression

from skdistill import DistilledClassifier, DistilledRegressor, Munge, search_students
from skdistill._search_budget import check_budget, over_budget
from skdistill._search_families import FAMILIES, family_ladders
from skdistill._search_race import MIN_ROWS, rung_sizes
from skdistill._search_result import pareto_frontier
from skdistill.search import StudentSearch

FITS = []


class CountingForest(RandomForestClassifier):
    def fit(self, X, y, sample_weight=None):
        FITS.append(type(self).__name__)
        return super().fit(X, y, sample_weight=sample_weight)


def forest(n_estimators=30):
    return RandomForestClassifier(n_estimators=n_estimators, random_state=0)


@pytest.fixture(scope="module")
def additive():
    """y from a sum of non-monotone 1-D functions: a GAM's form, not a
    small tree's nor a linear model's."""
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(800, 4))
    f = np.sin(3 * X[:, 0]) + (2 * X[:, 1] ** 2 - 0.7) + np.cos(3 * X[:, 2]) - 0.3
    return X, (f > 0).astype(int)


@pytest.fixture(scope="module")
def xor():
    """An axis-aligned interaction: a few leaves of a tree, nothing additive."""
    rng = np.random.RandomState(1)
    X = rng.uniform(-1, 1, size=(800, 4))
    return X, ((X[:, 0] > 0.2) ^ (X[:, 1] > -0.3)).astype(int)


@pytest.fixture(scope="module")
def additive_search(additive):
    X, y = additive
    return search_students(
        forest(50), X, y, budget={"max_leaves": 16, "interpretable": True}, random_state=0
    )


# ----------------------------------------------------------------- choices
def test_additive_problem_chooses_the_gam(additive_search):
    search = additive_search
    assert search.best["family"] == "gam"
    by_family = {}
    for record in search.candidates:
        if record["status"] == "finished":
            by_family[record["family"]] = max(
                by_family.get(record["family"], 0), record["fidelity"]
            )
    # the GAM beats the best 16-leaf tree and the linear model clearly
    assert by_family["gam"] > by_family["tree"] + 0.02
    assert by_family["gam"] > by_family["linear"] + 0.1
    assert search.skipped == {"boosting": "not interpretable (budget interpretable=True)"}


def test_xor_problem_chooses_a_small_tree(xor):
    X, y = xor
    search = search_students(
        forest(), X, y, budget={"max_leaves": 16}, target_fidelity=0.97, random_state=0
    )
    assert search.best["family"] == "tree"
    assert search.best["fidelity"] >= 0.97
    assert search.best["n_leaves"] <= 16
    gam = [r["fidelity"] for r in search.candidates if r["family"] == "gam"]
    assert max(gam) < 0.8  # an additive model cannot draw XOR
    # the smallest student reaching the target: nothing smaller reaches it
    reaching = [
        r for r in search.candidates if r["status"] == "finished" and r["fidelity"] >= 0.97
    ]
    assert search.best["n_bytes"] == min(r["n_bytes"] for r in reaching)


def test_best_estimator_is_the_chosen_student_distilled_on_all_rows(additive, additive_search):
    X, y = additive
    model = additive_search.best_estimator
    assert isinstance(model, DistilledClassifier)
    assert isinstance(model.teacher_, FrozenEstimator)
    assert type(model.student_).__name__ == "SoftGAMClassifier"
    assert model.student_.get_params()["max_bins"] == additive_search.best["params"]["max_bins"]
    assert model.temperature_ == 1.0 and model.alpha_ == 0.0
    # distilled on every row: it follows the teacher on the training rows
    assert np.mean(model.predict(X) == model.teacher_.predict(X)) > 0.93


# ------------------------------------------------------------------- cost
def test_teacher_is_fitted_once_for_the_whole_search(xor):
    X, y = xor
    FITS.clear()
    search = search_students(
        CountingForest(n_estimators=10, random_state=0),
        X,
        y,
        budget={"max_leaves": 8},
        cv=3,
        transfer=Munge(size_factor=1),
        random_state=0,
    )
    assert FITS == ["CountingForest"]
    assert len(search.candidates) > 5
    assert search.teacher_fit_time > 0


def test_frozen_teacher_is_never_refitted(xor):
    X, y = xor
    FITS.clear()
    teacher = FrozenEstimator(CountingForest(n_estimators=10, random_state=0).fit(X, y))
    FITS.clear()
    search = search_students(teacher, X, y, families=["tree"], random_state=0)
    assert FITS == []
    assert search.best_estimator.teacher_ is teacher


def test_successive_halving_rungs():
    assert rung_sizes(100, 20) == [100]  # too few rows to halve
    assert rung_sizes(9 * MIN_ROWS, 20) == [MIN_ROWS, 3 * MIN_ROWS, 9 * MIN_ROWS]
    assert rung_sizes(9 * MIN_ROWS, 3) == [3 * MIN_ROWS, 9 * MIN_ROWS]  # 2 rungs halve 3


def test_race_keeps_each_familys_best_and_larger_sizes(capsys):
    rng = np.random.RandomState(2)
    X = rng.uniform(-1, 1, size=(4 * MIN_ROWS, 3))
    y = (X[:, 0] + X[:, 1] ** 2 > 0.3).astype(int)
    search = search_students(
        forest(10), X, y, families=["tree", "linear"], random_state=0, verbose=1
    )
    assert search.rung_rows == [MIN_ROWS, 3 * MIN_ROWS]
    trees = [r for r in search.candidates if r["family"] == "tree"]
    finished = [r["status"] == "finished" for r in trees]
    # the eliminated sizes are the smallest ones, below the first rung's best tree
    assert finished == sorted(finished) and 0 < sum(finished) < len(trees)
    assert all(r["status"] == "eliminated at rung 1" for r, f in zip(trees, finished) if not f)
    assert all(r["n_rows"] == MIN_ROWS for r, f in zip(trees, finished) if not f)
    assert all(r["n_rows"] == 3 * MIN_ROWS for r, f in zip(trees, finished) if f)
    assert search.candidates[-1]["status"] == "finished"  # linear: its family's best
    out = capsys.readouterr().out
    assert "[search_students] rung 1/2: 6 candidates on 1000 rows" in out
    assert "[search_students] chosen: " in out


# ---------------------------------------------------------------- budgets
def test_budget_leaves_bytes_and_latency_are_honoured(xor):
    X, y = xor
    search = search_students(
        forest(), X, y, budget={"max_leaves": 8, "max_bytes": 3000}, random_state=0
    )
    for record in search.candidates:
        assert not record["n_leaves"] > 8
        if record["status"] == "finished":
            assert record["n_bytes"] <= 3000
    assert any(r["status"].startswith("over budget: n_bytes=") for r in search.candidates)
    assert "gam" in search.skipped and "over the budget" in search.skipped["gam"]
    assert search.best["n_bytes"] <= 3000
    with pytest.raises(ValueError, match="no candidate student fits the budget"):
        search_students(
            forest(),
            X,
            y,
            budget={"max_predict_ms_per_1k": 1e-6},
            families=["tree"],
            random_state=0,
        )


def test_budget_max_features_limits_the_students_inputs(xor):
    X, y = xor
    search = search_students(
        forest(), X, y, budget={"max_features": 2}, families=["tree"], random_state=0
    )
    model = search.best_estimator
    np.testing.assert_array_equal(model.student_features_, [0, 1])  # the XOR's columns
    assert model.student_.n_features_in_ == 2


def test_leaf_budget_skips_families_that_cannot_meet_it():
    ladders, skipped = family_ladders(
        list(FAMILIES), classification=True, max_leaves=3, interpretable=False, n_trees=3
    )
    assert ladders["tree"] == [{"max_leaf_nodes": 3}]
    assert "boosting" in skipped and "over max_leaves=3" in skipped["boosting"]
    boosting, _ = family_ladders(
        ["boosting"], classification=True, max_leaves=64, interpretable=False, n_trees=1
    )
    for params in boosting["boosting"]:
        assert params["n_estimators"] * 2 ** params["max_depth"] <= 64


def test_over_budget_reasons():
    budget = check_budget({"max_leaves": 8, "max_bytes": 100}, n_features=3)
    assert over_budget(budget, {"n_leaves": 8, "n_bytes": 100}) is None
    assert over_budget(budget, {"n_leaves": 9, "n_bytes": 10}) == "n_leaves=9 > max_leaves=8"
    assert over_budget(budget, {"n_leaves": np.nan, "n_bytes": 101}).startswith("n_bytes=101")
    assert budget.as_dict() == {"max_leaves": 8, "max_bytes": 100}


# ------------------------------------------------------------- frontier
def test_pareto_frontier():
    fidelity = np.array([0.9, 0.8, 0.95, 0.95, 0.7])
    n_bytes = np.array([100.0, 50, 300, 200, 60])
    assert pareto_frontier(fidelity, n_bytes) == [1, 0, 3]


def test_frontier_and_frame(additive_search):
    pytest.importorskip("pandas")
    search = additive_search
    frame = search.to_frame()
    assert len(frame) == len(search.candidates)
    assert {"fidelity", "accuracy", "n_bytes", "predict_ms_per_1k", "on_frontier"} <= set(
        frame.columns
    )
    assert frame["chosen"].sum() == 1
    assert frame.loc[frame["chosen"], "candidate"].item() == search.best["name"]
    front = frame[frame["on_frontier"]].sort_values("n_bytes")
    assert np.all(np.diff(front["fidelity"].to_numpy()) > 0)
    text = str(search)
    assert "chosen: gam(" in text and "skipped boosting" in text
    assert "<table>" in search._repr_html_()
    assert repr(search).startswith("<StudentSearch: 7 candidates")


# ------------------------------------------------------------ regression
def test_regression_search():
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(500, 3))
    y = np.sin(3 * X[:, 0]) + X[:, 1] ** 2 + 0.1 * rng.normal(size=500)
    search = search_students(
        RandomForestRegressor(n_estimators=20, random_state=0),
        X,
        y,
        budget={"max_leaves": 32},
        random_state=0,
    )
    assert search.score_name == "r2"
    assert isinstance(search.best_estimator, DistilledRegressor)
    assert search.best["fidelity"] > 0.8
    assert search.best["family"] in ("gam", "boosting")
    assert "temperature" not in search.settings


# -------------------------------------------------------- determinism
def test_same_random_state_same_search(xor):
    X, y = xor
    runs = [
        search_students(forest(10), X, y, budget={"max_leaves": 8}, random_state=3)
        for _ in range(2)
    ]
    for a, b in zip(runs[0].candidates, runs[1].candidates):
        assert a["name"] == b["name"] and a["fidelity"] == b["fidelity"]
        assert a["n_bytes"] == b["n_bytes"]
    np.testing.assert_array_equal(
        runs[0].best_estimator.predict_proba(X), runs[1].best_estimator.predict_proba(X)
    )


# -------------------------------------------------------------- inputs
@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (
            {"budget": {"max_leafs": 3}},
            ValueError,
            r"unknown key\(s\) \['max_leafs'\].*max_leaves",
        ),
        ({"budget": [("max_leaves", 3)]}, TypeError, "budget must be a dict"),
        ({"budget": {"max_leaves": 0}}, ValueError, r"budget\['max_leaves'\] must be in"),
        ({"budget": {"max_features": 9}}, ValueError, r"budget\['max_features'\]"),
        ({"budget": {"interpretable": "yes"}}, TypeError, "interpretable"),
        ({"budget": {"max_predict_ms_per_1k": -1}}, ValueError, "max_predict_ms_per_1k"),
        ({"families": ["tree", "forest"]}, ValueError, r"unknown name\(s\) \['forest'\]"),
        ({"families": []}, ValueError, "empty list"),
        ({"families": "tree"}, TypeError, "families must be 'auto' or a list"),
        ({"temperature": "auto"}, ValueError, "fixed settings"),
        ({"alpha": 2.0}, ValueError, "alpha must be in"),
        ({"target_fidelity": 1.5}, ValueError, "target_fidelity"),
        ({"validation_fraction": 1.0}, ValueError, "validation_fraction"),
        ({"n_jobs": 0}, ValueError, "n_jobs"),
        ({"random_state": "seed"}, TypeError, "random_state"),
    ],
)
def test_bad_inputs(xor, kwargs, error, match):
    X, y = xor
    with pytest.raises(error, match=match):
        search_students(forest(5), X, y, **kwargs)


def test_bad_teacher_and_data(xor):
    X, y = xor
    with pytest.raises(TypeError, match="teacher must be"):
        search_students("forest", X, y)
    with pytest.raises(ValueError, match="same number of rows"):
        search_students(forest(5), X, y[:-1])
    with pytest.raises(ValueError, match="y must be 1-D"):
        search_students(forest(5), X, np.c_[y, y])
    with pytest.raises(ValueError, match="X must be 2-D"):
        search_students(forest(5), X[:, 0], y)


def test_inputs_are_not_modified(xor):
    X, y = xor
    X_copy, y_copy = X.copy(), y.copy()
    teacher = LogisticRegression()
    search_students(teacher, X, y, families=["linear"], random_state=0)
    np.testing.assert_array_equal(X, X_copy)
    np.testing.assert_array_equal(y, y_copy)
    assert not hasattr(teacher, "coef_")


def test_target_fidelity_out_of_reach_warns(xor):
    X, y = xor
    with pytest.warns(UserWarning, match="no student within the budget reaches"):
        search = search_students(
            forest(10), X, y, families=["linear"], target_fidelity=0.999, random_state=0
        )
    assert search.best["family"] == "linear"
    assert isinstance(search, StudentSearch)


# ------------------------------------------------------------- plotting
def test_display_draws_families_frontier_choice_and_budget(xor):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from skdistill.plotting import StudentSearchDisplay

    X, y = xor
    search = search_students(
        forest(10),
        X,
        y,
        budget={"max_leaves": 16, "max_bytes": 5000},
        target_fidelity=0.9,
        families=["tree", "linear", "linear_tree"],
        random_state=0,
    )
    display = StudentSearchDisplay.from_search(search)
    finished = {r["family"] for r in search.candidates if r["status"] == "finished"}
    assert set(display.lines_) == finished
    x, fid = display.frontier_line_.get_data()
    front = search.frontier
    np.testing.assert_array_equal(x, [search.candidates[i]["n_bytes"] for i in front])
    np.testing.assert_array_equal(fid, [search.candidates[i]["fidelity"] for i in front])
    star_x, star_y = display.chosen_marker_.get_data()
    assert star_x[0] == search.best["n_bytes"] and star_y[0] == search.best["fidelity"]
    limits = [line.get_xdata()[0] for line in display.budget_lines_[:1]]
    assert limits == [5000]
    assert display.budget_lines_[1].get_ydata()[0] == 0.9
    assert display.ax_.get_xscale() == "log"

    fig, ax = plt.subplots()
    by_leaves = StudentSearchDisplay(search, size="n_leaves").plot(ax=ax)
    assert by_leaves.ax_ is ax and by_leaves.frontier_line_ is None
    assert "linear" not in by_leaves.lines_  # no leaves to place it by
    assert by_leaves.budget_lines_[0].get_xdata()[0] == 16
    with pytest.raises(ValueError, match="size must be one of"):
        StudentSearchDisplay(search, size="depth").plot()
    with pytest.raises(TypeError, match="search must be a StudentSearch"):
        StudentSearchDisplay("search").plot()
    plt.close("all")


# ------------------------------------------------------------------- CLI
@pytest.fixture(scope="module")
def cli_files(tmp_path_factory, xor):
    import joblib

    pd = pytest.importorskip("pandas")
    X, y = xor
    root = tmp_path_factory.mktemp("search_cli")
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])])
    frame["label"] = y
    frame.to_csv(root / "train.csv", index=False)
    columns = frame.drop(columns="label")
    joblib.dump(forest(10).fit(columns, y), root / "forest.joblib")
    return root


def test_cli_student_auto_with_a_budget(cli_files):
    import subprocess
    import sys

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "skdistill",
            "distill",
            "--teacher",
            cli_files / "forest.joblib",
            "--trust",
            "--data",
            cli_files / "train.csv",
            "--target",
            "label",
            "--student",
            "auto",
            "--budget",
            "max_leaves=16,interpretable=true",
            "--out",
            cli_files / "student.joblib",
        ],
        capture_output=True,
        text=True,
        cwd=cli_files,  # outside the source tree (see tests/test_cli.py)
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Student search (budget: max_leaves=16, interpretable=True" in result.stdout
    assert "skipped boosting: not interpretable" in result.stdout
    import joblib

    model = joblib.load(cli_files / "student.joblib")
    assert type(model.student_).__name__ == "SoftDecisionTreeClassifier"
    assert model.student_.get_n_leaves() <= 16


@pytest.mark.parametrize(
    "extra, match",
    [
        (["--budget", "max_leafs=3"], "--budget: budget has unknown key"),
        (["--budget", "64"], "--budget '64': write limits as key=value"),
        (["--budget", "interpretable=maybe"], "interpretable"),
        (["--budget", "max_leaves=1", "--reuse-preprocessing"], "cannot be combined"),
    ],
)
def test_cli_budget_errors(cli_files, capsys, extra, match):
    from skdistill.cli import main

    code = main(
        [
            "distill",
            "--teacher",
            str(cli_files / "forest.joblib"),
            "--trust",
            "--data",
            str(cli_files / "train.csv"),
            "--target",
            "label",
            "--student",
            "auto",
            "--out",
            str(cli_files / "bad.joblib"),
            *extra,
        ]
    )
    assert code == 2
    assert match in capsys.readouterr().err
    assert not (cli_files / "bad.joblib").exists()


def test_cli_budget_needs_student_auto(cli_files, capsys):
    from skdistill.cli import main

    code = main(
        [
            "distill",
            "--teacher",
            str(cli_files / "forest.joblib"),
            "--trust",
            "--data",
            str(cli_files / "train.csv"),
            "--target",
            "label",
            "--student",
            "tree",
            "--budget",
            "max_leaves=8",
            "--out",
            str(cli_files / "bad.joblib"),
        ]
    )
    assert code == 2
    assert "--budget needs --student auto" in capsys.readouterr().err
