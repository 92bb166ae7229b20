"""The distillation meta-estimators: teacher -> targets -> student."""

import time
from copy import deepcopy

import numpy as np
from scipy import sparse
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    MetaEstimatorMixin,
    RegressorMixin,
    clone,
    is_classifier,
    is_regressor,
)
from sklearn.frozen import FrozenEstimator
from sklearn.metrics import accuracy_score, r2_score
from sklearn.utils import Bunch, check_random_state, get_tags
from sklearn.utils.metaestimators import available_if
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, column_or_1d, validate_data

from . import _strategies, _targets
from ._utils import accepts_sample_weight, fit_estimator, seed_unset_random_states
from ._validation import check_int, check_n_jobs, check_option, check_real


class _BaseDistilled(MetaEstimatorMixin, BaseEstimator):
    """Shared fit/predict logic; subclasses say whether the task is
    classification through ``_is_classification``."""

    # ------------------------------------------------------------------ fit
    def fit(self, X, y, sample_weight=None):
        """Fit the teacher, build its targets and train the student on them.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Training data, passed as is to the teacher and the student (a
            Pipeline teacher may select DataFrame columns by name).
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            True labels (classification) or values (regression).
        sample_weight : array-like of shape (n_samples,), default=None
            Passed to the teacher's and the student's ``fit``.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        self._check_params()
        classification = self._is_classification()
        X, y = validate_data(self, X, y, skip_check_array=True)
        X = _indexable_X(X)
        y = self._check_y(y, classification)
        sample_weight = _check_sample_weight(sample_weight, len(y))
        rng = check_random_state(self.random_state)
        teacher, student = self._prepare_estimators(rng, sample_weight)

        if classification:
            classes, y_idx = self._encode_labels(y, teacher)
            self.classes_ = classes
        source = _targets.resolve_source(teacher, self.teacher_targets)

        start = time.perf_counter()
        self.teacher_, outputs = _targets.fit_teacher_and_outputs(
            teacher, X, y, source=source,
            classes=self.classes_ if classification else None,
            sample_weight=sample_weight, cv=self.cv, n_jobs=self.n_jobs,
        )
        self.teacher_fit_time_ = time.perf_counter() - start
        self._log(f"teacher fitted ({source} targets) in {self.teacher_fit_time_:.2f}s")

        start = time.perf_counter()
        if classification:
            temperature = getattr(self, "temperature", 1.0)
            targets = _targets.soft_targets(
                outputs, y_idx, temperature=temperature, alpha=self.alpha
            )
            self.student_fit_ = _strategies.resolve_student_fit(student, self.student_fit)
            self.student_ = _strategies.fit_student(
                self.student_fit_, student, X, targets, self.classes_, sample_weight
            )
            self.target_summary_ = _classification_summary(source, outputs, targets, y_idx)
        else:
            targets = _targets.regression_targets(outputs, y, alpha=self.alpha)
            self.student_fit_ = "regression"
            self.student_ = fit_estimator(student, X, targets, sample_weight)
            self.target_summary_ = _regression_summary(source, outputs, y)
        self.student_fit_time_ = time.perf_counter() - start
        self._log(f"student fitted ({self.student_fit_}) in {self.student_fit_time_:.2f}s")
        return self

    def _check_params(self):
        if isinstance(self.teacher, FrozenEstimator):
            try:
                check_is_fitted(self.teacher.estimator)
            except Exception as exc:  # NotFittedError or a non-estimator inside
                raise ValueError(
                    "teacher is a FrozenEstimator around an unfitted estimator "
                    f"({type(self.teacher.estimator).__name__}); fit it before "
                    "freezing, or pass the unfitted estimator itself."
                ) from exc
        for name in ("teacher", "student"):
            value = getattr(self, name)
            if not (hasattr(value, "fit") and hasattr(value, "get_params")):
                raise TypeError(
                    f"{name} must be a scikit-learn estimator (with fit and "
                    f"get_params), got {value!r} of type {type(value).__name__}"
                )
        if self._is_classification():
            if not is_classifier(self.teacher):
                raise TypeError(
                    f"teacher must be a classifier for {type(self).__name__}, got "
                    f"{type(self.teacher).__name__}"
                )
            check_real(self.temperature, "temperature", low=0, low_inclusive=False)
            check_option(self.student_fit, "student_fit", _strategies.STUDENT_FIT_OPTIONS)
        else:
            if not is_regressor(self.teacher):
                raise TypeError(
                    f"teacher must be a regressor for {type(self).__name__}, got "
                    f"{type(self.teacher).__name__}"
                )
            if not is_regressor(self.student):
                raise TypeError(
                    "student must be a regressor to learn a regression teacher's "
                    f"outputs, got {type(self.student).__name__}"
                )
        check_real(self.alpha, "alpha", low=0, high=1)
        check_option(self.teacher_targets, "teacher_targets", _targets.TARGET_SOURCES)
        if not hasattr(self.cv, "split") and not hasattr(self.cv, "__iter__"):
            check_int(self.cv, "cv", low=2)
        check_n_jobs(self.n_jobs)
        check_int(self.verbose, "verbose", low=0)

    def _check_y(self, y, classification):
        if classification:
            y = column_or_1d(y, warn=True)
            check_classification_targets(y)
            return y
        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] == 1 and not get_tags(self).target_tags.multi_output:
            y = column_or_1d(y, warn=True)
        if y.dtype.kind not in "biuf":
            try:
                y = y.astype(np.float64)
            except (TypeError, ValueError) as exc:
                raise ValueError(
                    "y must be numeric for regression (Unknown label type: values of "
                    f"dtype {y.dtype} that are not numbers)"
                ) from exc
        return y

    def _prepare_estimators(self, rng, sample_weight):
        """Clones of teacher and student, with unset random states seeded
        from ``random_state``; a FrozenEstimator teacher is used as is."""
        teacher = clone(self.teacher)  # FrozenEstimator clones to itself
        student = clone(self.student)
        if self.random_state is not None:
            seed_unset_random_states(teacher, rng)
            seed_unset_random_states(student, rng)
        if sample_weight is not None:
            for name, estimator in (("teacher", teacher), ("student", student)):
                if not accepts_sample_weight(estimator):
                    raise ValueError(
                        f"sample_weight was given but the {name} "
                        f"{type(estimator).__name__} does not accept sample_weight "
                        "in fit."
                    )
        return teacher, student

    def _encode_labels(self, y, teacher):
        """Sorted classes (those of y, plus any a frozen teacher knows) and
        y as indices into them."""
        classes = np.unique(y)
        if isinstance(teacher, FrozenEstimator):
            teacher_classes = np.asarray(teacher.classes_)
            if teacher_classes.dtype.kind != classes.dtype.kind and not (
                teacher_classes.dtype.kind in "iuf" and classes.dtype.kind in "iuf"
            ):
                raise ValueError(
                    "y's labels and the frozen teacher's classes_ have different "
                    f"types ({classes.dtype} vs {teacher_classes.dtype})."
                )
            classes = np.union1d(classes, teacher_classes)
        if len(classes) < 2:
            raise ValueError(
                "y must contain at least two classes to distil a classifier; got "
                f"only one class: {classes[0]!r}"
            )
        return classes, np.searchsorted(classes, y)

    def _log(self, message):
        if self.verbose:
            print(f"[{type(self).__name__}] {message}")

    # -------------------------------------------------------------- predict
    def _validate_X_predict(self, X):
        check_is_fitted(self)
        X = _indexable_X(X)
        if hasattr(self, "n_features_in_") and _is_one_dimensional(X):
            raise ValueError(
                "Expected a 2D array for X, got a 1D array instead. Reshape your data "
                "using array.reshape(-1, 1) for a single feature or "
                "array.reshape(1, -1) for a single sample."
            )
        validate_data(self, X, reset=False, skip_check_array=True)
        return X

    def predict(self, X):
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

    def _student_gives_proba(self):
        return self._is_classification() and (
            is_regressor(self.student)
            or _strategies.accepts_soft_targets(self.student)
            or hasattr(self.student, "predict_proba")
        )

    def _student_gives_scores(self):
        return self._is_classification() and (
            is_regressor(self.student) or hasattr(self.student, "decision_function")
        )

    @available_if(_student_gives_proba)
    def predict_proba(self, X):
        """Class probabilities of the student, columns ordered as ``classes_``.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        X = self._validate_X_predict(X)
        return _strategies.student_proba(self.student_fit_, self.student_, X, self.classes_)

    @available_if(_student_gives_proba)
    def predict_log_proba(self, X):
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
    def decision_function(self, X):
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
        scores = _strategies.student_logits(
            self.student_fit_, self.student_, X, self.classes_
        )
        if len(self.classes_) == 2:
            return scores[:, 1] - scores[:, 0]
        return scores

    def score(self, X, y, sample_weight=None):
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
    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        teacher_tags = get_tags(self.teacher)
        student_tags = get_tags(self.student)
        tags.input_tags.sparse = teacher_tags.input_tags.sparse and student_tags.input_tags.sparse
        tags.input_tags.allow_nan = (
            teacher_tags.input_tags.allow_nan and student_tags.input_tags.allow_nan
        )
        tags.input_tags.string = (
            teacher_tags.input_tags.string and student_tags.input_tags.string
        )
        tags.input_tags.categorical = (
            teacher_tags.input_tags.categorical and student_tags.input_tags.categorical
        )
        if not self._is_classification():
            tags.target_tags.multi_output = (
                teacher_tags.target_tags.multi_output
                and student_tags.target_tags.multi_output
            )
        return tags


