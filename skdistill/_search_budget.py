"""The budget of a student search: what a deployable student may cost.

A budget is a dict with any of :data:`BUDGET_KEYS`. Leaves bound the
families whose size is counted in leaves before anything is fitted (the
ladders of :mod:`skdistill._search_families` stay within it); bytes,
parameters and latency are checked on each fitted candidate.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._validation import check_int, check_real

BUDGET_KEYS = (
    "max_leaves",
    "max_bytes",
    "max_parameters",
    "max_predict_ms_per_1k",
    "max_features",
    "interpretable",
)


@dataclass(frozen=True)
class Budget:
    """A checked budget; None means "no limit"."""

    max_leaves: int | None = None
    max_bytes: int | None = None
    max_parameters: int | None = None
    max_predict_ms_per_1k: float | None = None
    max_features: int | None = None
    interpretable: bool = False

    def as_dict(self) -> dict[str, Any]:
        """The limits that are set, under their budget keys."""
        return {
            key: getattr(self, key)
            for key in BUDGET_KEYS
            if getattr(self, key) not in (None, False)
        }


def check_budget(budget: Any, n_features: int) -> Budget:
    """``budget`` (None or a dict) as a :class:`Budget`, every key and value
    checked with a message naming it."""
    if budget is None:
        return Budget()
    if not isinstance(budget, dict):
        raise TypeError(
            f"budget must be a dict with keys among {list(BUDGET_KEYS)} (or None), got "
            f"{type(budget).__name__}"
        )
    unknown = sorted(str(key) for key in budget if key not in BUDGET_KEYS)
    if unknown:
        raise ValueError(
            f"budget has unknown key(s) {unknown}; the allowed keys are {list(BUDGET_KEYS)}"
        )
    values: dict[str, Any] = {}
    for key in ("max_leaves", "max_bytes", "max_parameters"):
        if budget.get(key) is not None:
            values[key] = check_int(budget[key], f"budget[{key!r}]", low=1)
    if budget.get("max_features") is not None:
        values["max_features"] = check_int(
            budget["max_features"], "budget['max_features']", low=1, high=n_features
        )
    if budget.get("max_predict_ms_per_1k") is not None:
        values["max_predict_ms_per_1k"] = check_real(
            budget["max_predict_ms_per_1k"],
            "budget['max_predict_ms_per_1k']",
            low=0,
            low_inclusive=False,
        )
    interpretable = budget.get("interpretable", False)
    if not isinstance(interpretable, (bool, np.bool_)):
        raise TypeError(
            f"budget['interpretable'] must be a bool, got {interpretable!r} of type "
            f"{type(interpretable).__name__}"
        )
    return Budget(**values, interpretable=bool(interpretable))


def _over(value: Any, limit: Any) -> bool:
    return limit is not None and isinstance(value, numbers.Real) and value > limit


def over_budget(budget: Budget, measured: dict[str, Any]) -> str | None:
    """Why a fitted candidate breaks the budget, or None when it fits.

    ``measured`` holds ``n_leaves``, ``n_bytes``, ``n_parameters`` and
    ``predict_ms_per_1k`` (NaN or None where unknown; an unknown count never
    breaks a limit: a logistic model has no leaves).
    """
    checks = (
        ("n_leaves", budget.max_leaves, "max_leaves"),
        ("n_bytes", budget.max_bytes, "max_bytes"),
        ("n_parameters", budget.max_parameters, "max_parameters"),
        ("predict_ms_per_1k", budget.max_predict_ms_per_1k, "max_predict_ms_per_1k"),
    )
    for name, limit, key in checks:
        value = measured.get(name)
        if value is not None and np.isfinite(value) and _over(value, limit):
            return f"{name}={value:.4g} > {key}={limit:g}"
    return None
