"""SoftGAMClassifier / SoftGAMRegressor: shape recovery, soft targets, binning,
sample weights, missing values, sklearn API, plotting and export."""

import numpy as np
import pytest
from scipy.special import expit, softmax
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import RandomForestClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.utils.estimator_checks import parametrize_with_checks

from skdistill import DistilledClassifier
from skdistill.export import export_rules, export_student
from skdistill.students import SoftGAMClassifier, SoftGAMRegressor
from skdistill.students._gam_fitting import best_quadrants, feature_step, feature_thresholds

EARLY_STOPPING_REASON = (
    "the early-stopping split holds out different rows of weighted and of "
    "repeated data (zero weights are fine: only positive-weight rows are split); "
    "test_sample_weight_equals_repetition checks the weights without early stopping"
)


def _expected_failed_checks(estimator):
    if estimator.early_stopping:
        return {"check_sample_weight_equivalence_on_dense_data": EARLY_STOPPING_REASON}
    return {}


@parametrize_with_checks(
    [
        SoftGAMClassifier(random_state=0),
        SoftGAMClassifier(max_leaves=None, early_stopping=False, max_rounds=50),
        SoftGAMClassifier(interactions=2, max_rounds=50, random_state=0),
        SoftGAMRegressor(random_state=0),
        SoftGAMRegressor(early_stopping=False, max_rounds=50),
    ],
    expected_failed_checks=_expected_failed_checks,
)
def test_sklearn_compatible(estimator, check):
    check(estimator)


def _grid_corr(shape, func, column=0):
    """Correlation of a shape function with ``func`` at its bins' midpoints."""
    edges = shape["bin_edges"]
    mid = (edges[:-1] + edges[1:]) / 2
    return float(np.corrcoef(shape["scores"][:, column], func(mid))[0, 1])


