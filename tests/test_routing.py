"""Metadata routing (issue 12): ``sample_weight`` only where requested,
``groups`` into ``cv.split`` and into the "auto" tuner's folds, inside
GridSearchCV, cross_validate and Pipeline."""

import numpy as np
import pytest
import sklearn
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.datasets import make_classification
from sklearn.exceptions import UnsetMetadataPassedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, GroupKFold, KFold, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.metadata_routing import MetadataRouter

from skdistill import BlackBoxTeacher, DistilledClassifier, DistilledRegressor, _tune
from skdistill.students import SoftDecisionTreeClassifier


@pytest.fixture(autouse=True)
def routing():
    with sklearn.config_context(enable_metadata_routing=True):
        yield


@pytest.fixture(scope="module")
def data():
    X, y = make_classification(n_samples=240, n_features=6, random_state=0)
    groups = np.arange(len(y)) // 8  # 30 groups of 8 consecutive rows
    weights = np.random.RandomState(0).uniform(0.2, 3.0, len(y))
    return X, y, groups, weights


class RecordingLogistic(LogisticRegression):
    """Records the metadata each fit received (class-level log: clones share it)."""

    calls: list = []

    def fit(self, X, y, sample_weight=None):
        RecordingLogistic.calls.append({"n": len(y), "sample_weight": sample_weight})
        return super().fit(X, y, sample_weight=sample_weight)


class RecordingTree(DecisionTreeClassifier):
    calls: list = []

    def fit(self, X, y, sample_weight=None, check_input=True):
        RecordingTree.calls.append({"n": len(y), "sample_weight": sample_weight})
        return super().fit(X, y, sample_weight=sample_weight, check_input=check_input)


class RecordingGroupKFold(GroupKFold):
    splits: list = []

    def split(self, X, y=None, groups=None):
        RecordingGroupKFold.splits.append(groups)
        return super().split(X, y, groups)


@pytest.fixture(autouse=True)
def clear_records():
    RecordingLogistic.calls, RecordingTree.calls, RecordingGroupKFold.splits = [], [], []


def _plain(teacher, student, **params):
    params = {"temperature": 2.0, "alpha": 0.0, "transfer": None, "random_state": 0, **params}
    return DistilledClassifier(teacher, student, **params)


def test_get_metadata_routing_lists_teacher_student_and_splitter():
    model = DistilledClassifier(
        LogisticRegression().set_fit_request(sample_weight=True),
        DecisionTreeClassifier().set_fit_request(sample_weight=False),
        cv=GroupKFold(3),
    )
    router = model.get_metadata_routing()
    assert isinstance(router, MetadataRouter)
    assert router.consumes("fit", ["sample_weight", "groups"]) == {"sample_weight", "groups"}
    assert (
        DistilledClassifier(
            LogisticRegression().set_fit_request(sample_weight=False),
            DecisionTreeClassifier().set_fit_request(sample_weight=False),
        )
        .get_metadata_routing()
        .consumes("fit", ["sample_weight", "groups"])
        == set()
    )


def test_sample_weight_reaches_only_the_consumers_that_request_it(data):
    X, y, _, w = data
    teacher = RecordingLogistic().set_fit_request(sample_weight=True)
    student = RecordingTree(max_depth=3).set_fit_request(sample_weight=False)
    _plain(teacher, student, teacher_targets="in_sample").fit(X, y, sample_weight=w)
    assert len(RecordingLogistic.calls) == 1
    np.testing.assert_array_equal(RecordingLogistic.calls[0]["sample_weight"], w)
    # replication weights only: the probabilities, each row's summing to 1
    student_weights = RecordingTree.calls[-1]["sample_weight"]
    assert student_weights.sum() == pytest.approx(len(y))

    RecordingLogistic.calls, RecordingTree.calls = [], []
    teacher = RecordingLogistic().set_fit_request(sample_weight=False)
    student = RecordingTree(max_depth=3).set_fit_request(sample_weight=True)
    _plain(teacher, student, teacher_targets="in_sample").fit(X, y, sample_weight=w)
    assert RecordingLogistic.calls[0]["sample_weight"] is None
    assert RecordingTree.calls[-1]["sample_weight"].sum() == pytest.approx(w.sum())


