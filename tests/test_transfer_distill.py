"""Transfer sets, adversarial rounds and feature budget in the distilled estimators."""

import io
from contextlib import redirect_stdout

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy import sparse
from sklearn.base import BaseEstimator, RegressorMixin, clone
from sklearn.datasets import make_classification, make_regression
from sklearn.ensemble import RandomForestClassifier, RandomForestRegressor
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.model_selection import GridSearchCV
from sklearn.neighbors import KNeighborsClassifier
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from sklearn.utils.estimator_checks import parametrize_with_checks

from skdistill import DistilledClassifier, DistilledEstimator, DistilledRegressor
from skdistill._targets import softmax, teacher_logits
from skdistill.students._base import SoftTargetClassifierMixin, soft_targets_from_y
from skdistill.transfer import AdversarialSampler, GaussianNoise, Mixup, Munge, UniformBox


class RecordingStudent(SoftTargetClassifierMixin, BaseEstimator):
    """Native soft student that remembers what it was trained on."""

    def fit(self, X, y, sample_weight=None):
        self.X_seen_ = X
        self.targets_seen_, self.classes_, _ = soft_targets_from_y(y)
        self.weights_seen_ = sample_weight
        self.n_features_in_ = X.shape[1]
        self.prior_ = self.targets_seen_.mean(axis=0)
        return self

    def predict_proba(self, X):
        return np.tile(self.prior_, (X.shape[0], 1))

    def predict(self, X):
        return self.classes_[self.predict_proba(X).argmax(axis=1)]


class RecordingRegressor(RegressorMixin, BaseEstimator):
    def fit(self, X, y, sample_weight=None):
        self.X_seen_, self.y_seen_, self.weights_seen_ = X, np.asarray(y), sample_weight
        self.mean_ = np.mean(y, axis=0)
        return self

    def predict(self, X):
        return np.tile(self.mean_, (X.shape[0],) + (1,) * (np.ndim(self.mean_)))


@pytest.fixture(scope="module")
def data():
    return make_classification(
        n_samples=200,
        n_features=6,
        n_informative=3,
        n_redundant=0,
        n_classes=3,
        shuffle=False,
        random_state=0,
    )


def circle(n, seed):
    rng = np.random.RandomState(seed)
    X = rng.uniform(-1, 1, size=(n, 2))
    return X, (np.hypot(X[:, 0], X[:, 1]) < 0.6).astype(int)


# ------------------------------------------------------ targets of each row
def test_transfer_rows_get_teacher_targets_only(data):
    X, y = data
    teacher = LogisticRegression(max_iter=1000).fit(X, y)
    extra = np.random.RandomState(1).normal(size=(50, 6))
    weights = np.linspace(0.5, 2.0, len(y))
    model = DistilledClassifier(
        FrozenEstimator(teacher),
        RecordingStudent(),
        temperature=3.0,
        alpha=0.4,
        transfer=extra,
    ).fit(X, y, sample_weight=weights)
    student = model.student_
    assert model.n_transfer_samples_ == 50
    assert student.X_seen_.shape == (250, 6)
    assert_array_equal(student.X_seen_[200:], extra)
    logits = teacher_logits(teacher, np.vstack([X, extra]), model.classes_)
    soft = softmax(logits, 3.0)
    # real rows: alpha mixing with the labels; transfer rows: teacher only
    expected_real = 0.6 * soft[:200] + 0.4 * np.eye(3)[y]
    assert_allclose(student.targets_seen_[:200], expected_real)
    assert_allclose(student.targets_seen_[200:], soft[200:])
    assert_allclose(student.weights_seen_, np.concatenate([weights, np.ones(50)]))


def test_regression_transfer_rows_get_teacher_predictions():
    X, y = make_regression(n_samples=120, n_features=4, n_targets=2, random_state=0)
    teacher = Ridge(alpha=10.0).fit(X, y)
    model = DistilledRegressor(
        FrozenEstimator(teacher),
        RecordingRegressor(),
        alpha=1.0,
        transfer=Munge(size_factor=2, random_state=0),
    ).fit(X, y)
    seen = model.student_.y_seen_
    assert seen.shape == (360, 2)
    assert_allclose(seen[:120], y)  # alpha=1: real rows keep their values
    assert_allclose(seen[120:], teacher.predict(model.student_.X_seen_[120:]))
    assert model.student_.weights_seen_ is None
    assert model.n_transfer_samples_ == 240


