"""The steps of one distilled fit, as plain functions with explicit inputs.

``fit`` of the distilled estimators, the ``"auto"`` tuner
(:mod:`skdistill._tune`), the adversarial rounds (:mod:`skdistill._rounds`)
and the size search all call these, so that there is one copy of the
algorithm:

1. :func:`prepare_estimators` -- clones of teacher and student, seeded in
   one order (teacher, student, then transfer generators) from
   ``random_state``;
2. :func:`encode_labels` -- sorted classes and y as indices into them;
3. :func:`skdistill._targets.fit_teacher` -- the fitted teacher and its
   outputs on the training rows (in-sample, out-of-fold or out-of-bag);
4. :func:`training_targets` -- outputs -> targets for given
   :class:`Settings` (temperature, alpha);
5. :func:`transfer_rows` and :func:`label_rows` -- the transfer set and the
   teacher's targets on it;
6. :func:`stack_rows` -- real rows followed by transfer rows;
7. :func:`fit_student` and :func:`student_outputs` -- the student trained
   on the stacked rows, and its outputs on any rows.
"""

from dataclasses import dataclass
from functools import partial

import numpy as np
from sklearn import config_context
from sklearn.base import clone, is_regressor
from sklearn.metrics import r2_score
from sklearn.utils import _safe_indexing
from sklearn.utils.validation import has_fit_parameter

from . import _strategies, _targets
from ._labeling import concatenate_rows, n_rows_of, predict_in_batches
from ._utils import accepts_sample_weight, fit_estimator, seed_unset_random_states
from .transfer import _fitting
from .transfer._fitting import transfer_rows  # noqa: F401 - a step of the fit


@dataclass(frozen=True)
class Settings:
    """The distillation settings of one fit: ``temperature`` (classification),
    ``alpha`` and the ``transfer`` parameter (generators, rows, a sampler, a
    list of these, or None). Resolved once at the start of ``fit``, from
    the parameters or from the ``"auto"`` tuner."""

    temperature: float = 1.0
    alpha: float = 0.0
    transfer: object = None


@dataclass
class Task:
    """What one fit learns from, fixed before any setting is chosen.

    ``classes`` is None for regression; ``y_idx`` are y's indices into
    ``classes`` (classification); ``strategy`` is the student's
    :mod:`skdistill._strategies` strategy (``"regression"`` for regression).
    """

    X: object
    y: np.ndarray
    sample_weight: object
    classes: object
    y_idx: object
    strategy: str
    batch_size: object = None
    n_jobs: object = None
    verbose: int = 0

    @property
    def classification(self):
        return self.classes is not None


# --------------------------------------------------------------- estimators
def prepare_estimators(teacher, student, rng, sample_weight, seeded):
    """Clones of teacher and student, with unset random states drawn from
    ``rng`` (teacher first, then student) when ``seeded``; a FrozenEstimator
    or BlackBoxTeacher teacher is used as is."""
    teacher = clone(teacher)  # FrozenEstimator and BlackBoxTeacher clone to themselves
    student = clone(student)
    if seeded:
        seed_unset_random_states(teacher, rng)
        seed_unset_random_states(student, rng)
    if sample_weight is not None:
        for name, estimator in (("teacher", teacher), ("student", student)):
            if not accepts_sample_weight(estimator):
                raise ValueError(
                    f"sample_weight was given but the {name} {type(estimator).__name__} "
                    "does not accept sample_weight in fit."
                )
    return teacher, student


def encode_labels(y, teacher):
    """Sorted classes (those of y, plus any a frozen teacher knows) and y as
    indices into them."""
    classes = np.unique(y)
    if _targets.is_prefitted(teacher):
        teacher_classes = np.asarray(teacher.classes_)
        classes = np.union1d(classes, _compatible_classes(teacher_classes, classes))
    if len(classes) < 2:
        raise ValueError(
            "y must contain at least two classes to distil a classifier; got only "
            f"one class: {classes[0]!r}"
        )
    return classes, np.searchsorted(classes, y)


