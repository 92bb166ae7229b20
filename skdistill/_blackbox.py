"""A teacher that can only be called: a function behind an estimator's face.

A model behind a REST endpoint, or one from a library without the
scikit-learn API, is distilled through :class:`BlackBoxTeacher`: it holds
the function(s) that answer for the model and is already "fitted", like a
:class:`sklearn.frozen.FrozenEstimator`, so that the distilled estimators
never fit or refit it.
"""

from collections.abc import Callable
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.metrics import accuracy_score, r2_score
from sklearn.utils import ClassifierTags, RegressorTags
from sklearn.utils.metadata_routing import UNUSED
from sklearn.utils.metaestimators import available_if

from ._labeling import n_rows_of

# Probability rows may be rounded by the service that computes them (two or
# three decimals in a JSON reply put a row of K classes up to K/200 off);
# rows off by more than this are refused, rows within it are renormalised.
ROW_SUM_TOLERANCE = 1e-2


def _gives_proba(teacher: "BlackBoxTeacher") -> bool:
    return teacher.predict_proba_fn is not None


class BlackBoxTeacher(BaseEstimator):
    """A teacher known only through functions that predict, already fitted.

    Wrap the function that answers for a model you can only call -- a REST
    endpoint, a model from another library -- and pass the wrapper as the
    ``teacher`` of a distilled estimator. It is never fitted: ``fit`` does
    nothing, ``clone`` returns the object itself (as for
    :class:`sklearn.frozen.FrozenEstimator`), and the distilled estimator
    uses in-sample targets (the function's outputs on the training rows;
    ``teacher_targets="oof"`` or ``"oob"`` raise, as they would refit it).

    Every call's outputs are checked: probabilities of shape
    ``(n_rows, n_classes)``, finite, in [0, 1], rows summing to 1 (within
    ``1e-2``, then renormalised); predictions with one entry per row.

    Parameters
    ----------
    predict_proba_fn : callable, default=None
        ``predict_proba_fn(X) -> (n_rows, n_classes)`` class probabilities,
        columns in the order of ``classes``. Makes the teacher a classifier.
    predict_fn : callable, default=None
        ``predict_fn(X) -> (n_rows,)`` predictions: the values of a
        regression teacher (then ``predict_proba_fn`` is None), or the labels
        of a classifier (default: the class of largest probability).
    classes : array-like of shape (n_classes,), default=None
        The class labels, in the order of ``predict_proba_fn``'s columns;
        required with ``predict_proba_fn``.

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        ``classes`` as an array (classifiers only).

    Notes
    -----
    The functions are parameters: they are part of ``get_params``, of the
    ``repr``, and of a pickle of the teacher or of a distilled estimator
    holding it (``teacher_``). Pickling stores a module-level function by
    its importable name (a lambda or a local function cannot be pickled);
    to ship only the student, export it (:func:`skdistill.export.export_student`).
    The functions receive the rows as the distilled estimator got them (an
    array, a sparse matrix or a DataFrame; transfer rows as the generators
    make them, with the same columns), in batches of at most ``batch_size``
    rows of the distilled estimator.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.linear_model import LogisticRegression
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skdistill import BlackBoxTeacher, DistilledClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> remote = LogisticRegression(max_iter=1000).fit(X, y)  # stands for a service
    >>> teacher = BlackBoxTeacher(remote.predict_proba, classes=[0, 1, 2])
    >>> teacher.predict_proba(X[:1]).shape
    (1, 3)
    >>> model = DistilledClassifier(
    ...     teacher, DecisionTreeClassifier(max_depth=3), temperature=2.0,
    ...     alpha=0.0, transfer=None, random_state=0,
    ... ).fit(X, y)
    >>> model.target_summary_["source"], model.teacher_ is teacher
    ('in_sample', True)
    """

    # fit takes sample_weight (so that weighted fits accept this teacher)
    # but ignores it: metadata routing never sends it here.
    __metadata_request__fit = {"sample_weight": UNUSED}

    def __init__(
        self,
        predict_proba_fn: Callable[[Any], Any] | None = None,
        *,
        predict_fn: Callable[[Any], Any] | None = None,
        classes: Any = None,
    ) -> None:
        self.predict_proba_fn = predict_proba_fn
        self.predict_fn = predict_fn
        self.classes = classes

    def _check_params(self) -> None:
        """Raise TypeError/ValueError naming ``teacher`` for unusable parameters."""
        for name in ("predict_proba_fn", "predict_fn"):
            value = getattr(self, name)
            if value is not None and not callable(value):
                raise TypeError(
                    f"teacher BlackBoxTeacher: {name} must be a callable or None, got "
                    f"{value!r} of type {type(value).__name__}"
                )
        if self.predict_proba_fn is None and self.predict_fn is None:
            raise ValueError(
                "teacher BlackBoxTeacher needs predict_proba_fn (a classifier) or "
                "predict_fn (a regressor); both are None"
            )
        if self.predict_proba_fn is None:
            if self.classes is not None:
                raise ValueError(
                    "teacher BlackBoxTeacher: classes is given but predict_proba_fn is "
                    "None; a classifier black box needs predict_proba_fn (the student "
                    "learns its probabilities), a regressor takes no classes"
                )
            return
        self._checked_classes()

    def _checked_classes(self) -> np.ndarray:
        if self.classes is None:
            raise ValueError(
                "teacher BlackBoxTeacher: classes is required with predict_proba_fn "
                "(the labels of its columns, in order)"
            )
        classes = np.asarray(self.classes)
        if classes.ndim != 1 or len(classes) < 2 or len(np.unique(classes)) != len(classes):
            raise ValueError(
                "teacher BlackBoxTeacher: classes must be a 1-D list of at least two "
                f"distinct labels, got {self.classes!r}"
            )
        return classes

    @property
    def classes_(self) -> np.ndarray:
        if self.predict_proba_fn is None:
            raise AttributeError("a regression BlackBoxTeacher has no classes_")
        return self._checked_classes()

    def fit(self, X: Any = None, y: Any = None, sample_weight: Any = None) -> "BlackBoxTeacher":
        """Check the parameters and return self: a black box is not fitted.

        Parameters
        ----------
        X, y, sample_weight : ignored

        Returns
        -------
        self : BlackBoxTeacher
        """
        self._check_params()
        return self

    def __sklearn_is_fitted__(self) -> bool:
        return True

    def __sklearn_clone__(self) -> "BlackBoxTeacher":
        # Frozen: a clone is this object (it has no state to reset).
        return self

    @available_if(_gives_proba)
    def predict_proba(self, X: Any) -> np.ndarray:
        """Class probabilities from ``predict_proba_fn``, checked.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
        """
        self._check_params()
        n_rows, n_classes = n_rows_of(X), len(self.classes_)
        fn = self.predict_proba_fn
        assert fn is not None  # available_if(_gives_proba)
        proba = _as_float_array(fn(X), "predict_proba_fn")
        if proba.shape != (n_rows, n_classes):
            raise ValueError(
                f"teacher BlackBoxTeacher: predict_proba_fn returned shape {proba.shape} "
                f"for {n_rows} rows; expected ({n_rows}, {n_classes}), one column per "
                f"class of classes={self.classes_.tolist()!r}"
            )
        _check_probabilities(proba)
        return proba / proba.sum(axis=1, keepdims=True)

    def predict(self, X: Any) -> np.ndarray:
        """Predictions from ``predict_fn``, or the most probable class.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
        """
        self._check_params()
        if self.predict_fn is None:
            return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
        n_rows = n_rows_of(X)
        pred = np.asarray(self.predict_fn(X))
        if pred.ndim not in (1, 2) or pred.shape[0] != n_rows:
            raise ValueError(
                f"teacher BlackBoxTeacher: predict_fn returned shape {pred.shape} for "
                f"{n_rows} rows; expected ({n_rows},) (or (n_rows, n_outputs))"
            )
        if self.predict_proba_fn is None:
            pred = _as_float_array(pred, "predict_fn")
        return pred

    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        """Accuracy (classifier) or R² (regressor) of the black box.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
        sample_weight : array-like of shape (n_samples,), default=None

        Returns
        -------
        score : float
        """
        metric = accuracy_score if _gives_proba(self) else r2_score
        return float(metric(y, self.predict(X), sample_weight=sample_weight))

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        if _gives_proba(self):
            tags.estimator_type = "classifier"
            tags.classifier_tags = ClassifierTags()
        elif self.predict_fn is not None:
            tags.estimator_type = "regressor"
            tags.regressor_tags = RegressorTags()
        return tags


