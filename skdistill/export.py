"""Ship the student: plain scikit-learn, ONNX, or readable rules.

A fitted :class:`~skdistill.DistilledClassifier` predicts through its student,
but it also carries the teacher and needs skdistill to load. In production
only the student matters; :func:`export_student` turns it into an estimator
without any skdistill class (scikit-learn's own, or those of the student you
passed), with the real class labels, that predicts exactly as the distilled
model does. :func:`to_onnx` converts that
estimator with skl2onnx, and :func:`export_rules` prints it as text.

What each student strategy (``student_fit_``) exports to:

- ``"regression"`` (a :class:`~skdistill.DistilledRegressor`): a copy of the
  student regressor.
- ``"replication"`` and ``"hard"``: a copy of the student classifier, which
  was trained on the real labels already.
- ``"native"``: ``student.to_sklearn()``, the equivalent scikit-learn model
  of a native soft student, with ``classes_`` set to the real labels (the
  native student learnt the target columns ``0..K-1``).
- ``"logit_regression"``: a :class:`~sklearn.linear_model.LogisticRegression`
  with the coefficients of the *linear* student regressor (Ridge,
  LinearRegression, ...). The regressor predicts logits, so the logistic
  model with the same coefficients has the same decision function and the
  same sigmoid/softmax probabilities. A non-linear regressor (a tree, a
  boosted model) raises ``TypeError``: no scikit-learn classifier applies a
  softmax to a regression tree's outputs.
- ``"proba_regression"``: ``TypeError``; clipped and renormalised regression
  outputs have no scikit-learn classifier equivalent.

A Pipeline student keeps its preprocessing steps (a frozen step, such as a
teacher's fitted preprocessing reused by the student, is unwrapped); only the
last step is converted.
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from sklearn import linear_model
from sklearn.base import is_classifier, is_regressor
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.multioutput import MultiOutputRegressor
from sklearn.pipeline import Pipeline
from sklearn.tree import BaseDecisionTree, DecisionTreeClassifier, export_text
from sklearn.utils.validation import check_is_fitted

from ._strategies import get_strategy
from ._typing import Estimator, Float64Array, MatrixLike, NDArray
from ._utils import markdown_table

if TYPE_CHECKING:
    import onnx

__all__ = ["export_rules", "export_student", "register_onnx_converters", "to_onnx"]

# Regressors of sklearn.linear_model whose ``predict`` is exactly
# ``X @ coef_.T + intercept_`` (GLMs such as PoissonRegressor are not: they
# apply an inverse link).
_LINEAR_REGRESSOR_NAMES = (
    "LinearRegression",
    "Ridge",
    "RidgeCV",
    "Lasso",
    "LassoCV",
    "ElasticNet",
    "ElasticNetCV",
    "Lars",
    "LarsCV",
    "LassoLars",
    "LassoLarsCV",
    "LassoLarsIC",
    "OrthogonalMatchingPursuit",
    "OrthogonalMatchingPursuitCV",
    "BayesianRidge",
    "ARDRegression",
    "HuberRegressor",
    "SGDRegressor",
    "QuantileRegressor",
    "TheilSenRegressor",
)
_LINEAR_REGRESSORS = tuple(
    cls
    for cls in (getattr(linear_model, name, None) for name in _LINEAR_REGRESSOR_NAMES)
    if cls is not None
)


# --------------------------------------------------------------------------
# export_student
# --------------------------------------------------------------------------
def export_student(distilled: Estimator) -> Estimator:
    """A plain scikit-learn estimator that predicts like the distilled model.

    The result contains no skdistill class (only scikit-learn classes, or
    the third-party classes of the student you passed), so it can be
    pickled, stored with skops or converted to ONNX and loaded where
    skdistill is not installed. Its ``predict`` (and ``predict_proba`` when
    the student has one) returns the same values as ``distilled``'s, and its
    ``classes_`` are the real class labels.

    Parameters
    ----------
    distilled : DistilledClassifier, DistilledRegressor or DistilledEstimator
        A fitted distilled model.

    Returns
    -------
    estimator : scikit-learn estimator
        A new, fitted estimator (the distilled model is left unchanged). See
        the module docstring for what each ``student_fit_`` strategy exports
        to.

    Raises
    ------
    TypeError
        If ``distilled`` is not a distilled model, or its student has no
        plain scikit-learn equivalent: a ``"proba_regression"`` student, a
        non-linear ``"logit_regression"`` student, or a skdistill student
        without ``to_sklearn()``.

    Warns
    -----
    UserWarning
        When a classifier student never saw some of the classes (e.g. with
        ``student_fit="hard"``): its ``predict_proba`` then has one column
        per class it knows, not per class of ``distilled.classes_``.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skdistill import DistilledClassifier
    >>> from skdistill.export import export_student
    >>> X, y = load_iris(return_X_y=True)
    >>> model = DistilledClassifier(
    ...     RandomForestClassifier(n_estimators=20, random_state=0),
    ...     DecisionTreeClassifier(max_depth=3), random_state=0,
    ... ).fit(X, y)
    >>> tree = export_student(model)
    >>> type(tree).__module__.split(".")[0]
    'sklearn'
    >>> bool((tree.predict(X) == model.predict(X)).all())
    True
    """
    strategy = _fitted_strategy(distilled)
    if strategy == "regression":
        exported = _plain_estimator(distilled.student_, "regression")
    else:
        exported = get_strategy(strategy).export(distilled.student_, distilled.classes_)
    _untemper(exported, distilled._deployed_temperature())
    exported = _with_feature_selection(exported, distilled)
    _check_plain_sklearn(exported)
    return exported


def _untemper_gradient_boosting(gbc: Estimator, temperature: float) -> None:
    """GradientBoostingClassifier's raw score times T: every leaf value times
    T, and the init prior replaced by the softmax of T times its raw score
    (kept above the prior clip of scikit-learn 1.6/1.7 by shifting the first
    round's leaves, as ``SoftGradientBoostingClassifier.to_sklearn`` does)."""
    from .students._boosting_export import gbc_init_prior
    from .students._soft_scores import init_score, prior_of_score

    raw = temperature * init_score(np.asarray(gbc.init_.class_prior_, dtype=np.float64))
    for tree in gbc.estimators_.ravel():
        tree.tree_.value[...] *= temperature
    gbc.init_.class_prior_ = gbc_init_prior(
        gbc.estimators_, prior_of_score(raw), raw, gbc.learning_rate
    )


def _untemper_gaussian_nb(nb: Estimator, temperature: float) -> None:
    """GaussianNB's joint log-likelihood times T: variances divided by T,
    and the class-dependent normalising terms moved into the priors."""
    log_norm = -0.5 * np.sum(np.log(2.0 * np.pi * nb.var_), axis=1)
    log_prior = temperature * np.log(nb.class_prior_) + (temperature - 1.0) * log_norm
    log_prior -= log_prior.max()
    prior = np.exp(log_prior)
    nb.class_prior_ = prior / prior.sum()
    nb.var_ = nb.var_ / temperature


def _untemper(exported: Estimator, temperature: float) -> None:
    """Give the exported classifier the distilled model's probabilities at
    temperature 1: logits times ``temperature``. Exact for linear models
    (``coef_``, ``intercept_``), MLPs (last layer), Gaussian naive Bayes
    and trees (leaf
    distributions to the power ``temperature``, renormalised); other
    students keep the training temperature in ``predict_proba`` (their
    predictions are unaffected) and a warning says so."""
    if temperature == 1.0:
        return
    final = exported.steps[-1][1] if isinstance(exported, Pipeline) else exported
    if hasattr(final, "coef_") and hasattr(final, "intercept_"):
        final.coef_ = final.coef_ * temperature
        final.intercept_ = final.intercept_ * temperature
    elif hasattr(final, "coefs_") and hasattr(final, "intercepts_"):
        final.coefs_[-1] = final.coefs_[-1] * temperature
        final.intercepts_[-1] = final.intercepts_[-1] * temperature
    elif isinstance(final, GradientBoostingClassifier):
        _untemper_gradient_boosting(final, temperature)
    elif all(hasattr(final, a) for a in ("theta_", "var_", "class_prior_")):
        _untemper_gaussian_nb(final, temperature)
    elif hasattr(final, "tree_") and hasattr(final, "classes_"):
        values = final.tree_.value  # (n_nodes, n_outputs, n_classes), writable
        sharpened = np.power(values, temperature)
        totals = sharpened.sum(axis=2, keepdims=True)
        values[...] = np.where(totals > 0, sharpened / np.where(totals > 0, totals, 1), 0)
    else:
        warnings.warn(
            f"the exported {type(final).__name__} returns predict_proba at the "
            f"training temperature {temperature:g} (softer than the distilled "
            "model's, which multiplies the logits back); its predictions are the "
            "same.",
            UserWarning,
            stacklevel=3,
        )


def _with_feature_selection(exported: Estimator, distilled: Estimator) -> Estimator:
    """With ``feature_budget`` the student reads only ``student_features_``:
    put a fitted column selector in front so the export takes all columns,
    like ``distilled`` does."""
    features = getattr(distilled, "student_features_", None)
    if features is None:
        return exported
    from sklearn.compose import ColumnTransformer

    n_features = distilled.n_features_in_
    template = np.zeros((1, n_features))
    names = getattr(distilled, "feature_names_in_", None)
    if names is not None:
        import pandas as pd  # feature names only exist for DataFrame input

        template = pd.DataFrame(template, columns=names)
    selector = ColumnTransformer(
        [("student_features", "passthrough", [int(i) for i in features])],
        remainder="drop",
        verbose_feature_names_out=False,
    ).fit(template)
    return Pipeline([("select_features", selector), ("student", exported)])


def _fitted_strategy(distilled: Estimator) -> str:
    from ._distill import _BaseDistilled

    if not isinstance(distilled, _BaseDistilled):
        raise TypeError(
            "distilled must be a fitted DistilledClassifier, DistilledRegressor or "
            f"DistilledEstimator, got {type(distilled).__name__}"
        )
    check_is_fitted(distilled, "student_")
    return distilled.student_fit_


def _split_pipeline(
    estimator: Estimator,
) -> tuple[list[tuple[str, Estimator]], tuple[str | None, Estimator]]:
    """``(preprocessing steps, last step)`` of a Pipeline; ``([], estimator)``
    otherwise. Frozen preprocessing steps are unwrapped: a FrozenEstimator
    only forwards ``transform`` to its estimator, and converters such as
    skl2onnx do not know it."""
    if isinstance(estimator, Pipeline):
        steps = [
            (name, step.estimator if isinstance(step, FrozenEstimator) else step)
            for name, step in estimator.steps[:-1]
        ]
        return steps, estimator.steps[-1]
    return [], (None, estimator)


def _join_pipeline(
    preprocessing: list[tuple[str, Estimator]],
    last: tuple[str | None, Estimator],
    template: Estimator,
) -> Estimator:
    if not preprocessing and last[0] is None:
        return last[1]
    params = template.get_params(deep=False)
    pipeline = Pipeline(
        [*preprocessing, last], memory=params.get("memory"), verbose=params.get("verbose", False)
    )
    return pipeline


def _plain_estimator(
    student: Estimator, strategy: str, classes: NDArray[Any] | None = None
) -> Estimator:
    """A deep copy of ``student`` whose last step is a scikit-learn class;
    for native students the labels are mapped to ``classes``."""
    student = copy.deepcopy(student)
    preprocessing, (name, final) = _split_pipeline(student)
    needs_conversion = classes is not None or _is_skdistill_object(final)
    if needs_conversion and not hasattr(final, "to_sklearn"):
        raise TypeError(
            f"the student {type(final).__name__} (student_fit_={strategy!r}) has no "
            "plain scikit-learn equivalent (it has no to_sklearn() method); keep the "
            "distilled model, which needs skdistill to load, or choose a student "
            "with to_sklearn()."
        )
    if not needs_conversion:
        return _join_pipeline(preprocessing, (name, final), student)
    plain = final.to_sklearn()
    # A student may convert to a Pipeline (LinearTree*): its steps join the
    # student's own preprocessing, so that the last step is the model.
    plain_steps, (plain_name, plain) = _split_pipeline(plain)
    if classes is not None:
        # Native students learn the target columns 0..K-1.
        plain.classes_ = np.asarray(classes)[np.asarray(final.classes_, dtype=np.intp)]
    taken = {step_name for step_name, _ in preprocessing} | {name}
    for step_name, step in plain_steps:
        while step_name in taken:
            step_name = f"{step_name}_"
        taken.add(step_name)
        preprocessing.append((step_name, step))
    last_name = name if name is not None or not plain_steps else plain_name
    return _join_pipeline(preprocessing, (last_name, plain), student)


def _warn_missing_classes(exported: Estimator, classes: NDArray[Any]) -> None:
    exported_classes = np.asarray(exported.classes_)
    if len(exported_classes) != len(classes):
        missing = np.setdiff1d(classes, exported_classes)
        warnings.warn(
            f"the student never saw the classes {missing.tolist()} (it was trained on "
            "the teacher's most likely labels only), so the exported estimator's "
            "predict_proba has columns for its own classes_ "
            f"{exported_classes.tolist()} only. Its predictions are unaffected.",
            UserWarning,
            stacklevel=4,
        )


def _linear_coefficients(regressor: Estimator) -> tuple[Float64Array, Float64Array] | None:
    """``(coef (n_targets, p), intercept (n_targets,))`` of a fitted linear
    regressor, or None when it is not one."""
    if isinstance(regressor, MultiOutputRegressor):
        parts = [_linear_coefficients(est) for est in regressor.estimators_]
        linear = [part for part in parts if part is not None]
        if len(linear) < len(parts):
            return None
        return (
            np.vstack([coef for coef, _ in linear]),
            np.concatenate([intercept for _, intercept in linear]),
        )
    if type(regressor) not in _LINEAR_REGRESSORS:
        return None
    coef = np.asarray(regressor.coef_, dtype=np.float64)
    coef = coef.reshape(1, -1) if coef.ndim == 1 else coef
    intercept = np.asarray(getattr(regressor, "intercept_", 0.0), dtype=np.float64)
    intercept = np.broadcast_to(intercept.reshape(-1), (coef.shape[0],)).copy()
    return coef, intercept


def _logistic_from_logit_regressor(student: Estimator, classes: NDArray[Any]) -> Estimator:
    """The LogisticRegression equal to a linear regressor on logits.

    The regressor predicts the binary margin ``z1 - z0`` (one output) or the
    centred logits (K outputs) and skdistill softmaxes them; a logistic
    model with the same coefficients computes the same decision function and
    the same (sigmoid / softmax) probabilities.
    """
    if _is_skdistill_object(_split_pipeline(student)[1][1]):
        # A native regressor with to_sklearn() (LinearTreeRegressor: a linear
        # model on expanded features) is made plain first.
        student = _plain_estimator(student, "logit_regression")
    else:
        student = copy.deepcopy(student)
    preprocessing, (name, regressor) = _split_pipeline(student)
    coefficients = _linear_coefficients(regressor)
    if coefficients is None:
        inner = regressor
        if isinstance(regressor, MultiOutputRegressor):
            inner = regressor.estimators_[0]
        raise TypeError(
            "a student trained with student_fit='logit_regression' can be exported "
            "to plain scikit-learn only when it is a linear regressor (e.g. Ridge, "
            f"LinearRegression, optionally after preprocessing); got "
            f"{type(inner).__name__}. Keep the distilled model (it needs skdistill "
            "to load), export distilled.student_ itself (it predicts logits), or "
            "distil into a classifier or a native student instead."
        )
    coef, intercept = coefficients
    n_expected = 1 if len(classes) == 2 else len(classes)
    if coef.shape[0] != n_expected:  # pragma: no cover - guarded by fit_student
        raise TypeError(f"the logit regressor has {coef.shape[0]} outputs, expected {n_expected}")
    logistic = LogisticRegression()
    logistic.classes_ = np.asarray(classes).copy()
    logistic.coef_ = coef
    logistic.intercept_ = intercept
    logistic.n_iter_ = np.zeros(1, dtype=np.int32)
    fitted_on = (
        regressor.estimators_[0] if isinstance(regressor, MultiOutputRegressor) else regressor
    )
    logistic.n_features_in_ = fitted_on.n_features_in_
    if hasattr(fitted_on, "feature_names_in_"):
        logistic.feature_names_in_ = fitted_on.feature_names_in_
    return _join_pipeline(preprocessing, (name, logistic), student)


def _is_skdistill_object(obj: object) -> bool:
    return type(obj).__module__.split(".")[0] == "skdistill"


def _skdistill_types(obj: object, seen: set[int] | None = None) -> set[str]:
    """Qualified names of skdistill classes inside ``obj`` (its estimator
    attributes, recursively)."""
    seen = set() if seen is None else seen
    found: set[str] = set()
    if id(obj) in seen:
        return found
    seen.add(id(obj))
    if isinstance(obj, (list, tuple)):
        for item in obj:
            found |= _skdistill_types(item, seen)
        return found
    if isinstance(obj, dict):
        for item in obj.values():
            found |= _skdistill_types(item, seen)
        return found
    if not hasattr(obj, "get_params"):
        return found
    if _is_skdistill_object(obj):
        found.add(f"{type(obj).__module__}.{type(obj).__qualname__}")
    for value in vars(obj).values():
        found |= _skdistill_types(value, seen)
    return found


def _check_plain_sklearn(exported: Estimator) -> None:
    found = _skdistill_types(exported)
    if found:
        raise TypeError(
            f"the exported student still contains skdistill classes {sorted(found)} "
            "(e.g. in a Pipeline's preprocessing); export needs a student built "
            "from scikit-learn classes, or skdistill students with to_sklearn()."
        )


# --------------------------------------------------------------------------
# ONNX
# --------------------------------------------------------------------------
def to_onnx(
    distilled: Estimator, X_sample: MatrixLike, *, target_opset: int | None = None
) -> onnx.ModelProto:
    """Convert the student of a distilled model to ONNX with skl2onnx.

    The converted model is :func:`export_student` ``(distilled)``. Classifiers
    are converted without ZipMap: the ONNX graph outputs ``label`` (the real
    class labels) and ``probabilities`` (an array, columns in ``classes_``
    order); regressors output ``variable``.

    Parameters
    ----------
    distilled : DistilledClassifier, DistilledRegressor or DistilledEstimator
        A fitted distilled model.
    X_sample : array-like or DataFrame of shape (n_samples, n_features)
        A few rows of input, used to type the ONNX inputs. Numeric data gives
        one float32 input named ``X`` of shape ``(None, n_features)``; a
        DataFrame with non-numeric columns (for a student Pipeline that
        encodes them) gives one input per column, named after it, as in
        skl2onnx (float columns as float32, strings as strings).
    target_opset : int, default=None
        ONNX opset; skl2onnx's default when None.

    Returns
    -------
    onnx_model : onnx.ModelProto
        Save it with ``onnx_model.SerializeToString()``; run it with
        ``onnxruntime.InferenceSession``.

    Raises
    ------
    ImportError
        If skl2onnx is not installed (``pip install skdistill[onnx]``).
    TypeError
        If the student cannot be exported (see :func:`export_student`).
    ValueError
        If ``X_sample`` is not a non-empty 2-D sample with the model's
        ``n_features_in_`` columns (and, for a DataFrame, with the model's
        ``feature_names_in_`` in order, when it was fitted on names).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skdistill import DistilledClassifier
    >>> from skdistill.export import to_onnx
    >>> X, y = load_iris(return_X_y=True)
    >>> model = DistilledClassifier(
    ...     RandomForestClassifier(n_estimators=20, random_state=0),
    ...     DecisionTreeClassifier(max_depth=3), random_state=0,
    ... ).fit(X, y)
    >>> onx = to_onnx(model, X[:5])  # doctest: +SKIP
    >>> import onnxruntime  # doctest: +SKIP
    >>> session = onnxruntime.InferenceSession(onx.SerializeToString())  # doctest: +SKIP
    >>> labels, proba = session.run(None, {"X": X.astype(np.float32)})  # doctest: +SKIP
    >>> bool((labels == model.predict(X)).all())  # doctest: +SKIP
    True
    """
    skl2onnx = _import_skl2onnx("to_onnx")
    register_onnx_converters()
    exported = export_student(distilled)
    _, (_, final) = _split_pipeline(exported)
    options = {id(final): {"zipmap": False}} if is_classifier(final) else None
    sample = _onnx_sample(
        X_sample,
        getattr(distilled, "n_features_in_", None),
        getattr(distilled, "feature_names_in_", None),
    )
    onx = skl2onnx.to_onnx(exported, sample, options=options, target_opset=target_opset)
    return _drop_intermediate_outputs(onx)


def _import_skl2onnx(caller: str) -> Any:
    try:
        import skl2onnx
    except ImportError as exc:
        raise ImportError(
            f"{caller} needs skl2onnx (and onnxruntime to run the result): "
            "pip install skdistill[onnx]"
        ) from exc
    return skl2onnx


def _drop_intermediate_outputs(onx: onnx.ModelProto) -> onnx.ModelProto:
    """``onx`` (changed in place) without the graph outputs that are also
    inputs of a node: skl2onnx 1.20 exposes the leaf indicators of a
    RandomTreesEmbedding inside a Pipeline (the export of a ``LinearTree*``
    student) as an extra graph output, and a model's real outputs are never
    consumed by its own nodes."""
    consumed = {name for node in onx.graph.node for name in node.input}
    kept = [output for output in onx.graph.output if output.name not in consumed]
    del onx.graph.output[:]
    onx.graph.output.extend(kept)
    return onx


# --------------------------------------------------------------------------
# skl2onnx converters for the distilled models
# --------------------------------------------------------------------------
def register_onnx_converters() -> None:
    """Let ``skl2onnx.to_onnx`` convert fitted distilled models directly.

    After this call, skl2onnx converts a fitted
    :class:`~skdistill.DistilledClassifier`,
    :class:`~skdistill.DistilledRegressor` or
    :class:`~skdistill.DistilledEstimator`, alone or as a step of a
    Pipeline, through its :func:`export_student`: the ONNX graph computes
    the student (the teacher is not needed at inference) and gives the
    distilled model's labels and probabilities, or its predictions. A
    DistilledClassifier takes skl2onnx's ``zipmap`` option like its own
    classifiers (``options={"zipmap": False}`` for a probability array); a
    DistilledEstimator, a classifier or a regressor as its teacher is,
    always gives arrays (``label`` and ``probabilities``, or ``variable``).
    A DataFrame sample gives one ONNX input per column, as skl2onnx does:
    numeric columns are joined into one float matrix for the student, string
    columns reach a student Pipeline that encodes them. Importing skdistill
    does not import skl2onnx; :func:`to_onnx` calls this function, and
    calling it again is harmless.

    Raises
    ------
    ImportError
        If skl2onnx is not installed (``pip install skdistill[onnx]``).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skdistill import DistilledClassifier
    >>> from skdistill.export import register_onnx_converters
    >>> X, y = load_iris(return_X_y=True)
    >>> model = DistilledClassifier(
    ...     RandomForestClassifier(n_estimators=20, random_state=0),
    ...     DecisionTreeClassifier(max_depth=3), random_state=0,
    ... ).fit(X, y)
    >>> register_onnx_converters()  # doctest: +SKIP
    >>> import skl2onnx  # doctest: +SKIP
    >>> onx = skl2onnx.to_onnx(
    ...     model, X[:1].astype(np.float32), options={"zipmap": False}
    ... )  # doctest: +SKIP
    >>> [output.name for output in onx.graph.output]  # doctest: +SKIP
    ['label', 'probabilities']
    """
    skl2onnx = _import_skl2onnx("register_onnx_converters")
    from ._distill import DistilledClassifier, DistilledEstimator, DistilledRegressor

    skl2onnx.update_registered_converter(
        DistilledClassifier,
        "SkdistillDistilledClassifier",
        _classifier_output_shapes,
        _convert_distilled,
        options={"zipmap": [True, False, "columns"], "nocl": [True, False]},
    )
    skl2onnx.update_registered_converter(
        DistilledRegressor,
        "SkdistillDistilledRegressor",
        _regressor_output_shapes,
        _convert_distilled,
    )
    skl2onnx.update_registered_converter(
        DistilledEstimator,
        "SkdistillDistilledEstimator",
        _estimator_output_shapes,
        _convert_distilled,
        parser=_parse_distilled_estimator,
    )


def _parse_distilled_estimator(
    scope: Any, model: Estimator, inputs: list[Any], custom_parsers: Any = None
) -> list[Any]:
    """A DistilledEstimator is a classifier or a regressor as its teacher
    is: declare ``label`` and ``probabilities``, or ``variable``."""
    from skl2onnx.common.data_types import FloatTensorType

    operator = scope.declare_local_operator("SkdistillDistilledEstimator", model)
    operator.inputs = inputs
    names = ["label", "probabilities"] if is_classifier(model) else ["variable"]
    for name in names:
        operator.outputs.append(scope.declare_local_variable(name, FloatTensorType()))
    return list(operator.outputs)


def _estimator_output_shapes(operator: Any) -> None:
    if is_classifier(operator.raw_operator):
        _classifier_output_shapes(operator)
    else:
        _regressor_output_shapes(operator)


def _classifier_output_shapes(operator: Any) -> None:
    """``label`` (one per row, strings or int64 as ``classes_``) and
    ``probabilities`` (one float column per class)."""
    from skl2onnx.common.data_types import FloatTensorType, Int64TensorType, StringTensorType

    n_rows = operator.inputs[0].get_first_dimension()
    classes = np.asarray(operator.raw_operator.classes_)
    label_type = StringTensorType if classes.dtype.kind in "OUS" else Int64TensorType
    operator.outputs[0].type = label_type([n_rows])
    operator.outputs[1].type = FloatTensorType([n_rows, len(classes)])


def _regressor_output_shapes(operator: Any) -> None:
    """``variable``: one float column per target (the number of columns left
    open when the exported regressor does not tell it)."""
    from skl2onnx.common.data_types import FloatTensorType

    n_rows = operator.inputs[0].get_first_dimension()
    _, (_, final) = _split_pipeline(export_student(operator.raw_operator))
    n_targets = getattr(final, "n_outputs_", None)
    if n_targets is None and hasattr(final, "coef_"):
        coef = np.asarray(final.coef_)
        n_targets = 1 if coef.ndim == 1 else coef.shape[0]
    operator.outputs[0].type = FloatTensorType([n_rows, n_targets])


def _convert_distilled(scope: Any, operator: Any, container: Any) -> None:
    """The ONNX graph of ``export_student(distilled)``, in place of the
    distilled model.

    The export is converted on its own (as :func:`to_onnx` does) and its
    nodes copied into the graph being built: skl2onnx's sub-estimator
    mechanism cannot take a Pipeline classifier (the export of a Pipeline
    student) in 1.20.
    """
    import skl2onnx

    exported = export_student(operator.raw_operator)
    _, (_, final) = _split_pipeline(exported)
    options = {id(final): {"zipmap": False}} if is_classifier(final) else None
    initial_types, names = _numeric_inputs_joined(scope, operator, container)
    onx = skl2onnx.convert_sklearn(
        exported,
        initial_types=initial_types,
        options=options,
        target_opset=container.target_opset,
    )
    _drop_intermediate_outputs(onx)
    _inline_graph(
        onx, scope, container, names, [variable.full_name for variable in operator.outputs]
    )


def _numeric_inputs_joined(
    scope: Any, operator: Any, container: Any
) -> tuple[list[tuple[str, Any]], list[str]]:
    """``(initial types, input names)`` for converting the export.

    skl2onnx gives a DataFrame one input per column; numeric columns are
    joined into one float matrix here, as :func:`to_onnx` passes a numeric
    frame (scikit-learn's models take one input). Other inputs (string
    columns, for a student Pipeline that encodes them) are passed as they
    are.
    """
    from onnx import TensorProto
    from skl2onnx.common.data_types import (
        DoubleTensorType,
        FloatTensorType,
        Int64TensorType,
    )

    inputs = list(operator.inputs)
    numeric = (FloatTensorType, DoubleTensorType, Int64TensorType)
    if len(inputs) == 1 or not all(isinstance(v.type, numeric) for v in inputs):
        return [(v.onnx_name, v.type) for v in inputs], [v.full_name for v in inputs]
    columns = []
    for variable in inputs:
        column = scope.get_unique_variable_name(f"{variable.onnx_name}_float")
        container.add_node(
            "Cast",
            [variable.full_name],
            [column],
            name=scope.get_unique_operator_name("Cast"),
            to=TensorProto.FLOAT,
        )
        columns.append(column)
    joined = scope.get_unique_variable_name("X")
    container.add_node(
        "Concat", columns, [joined], name=scope.get_unique_operator_name("Concat"), axis=1
    )
    n_columns = sum(v.type.shape[1] or 1 for v in inputs)
    return [("X", FloatTensorType([None, n_columns]))], [joined]


def _inline_graph(
    onx: onnx.ModelProto, scope: Any, container: Any, inputs: list[str], outputs: list[str]
) -> None:
    """Copy the initializers and nodes of ``onx`` into ``container``, its
    inputs and outputs renamed to ``inputs`` and ``outputs`` and every
    other tensor and node to a name unique in ``scope``."""
    from onnx import helper, numpy_helper

    graph = onx.graph
    names = dict(zip([i.name for i in graph.input], inputs))
    names.update(zip([o.name for o in graph.output], outputs))

    def renamed(name: str) -> str:
        if name and name not in names:
            names[name] = scope.get_unique_variable_name(name)
        return names.get(name, name)

    for tensor in graph.initializer:
        values = numpy_helper.to_array(tensor)
        container.add_initializer(
            renamed(tensor.name), tensor.data_type, list(tensor.dims), values.ravel().tolist()
        )
    versions = {opset.domain: opset.version for opset in onx.opset_import}
    for node in graph.node:
        container.add_node(
            node.op_type,
            [renamed(name) for name in node.input],
            [renamed(name) for name in node.output],
            op_domain=node.domain,
            op_version=versions.get(node.domain, versions.get("ai.onnx")),
            name=scope.get_unique_operator_name(node.name or node.op_type),
            **{attr.name: helper.get_attribute_value(attr) for attr in node.attribute},
        )


def _onnx_sample(
    X_sample: Any, n_features_in: int | None = None, feature_names_in: NDArray[Any] | None = None
) -> Any:
    """float32 rows for numeric input; a DataFrame with non-numeric columns
    is passed on for skl2onnx to type column by column.

    The ONNX input is typed from ``X_sample`` alone, so a sample with other
    columns than the model was fitted on would give a graph that fails on
    every real row: its columns are checked against ``n_features_in`` and,
    for a DataFrame, ``feature_names_in``.
    """
    is_frame = hasattr(X_sample, "dtypes") and hasattr(X_sample, "columns")
    shape = X_sample.shape if is_frame else np.shape(X_sample)
    if len(shape) != 2 or shape[0] == 0:
        raise ValueError(
            f"X_sample must be a non-empty 2-D array of input rows, got shape {shape}"
        )
    if n_features_in is not None and shape[1] != n_features_in:
        raise ValueError(
            f"X_sample must have the {n_features_in} features the model was fitted "
            f"on, got {shape[1]} (shape {shape})"
        )
    if is_frame and feature_names_in is not None:
        columns = [str(c) for c in X_sample.columns]
        if columns != [str(c) for c in feature_names_in]:
            raise ValueError(
                "X_sample's columns must be the model's feature_names_in_ in the same "
                f"order, {list(feature_names_in)}, got {columns}"
            )
    if is_frame:
        kinds = {
            np.dtype(dtype).kind if isinstance(dtype, np.dtype) else "O"
            for dtype in X_sample.dtypes
        }
        if not kinds <= set("biuf"):
            floats = [
                col
                for col, dtype in zip(X_sample.columns, X_sample.dtypes)
                if isinstance(dtype, np.dtype) and dtype.kind == "f"
            ]
            return X_sample.astype(dict.fromkeys(floats, np.float32))
    return np.asarray(X_sample).astype(np.float32)


# --------------------------------------------------------------------------
# Rules
# --------------------------------------------------------------------------
def export_rules(
    distilled: Estimator, feature_names: Sequence[str] | None = None, *, decimals: int = 3
) -> str:
    """The student as text: if-then rules for a tree, a coefficient table for
    a linear model.

    Parameters
    ----------
    distilled : DistilledClassifier, DistilledRegressor or DistilledEstimator
        A fitted distilled model whose exported student
        (:func:`export_student`) is a decision tree or a linear model,
        possibly after Pipeline preprocessing.
    feature_names : list of str, default=None
        Names of the input features. Defaults to the column names seen in
        ``fit`` when X was a DataFrame, else ``feature_0, feature_1, ...``.
        With Pipeline preprocessing, the rules are written in terms of the
        preprocessed features, named by the preprocessing's
        ``get_feature_names_out`` when it has one.
    decimals : int, default=3
        Digits after the decimal point for thresholds, values and
        coefficients.

    Returns
    -------
    rules : str
        For trees, :func:`sklearn.tree.export_text` with the real class labels
        as class names; for linear models, a Markdown table with one row per
        feature (and the intercept) and one column per class (one column of
        log-odds of ``classes_[1]`` for a binary classifier, one column of
        coefficients for a regressor).

    Raises
    ------
    TypeError
        If the student is neither a decision tree nor a linear model.
    ValueError
        If ``feature_names`` does not have one name per input feature.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from sklearn.ensemble import RandomForestClassifier
    >>> from sklearn.tree import DecisionTreeClassifier
    >>> from skdistill import DistilledClassifier
    >>> from skdistill.export import export_rules
    >>> data = load_iris()
    >>> y = data.target_names[data.target]
    >>> model = DistilledClassifier(
    ...     RandomForestClassifier(n_estimators=20, random_state=0),
    ...     DecisionTreeClassifier(max_depth=2), temperature=1.0, alpha=0.0,
    ...     transfer=None, random_state=0,
    ... ).fit(data.data, y)
    >>> print(export_rules(model, data.feature_names, decimals=2))
    # DecisionTreeClassifier student (depth 2, 4 leaves) of a RandomForestClassifier teacher
    |--- petal width (cm) <= 0.80
    |   |--- sepal width (cm) <= 2.60
    |   |   |--- class: setosa
    |   |--- sepal width (cm) >  2.60
    |   |   |--- class: setosa
    |--- petal width (cm) >  0.80
    |   |--- petal length (cm) <= 4.75
    |   |   |--- class: versicolor
    |   |--- petal length (cm) >  4.75
    |   |   |--- class: virginica
    <BLANKLINE>
    """
    from ._validation import check_int

    check_int(decimals, "decimals", low=0)
    exported = export_student(distilled)
    preprocessing, (_, final) = _split_pipeline(exported)
    names, note = _rule_feature_names(distilled, exported, preprocessing, feature_names)
    header = f"# {type(final).__name__} student"
    _, (_, original) = _split_pipeline(distilled.student_)
    if isinstance(original, MultiOutputRegressor):
        original = original.estimator
    if type(original) is not type(final):
        header += f" (exported from {type(original).__name__})"
    if isinstance(final, BaseDecisionTree):
        header += f" (depth {final.get_depth()}, {final.get_n_leaves()} leaves)"
    header += f" of a {_teacher_name(distilled)} teacher"
    lines = [header] + ([note] if note else [])
    if isinstance(final, BaseDecisionTree):
        class_names = None
        if isinstance(final, DecisionTreeClassifier):
            class_names = [str(label) for label in final.classes_]
        rules = export_text(
            final, feature_names=list(names), class_names=class_names, decimals=decimals
        )
        return "\n".join(lines) + "\n" + rules
    if hasattr(final, "coef_") and (
        isinstance(final, LogisticRegression) or type(final) in _LINEAR_REGRESSORS
    ):
        return "\n".join(lines) + "\n" + _coefficient_table(final, names, decimals)
    raise TypeError(
        "export_rules needs a decision tree or linear student, got "
        f"{type(final).__name__}; use export_student(distilled) to deploy it."
    )


def _teacher_name(distilled: Estimator) -> str:
    teacher = distilled.teacher_
    while isinstance(teacher, FrozenEstimator):
        teacher = teacher.estimator
    if isinstance(teacher, Pipeline):
        return f"Pipeline({type(teacher.steps[-1][1]).__name__})"
    return type(teacher).__name__


def _rule_feature_names(
    distilled: Estimator,
    exported: Estimator,
    preprocessing: list[tuple[str, Estimator]],
    feature_names: Sequence[str] | None,
) -> tuple[list[str], str | None]:
    n_features = distilled.n_features_in_
    if feature_names is None:
        if hasattr(distilled, "feature_names_in_"):
            feature_names = [str(name) for name in distilled.feature_names_in_]
        else:
            feature_names = [f"feature_{i}" for i in range(n_features)]
    else:
        if isinstance(feature_names, str) or not hasattr(feature_names, "__len__"):
            raise TypeError(
                f"feature_names must be a list of strings, got {type(feature_names).__name__}"
            )
        feature_names = [str(name) for name in feature_names]
        if len(feature_names) != n_features:
            raise ValueError(
                f"feature_names must have one name per input feature "
                f"({n_features}), got {len(feature_names)}"
            )
    if not preprocessing:
        return feature_names, None
    steps = Pipeline(preprocessing)
    note = (
        "# rules apply to the output of the preprocessing steps "
        f"{[name for name, _ in preprocessing]}"
    )
    try:
        names = steps.get_feature_names_out(feature_names)
    except Exception:  # noqa: BLE001 - no get_feature_names_out, or names rejected
        n_out = exported.steps[-1][1].n_features_in_
        names = [f"transformed_{i}" for i in range(n_out)]
    return [str(name) for name in names], note


def _coefficient_table(final: Estimator, names: Sequence[str], decimals: int) -> str:
    coef = np.asarray(final.coef_, dtype=np.float64)
    coef = coef.reshape(1, -1) if coef.ndim == 1 else coef
    intercept = np.broadcast_to(
        np.asarray(getattr(final, "intercept_", 0.0), dtype=np.float64).reshape(-1),
        (coef.shape[0],),
    )
    if is_regressor(final):
        headers = (
            ["coefficient"]
            if coef.shape[0] == 1
            else [f"output {i}" for i in range(coef.shape[0])]
        )
    elif coef.shape[0] == 1:
        headers = [f"log-odds of {final.classes_[1]}"]
    else:
        headers = [str(label) for label in final.classes_]
    rows = [["(intercept)"] + [f"{v:.{decimals}f}" for v in intercept]]
    rows += [[name] + [f"{v:.{decimals}f}" for v in coef[:, j]] for j, name in enumerate(names)]
    return markdown_table(["feature"] + headers, rows, align_right=True) + "\n"