def _indexable_X(X):
    """X in a form the teacher, the student and row indexing all accept.

    DataFrames, arrays, lists and CSR/CSC matrices pass through unchanged;
    other sparse formats become CSR and other array-likes ndarrays.
    """
    if sparse.issparse(X):
        X = X if X.format in ("csr", "csc") else X.tocsr()
    elif not hasattr(X, "shape") and hasattr(X, "__array__"):
        X = np.asarray(X)
    shape = getattr(X, "shape", None)
    if shape is not None and len(shape) == 2 and 0 in shape:
        raise ValueError(
            f"Found array with {shape[0]} sample(s) and {shape[1]} feature(s) "
            f"(shape={tuple(shape)}) while a minimum of 1 is required: X must have "
            "at least one row and one column."
        )
    return X


def _is_one_dimensional(X):
    if hasattr(X, "ndim"):
        return X.ndim == 1
    return isinstance(X, (list, tuple)) and len(X) > 0 and np.isscalar(X[0])


def _check_sample_weight(sample_weight, n_samples):
    if sample_weight is None:
        return None
    sample_weight = np.asarray(sample_weight, dtype=np.float64)
    if sample_weight.shape != (n_samples,):
        raise ValueError(
            f"sample_weight must have shape ({n_samples},) to match y, got "
            f"{sample_weight.shape}"
        )
    if not np.all(np.isfinite(sample_weight)) or (sample_weight < 0).any():
        raise ValueError("sample_weight must be finite and non-negative")
    return sample_weight