def test_unlabeled_rows_from_fit_and_from_transfer_are_stacked(data):
    X, y = data
    a = np.random.RandomState(0).normal(size=(30, 6))
    b = np.random.RandomState(1).normal(size=(20, 6))
    model = DistilledClassifier(
        LogisticRegression(max_iter=500),
        RecordingStudent(),
        transfer=[a, Munge(size_factor=0.5)],
        random_state=0,
        cv=3,
    ).fit(X, y, X_unlabeled=b)
    seen = model.student_.X_seen_
    assert model.n_transfer_samples_ == 30 + 20 + 100
    assert_array_equal(seen[200:230], a)
    assert_array_equal(seen[230:250], b)
    assert seen.shape == (350, 6)


def test_unlabeled_rows_must_match_X(data):
    X, y = data
    model = DistilledClassifier(LogisticRegression(), LogisticRegression(), cv=3)
    with pytest.raises(ValueError, match="X_unlabeled has 4 features, but X has 6"):
        model.fit(X, y, X_unlabeled=np.zeros((5, 4)))
    with pytest.raises(ValueError, match="transfer has 2 features, but X has 6"):
        model.set_params(transfer=np.zeros((5, 2))).fit(X, y)
    with pytest.raises(ValueError, match="X_unlabeled must have at least one row, got 0"):
        model.set_params(transfer=None).fit(X, y, X_unlabeled=np.zeros((0, 6)))
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(6)])
    with pytest.raises(
        ValueError,
        match=r"X_unlabeled must have the columns of X; "
        r"missing \['f5'\]",
    ):
        model.fit(frame, y, X_unlabeled=frame.drop(columns="f5"))


def test_empty_transfer_list_is_no_transfer(data):
    X, y = data
    model = DistilledClassifier(LogisticRegression(), RecordingStudent(), transfer=[], cv=3).fit(
        X, y
    )
    assert model.n_transfer_samples_ == 0
    assert model.student_.X_seen_.shape == (200, 6)


def test_dataframe_and_sparse_inputs(data):
    pd = pytest.importorskip("pandas")
    X, y = data
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(6)])
    model = DistilledClassifier(
        RandomForestClassifier(n_estimators=10, random_state=0),
        DecisionTreeClassifier(max_depth=3),
        transfer=Munge(size_factor=2),
        random_state=0,
    ).fit(frame, y, X_unlabeled=frame.to_numpy()[:10])
    assert model.n_transfer_samples_ == 410
    assert_array_equal(model.student_.feature_names_in_, frame.columns)
    assert model.predict(frame).shape == (200,)
    # sparse X: unlabeled rows work, generators say they need dense data
    X_sparse = sparse.csr_matrix(X)
    model = DistilledClassifier(
        LogisticRegression(max_iter=500),
        LogisticRegression(max_iter=500),
        transfer=sparse.csr_matrix(X[:20] + 0.1),
        cv=3,
    ).fit(X_sparse, y)
    assert model.n_transfer_samples_ == 20
    with pytest.raises(TypeError, match="Munge needs dense X.*sparse"):
        model.set_params(transfer=Munge()).fit(X_sparse, y)


# ----------------------------------------------------------- end to end
def test_munge_transfer_improves_a_small_data_student():
    X, y = circle(60, 0)
    X_test, _ = circle(3000, 1)
    teacher = SVC(C=10, gamma=2.0)
    student = DecisionTreeClassifier(random_state=0)
    fidelity = {}
    for name, transfer in (("none", None), ("munge", Munge(size_factor=20, s=2.0))):
        model = DistilledClassifier(
            teacher, student, transfer=transfer, teacher_targets="in_sample", random_state=0
        ).fit(X, y)
        fidelity[name] = np.mean(model.predict(X_test) == model.teacher_.predict(X_test))
    assert fidelity["munge"] > fidelity["none"] + 0.02, fidelity


@pytest.mark.parametrize("Generator", [Munge, GaussianNoise, Mixup, UniformBox])
def test_each_generator_through_the_meta_estimator(data, Generator):
    X, y = data
    model = DistilledClassifier(
        RandomForestClassifier(n_estimators=10, random_state=0),
        DecisionTreeClassifier(max_depth=4),
        transfer=Generator(size_factor=1.5),
        random_state=0,
    ).fit(X, y)
    assert model.n_transfer_samples_ == 300
    assert model.score(X, y) > 0.6
    again = clone(model).fit(X, y)
    assert_allclose(again.predict_proba(X), model.predict_proba(X))