def _compatible_classes(teacher_classes, classes):
    """The frozen teacher's classes in the dtype of y's classes. NumPy
    strings (``<U``, ``S``) and ``object`` strings are the same labels (a CSV
    gives ``object``), as are ints and floats."""
    kinds = {teacher_classes.dtype.kind, classes.dtype.kind}
    if teacher_classes.dtype.kind == classes.dtype.kind:
        return teacher_classes
    if kinds <= set("iuf"):
        return teacher_classes
    if kinds <= set("USO"):
        as_text = [_text(c) for c in teacher_classes]
        if all(isinstance(c, str) for c in as_text) and all(isinstance(c, str) for c in classes):
            return np.asarray(as_text, dtype=classes.dtype)
    raise ValueError(
        "y's labels and the frozen teacher's classes_ have different types "
        f"({classes.dtype} vs {teacher_classes.dtype}); pass y with the labels the "
        f"teacher was fitted on, e.g. {list(teacher_classes[:3])!r}"
    )


def _text(value):
    return value.decode() if isinstance(value, bytes) else value


# ------------------------------------------------------------------ targets
def training_targets(task, outputs, settings):
    """Targets of the training rows: tempered teacher probabilities mixed
    with the one-hot labels by ``alpha`` (classification), or the teacher's
    predictions mixed with y (regression)."""
    if task.classification:
        return _targets.soft_targets(
            outputs, task.y_idx, temperature=settings.temperature, alpha=settings.alpha
        )
    return _targets.regression_targets(outputs, task.y, alpha=settings.alpha)


def teacher_outputs_on(task, teacher, X_rows, *, verbose=0, log=None):
    """Raw teacher outputs (aligned logits, or predictions) on rows it labels
    alone, computed in batches over ``task.n_jobs``."""
    return predict_in_batches(
        partial(_targets.teacher_outputs, teacher, classes=task.classes),
        X_rows,
        batch_size=task.batch_size,
        n_jobs=task.n_jobs,
        verbose=verbose,
        log=log,
        what="rows with the teacher",
    )


def rows_targets(task, outputs, temperature):
    """Targets of rows the teacher labels alone (no alpha mixing): tempered
    probabilities, or predictions with y's trailing shape."""
    if task.classification:
        return _targets.softmax(outputs, temperature)
    return np.asarray(outputs).reshape((-1,) + np.shape(task.y)[1:])


def label_rows(task, teacher, X_rows, temperature, *, verbose=0, log=None):
    """:func:`rows_targets` of the teacher's outputs on ``X_rows``."""
    outputs = teacher_outputs_on(task, teacher, X_rows, verbose=verbose, log=log)
    return rows_targets(task, outputs, temperature)


# ----------------------------------------------------------------- transfer
def transfer_components(transfer, rng, seeded, force_sampler=False):
    """``(generators, arrays, sampler)`` of a ``transfer`` parameter, the
    generators and sampler cloned and seeded from ``rng``; with
    ``force_sampler`` a default AdversarialSampler when none is given."""
    from .transfer._adversarial import AdversarialSampler

    generators, arrays, sampler = _fitting.split_transfer(transfer)
    if force_sampler and sampler is None:
        sampler = AdversarialSampler()
    generators, sampler = _fitting.seeded_clones(generators, sampler, rng, seeded)
    return generators, arrays, sampler


def stack_rows(X, targets, sample_weight, X_transfer, transfer_targets):
    """Real rows followed by transfer rows: ``(X, targets, weights)``.
    Transfer rows weigh 1; weights stay None when no weight was given."""
    if X_transfer is None:
        return X, targets, sample_weight
    weights = None
    if sample_weight is not None:
        weights = np.concatenate([sample_weight, np.ones(n_rows_of(X_transfer))])
    return (
        concatenate_rows([X, X_transfer]),
        np.concatenate([targets, transfer_targets]),
        weights,
    )


# ------------------------------------------------------------------ student
def select_columns(X, features):
    """X restricted to the student's features (all of them when None)."""
    if features is None:
        return X
    if isinstance(X, (list, tuple)):
        X = np.asarray(X)
    return _safe_indexing(X, features, axis=1)


