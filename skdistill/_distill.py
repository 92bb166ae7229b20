"""The distillation meta-estimators: teacher -> targets -> student."""

from __future__ import annotations

import time
from copy import deepcopy
from typing import Any, TypeVar

import numpy as np
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    MetaEstimatorMixin,
    RegressorMixin,
    clone,
    is_classifier,
    is_regressor,
)
from sklearn.metrics import accuracy_score, r2_score
from sklearn.utils import (
    check_random_state,
    get_tags,
)
from sklearn.utils.metadata_routing import UNUSED, MetadataRouter, MethodMapping
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, column_or_1d, validate_data

from . import _feature_budget, _params, _strategies, _targets, _tune
from . import _fit_steps as steps
from ._doc_link import DocLinkMixin
from ._docs import CLASSIFIER_DOC, ESTIMATOR_DOC, REGRESSOR_DOC
from ._fit_steps import Settings, Task
from ._labeling import n_rows_of
from ._rounds import adversarial_rounds
from ._targets import TeacherFit
from ._typing import ArrayLike, Estimator, Float64Array, MatrixLike, NDArray, RandomStateLike
from ._validation import (
    check_sample_weight,
)
from .transfer import _fitting

# Attributes that only some fits set; removed at the start of every fit so
# that a refit never keeps those of an earlier one.
_CONDITIONAL_ATTRIBUTES = (
    "student_features_",
    "student_feature_names_",
    "teacher_feature_importances_",
    "feature_importance_source_",
    "transfer_fidelity_",
    "best_transfer_round_",
    "tuned_params_",
    "tune_results_",
)

# The type of ``self``, so that ``fit`` returns the subclass it was called on
# (typing.Self needs Python 3.11).
_Distilled = TypeVar("_Distilled", bound="_BaseDistilled")


_PREPROCESSING_FIX = (
    "encode them first, or give the student the teacher's preprocessing, e.g. "
    "make_pipeline(clone(teacher[:-1]), student) for a Pipeline teacher"
)