def test_grid_search_over_transfer_size(data):
    X, y = data
    model = DistilledClassifier(
        LogisticRegression(max_iter=500),
        DecisionTreeClassifier(max_depth=3),
        transfer=Munge(),
        teacher_targets="in_sample",
        random_state=0,
    )
    assert model.get_params()["transfer__size_factor"] == 10.0
    search = GridSearchCV(model, {"transfer__size_factor": [0.5, 2.0]}, cv=3).fit(X, y)
    assert [p["transfer__size_factor"] for p in search.cv_results_["params"]] == [0.5, 2.0]
    assert search.best_estimator_.n_transfer_samples_ == round(
        search.best_params_["transfer__size_factor"] * 200
    )
    assert model.transfer.size_factor == 10.0  # the user's generator is untouched


def test_same_random_state_same_transfer_set(data):
    X, y = data

    def fit(seed):
        return DistilledClassifier(
            RandomForestClassifier(n_estimators=5),
            RecordingStudent(),
            transfer=[Munge(size_factor=1), Mixup(size_factor=1)],
            random_state=seed,
        ).fit(X, y)

    first, second, other = fit(3), fit(3), fit(4)
    assert_array_equal(first.student_.X_seen_, second.student_.X_seen_)
    assert not np.array_equal(first.student_.X_seen_, other.student_.X_seen_)
    # an explicit generator seed is kept
    a = DistilledClassifier(
        LogisticRegression(),
        RecordingStudent(),
        cv=3,
        random_state=1,
        transfer=Munge(size_factor=1, random_state=5),
    ).fit(X, y)
    b = DistilledClassifier(
        LogisticRegression(),
        RecordingStudent(),
        cv=3,
        random_state=2,
        transfer=Munge(size_factor=1, random_state=5),
    ).fit(X, y)
    assert_array_equal(a.student_.X_seen_, b.student_.X_seen_)


def test_parallel_labelling_gives_the_same_student(data):
    X, y = data
    params = dict(transfer=Munge(size_factor=5), batch_size=64, random_state=0)
    one = DistilledClassifier(
        RandomForestClassifier(n_estimators=10),
        DecisionTreeClassifier(max_depth=5),
        n_jobs=1,
        **params,
    ).fit(X, y)
    two = DistilledClassifier(
        RandomForestClassifier(n_estimators=10),
        DecisionTreeClassifier(max_depth=5),
        n_jobs=2,
        **params,
    ).fit(X, y)
    assert_allclose(one.predict_proba(X), two.predict_proba(X))


# --------------------------------------------------------- adversarial rounds
def test_adversarial_rounds_improve_held_out_fidelity():
    X, y = circle(60, 0)
    X_test, _ = circle(3000, 1)
    teacher = SVC(C=10, gamma=2.0)
    base = DistilledClassifier(
        teacher,
        DecisionTreeClassifier(random_state=0),
        teacher_targets="in_sample",
        random_state=0,
    )
    first = clone(base).fit(X, y)
    model = (
        clone(base)
        .set_params(
            transfer_rounds=4,
            transfer=AdversarialSampler(GaussianNoise(scale=0.3)),
        )
        .fit(X, y)
    )
    fidelity = model.transfer_fidelity_
    assert 2 <= len(fidelity) <= 5
    assert fidelity.max() > fidelity[0] + 0.03, fidelity
    assert model.best_transfer_round_ == int(np.argmax(fidelity))
    assert model.n_transfer_samples_ == 60 * model.best_transfer_round_
    test_fid = {
        m: np.mean(m.predict(X_test) == m.teacher_.predict(X_test)) for m in (first, model)
    }
    assert test_fid[model] > test_fid[first] + 0.03, test_fid
    # the default sampler (Munge candidates) helps too
    default = clone(base).set_params(transfer_rounds=3).fit(X, y)
    assert default.transfer_fidelity_.max() > default.transfer_fidelity_[0]


def test_rounds_stop_when_fidelity_stops_improving(data):
    X, y = data
    base = DistilledClassifier(
        LogisticRegression(max_iter=500),
        DecisionTreeClassifier(max_depth=3, random_state=0),
        teacher_targets="in_sample",
        temperature=1.0,
        alpha=0.0,
        transfer=None,
        random_state=0,
    )
    plain = clone(base).fit(X, y)
    model = (
        clone(base)
        .set_params(
            transfer_rounds=5,
            transfer=AdversarialSampler(tol=1.0),  # nothing beats tol=1
        )
        .fit(X, y)
    )
    assert len(model.transfer_fidelity_) == 2
    assert model.best_transfer_round_ == 0
    assert model.n_transfer_samples_ == 0
    assert_allclose(model.predict_proba(X), plain.predict_proba(X))