def test_unset_and_unrequested_metadata_raise_as_in_scikit_learn(data):
    X, y, groups, w = data
    model = _plain(LogisticRegression(), DecisionTreeClassifier())
    with pytest.raises(UnsetMetadataPassedError, match="LogisticRegression.set_fit_request"):
        model.fit(X, y, sample_weight=w)
    with pytest.raises(TypeError, match=r"unexpected argument\(s\) \{'groups'\}"):
        model.fit(X, y, groups=groups)  # cv=5 (StratifiedKFold) takes no groups


def test_without_routing_extra_fit_params_are_refused(data):
    X, y, groups, w = data
    with sklearn.config_context(enable_metadata_routing=False):
        model = _plain(LogisticRegression(), DecisionTreeClassifier(), cv=GroupKFold(3))
        with pytest.raises(ValueError, match=r"only supported if enable_metadata_routing=True"):
            model.fit(X, y, groups=groups)
        # sample_weight still goes to both, as before routing existed
        model.set_params(cv=3).fit(X, y, sample_weight=w)
        assert model.student_.tree_.weighted_n_node_samples[0] > 0


def test_groups_reach_the_out_of_fold_splitter(data):
    X, y, groups, _ = data
    teacher = LogisticRegression()
    model = _plain(teacher, DecisionTreeClassifier(max_depth=3), cv=RecordingGroupKFold(3))
    model.fit(X, y, groups=groups)
    np.testing.assert_array_equal(RecordingGroupKFold.splits[0], groups)
    # the out-of-fold targets equal those of GroupKFold's folds
    folds = GroupKFold(3).split(X, y, groups)
    expected = np.empty(len(y))
    for train, test in folds:
        expected[test] = LogisticRegression().fit(X[train], y[train]).predict(X[test])
    assert model.target_summary_["teacher_accuracy"] == pytest.approx(np.mean(expected == y))


def _straddling_groups(folds, groups):
    return [set(groups[train]) & set(groups[valid]) for train, valid in folds]


@pytest.mark.parametrize("classification", [True, False])
def test_inner_folds_keep_groups_whole(data, classification):
    X, y, groups, _ = data
    plain = _tune.inner_splits(y, classification, 0)
    assert any(_straddling_groups(plain, groups))  # the leak this fixes
    grouped = _tune.inner_splits(y, classification, 0, groups)
    assert len(grouped) == _tune.INNER_FOLDS
    assert not any(_straddling_groups(grouped, groups))
    assert sorted(np.concatenate([valid for _, valid in grouped])) == list(range(len(y)))
    again = _tune.inner_splits(y, classification, 0, groups)
    assert all(np.array_equal(a[1], b[1]) for a, b in zip(grouped, again))


def test_one_split_for_large_data_keeps_groups_whole():
    n = 25_000
    y = np.arange(n) % 2
    groups = np.arange(n) // 50
    ((train, valid),) = _tune.inner_splits(y, True, 0, groups)
    assert not set(groups[train]) & set(groups[valid])
    assert 0.15 < len(valid) / n < 0.25


def test_few_groups_mean_fewer_folds_or_no_tuning(data):
    X, y, _, _ = data
    two = np.arange(len(y)) % 2
    assert len(_tune.inner_splits(y, True, 0, two)) == 2
    assert not _tune.can_tune(y, True, np.zeros(len(y)))
    assert _tune.can_tune(y, True, two)


def test_auto_tuning_of_a_frozen_teacher_uses_group_folds(data, monkeypatch):
    X, y, groups, _ = data
    seen = []
    original = _tune.inner_splits

    def recording(y, classification, random_state, groups=None):
        folds = original(y, classification, random_state, groups)
        seen.append((groups, folds))
        return folds

    monkeypatch.setattr(_tune, "inner_splits", recording)
    teacher = BlackBoxTeacher(
        LogisticRegression().fit(X, y).predict_proba, classes=[0, 1]
    )  # in-sample targets: the tuner makes its own folds
    model = DistilledClassifier(
        teacher, DecisionTreeClassifier(max_depth=3), cv=GroupKFold(3), random_state=0
    ).fit(X, y, groups=groups)
    assert model.tune_results_
    ((used, folds),) = seen
    np.testing.assert_array_equal(used, groups)
    assert not any(_straddling_groups(folds, groups))


