"""The distilled estimators' parameters and inputs, checked in ``fit``.

``PARAMETER_CONSTRAINTS`` is the table of what each parameter accepts (in
the spirit of scikit-learn's private ``_parameter_constraints``): one check
per parameter, each raising ``TypeError``/``ValueError`` that names it.
Checks that involve several parameters follow the table.
"""

import numbers
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np
from scipy import sparse
from sklearn import get_config
from sklearn.base import is_classifier, is_regressor
from sklearn.frozen import FrozenEstimator
from sklearn.utils import assert_all_finite
from sklearn.utils.metadata_routing import process_routing
from sklearn.utils.validation import check_is_fitted

from ._blackbox import BlackBoxTeacher
from ._strategies import STUDENT_FIT_OPTIONS
from ._targets import TARGET_SOURCES
from ._tune import is_auto
from ._validation import check_int, check_n_jobs, check_option, check_real
from .transfer import _fitting

# Below this temperature every target is one-hot already (logits differ by
# far more than T); the bound keeps the softmax away from 0/0.
MIN_TEMPERATURE = 1e-3


def check_auto_or_real(value, name, **bounds):
    """``"auto"`` or a real number within ``bounds``."""
    if isinstance(value, str):
        if not is_auto(value):
            raise ValueError(f'{name} must be "auto" or a real number, got {value!r}')
        return
    check_real(value, name, **bounds)


def check_cv(value, name="cv"):
    if not hasattr(value, "split") and not hasattr(value, "__iter__"):
        check_int(value, name, low=2)


def check_random_state(value, name="random_state"):
    """None, an int in [0, 2**32 - 1] or a ``numpy.random.RandomState``."""
    if value is None or isinstance(value, np.random.RandomState):
        return
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{name} must be None, an int in [0, 2**32 - 1] or a "
            f"numpy.random.RandomState, got {value!r} of type {type(value).__name__}"
        )
    if not 0 <= value <= 2**32 - 1:
        raise ValueError(
            f"{name} must be an int in [0, 2**32 - 1] (or None or a "
            f"numpy.random.RandomState), got {value!r}"
        )


def check_estimator_param(value, name):
    if not (hasattr(value, "fit") and hasattr(value, "get_params")):
        if name == "teacher" and callable(value):
            # A bare function cannot say whether it returns probabilities,
            # labels or values, nor which classes its columns are.
            raise TypeError(
                f"teacher must be a scikit-learn estimator, got the function {value!r}; "
                "wrap a function you can only call in skdistill.BlackBoxTeacher: "
                "BlackBoxTeacher(fn, classes=[...]) for class probabilities, or "
                "BlackBoxTeacher(predict_fn=fn) for a regressor's predictions"
            )
        raise TypeError(
            f"{name} must be a scikit-learn estimator (with fit and get_params), got "
            f"{value!r} of type {type(value).__name__}"
        )


PARAMETER_CONSTRAINTS = {
    "teacher": partial(check_estimator_param, name="teacher"),
    "student": partial(check_estimator_param, name="student"),
    "temperature": partial(check_auto_or_real, name="temperature", low=MIN_TEMPERATURE),
    "alpha": partial(check_auto_or_real, name="alpha", low=0, high=1),
    "teacher_targets": partial(check_option, name="teacher_targets", options=TARGET_SOURCES),
    "cv": check_cv,
    "student_fit": partial(check_option, name="student_fit", options=STUDENT_FIT_OPTIONS),
    "transfer_rounds": partial(check_int, name="transfer_rounds", low=0),
    "feature_budget": partial(check_int, name="feature_budget", low=1, allow_none=True),
    "batch_size": partial(check_int, name="batch_size", low=1, allow_none=True),
    "random_state": check_random_state,
    "n_jobs": check_n_jobs,
    "verbose": partial(check_int, name="verbose", low=0),
}


def check_params(params, classification, owner):
    """Check every parameter against the table, then the combinations."""
    for name, value in params.items():
        if name in PARAMETER_CONSTRAINTS:
            PARAMETER_CONSTRAINTS[name](value)
    _check_frozen_teacher(params["teacher"])
    _check_task(params["teacher"], params["student"], classification, owner)
    _check_transfer(params["transfer"], params["transfer_rounds"])


def _check_frozen_teacher(teacher):
    if isinstance(teacher, BlackBoxTeacher):
        teacher._check_params()
    if isinstance(teacher, FrozenEstimator):
        try:
            check_is_fitted(teacher.estimator)
        except Exception as exc:  # NotFittedError or a non-estimator inside
            raise ValueError(
                "teacher is a FrozenEstimator around an unfitted estimator "
                f"({type(teacher.estimator).__name__}); fit it before freezing, or "
                "pass the unfitted estimator itself."
            ) from exc