def test_adversarial_rounds_for_regression_and_hard_students():
    X, y = make_regression(n_samples=80, n_features=3, noise=1.0, random_state=0)
    model = DistilledRegressor(
        RandomForestRegressor(n_estimators=20, random_state=0),
        DecisionTreeRegressor(max_depth=4),
        transfer_rounds=2,
        random_state=0,
    ).fit(X, y)
    assert 2 <= len(model.transfer_fidelity_) <= 3
    assert model.predict(X).shape == (80,)
    Xc, yc = circle(80, 0)
    knn = DistilledClassifier(
        SVC(C=10, gamma=2.0),
        KNeighborsClassifier(1),
        teacher_targets="in_sample",
        transfer_rounds=2,
        random_state=0,
    ).fit(Xc, yc)
    assert knn.student_fit_ == "hard"
    assert knn.transfer_fidelity_.max() >= knn.transfer_fidelity_[0]


def test_verbose_reports_labelling_and_rounds(data):
    X, y = data
    out = io.StringIO()
    with redirect_stdout(out):
        DistilledClassifier(
            LogisticRegression(max_iter=500),
            DecisionTreeClassifier(),
            transfer=Munge(size_factor=1),
            transfer_rounds=1,
            verbose=1,
            cv=3,
            random_state=0,
        ).fit(X, y)
    text = out.getvalue()
    assert "transfer set: 200 rows" in text
    assert "labelled 200 rows with the teacher" in text
    assert "round 0: held-out fidelity" in text and "round 1: +200 rows (mean disagreement" in text


# ----------------------------------------------------------- feature budget
def test_feature_budget_uses_teacher_importances(data):
    X, y = data  # shuffle=False: the 3 informative features come first
    model = DistilledClassifier(
        RandomForestClassifier(n_estimators=50, random_state=0),
        DecisionTreeClassifier(max_depth=4),
        feature_budget=3,
        random_state=0,
    ).fit(X, y)
    assert model.feature_importance_source_ == "feature_importances_"
    assert_array_equal(model.student_features_, [0, 1, 2])
    assert model.student_.n_features_in_ == 3
    assert model.n_features_in_ == 6
    assert_allclose(model.teacher_feature_importances_, model.teacher_.feature_importances_)
    proba = model.predict_proba(X)
    assert_allclose(proba, model.student_.predict_proba(X[:, [0, 1, 2]]))
    assert model.score(X, y) > 0.7
    with pytest.raises(ValueError, match="X has 3 features, but DistilledClassifier"):
        model.predict(X[:, :3])


def test_feature_budget_by_permutation_and_with_names(data):
    pd = pytest.importorskip("pandas")
    X, y = data
    frame = pd.DataFrame(X, columns=[f"f{i}" for i in range(6)])
    model = DistilledClassifier(
        SVC(),
        LogisticRegression(max_iter=500),
        feature_budget=2,
        transfer=Munge(size_factor=2),
        random_state=0,
        cv=3,
    ).fit(frame, y)
    assert model.feature_importance_source_ == "permutation"
    assert set(model.student_features_) <= {0, 1, 2}
    assert_array_equal(model.student_feature_names_, frame.columns[model.student_features_])
    assert list(model.student_.feature_names_in_) == list(model.student_feature_names_)
    assert model.decision_function(frame).shape == (200, 3)


def test_feature_budget_larger_than_features_and_refit_clears_it(data):
    X, y = data
    model = DistilledClassifier(
        RandomForestClassifier(n_estimators=5, random_state=0),
        DecisionTreeClassifier(),
        feature_budget=50,
        random_state=0,
    ).fit(X, y)
    assert_array_equal(model.student_features_, np.arange(6))
    model.set_params(feature_budget=None).fit(X, y)
    assert not hasattr(model, "student_features_")
    assert model.student_.n_features_in_ == 6


def test_feature_budget_for_regression():
    X, y = make_regression(
        n_samples=150, n_features=5, n_informative=2, shuffle=False, random_state=0
    )
    model = DistilledEstimator(Ridge(), LinearRegression(), feature_budget=2, cv=3).fit(X, y)
    assert model.feature_importance_source_ == "permutation"
    assert_array_equal(model.student_features_, [0, 1])
    assert model.score(X, y) > 0.9