class _BaseDistilled(DocLinkMixin, MetaEstimatorMixin, BaseEstimator):
    """Shared fit/predict logic; subclasses say whether the task is
    classification through ``_is_classification``."""

    # With metadata routing, fit's sample_weight goes to the teacher and the
    # student that request it (get_metadata_routing), not to the distilled
    # estimator itself; X_unlabeled is never routed (pass it to fit).
    __metadata_request__fit = {"sample_weight": UNUSED, "X_unlabeled": UNUSED}

    # ------------------------------------------------------------------ fit
    def fit(
        self: _Distilled,
        X: MatrixLike,
        y: ArrayLike,
        sample_weight: ArrayLike | None = None,
        X_unlabeled: MatrixLike | None = None,
        **fit_params: Any,
    ) -> _Distilled:
        """Fit the teacher, build its targets and train the student on them.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Training data, passed as is to the teacher and the student (a
            Pipeline teacher may select DataFrame columns by name).
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            True labels (classification) or values (regression).
        sample_weight : array-like of shape (n_samples,), default=None
            Passed to the teacher's and the student's ``fit`` (with metadata
            routing enabled: to those that request it). Transfer rows get
            weight 1.
        X_unlabeled : {array-like, sparse matrix, DataFrame} of shape \
(n_unlabeled, n_features), default=None
            Unlabeled rows added to the transfer set: the teacher labels them
            and the student learns them (same columns as X). Steps of an
            enclosing Pipeline do not transform them; put preprocessing in
            the teacher and the student instead.
        **fit_params : dict
            Only with ``sklearn.set_config(enable_metadata_routing=True)``:
            metadata routed to the teacher's ``fit`` (what it requests) and
            to ``cv.split``, e.g. ``groups`` for ``cv=GroupKFold()``; the
            groups also keep the "auto" tuner's validation folds apart.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        self._check_params()
        X, y, sample_weight = self._validate_fit_data(X, y, sample_weight)
        metadata = _params.route_fit_metadata(self, sample_weight, fit_params)
        for name in _CONDITIONAL_ATTRIBUTES:
            self.__dict__.pop(name, None)
        rng = check_random_state(self.random_state)
        teacher, student = steps.prepare_estimators(
            self.teacher,
            self.student,
            rng,
            _params.unrouted_weight(sample_weight),
            self.random_state is not None,
        )
        task = self._task(X, y, metadata.student_weight, teacher, student)
        teacher_fit = self._fit_teacher(task, teacher, metadata)
        settings = self._settings(task, teacher_fit, student, metadata.groups)
        self.alpha_ = settings.alpha
        if task.classification:
            self.temperature_ = settings.temperature
        self._fit_student(task, teacher_fit, student, settings, rng, X_unlabeled)
        return self

    def get_metadata_routing(self) -> MetadataRouter:
        """Get metadata routing of this object.

        ``fit`` routes ``sample_weight`` and the metadata they request to
        the teacher's and the student's ``fit``, and ``groups`` (or what
        ``cv`` requests) to ``cv.split``; see the user guide's "Metadata
        routing" section and scikit-learn's metadata routing guide.

        Returns
        -------
        routing : MetadataRouter
            The teacher, the student and the splitter ``cv`` as routees of
            ``fit``.
        """
        return (
            MetadataRouter(owner=type(self).__name__)
            .add_self_request(self)  # score's sample_weight
            .add(
                teacher=self.teacher,
                method_mapping=MethodMapping().add(caller="fit", callee="fit"),
            )
            .add(
                student=self.student,
                method_mapping=MethodMapping().add(caller="fit", callee="fit"),
            )
            .add(
                splitter=self.cv,
                method_mapping=MethodMapping().add(caller="fit", callee="split"),
            )
        )

    def _validate_fit_data(
        self, X: MatrixLike, y: ArrayLike, sample_weight: ArrayLike | None
    ) -> tuple[Any, NDArray[Any], Float64Array | None]:
        """X, y and sample_weight checked once, in the forms the steps use."""
        X, y = validate_data(self, X, y, skip_check_array=True)
        X = _fitting.as_rows_container(_params.indexable_X(X))
        y = self._check_y(y, self._is_classification())
        return X, y, _check_sample_weight(sample_weight, len(y))

    def _task(
        self,
        X: Any,
        y: NDArray[Any],
        sample_weight: Float64Array | None,
        teacher: Estimator,
        student: Estimator,
    ) -> Task:
        """The fit's Task; sets ``classes_`` and ``student_fit_``."""
        classes = y_idx = None
        if self._is_classification():
            classes, y_idx = steps.encode_labels(y, teacher)
            self.classes_ = classes
            self.student_fit_ = _strategies.resolve_student_fit(student, self.student_fit)
        else:
            self.student_fit_ = "regression"
        return steps.Task(
            X=X,
            y=y,
            sample_weight=sample_weight,
            classes=classes,
            y_idx=y_idx,
            strategy=self.student_fit_,
            batch_size=self.batch_size,
            n_jobs=self.n_jobs,
            verbose=self.verbose,
        )

    def _fit_teacher(
        self, task: Task, teacher: Estimator, metadata: _params.FitMetadata
    ) -> TeacherFit:
        """Fit the teacher with its target source; sets ``teacher_``."""
        source = _targets.resolve_source(teacher, self.teacher_targets)
        start = time.perf_counter()
        teacher_fit = _targets.fit_teacher(
            teacher,
            task.X,
            task.y,
            source=source,
            classes=task.classes,
            sample_weight=metadata.teacher_weight,
            cv=self.cv,
            n_jobs=self.n_jobs,
            fit_params=metadata.teacher_params,
            split_params=metadata.split_params,
        )
        self.teacher_ = teacher_fit.teacher
        self.teacher_fit_time_ = time.perf_counter() - start
        if _targets.is_prefitted(teacher):
            self._log(
                f"{type(teacher).__name__} teacher used as is ({source} targets: it "
                "cannot be refit, so cv is not used for targets)"
            )
        else:
            self._log(f"teacher fitted ({source} targets) in {self.teacher_fit_time_:.2f}s")
        return teacher_fit

    def _settings(
        self, task: Task, teacher_fit: TeacherFit, student: Estimator, groups: Any = None
    ) -> Settings:
        """The temperature, alpha and transfer set of this fit: the
        parameters, with the "auto" ones chosen by the tuner; sets
        ``tuned_params_``, ``tune_results_`` and ``tune_time_``."""
        auto = _tune.auto_params(self)
        fixed = _tune.fixed_settings(self.get_params(deep=False), auto)
        self.tune_time_ = 0.0
        if not auto:
            return fixed
        start = time.perf_counter()
        results = []
        if _tune.can_tune(task.y, task.classification, groups) and (
            task.y.ndim == 1 or not task.classification
        ):
            settings, results = _tune.tune_settings(
                task,
                teacher_fit,
                student,
                fixed,
                auto,
                random_state=self.random_state,
                log=self._log,
                groups=groups,
            )
        else:
            settings = fixed
            self._log(
                f"too few rows to tune; auto settings: "
                f"{_tune.describe(_tune.plain_settings(self))}"
            )
        self.tune_time_ = time.perf_counter() - start
        self.tuned_params_ = {name: getattr(settings, name) for name in auto}
        self.tune_results_ = results
        return settings

    def _fit_student(
        self,
        task: Task,
        teacher_fit: TeacherFit,
        student: Estimator,
        settings: Settings,
        rng: np.random.RandomState,
        X_unlabeled: MatrixLike | None,
    ) -> None:
        """Targets, transfer set, feature budget, student and rounds; sets
        the student's fitted attributes."""
        teacher = teacher_fit.teacher
        targets = steps.training_targets(task, teacher_fit.outputs, settings)
        self.target_summary_ = steps.target_summary(task, teacher_fit, targets)
        start = time.perf_counter()
        generators, arrays, sampler = steps.transfer_components(
            settings.transfer,
            rng,
            self.random_state is not None,
            force_sampler=bool(self.transfer_rounds),
        )
        X_transfer = steps.transfer_rows(task.X, generators, arrays, X_unlabeled)
        transfer_targets = None
        if X_transfer is not None:
            self._log(f"transfer set: {n_rows_of(X_transfer)} rows")
            transfer_targets = steps.label_rows(
                task,
                teacher,
                X_transfer,
                settings.temperature,
                verbose=self.verbose,
                log=self._log,
            )
        self.n_transfer_samples_ = 0 if X_transfer is None else n_rows_of(X_transfer)
        self.transfer_time_ = time.perf_counter() - start
        if self.feature_budget is not None:
            self._choose_features(task.X if X_transfer is None else X_transfer, rng)
        features = getattr(self, "student_features_", None)
        start = time.perf_counter()
        X_rows, row_targets, row_weights = steps.stack_rows(
            task.X, targets, task.sample_weight, X_transfer, transfer_targets
        )
        try:
            self.student_ = steps.fit_student(
                task,
                clone(student),
                X_rows,
                row_targets,
                row_weights,
                features=features,
                teacher=teacher,
            )
        except ValueError as exc:
            hint = _params.non_numeric_hint(task.X, student, _PREPROCESSING_FIX)
            if not hint:
                raise
            raise ValueError(f"{exc}{hint}") from exc
        self.student_fit_time_ = time.perf_counter() - start
        self._log(f"student fitted ({self.student_fit_}) in {self.student_fit_time_:.2f}s")
        if self.transfer_rounds:
            self._rounds(
                task,
                teacher,
                student,
                sampler,
                targets,
                (X_transfer, transfer_targets),
                settings.temperature,
            )

    def _rounds(
        self,
        task: Task,
        teacher: Estimator,
        student: Estimator,
        sampler: Any,
        targets: Any,
        transfer: tuple[Any, Any],
        temperature: float,
    ) -> None:
        start = time.perf_counter()
        rounds = adversarial_rounds(
            task,
            teacher,
            student,
            sampler,
            self.transfer_rounds,
            self.student_,
            targets=targets,
            transfer=transfer,
            temperature=temperature,
            features=getattr(self, "student_features_", None),
            gives_proba=self._student_gives_proba(),
            log=self._log,
        )
        self.student_ = rounds.student
        self.n_transfer_samples_ = rounds.n_transfer_samples
        self.transfer_fidelity_ = rounds.fidelity
        self.best_transfer_round_ = rounds.best_round
        self.transfer_time_ += time.perf_counter() - start

    def _student_input(self, X: Any) -> Any:
        """X restricted to the student's features (all of them without a
        feature budget)."""
        return steps.select_columns(X, getattr(self, "student_features_", None))

    def _choose_features(self, X_rows: Any, rng: np.random.RandomState) -> None:
        importances, source = _feature_budget.teacher_importances(
            self.teacher_,
            X_rows,
            self.n_features_in_,
            random_state=rng,
            n_jobs=self.n_jobs,
        )
        self.teacher_feature_importances_ = importances
        self.feature_importance_source_ = source
        self.student_features_ = _feature_budget.top_features(importances, self.feature_budget)
        if hasattr(self, "feature_names_in_"):
            self.student_feature_names_ = self.feature_names_in_[self.student_features_]
        # A ColumnTransformer in the student would otherwise fail later with
        # scikit-learn's message, which does not say the budget dropped it.
        _feature_budget.check_student_columns(
            self.student,
            self.feature_budget,
            self.student_features_,
            getattr(self, "feature_names_in_", None),
        )
        self._log(
            f"feature budget: student uses {len(self.student_features_)} of "
            f"{self.n_features_in_} features ({source})"
        )

    def _check_params(self) -> None:
        _params.check_params(
            self.get_params(deep=False), self._is_classification(), type(self).__name__
        )

    def _check_y(self, y: ArrayLike, classification: bool) -> NDArray[Any]:
        if classification:
            labels: NDArray[Any] = column_or_1d(y, warn=True)
            check_classification_targets(labels)
            return labels
        values = np.asarray(y)
        if (
            values.ndim == 2
            and values.shape[1] == 1
            and not get_tags(self).target_tags.multi_output
        ):
            values = column_or_1d(values, warn=True)
        if values.dtype.kind not in "biuf":
            try:
                values = values.astype(np.float64)
            except (TypeError, ValueError) as exc:
                raise ValueError(
                    "y must be numeric for regression (Unknown label type: values of "
                    f"dtype {values.dtype} that are not numbers)"
                ) from exc
        return values

    def _log(self, message: str) -> None:
        if self.verbose:
            print(f"[{type(self).__name__}] {message}")

    # -------------------------------------------------------------- predict
    def _validate_X_predict(self, X: MatrixLike) -> Any:
        """X checked against the fit, restricted to the student's features."""
        check_is_fitted(self)
        X = _params.indexable_X(X)
        if hasattr(self, "n_features_in_") and _params.is_one_dimensional(X):
            raise ValueError(
                "Expected a 2D array for X, got a 1D array instead. Reshape your data "
                "using array.reshape(-1, 1) for a single feature or "
                "array.reshape(1, -1) for a single sample."
            )
        validate_data(self, X, reset=False, skip_check_array=True)
        if not get_tags(self).input_tags.allow_nan:
            # The student may take NaN where the teacher did not (e.g. a
            # linear teacher and a tree student): the estimator as a whole
            # declares no NaN support, so predict refuses NaN too.
            _params.check_finite(X)
        return self._student_input(X)

    def predict(self, X: MatrixLike) -> NDArray[Any]:
        """Predict with the student.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            Class labels (classification) or values (regression).
        """
        X = self._validate_X_predict(X)
        if not self._is_classification():
            return self.student_.predict(X)
        return _strategies.student_predict(self.student_fit_, self.student_, X, self.classes_)

    def _deployed_temperature(self) -> float:
        """The factor that takes the student's logits back to temperature 1:
        the training temperature, unless the targets were the labels alone."""
        if getattr(self, "alpha_", 1.0) >= 1.0:
            return 1.0
        return float(getattr(self, "temperature_", 1.0))

    def _student_gives_proba(self) -> bool:
        return self._is_classification() and (
            is_regressor(self.student)
            or _strategies.accepts_soft_targets(self.student)
            or hasattr(self.student, "predict_proba")
        )

    def _student_gives_scores(self) -> bool:
        return self._is_classification() and (
            is_regressor(self.student) or hasattr(self.student, "decision_function")
        )

    @available_if(_student_gives_proba)
    def predict_proba(self, X: MatrixLike) -> Float64Array:
        """Class probabilities of the student, columns ordered as ``classes_``.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Deployed at temperature 1: a student trained on targets softened
            by ``temperature_`` T has its probabilities sharpened back,
            ``p ** T`` renormalised (its logits times T), as in Hinton et
            al. (2015), so that they are calibrated like the teacher's.
        """
        X = self._validate_X_predict(X)
        proba = _strategies.student_proba(self.student_fit_, self.student_, X, self.classes_)
        return _targets.untempered_proba(proba, self._deployed_temperature())

    @available_if(_student_gives_proba)
    def predict_log_proba(self, X: MatrixLike) -> Float64Array:
        """Logarithm of :meth:`predict_proba`.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
        """
        with np.errstate(divide="ignore"):
            return np.log(self.predict_proba(X))

    @available_if(_student_gives_scores)
    def decision_function(self, X: MatrixLike) -> Float64Array:
        """Student scores whose argmax is the prediction.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples,) for two classes (the margin of
            ``classes_[1]``), else (n_samples, n_classes)
        """
        X = self._validate_X_predict(X)
        scores = self._deployed_temperature() * _strategies.student_logits(
            self.student_fit_, self.student_, X, self.classes_
        )
        if len(self.classes_) == 2:
            return scores[:, 1] - scores[:, 0]
        return scores

    def score(self, X: MatrixLike, y: ArrayLike, sample_weight: ArrayLike | None = None) -> float:
        """Accuracy (classification) or R² (regression) of the student.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        score : float
        """
        metric = accuracy_score if self._is_classification() else r2_score
        return metric(y, self.predict(X), sample_weight=sample_weight)

    # ----------------------------------------------------------------- tags
    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        teacher_tags = get_tags(self.teacher)
        student_tags = get_tags(self.student)
        tags.input_tags.sparse = teacher_tags.input_tags.sparse and student_tags.input_tags.sparse
        tags.input_tags.allow_nan = (
            teacher_tags.input_tags.allow_nan and student_tags.input_tags.allow_nan
        )
        tags.input_tags.string = teacher_tags.input_tags.string and student_tags.input_tags.string
        tags.input_tags.categorical = (
            teacher_tags.input_tags.categorical and student_tags.input_tags.categorical
        )
        if not self._is_classification():
            tags.target_tags.multi_output = (
                teacher_tags.target_tags.multi_output and student_tags.target_tags.multi_output
            )
        if _fitting.needs_dense(self.transfer) or self.transfer_rounds:
            # Generators draw rows from dense data (and reject NaN in fit with
            # a clear error; predict still takes what the student takes).
            tags.input_tags.sparse = False
        return tags