def _additive_data(n=6000, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.uniform(-3, 3, size=(n, 3))
    logit = np.sin(X[:, 0]) + X[:, 1] ** 2 / 3 - 1  # x2 is noise
    return X, expit(logit)


# ---------------------------------------------------------------- behaviour
def test_shape_functions_recover_an_additive_logit_from_labels():
    X, p1 = _additive_data()
    y = (np.random.RandomState(1).uniform(size=len(p1)) < p1).astype(int)
    gam = SoftGAMClassifier(random_state=0).fit(X, y)
    # Measured: 0.989 and 0.990 (labels are noisy draws of p1).
    assert _grid_corr(gam.shape_functions_[0], np.sin) > 0.95
    assert _grid_corr(gam.shape_functions_[1], np.square) > 0.95
    importances = gam.feature_importances_
    assert importances.sum() == pytest.approx(1.0)
    assert importances[2] < 0.1 < min(importances[:2])


def test_soft_targets_are_learnt_to_their_entropy():
    """On targets of an additive model, training cross-entropy -> entropy."""
    X, p1 = _additive_data(n=3000)
    targets = np.column_stack([1 - p1, p1])
    gam = SoftGAMClassifier(early_stopping=False, max_rounds=300).fit(X, targets)
    np.testing.assert_array_equal(gam.classes_, [0, 1])
    proba = gam.predict_proba(X)
    entropy = -np.mean(np.sum(targets * np.log(targets), axis=1))
    cross_entropy = -np.mean(np.sum(targets * np.log(proba), axis=1))
    # Measured gap: 0.0002 nats (entropy 0.575); bins are steps, the truth is smooth.
    assert cross_entropy - entropy < 0.002
    assert gam.train_score_[-1] == pytest.approx(cross_entropy)
    assert np.abs(proba[:, 1] - p1).max() < 0.06  # measured 0.041
    # The exact shape, not only its correlation: sin is recovered to 0.055.
    shape = gam.shape_functions_[0]
    mid = (shape["bin_edges"][:-1] + shape["bin_edges"][1:]) / 2
    recovered = shape["scores"][:, 0] - np.average(
        shape["scores"][:, 0], weights=shape["bin_weight"]
    )
    truth = np.sin(mid) - np.average(np.sin(mid), weights=shape["bin_weight"])
    assert np.abs(recovered - truth).max() < 0.1


def test_multiclass_soft_targets_of_an_additive_softmax():
    rng = np.random.RandomState(0)
    X = rng.uniform(-2, 2, size=(3000, 2))
    scores = np.column_stack([np.sin(2 * X[:, 0]), X[:, 1], -(X[:, 1] ** 2)])
    targets = softmax(scores, axis=1)
    gam = SoftGAMClassifier(early_stopping=False, max_rounds=300).fit(X, targets)
    np.testing.assert_array_equal(gam.classes_, [0, 1, 2])
    proba = gam.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    entropy = -np.mean(np.sum(targets * np.log(targets), axis=1))
    cross_entropy = -np.mean(np.sum(targets * np.log(proba), axis=1))
    assert cross_entropy - entropy < 0.002  # measured 0.0003
    assert gam.shape_functions_[0]["scores"].shape[1] == 3
    # Scores are centred across classes in every bin.
    np.testing.assert_allclose(gam.shape_functions_[1]["scores"].sum(axis=1), 0, atol=1e-12)
    np.testing.assert_allclose(gam.decision_function(X).sum(axis=1), 0, atol=1e-12)
    # HistGradientBoostingClassifier.predict_proba gives Fortran-ordered targets.
    fortran = SoftGAMClassifier(early_stopping=False, max_rounds=300).fit(
        X, np.asfortranarray(targets)
    )
    np.testing.assert_allclose(fortran.predict_proba(X), proba, atol=1e-12)


def test_decision_function_is_the_intercept_plus_the_table_scores():
    X, p1 = _additive_data(n=1000)
    gam = SoftGAMClassifier(random_state=0).fit(X, p1 > 0.5)
    rows = X[:50]
    total = np.full(len(rows), gam.intercept_[0])
    for j, shape in enumerate(gam.shape_functions_):
        # A value equal to a cut point belongs to the bin on its left.
        bins = np.searchsorted(shape["bin_edges"][1:-1], rows[:, j], side="left")
        total += shape["scores"][bins, 0]
    np.testing.assert_allclose(gam.decision_function(rows), total, atol=1e-12)
    # Each shape has weighted mean 0 over the training rows.
    for shape in gam.shape_functions_:
        assert shape["bin_weight"] @ shape["scores"][:, 0] == pytest.approx(0, abs=1e-10)
        assert shape["bin_weight"].sum() == len(X)


def test_early_stopping_keeps_the_best_validation_round():
    X, p1 = _additive_data(n=2000)
    y = (np.random.RandomState(1).uniform(size=len(p1)) < p1).astype(int)
    gam = SoftGAMClassifier(learning_rate=0.3, n_iter_no_change=5, random_state=0).fit(X, y)
    assert gam.n_iter_ < 1000
    assert len(gam.validation_score_) == gam.n_iter_ + 5
    assert np.argmin(gam.validation_score_) == gam.n_iter_ - 1
    again = SoftGAMClassifier(learning_rate=0.3, n_iter_no_change=5, random_state=0).fit(X, y)
    np.testing.assert_array_equal(again.predict_proba(X), gam.predict_proba(X))


@pytest.mark.parametrize("interactions", [0, 2])
def test_sample_weight_equals_repetition(interactions):
    X, p1 = _additive_data(n=400)
    y = (p1 > 0.5).astype(int)
    w = np.random.RandomState(0).randint(0, 4, len(y))
    params = {
        "early_stopping": False,
        "max_rounds": 40,
        "max_bins": 16,
        "interactions": interactions,
    }
    weighted = SoftGAMClassifier(**params).fit(X, y, sample_weight=w)
    repeated = SoftGAMClassifier(**params).fit(np.repeat(X, w, axis=0), np.repeat(y, w))
    np.testing.assert_allclose(weighted.predict_proba(X), repeated.predict_proba(X), atol=1e-10)
    for a, b in zip(weighted.shape_functions_, repeated.shape_functions_):
        np.testing.assert_array_equal(a["bin_edges"], b["bin_edges"])


def test_zero_weight_rows_are_removed_rows_even_with_early_stopping():
    X, p1 = _additive_data(n=600)
    y = (p1 > 0.5).astype(int)
    w = (np.arange(len(y)) % 3 != 0).astype(float)
    weighted = SoftGAMClassifier(random_state=0).fit(X, y, sample_weight=w)
    removed = SoftGAMClassifier(random_state=0).fit(X[w > 0], y[w > 0])
    np.testing.assert_allclose(weighted.predict_proba(X), removed.predict_proba(X), atol=1e-10)


def test_labels_keep_their_values():
    X, p1 = _additive_data(n=500)
    labels = np.where(p1 > 0.5, "yes", "no")
    gam = SoftGAMClassifier(random_state=0).fit(X, labels)
    np.testing.assert_array_equal(gam.classes_, ["no", "yes"])
    assert set(gam.predict(X)) == {"no", "yes"}
    assert gam.decision_function(X).shape == (500,)
    np.testing.assert_allclose(gam.predict_log_proba(X), np.log(gam.predict_proba(X)))


# ------------------------------------------------------------------ binning
def test_thresholds_are_midpoints_or_weighted_quantiles():
    x = np.array([3.0, 1.0, 2.0, 2.0, np.nan, 5.0])
    np.testing.assert_array_equal(feature_thresholds(x, np.ones(6), 8), [1.5, 2.5, 4.0])
    # A zero-weight row adds no value.
    w = np.array([1, 1, 1, 1, 1, 0.0])
    np.testing.assert_array_equal(feature_thresholds(x, w, 8), [1.5, 2.5])
    values = np.arange(100, dtype=float)
    np.testing.assert_array_equal(feature_thresholds(values, np.ones(100), 4), [24.5, 49.5, 74.5])
    # Weight 3 on the first half moves the median to 33.
    weight = np.where(values < 50, 3.0, 1.0)
    np.testing.assert_array_equal(feature_thresholds(values, weight, 2), [33.5])


def test_a_round_updates_each_feature_with_at_most_max_leaves_steps():
    rng = np.random.RandomState(0)
    grad, hess = rng.normal(size=(11, 1)), rng.uniform(1, 2, size=(11, 1))
    step = feature_step(grad, hess, l2=1.0, factor=1.0, max_leaves=3)
    assert len(np.unique(step[:-1])) <= 3
    assert step[-1, 0] == pytest.approx(grad[-1, 0] / (hess[-1, 0] + 1))
    per_bin = feature_step(grad, hess, l2=1.0, factor=1.0, max_leaves=None)
    np.testing.assert_allclose(per_bin, grad / (hess + 1))
    # A step function in the gradients is found exactly.
    grad = np.r_[np.full(4, -1.0), np.full(6, 2.0), 0.0][:, None]
    step = feature_step(grad, np.ones_like(grad), l2=0.0, factor=1.0, max_leaves=2)
    np.testing.assert_allclose(step[:, 0], np.r_[np.full(4, -1.0), np.full(6, 2.0), 0])


# ------------------------------------------------------------- interactions
def _interaction_data(n=4000, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.uniform(-2, 2, size=(n, 4))
    logit = np.sin(X[:, 0]) + X[:, 1] * X[:, 2]  # x3 is noise
    return X, expit(logit)


def test_pairs_are_found_and_learnt():
    X, p1 = _interaction_data()
    targets = np.column_stack([1 - p1, p1])
    entropy = -np.mean(np.sum(targets * np.log(targets), axis=1))

    def excess(model):
        return -np.mean(np.sum(targets * np.log(model.predict_proba(X)), axis=1)) - entropy

    gam = SoftGAMClassifier(random_state=0).fit(X, targets)
    ga2m = SoftGAMClassifier(interactions=2, random_state=0).fit(X, targets)
    assert ga2m.interactions_[0]["features"] == (1, 2)
    assert ga2m.n_iter_ == gam.n_iter_  # the main effects are fit first, alone
    assert ga2m.n_interaction_iter_ > 0
    # Measured: 0.127 nats for main effects only, 0.0008 with the pairs.
    assert excess(gam) > 0.1
    assert excess(ga2m) < 0.005
    pair = ga2m.interactions_[0]
    n_i, n_j = len(pair["bin_edges"][0]) - 1, len(pair["bin_edges"][1]) - 1
    assert pair["scores"].shape == (n_i, n_j, 1) and pair["bin_weight"].shape == (n_i, n_j)
    # The table follows x1 * x2 at its cells' centres.
    mid = [(e[:-1] + e[1:]) / 2 for e in pair["bin_edges"]]
    product = np.multiply.outer(mid[0], mid[1])
    # Measured: 0.999.
    assert np.corrcoef(pair["scores"][:, :, 0].ravel(), product.ravel())[0, 1] > 0.98


def test_decision_function_adds_the_pair_tables():
    X, p1 = _interaction_data(n=1500)
    X[::7, 1] = np.nan
    ga2m = SoftGAMClassifier(interactions=3, random_state=0).fit(X, p1 > 0.5)
    rows = X[:40]
    total = np.full(len(rows), ga2m.intercept_[0])
    for j, shape in enumerate(ga2m.shape_functions_):
        table = np.r_[shape["scores"][:, 0], shape["missing_score"]]
        bins = np.searchsorted(shape["bin_edges"][1:-1], rows[:, j])
        total += table[np.where(np.isnan(rows[:, j]), len(table) - 1, bins)]
    for pair in ga2m.interactions_:
        i, j = pair["features"]
        b_i = np.searchsorted(pair["bin_edges"][0][1:-1], rows[:, i])
        b_j = np.searchsorted(pair["bin_edges"][1][1:-1], rows[:, j])
        missing = np.isnan(rows[:, i]) | np.isnan(rows[:, j])
        cell = pair["scores"][
            np.minimum(b_i, pair["scores"].shape[0] - 1),
            np.minimum(b_j, pair["scores"].shape[1] - 1),
            0,
        ]
        total += np.where(missing, pair["missing_score"][0], cell)
    np.testing.assert_allclose(ga2m.decision_function(rows), total, atol=1e-12)
    # Pairs are centred too: the intercept is the mean training score.
    assert ga2m.intercept_[0] == pytest.approx(ga2m.decision_function(X).mean(), abs=1e-10)


def test_best_quadrants_finds_a_block_structure():
    grad = np.zeros((5, 6, 1))
    grad[:2, :4] = 1.0
    grad[2:, 4:] = -2.0
    a, c, gain = best_quadrants(grad, np.ones_like(grad), l2=0.0)
    assert (a, c) == (2, 4)
    # Quadrant sums 8, 0, 0, -12 against a total of -4 (hessian = cell count).
    assert gain == pytest.approx(8**2 / 8 + 12**2 / 6 - 4**2 / 30)
    assert best_quadrants(grad[:1], np.ones_like(grad[:1]), l2=0.0) == (0, 0, 0.0)


# ----------------------------------------------------------- missing values
def test_missing_values_get_a_bin_of_their_own():
    X, p1 = _additive_data(n=3000)
    X = X.copy()
    X[::10, 2] = np.nan  # missing x2 carries a strong signal
    logit = np.log(p1 / (1 - p1)) + np.where(np.isnan(X[:, 2]), 2.0, 0.0)
    targets = expit(logit)
    gam = SoftGAMClassifier(early_stopping=False, max_rounds=300).fit(
        X, np.column_stack([1 - targets, targets])
    )
    shape = gam.shape_functions_[2]
    assert shape["missing_weight"] == 300
    # +2 relative to the present values, whose scores average to ~0.
    assert shape["missing_score"][0] - shape["bin_weight"] @ shape["scores"][
        :, 0
    ] / 2700 == pytest.approx(2.0, abs=0.1)
    # Training had no NaN in x0: a missing x0 scores 0, the average.
    assert gam.shape_functions_[0]["missing_score"][0] == 0
    rows = X[:5].copy()
    x0_bins = np.searchsorted(gam.shape_functions_[0]["bin_edges"][1:-1], rows[:, 0])
    without_x0 = gam.decision_function(rows) - gam.shape_functions_[0]["scores"][x0_bins, 0]
    rows[:, 0] = np.nan
    np.testing.assert_allclose(gam.decision_function(rows), without_x0, atol=1e-12)


def test_infinite_values_are_rejected():
    X, p1 = _additive_data(n=100)
    X[0, 0] = np.inf
    with pytest.raises(ValueError, match="infinity"):
        SoftGAMClassifier().fit(X, p1 > 0.5)


# ----------------------------------------------------------------- regressor
def test_regressor_recovers_an_additive_function():
    rng = np.random.RandomState(0)
    X = rng.uniform(-3, 3, size=(3000, 3))
    y = np.sin(X[:, 0]) + X[:, 1] ** 2 / 3 + 0.1 * rng.normal(size=3000)
    gam = SoftGAMRegressor(random_state=0).fit(X, y)
    # Measured: R2 0.991 (noise caps it at 0.995), correlations 0.9996 and 0.9998.
    assert gam.score(X, y) > 0.98
    assert _grid_corr(gam.shape_functions_[0], np.sin) > 0.99
    assert _grid_corr(gam.shape_functions_[1], np.square) > 0.99
    # Centred shapes: the intercept is the mean prediction on the training rows.
    assert gam.intercept_[0] == pytest.approx(np.mean(gam.predict(X)), abs=1e-10)
    assert gam.intercept_[0] == pytest.approx(np.mean(y), abs=0.01)


# ------------------------------------------------------------- parameters
@pytest.mark.parametrize(
    "params, error, match",
    [
        ({"max_bins": 1}, ValueError, "max_bins must be in the range"),
        ({"max_leaves": 1}, ValueError, "max_leaves must be in the range"),
        ({"learning_rate": 0}, ValueError, "learning_rate must be in the range"),
        ({"max_rounds": 0}, ValueError, "max_rounds must be in the range"),
        ({"l2_regularization": -1}, ValueError, "l2_regularization must be in the range"),
        ({"early_stopping": "yes"}, TypeError, "early_stopping must be a bool"),
        ({"validation_fraction": 1.0}, ValueError, "validation_fraction must be in"),
        ({"random_state": "0"}, TypeError, "random_state must be None"),
    ],
)
def test_invalid_parameters_are_named(params, error, match):
    X, p1 = _additive_data(n=50)
    with pytest.raises(error, match=match):
        SoftGAMClassifier(**params).fit(X, p1 > 0.5)


# ---------------------------------------------- distillation, export, plot
@pytest.fixture(scope="module")
def distilled():
    X, y = load_breast_cancer(return_X_y=True)
    labels = np.array(["benign", "malignant"])[1 - y]
    teacher = RandomForestClassifier(n_estimators=30, random_state=0).fit(X, labels)
    model = DistilledClassifier(
        FrozenEstimator(teacher),
        SoftGAMClassifier(random_state=0),
        temperature=1.0,
        alpha=0.0,
        transfer=None,
    ).fit(X, labels)
    return model, X, teacher


def test_distilled_gam_is_a_native_student(distilled):
    model, X, teacher = distilled
    assert model.student_fit_ == "native"
    np.testing.assert_array_equal(model.student_.classes_, [0, 1])
    np.testing.assert_array_equal(model.classes_, ["benign", "malignant"])
    # Measured: 0.996 agreement with the forest on its training rows.
    assert np.mean(model.predict(X) == teacher.predict(X)) > 0.98


def test_export_student_refuses_a_gam_with_a_clear_message(distilled):
    model, _, _ = distilled
    with pytest.raises(TypeError, match="SoftGAMClassifier .* no plain scikit-learn"):
        export_student(model)
    with pytest.raises(TypeError, match="to_sklearn"):
        export_rules(model)


def test_export_text_is_a_scorecard():
    X, p1 = _additive_data(n=500)
    gam = SoftGAMClassifier(max_bins=4, interactions=1, random_state=0).fit(
        X, np.where(p1 > 0.5, "yes", "no")
    )
    text = gam.export_text(["a", "b", "c"], decimals=2)
    lines = text.splitlines()
    assert lines[0] == "# SoftGAMClassifier, scores: log-odds of class 'yes'"
    assert lines[1] == f"intercept: {gam.intercept_[0]:+.2f}"
    assert lines[2] == "a:" and lines[3].startswith("  (-inf, ")
    assert len(lines) == 2 + 3 * (1 + 4) + 1
    shape = gam.shape_functions_[1]
    assert lines[7:12] == ["b:"] + [
        f"  ({low}, {high}]: {score:+.2f}"
        for low, high, score in zip(
            ["-inf"] + [f"{e:.2f}" for e in shape["bin_edges"][1:-1]],
            [f"{e:.2f}" for e in shape["bin_edges"][1:-1]] + ["inf"],
            shape["scores"][:, 0],
        )
    ]
    i, j = gam.interactions_[0]["features"]
    assert lines[-1].startswith(f"{'abc'[i]} x {'abc'[j]}: a ")
    with pytest.raises(ValueError, match="one name per feature"):
        gam.export_text(["a"])


def test_plot_shape_functions_draws_the_tables(distilled):
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from skdistill.plotting import plot_shape_functions

    model, _, _ = distilled
    fig, axes = plot_shape_functions(model, features=[0, 3], ncols=1)
    assert len(axes) == 2 and axes[1].get_title() == "x3"
    assert axes[0].get_ylabel() == "log-odds of malignant"
    (stairs,) = axes[1].patches
    shape = model.student_.shape_functions_[3]
    values, edges, _ = stairs.get_data()
    np.testing.assert_array_equal(values, shape["scores"][:, 0])
    np.testing.assert_array_equal(edges, shape["bin_edges"])
    plt.close(fig)
    with pytest.raises(ValueError, match="features must be"):
        plot_shape_functions(model, features=[30])
    with pytest.raises(TypeError, match="SoftGAMClassifier"):
        plot_shape_functions(RandomForestClassifier())
