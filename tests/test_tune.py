"""tune="auto": inner-split choice of temperature / alpha / transfer set."""

import numpy as np
import pytest
from scipy import sparse
from sklearn.base import clone
from sklearn.datasets import load_breast_cancer, make_classification, make_regression
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.model_selection import GridSearchCV
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from skdistill import DistilledClassifier, DistilledRegressor, _tune
from skdistill.transfer import Munge


def _classifier(**params):
    return DistilledClassifier(RandomForestClassifier(n_estimators=20, random_state=0),
                               DecisionTreeClassifier(max_depth=3), random_state=0,
                               **params)


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(n_samples=400, n_features=8, n_informative=5,
                               random_state=0)
    return X, y


def test_candidate_grid_default_and_fixed_params():
    grid = _tune.candidate_grid(_classifier(), 1000, True)
    names = [_tune.describe(p) for p in grid]
    assert names == ["labels only", "T=1, no transfer", "T=2, no transfer",
                     "T=1, Munge 10000 rows", "T=2, Munge 10000 rows"]
    # labels only = alpha 1, no transfer
    assert grid[0] == {"alpha": 1.0, "transfer": None, "temperature": 1.0}
    # user-set values stay fixed: no labels-only, no other temperature, no Munge
    fixed = _tune.candidate_grid(_classifier(temperature=3.0, alpha=0.2,
                                             transfer=Munge(size_factor=2)), 1000, True)
    assert len(fixed) == 1
    assert fixed[0]["temperature"] == 3.0 and fixed[0]["alpha"] == 0.2
    assert isinstance(fixed[0]["transfer"], Munge)


def test_candidate_grid_caps_transfer_rows_and_skips_sparse():
    many = _tune.candidate_grid(_classifier(), 20_000, True)
    assert max(p["transfer"].n_samples for p in many if p["transfer"] is not None) == (
        _tune.MAX_TRANSFER_ROWS)
    # beyond the cap the Munge set would be smaller than the data: skipped
    assert all(p["transfer"] is None for p in _tune.candidate_grid(_classifier(), 60_000,
                                                                    True))
    assert all(p["transfer"] is None
               for p in _tune.candidate_grid(_classifier(), 1000, True, generated=False))


def test_candidate_grid_regression_has_no_temperature():
    model = DistilledRegressor(RandomForestRegressor(n_estimators=5), DecisionTreeRegressor())
    grid = _tune.candidate_grid(model, 500, False)
    assert [_tune.describe(p) for p in grid] == ["labels only", "no transfer",
                                                 "Munge 5000 rows"]
    assert all("temperature" not in p for p in grid)


def test_inner_split_is_stratified_and_seeded():
    y = np.array([0] * 90 + [1] * 10)
    train, valid = _tune.inner_split(y, True, 0)
    assert len(valid) == 20 and np.sum(y[valid] == 1) == 2
    assert np.array_equal(valid, _tune.inner_split(y, True, 0)[1])
    assert not np.array_equal(valid, _tune.inner_split(y, True, 1)[1])
    assert set(train).isdisjoint(valid) and len(train) + len(valid) == 100


def test_can_tune():
    assert not _tune.can_tune(np.arange(50) % 2, True)
    assert _tune.can_tune(np.arange(200) % 2, True)
    assert not _tune.can_tune(np.r_[np.zeros(199), 1], True)  # a class with one row
    assert _tune.can_tune(np.linspace(0, 1, 200), False)


def test_tune_parameters_scores_every_candidate(data):
    X, y = data
    best, results = _tune.tune_parameters(_classifier(), X, y, None, np.unique(y))
    assert [r.name for r in results] == [
        "labels only", "T=1, no transfer", "T=2, no transfer",
        "T=1, Munge 3200 rows", "T=2, Munge 3200 rows"]
    for r in results:
        assert 0.5 <= r.score <= 1 and 0.5 <= r.fidelity <= 1
    top = max(results, key=lambda r: (r.score, r.fidelity))
    assert best == top.params
    again, results2 = _tune.tune_parameters(_classifier(), X, y, None, np.unique(y))
    assert [r.score for r in results] == [r.score for r in results2]
    assert _tune.describe(again) == _tune.describe(best)


def test_tune_parameters_sample_weight_changes_scores(data):
    X, y = data
    w = np.where(y == 1, 5.0, 1.0)
    _, plain = _tune.tune_parameters(_classifier(), X, y, None, np.unique(y))
    _, weighted = _tune.tune_parameters(_classifier(), X, y, w, np.unique(y))
    assert [r.score for r in plain] != [r.score for r in weighted]