def _check_sample_weight(sample_weight: ArrayLike | None, n_samples: int) -> Float64Array | None:
    return check_sample_weight(sample_weight, n_samples, match="y")


class DistilledClassifier(ClassifierMixin, _BaseDistilled):
    __doc__ = CLASSIFIER_DOC

    def __init__(
        self,
        teacher: Estimator,
        student: Estimator,
        *,
        temperature: float | str = "auto",
        alpha: float | str = "auto",
        teacher_targets: str = "auto",
        cv: int | Any = 5,
        student_fit: str = "auto",
        transfer: Any = "auto",
        transfer_rounds: int = 0,
        feature_budget: int | None = None,
        batch_size: int | None = 10_000,
        random_state: RandomStateLike = None,
        n_jobs: int | None = None,
        verbose: int = 0,
    ) -> None:
        self.teacher = teacher
        self.student = student
        self.temperature = temperature
        self.alpha = alpha
        self.teacher_targets = teacher_targets
        self.cv = cv
        self.student_fit = student_fit
        self.transfer = transfer
        self.transfer_rounds = transfer_rounds
        self.feature_budget = feature_budget
        self.batch_size = batch_size
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.verbose = verbose

    def _is_classification(self) -> bool:
        return True


class DistilledRegressor(RegressorMixin, _BaseDistilled):
    __doc__ = REGRESSOR_DOC

    def __init__(
        self,
        teacher: Estimator,
        student: Estimator,
        *,
        alpha: float | str = "auto",
        teacher_targets: str = "auto",
        cv: int | Any = 5,
        transfer: Any = "auto",
        transfer_rounds: int = 0,
        feature_budget: int | None = None,
        batch_size: int | None = 10_000,
        random_state: RandomStateLike = None,
        n_jobs: int | None = None,
        verbose: int = 0,
    ) -> None:
        self.teacher = teacher
        self.student = student
        self.alpha = alpha
        self.teacher_targets = teacher_targets
        self.cv = cv
        self.transfer = transfer
        self.transfer_rounds = transfer_rounds
        self.feature_budget = feature_budget
        self.batch_size = batch_size
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.verbose = verbose

    def _is_classification(self) -> bool:
        return False