def _check_task(teacher, student, classification, owner):
    if classification and not is_classifier(teacher):
        raise TypeError(f"teacher must be a classifier for {owner}, got {type(teacher).__name__}")
    if not classification and not is_regressor(teacher):
        raise TypeError(f"teacher must be a regressor for {owner}, got {type(teacher).__name__}")
    if not classification and not is_regressor(student):
        raise TypeError(
            "student must be a regressor to learn a regression teacher's "
            f"outputs, got {type(student).__name__}"
        )


def _check_transfer(transfer, transfer_rounds):
    transfer = None if is_auto(transfer) else transfer
    generators, _, sampler = _fitting.split_transfer(transfer)
    for generator in generators:
        if hasattr(generator, "_check_params"):
            generator._check_params()
    if sampler is None:
        return
    if not transfer_rounds:
        raise ValueError(
            "transfer holds an AdversarialSampler, which only acts in adversarial "
            f"rounds; set transfer_rounds >= 1 (got transfer_rounds={transfer_rounds!r}) "
            "or pass a generator such as Munge() instead"
        )
    sampler.check_params()


# ------------------------------------------------------------------- inputs
def indexable_X(X):
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


def check_finite(X):
    """Raise ValueError for NaN or infinity in the numeric values of X."""
    if sparse.issparse(X):
        values = X.data
    elif hasattr(X, "select_dtypes"):
        values = X.select_dtypes(include="number").to_numpy(dtype=np.float64)
    else:
        values = np.asarray(X)
        if values.dtype.kind not in "fc":
            return  # integers cannot hold NaN; other types are the student's call
    assert_all_finite(values, input_name="X")


def is_one_dimensional(X):
    if hasattr(X, "ndim"):
        return X.ndim == 1
    return isinstance(X, (list, tuple)) and len(X) > 0 and np.isscalar(X[0])


def non_numeric_hint(X: Any, student: Any, fix: str) -> str:
    """A hint for a student that failed on X's raw columns: which of them
    are not numeric, and ``fix``; empty when every column is numeric."""
    dtypes = getattr(X, "dtypes", None)
    if dtypes is None:
        return ""
    non_numeric = [
        str(c) for c, d in zip(X.columns, dtypes) if getattr(d, "kind", "O") not in "biuf"
    ]
    if not non_numeric:
        return ""
    return (
        f" (the student {type(student).__name__} gets the raw columns, and "
        f"{non_numeric[:5]} are not numeric; {fix})"
    )


# ----------------------------------------------------------------- metadata
@dataclass(frozen=True)
class FitMetadata:
    """Where a fit's metadata goes: the teacher's ``sample_weight`` and other
    ``fit`` metadata, the student's ``sample_weight``, and the metadata of
    ``cv.split`` (e.g. ``groups``, also used by the "auto" tuner's folds)."""

    teacher_weight: Any = None
    teacher_params: dict = field(default_factory=dict)
    student_weight: Any = None
    split_params: dict = field(default_factory=dict)

    @property
    def groups(self) -> Any:
        return self.split_params.get("groups")


def route_fit_metadata(owner, sample_weight, fit_params):
    """The :class:`FitMetadata` of ``owner.fit``.

    With metadata routing enabled (``sklearn.set_config``), each piece goes
    where it is requested, through :func:`sklearn.utils.metadata_routing.
    process_routing` (which raises for metadata nobody requests, and for
    metadata passed to a consumer that has not said whether it wants it).
    Without routing, ``sample_weight`` goes to the teacher and the student
    as always, and any other keyword is refused, as scikit-learn does.
    """
    if not get_config()["enable_metadata_routing"]:
        if fit_params:
            raise ValueError(
                f"Passing extra keyword arguments to {type(owner).__name__}.fit is only "
                "supported if enable_metadata_routing=True, which you can set using "
                "sklearn.set_config(enable_metadata_routing=True); see scikit-learn's "
                "metadata routing user guide. Extra parameters passed are: "
                f"{sorted(fit_params)}"
            )
        return FitMetadata(teacher_weight=sample_weight, student_weight=sample_weight)
    params = dict(fit_params)
    if sample_weight is not None:
        params["sample_weight"] = sample_weight
    routed = process_routing(owner, "fit", **params)
    teacher_params = dict(routed.teacher.fit)
    student_params = dict(routed.student.fit)
    student_weight = student_params.pop("sample_weight", None)
    if student_params:
        raise ValueError(
            f"the student requests the metadata {sorted(student_params)}, which "
            f"{type(owner).__name__} cannot route: the student is fitted on the "
            "teacher's targets of the training rows and of generated transfer rows, "
            "and only sample_weight is extended to those (with weight 1)"
        )
    return FitMetadata(
        teacher_weight=teacher_params.pop("sample_weight", None),
        teacher_params=teacher_params,
        student_weight=student_weight,
        split_params=dict(routed.splitter.split),
    )


def unrouted_weight(sample_weight):
    """``sample_weight`` when it goes to teacher and student unasked (no
    metadata routing), so that their ``fit`` must accept it; None with
    routing, where only those that request it get it."""
    return None if get_config()["enable_metadata_routing"] else sample_weight