def _as_float_array(values: Any, name: str) -> np.ndarray:
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(
            f"teacher BlackBoxTeacher: {name} must return numbers; got {type(values).__name__} "
            f"that does not convert to float ({exc})"
        ) from exc
    if not np.all(np.isfinite(array)):
        raise ValueError(
            f"teacher BlackBoxTeacher: {name} returned {int((~np.isfinite(array)).sum())} "
            "NaN or infinite values"
        )
    return array


def _check_probabilities(proba: np.ndarray) -> None:
    if proba.min() < 0 or proba.max() > 1 + ROW_SUM_TOLERANCE:
        raise ValueError(
            "teacher BlackBoxTeacher: predict_proba_fn returned values outside [0, 1] "
            f"(from {proba.min():.6g} to {proba.max():.6g}); it must return probabilities"
        )
    sums = proba.sum(axis=1)
    worst = int(np.argmax(np.abs(sums - 1.0)))
    if abs(sums[worst] - 1.0) > ROW_SUM_TOLERANCE:
        raise ValueError(
            "teacher BlackBoxTeacher: the rows of predict_proba_fn's output must sum to 1 "
            f"(within {ROW_SUM_TOLERANCE:g}); row {worst} sums to {sums[worst]:.10g} "
            f"({int(np.sum(np.abs(sums - 1.0) > ROW_SUM_TOLERANCE))} rows are off)"
        )
