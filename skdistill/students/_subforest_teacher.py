"""The teacher's parts a sub-forest student reuses: its forest (checked),
each tree's node values and the rows' nodes."""

import numpy as np
from sklearn.ensemble import (
    ExtraTreesClassifier,
    ExtraTreesRegressor,
    RandomForestClassifier,
    RandomForestRegressor,
)
from sklearn.exceptions import NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

CLASSIFIER_FORESTS = (RandomForestClassifier, ExtraTreesClassifier)
REGRESSOR_FORESTS = (RandomForestRegressor, ExtraTreesRegressor)


def teacher_forest(teacher, forest_types, kind):
    """The fitted forest inside ``teacher`` (a FrozenEstimator is unwrapped)."""
    if teacher is None:
        raise ValueError(
            "the sub-forest student needs the fitted teacher: fit(X, y, teacher=forest), "
            "or use it as the student of a DistilledClassifier/DistilledRegressor, "
            "which passes its teacher"
        )
    while isinstance(teacher, FrozenEstimator):
        teacher = teacher.estimator
    if not isinstance(teacher, forest_types):
        names = " or ".join(cls.__name__ for cls in forest_types)
        hint = ""
        if isinstance(teacher, Pipeline):
            hint = (
                "; a Pipeline teacher is not supported (its preprocessing would have "
                "to become part of the student): distil the forest on preprocessed X"
            )
        raise TypeError(
            f"teacher must be a fitted {names} (a {kind} forest whose trees the "
            f"student reuses), got {type(teacher).__name__}{hint}"
        )
    try:
        check_is_fitted(teacher)
    except NotFittedError as exc:
        raise ValueError(f"teacher {type(teacher).__name__} must be fitted") from exc
    if teacher.n_outputs_ != 1:
        raise ValueError(f"teacher must have a single output, got n_outputs_={teacher.n_outputs_}")
    return teacher


def tree_values(tree, classification):
    """Node values of a tree: (n_nodes, C) distributions, or (n_nodes,)."""
    value = np.asarray(tree.tree_.value[:, 0, :], dtype=np.float64)
    if not classification:
        return value[:, 0].copy()
    totals = value.sum(axis=1, keepdims=True)
    return value / np.where(totals > 0, totals, 1.0)


def node_ids(forest, X):
    """(n, n_trees) node ids of each row in each tree of ``forest``."""
    return np.column_stack([tree.apply(X, check_input=False) for tree in forest.estimators_])


def stacked_values(trees, nodes, classification):
    """The chosen trees' node values as one matrix and the rows' nodes as
    global ids into it."""
    values = [tree_values(tree, classification) for tree in trees]
    offsets = np.cumsum([0] + [len(v) for v in values[:-1]])
    return np.concatenate(values), nodes + offsets[None, :]


def check_teacher_classes(forest, classes, soft):
    """The target columns must be the teacher's classes, in its order."""
    n_teacher = len(forest.classes_)
    if soft and len(classes) != n_teacher:
        raise ValueError(
            f"y has {len(classes)} probability columns but the teacher knows "
            f"{n_teacher} classes; the columns must follow the teacher's classes_"
        )
    if not soft and not np.array_equal(np.asarray(forest.classes_), classes):
        raise ValueError(
            f"the labels of y {classes.tolist()} must be the teacher's classes_ "
            f"{np.asarray(forest.classes_).tolist()}"
        )