# ---------------------------------------------------------- the estimators
_HAS_TUNE = "tune" in DistilledClassifier(None, None).get_params(deep=False)
needs_tune_param = pytest.mark.skipif(
    not _HAS_TUNE, reason="the tune parameter is not wired into _distill.py yet")


@needs_tune_param
def test_tune_auto_fits_with_the_winner(data):
    X, y = data
    model = _classifier(tune="auto").fit(X, y)
    assert model.tuned_params_ == max(model.tune_results_,
                                      key=lambda r: (r.score, r.fidelity)).params
    assert model.temperature == 1.0 and model.alpha == 0.0 and model.transfer is None
    assert model.tune == "auto"  # parameters are not changed by fit
    expected = clone(_classifier()).set_params(tune=None, **model.tuned_params_).fit(X, y)
    assert np.array_equal(model.predict_proba(X), expected.predict_proba(X))
    assert model.n_transfer_samples_ == expected.n_transfer_samples_
    assert model.n_features_in_ == 8 and list(model.classes_) == [0, 1]


@needs_tune_param
def test_tune_none_is_the_untuned_fit(data):
    X, y = data
    model = _classifier(tune=None).fit(X, y)
    assert not hasattr(model, "tuned_params_") and not hasattr(model, "tune_results_")
    # refitting untuned drops the attributes of an earlier tuned fit
    tuned = _classifier(tune="auto").fit(X, y)
    tuned.set_params(tune=None).fit(X, y)
    assert not hasattr(tuned, "tune_results_")
    assert np.array_equal(tuned.predict_proba(X), model.predict_proba(X))


@needs_tune_param
def test_tune_auto_is_deterministic_and_clonable(data):
    X, y = data
    a = _classifier(tune="auto").fit(X, y)
    b = clone(_classifier(tune="auto")).fit(X, y)
    assert np.array_equal(a.predict_proba(X), b.predict_proba(X))
    assert [r.score for r in a.tune_results_] == [r.score for r in b.tune_results_]


@needs_tune_param
def test_tune_auto_small_data_uses_params_as_given():
    X, y = make_classification(n_samples=60, random_state=0)
    model = _classifier(tune="auto").fit(X, y)
    assert model.tuned_params_ == {} and model.tune_results_ == []


@needs_tune_param
def test_tune_auto_falls_back_to_labels_when_the_teacher_is_useless():
    # A teacher that always predicts the majority class: its targets carry no
    # information, so labels-only wins on validation.
    from sklearn.dummy import DummyClassifier

    X, y = load_breast_cancer(return_X_y=True)
    model = DistilledClassifier(DummyClassifier(strategy="prior"),
                                DecisionTreeClassifier(max_depth=3, random_state=0),
                                tune="auto", random_state=0).fit(X, y)
    assert _tune.describe(model.tuned_params_) == "labels only"
    assert model.score(X, y) > 0.9


@needs_tune_param
def test_tune_auto_regressor():
    X, y = make_regression(n_samples=300, n_features=5, noise=5.0, random_state=0)
    model = DistilledRegressor(RandomForestRegressor(n_estimators=20, random_state=0),
                               DecisionTreeRegressor(max_depth=4), tune="auto",
                               random_state=0).fit(X, y)
    assert [r.name for r in model.tune_results_] == ["labels only", "no transfer",
                                                     "Munge 2400 rows"]
    assert "temperature" not in model.tuned_params_
    assert model.score(X, y) > 0.7


@needs_tune_param
def test_tune_auto_sparse_skips_generated_rows(data):
    X, y = data
    model = DistilledClassifier(RandomForestClassifier(n_estimators=10, random_state=0),
                                DecisionTreeClassifier(max_depth=3), tune="auto",
                                random_state=0).fit(sparse.csr_matrix(X), y)
    assert all(r.params["transfer"] is None for r in model.tune_results_)


@needs_tune_param
def test_tune_in_grid_search(data):
    X, y = data
    search = GridSearchCV(_classifier(), {"tune": [None, "auto"]}, cv=2).fit(X, y)
    assert search.best_params_["tune"] in (None, "auto")


@needs_tune_param
@pytest.mark.parametrize("bad", ["yes", 1, "Auto"])
def test_bad_tune(data, bad):
    X, y = data
    with pytest.raises(ValueError, match="tune"):
        _classifier(tune=bad).fit(X, y)