# ------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "params, error, match",
    [
        (
            {"transfer": "munge"},
            TypeError,
            'transfer must be "auto", None, a transfer-set generator',
        ),
        ({"transfer": [Munge(), 3]}, TypeError, 'transfer must be "auto", None'),
        ({"transfer": Munge(size_factor=0)}, ValueError, r"size_factor must be in the range \(0"),
        ({"transfer": Munge(p=1.5)}, ValueError, r"p must be in the range \[0, 1\]"),
        ({"transfer": Mixup(n_samples=-3)}, ValueError, "n_samples must be in the range"),
        ({"transfer": AdversarialSampler()}, ValueError, "set transfer_rounds >= 1"),
        (
            {"transfer": [AdversarialSampler(), AdversarialSampler()], "transfer_rounds": 1},
            ValueError,
            "at most one AdversarialSampler",
        ),
        ({"transfer_rounds": -1}, ValueError, "transfer_rounds must be in the range"),
        ({"transfer_rounds": 1.5}, TypeError, "transfer_rounds must be an int"),
        ({"feature_budget": 0}, ValueError, "feature_budget must be in the range"),
        ({"batch_size": 0}, ValueError, "batch_size must be in the range"),
        (
            {"transfer_rounds": 1, "transfer": AdversarialSampler(disagreement="x")},
            ValueError,
            "disagreement must be one of",
        ),
    ],
)
def test_bad_transfer_parameters(data, params, error, match):
    X, y = data
    model = DistilledClassifier(LogisticRegression(), LogisticRegression(), cv=3, **params)
    with pytest.raises(error, match=match):
        model.fit(X, y)


def test_missing_values_with_a_nan_teacher_and_sparse_tag(data):
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.utils import get_tags

    X, y = data
    X_nan = X.copy()
    X_nan[::5, 0] = np.nan
    model = DistilledClassifier(
        HistGradientBoostingClassifier(max_iter=10),
        DecisionTreeClassifier(max_depth=4),
        teacher_targets="in_sample",
        random_state=0,
    )
    assert get_tags(model).input_tags.sparse is False  # HGB: dense only anyway
    model.set_params(transfer=Munge(size_factor=2)).fit(X_nan, y)
    assert model.n_transfer_samples_ == 400
    assert model.score(X_nan, y) > 0.7
    sparse_pair = DistilledClassifier(LogisticRegression(), LogisticRegression())
    assert get_tags(sparse_pair).input_tags.sparse
    assert not get_tags(sparse_pair.set_params(transfer=Munge())).input_tags.sparse
    assert get_tags(sparse_pair.set_params(transfer=np.zeros((2, 6)))).input_tags.sparse


def test_predict_refuses_nan_when_the_teacher_does(data):
    X, y = data
    model = DistilledClassifier(LogisticRegression(), DecisionTreeClassifier(), cv=3).fit(X, y)
    X_nan = X.copy()
    X_nan[0, 0] = np.nan
    with pytest.raises(ValueError, match="Input X contains NaN"):
        model.predict(X_nan)


# ---------------------------------------------------- scikit-learn checks
TRANSFER_ESTIMATORS = [
    DistilledClassifier(
        RandomForestClassifier(n_estimators=5, random_state=0),
        DecisionTreeClassifier(max_depth=4, random_state=0),
        transfer=Munge(size_factor=1),
        feature_budget=3,
        teacher_targets="in_sample",
    ),
    DistilledRegressor(
        Ridge(),
        DecisionTreeRegressor(max_depth=4, random_state=0),
        transfer=Mixup(size_factor=1),
        transfer_rounds=1,
        teacher_targets="in_sample",
    ),
]
# Synthetic rows are drawn around the real ones (their neighbours, pairs,
# ranges): duplicating a row changes them, weighting it does not.
TRANSFER_DEPENDS_ON_ROWS = {
    "check_sample_weight_equivalence_on_dense_data": (
        "transfer rows are generated from the rows themselves, so duplicates "
        "and weights give different transfer sets"
    ),
}


@parametrize_with_checks(
    TRANSFER_ESTIMATORS, expected_failed_checks=lambda e: TRANSFER_DEPENDS_ON_ROWS
)
def test_sklearn_compatible_with_transfer(estimator, check):
    check(estimator)


@pytest.mark.parametrize(
    "rows, param, match",
    [
        (np.empty((0, 4)), "X_unlabeled", "X_unlabeled must have at least one row, got 0"),
        (np.array([["a"] * 4] * 3), "X_unlabeled", "X_unlabeled must be numeric like X"),
        (np.ones(4), "transfer", "transfer must be a 2-D array of rows"),
        (np.ones(4), "X_unlabeled", "X_unlabeled must be a 2-D array of rows"),
    ],
)
def test_unlabeled_rows_errors_name_the_parameter(rows, param, match):
    X, y = make_classification(n_samples=100, n_features=4, random_state=0)
    model = DistilledClassifier(
        RandomForestClassifier(n_estimators=5, random_state=0),
        DecisionTreeClassifier(),
        temperature=1.0,
        alpha=0.0,
        transfer=rows if param == "transfer" else None,
    )
    with pytest.raises(ValueError, match=match):
        model.fit(X, y, **({"X_unlabeled": rows} if param == "X_unlabeled" else {}))
