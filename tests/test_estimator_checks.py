"""scikit-learn's own estimator checks over several teacher/student pairs."""

from sklearn.ensemble import (
    GradientBoostingClassifier,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from sklearn.utils.estimator_checks import parametrize_with_checks

from skdistill import DistilledClassifier, DistilledEstimator, DistilledRegressor
from skdistill.students import (
    LinearTreeClassifier,
    LinearTreeRegressor,
    SoftDecisionTreeClassifier,
    SoftGAMClassifier,
    SoftGAMRegressor,
    SoftGaussianNB,
    SoftGradientBoostingClassifier,
    SoftLogisticRegression,
)

ESTIMATORS = [
    # oob targets, replication strategy
    DistilledClassifier(
        RandomForestClassifier(n_estimators=10, random_state=0),
        DecisionTreeClassifier(max_depth=4, random_state=0),
        temperature=2.0,
    ),
    # oof targets, replication into a Pipeline student
    DistilledClassifier(
        LogisticRegression(),
        make_pipeline(StandardScaler(), LogisticRegression()),
        alpha=0.3,
        cv=3,
    ),
    # in-sample decision_function targets, logit regression student
    DistilledClassifier(
        GradientBoostingClassifier(n_estimators=10, random_state=0),
        Ridge(),
        teacher_targets="in_sample",
    ),
    # hard-label strategy (KNN takes no sample_weight)
    DistilledClassifier(
        GaussianNB(), KNeighborsClassifier(n_neighbors=3), teacher_targets="in_sample"
    ),
    DistilledRegressor(
        RandomForestRegressor(n_estimators=10, random_state=0),
        DecisionTreeRegressor(max_depth=4, random_state=0),
    ),
    DistilledRegressor(Ridge(), LinearRegression(), alpha=0.5, cv=3),
    DistilledEstimator(
        RandomForestClassifier(n_estimators=10, random_state=0),
        LogisticRegression(),
        temperature=2.0,
    ),
    DistilledEstimator(
        RandomForestRegressor(n_estimators=10, random_state=0),
        Ridge(),
    ),
]

# skdistill's own students inside a distilled model ("native" strategy for
# classifiers): small settings, fixed temperature and no transfer set so that
# every check runs one short fit. The teacher is linear and its targets
# in-sample, so the sample-weight checks test the students' weights (a forest
# teacher's bootstrap is not weight-equivalent).
NATIVE_CLASSIFIERS = [
    SoftDecisionTreeClassifier(max_depth=3, random_state=0),
    SoftLogisticRegression(max_iter=200),
    SoftGaussianNB(),
    SoftGradientBoostingClassifier(n_estimators=5, max_depth=2, early_stopping=False),
    SoftGAMClassifier(max_bins=16, max_rounds=20, early_stopping=False),
    LinearTreeClassifier(max_depth=2, min_samples_leaf=5, random_state=0),
]
NATIVE_REGRESSORS = [
    SoftGAMRegressor(max_bins=16, max_rounds=20, early_stopping=False),
    LinearTreeRegressor(max_depth=2, min_samples_leaf=5, random_state=0),
]
ESTIMATORS += [
    DistilledClassifier(
        LogisticRegression(),
        student,
        temperature=2.0,
        alpha=0.5,
        transfer=None,
        teacher_targets="in_sample",
    )
    for student in NATIVE_CLASSIFIERS
]
ESTIMATORS += [
    DistilledRegressor(
        Ridge(),
        student,
        alpha=0.5,
        transfer=None,
        teacher_targets="in_sample",
    )
    for student in NATIVE_REGRESSORS
]

# Out-of-bag and out-of-fold targets depend on which rows share a bootstrap
# sample or a fold, so duplicating a row is not the same as doubling its
# weight (scikit-learn marks its own forests the same way).
RESAMPLED_TARGETS = {
    "check_sample_weight_equivalence_on_dense_data": (
        "oob/oof teacher targets depend on bootstrap samples or folds"
    ),
    "check_sample_weight_equivalence_on_sparse_data": (
        "oob/oof teacher targets depend on bootstrap samples or folds"
    ),
}
# KNeighborsClassifier cannot take sample_weight: DistilledClassifier raises a
# clear ValueError rather than silently ignoring the weights.
STUDENT_WITHOUT_WEIGHTS = {
    name: "the student does not accept sample_weight; fit raises a clear error"
    for name in (
        "check_sample_weights_pandas_series",
        "check_sample_weights_not_an_array",
        "check_sample_weights_list",
        "check_sample_weights_shape",
        "check_sample_weights_not_overwritten",
        "check_all_zero_sample_weights_error",
        "check_sample_weight_equivalence_on_dense_data",
        "check_sample_weight_equivalence_on_sparse_data",
        "check_classifiers_one_label_sample_weights",
    )
}


def _expected_failed_checks(estimator):
    if type(estimator.student).__name__ == "KNeighborsClassifier":
        return STUDENT_WITHOUT_WEIGHTS
    # A linear teacher's out-of-fold fits happen to be weight-equivalent.
    linear_teacher = type(estimator.teacher).__name__ == "Ridge"
    if estimator.teacher_targets in ("auto", "oof", "oob") and not linear_teacher:
        return RESAMPLED_TARGETS
    return {}


@parametrize_with_checks(ESTIMATORS, expected_failed_checks=_expected_failed_checks)
def test_sklearn_compatible(estimator, check):
    check(estimator)