def _classification_summary(source, logits, targets, y_idx):
    """What the student was trained on, in a few numbers."""
    teacher_pred = np.argmax(logits, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        entropy = -np.nansum(np.where(targets > 0, targets * np.log(targets), 0.0), axis=1)
    return Bunch(
        source=source,
        mean_confidence=float(targets.max(axis=1).mean()),
        mean_entropy=float(entropy.mean()),
        teacher_accuracy=float(np.mean(teacher_pred == y_idx)),
    )


def _regression_summary(source, predictions, y):
    return Bunch(source=source, teacher_r2=float(r2_score(y, predictions.reshape(np.shape(y)))))


_COMMON_PARAMS_DOC = """
    teacher_targets : {"auto", "in_sample", "oof", "oob"}, default="auto"
        Where the teacher's outputs on the training rows come from.
        ``"in_sample"``: the teacher fit on all rows labels the same rows.
        ``"oof"``: out-of-fold outputs from ``cv`` clones of the teacher, then
        a final teacher is refit on all rows. ``"oob"``: out-of-bag outputs of a
        bagging ensemble (no extra fit). ``"auto"``: ``"in_sample"`` for a
        ``FrozenEstimator`` teacher, ``"oob"`` for ensembles with an
        ``oob_score`` parameter and ``bootstrap=True``, else ``"oof"``.
        In-sample outputs of flexible teachers (forests, boosting) are close
        to the true labels on their own training rows; out-of-fold and
        out-of-bag outputs carry the teacher's honest uncertainty.
    cv : int, cross-validation generator or iterable, default=5
        Folds for ``teacher_targets="oof"``, as in
        :func:`sklearn.model_selection.cross_val_predict`.
    random_state : int, RandomState instance or None, default=None
        Seeds every ``random_state`` parameter of the teacher and student
        clones that is left at None, so that the same ``random_state`` gives
        the same student. Parameters set explicitly are kept.
    n_jobs : int, default=None
        Jobs for the out-of-fold teacher fits (joblib semantics).
    verbose : int, default=0
        Print the steps of ``fit`` and their durations.
"""

_COMMON_ATTRIBUTES_DOC = """
    teacher_ : estimator
        The fitted teacher (the ``FrozenEstimator`` itself when one was given).
    student_ : estimator
        The fitted student. For the regression strategies of a classifier it
        may be a ``MultiOutputRegressor`` around a clone of ``student``.
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Names of features seen during fit, when X has string column names.
    target_summary_ : Bunch
        ``source`` of the teacher targets and summary statistics of them.
    teacher_fit_time_, student_fit_time_ : float
        Seconds spent fitting the teacher (including out-of-fold fits) and the
        student.
"""


class DistilledClassifier(ClassifierMixin, _BaseDistilled):
    __doc__ = (
        """Distil a classification teacher into a (small) student classifier.

    The teacher is fit (or taken as is when wrapped in
    :class:`sklearn.frozen.FrozenEstimator`), its logits on the training rows
    are softened by ``temperature`` and mixed with the true labels by
    ``alpha``, and the student is trained on these soft targets.

    Parameters
    ----------
    teacher : classifier
        Any scikit-learn classifier or Pipeline ending in one. It is cloned
        before fitting. To use an already fitted teacher without refitting
        it, pass ``FrozenEstimator(fitted_teacher)``; the object you pass is
        never modified.
    student : estimator
        The model to train: a native soft student from
        :mod:`skdistill.students`, any classifier, or any regressor.
    temperature : float, default=1.0
        Teacher logits are divided by it before the softmax; values above 1
        soften the targets and show the student how the teacher ranks the
        wrong classes.
    alpha : float in [0, 1], default=0.0
        Weight of the one-hot true labels in the targets:
        ``(1 - alpha) * soft + alpha * onehot``. ``alpha=1`` is plain
        training on ``y``.
"""
        + _COMMON_PARAMS_DOC.replace("    random_state", """    student_fit : {"auto", "native", "logit_regression", "proba_regression", \
"replication", "hard"}, default="auto"
        How the student learns soft targets. ``"auto"``: ``"native"`` for
        students that take probability matrices, ``"logit_regression"`` for
        regressors, ``"replication"`` (each row once per class, weighted by
        the target probability: the exact soft cross-entropy) for classifiers
        that accept ``sample_weight``, else ``"hard"`` (argmax labels).
    random_state""", 1)
        + """
    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    student_fit_ : str
        The strategy used to feed the student.
"""
        + _COMMON_ATTRIBUTES_DOC
        + """
    See Also
    --------
    DistilledRegressor : the same for regression teachers.
    DistilledEstimator : follows the teacher's type.

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skdistill import DistilledClassifier
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> model = DistilledClassifier(
    ...     RandomForestClassifier(n_estimators=50, random_state=0),
    ...     DecisionTreeClassifier(max_depth=3),
    ...     temperature=2.0, random_state=0,
    ... ).fit(X, y)
    >>> model.student_fit_, model.target_summary_.source
    ('replication', 'oob')
    >>> round(model.score(X, y), 2)
    0.96
"""
    )

    def __init__(self, teacher, student, *, temperature=1.0, alpha=0.0,
                 teacher_targets="auto", cv=5, student_fit="auto",
                 random_state=None, n_jobs=None, verbose=0):
        self.teacher = teacher
        self.student = student
        self.temperature = temperature
        self.alpha = alpha
        self.teacher_targets = teacher_targets
        self.cv = cv
        self.student_fit = student_fit
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.verbose = verbose

    def _is_classification(self):
        return True


class DistilledRegressor(RegressorMixin, _BaseDistilled):
    __doc__ = (
        """Distil a regression teacher into a (small) student regressor.

    The student learns the teacher's predictions on the training rows, mixed
    with the true values by ``alpha``. Multi-output targets are supported
    when both teacher and student support them.

    Parameters
    ----------
    teacher : regressor
        Any scikit-learn regressor or Pipeline ending in one; cloned before
        fitting, or used as is when wrapped in
        :class:`sklearn.frozen.FrozenEstimator`.
    student : regressor
        The model to train on the teacher's outputs.
    alpha : float in [0, 1], default=0.0
        Weight of the true values: ``(1 - alpha) * teacher + alpha * y``.
"""
        + _COMMON_PARAMS_DOC
        + """
    Attributes
    ----------
"""
        + _COMMON_ATTRIBUTES_DOC
        + """
    See Also
    --------
    DistilledClassifier : the same for classification teachers.

    Examples
    --------
    >>> from sklearn.datasets import load_diabetes
    >>> from sklearn.ensemble import RandomForestRegressor
    >>> from sklearn.tree import DecisionTreeRegressor
    >>> from skdistill import DistilledRegressor
    >>> X, y = load_diabetes(return_X_y=True)
    >>> model = DistilledRegressor(
    ...     RandomForestRegressor(n_estimators=50, random_state=0),
    ...     DecisionTreeRegressor(max_depth=3), random_state=0,
    ... ).fit(X, y)
    >>> model.target_summary_.source
    'oob'
    >>> model.predict(X[:2]).shape
    (2,)
"""
    )

    def __init__(self, teacher, student, *, alpha=0.0, teacher_targets="auto",
                 cv=5, random_state=None, n_jobs=None, verbose=0):
        self.teacher = teacher
        self.student = student
        self.alpha = alpha
        self.teacher_targets = teacher_targets
        self.cv = cv
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.verbose = verbose

    def _is_classification(self):
        return False


class DistilledEstimator(_BaseDistilled):
    """Distil any teacher: a :class:`DistilledClassifier` for a classification
    teacher, a :class:`DistilledRegressor` for a regression teacher.

    Its estimator type and tags follow the teacher, as a Pipeline's follow
    its last step, so it is a classifier to ``is_classifier``, scorers and
    cross-validation exactly when the teacher is. ``temperature`` and
    ``student_fit`` are used for classification teachers only.

    Parameters
    ----------
    teacher : estimator
        A classifier or regressor (or a Pipeline ending in one), cloned
        before fitting; wrap a fitted one in ``FrozenEstimator`` to use it
        as is.
    student : estimator
        The model to train.
    temperature : float, default=1.0
        See :class:`DistilledClassifier`.
    alpha : float in [0, 1], default=0.0
        Weight of the true labels or values in the targets.
    teacher_targets : {"auto", "in_sample", "oof", "oob"}, default="auto"
        See :class:`DistilledClassifier`.
    cv : int, cross-validation generator or iterable, default=5
        Folds for out-of-fold targets.
    student_fit : str, default="auto"
        See :class:`DistilledClassifier`.
    random_state : int, RandomState instance or None, default=None
        Seeds the unset random states of the teacher and student clones.
    n_jobs : int, default=None
        Jobs for the out-of-fold teacher fits.
    verbose : int, default=0
        Print the steps of ``fit``.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels (classification teachers only).
    teacher_, student_, student_fit_, target_summary_ :
        As in :class:`DistilledClassifier` / :class:`DistilledRegressor`.

    Examples
    --------
    >>> from sklearn.base import is_classifier
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.ensemble import GradientBoostingClassifier
    >>> from sklearn.linear_model import LogisticRegression
    >>> from skdistill import DistilledEstimator
    >>> X, y = load_iris(return_X_y=True)
    >>> model = DistilledEstimator(
    ...     GradientBoostingClassifier(n_estimators=20, random_state=0),
    ...     LogisticRegression(max_iter=1000), temperature=2.0, random_state=0,
    ... )
    >>> is_classifier(model)
    True
    >>> model.fit(X, y).predict_proba(X[:1]).shape
    (1, 3)
    """

    def __init__(self, teacher, student, *, temperature=1.0, alpha=0.0,
                 teacher_targets="auto", cv=5, student_fit="auto",
                 random_state=None, n_jobs=None, verbose=0):
        self.teacher = teacher
        self.student = student
        self.temperature = temperature
        self.alpha = alpha
        self.teacher_targets = teacher_targets
        self.cv = cv
        self.student_fit = student_fit
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.verbose = verbose

    def _is_classification(self):
        return is_classifier(self.teacher)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        teacher_tags = get_tags(self.teacher)
        tags.estimator_type = teacher_tags.estimator_type
        tags.classifier_tags = deepcopy(teacher_tags.classifier_tags)
        tags.regressor_tags = deepcopy(teacher_tags.regressor_tags)
        if tags.classifier_tags is not None:
            tags.classifier_tags.multi_label = False  # students learn one label
        return tags