class DistilledEstimator(_BaseDistilled):
    __doc__ = ESTIMATOR_DOC

    def __init__(
        self,
        teacher: Estimator,
        student: Estimator,
        *,
        temperature: float | str = "auto",
        alpha: float | str = "auto",
        teacher_targets: str = "auto",
        cv: int | Any = 5,
        student_fit: str = "auto",
        transfer: Any = "auto",
        transfer_rounds: int = 0,
        feature_budget: int | None = None,
        batch_size: int | None = 10_000,
        random_state: RandomStateLike = None,
        n_jobs: int | None = None,
        verbose: int = 0,
    ) -> None:
        self.teacher = teacher
        self.student = student
        self.temperature = temperature
        self.alpha = alpha
        self.teacher_targets = teacher_targets
        self.cv = cv
        self.student_fit = student_fit
        self.transfer = transfer
        self.transfer_rounds = transfer_rounds
        self.feature_budget = feature_budget
        self.batch_size = batch_size
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.verbose = verbose

    def _is_classification(self) -> bool:
        return is_classifier(self.teacher)

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        teacher_tags = get_tags(self.teacher)
        tags.estimator_type = teacher_tags.estimator_type
        tags.classifier_tags = deepcopy(teacher_tags.classifier_tags)
        tags.regressor_tags = deepcopy(teacher_tags.regressor_tags)
        if tags.classifier_tags is not None:
            tags.classifier_tags.multi_label = False  # students learn one label
        return tags
