"""The student families of :func:`skdistill.search_students`: one entry each.

A :class:`Family` says how to build its classifier and regressor from one
point of its size ladder, how many leaves that point can have at most
(known before fitting, so that ``max_leaves`` prunes the ladder for free),
whether a reviewer can read it, and its ladder for a given leaf budget.
Adding a family is adding one entry to :data:`FAMILIES`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sklearn.ensemble import GradientBoostingRegressor
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeRegressor

from .students import (
    LinearTreeClassifier,
    LinearTreeRegressor,
    SoftDecisionTreeClassifier,
    SoftGAMClassifier,
    SoftGAMRegressor,
    SoftGradientBoostingClassifier,
    SoftLogisticRegression,
)

Params = dict[str, Any]
# Leaf counts of the tree ladders when no max_leaves is given.
_DEFAULT_TOP_LEAVES = 64
_BOOSTING_DEPTHS = (1, 2, 3)


@dataclass(frozen=True)
class Family:
    """One student family.

    ``classifier(params, seed)`` / ``regressor(params, seed)`` build an
    unfitted student (None: the family has no such student);
    ``ladder(max_leaves, n_trees)`` lists its sizes, smallest first, each
    within ``max_leaves`` (None: no leaf budget; ``n_trees`` is the number
    of trees a boosting round grows); ``leaves(params, n_trees)`` bounds the
    leaves of one point (None for models without leaves).
    """

    name: str
    interpretable: bool
    classifier: Callable[[Params, int], Any] | None
    regressor: Callable[[Params, int], Any] | None
    ladder: Callable[[int | None, int], list[Params]]
    leaves: Callable[[Params, int], int | None]


def _leaf_counts(max_leaves: int | None) -> list[int]:
    """Powers of two from 4 up to the budget, and the budget itself."""
    top = _DEFAULT_TOP_LEAVES if max_leaves is None else max_leaves
    counts = [2**k for k in range(2, 16) if 2**k <= top]
    if max_leaves is not None and max_leaves not in counts and max_leaves >= 2:
        counts.append(max_leaves)
    return counts


def _tree_ladder(max_leaves: int | None, n_trees: int) -> list[Params]:
    return [{"max_leaf_nodes": k} for k in _leaf_counts(max_leaves)]


def _linear_tree_ladder(max_leaves: int | None, n_trees: int) -> list[Params]:
    # A linear model per leaf: a few leaves go a long way, and each costs a fit.
    return [{"max_leaf_nodes": k} for k in _leaf_counts(max_leaves)[::2] if k <= 16]


def _max_leaf_nodes(params: Params, n_trees: int) -> int | None:
    return int(params["max_leaf_nodes"])


def _no_leaves(params: Params, n_trees: int) -> int | None:
    return None


def _boosting_leaves(params: Params, n_trees: int) -> int | None:
    return int(params["n_estimators"] * n_trees * 2 ** params["max_depth"])


def _boosting_ladder(max_leaves: int | None, n_trees: int) -> list[Params]:
    """Per depth, the most rounds the leaf budget allows (30 rounds without
    a leaf budget), and half as many at depth 2."""
    ladder = []
    for depth in _BOOSTING_DEPTHS[1:] if max_leaves is None else _BOOSTING_DEPTHS:
        most = 30 if max_leaves is None else max_leaves // (n_trees * 2**depth)
        rounds = {most // 2, most} if depth == 2 else {most}
        ladder += [{"n_estimators": r, "max_depth": depth} for r in sorted(rounds - {0, 1})]
    return sorted(ladder, key=lambda p: p["n_estimators"] * 2 ** p["max_depth"])


def _learning_rate(n_estimators: int) -> float:
    # Few rounds need larger steps to get anywhere; 0.1 from 40 rounds on.
    return float(min(0.5, max(0.1, 4.0 / n_estimators)))


def _gam_ladder(max_leaves: int | None, n_trees: int) -> list[Params]:
    # One size: more bins seldom change fidelity much and each GAM fit costs
    # as much as several trees; a byte budget too small for it skips it.
    return [{"max_bins": 32}]


def _one_size(max_leaves: int | None, n_trees: int) -> list[Params]:
    return [{}]


FAMILIES: dict[str, Family] = {
    family.name: family
    for family in (
        Family(
            name="tree",
            interpretable=True,
            classifier=lambda p, seed: SoftDecisionTreeClassifier(**p, random_state=seed),
            regressor=lambda p, seed: DecisionTreeRegressor(**p, random_state=seed),
            ladder=_tree_ladder,
            leaves=_max_leaf_nodes,
        ),
        Family(
            name="gam",
            interpretable=True,
            classifier=lambda p, seed: SoftGAMClassifier(**p, random_state=seed),
            regressor=lambda p, seed: SoftGAMRegressor(**p, random_state=seed),
            ladder=_gam_ladder,
            leaves=_no_leaves,
        ),
        Family(
            name="linear",
            interpretable=True,
            classifier=lambda p, seed: make_pipeline(
                StandardScaler(), SoftLogisticRegression(**p, max_iter=300)
            ),
            regressor=lambda p, seed: make_pipeline(StandardScaler(), Ridge(**p)),
            ladder=_one_size,
            leaves=_no_leaves,
        ),
        Family(
            name="linear_tree",
            interpretable=True,
            classifier=lambda p, seed: LinearTreeClassifier(**p, random_state=seed),
            regressor=lambda p, seed: LinearTreeRegressor(**p, random_state=seed),
            ladder=_linear_tree_ladder,
            leaves=_max_leaf_nodes,
        ),
        Family(
            name="boosting",
            interpretable=False,
            classifier=lambda p, seed: SoftGradientBoostingClassifier(
                **p,
                learning_rate=_learning_rate(p["n_estimators"]),
                early_stopping=False,
                random_state=seed,
            ),
            regressor=lambda p, seed: GradientBoostingRegressor(
                **p, learning_rate=_learning_rate(p["n_estimators"]), random_state=seed
            ),
            ladder=_boosting_ladder,
            leaves=_boosting_leaves,
        ),
    )
}


def describe(family: str, params: Params) -> str:
    """``"tree(max_leaf_nodes=16)"``: a candidate in a few characters."""
    inner = ", ".join(f"{name}={value!r}" for name, value in params.items())
    return f"{family}({inner})"


def check_families(families: Any) -> list[str]:
    """``families`` ("auto" or names from :data:`FAMILIES`) as a list of names."""
    if isinstance(families, str) and families == "auto":
        return list(FAMILIES)
    if isinstance(families, str) or not hasattr(families, "__iter__"):
        raise TypeError(
            f"families must be 'auto' or a list of names among {list(FAMILIES)}, got {families!r}"
        )
    names = list(families)
    unknown = [name for name in names if name not in FAMILIES]
    if unknown or not names:
        raise ValueError(
            f"families must name at least one of {list(FAMILIES)}, got unknown name(s) {unknown}"
            if unknown
            else f"families must name at least one of {list(FAMILIES)}, got an empty list"
        )
    return list(dict.fromkeys(names))


def family_ladders(
    names: list[str],
    *,
    classification: bool,
    max_leaves: int | None,
    interpretable: bool,
    n_trees: int,
) -> tuple[dict[str, list[Params]], dict[str, str]]:
    """``(ladders, skipped)``: each usable family's ladder within the leaf
    budget, and why each other family was skipped."""
    ladders, skipped = {}, {}
    for name in names:
        family = FAMILIES[name]
        build = family.classifier if classification else family.regressor
        if build is None:
            skipped[name] = "no student for this task"
            continue
        if interpretable and not family.interpretable:
            skipped[name] = "not interpretable (budget interpretable=True)"
            continue
        ladder = [
            params
            for params in family.ladder(max_leaves, n_trees)
            if max_leaves is None or (family.leaves(params, n_trees) or 0) <= max_leaves
        ]
        if not ladder:
            smallest = family.ladder(None, n_trees)[0]
            skipped[name] = (
                f"its smallest student has {family.leaves(smallest, n_trees)} leaves, "
                f"over max_leaves={max_leaves}"
            )
            continue
        ladders[name] = ladder
    return ladders, skipped


def build_student(name: str, params: Params, classification: bool, seed: int) -> Any:
    """The unfitted student of family ``name`` at ``params``."""
    family = FAMILIES[name]
    build = family.classifier if classification else family.regressor
    assert build is not None  # family_ladders skipped the others
    return build(params, seed)