def fit_student(task, student, X_rows, targets, weights, features=None, teacher=None):
    """``student`` (a fresh clone) fitted on the stacked rows and targets.

    A student whose ``fit`` takes a ``teacher`` keyword (the teacher
    protocol, e.g. :class:`~skdistill.students.SubForestClassifier`) also
    receives the fitted ``teacher``.
    """
    X_rows = select_columns(X_rows, features)
    # The row weights are skdistill's own (target probabilities under
    # replication, weight 1 for transfer rows), not routed metadata: a
    # Pipeline student takes them as <last step>__sample_weight even when
    # metadata routing is enabled (the user's weights are in them only when
    # the student requested them).
    with config_context(enable_metadata_routing=False):
        if has_fit_parameter(student, "teacher"):
            return _fit_with_teacher(task, student, X_rows, targets, weights, features, teacher)
        if task.classification:
            return _strategies.fit_student(
                task.strategy, student, X_rows, targets, task.classes, weights
            )
        return fit_estimator(student, X_rows, targets, weights)


def _fit_with_teacher(task, student, X_rows, targets, weights, features, teacher):
    """The teacher protocol: ``student.fit(X, targets, teacher=teacher)``,
    targets as a native student takes them (a probability matrix) or the
    regression targets."""
    if features is not None:
        raise ValueError(
            f"feature_budget cannot be used with {type(student).__name__}: it reuses "
            "the teacher's fitted parts, which need all of the teacher's features"
        )
    if task.classification and is_regressor(student):
        raise ValueError(
            f"{type(student).__name__} is a regressor that takes the teacher in fit; "
            "a classification teacher needs its classifier counterpart as the student"
        )
    if task.classification and task.strategy != "native":
        raise ValueError(
            f"{type(student).__name__} takes the teacher in fit and learns the "
            f"probability matrix; use student_fit='native' or 'auto', not {task.strategy!r}"
        )
    kwargs = {} if weights is None else {"sample_weight": weights}
    return student.fit(X_rows, targets, teacher=teacher, **kwargs)


def student_outputs(strategy, student, classes, features, gives_proba, X):
    """Outputs of a fitted student on X (module-level so workers can unpickle
    it): class probabilities aligned to ``classes``, one-hot predictions for a
    student without probabilities, or regression predictions."""
    X = select_columns(X, features)
    if classes is None:
        return np.asarray(student.predict(X), dtype=np.float64)
    if gives_proba:
        return _strategies.student_proba(strategy, student, X, classes)
    labels = _strategies.student_predict(strategy, student, X, classes)
    return _targets.one_hot(np.searchsorted(classes, labels), len(classes))


def student_predictions(task, student, X_rows, features=None):
    """Predicted labels (classification) or values of a fitted student."""
    X_rows = select_columns(X_rows, features)
    if task.classification:
        return _strategies.student_predict(task.strategy, student, X_rows, task.classes)
    return np.asarray(student.predict(X_rows), dtype=np.float64)


def target_summary(task, teacher_fit, targets):
    """What the student was trained on, in a few numbers: a plain dict (a
    fitted attribute that skops loads without extra trust)."""
    if task.classification:
        return _classification_summary(
            teacher_fit.source, teacher_fit.outputs, targets, task.y_idx
        )
    return _regression_summary(teacher_fit.source, teacher_fit.outputs, task.y)


def _classification_summary(source, logits, targets, y_idx):
    """What the student was trained on, in a few numbers."""
    teacher_pred = np.argmax(logits, axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        entropy = -np.nansum(np.where(targets > 0, targets * np.log(targets), 0.0), axis=1)
    return dict(
        source=source,
        mean_confidence=float(targets.max(axis=1).mean()),
        mean_entropy=float(entropy.mean()),
        teacher_accuracy=float(np.mean(teacher_pred == y_idx)),
    )


def _regression_summary(source, predictions, y):
    return dict(source=source, teacher_r2=float(r2_score(y, predictions.reshape(np.shape(y)))))