def test_out_of_fold_tuning_folds_are_the_group_folds(data):
    X, y, groups, _ = data
    model = DistilledClassifier(
        LogisticRegression(), DecisionTreeClassifier(max_depth=3), cv=GroupKFold(3), random_state=0
    ).fit(X, y, groups=groups)
    # "labels only" is a label-trained tree per group fold, scored on it
    seed = model.student_.random_state
    pred = np.empty(len(y))
    for train, test in GroupKFold(3).split(X, y, groups):
        tree = DecisionTreeClassifier(max_depth=3, random_state=seed).fit(X[train], y[train])
        pred[test] = tree.predict(X[test])
    assert model.tune_results_[0]["name"] == "labels only"
    assert model.tune_results_[0]["score"] == pytest.approx(np.mean(pred == y))


def test_cross_validate_routes_groups_and_weights(data):
    X, y, groups, w = data
    model = _plain(
        LogisticRegression().set_fit_request(sample_weight=True),
        SoftDecisionTreeClassifier(max_depth=3).set_fit_request(sample_weight=True),
        cv=RecordingGroupKFold(3),
    ).set_score_request(sample_weight=True)
    result = cross_validate(
        model, X, y, cv=GroupKFold(4), params={"groups": groups, "sample_weight": w}
    )
    assert result["test_score"].mean() > 0.8
    # each outer training part's groups reached the inner splitter
    outer = [groups[train] for train, _ in GroupKFold(4).split(X, y, groups)]
    assert len(RecordingGroupKFold.splits) == 4
    for inner, expected in zip(RecordingGroupKFold.splits, outer):
        np.testing.assert_array_equal(inner, expected)


def test_grid_search_routes_groups_and_weights(data):
    X, y, groups, w = data
    model = _plain(
        LogisticRegression().set_fit_request(sample_weight=True),
        DecisionTreeClassifier(max_depth=3).set_fit_request(sample_weight=True),
        cv=GroupKFold(3),
    ).set_score_request(sample_weight=True)
    search = GridSearchCV(model, {"temperature": [1.0, 3.0]}, cv=GroupKFold(3))
    search.fit(X, y, groups=groups, sample_weight=w)
    assert search.best_params_["temperature"] in (1.0, 3.0)
    assert search.best_estimator_.target_summary_["source"] == "oof"


def test_pipeline_routes_to_the_distilled_step(data):
    X, y, groups, w = data
    model = _plain(
        LogisticRegression().set_fit_request(sample_weight=True),
        DecisionTreeClassifier(max_depth=3).set_fit_request(sample_weight=False),
        cv=RecordingGroupKFold(3),
    )
    pipe = make_pipeline(StandardScaler().set_fit_request(sample_weight=False), model)
    pipe.fit(X, y, groups=groups, sample_weight=w)
    np.testing.assert_array_equal(RecordingGroupKFold.splits[0], groups)
    assert pipe.score(X, y) > 0.8
    weighted = pipe[-1].set_score_request(sample_weight=True)
    assert weighted is pipe[-1]
    assert pipe.score(X, y, sample_weight=w) == pytest.approx(
        np.average(pipe.predict(X) == y, weights=w)
    )


def test_regressor_routes_too():
    from sklearn.datasets import make_regression
    from sklearn.linear_model import Ridge
    from sklearn.tree import DecisionTreeRegressor

    X, y = make_regression(n_samples=150, n_features=4, noise=3.0, random_state=0)
    groups = np.arange(len(y)) // 5
    model = DistilledRegressor(
        Ridge(), DecisionTreeRegressor(max_depth=3), cv=RecordingGroupKFold(3), random_state=0
    ).fit(X, y, groups=groups)
    np.testing.assert_array_equal(RecordingGroupKFold.splits[0], groups)
    assert model.tune_results_


def test_teacher_metadata_is_sliced_for_out_of_fold_fits(data):
    X, y, _, w = data
    teacher = RecordingLogistic().set_fit_request(sample_weight=True)
    student = DecisionTreeClassifier(max_depth=3).set_fit_request(sample_weight=False)
    _plain(teacher, student, cv=KFold(4)).fit(X, y, sample_weight=w)
    sizes = sorted(call["n"] for call in RecordingLogistic.calls)
    assert sizes == [180, 180, 180, 180, 240]
    folds = list(KFold(4).split(X))
    fold_weights = [call["sample_weight"] for call in RecordingLogistic.calls if call["n"] == 180]
    expected = [w[train] for train, _ in folds]
    assert all(any(np.array_equal(fw, e) for e in expected) for fw in fold_weights)


class TaggedStudent(ClassifierMixin, BaseEstimator):
    """A classifier whose fit takes a ``tag`` besides ``sample_weight``."""

    def fit(self, X, y, sample_weight=None, tag=None):
        self.tree_ = DecisionTreeClassifier().fit(X, y, sample_weight=sample_weight)
        self.classes_ = self.tree_.classes_
        return self

    def predict(self, X):
        return self.tree_.predict(X)


def test_student_metadata_other_than_weights_is_refused(data):
    X, y, _, _ = data
    student = TaggedStudent().set_fit_request(tag=True)
    with pytest.raises(ValueError, match=r"the student requests the metadata \['tag'\]"):
        _plain(LogisticRegression(), student).fit(X, y, tag=np.ones(len(y)))


class TaggedTeacher(ClassifierMixin, BaseEstimator):
    """A classifier whose fit takes a ``tag`` (one value per row)."""

    tags: list = []

    def fit(self, X, y, sample_weight=None, tag=None):
        TaggedTeacher.tags.append(tag)
        self.model_ = LogisticRegression().fit(X, y, sample_weight=sample_weight)
        self.classes_ = self.model_.classes_
        return self

    def predict(self, X):
        return self.model_.predict(X)

    def predict_proba(self, X):
        return self.model_.predict_proba(X)


def test_other_teacher_metadata_is_routed_and_sliced_for_folds(data):
    X, y, _, w = data
    TaggedTeacher.tags = []
    tag = np.arange(len(y))
    teacher = TaggedTeacher().set_fit_request(tag=True, sample_weight=True)
    student = DecisionTreeClassifier(max_depth=3).set_fit_request(sample_weight=False)
    _plain(teacher, student, cv=KFold(3)).fit(X, y, tag=tag, sample_weight=w)
    folds = [train for train, _ in KFold(3).split(X)]
    assert [list(t) for t in TaggedTeacher.tags] == [list(tag[f]) for f in folds] + [list(tag)]


def test_pipeline_student_takes_skdistill_weights_with_routing_on(data):
    # Replication weights are skdistill's own: before, the Pipeline student's
    # scaler refused them (UnsetMetadataPassedError) with routing enabled.
    X, y, _, w = data
    student = make_pipeline(StandardScaler(), LogisticRegression())
    model = _plain(LogisticRegression(), student)
    routed = model.fit(X, y).predict_proba(X)
    with sklearn.config_context(enable_metadata_routing=False):
        plain = clone(model).fit(X, y).predict_proba(X)
    np.testing.assert_allclose(routed, plain)
    assert model.student_fit_ == "replication"


def test_x_unlabeled_is_an_argument_of_fit_not_routed_metadata(data):
    X, y, groups, _ = data
    model = _plain(LogisticRegression(), DecisionTreeClassifier(max_depth=3), cv=GroupKFold(3))
    model.fit(X, y, X_unlabeled=X[:50] + 0.01, groups=groups)
    assert model.n_transfer_samples_ == 50
    # the distilled estimator requests nothing for fit itself: only score
    assert not hasattr(model, "set_fit_request")
    assert model.get_metadata_routing().consumes("score", ["sample_weight"]) == set()
    model.set_score_request(sample_weight=True)
    assert model.get_metadata_routing().consumes("score", ["sample_weight"]) == {"sample_weight"}
